"""Helpers for the import/export view tests: upload and confirm as a browser would (CSRF stays on)."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from tests.helpers import csrf_token


class _Forms(HTMLParser):
    """Every <form> on a page: its action and the values of its named inputs."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def upload(client, url: str, filename: str, content: str | bytes):
    """Submit the upload form on ``url`` with one file, as the browser would."""
    raw = content.encode() if isinstance(content, str) else content
    return client.post(url, data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(raw), filename)},
                       content_type="multipart/form-data")


def confirm(client, preview):
    """Submit the confirm form of a preview page (the one carrying the uploaded content)."""
    form = next(f for f in forms(preview.get_data(as_text=True)) if "content" in f["fields"])
    return client.post(form["action"], data=form["fields"])

"""Small helpers for tests: posting forms the way a browser does (with the CSRF token from the page), and
counting the SQL statements a block runs."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from campaign.extensions import db

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(client, path: str = "/beheer/inloggen") -> str:
    """The token a page hands out (the session cookie ties it to this client)."""
    html = client.get(path).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no csrf_token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict | None = None, *, token_from: str = "/beheer/inloggen", **kwargs):
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, token_from)
    return client.post(path, data=payload, **kwargs)


@contextmanager
def statements():
    """The SQL statements run inside the block, as a list (for tests that count queries)."""
    ran: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        ran.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)

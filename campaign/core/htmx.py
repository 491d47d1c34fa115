"""htmx helpers: one template renders the page and its fragments."""

from __future__ import annotations

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    """A fragment request, except when htmx restores history (then it needs the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def render_page_or_block(template: str, block: str, **context):
    """Render ``block`` of ``template`` for htmx, the full page otherwise; the URL answers both ways."""
    if is_htmx():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body)
    response.vary.add("HX-Request")
    return response

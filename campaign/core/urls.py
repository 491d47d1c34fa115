"""Full URLs for mails and calendar files, built inside and outside a request."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str | None:
    """A full URL for a mail, where one can be built (in a request, or with SERVER_NAME set for the command
    line); else None."""
    if not (has_request_context() or current_app.config.get("SERVER_NAME")):
        return None
    return url_for(endpoint, _external=True, **values)

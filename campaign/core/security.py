"""Security headers on every response; pages load nothing from other hosts. Input no database can store is
refused before any view sees it."""

from __future__ import annotations

import hashlib
import secrets

from flask import abort, request
from flask_babel import gettext as _

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Result URLs carry a citizen's answers: never hand them to another site as a referrer.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def private_page(response):
    """A page behind a personal link (the token in its URL is the credential): never cached, never sent on as a
    referrer, never indexed."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def reject_nul_bytes():
    """A before_request hook: a NUL byte in a form value, query argument or the path answers 400.

    PostgreSQL cannot store NUL in text (psycopg raises DataError, a 500) and no person types one, so we refuse
    it once for the whole app, on public forms too, instead of in every form."""
    values = [request.path]
    for multidict in (request.args, request.form):
        for key, items in multidict.lists():
            values.append(key)
            values.extend(items)
    if _has_nul(values):
        abort(400, description=_("This form contains a character that cannot be stored (a NUL byte)."))


def new_token() -> str:
    """A random token for a personal link (party link, email verification): 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, so a copy of the database opens no link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

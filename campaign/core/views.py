"""Site-wide pages: home, language switch, our vendored-at-install assets, health, error pages."""

from __future__ import annotations

import os
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from campaign.core.api import error as api_error
from campaign.extensions import db

bp = Blueprint("core", __name__)

# Browser assets installed from the npm registry (package.json), served from node_modules.
VENDOR_FILES = {
    "htmx.min.js": Path("htmx.org") / "dist" / "htmx.min.js",
}


def safe_next(target: str | None, default_endpoint: str = "cultuurwijzer.start") -> str:
    """Only local paths: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default_endpoint)


@bp.get("/")
def home():
    return redirect(url_for("cultuurwijzer.start"))


@bp.get("/taal/<lang>")
def set_language(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        lang,
        max_age=current_app.config["LANGUAGE_COOKIE_MAX_AGE"],
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


@bp.get("/vendor/<name>")
def vendor(name: str):
    relative = VENDOR_FILES.get(name)
    if relative is None:
        abort(404)
    directory = Path(current_app.config["VENDOR_DIR"]) / relative.parent
    if not (directory / relative.name).is_file():
        current_app.logger.error("vendor asset %s missing: run `make install`", relative)
        abort(404)
    return send_from_directory(directory, relative.name, max_age=365 * 24 * 3600)


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok", pid=os.getpid())


def handle_http_error(error: HTTPException):
    """Error pages in the reader's language; JSON for the API."""
    if request.path.startswith("/api/"):
        return api_error(error.code, error.description)
    code = error.code if error.code in (400, 403, 404, 405, 410, 413, 422, 429) else 500
    # Werkzeug's stock descriptions are English: show only the ones we wrote (translated) ourselves.
    detail = error.description if error.description != type(error).description else None
    return render_template("errors/error.html", code=code, detail=detail), error.code


def handle_csrf_error(error):
    """A form sent without a valid token: usually a page left open too long. Say so, in the reader's language."""
    if request.path.startswith("/api/"):
        return api_error(400, _("Missing or invalid CSRF token"))
    detail = _("This form has expired or was not sent from our site. Go back, reload the page and try again.")
    return render_template("errors/error.html", code=400, detail=detail), 400


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("unhandled error")
    db.session.rollback()
    if request.path.startswith("/api/"):
        return api_error(500, _("Internal server error"))
    return render_template("errors/error.html", code=500, detail=None), 500

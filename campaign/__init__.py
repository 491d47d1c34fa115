"""Campagnekit: election-campaign toolkit for culture education.

``create_app(config=None)`` is the application factory; ``gunicorn "campaign:create_app()"`` serves it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException

from campaign.config import PROJECT_ROOT, base_settings, load_secret_key
from flask_babel import lazy_gettext as _l

__version__ = "0.1.0"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: WAL for concurrent readers, enforced foreign keys, wait rather than fail on a busy lock."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _asset_version() -> str:
    """A short hash of our templates and static files: busts caches when a deploy changes them."""
    digest = hashlib.sha1(__version__.encode())
    for folder in ("templates", "static"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    from campaign.core.converters import BoundedIntConverter

    # Before any route is added: every <int:...> refuses numbers beyond a database id (404, not a 500).
    app.url_map.converters["int"] = BoundedIntConverter
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(base_settings(app.instance_path))
    app.config.from_prefixed_env()
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        # Static URLs carry ?v=<asset version>, so browsers may keep them for a year.
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        # Cookies only over HTTPS, except when developing with the debugger or when set explicitly.
        if key not in (config or {}) and f"FLASK_{key}" not in os.environ:
            app.config[key] = not app.debug
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind a load balancer: take scheme and host (for share links) from its X-Forwarded-* headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.config["ASSET_VERSION"] = _asset_version()
    app.json.sort_keys = False  # keep documented key order in API responses

    from campaign.core.i18n import LANGUAGE_NAMES, current_language, format_score, select_locale
    from campaign.core.security import add_security_headers, reject_nul_bytes
    from campaign.extensions import babel, csrf, db, limiter, login, migrate

    from flask import g

    @app.before_request
    def _fresh_request_globals():
        # Extensions cache per-request state on `g` (Flask-Babel the locale, Flask-Login the user,
        # Flask-WTF the CSRF token). `g` lives as long as the app context, and tests run many requests
        # inside one; start each request with an empty `g`, as it is in production. Registered first.
        for name in list(g):
            g.pop(name)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login.init_app(app)
    login.login_message = _l("Please sign in to see this page.")
    limiter.init_app(app)
    app.before_request(reject_nul_bytes)  # after the rate limit and CSRF checks, before any view

    from campaign.core import auth_views
    from campaign.core import mail as _mail  # noqa: F401  (registers the send-after-commit hooks)
    from campaign.core import models as _core_models  # noqa: F401
    from campaign.core import views as core_views
    from campaign.cultuurwijzer import api as cw_api
    from campaign.coordinators import models as _co_models  # noqa: F401
    from campaign.debates import models as _debate_models  # noqa: F401
    from campaign.lobby import models as _lobby_models  # noqa: F401
    from campaign.cultuurwijzer import models as _cw_models  # noqa: F401
    from campaign.cultuurwijzer import open_data, party_views
    from campaign.cultuurwijzer import views as cw_views
    from campaign.cultuurwijzer.backoffice import bp as cw_admin_bp

    app.register_blueprint(core_views.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(cw_views.bp)
    app.register_blueprint(cw_api.bp)
    app.register_blueprint(cw_admin_bp)
    app.register_blueprint(party_views.bp)
    app.register_blueprint(open_data.bp)
    from campaign.coordinators.blueprints import register as register_coordinators

    register_coordinators(app)
    from campaign.debates.blueprints import register as register_debates

    register_debates(app)
    from campaign.lobby.blueprints import register as register_lobby

    register_lobby(app)
    csrf.exempt(cw_api.bp)  # JSON-only, cookie-less public API

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, core_views.handle_csrf_error)
    app.register_error_handler(HTTPException, core_views.handle_http_error)
    app.register_error_handler(Exception, core_views.handle_unexpected_error)
    app.after_request(add_security_headers)

    from campaign.cultuurwijzer.labels import answer_labels

    app.jinja_env.globals["answer_labels"] = answer_labels
    app.jinja_env.add_extension("jinja2.ext.do")
    from campaign.cultuurwijzer.models import EDITION_STATUSES, POSITION_NAMES

    app.jinja_env.filters["position_name"] = lambda value: None if value is None else POSITION_NAMES[value]
    from flask_babel import format_date, format_datetime

    from campaign.core.labels import action_labels, role_labels

    from campaign.cultuurwijzer.editorial import status_label, submission_label

    app.jinja_env.globals.update(format_datetime=format_datetime, format_date=format_date, role_labels=role_labels,
                                 action_labels=action_labels,
                                 edition_status_label=status_label, submission_label=submission_label,
                                 edition_statuses=EDITION_STATUSES)

    @app.context_processor
    def template_helpers():
        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "language_names": LANGUAGE_NAMES,
            "asset_version": app.config["ASSET_VERSION"],
            "format_score": format_score,
        }

    from campaign.cli import register_commands

    register_commands(app)
    return app

"""Settings, read from the environment.

Every Flask setting can also be given as ``FLASK_<KEY>`` (``app.config.from_prefixed_env()``);
the few below have their own, shorter names because operators set them most.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(instance_path, "campaign.sqlite3")


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when two workers start at once, one writes and the other reads.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def base_settings(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or default_database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "campaign" / "translations"),
        "LANGUAGES": ["nl", "en"],
        "LANGUAGE_COOKIE": "lang",
        "LANGUAGE_COOKIE_MAX_AGE": 365 * 24 * 3600,
        # Where npm installed the browser assets we serve (htmx); never committed.
        "VENDOR_DIR": os.environ.get("VENDOR_DIR") or str(PROJECT_ROOT / "node_modules"),
        # Cache lifetime of the (anonymous, identical-for-everybody) statement pages.
        "PUBLIC_CACHE_SECONDS": int(os.environ.get("PUBLIC_CACHE_SECONDS", "300")),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust (0: none).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        # SESSION_COOKIE_SECURE / REMEMBER_COOKIE_SECURE: on unless the app runs in debug mode (create_app).
        # Mail: "file" (one .eml per message in MAIL_FILE_DIR), "console" or "smtp"; see campaign/core/mail.py.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "file"),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR") or os.path.join(instance_path, "mail"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Cultuurwijzer <noreply@localhost>"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL", "") == "1",
        # Rate limits (Flask-Limiter): memory by default; redis://host:6379 when several servers share them.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        # Password-reset and account-invitation links: signed, single use, valid this many seconds.
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", str(24 * 3600))),
        # A party's personal link stays valid this many days after the edition's deadline.
        "PARTY_LINK_GRACE_DAYS": int(os.environ.get("PARTY_LINK_GRACE_DAYS", "14")),
        # Simulated citizens in the quality check before publishing.
        "QUALITY_SIMULATIONS": int(os.environ.get("QUALITY_SIMULATIONS", "1000000")),
        "OPEN_DATA_LICENCE": os.environ.get("OPEN_DATA_LICENCE", "CC BY 4.0"),
        "OPEN_DATA_LICENCE_URL": os.environ.get("OPEN_DATA_LICENCE_URL",
                                                "https://creativecommons.org/licenses/by/4.0/"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Coordinators (campaign/coordinators/): the consent text's version, stored with each application;
        # raise it whenever the privacy statement on the application form changes.
        "COORDINATOR_CONSENT_VERSION": os.environ.get("COORDINATOR_CONSENT_VERSION", "2026-1"),
        # Rejected and withdrawn applications are removed this many days after that decision (`campaign purge`).
        "APPLICATION_RETENTION_DAYS": int(os.environ.get("APPLICATION_RETENTION_DAYS", "180")),
        # Answered questions from the inbox are removed this many days after the answer.
        "QUESTION_RETENTION_DAYS": int(os.environ.get("QUESTION_RETENTION_DAYS", "365")),
        # An email-verification link works this many hours; unverified applications are purged after that.
        "VERIFICATION_MAX_AGE_HOURS": int(os.environ.get("VERIFICATION_MAX_AGE_HOURS", "72")),
        # Public forms (applications, questions) per client.
        "PUBLIC_FORM_RATE_LIMIT": os.environ.get("PUBLIC_FORM_RATE_LIMIT", "5 per minute;20 per hour"),
        # `campaign send-reminders` mails people enrolled in sessions that start within this many hours.
        "REMINDER_HOURS_BEFORE": int(os.environ.get("REMINDER_HOURS_BEFORE", "48")),
        # Debates (campaign/debates/). A venue needs this many minutes between two bookings (changeover); closer
        # than that is a warning, an overlap is refused.
        "VENUE_BUFFER_MINUTES": int(os.environ.get("VENUE_BUFFER_MINUTES", "30")),
        # A speaker, party or coordinator needs this many minutes to get from one debate to the next.
        "TRAVEL_BUFFER_MINUTES": int(os.environ.get("TRAVEL_BUFFER_MINUTES", "60")),
        # Registrants' names and addresses are removed this many days after the debate (`campaign purge`).
        "DEBATE_REGISTRATION_RETENTION_DAYS": int(os.environ.get("DEBATE_REGISTRATION_RETENTION_DAYS", "30")),
        # Public registrations per client (form and API). RATELIMIT_ENABLED=0 turns every limit off (load tests).
        "DEBATE_REGISTRATION_RATE_LIMIT": os.environ.get("DEBATE_REGISTRATION_RATE_LIMIT",
                                                         "10 per minute;50 per hour"),
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        # Registrants get a reminder this many hours before the debate (`campaign send-reminders`).
        "DEBATE_REMINDER_HOURS_BEFORE": int(os.environ.get("DEBATE_REMINDER_HOURS_BEFORE", "24")),
        # Lobby (campaign/lobby/). The anonymous Cultuurwijzer answer statistics of an edition stay hidden (page
        # and CSV) until at least this many citizens shared their answers.
        "ANSWER_STATS_MIN_RESPONSES": int(os.environ.get("ANSWER_STATS_MIN_RESPONSES", "30")),
        # How often one client may share answers; the limiter keeps its counter in memory, nothing is stored.
        "ANSWER_STATS_RATE_LIMIT": os.environ.get("ANSWER_STATS_RATE_LIMIT", "5 per hour"),
    }

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
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }

"""Language choice: a remembered cookie first, then Accept-Language, then Dutch."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from flask_babel import format_decimal, get_locale, to_user_timezone, to_utc


# Each language by its own name (so not translated): the language menu and "the language they use".
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def select_locale() -> str:
    if not has_request_context():  # CLI, tests, mail queues: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_score(value: float) -> str:
    """A percentage with one decimal in the reader's locale: 72,5 in Dutch, 72.5 in English."""
    return format_decimal(round(float(value), 1), format="0.0")


def to_local_input(value):
    """A stored naive-UTC moment as the naive local (Dutch) time a datetime-local input shows; None stays None."""
    return to_user_timezone(value).replace(tzinfo=None) if value else None


def from_local_input(value):
    """A datetime-local input's naive local (Dutch) time as the naive-UTC moment that is stored; None stays None."""
    return to_utc(value) if value else None


def local_today() -> dt.date:
    """Today's date in the Netherlands (the app's time zone), which is what "today" means to every user."""
    return dt.datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))).date()

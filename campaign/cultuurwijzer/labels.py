"""Translated names of answers and positions, built once per page (pages repeat them hundreds of times)."""

from __future__ import annotations

from flask_babel import gettext as _


def answer_labels() -> dict[str | None, str]:
    return {
        "agree": _("Agree"),
        "neutral": _("Neither"),
        "disagree": _("Disagree"),
        "skip": _("Skipped"),
        None: _("No position"),
    }

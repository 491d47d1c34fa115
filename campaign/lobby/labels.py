"""Translated names of the lobby's fixed values (lazy: rendered in the reader's language), and the names the
team gives its own statuses and figures, in the reader's language where the team gave one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.core.i18n import current_language

scope_labels = {"national": _l("national"), "municipal": _l("municipal")}
priority_labels = {1: _l("high"), 2: _l("normal"), 3: _l("low")}
level_labels = {"national": _l("national party"), "local": _l("local party")}
input_kind_labels = {
    "letter": _l("letter"),
    "meeting": _l("meeting"),
    "manifesto": _l("manifesto contribution"),
    "debate_contribution": _l("debate contribution"),
    "other": _l("other"),
}
stance_labels = {
    "supportive": _l("supportive"),
    "neutral": _l("neutral"),
    "opposed": _l("opposed"),
    "unknown": _l("unknown"),
}
# The answer on a linked statement that supports our ask.
supports_labels = {"agree": _l("agreeing supports our ask"), "disagree": _l("disagreeing supports our ask")}


def own_name(row) -> str:
    """A status's or figure kind's name as the team entered it: the English one for English readers when given."""
    if current_language() == "en" and getattr(row, "name_en", ""):
        return row.name_en
    return row.name


def template_globals() -> dict:
    return {
        "lobby_scope_labels": scope_labels,
        "lobby_priority_labels": priority_labels,
        "lobby_level_labels": level_labels,
        "lobby_input_kind_labels": input_kind_labels,
        "lobby_stance_labels": stance_labels,
        "lobby_supports_labels": supports_labels,
        "lobby_name": own_name,
    }

"""Translated names of answers and positions, built once per page (pages repeat them hundreds of times),
and of the Cultuurwijzer's audit-log actions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l

from campaign.core.labels import action_labels


def answer_labels() -> dict[str | None, str]:
    return {
        "agree": _("Agree"),
        "neutral": _("Neither"),
        "disagree": _("Disagree"),
        "skip": _("Skipped"),
        None: _("No position"),
    }


def positions_changed(count: int) -> str:
    return ngettext("%(num)d position changed", "%(num)d positions changed", count)


action_labels.update({
    "edition.create": _l("Edition created"),
    "edition.settings": _l("Settings changed"),
    "edition.open": _l("Opened for parties"),
    "edition.review": _l("Review started"),
    "edition.published": _l("Published"),
    "edition.archived": _l("Archived"),
    "edition.import": _l("File imported"),
    "statement.create": _l("Statement added"),
    "statement.update": _l("Statement changed"),
    "statement.delete": _l("Statement removed"),
    "statement.move": _l("Statements reordered"),
    "party.create": _l("Party added"),
    "party.update": _l("Party changed"),
    "party.delete": _l("Party removed"),
    "party.link": _l("Personal link sent"),
    "party.revoke": _l("Personal link revoked"),
    "party.save": _l("Draft saved by the party"),
    "party.submit": _l("Submitted by the party"),
    "party.accept": _l("Positions accepted"),
    "party.return": _l("Sent back to the party"),
})

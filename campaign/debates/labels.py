"""What the debate module's values are called, in the reader's language: kinds of debate, debate statuses and
the parties' answers. One place for the domain, the forms and the templates (``blueprints.register`` makes the
functions template globals)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "lijsttrekkersdebat": _l("Debate of the lead candidates"),
    "mayors_debate": _l("Mayors' debate on arts and culture"),
    "public_debate": _l("Public debate"),
    "other": _l("Other debate"),
}
STATUS_LABELS = {"draft": _l("draft"), "confirmed": _l("confirmed"), "published": _l("published"),
                 "held": _l("held"), "cancelled": _l("cancelled")}
# A party's answer to its invitation, in words (pages never say it by colour alone).
ANSWER_LABELS = {"confirmed": _l("takes part"), "invited": _l("invited, no answer yet"), "declined": _l("declined")}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def answer_label(status: str) -> str:
    return str(ANSWER_LABELS.get(status, status))

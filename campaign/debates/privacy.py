"""Registrants' personal data are kept until the debate ended DEBATE_REGISTRATION_RETENTION_DAYS ago.

``purge_registrations`` (run by ``campaign purge``, daily from cron) then empties the names and email
addresses of every registration of the debate, and the tokens of their personal links; the rows stay, so the
numbers (seats, waitlist, check-ins) stay true. The debate's ``purged_at`` says when. The registration audit
entries hold ids, statuses and counts only, so they need no rewriting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from campaign.core.audit import Actor, record
from campaign.core.labels import action_labels
from campaign.core.models import utcnow
from campaign.debates.models import Debate, Registration
from campaign.extensions import db

action_labels.update({"registration.purge": _l("Registrants' personal data removed after the debate")})

PURGE_ACTOR = Actor.system("campaign purge")


@dataclass
class RegistrationPurge:
    """What the purge emptied (or, for a dry run, would empty): debate ids and a count, never names."""

    now: dt.datetime
    dry_run: bool
    debates: list[int] = field(default_factory=list)
    registrations: int = 0


def purge_registrations(now: dt.datetime | None = None, *, dry_run: bool = False,
                        actor: Actor = PURGE_ACTOR) -> RegistrationPurge:
    """Empty the registrants' names, addresses and link tokens of debates that ended more than the retention
    period ago (in the caller's transaction); with ``dry_run`` only report them. ``now`` is naive UTC."""
    now = now or utcnow()
    ended_before = now - dt.timedelta(days=current_app.config["DEBATE_REGISTRATION_RETENTION_DAYS"])
    ids = list(db.session.scalars(select(Debate.id).where(Debate.ends_at < ended_before, Debate.purged_at.is_(None))
                                  .order_by(Debate.id)))
    registrations = db.session.scalar(select(func.count()).select_from(Registration)
                                      .where(Registration.debate_id.in_(ids))) if ids else 0
    report = RegistrationPurge(now, dry_run, ids, registrations or 0)
    if dry_run or not ids:
        return report
    db.session.execute(update(Registration).where(Registration.debate_id.in_(ids))
                       .values(name="", email="", token_hash=None))
    db.session.execute(update(Debate).where(Debate.id.in_(ids)).values(purged_at=now))
    record(actor, "registration.purge", "privacy", "debate_registrations",
           after={"debates": len(ids), "registrations": report.registrations})
    return report

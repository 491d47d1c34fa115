"""Helpers shared by the debate views: who may see and schedule which debates and venues.

Editors and admins (the campaign team) see everything. A coordinator sees and schedules the debates of their
own municipalities, and the venues there (any municipality's venue may be *used*: a debate is scoped by its
municipality, not by its venue's).
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from campaign.core.models import Municipality, User
from campaign.debates.models import Debate, Venue
from campaign.extensions import db


def my_municipality_ids(user: User) -> list[int] | None:
    """None: every municipality (editors, admins); else the ids of the user's own municipalities."""
    if user.has_role("editor"):
        return None
    return [m.id for m in user.municipalities]


def may_schedule_in(user: User, municipality: Municipality) -> bool:
    mine = my_municipality_ids(user)
    return mine is None or municipality.id in mine


def scope_debates(query: Select, user: User) -> Select:
    mine = my_municipality_ids(user)
    return query if mine is None else query.where(Debate.municipality_id.in_(mine))


def scope_venues(query: Select, user: User) -> Select:
    mine = my_municipality_ids(user)
    return query if mine is None else query.where(Venue.municipality_id.in_(mine))


def _me() -> User:
    return current_user._get_current_object()


def load_debate(debate_id: int) -> Debate:
    """The debate, or 404 when it does not exist or is outside the signed-in user's scope."""
    return db.session.scalar(scope_debates(select(Debate).where(Debate.id == debate_id), _me())) or abort(404)


def load_venue(venue_id: int) -> Venue:
    """The venue, or 404 when it does not exist or is outside the signed-in user's scope."""
    return db.session.scalar(scope_venues(select(Venue).where(Venue.id == venue_id), _me())) or abort(404)


def public_debate(debate_id: int) -> Debate:
    """A debate the public may see (published, held or cancelled after publication), or 404."""
    debate = db.session.get(Debate, debate_id)
    if debate is None or debate.published_at is None:
        abort(404)
    return debate

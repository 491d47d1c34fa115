"""Helpers shared by the debate module: who may see and schedule which debates and venues, and which debates
the public sees.

Editors and admins (the campaign team) see everything. A coordinator sees and schedules the debates of their
own municipalities, and the venues there (any municipality's venue may be *used*: a debate is scoped by its
municipality, not by its venue's).

The public sees a debate once it has been published: while it is published, after it was held, and after a
cancellation (shown as cancelled, so that nobody travels to it). Drafts and confirmed debates never show.
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


def me() -> User:
    """The signed-in user (not the proxy)."""
    return current_user._get_current_object()


def my_municipalities() -> list[Municipality]:
    """The municipalities the signed-in user schedules in (every one for the campaign team), by name."""
    mine = my_municipality_ids(me())
    query = select(Municipality).order_by(Municipality.name)
    if mine is not None:
        query = query.where(Municipality.id.in_(mine))
    return list(db.session.scalars(query))


def load_debate(debate_id: int) -> Debate:
    """The debate, or 404 when it does not exist or is outside the signed-in user's scope."""
    return db.session.scalar(scope_debates(select(Debate).where(Debate.id == debate_id), me())) or abort(404)


def load_venue(venue_id: int) -> Venue:
    """The venue, or 404 when it does not exist or is outside the signed-in user's scope."""
    return db.session.scalar(scope_venues(select(Venue).where(Venue.id == venue_id), me())) or abort(404)


def debate_row(model, row_id: int, debate: Debate):
    """A row that belongs to the debate (an invitation, a registration), or 404: also when it belongs to another
    debate."""
    row = db.session.get(model, row_id)
    if row is None or row.debate_id != debate.id:
        abort(404)
    return row


# --- what the public sees --------------------------------------------------------------------------------------

PUBLIC_STATUSES = ("published", "held", "cancelled")


def public_conditions() -> list:
    """The conditions of a debate the public may see, for a query (``is_public`` for one debate)."""
    return [Debate.status.in_(PUBLIC_STATUSES), Debate.published_at.is_not(None)]


def is_public(debate: Debate | None) -> bool:
    return debate is not None and debate.status in PUBLIC_STATUSES and debate.published_at is not None


def public_debate(debate_id: int) -> Debate:
    """A debate the public may see (published, held or cancelled after publication), or 404."""
    debate = db.session.get(Debate, debate_id)
    if not is_public(debate):
        abort(404)
    return debate


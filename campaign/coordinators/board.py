"""The campaign team's pipeline board: applications by status, filtered by province, status and name.

Queries only, plus the one write the screening work needs besides a move and a notification: internal
notes. Scoping is ``common.scope_applications``: a coordinator sees the applications for their own
municipalities and nothing else, whichever filter they use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from campaign.core.audit import Actor, record
from campaign.core.models import Municipality, User, utcnow
from campaign.coordinators.common import scope_applications
from campaign.coordinators.models import (
    APPLICATION_STATUSES,
    Application,
    Completion,
    TrainingModule,
    application_municipality,
)
from campaign.extensions import db

# The board's columns, in pipeline order. "applied" (email not verified yet) is not in the pipeline: the
# board shows only how many there are, unless the status filter asks for them.
PIPELINE_COLUMNS = tuple(s for s in APPLICATION_STATUSES if s != "applied")
MAX_SEARCH = 100
# Cards per column on the whole board (those waiting longest first); the status filter shows a column whole.
COLUMN_LIMIT = 40


@dataclass
class Board:
    columns: list[tuple[str, list[Application]]] = field(default_factory=list)
    applied_count: int = 0
    # Applications per status matching the filters, also those beyond COLUMN_LIMIT.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.get(status, 0) for status, _ in self.columns)

    @property
    def shown(self) -> int:
        return sum(len(items) for _, items in self.columns)


def provinces(user: User) -> list[str]:
    """The provinces the user may filter by: all for editors, those of their municipalities for coordinators."""
    if user.has_role("editor"):
        return list(db.session.scalars(select(Municipality.province).distinct().order_by(Municipality.province)))
    return sorted({m.province for m in user.municipalities})


def _filtered(query, user: User, *, province: str | None, search: str):
    query = scope_applications(query, user)
    if province:
        in_province = (select(application_municipality.c.application_id)
                       .join(Municipality, Municipality.id == application_municipality.c.municipality_id)
                       .where(Municipality.province == province))
        query = query.where(Application.id.in_(in_province))
    search = (search or "").strip()[:MAX_SEARCH]
    if search:  # % and _ are just characters here
        query = query.where(or_(Application.name.icontains(search, autoescape=True),
                                Application.email.icontains(search, autoescape=True)))
    return query


def board(user: User, *, province: str | None = None, status: str | None = None, search: str = "") -> Board:
    """Three queries whatever the numbers: the counts per status, the cards (with a status filter all of
    that status, otherwise the COLUMN_LIMIT longest waiting per column, by a window function), and the
    cards' municipalities and organisations alongside (selectinload)."""
    def filtered(query):
        return _filtered(query, user, province=province, search=search)

    counts = dict(db.session.execute(filtered(select(Application.status, func.count(Application.id)))
                                     .group_by(Application.status)).all())
    order = (Application.status_changed_at, Application.id)
    if status:
        query = filtered(select(Application)).where(Application.status == status)
    else:
        rank = func.row_number().over(partition_by=Application.status, order_by=order).label("rank")
        ranked = filtered(select(Application.id, rank)).where(Application.status != "applied").subquery()
        query = select(Application).where(Application.id.in_(
            select(ranked.c.id).where(ranked.c.rank <= COLUMN_LIMIT)))
    query = query.options(selectinload(Application.municipalities),
                          selectinload(Application.organisation)).order_by(*order)
    shown = [status] if status else list(PIPELINE_COLUMNS)
    grouped: dict[str, list[Application]] = {s: [] for s in shown}
    for application in db.session.scalars(query):
        grouped[application.status].append(application)
    return Board(columns=list(grouped.items()), applied_count=counts.get("applied", 0), counts=counts)


def days_in_status(application: Application, now: dt.datetime | None = None) -> int:
    return max(0, ((now or utcnow()) - application.status_changed_at).days)


def save_notes(actor: Actor, application: Application, notes: str) -> bool:
    """Replace the internal screening notes; the audit log says that they changed, never what they say."""
    notes = (notes or "").strip()
    if notes == (application.notes or ""):
        return False
    before = len(application.notes or "")
    application.notes = notes
    record(actor, "application.notes", "application", application.id,
           before={"characters": before}, after={"characters": len(notes)}, only_changes=False)
    return True


def completed_modules(application: Application) -> list[TrainingModule]:
    done = select(Completion.module_id).where(Completion.application_id == application.id)
    return list(db.session.scalars(select(TrainingModule).where(TrainingModule.id.in_(done))
                                   .order_by(TrainingModule.position, TrainingModule.id)))

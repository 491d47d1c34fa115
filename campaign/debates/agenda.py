"""The public agenda: the debates the public may see (``common.public_conditions``), nationally and per
municipality, and what a debate page shows of them (the parties' answers, schema.org Event markup).

Upcoming debates come first, soonest first; then the ones that are over, the latest first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from campaign.core.models import Municipality, utcnow
from campaign.cultuurwijzer.models import Edition
from campaign.debates.common import public_conditions
from campaign.debates.models import Debate, Invitation
from campaign.extensions import db

PER_PAGE = 20
# The order of the parties on a debate page: who takes part, who has not answered, who declined.
ANSWER_ORDER = {"confirmed": 0, "invited": 1, "declined": 2}


@dataclass(frozen=True)
class AgendaFilter:
    """What the visitor narrowed the agenda to; ``date_to`` is inclusive, both are Dutch calendar days."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None
    municipality: Municipality | None = None


@dataclass
class AgendaPage:
    debates: list[Debate]
    total: int
    page: int
    per_page: int
    # Ids of the municipalities on this page that have a published Cultuurwijzer.
    cultuurwijzer: set[int] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a Dutch calendar day, as stored (naive UTC)."""
    return to_utc(dt.datetime.combine(day, dt.time.min))


def _filtered(filters: AgendaFilter):
    query = select(Debate).where(*public_conditions())
    if filters.date_from:
        query = query.where(Debate.starts_at >= day_start(filters.date_from))
    if filters.date_to:
        query = query.where(Debate.starts_at < day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.kind:
        query = query.where(Debate.kind == filters.kind)
    if filters.municipality is not None:
        query = query.where(Debate.municipality_id == filters.municipality.id)
    return query


def agenda(filters: AgendaFilter, *, page: int = 1, per_page: int = PER_PAGE,
           now: dt.datetime | None = None) -> AgendaPage:
    """One page of the agenda: upcoming debates first (soonest first), then past ones (latest first), with
    their venue and municipality loaded in the same query."""
    now = now or utcnow()
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    over = Debate.ends_at <= now
    rows = db.session.scalars(
        query.options(joinedload(Debate.venue), joinedload(Debate.municipality))
        .order_by(case((over, 1), else_=0), case((over, None), else_=Debate.starts_at).asc(),
                  Debate.starts_at.desc(), Debate.id)
        .offset((page - 1) * per_page).limit(per_page))
    debates = list(rows)
    return AgendaPage(debates, total, page, per_page,
                      with_cultuurwijzer({d.municipality_id for d in debates}))


def municipality_debates(municipality: Municipality) -> list[Debate]:
    """Every debate of the municipality the public may see, in time order (the calendar feed)."""
    return list(db.session.scalars(
        select(Debate).where(*public_conditions(), Debate.municipality_id == municipality.id)
        .options(joinedload(Debate.venue)).order_by(Debate.starts_at, Debate.id)))


def municipalities_with_debates() -> list[Municipality]:
    """The municipalities that have a debate in the agenda, by name (the filter's choices)."""
    return list(db.session.scalars(
        select(Municipality).where(Municipality.id.in_(
            select(Debate.municipality_id).where(*public_conditions()))).order_by(Municipality.name)))


def with_cultuurwijzer(municipality_ids) -> set[int]:
    """Which of these municipalities have a published Cultuurwijzer edition (one query)."""
    ids = set(municipality_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Edition.municipality_id).distinct()
                                  .where(Edition.municipality_id.in_(ids), Edition.status == "published")))


def public_invitations(debate: Debate) -> list[Invitation]:
    """The invited parties as the public sees them: who takes part first, then who has not answered, then who
    declined; alphabetically within each."""
    return sorted(debate.invitations, key=lambda i: (ANSWER_ORDER.get(i.status, 3), i.party_name.casefold()))


# --- schema.org ----------------------------------------------------------------------------------------------

def local_iso(value: dt.datetime) -> str:
    """A stored moment as ISO 8601 in Dutch time with its offset, e.g. 2026-12-01T20:00:00+01:00."""
    return to_user_timezone(value).isoformat()


def event_status(debate: Debate) -> str:
    if debate.status == "cancelled":
        return "https://schema.org/EventCancelled"
    if debate.sequence:
        return "https://schema.org/EventRescheduled"
    return "https://schema.org/EventScheduled"


def event_json_ld(debate: Debate, *, url: str, registration_url: str, organizer_url: str) -> dict:
    """The debate as a schema.org Event (JSON-LD), for search engines and calendar tools. The organiser is the
    organisation that opens its venue, else the campaign (``organizer_url``: the agenda)."""
    venue = debate.venue
    organizer = venue.organisation.name if venue.organisation else str(_l("Campaign kit for culture education"))
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": debate.title,
        "url": url,
        "startDate": local_iso(debate.starts_at),
        "endDate": local_iso(debate.ends_at),
        "eventStatus": event_status(debate),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.street,
                "postalCode": venue.postcode,
                "addressLocality": venue.city,
                "addressRegion": debate.municipality.province,
                "addressCountry": "NL",
            },
        },
        "organizer": {"@type": "Organization", "name": organizer, "url": organizer_url},
        "isAccessibleForFree": True,
    }
    if debate.description.strip():
        data["description"] = debate.description.strip()
    if debate.doors_open_at:
        data["doorTime"] = local_iso(debate.doors_open_at)
    performers = [{"@type": "Person", "name": i.speaker_name,
                   "affiliation": {"@type": "Organization", "name": i.party_name}}
                  for i in public_invitations(debate) if i.status == "confirmed" and i.speaker_name]
    if performers:
        data["performer"] = performers
    if debate.status != "cancelled":
        data["offers"] = {"@type": "Offer", "url": registration_url, "price": 0, "priceCurrency": "EUR"}
        if debate.published_at:
            data["offers"]["validFrom"] = local_iso(debate.published_at)
    return data

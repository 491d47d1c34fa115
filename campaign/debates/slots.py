"""Free venue slots for a debate, best first.

For a municipality, a duration, the invited parties and a date range: every active venue of the municipality,
candidate starts on a half-hour grid inside each of the venue's availability windows (a venue without windows:
evenings, 19:00-23:00 Dutch time), in the future. A candidate with a blocking conflict (the venue booked, after
election day, ...) is left out; the rest are ranked by

1. the number of warnings (none is best; notices do not count),
2. how well the venue fits the expected audience: a venue that holds everyone beats one that does not, and
   among those the smallest (a hall for 80 people suits 60 better than one for 800),
3. the earliest start.

Only the best start per venue and day is kept, so that ten suggestions are ten different choices rather than
one evening in half-hour steps. One ``ConflictChecker`` serves the whole range: two or three queries, however
many candidates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.core.errors import Problem, ValidationFailed
from campaign.core.models import Election, Municipality, utcnow
from campaign.debates.conflicts import (
    Candidate,
    Conflict,
    ConflictChecker,
    from_local,
    local_zone,
    window_span,
    window_valid,
)
from campaign.debates.models import Venue
from campaign.debates.scheduling import upcoming_election
from campaign.extensions import db

GRID = dt.timedelta(minutes=30)
EVENING = (dt.time(19, 0), dt.time(23, 0))  # for a venue without windows, Dutch time
MIN_DURATION, MAX_DURATION = 30, 12 * 60  # minutes
MAX_DAYS = 92  # the longest date range searched at once


@dataclass(frozen=True)
class Suggestion:
    venue: Venue
    starts_at: dt.datetime  # naive UTC
    ends_at: dt.datetime
    conflicts: list[Conflict]  # warnings and notices (never a blocking one)

    @property
    def warnings(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.level == "warning"]


def _check(duration: int, date_from: dt.date, date_to: dt.date, expected_audience: int | None) -> None:
    problems = []
    if not MIN_DURATION <= duration <= MAX_DURATION:
        problems.append(Problem(str(_l("Duration")), str(_l("Between %(low)d and %(high)d minutes.",
                                                            low=MIN_DURATION, high=MAX_DURATION)), "duration"))
    if date_to < date_from:
        problems.append(Problem(str(_l("To")), str(_l("The last day comes on or after the first.")), "date_to"))
    elif (date_to - date_from).days >= MAX_DAYS:
        problems.append(Problem(str(_l("To")), str(_l("Search at most %(n)d days at once.", n=MAX_DAYS)), "date_to"))
    if expected_audience is not None and expected_audience < 0:
        problems.append(Problem(str(_l("Expected audience")), str(_l("0 or more, or leave it empty.")),
                                "expected_audience"))
    if problems:
        raise ValidationFailed(problems)


def _days(date_from: dt.date, date_to: dt.date):
    day = date_from
    while day <= date_to:
        yield day
        day += dt.timedelta(days=1)


def _grid_starts(opens: dt.datetime, closes: dt.datetime, duration: dt.timedelta):
    """Local starts on the half-hour grid from ``opens`` such that the debate ends by ``closes``."""
    start = opens.replace(minute=0, second=0, microsecond=0)
    while start < opens:
        start += GRID
    while start + duration <= closes:
        yield start
        start += GRID


def candidate_starts(venue: Venue, day: dt.date, duration: dt.timedelta):
    """The venue's candidate starts on one day, local time (a window that runs past midnight belongs to the day
    it opens)."""
    spans = [window_span(w, day) for w in venue.windows if window_valid(w, day)] if venue.windows else [
        (dt.datetime.combine(day, EVENING[0]), dt.datetime.combine(day, EVENING[1]))]
    seen = set()
    for opens, closes in sorted(spans):
        for start in _grid_starts(opens, closes, duration):
            if start not in seen:
                seen.add(start)
                yield start


def _fit(capacity: int, expected: int | None) -> tuple[int, int]:
    if expected is None:
        return (0, 0)
    if capacity >= expected:
        return (0, capacity - expected)
    return (1, expected - capacity)


def suggest(municipality: Municipality, duration: int, parties, date_from: dt.date, date_to: dt.date, *,
            expected_audience: int | None = None, limit: int = 10, election: Election | None = None,
            now: dt.datetime | None = None) -> list[Suggestion]:
    """Free slots of ``duration`` minutes in the municipality's active venues between two days (inclusive, Dutch
    dates), best first; ``parties``: the names of the parties to invite (their other debates in the municipality
    count as conflicts)."""
    _check(duration, date_from, date_to, expected_audience)
    election = election or upcoming_election()
    now = now or utcnow()
    length = dt.timedelta(minutes=duration)
    venues = list(db.session.scalars(select(Venue).where(Venue.municipality_id == municipality.id,
                                                         Venue.status == "active")
                                     .options(selectinload(Venue.windows), selectinload(Venue.closures))
                                     .order_by(Venue.capacity, Venue.name, Venue.id)))
    if not venues:
        return []
    zone = local_zone()
    # From the first day's midnight to the end of the day after the last (a window may run past midnight).
    checker = ConflictChecker(from_local(dt.datetime.combine(date_from, dt.time()), zone),
                              from_local(dt.datetime.combine(date_to + dt.timedelta(days=2), dt.time()), zone),
                              venues=venues)
    invited = tuple((name.strip(), "") for name in parties if name and name.strip())
    best: dict[tuple[int, dt.date], tuple[tuple, Suggestion]] = {}
    for venue in venues:
        for day in _days(date_from, date_to):
            for local_start in candidate_starts(venue, day, length):
                starts_at = from_local(local_start, zone)
                if starts_at < now:
                    continue
                candidate = Candidate(venue_id=venue.id, starts_at=starts_at, ends_at=starts_at + length,
                                      municipality_id=municipality.id, expected_audience=expected_audience,
                                      election_date=election.date if election else None, invited=invited)
                found = checker.check(candidate)
                if any(c.blocking for c in found):
                    continue
                suggestion = Suggestion(venue, candidate.starts_at, candidate.ends_at, found)
                rank = (len(suggestion.warnings), _fit(venue.capacity, expected_audience), starts_at, venue.id)
                key = (venue.id, day)
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, suggestion)
    return [suggestion for _rank, suggestion in sorted(best.values(), key=lambda item: item[0])][:limit]

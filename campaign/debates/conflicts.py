"""What clashes with what: conflicts of a debate (saved or not yet saved) with the venue and with other debates.

Every interval is half-open, ``[start, end)``: a debate that ends at 21:00 and one that starts at 21:00 in the
same hall do not overlap. The venue is occupied from the doors opening (or the start) until the end; people
(speakers, parties, the coordinator) are taken from the start until the end.

The checks and their levels (``blocking`` stops confirming and publishing; ``warning`` and ``notice`` are shown,
never enforced):

- the venue booked by another debate that is confirmed, published or held: blocking; planned by another draft:
  warning; within VENUE_BUFFER_MINUTES of another booking (no time to change the hall over): warning (notice
  when the other debate is a draft);
- outside every availability window of a venue that has windows (local time: weekday, opens, closes, where
  closes 00:00 means midnight, optionally between two dates): warning; on a closure day: warning;
- the same speaker (names compared without regard to case and spacing) or the same party (by name, in the same
  municipality: elsewhere the name belongs to another local party) in another debate less than
  TRAVEL_BUFFER_MINUTES apart: warning, notice when the other debate is a draft; the coordinator likewise
  (warning);
- a venue smaller than the expected audience: warning; more seats for registration than the venue holds:
  blocking (and refused when saving);
- a start after election day: blocking; on election day itself: notice.

Cancelled debates never conflict, neither as the debate checked nor as the other one.

``ConflictChecker`` loads everything it needs for a time window once (venues with their windows and closures, the
debates around that window with their invitations), so that ``slots.suggest`` checks hundreds of candidate slots
without a query each; ``conflicts_for`` checks one debate.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign.coordinators.training import when_text
from campaign.core.models import Election
from campaign.debates.models import Debate, Venue
from campaign.extensions import db

LEVELS = ("blocking", "warning", "notice")
LEVEL_LABELS = {"blocking": _l("Blocks publishing"), "warning": _l("Warning"), "notice": _l("Note")}


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


class Message:
    """A translated message, put into words when it is shown (in the reader's language and time zone).

    Unlike Flask-Babel's lazy strings it has no ``__html__``: the names of debates, venues and speakers in it
    are escaped like any other text when a template shows it."""

    def __init__(self, text) -> None:
        self.text = text

    def __str__(self) -> str:
        return str(self.text)

    def __repr__(self) -> str:
        return f"Message({str(self)!r})"


@dataclass(frozen=True)
class Conflict:
    level: str  # "blocking" | "warning" | "notice"
    code: str
    message: Message
    other_debate_id: int | None = None

    @property
    def blocking(self) -> bool:
        return self.level == "blocking"

    @property
    def level_label(self) -> str:
        return level_label(self.level)


def _when(start: dt.datetime, end: dt.datetime) -> LazyString:
    return LazyString(when_text, start, end)


def _key(name: str) -> str:
    """Names as people type them: "Jan  de Vries" and "jan de vries" are the same person."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Candidate:
    """A debate as the checks see it: saved (``debate_id``) or not yet. ``invited``: (party, speaker) name pairs
    of the invitations that were not declined (the speaker "" when the party has not named one)."""

    venue_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    doors_open_at: dt.datetime | None = None
    debate_id: int | None = None
    status: str = "draft"
    municipality_id: int | None = None
    coordinator_id: int | None = None
    expected_audience: int | None = None
    capacity: int | None = None
    election_date: dt.date | None = None
    invited: tuple[tuple[str, str], ...] = ()

    @property
    def occupied_from(self) -> dt.datetime:
        return self.doors_open_at or self.starts_at

    @classmethod
    def of(cls, debate: Debate, **changes) -> "Candidate":
        """The debate as it is, with ``changes`` (e.g. another status) applied."""
        # The ids win over the related objects, which may be stale after an id was changed (a debate not yet
        # saved may have only the objects).
        venue_id = debate.venue_id if debate.venue_id is not None else debate.venue.id
        municipality_id = debate.municipality_id if debate.municipality_id is not None else \
            (debate.municipality.id if debate.municipality is not None else None)
        election = db.session.get(Election, debate.election_id) if debate.election_id is not None else debate.election
        values = dict(venue_id=venue_id, starts_at=debate.starts_at, ends_at=debate.ends_at,
                      doors_open_at=debate.doors_open_at, debate_id=debate.id, status=debate.status,
                      municipality_id=municipality_id, coordinator_id=debate.coordinator_id,
                      expected_audience=debate.expected_audience, capacity=debate.capacity,
                      election_date=election.date if election is not None else None,
                      invited=invited_of(debate))
        values.update(changes)
        return cls(**values)


def invited_of(debate: Debate) -> tuple[tuple[str, str], ...]:
    return tuple((i.party_name, i.speaker_name) for i in debate.invitations if i.status != "declined")


# ``local`` and ``from_local`` do what ``core.i18n.to_local_input`` and ``from_local_input`` do (the same results,
# but for the doubled hour when summer time ends), with a zoneinfo zone looked up once per checker instead of
# Flask-Babel's pytz one, which takes 5 to 9 times as long per conversion: a month of slot suggestions converts
# some 11,000 times and took a quarter longer with the core helpers (bench/debates.py's month: 0.32 s -> 0.41 s).

def local_zone() -> ZoneInfo:
    """The time zone of venue windows, closures and election day: the app's (Dutch) time."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Amsterdam")


def local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A stored naive-UTC moment as naive local time."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(tzinfo=None)


def from_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Naive local time as the naive-UTC moment that is stored."""
    return moment.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(tzinfo=None)


def window_span(window, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The window's opening on ``day`` as local times; a closing time at or before the opening (00:00: midnight)
    is on the next day."""
    opens = dt.datetime.combine(day, window.opens)
    closes = dt.datetime.combine(day, window.closes)
    if closes <= opens:
        closes += dt.timedelta(days=1)
    return opens, closes


def window_valid(window, day: dt.date) -> bool:
    return (window.weekday == day.weekday() and (window.valid_from is None or window.valid_from <= day)
            and (window.valid_until is None or day <= window.valid_until))


def _gap(start_a, end_a, start_b, end_b) -> dt.timedelta:
    """Time between two half-open intervals; zero when they touch, negative when they overlap."""
    return max(start_a, start_b) - min(end_a, end_b)


@dataclass
class _Taken:
    """One other debate as the checks need it."""

    debate: Debate
    occupied_from: dt.datetime
    draft: bool = field(init=False)

    def __post_init__(self) -> None:
        self.draft = self.debate.status == "draft"


class _Timeline:
    """Entries about other debates (a ``_Taken``, or a tuple starting with one), sorted by when their venue is
    occupied, so that a candidate looks only at those that can come near it, not at every debate of a venue,
    person or party in the whole range (a month of slot suggestions checks thousands of candidates)."""

    def __init__(self, entries: list, span: dt.timedelta) -> None:
        self.entries = sorted(entries, key=self._start)
        self.starts = [self._start(entry) for entry in self.entries]
        self.span = span  # the longest debate loaded: how far back an overlapping one can start

    @staticmethod
    def _start(entry) -> dt.datetime:
        return (entry[0] if isinstance(entry, tuple) else entry).occupied_from

    def around(self, start: dt.datetime, end: dt.datetime, pad: dt.timedelta) -> list:
        """The entries that may lie within ``pad`` of ``[start, end)``."""
        return self.entries[bisect_left(self.starts, start - pad - self.span):bisect_left(self.starts, end + pad)]


class ConflictChecker:
    """The bookings around ``[start, end)`` (widened by the buffers), loaded once; ``check`` any number of
    candidates inside that window without further queries (a venue outside ``venue_ids`` is loaded when first
    asked for)."""

    def __init__(self, start: dt.datetime, end: dt.datetime, *, venue_ids: Iterable[int] = (),
                 venues: Iterable[Venue] = ()) -> None:
        """``venue_ids``: the venues the candidates will be in; ``venues``: ones already loaded (with their windows
        and closures), which are not loaded again."""
        config = current_app.config
        self.venue_buffer = dt.timedelta(minutes=int(config["VENUE_BUFFER_MINUTES"]))
        self.travel_buffer = dt.timedelta(minutes=int(config["TRAVEL_BUFFER_MINUTES"]))
        self.zone = local_zone()
        pad = max(self.venue_buffer, self.travel_buffer)
        self.venues: dict[int, Venue] = {venue.id: venue for venue in venues}
        self._load_venues(set(venue_ids))
        occupied_from = func.coalesce(Debate.doors_open_at, Debate.starts_at)
        debates = db.session.scalars(
            select(Debate).where(Debate.status != "cancelled", Debate.ends_at > start - pad, occupied_from < end + pad)
            .options(selectinload(Debate.invitations), selectinload(Debate.venue), selectinload(Debate.coordinator))
            .order_by(Debate.starts_at, Debate.id))
        by_venue: dict[int, list[_Taken]] = defaultdict(list)
        by_speaker: dict[str, list[tuple[_Taken, str]]] = defaultdict(list)
        by_party: dict[tuple[int, str], list[tuple[_Taken, str, str]]] = defaultdict(list)
        by_coordinator: dict[int, list[_Taken]] = defaultdict(list)
        span = dt.timedelta(0)
        for debate in debates:
            taken = _Taken(debate, debate.occupied_from)
            span = max(span, debate.ends_at - taken.occupied_from)
            by_venue[debate.venue_id].append(taken)
            if debate.coordinator_id is not None:
                by_coordinator[debate.coordinator_id].append(taken)
            for invitation in debate.invitations:
                if invitation.status == "declined":
                    continue
                if invitation.speaker_name.strip():
                    by_speaker[_key(invitation.speaker_name)].append((taken, invitation.speaker_name.strip()))
                if invitation.party_name.strip():
                    by_party[(debate.municipality_id, _key(invitation.party_name))].append(
                        (taken, invitation.party_name.strip(), _key(invitation.speaker_name)))
        self.pad = pad
        self.by_venue, self.by_speaker, self.by_party, self.by_coordinator = (
            {key: _Timeline(entries, span) for key, entries in index.items()}
            for index in (by_venue, by_speaker, by_party, by_coordinator))

    def _load_venues(self, ids: set[int]) -> None:
        missing = ids - set(self.venues)
        if missing:
            for venue in db.session.scalars(select(Venue).where(Venue.id.in_(missing)).options(
                    selectinload(Venue.windows), selectinload(Venue.closures))):
                self.venues[venue.id] = venue

    def _around(self, timelines: dict, key, candidate: Candidate) -> list:
        timeline = timelines.get(key)
        return timeline.around(candidate.occupied_from, candidate.ends_at, self.pad) if timeline else []

    def venue(self, venue_id: int) -> Venue | None:
        self._load_venues({venue_id})
        return self.venues.get(venue_id)

    # --- the checks ----------------------------------------------------------------------------------------

    def check(self, candidate: Candidate) -> list[Conflict]:
        """Every conflict of the candidate, blocking ones first, then by the other debate's time."""
        if candidate.status == "cancelled":
            return []
        venue = self.venue(candidate.venue_id)
        found: list[Conflict] = []
        if venue is not None:
            found += self._venue_bookings(candidate, venue)
            found += self._availability(candidate, venue)
            found += self._capacity(candidate, venue)
        found += self._people(candidate)
        found += self._election(candidate)
        return sorted(found, key=lambda c: LEVELS.index(c.level))

    @staticmethod
    def _other(candidate: Candidate, taken: _Taken) -> bool:
        """Not the candidate itself (a saved debate is among the loaded ones)."""
        return candidate.debate_id is None or taken.debate.id != candidate.debate_id

    def _venue_bookings(self, candidate: Candidate, venue: Venue) -> list[Conflict]:
        found = []
        start, end = candidate.occupied_from, candidate.ends_at
        for taken in self._around(self.by_venue, venue.id, candidate):
            if not self._other(candidate, taken):
                continue
            other = taken.debate
            gap = _gap(start, end, taken.occupied_from, other.ends_at)
            values = dict(venue=venue.name, title=other.title, when=_when(taken.occupied_from, other.ends_at))
            if gap < dt.timedelta(0):
                if taken.draft:
                    found.append(Conflict("warning", "venue_planned", Message(_l(
                        "%(venue)s is also planned for the draft debate “%(title)s” (%(when)s, doors opening "
                        "included); only one of the two can be confirmed.", **values)), other.id))
                else:
                    found.append(Conflict("blocking", "venue_booked", Message(_l(
                        "%(venue)s is already booked for “%(title)s” (%(when)s, doors opening included).",
                        **values)), other.id))
            elif gap < self.venue_buffer:
                found.append(Conflict("notice" if taken.draft else "warning", "venue_changeover", Message(_l(
                    "Less than %(minutes)d minutes between this debate and “%(title)s” in %(venue)s "
                    "(%(when)s): little time to change the hall over.",
                    minutes=int(self.venue_buffer.total_seconds() // 60), **values)), other.id))
        return found

    def _availability(self, candidate: Candidate, venue: Venue) -> list[Conflict]:
        found = []
        start, end = local(candidate.occupied_from, self.zone), local(candidate.ends_at, self.zone)
        if venue.windows and not self.within_windows(venue, start, end):
            found.append(Conflict("warning", "outside_hours", Message(_l(
                "%(venue)s is not available at this time (%(when)s): it is outside the venue's opening hours.",
                venue=venue.name, when=_when(candidate.occupied_from, candidate.ends_at)))))
        last_day = (end - dt.timedelta(microseconds=1)).date()
        for closure in venue.closures:
            if closure.first_day <= last_day and start.date() <= closure.last_day:
                found.append(Conflict("warning", "venue_closed", Message(_l(
                    "%(venue)s is closed from %(first)s to %(last)s%(reason)s.", venue=venue.name,
                    first=LazyString(_date, closure.first_day), last=LazyString(_date, closure.last_day),
                    reason=f" ({closure.reason})" if closure.reason else ""))))
        return found

    @staticmethod
    def within_windows(venue: Venue, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether the local interval ``[start, end)`` lies inside one availability window (a window may run
        past midnight, so the day before counts too)."""
        for day in (start.date(), start.date() - dt.timedelta(days=1)):
            for window in venue.windows:
                if window_valid(window, day):
                    opens, closes = window_span(window, day)
                    if opens <= start and end <= closes:
                        return True
        return False

    def _capacity(self, candidate: Candidate, venue: Venue) -> list[Conflict]:
        found = []
        # (More are expected, or more seats offered, than the venue holds: at least two, so only "holds" counts.)
        if candidate.expected_audience is not None and venue.capacity < candidate.expected_audience:
            found.append(Conflict("warning", "audience_above_capacity", Message(lazy_ngettext(
                "%(venue)s holds %(num)d person; %(expected)d are expected.",
                "%(venue)s holds %(num)d people; %(expected)d are expected.", venue.capacity, venue=venue.name,
                expected=candidate.expected_audience))))
        if candidate.capacity is not None and candidate.capacity > venue.capacity:
            found.append(Conflict("blocking", "seats_above_capacity", Message(lazy_ngettext(
                "%(seats)d seats are offered for registration, but %(venue)s holds %(num)d person.",
                "%(seats)d seats are offered for registration, but %(venue)s holds %(num)d people.", venue.capacity,
                seats=candidate.capacity, venue=venue.name))))
        return found

    def _near(self, candidate: Candidate, taken: _Taken) -> bool:
        return _gap(candidate.starts_at, candidate.ends_at, taken.debate.starts_at,
                    taken.debate.ends_at) < self.travel_buffer

    def _person_values(self, taken: _Taken) -> dict:
        other = taken.debate
        return dict(title=other.title, venue=other.venue.name, when=_when(other.starts_at, other.ends_at),
                    minutes=int(self.travel_buffer.total_seconds() // 60))

    def _people(self, candidate: Candidate) -> list[Conflict]:
        found = []
        speakers = {_key(s): s.strip() for _p, s in candidate.invited if s.strip()}
        for key, name in speakers.items():
            for taken, _name in self._around(self.by_speaker, key, candidate):
                if self._other(candidate, taken) and self._near(candidate, taken):
                    found.append(Conflict("notice" if taken.draft else "warning", "speaker_elsewhere", Message(_l(
                        "%(name)s also speaks at “%(title)s” in %(venue)s (%(when)s): less than %(minutes)d "
                        "minutes between the two debates.", name=name, **self._person_values(taken))), taken.debate.id))
        if candidate.municipality_id is not None:
            for party, speaker in candidate.invited:
                if party.strip():
                    found += self._party(candidate, party.strip(), _key(speaker))
        if candidate.coordinator_id is not None:
            for taken in self._around(self.by_coordinator, candidate.coordinator_id, candidate):
                if self._other(candidate, taken) and self._near(candidate, taken):
                    coordinator = taken.debate.coordinator
                    found.append(Conflict("warning", "coordinator_elsewhere", Message(_l(
                        "The coordinator (%(name)s) is also at “%(title)s” in %(venue)s (%(when)s): less than "
                        "%(minutes)d minutes between the two debates.", name=coordinator.name if coordinator else "",
                        **self._person_values(taken))), taken.debate.id))
        return found

    def _party(self, candidate: Candidate, name: str, speaker: str) -> list[Conflict]:
        """The same party in two debates of one municipality close together; not when both invitations name
        their speaker (two different people, or the same one, which is reported as a speaker conflict)."""
        found = []
        for taken, _name, other_speaker in self._around(self.by_party, (candidate.municipality_id, _key(name)),
                                                        candidate):
            if speaker and other_speaker or not self._other(candidate, taken) or not self._near(candidate, taken):
                continue
            found.append(Conflict("notice" if taken.draft else "warning", "party_elsewhere", Message(_l(
                "%(party)s is also invited to “%(title)s” in %(venue)s (%(when)s): less than %(minutes)d minutes "
                "between the two debates, so the party needs two speakers.", party=name,
                **self._person_values(taken))), taken.debate.id))
        return found

    def _election(self, candidate: Candidate) -> list[Conflict]:
        if candidate.election_date is None:
            return []
        day = local(candidate.starts_at, self.zone).date()
        values = dict(date=LazyString(_date, candidate.election_date))
        if day > candidate.election_date:
            return [Conflict("blocking", "after_election", Message(_l(
                "The debate starts after election day (%(date)s).", **values)))]
        if day == candidate.election_date:
            return [Conflict("notice", "election_day", Message(_l(
                "The debate is on election day itself (%(date)s), while the polls are open.", **values)))]
        return []


def _date(day: dt.date) -> str:
    from flask_babel import format_date

    return format_date(day, "long")


def conflicts_for(debate: Debate | Candidate) -> list[Conflict]:
    """The conflicts of one debate, saved or not yet saved (or of a ``Candidate``)."""
    candidate = debate if isinstance(debate, Candidate) else Candidate.of(debate)
    if candidate.status == "cancelled":
        return []
    checker = ConflictChecker(candidate.occupied_from, candidate.ends_at, venue_ids=[candidate.venue_id])
    return checker.check(candidate)


def blocking(conflicts: Iterable[Conflict]) -> list[Conflict]:
    return [c for c in conflicts if c.blocking]

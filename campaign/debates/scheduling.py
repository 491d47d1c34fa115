"""Debates and their status: scheduling, changes, confirmation, publication, cancellation.

The rules:
- A debate is created as a draft. draft -> confirmed -> published -> held; draft, confirmed and published may be
  cancelled (with a reason); a published debate that nobody has registered for yet may be taken off the agenda
  again (published -> confirmed). ``TRANSITIONS`` lists them.
- Confirming and publishing are refused while a blocking conflict exists (``conflicts.py``): the venue booked by
  another debate, more seats than the venue holds, a start after election day. Warnings are shown, never enforced.
- The venue is booked from confirmation on (confirmed, published, held). Two bookings of one venue that overlap
  in time are refused by the database: every function that books a venue, or moves a booked debate to another
  time or place, first locks the venue's row (``lock_row``; on SQLite the database's write lock), then looks for
  an overlapping booking, then writes. On PostgreSQL the exclusion constraint ``ex_debate_venue_booking`` is the
  backstop; its refusal is turned into the same message.
- A new time or place (start, end, doors opening, venue) raises the debate's ``sequence`` (the calendar revision)
  and, while the debate has not ended, is mailed to everyone registered (with a seat or on the waitlist) and to
  every party that confirmed, with the new calendar file for those who hold a seat or speak. A cancellation is
  mailed the same way, with a calendar file that takes the debate off their agenda.
- More seats for registration go to the waitlist first (``registration.fill_free_seats``).

Every change is recorded in the audit log with ids, statuses, times and counts (no title, description or
moderator: they may name people); mail goes out after the commit, in each person's language.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from flask_babel import LazyString, force_locale, format_time
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm import selectinload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems
from campaign.core.i18n import local_today
from campaign.core.labels import action_labels
from campaign.core.locking import lock_row
from campaign.core.mail import Attachment, queue_template
from campaign.core.models import Election, Municipality, User, utcnow
from campaign.core.urls import external_url
from campaign.coordinators.training import when_text
from campaign.debates import conflicts as conflict_checks
from campaign.debates.calendar import debate_calendar, venue_address
from campaign.debates.common import may_schedule_in, my_municipality_ids, scope_debates
from campaign.debates.labels import status_label
from campaign.debates.models import (
    BOOKING_STATUSES,
    DEBATE_KINDS,
    Debate,
    DebateTopic,
    Invitation,
    Registration,
    Venue,
)
from campaign.extensions import db

action_labels.update({
    "debate.create": _l("Debate scheduled"),
    "debate.update": _l("Debate changed"),
    "debate.confirm": _l("Debate confirmed (venue booked)"),
    "debate.publish": _l("Debate published"),
    "debate.unpublish": _l("Debate taken off the public agenda"),
    "debate.held": _l("Debate marked as held"),
    "debate.cancel": _l("Debate cancelled"),
})

TRANSITIONS = {
    "draft": ("confirmed", "cancelled"),
    "confirmed": ("published", "cancelled"),
    "published": ("held", "confirmed", "cancelled"),
    "held": (),
    "cancelled": (),
}
# The constraint of migration 0005 (PostgreSQL) that refuses two overlapping bookings of one venue.
BOOKING_CONSTRAINT = "ex_debate_venue_booking"
# Logged on every change: ids, statuses, times and counts; never a text that may name a person.
AUDIT_FIELDS = ("kind", "election_id", "municipality_id", "venue_id", "starts_at", "ends_at", "doors_open_at",
                "coordinator_id", "expected_audience", "capacity", "max_seats_per_registration", "registration_open",
                "status", "sequence")
# A change of any of these is news for everyone registered or speaking, and for their calendars.
TIME_AND_PLACE = ("starts_at", "ends_at", "doors_open_at", "venue_id")
FIELDS = ("kind", "title", "description", "election_id", "municipality_id", "venue_id", "starts_at", "ends_at",
          "doors_open_at", "moderator", "coordinator_id", "expected_audience", "capacity",
          "max_seats_per_registration", "registration_open", "topics")
MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_MODERATOR = 120
MAX_TOPIC = 200
MAX_TOPICS = 20
MAX_REASON = 2000
MAX_SEATS_PER_REGISTRATION = 20
MAX_AUDIENCE = 100_000
MAX_DURATION = dt.timedelta(hours=12)
MAX_DOORS_BEFORE = dt.timedelta(hours=3)


def debate_when(debate: Debate) -> str:
    """"Tuesday, February 10, 2026, 8:00 PM – 10:00 PM" in the reader's language and Dutch time."""
    return when_text(debate.starts_at, debate.ends_at)


def has_started(debate: Debate, now: dt.datetime | None = None) -> bool:
    return debate.starts_at <= (now or utcnow())


def is_over(debate: Debate, now: dt.datetime | None = None) -> bool:
    return debate.ends_at <= (now or utcnow())


def may_change(debate: Debate) -> bool:
    """Whether the debate may still be edited: every status but cancelled."""
    return debate.status != "cancelled"


def upcoming_election() -> Election | None:
    """The next election (today's included), else the most recent one."""
    today = local_today()
    return (db.session.scalar(select(Election).where(Election.date >= today).order_by(Election.date).limit(1))
            or db.session.scalar(select(Election).order_by(Election.date.desc()).limit(1)))


def _refuse(message, field: str = "", where=_l("Debate")) -> ValidationFailed:
    return ValidationFailed([Problem(str(where), str(message), field)])


def _problem(label, message, field: str) -> Problem:
    return Problem(str(label), str(message), field)


# --- validation ----------------------------------------------------------------------------------------------

def seats_taken(debate: Debate) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(Registration.seats), 0)).where(
        Registration.debate_id == debate.id, Registration.status == "confirmed")) or 0)


def _clean(actor: Actor, values: dict, debate: Debate | None) -> dict:
    """The values, stripped and checked; every problem at once, each naming its field."""
    values = dict(values)
    problems: list[Problem] = []
    for name in ("title", "description", "moderator"):
        values[name] = (values.get(name) or "").strip()
    problems += text_problems(values["title"], _l("Title"), "title", limit=MAX_TITLE,
                              missing=_l("Give the debate a title."))
    problems += text_problems(values["description"], _l("Description"), "description", limit=MAX_DESCRIPTION)
    problems += text_problems(values["moderator"], _l("Moderator"), "moderator", limit=MAX_MODERATOR)
    if values.get("kind") not in DEBATE_KINDS:
        problems.append(_problem(_l("Kind of debate"), _l("Choose the kind of debate."), "kind"))
    if values.get("election_id") is None or db.session.get(Election, values["election_id"]) is None:
        problems.append(_problem(_l("Election"), _l("Choose the election."), "election_id"))
    municipality = db.session.get(Municipality, values["municipality_id"]) \
        if values.get("municipality_id") is not None else None
    if municipality is None:
        problems.append(_problem(_l("Municipality"), _l("Choose a municipality."), "municipality_id"))
    elif actor.user is not None and not may_schedule_in(actor.user, municipality):
        problems.append(_problem(_l("Municipality"), _l(
            "You can schedule debates only in your own municipalities."), "municipality_id"))
    venue = db.session.get(Venue, values["venue_id"]) if values.get("venue_id") is not None else None
    if venue is None:
        problems.append(_problem(_l("Venue"), _l("Choose a venue."), "venue_id"))
    elif venue.status != "active" and (debate is None or debate.venue_id != venue.id):
        problems.append(_problem(_l("Venue"), _l(
            "%(venue)s is not available for debates (it has not been accepted, or it was withdrawn).",
            venue=venue.name), "venue_id"))
    problems += _time_problems(values)
    problems += _number_problems(values, venue, debate)
    problems += _coordinator_problems(values, municipality)
    topics = [" ".join(str(t).split()) for t in values.get("topics") or ()]
    values["topics"] = [t for t in topics if t]
    if len(values["topics"]) > MAX_TOPICS:
        problems.append(_problem(_l("Agenda topics"), _l("At most %(n)d topics.", n=MAX_TOPICS), "topics"))
    for number, topic in enumerate(values["topics"], start=1):
        if len(topic) > MAX_TOPIC:
            problems.append(_problem(_l("Agenda topics"), _l("Topic %(number)d: at most %(n)d characters.",
                                                             number=number, n=MAX_TOPIC), "topics"))
    if problems:
        raise ValidationFailed(problems)
    values["registration_open"] = bool(values.get("registration_open"))
    return values


def _time_problems(values: dict) -> list[Problem]:
    problems = []
    starts_at, ends_at, doors = values.get("starts_at"), values.get("ends_at"), values.get("doors_open_at")
    if starts_at is None:
        problems.append(_problem(_l("Starts"), _l("Give the date and time the debate starts."), "starts_at"))
    if ends_at is None:
        problems.append(_problem(_l("Ends"), _l("Give the date and time the debate ends."), "ends_at"))
    elif starts_at is not None and ends_at <= starts_at:
        problems.append(_problem(_l("Ends"), _l("The debate must end after it starts."), "ends_at"))
    elif starts_at is not None and ends_at - starts_at > MAX_DURATION:
        problems.append(_problem(_l("Ends"), _l("A debate lasts at most %(n)d hours; check the end date.",
                                                n=int(MAX_DURATION.total_seconds() // 3600)), "ends_at"))
    if doors is not None and starts_at is not None:
        if doors > starts_at:
            problems.append(_problem(_l("Doors open"), _l("The doors open at or before the start."),
                                     "doors_open_at"))
        elif starts_at - doors > MAX_DOORS_BEFORE:
            problems.append(_problem(_l("Doors open"), _l("The doors open at most %(n)d hours before the start.",
                                                          n=int(MAX_DOORS_BEFORE.total_seconds() // 3600)),
                                     "doors_open_at"))
    return problems


def _number_problems(values: dict, venue: Venue | None, debate: Debate | None) -> list[Problem]:
    problems = []
    if values.get("capacity") is None and venue is not None:
        values["capacity"] = venue.capacity
    capacity = values.get("capacity")
    if capacity is None and venue is None:
        pass  # the venue is missing (said above); its capacity is the default
    elif capacity is None or capacity < 0:
        problems.append(_problem(_l("Seats for registration"), _l("Give the number of seats (0 or more)."),
                                 "capacity"))
    elif venue is not None and capacity > venue.capacity:
        problems.append(_problem(_l("Seats for registration"), lazy_ngettext(
            "At most %(num)d: %(venue)s holds %(num)d person.", "At most %(num)d: %(venue)s holds %(num)d people.",
            venue.capacity, venue=venue.name), "capacity"))
    elif debate is not None and debate.id is not None and capacity < (taken := seats_taken(debate)):
        problems.append(_problem(_l("Seats for registration"), lazy_ngettext(
            "%(num)d seat is already taken, so the number cannot be lower (only the people who registered can "
            "cancel a registration).", "%(num)d seats are already taken, so the number cannot be lower (only the "
            "people who registered can cancel a registration).", taken), "capacity"))
    per_registration = values.get("max_seats_per_registration")
    if per_registration is None or not 1 <= per_registration <= MAX_SEATS_PER_REGISTRATION:
        problems.append(_problem(_l("Seats per registration"), _l("Between 1 and %(n)d.",
                                                                  n=MAX_SEATS_PER_REGISTRATION),
                                 "max_seats_per_registration"))
    expected = values.get("expected_audience")
    if expected is not None and not 0 <= expected <= MAX_AUDIENCE:
        problems.append(_problem(_l("Expected audience"), _l("Between 0 and %(n)d, or leave it empty.",
                                                             n=MAX_AUDIENCE), "expected_audience"))
    return problems


def _coordinator_problems(values: dict, municipality: Municipality | None) -> list[Problem]:
    if values.get("coordinator_id") is None:
        return []
    user = db.session.get(User, values["coordinator_id"])
    if user is None or not user.active or not user.has_role("coordinator", "editor"):
        return [_problem(_l("Coordinator"), _l("Choose a coordinator or the campaign team."), "coordinator_id")]
    if municipality is not None and not may_schedule_in(user, municipality):
        return [_problem(_l("Coordinator"), _l("%(name)s does not coordinate in %(municipality)s.", name=user.name,
                                               municipality=municipality.name), "coordinator_id")]
    return []


# --- bookings: lock, check, write ----------------------------------------------------------------------------

def _booked_problem(other: Debate) -> Problem:
    return Problem(str(_l("Venue")), str(_l(
        "%(venue)s is already booked for “%(title)s” (%(when)s, doors opening included). Choose another time or "
        "venue.", venue=other.venue.name, title=other.title, when=when_text(other.occupied_from, other.ends_at))),
        "venue_id")


def overlapping_booking(venue_id: int, occupied_from: dt.datetime, ends_at: dt.datetime,
                        debate_id: int | None = None) -> Debate | None:
    """Another debate that holds the venue during ``[occupied_from, ends_at)``."""
    query = select(Debate).where(Debate.venue_id == venue_id, Debate.status.in_(BOOKING_STATUSES),
                                 func.coalesce(Debate.doors_open_at, Debate.starts_at) < ends_at,
                                 Debate.ends_at > occupied_from)
    if debate_id is not None:
        query = query.where(Debate.id != debate_id)
    with db.session.no_autoflush:
        return db.session.scalar(query.order_by(Debate.starts_at).limit(1))


def _lock_venue(venue_id: int | None) -> None:
    """Step 1 of every booking: the venue's row lock (on SQLite the database's write lock), held until the
    transaction ends, so that whoever books the venue next sees this booking when they look. No venue, or one
    that does not exist, is left to the checks, which name the field."""
    if venue_id is not None:
        with suppress(NoResultFound):
            lock_row(Venue, venue_id)


def _refuse_overlap(debate: Debate, venue_id: int, occupied_from: dt.datetime, ends_at: dt.datetime) -> None:
    """Step 2: look for an overlapping booking (with the venue locked)."""
    other = overlapping_booking(venue_id, occupied_from, ends_at, debate.id)
    if other is not None:
        raise ValidationFailed([_booked_problem(other)])


def _refuse_inactive_venue(debate: Debate) -> None:
    venue = db.session.get(Venue, debate.venue_id)
    if venue.status != "active":
        raise ValidationFailed([Problem(str(_l("Venue")), str(_l(
            "%(venue)s is no longer available for debates; choose another venue first.", venue=venue.name)),
            "venue_id")])


@contextmanager
def _writing(debate: Debate):
    """Step 3: make the changes inside this block; they are written in a savepoint. On PostgreSQL the exclusion
    constraint refuses an overlap that slipped past the check (a row written outside these functions); the
    savepoint keeps the outer transaction usable, and the refusal becomes the same problem as the check's.
    (The savepoint begins before the changes: beginning one flushes what is pending.)"""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        if BOOKING_CONSTRAINT not in str(exc.orig):
            raise
        other = overlapping_booking(debate.venue_id, debate.occupied_from, debate.ends_at, debate.id)
        raise ValidationFailed([_booked_problem(other)] if other is not None else [Problem(
            str(_l("Venue")), str(_l("The venue is already booked at this time. Choose another time or venue.")),
            "venue_id")]) from exc


# --- create and change ---------------------------------------------------------------------------------------

def _topics(debate: Debate, titles: list[str]) -> None:
    if [t.title for t in debate.topics] == titles:
        return
    debate.topics.clear()  # (delete-orphan: the old rows go at the flush)
    for position, title in enumerate(titles):
        debate.topics.append(DebateTopic(position=position, title=title))


def _audit(debate: Debate) -> dict:
    return {**snapshot(debate, AUDIT_FIELDS), "topics": len(debate.topics)}


def create_debate(actor: Actor, **fields) -> Debate:
    """A new draft debate. Fields: kind, title, election_id, municipality_id, venue_id, starts_at, ends_at
    (naive UTC) and optionally description, doors_open_at, moderator, coordinator_id, expected_audience,
    capacity (default: the venue's), max_seats_per_registration (default 4), registration_open (default yes),
    topics (titles, in order)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown debate fields: {sorted(unknown)}")
    defaults = {"max_seats_per_registration": 4, "registration_open": True, "topics": ()}
    values = _clean(actor, {**defaults, **fields}, None)
    topics = values.pop("topics")
    debate = Debate(status="draft", **values)
    _topics(debate, topics)
    db.session.add(debate)
    db.session.flush()
    record(actor, "debate.create", "debate", debate.id, after=_audit(debate), only_changes=False)
    return debate


@dataclass
class DebateUpdate:
    """What a change set in motion: how many people were mailed about a new time or place, and who moved up
    from the waitlist because there are more seats."""

    told: int = 0
    promoted: list = field(default_factory=list)


def update_debate(actor: Actor, debate: Debate, **fields) -> DebateUpdate:
    """Change a debate; fields as for ``create_debate`` (the ones left out stay as they are). A booked debate
    that moves to another time or venue is checked against the venue's other bookings with the venue locked."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown debate fields: {sorted(unknown)}")
    if not may_change(debate):
        raise _refuse(_l("This debate has been cancelled; it can no longer be changed."))
    current = {name: getattr(debate, name) for name in FIELDS if name != "topics"}
    current["topics"] = [t.title for t in debate.topics]
    values = {**current, **fields}
    moves = any(values[name] != current[name] for name in TIME_AND_PLACE)
    if debate.status in BOOKING_STATUSES and moves:
        _lock_venue(values["venue_id"])  # 1. lock the venue it moves to
    debate = lock_row(Debate, debate.id)  # seats are counted against registrations
    values = _clean(actor, values, debate)
    if debate.status in BOOKING_STATUSES and moves:
        occupied_from = values["doors_open_at"] or values["starts_at"]
        _refuse_overlap(debate, values["venue_id"], occupied_from, values["ends_at"])  # 2. check
    if debate.status in BOOKING_STATUSES:
        # A booked debate stays free of blocking conflicts (e.g. a new date after election day).
        election = db.session.get(Election, values["election_id"])
        _refuse_blocking(conflict_checks.Candidate.of(
            debate, **{name: values[name] for name in ("venue_id", "starts_at", "ends_at", "doors_open_at",
                                                       "municipality_id", "coordinator_id", "expected_audience",
                                                       "capacity")}, election_date=election.date))
    before = _audit(debate)
    was = {name: getattr(debate, name) for name in TIME_AND_PLACE}
    was_where = venue_address(debate)
    more_seats = values["capacity"] > debate.capacity
    topics = values.pop("topics")
    with _writing(debate):  # 3. write
        for name, value in values.items():
            setattr(debate, name, value)
        _topics(debate, topics)
        if moves:
            debate.sequence = (debate.sequence or 0) + 1
        debate.updated_at = utcnow()
    db.session.expire(debate, ["venue", "municipality", "election", "coordinator"])  # the new ids' objects
    record(actor, "debate.update", "debate", debate.id, before=before, after=_audit(debate))
    result = DebateUpdate()
    if more_seats:
        from campaign.debates.registration import fill_free_seats

        result.promoted = list(fill_free_seats(debate, actor=actor) or [])
    if moves and debate.status in ("draft", "confirmed", "published") and not is_over(debate):
        skip = {r.id for r in result.promoted}  # their mail about the seat has the new details already
        was_times = (was["starts_at"], was["ends_at"])
        result.told = _mail_everyone(debate, "debate_changed", skip=skip,
                                     was=was_times if was_times != (debate.starts_at, debate.ends_at) else None,
                                     was_where=was_where if was["venue_id"] != debate.venue_id else None)
    return result


# --- status --------------------------------------------------------------------------------------------------

def _require(debate: Debate, *statuses: str, message) -> None:
    if debate.status not in statuses:
        raise _refuse(message, where=_l("Status"))


def _refuse_blocking(candidate: conflict_checks.Candidate) -> None:
    """Refuse while a blocking conflict exists, naming each one."""
    with db.session.no_autoflush:
        found = conflict_checks.blocking(conflict_checks.conflicts_for(candidate))
    if found:
        raise ValidationFailed([Problem(str(c.level_label), str(c.message)) for c in found])


def _set_status(actor: Actor, debate: Debate, status: str, action: str, **extra) -> None:
    before = {"status": debate.status, "sequence": debate.sequence}
    debate.status = status
    debate.updated_at = utcnow()
    record(actor, action, "debate", debate.id, before=before,
           after={"status": status, "sequence": debate.sequence, **extra}, only_changes=False)


def confirm(actor: Actor, debate: Debate) -> Debate:
    """draft -> confirmed: the venue is booked. In this order: lock the venue, check for conflicts (an
    overlapping booking among them), write; refused while a blocking conflict exists."""
    _lock_venue(debate.venue_id)  # 1. lock
    debate = lock_row(Debate, debate.id)  # the status as it is now
    _require(debate, "draft", message=_l("Only a draft can be confirmed; this debate is %(status)s.",
                                         status=status_label(debate.status)))
    _refuse_inactive_venue(debate)  # 2. check
    _refuse_overlap(debate, debate.venue_id, debate.occupied_from, debate.ends_at)
    _refuse_blocking(conflict_checks.Candidate.of(debate, status="confirmed"))
    with _writing(debate):  # 3. write
        _set_status(actor, debate, "confirmed", "debate.confirm")
    return debate


def publish(actor: Actor, debate: Debate) -> Debate:
    """confirmed -> published: on the public agenda, open for registration. Same order as ``confirm``; refused
    while a blocking conflict exists or once the debate is over."""
    _lock_venue(debate.venue_id)  # 1. lock
    debate = lock_row(Debate, debate.id)
    _require(debate, "confirmed", message=_l("Only a confirmed debate can be published; this debate is %(status)s.",
                                             status=status_label(debate.status)))
    if is_over(debate):
        raise _refuse(_l("This debate is over; it can no longer be published."), where=_l("Status"))
    _refuse_inactive_venue(debate)  # 2. check
    _refuse_overlap(debate, debate.venue_id, debate.occupied_from, debate.ends_at)
    _refuse_blocking(conflict_checks.Candidate.of(debate, status="published"))
    with _writing(debate):  # 3. write
        debate.published_at = utcnow()
        _set_status(actor, debate, "published", "debate.publish")
    return debate


def live_registrations(debate: Debate) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.debate_id == debate.id, Registration.status.in_(("confirmed", "waitlisted")))) or 0


def unpublish(actor: Actor, debate: Debate) -> Debate:
    """published -> confirmed: off the public agenda again (e.g. published too early), only while nobody has
    registered; the venue stays booked."""
    debate = lock_row(Debate, debate.id)
    _require(debate, "published", message=_l("Only a published debate can be taken off the agenda; this debate "
                                             "is %(status)s.", status=status_label(debate.status)))
    if live_registrations(debate):
        raise _refuse(_l("People have registered for this debate; it cannot be taken off the agenda. Cancel it "
                         "instead (everyone registered is mailed)."), where=_l("Status"))
    debate.published_at = None
    _set_status(actor, debate, "confirmed", "debate.unpublish")
    return debate


def mark_held(actor: Actor, debate: Debate, now: dt.datetime | None = None) -> Debate:
    """published -> held, once the debate has ended."""
    debate = lock_row(Debate, debate.id)
    _require(debate, "published", message=_l("Only a published debate can be marked as held; this debate is "
                                             "%(status)s.", status=status_label(debate.status)))
    if not is_over(debate, now):
        raise _refuse(_l("This debate has not ended yet."), where=_l("Status"))
    _set_status(actor, debate, "held", "debate.held")
    return debate


def mark_past_held(actor: Actor, now: dt.datetime | None = None) -> int:
    """Every published debate that has ended becomes held (for a daily command); returns how many."""
    now = now or utcnow()
    ended = list(db.session.scalars(select(Debate).where(Debate.status == "published", Debate.ends_at <= now)
                                    .order_by(Debate.id)))
    for debate in ended:
        mark_held(actor, debate, now)
    return len(ended)


def cancel(actor: Actor, debate: Debate, reason: str) -> int:
    """draft, confirmed or published -> cancelled, with a reason (shown on the public page and in the mail).
    The venue is free again. Everyone registered and every party that was invited or confirmed is mailed, with
    a calendar file that takes the debate off their agenda. Returns how many were mailed."""
    reason = (reason or "").strip()
    problems = text_problems(reason, _l("Reason"), "reason", limit=MAX_REASON,
                             missing=_l("Say why the debate is cancelled; the people who registered read it."))
    if problems:
        raise ValidationFailed(problems)
    debate = lock_row(Debate, debate.id)
    _require(debate, "draft", "confirmed", "published",
             message=_l("This debate is %(status)s; it can no longer be cancelled.",
                        status=status_label(debate.status)))
    debate.cancel_reason = reason
    debate.sequence = (debate.sequence or 0) + 1  # the cancellation supersedes the event calendars have
    _set_status(actor, debate, "cancelled", "debate.cancel")
    db.session.flush()
    if is_over(debate):
        return 0
    return _mail_everyone(debate, "debate_cancelled", invited_too=True)


def may_become(debate: Debate, status: str) -> bool:
    return status in TRANSITIONS.get(debate.status, ())


# --- mail ----------------------------------------------------------------------------------------------------

def public_url(debate: Debate) -> str | None:
    """The debate's public page as a full URL, once it is published and where one can be built."""
    if debate.published_at is None:
        return None
    return external_url("debates.debate", debate_id=debate.id)


def mail_about(debate: Debate, to: str, language: str, template: str, *, calendar: bool = False, **context) -> None:
    """Mail one person about the debate, in their language: the template gets the debate, ``when``, ``where``,
    ``doors`` and ``page`` (its public page) besides ``context``; ``calendar`` attaches the debate as an
    iCalendar file (written in their language too). Sent after the commit, like all mail."""
    page = public_url(debate)
    with force_locale(language):
        attachments = [Attachment("debate.ics", "text/calendar", debate_calendar(debate, page))] if calendar else None
        queue_template(to, template, debate=debate, page=page, when=debate_when(debate), where=venue_address(debate),
                       doors=format_time(debate.doors_open_at, "short") if debate.doors_open_at else None,
                       attachments=attachments, **context)


@dataclass(frozen=True)
class _Recipient:
    email: str
    language: str
    name: str
    calendar: bool  # holds a seat or speaks: the calendar file goes with the mail
    registration: Registration | None = None
    invitation: Invitation | None = None


def _recipients(debate: Debate, *, invited_too: bool, skip: set[int]) -> list[_Recipient]:
    people = []
    for registration in db.session.scalars(select(Registration).where(
            Registration.debate_id == debate.id, Registration.status.in_(("confirmed", "waitlisted")))
            .order_by(Registration.id)):
        if registration.email and registration.id not in skip:
            people.append(_Recipient(registration.email, registration.language, registration.name,
                                     registration.status == "confirmed", registration=registration))
    for invitation in debate.invitations:
        answered = invitation.status == "confirmed"
        invited = invited_too and invitation.status == "invited" and invitation.invited_at is not None
        if invitation.contact_email and (answered or invited):
            people.append(_Recipient(invitation.contact_email, invitation.language,
                                     invitation.speaker_name or invitation.party_name, answered,
                                     invitation=invitation))
    return people


def _mail_everyone(debate: Debate, template: str, *, invited_too: bool = False, skip: set[int] = frozenset(),
                   was: tuple[dt.datetime, dt.datetime] | None = None, **context) -> int:
    """Mail every live registration and every party that confirmed (``invited_too``: or was invited and has not
    answered), each in their language; ``was``: the earlier start and end, shown as "before the change"."""
    people = _recipients(debate, invited_too=invited_too, skip=skip)
    for person in people:
        # (was_when is put into words in the person's language, so it goes in as a lazy string)
        mail_about(debate, person.email, person.language, template, calendar=person.calendar, name=person.name,
                   registration=person.registration, invitation=person.invitation,
                   was_when=LazyString(when_text, *was) if was else None, **context)
    return len(people)


# --- lists ---------------------------------------------------------------------------------------------------

LIST_LIMIT = 200


def find_debates(user: User, *, status: str | None = None, municipality_id: int | None = None,
                 when: str = "upcoming", now: dt.datetime | None = None, limit: int = LIST_LIMIT) -> list[Debate]:
    """The debates the user may see: ``when`` "upcoming" (not ended yet, soonest first), "past" (ended, latest
    first) or "all" (latest first)."""
    now = now or utcnow()
    query = scope_debates(select(Debate), user).options(selectinload(Debate.venue), selectinload(Debate.municipality))
    if status:
        query = query.where(Debate.status == status)
    if municipality_id is not None:
        query = query.where(Debate.municipality_id == municipality_id)
    if when == "upcoming":
        query = query.where(Debate.ends_at > now).order_by(Debate.starts_at, Debate.id)
    else:
        if when == "past":
            query = query.where(Debate.ends_at <= now)
        query = query.order_by(Debate.starts_at.desc(), Debate.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def workspace_debates(user: User, *, now: dt.datetime | None = None, limit: int = 20) -> list[Debate]:
    """For the coordinator's workspace: upcoming debates (not cancelled) they coordinate or that are in their
    municipalities; for the campaign team only the ones they coordinate themselves."""
    mine = my_municipality_ids(user)
    condition = Debate.coordinator_id == user.id
    if mine:
        condition = or_(condition, Debate.municipality_id.in_(mine))
    return list(db.session.scalars(
        select(Debate).where(condition, Debate.status != "cancelled", Debate.ends_at > (now or utcnow()))
        .options(selectinload(Debate.venue), selectinload(Debate.municipality))
        .order_by(Debate.starts_at, Debate.id).limit(limit)))

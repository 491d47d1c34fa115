"""Registration for debates: seats, the waitlist, cancellation through a personal link, check-in, reminders.

The rules:
- Registration is open while the debate is published, the organiser has not closed it
  (``registration_open``) and the debate has not started. Otherwise ``register`` raises
  ``RegistrationClosed`` (the API answers 409, the form shows why).
- One live (confirmed or waitlisted) registration per email address and debate; a cancelled one does not
  count, so a person who cancelled may register again. The unique index ``uq_debate_registration_email`` is
  the backstop.
- Seats are counted with the debate row locked (``lock_row``: ``SELECT ... FOR UPDATE`` on PostgreSQL, the
  write lock on SQLite) before anything is written, so two people can never both take the last seat, however
  many servers and workers take registrations at once.
- All or nothing: a registration gets all its seats, or goes on the waitlist with all of them.
- The waitlist is strictly in arrival order (``id``). A freed seat goes to the first waiting registration;
  when that one needs more seats than are free, it waits, and nobody behind it moves past it, and a new
  registration does not either (while anyone waits, a newcomer joins the end of the waitlist). The issue asks
  for "the first waitlisted registration" to move up; letting smaller registrations pass would leave a family
  of four waiting behind every single person who registers after them, and a waitlist whose order means
  nothing. The price is that a seat or two may stay empty until enough seats come free for the first in line
  (or the organiser raises the capacity: ``fill_free_seats``).
- Moving up (after a cancellation or a larger capacity) happens only while the debate is published and has
  not started; the person is mailed with the calendar file.
- The personal link carries a random token; only its SHA-256 is stored, so a copy of the database opens no
  link. It is mailed once, with the confirmation (or the waitlist notice); later mails point to it.
- Check-in at the door: registrations with a seat, from the day of the debate, not for a cancelled debate.
- Reminders: once per registration with a seat (``reminded_at``), DEBATE_REMINDER_HOURS_BEFORE before the
  start (``campaign send-reminders``), with the calendar file.

Every change is recorded in the audit log with ids, statuses and counts only (never a name or an address);
mail goes out after the commit, in the registrant's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from campaign.core.accounts import normalise_email
from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems, unstorable
from campaign.core.i18n import to_local_input
from campaign.core.labels import action_labels
from campaign.core.locking import lock_row
from campaign.core.spreadsheet import spreadsheet_cell
from campaign.core.models import utcnow
from campaign.core.security import new_token, token_hash
from campaign.core.urls import external_url
from campaign.coordinators.recruitment import MAX_NAME
from campaign.debates.agenda import day_start
from campaign.debates.models import Debate, Registration
from campaign.debates.scheduling import has_started, mail_about
from campaign.extensions import db

action_labels.update({
    "registration.create": _l("Registered for a debate"),
    "registration.cancel": _l("Debate registration cancelled"),
    "registration.promote": _l("Moved up from the debate's waitlist"),
    "registration.check_in": _l("Checked in at the door"),
    "registration.undo_check_in": _l("Check-in undone"),
    "registration.remind": _l("Debate reminders sent"),
})

REGISTRANT = Actor.system("registration")
STATUS_LABELS = {"confirmed": _l("has a seat"), "waitlisted": _l("on the waitlist"), "cancelled": _l("cancelled")}
FIELD_LABELS = {"name": _l("Name"), "email": _l("Email address"), "seats": _l("Number of seats")}


class RegistrationClosed(Exception):
    """No registration now; ``message`` says why (not published, closed by the organiser, started, cancelled)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _problem(field: str, message) -> Problem:
    return Problem(str(FIELD_LABELS[field]), str(message), field)


def _refuse(message) -> ValidationFailed:
    return ValidationFailed([Problem(str(_l("Registration")), str(message))])


# --- what is open, and how full ------------------------------------------------------------------------------

def closed_reason(debate: Debate, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register now, in words for the visitor; None while registration is open."""
    if debate.status == "cancelled":
        return _("This debate has been cancelled.")
    if debate.status == "held" or (debate.status == "published" and has_started(debate, now)):
        return _("This debate has started or taken place; registration is closed.")
    if debate.status != "published" or debate.published_at is None:
        return _("This debate has not been published; registration is not open.")
    if not debate.registration_open:
        return _("The organiser has closed registration for this debate.")
    return None


def is_open(debate: Debate, now: dt.datetime | None = None) -> bool:
    return closed_reason(debate, now) is None


def _may_move_up(debate: Debate, now: dt.datetime) -> bool:
    """Whether freed seats go to the waitlist (also when the organiser closed registration to newcomers)."""
    return debate.status == "published" and not has_started(debate, now)


@dataclass(frozen=True)
class Counts:
    """Seats of one debate: taken, waiting, free (capacity minus taken), and checked in at the door."""

    confirmed_seats: int
    waitlisted_seats: int
    free_seats: int
    checked_in_seats: int = 0

    @property
    def seats_left(self) -> int:
        """What a new registration can still get: nothing while anyone waits (nobody passes the waitlist)."""
        return 0 if self.waitlisted_seats else self.free_seats


def counts(debate_ids) -> dict[int, Counts]:
    """debate id -> Counts, in one query (unknown ids are left out)."""
    ids = list(debate_ids)
    if not ids:
        return {}
    confirmed = Registration.status == "confirmed"

    def seats(condition):
        return func.coalesce(func.sum(case((condition, Registration.seats), else_=0)), 0)

    rows = db.session.execute(
        select(Debate.id, Debate.capacity, seats(confirmed), seats(Registration.status == "waitlisted"),
               seats(and_(confirmed, Registration.checked_in_at.is_not(None))))
        .outerjoin(Registration, Registration.debate_id == Debate.id)
        .where(Debate.id.in_(ids)).group_by(Debate.id, Debate.capacity))
    return {debate_id: Counts(int(taken), int(waiting), max(capacity - int(taken), 0), int(checked))
            for debate_id, capacity, taken, waiting, checked in rows}


def waitlist(debate: Debate) -> list[Registration]:
    """The waitlist in its order: who registered first comes first."""
    return list(db.session.scalars(select(Registration).where(
        Registration.debate_id == debate.id, Registration.status == "waitlisted").order_by(Registration.id)))


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != "waitlisted":
        return None
    return (db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.debate_id == registration.debate_id, Registration.status == "waitlisted",
        Registration.id <= registration.id)) or 0)


# --- mail ----------------------------------------------------------------------------------------------------

def _mail(registration: Registration, template: str, *, token: str | None = None, calendar: bool = False,
          **context) -> None:
    """Mail the registrant in their language; ``token`` puts their personal link in the mail, ``calendar``
    attaches the debate as an iCalendar file."""
    if not registration.email:
        return
    mail_about(registration.debate, registration.email, registration.language, template, calendar=calendar,
               registration=registration, link=external_url("debates.registration", token=token) if token else None,
               **context)


# --- registering ---------------------------------------------------------------------------------------------

def _problems(debate: Debate, name: str, email: str, seats) -> list[Problem]:
    problems = text_problems(name, FIELD_LABELS["name"], "name", limit=MAX_NAME, missing=_l("Enter your name."))
    if unstorable(name):
        problems.append(_problem("name", _l("Enter your name without control characters.")))
    problems += email_problems(email, FIELD_LABELS["email"], "email", missing=_l("Enter your email address."))
    most = debate.max_seats_per_registration
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= most:
        problems.append(_problem("seats", _l("Choose a number of seats from 1 to %(max)d.", max=most)))
    return problems


def _live_registration(debate: Debate, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.debate_id == debate.id, Registration.email == email, Registration.status != "cancelled"))


def _taken_and_waiting(debate: Debate) -> tuple[int, bool]:
    taken, waiting = db.session.execute(select(
        func.coalesce(func.sum(case((Registration.status == "confirmed", Registration.seats), else_=0)), 0),
        func.count(case((Registration.status == "waitlisted", 1))))
        .where(Registration.debate_id == debate.id)).one()
    return int(taken), bool(waiting)


def _already_registered() -> ValidationFailed:
    return ValidationFailed([_problem("email", _l(
        "This email address is already registered for this debate. The mail we sent you has a link to your "
        "registration, where you can also cancel it."))])


def register(debate: Debate, *, name: str, email: str, seats: int, language: str,
             now: dt.datetime | None = None, actor: Actor = REGISTRANT) -> Registration:
    """A seat (all the seats asked for) when they are free and nobody waits, else a place on the waitlist;
    the registrant is mailed either way, with the personal link (and, with a seat, the calendar file).

    Raises ``RegistrationClosed`` when registration is not open, ``ValidationFailed`` naming the fields for bad
    input or an address that is already registered. Nothing is written then."""
    if (reason := closed_reason(debate, now)) is not None:
        raise RegistrationClosed(reason)
    name, email = (name or "").strip(), normalise_email(email or "")
    if problems := _problems(debate, name, email, seats):
        raise ValidationFailed(problems)
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]

    debate = lock_row(Debate, debate.id)  # from here on, registrations of this debate take turns
    now = now or utcnow()  # (taken with the lock: creation times rise with the id)
    if (reason := closed_reason(debate, now)) is not None:
        raise RegistrationClosed(reason)
    if _live_registration(debate, email) is not None:
        raise _already_registered()
    taken, waiting = _taken_and_waiting(debate)
    status = "confirmed" if not waiting and taken + seats <= debate.capacity else "waitlisted"
    token = new_token()
    registration = Registration(debate=debate, name=name, email=email, seats=seats, status=status,
                                language=language, token_hash=token_hash(token), created_at=now)
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:  # the unique index, should the lock ever be bypassed; the caller rolls back
        raise _already_registered()
    record(actor, "registration.create", "debate_registration", registration.id,
           after={"status": status, "seats": seats}, parent=("debate", debate.id), only_changes=False)
    if status == "confirmed":
        _mail(registration, "registration_confirmed", token=token, calendar=True)
    else:
        _mail(registration, "registration_waitlisted", token=token, position=waitlist_position(registration))
    return registration


def by_token(token: str) -> Registration | None:
    """The registration a personal link belongs to; None for an unknown (or purged) link."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Registration).where(Registration.token_hash == token_hash(token))
                             .options(joinedload(Registration.debate)))


def may_cancel(registration: Registration, now: dt.datetime | None = None) -> bool:
    return registration.status != "cancelled" and not has_started(registration.debate, now)


def cancel(registration: Registration, *, now: dt.datetime | None = None,
           actor: Actor = REGISTRANT) -> list[Registration]:
    """Give up a registration (seat or waitlist place) before the debate starts; the registrant is mailed.
    Freed seats go to the waitlist in order; returns who moved up (they are mailed too)."""
    now = now or utcnow()
    debate = lock_row(Debate, registration.debate_id)
    registration = lock_row(Registration, registration.id)  # as it is now: a second click changes nothing
    if registration.status == "cancelled":
        raise _refuse(_l("This registration has already been cancelled."))
    if has_started(debate, now):
        raise _refuse(_l("The debate has started; the registration can no longer be cancelled."))
    before = registration.status
    registration.status, registration.cancelled_at = "cancelled", now
    db.session.flush()
    record(actor, "registration.cancel", "debate_registration", registration.id, before={"status": before},
           after={"status": "cancelled", "seats": registration.seats}, parent=("debate", debate.id))
    _mail(registration, "registration_cancelled")
    # Also a waitlisted registration that leaves can let the ones behind it move up.
    return _fill(actor, debate, now)


def _fill(actor: Actor, debate: Debate, now: dt.datetime) -> list[Registration]:
    """Give free seats to the waitlist in strict order (the caller holds the debate's lock)."""
    if not _may_move_up(debate, now):
        return []
    taken, _waiting = _taken_and_waiting(debate)
    free = debate.capacity - taken
    promoted = []
    for registration in waitlist(debate):
        if registration.seats > free:
            break  # the first in line waits for enough seats, and nobody passes them
        free -= registration.seats
        registration.status, registration.promoted_at = "confirmed", now
        record(actor, "registration.promote", "debate_registration", registration.id,
               before={"status": "waitlisted"}, after={"status": "confirmed", "seats": registration.seats},
               parent=("debate", debate.id))
        _mail(registration, "registration_promoted", calendar=True)
        promoted.append(registration)
    db.session.flush()
    return promoted


def fill_free_seats(debate: Debate, *, actor: Actor = REGISTRANT,
                    now: dt.datetime | None = None) -> list[Registration]:
    """After the organiser raised the capacity (or re-opened a debate): free seats go to the waitlist, in
    order, and each person who moves up is mailed. Call it in the transaction that made the change."""
    return _fill(actor, lock_row(Debate, debate.id), now or utcnow())


# --- check-in at the door ------------------------------------------------------------------------------------

def check_in_opens(debate: Debate) -> dt.datetime:
    """Midnight (Dutch time) at the start of the debate's day, as stored naive UTC."""
    return day_start(to_local_input(debate.starts_at).date())


def check_in_open(debate: Debate, now: dt.datetime | None = None) -> bool:
    """From the day of the debate on (also afterwards, to put the list right), unless it was cancelled."""
    return debate.status != "cancelled" and (now or utcnow()) >= check_in_opens(debate)


def check_in(actor: Actor, registration: Registration, *, now: dt.datetime | None = None) -> None:
    debate = registration.debate
    if registration.status != "confirmed":
        raise _refuse(_l("Only registrations with a seat can be checked in; this one is %(status)s.",
                         status=status_label(registration.status)))
    if debate.status == "cancelled":
        raise _refuse(_l("This debate has been cancelled."))
    if not check_in_open(debate, now):
        raise _refuse(_l("Check-in opens on the day of the debate."))
    if registration.checked_in_at is not None:
        raise _refuse(_l("Already checked in."))
    registration.checked_in_at = now or utcnow()
    record(actor, "registration.check_in", "debate_registration", registration.id,
           after={"checked_in": True, "seats": registration.seats}, parent=("debate", debate.id),
           only_changes=False)


def undo_check_in(actor: Actor, registration: Registration) -> None:
    if registration.checked_in_at is None:
        raise _refuse(_l("This registration has not been checked in."))
    registration.checked_in_at = None
    record(actor, "registration.undo_check_in", "debate_registration", registration.id,
           before={"checked_in": True}, after={"checked_in": False}, parent=("debate", registration.debate_id))


@dataclass
class CheckInList:
    """The list at the door: seats in alphabetical order, then the waitlist in its order."""

    confirmed: list[Registration]
    waitlisted: list[Registration]


def check_in_list(debate: Debate, search: str = "") -> CheckInList:
    """``search`` keeps the registrations whose name or address contains it (any case)."""
    query = select(Registration).where(Registration.debate_id == debate.id)
    if search := search.strip().lower():
        query = query.where(or_(func.lower(Registration.name).contains(search, autoescape=True),
                                Registration.email.contains(search, autoescape=True)))
    confirmed = db.session.scalars(query.where(Registration.status == "confirmed")
                                   .order_by(func.lower(Registration.name), Registration.id))
    waiting = db.session.scalars(query.where(Registration.status == "waitlisted").order_by(Registration.id))
    return CheckInList(list(confirmed), list(waiting))


def check_in_csv(debate: Debate) -> str:
    """The check-in list for Excel in a Dutch locale: semicolons, with a byte-order mark so it reads UTF-8."""
    listed = check_in_list(debate)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Name"), _("Email address"), _("Seats"), _("Status"), _("Waitlist position"),
                     _("Checked in"), _("Registered at")])
    rows = [(r, None) for r in listed.confirmed] + [(r, n) for n, r in enumerate(listed.waitlisted, start=1)]
    for registration, position in rows:
        checked = format_datetime(registration.checked_in_at, "short") if registration.checked_in_at else ""
        writer.writerow([spreadsheet_cell(v) for v in (
            registration.name, registration.email, registration.seats, status_label(registration.status),
            position or "", checked, format_datetime(registration.created_at, "short"))])
    return "\ufeff" + out.getvalue()


# --- reminders -----------------------------------------------------------------------------------------------

def due_reminders(hours: int, now: dt.datetime | None = None, *, lock: bool = False) -> list[Registration]:
    """Registrations with a seat in published debates starting within ``hours`` that have not been reminded."""
    now = now or utcnow()
    query = (select(Registration).join(Debate, Registration.debate_id == Debate.id)
             .where(Debate.status == "published", Debate.starts_at > now,
                    Debate.starts_at <= now + dt.timedelta(hours=hours), Registration.status == "confirmed",
                    Registration.reminded_at.is_(None), Registration.email != "")
             .order_by(Debate.starts_at, Registration.id))
    if lock:
        # Two cron runs at once: the second skips the rows the first is mailing (PostgreSQL; a no-op on SQLite).
        query = query.with_for_update(of=Registration, skip_locked=True)
    return list(db.session.scalars(query))


def send_reminders(actor: Actor, hours: int, now: dt.datetime | None = None) -> int:
    """Mail every due reminder once, with the calendar file; returns how many went out."""
    now = now or utcnow()
    due = due_reminders(hours, now, lock=True)
    per_debate: dict[int, int] = {}
    for registration in due:
        _mail(registration, "registration_reminder", calendar=True)
        registration.reminded_at = now
        per_debate[registration.debate_id] = per_debate.get(registration.debate_id, 0) + 1
    for debate_id, count in per_debate.items():
        record(actor, "registration.remind", "debate", debate_id, after={"reminded": count}, only_changes=False)
    return len(due)

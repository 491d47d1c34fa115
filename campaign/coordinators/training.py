"""Training: modules, sessions, enrolment with a waitlist, attendance, completion and reminders.

The rules:
- Only people who count as coordinators (accepted, in training, active) enrol; not in a cancelled session or
  one that has started; once per session (an earlier cancelled enrolment comes back to life).
- Seats are counted with the session row locked (``campaign.core.locking.lock_row``: ``SELECT ... FOR UPDATE``
  on PostgreSQL, the write lock taken up front on SQLite), so two people can never take the last seat at
  once. Without a free seat one goes on the waitlist; a freed seat (a cancellation, a larger capacity) goes
  to the first on the waitlist, who is mailed. The waitlist is in order of (re-)joining it.
- An accepted coordinator who enrols (or joins a waitlist) is in training from then on.
- Attending a session completes its module; staff may also record a module done elsewhere. Once every
  required module is complete, a coordinator in training becomes active (and gets the mail for it). Which
  modules are required is a property of the module, so the team configures it in the module editor.
- A new time or place (start, end, form, location or link) raises the session's revision number (SEQUENCE in
  its calendar file) and is mailed to everyone enrolled or waiting; a seat holder gets the new calendar file,
  which replaces the earlier one. A cancellation raises the revision number as well.

Every change is recorded in the audit log with ids and statuses only; mail goes out after the commit, in the
person's own language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale, format_date, format_time, to_user_timezone
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems
from campaign.core.locking import lock_row
from campaign.core.mail import Attachment, queue_template
from campaign.core.models import utcnow
from campaign.core.urls import external_url
from campaign.coordinators import pipeline
from campaign.coordinators.calendar import session_calendar
from campaign.coordinators.models import (
    SESSION_MODES,
    Application,
    Completion,
    Enrolment,
    TrainingModule,
    TrainingSession,
)
from campaign.extensions import db

# Who may enrol: the statuses in which a person counts as a coordinator.
MAY_ENROL = pipeline.COORDINATOR_STATUSES
MODULE_FIELDS = ("title", "goals", "materials", "required", "position")
# No trainer's name in the log: it is a person's name.
SESSION_FIELDS = ("module_id", "starts_at", "ends_at", "mode", "location", "capacity")
# A change of any of these is news for everyone enrolled or waiting, and for their calendars.
TIME_AND_PLACE = ("starts_at", "ends_at", "mode", "location")
MAX_TITLE = 200
MAX_LOCATION = 300
MAX_TRAINER = 120

MODE_LABELS = {"online": _l("online"), "location": _l("at a location")}
ENROLMENT_LABELS = {"enrolled": _l("enrolled"), "waitlisted": _l("on the waitlist"), "cancelled": _l("cancelled")}


def session_when(session: TrainingSession) -> str:
    """"Tuesday, February 10, 2026, 7:30 PM – 9:30 PM" in the reader's language and Dutch time."""
    return when_text(session.starts_at, session.ends_at)


def when_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """``session_when`` for two stored (naive UTC) moments."""
    start = f"{format_date(starts_at, 'full')}, {format_time(starts_at, 'short')}"
    if to_user_timezone(starts_at).date() == to_user_timezone(ends_at).date():
        return f"{start} – {format_time(ends_at, 'short')}"
    return f"{start} – {format_date(ends_at, 'full')}, {format_time(ends_at, 'short')}"


def mode_label(mode: str) -> str:
    return str(MODE_LABELS.get(mode, mode))


def enrolment_label(status: str) -> str:
    return str(ENROLMENT_LABELS.get(status, status))


def _refuse(message, field: str = "", where=_l("Training")) -> ValidationFailed:
    return ValidationFailed([Problem(str(where), str(message), field)])


# --- materials -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Material:
    title: str
    url: str | None = None


def _is_link(value: str) -> bool:
    """An http(s) URL, or a path on this site ("/cultuurwijzer/methode"); never javascript: and the like."""
    site_path = value.startswith("/") and not value.startswith("//")
    return (value.lower().startswith(("https://", "http://")) or site_path) and " " not in value


def parse_materials(text: str) -> list[Material]:
    """One material per line: "title | URL", a bare URL, or plain text (e.g. "the printed handbook")."""
    materials = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, bar, url = line.rpartition("|")
        if bar and _is_link(url.strip()):
            materials.append(Material(title.strip() or url.strip(), url.strip()))
        elif _is_link(line):
            materials.append(Material(line, line))
        else:
            materials.append(Material(line))
    return materials


def _material_problems(text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        _title, bar, url = line.strip().rpartition("|")
        if bar and not _is_link(url.strip()):
            problems.append(Problem(str(_l("Materials")), str(_l(
                "Line %(line)d: after the | comes a web address starting with https:// or a path on this site "
                "starting with /.", line=number)),
                "materials"))
    return problems


# --- modules -------------------------------------------------------------------------------------------------

def modules() -> list[TrainingModule]:
    return list(db.session.scalars(select(TrainingModule).order_by(TrainingModule.position, TrainingModule.id)))


def _check_module(title: str, materials: str) -> None:
    problems = text_problems(title.strip(), _l("Title"), "title", limit=MAX_TITLE,
                             missing=_l("Give the module a title."))
    problems += _material_problems(materials)
    if problems:
        raise ValidationFailed(problems)


def create_module(actor: Actor, *, title: str, goals: str = "", materials: str = "", required: bool = False,
                  position: int | None = None) -> TrainingModule:
    _check_module(title, materials)
    if position is None:
        position = (db.session.scalar(select(func.max(TrainingModule.position))) or 0) + 1
    module = TrainingModule(title=title.strip(), goals=goals.strip(), materials=materials.strip(),
                            required=bool(required), position=position)
    db.session.add(module)
    db.session.flush()
    record(actor, "training_module.create", "training_module", module.id,
           after=snapshot(module, MODULE_FIELDS), only_changes=False)
    return module


def update_module(actor: Actor, module: TrainingModule, *, title: str, goals: str = "", materials: str = "",
                  required: bool = False, position: int | None = None) -> None:
    """Also how the set of required modules changes: it takes effect at the next completion of each person
    in training (nobody is activated or sent back by an edit; see ``ready_for_active``)."""
    _check_module(title, materials)
    before = snapshot(module, MODULE_FIELDS)
    module.title, module.goals, module.materials = title.strip(), goals.strip(), materials.strip()
    module.required = bool(required)
    if position is not None:
        module.position = position
    record(actor, "training_module.update", "training_module", module.id, before=before,
           after=snapshot(module, MODULE_FIELDS))


def ready_for_active() -> list[Application]:
    """People in training who have completed every required module but are not active yet (after the team
    made a module optional, for instance): staff can move them on the pipeline board. One query, however many
    people are in training (``pipeline.missing_required_modules`` asks for one person)."""
    done = select(Completion.module_id).where(Completion.application_id == Application.id,
                                              Completion.module_id == TrainingModule.id) \
        .correlate(Application, TrainingModule)
    missing = select(TrainingModule.id).where(TrainingModule.required, ~done.exists())
    return list(db.session.scalars(select(Application).where(Application.status == "in_training", ~missing.exists())
                                   .order_by(Application.id)))


# --- sessions ------------------------------------------------------------------------------------------------

def seat_counts(session_ids) -> dict[int, dict[str, int]]:
    """session id -> {"enrolled": n, "waitlisted": m} for the given sessions."""
    ids = list(session_ids)
    counts = {sid: {"enrolled": 0, "waitlisted": 0} for sid in ids}
    if not ids:
        return counts
    rows = db.session.execute(select(Enrolment.session_id, Enrolment.status, func.count())
                              .where(Enrolment.session_id.in_(ids), Enrolment.status != "cancelled")
                              .group_by(Enrolment.session_id, Enrolment.status))
    for session_id, status, count in rows:
        counts[session_id][status] = count
    return counts


def enrolled_count(session: TrainingSession) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.session_id == session.id, Enrolment.status == "enrolled")) or 0


def has_started(session: TrainingSession, now: dt.datetime | None = None) -> bool:
    return session.starts_at <= (now or utcnow())


def is_open(session: TrainingSession, now: dt.datetime | None = None) -> bool:
    """Open for enrolment: not cancelled and not started."""
    return session.cancelled_at is None and not has_started(session, now)


@dataclass
class Schedule:
    """The sessions of every module that have not ended yet (soonest first), with their seat counts."""

    sessions: dict[int, list[TrainingSession]]  # module id -> sessions
    counts: dict[int, dict[str, int]]  # session id -> see ``seat_counts``


def schedule(modules: list[TrainingModule], *, include_cancelled: bool = True) -> Schedule:
    """One query for the sessions of all ``modules`` and one for their seats."""
    sessions: dict[int, list[TrainingSession]] = {m.id: [] for m in modules}
    query = select(TrainingSession).where(TrainingSession.module_id.in_(sessions), TrainingSession.ends_at > utcnow())
    if not include_cancelled:
        query = query.where(TrainingSession.cancelled_at.is_(None))
    for session in db.session.scalars(query.order_by(TrainingSession.starts_at, TrainingSession.id)):
        sessions[session.module_id].append(session)
    return Schedule(sessions, seat_counts(s.id for items in sessions.values() for s in items))


def enrolled(session: TrainingSession) -> list[Enrolment]:
    """The seats, with their people (the session page lists them, a change mails them)."""
    return list(db.session.scalars(select(Enrolment).where(
        Enrolment.session_id == session.id, Enrolment.status == "enrolled")
        .options(selectinload(Enrolment.application)).order_by(Enrolment.id)))


def waitlist(session: TrainingSession) -> list[Enrolment]:
    """The waitlist in its order: who joined it first comes first."""
    return list(db.session.scalars(select(Enrolment).where(
        Enrolment.session_id == session.id, Enrolment.status == "waitlisted")
        .options(selectinload(Enrolment.application)).order_by(Enrolment.created_at, Enrolment.id)))


def waitlist_positions(enrolments) -> dict[int, int]:
    """enrolment id -> its number on its session's waitlist (in ``waitlist``'s order), for the waitlisted ones
    among ``enrolments``: one query, however many sessions they are in."""
    ids = {e.id for e in enrolments if e.status == "waitlisted"}
    if not ids:
        return {}
    number = func.row_number().over(partition_by=Enrolment.session_id, order_by=(Enrolment.created_at, Enrolment.id))
    in_sessions = select(Enrolment.session_id).where(Enrolment.id.in_(ids))
    rows = db.session.execute(select(Enrolment.id, number).where(Enrolment.session_id.in_(in_sessions),
                                                                 Enrolment.status == "waitlisted"))
    return {enrolment_id: n for enrolment_id, n in rows if enrolment_id in ids}


def waitlist_position(enrolment: Enrolment) -> int | None:
    return waitlist_positions([enrolment]).get(enrolment.id)


def _check_session(module: TrainingModule | None, starts_at, ends_at, mode: str, location: str, capacity,
                   trainer: str, *, already_enrolled: int = 0) -> None:
    problems = []
    if module is None:
        problems.append(Problem(str(_l("Module")), str(_l("Choose a module.")), "module"))
    if starts_at is None:
        problems.append(Problem(str(_l("Starts")), str(_l("Give the date and time the session starts.")),
                                "starts_at"))
    if ends_at is None:
        problems.append(Problem(str(_l("Ends")), str(_l("Give the date and time the session ends.")), "ends_at"))
    elif starts_at is not None and ends_at <= starts_at:
        problems.append(Problem(str(_l("Ends")), str(_l("The session must end after it starts.")), "ends_at"))
    if mode not in SESSION_MODES:
        problems.append(Problem(str(_l("Form")), str(_l("Choose online or at a location.")), "mode"))
    if len(location) > MAX_LOCATION:
        problems.append(Problem(str(_l("Location or meeting link")),
                                str(_l("At most %(n)d characters.", n=MAX_LOCATION)), "location"))
    elif mode == "online" and location and not _is_link(location):
        problems.append(Problem(str(_l("Location or meeting link")),
                                str(_l("For an online session, give the meeting link (starting with https://).")),
                                "location"))
    elif mode == "location" and not location:
        problems.append(Problem(str(_l("Location or meeting link")),
                                str(_l("Give the address of the location.")), "location"))
    if capacity is None or capacity < 1:
        problems.append(Problem(str(_l("Capacity")), str(_l("At least one seat.")), "capacity"))
    elif capacity < already_enrolled:
        problems.append(Problem(str(_l("Capacity")), str(_l(
            "%(n)d people are already enrolled; the capacity cannot be lower. Cancel enrolments first.",
            n=already_enrolled)), "capacity"))
    problems += text_problems(trainer, _l("Trainer"), "trainer", limit=MAX_TRAINER)
    if problems:
        raise ValidationFailed(problems)


def create_session(actor: Actor, module: TrainingModule, *, starts_at: dt.datetime, ends_at: dt.datetime,
                   mode: str = "online", location: str = "", capacity: int = 12,
                   trainer: str = "") -> TrainingSession:
    """Times are naive UTC."""
    location, trainer = (location or "").strip(), (trainer or "").strip()
    _check_session(module, starts_at, ends_at, mode, location, capacity, trainer)
    session = TrainingSession(module=module, starts_at=starts_at, ends_at=ends_at, mode=mode, location=location,
                              capacity=capacity, trainer=trainer)
    db.session.add(session)
    db.session.flush()
    record(actor, "training_session.create", "training_session", session.id,
           after=snapshot(session, SESSION_FIELDS), parent=("training_module", module.id), only_changes=False)
    return session


def _lock(session: TrainingSession) -> TrainingSession:
    """Lock the session row for the rest of the transaction (seat counting); reload it as it is now."""
    return lock_row(TrainingSession, session.id)


@dataclass
class SessionUpdate:
    """What a change of a session set in motion: who moved up from the waitlist (and was mailed about their
    seat), and how many others were mailed about a new time or place."""

    promoted: list[Enrolment]
    told: int = 0


def update_session(actor: Actor, session: TrainingSession, *, starts_at: dt.datetime, ends_at: dt.datetime,
                   mode: str, location: str = "", capacity: int, trainer: str = "") -> SessionUpdate:
    """Change a session; more seats go to the waitlist first. A new time or place raises the revision number
    and is mailed to everyone enrolled or waiting (a seat holder with the new calendar file); a new start time
    means the reminder goes out again."""
    _lock(session)
    if session.cancelled_at is not None:
        raise _refuse(_l("This session has been cancelled; it can no longer be changed."))
    location, trainer = (location or "").strip(), (trainer or "").strip()
    _check_session(session.module, starts_at, ends_at, mode, location, capacity, trainer,
                   already_enrolled=enrolled_count(session))
    before = snapshot(session, SESSION_FIELDS + ("sequence",))
    was = (session.starts_at, session.ends_at)
    moved = session.starts_at != starts_at
    changed = tuple(getattr(session, f) for f in TIME_AND_PLACE) != (starts_at, ends_at, mode, location)
    session.starts_at, session.ends_at, session.mode = starts_at, ends_at, mode
    session.location, session.capacity, session.trainer = location, capacity, trainer
    if changed:
        session.sequence = (session.sequence or 0) + 1
    if moved:
        for enrolment in enrolled(session):
            enrolment.reminded_at = None
    record(actor, "training_session.update", "training_session", session.id, before=before,
           after=snapshot(session, SESSION_FIELDS + ("sequence",)), parent=("training_module", session.module_id))
    promoted = _fill_seats(actor, session)
    told = 0
    if changed and session.ends_at > utcnow():  # (a session that is over is only corrected in the records)
        # Who just moved up has had the new details (and calendar file) in the mail about their seat.
        skip = {e.id for e in promoted}
        waiting = [(e, position) for position, e in enumerate(waitlist(session), start=1)]
        for enrolment, position in [(e, None) for e in enrolled(session)] + waiting:
            if enrolment.id not in skip and _reachable(enrolment.application):
                _mail(enrolment.application, "training_changed", session, enrolment=enrolment,
                      calendar=enrolment.status == "enrolled", was=was if was != (starts_at, ends_at) else None,
                      position=position)
                told += 1
    return SessionUpdate(promoted, told)


def cancel_session(actor: Actor, session: TrainingSession) -> int:
    """Cancel a session that has not ended; everyone enrolled or waiting is mailed (with a calendar file that
    takes the event off their agenda). Returns how many were mailed."""
    _lock(session)
    if session.cancelled_at is not None:
        raise _refuse(_l("This session has already been cancelled."))
    if session.ends_at <= utcnow():
        raise _refuse(_l("This session is over; it can no longer be cancelled."))
    session.cancelled_at = utcnow()
    before_sequence = session.sequence or 0
    session.sequence = before_sequence + 1  # the cancellation supersedes the event calendars have
    record(actor, "training_session.cancel", "training_session", session.id,
           before={"cancelled": False, "sequence": before_sequence},
           after={"cancelled": True, "sequence": session.sequence}, parent=("training_module", session.module_id))
    mailed = 0
    for enrolment in enrolled(session) + waitlist(session):
        if _reachable(enrolment.application):
            _mail(enrolment.application, "training_cancelled", session, enrolment=enrolment,
                  calendar=enrolment.status == "enrolled")
            mailed += 1
    return mailed


# --- enrolment -----------------------------------------------------------------------------------------------

def _reachable(application: Application) -> bool:
    return application.anonymised_at is None and bool(application.email)


def _mail(application: Application, template: str, session: TrainingSession, *, enrolment: Enrolment | None = None,
          calendar: bool = False, was: tuple[dt.datetime, dt.datetime] | None = None, **context) -> None:
    """``was``: the earlier start and end of a session that moved, shown as "was: ..." in the mail. The calendar
    file is written in the person's language too."""
    link = external_url("workspace.training")
    with force_locale(application.language):
        attachments = [Attachment("training.ics", "text/calendar", session_calendar(session, url=link))] \
            if calendar else None
        queue_template(application.email, template, application=application, session=session, module=session.module,
                       enrolment=enrolment, link=link, attachments=attachments, mode=mode_label(session.mode),
                       when=session_when(session), was_when=when_text(*was) if was else None,
                       **context)


def may_train(application: Application) -> bool:
    """Whether the person may enrol and have training recorded: a coordinator (accepted, in training, active)."""
    return application.anonymised_at is None and application.status in MAY_ENROL


def check_may_enrol(application: Application) -> None:
    if not may_train(application):
        raise _refuse(_l("Only accepted coordinators can enrol in training sessions; this application is "
                         "%(status)s.", status=pipeline.status_label(application.status)), where=_l("Enrolment"))


def enrol(actor: Actor, session: TrainingSession, application: Application) -> Enrolment:
    """A seat if one is free, else a place on the waitlist; the person is mailed either way. An accepted
    coordinator is in training from now on (so completing the required modules makes them active)."""
    check_may_enrol(application)
    session = _lock(session)
    if session.cancelled_at is not None:
        raise _refuse(_l("This session has been cancelled."), where=_l("Enrolment"))
    if has_started(session):
        raise _refuse(_l("This session has already started."), where=_l("Enrolment"))
    enrolment = enrolment_in(session, application)
    if enrolment is not None and enrolment.status != "cancelled":
        raise _refuse(_l("Already enrolled in this session.") if enrolment.status == "enrolled"
                      else _l("Already on the waitlist of this session."), where=_l("Enrolment"))
    status = "enrolled" if enrolled_count(session) < session.capacity else "waitlisted"
    before = {"status": enrolment.status} if enrolment is not None else {"status": None}
    if enrolment is None:
        enrolment = Enrolment(session=session, application=application)
        db.session.add(enrolment)
    # (Re-)joining: the waitlist is in order of joining, so someone who comes back joins at the end.
    enrolment.status, enrolment.created_at = status, utcnow()
    enrolment.attended = enrolment.reminded_at = None
    db.session.flush()
    record(actor, "training.enrol", "enrolment", enrolment.id, before=before,
           after={"status": status, "session": session.id}, parent=("application", application.id),
           only_changes=False)
    if application.status == "accepted":
        told_accepted = application.notified_status == "accepted"
        pipeline.set_status(actor, application, "in_training",
                            summary=str(_l("Enrolled in a training session")))
        if told_accepted and _reachable(application):
            # The enrolment mail below is their news; the "you can now enrol" mail would come after the fact.
            application.notified_status = "in_training"
    if _reachable(application):
        if status == "enrolled":
            _mail(application, "training_enrolled", session, enrolment=enrolment, calendar=True)
        else:
            _mail(application, "training_waitlisted", session, enrolment=enrolment,
                  position=waitlist_position(enrolment))
    return enrolment


def enrolment_in(session: TrainingSession, application: Application) -> Enrolment | None:
    """The person's enrolment in the session, whatever its status; None if they never enrolled."""
    return db.session.scalar(select(Enrolment).where(Enrolment.session_id == session.id,
                                                     Enrolment.application_id == application.id))


def cancel_enrolment(actor: Actor, enrolment: Enrolment) -> list[Enrolment]:
    """Give up a seat or a waitlist place; a freed seat goes to the first on the waitlist (returned)."""
    session = _lock(enrolment.session)
    if enrolment.status == "cancelled":
        raise _refuse(_l("This enrolment has already been cancelled."), where=_l("Enrolment"))
    if has_started(session) and session.cancelled_at is None:
        raise _refuse(_l("This session has already started; the enrolment can no longer be cancelled."),
                      where=_l("Enrolment"))
    before = enrolment.status
    enrolment.status = "cancelled"
    enrolment.attended = enrolment.reminded_at = None
    db.session.flush()
    record(actor, "training.cancel", "enrolment", enrolment.id, before={"status": before},
           after={"status": "cancelled", "session": session.id}, parent=("application", enrolment.application_id))
    return _fill_seats(actor, session)


def _fill_seats(actor: Actor, session: TrainingSession) -> list[Enrolment]:
    """Give free seats to the waitlist in order (the session row is locked by the caller)."""
    promoted = []
    if not is_open(session):
        return promoted
    free = session.capacity - enrolled_count(session)
    for enrolment in waitlist(session)[:max(free, 0)]:
        enrolment.status = "enrolled"
        record(actor, "training.promote", "enrolment", enrolment.id, before={"status": "waitlisted"},
               after={"status": "enrolled", "session": session.id}, parent=("application", enrolment.application_id))
        if _reachable(enrolment.application):
            _mail(enrolment.application, "training_promoted", session, enrolment=enrolment, calendar=True)
        promoted.append(enrolment)
    db.session.flush()
    return promoted


# --- attendance and completion -------------------------------------------------------------------------------

def completion(application: Application, module: TrainingModule) -> Completion | None:
    return db.session.get(Completion, (application.id, module.id))


def _complete(actor: Actor, application: Application, module_id: int, session_id: int | None = None) -> bool:
    """Record a module as completed (in ``session_id``, or elsewhere); returns whether the person became active:
    a coordinator in training with every required module done becomes active (and is told so)."""
    db.session.add(Completion(application_id=application.id, module_id=module_id, session_id=session_id,
                              completed_at=utcnow()))
    record(actor, "training.complete", "application", application.id,
           after={"module": module_id, "session": session_id}, only_changes=False)
    db.session.flush()
    if application.status != "in_training" or pipeline.missing_required_modules(application):
        return False
    pipeline.set_status(actor, application, "active", summary=str(_l("All required training modules completed")))
    if _reachable(application):
        pipeline.send_notification(actor, application)
    return True


def _undo(actor: Actor, application: Application, done: Completion) -> None:
    record(actor, "training.undo_completion", "application", application.id,
           before={"module": done.module_id, "session": done.session_id}, only_changes=False)
    db.session.delete(done)
    db.session.flush()


def record_attendance(actor: Actor, enrolment: Enrolment, attended: bool) -> bool:
    """Attended: the module is complete (if it was not already). Not attended: a completion that came from
    this session is removed. Returns whether the person became active."""
    session = enrolment.session
    if enrolment.status != "enrolled":
        raise _refuse(_l("Attendance is recorded only for people with a seat."), where=_l("Attendance"))
    if session.cancelled_at is not None:
        raise _refuse(_l("This session has been cancelled."), where=_l("Attendance"))
    if not has_started(session):
        raise _refuse(_l("Attendance can be recorded once the session has started."), where=_l("Attendance"))
    before = enrolment.attended
    enrolment.attended = bool(attended)
    record(actor, "training.attendance", "enrolment", enrolment.id, before={"attended": before},
           after={"attended": enrolment.attended, "session": session.id},
           parent=("application", enrolment.application_id), only_changes=False)
    application = enrolment.application
    done = completion(application, session.module)
    if attended and done is None:
        return _complete(actor, application, session.module_id, session.id)
    if not attended and done is not None and done.session_id == session.id:
        _undo(actor, application, done)
    return False


def complete_module(actor: Actor, application: Application, module: TrainingModule) -> bool:
    """Staff record a module as done without a session (e.g. done elsewhere). Returns whether the person
    became active."""
    if not may_train(application):
        raise _refuse(_l("Training is recorded only for coordinators (accepted, in training or active); this "
                         "application is %(status)s.", status=pipeline.status_label(application.status)))
    if completion(application, module) is not None:
        raise _refuse(_l("%(module)s is already completed.", module=module.title))
    return _complete(actor, application, module.id)


def undo_completion(actor: Actor, application: Application, module: TrainingModule) -> None:
    """Remove a completion recorded by mistake. An active coordinator stays active (staff decide that)."""
    done = completion(application, module)
    if done is None:
        raise _refuse(_l("%(module)s is not completed.", module=module.title))
    _undo(actor, application, done)


@dataclass
class Progress:
    """One person's training: which modules are done, how many of the required ones."""

    modules: list[TrainingModule]
    done: dict[int, Completion]

    @property
    def required(self) -> list[TrainingModule]:
        return [m for m in self.modules if m.required]

    @property
    def required_done(self) -> int:
        return sum(1 for m in self.required if m.id in self.done)

    @property
    def complete(self) -> bool:
        return self.required_done == len(self.required)


def progress(application: Application) -> Progress:
    done = {c.module_id: c for c in db.session.scalars(select(Completion).where(
        Completion.application_id == application.id))}
    return Progress(modules(), done)


def enrolments_of(application: Application) -> list[Enrolment]:
    """A person's enrolments (also cancelled ones) with their sessions, soonest session first."""
    return list(db.session.scalars(select(Enrolment).join(TrainingSession).where(
        Enrolment.application_id == application.id).options(contains_eager(Enrolment.session))
        .order_by(TrainingSession.starts_at, Enrolment.id)))


# --- reminders -----------------------------------------------------------------------------------------------

def due_reminders(hours: int, now: dt.datetime | None = None, *, lock: bool = False) -> list[Enrolment]:
    """Seats (not waitlist places) in sessions that are not cancelled and start within ``hours``, whose
    holder has not been reminded yet."""
    now = now or utcnow()
    query = (select(Enrolment).join(TrainingSession).join(Application, Enrolment.application_id == Application.id)
             .where(TrainingSession.cancelled_at.is_(None), TrainingSession.starts_at > now,
                    TrainingSession.starts_at <= now + dt.timedelta(hours=hours),
                    Enrolment.status == "enrolled", Enrolment.reminded_at.is_(None),
                    Application.status.in_(MAY_ENROL), Application.anonymised_at.is_(None))
             .order_by(TrainingSession.starts_at, Enrolment.id))
    if lock:
        # Two cron runs at once: the second skips the rows the first is mailing (PostgreSQL; a no-op on SQLite).
        query = query.with_for_update(of=Enrolment, skip_locked=True)
    return list(db.session.scalars(query))


def send_reminders(actor: Actor, *, hours: int, now: dt.datetime | None = None) -> int:
    """Mail every due reminder once (with the session as a calendar file); returns how many went out."""
    now = now or utcnow()
    due = due_reminders(hours, now, lock=True)
    per_session: dict[int, int] = {}
    for enrolment in due:
        _mail(enrolment.application, "training_reminder", enrolment.session, enrolment=enrolment, calendar=True)
        enrolment.reminded_at = now
        per_session[enrolment.session_id] = per_session.get(enrolment.session_id, 0) + 1
    for session_id, count in per_session.items():
        record(actor, "training_session.remind", "training_session", session_id, after={"reminded": count},
               only_changes=False)
    return len(due)

"""Training: seats and the waitlist, attendance and completion, becoming active, the editors' forms, the
coordinator's own page and the reminders."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from flask_babel import force_locale, to_user_timezone
from icalendar import Calendar
from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, utcnow
from campaign.coordinators import training
from campaign.coordinators.calendar import session_calendar
from campaign.coordinators.models import Completion, Enrolment, TrainingModule, TrainingSession
from campaign.coordinators.training_cli import send_reminders_command

from tests.helpers import csrf_token, post_form, statements

STAFF = Actor.system("tests")
ADMIN = "/beheer/coordinatoren/training"
WORKSPACE = "/werkplek/training"


@pytest.fixture()
def make_session(db_session):
    """``make_session(module=None, hours=72, capacity=2, ...)``: a session starting ``hours`` from now."""

    def make(module=None, *, hours: float = 72, capacity: int = 2, title: str = "Lokaal lobbyen",
             required: bool = True, **fields):
        if module is None:
            module = TrainingModule(title=title, required=required, goals="Weten hoe de gemeenteraad werkt.")
            db_session.add(module)
        start = (utcnow() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)
        session = TrainingSession(module=module, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                  capacity=capacity, trainer="Trainer T.", **fields)
        db_session.add(session)
        db_session.commit()
        return session

    return make


def _subjects(mailbox):
    return [m["Subject"] for m in mailbox.messages()]


def _calendar_of(message) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert parts[0].get_filename() == "training.ics"
    return Calendar.from_ical(parts[0].get_content() if isinstance(parts[0].get_content(), bytes)
                              else parts[0].get_content().encode())


def _refusal(db_session, session, person) -> str:
    """Enrolling ``person`` is refused: the message, in English; the transaction is rolled back."""
    with pytest.raises(ValidationFailed) as caught, force_locale("en"):
        training.enrol(STAFF, session, person)
    db_session.rollback()
    return str(caught.value)


def _start_in_past(db_session, session):
    """Time passes: the session has started (attendance can be recorded)."""
    length = session.ends_at - session.starts_at
    session.starts_at = utcnow() - dt.timedelta(minutes=30)
    session.ends_at = session.starts_at + length
    db_session.commit()


# --- seats and the waitlist ----------------------------------------------------------------------------------

def test_a_full_session_puts_the_next_person_on_the_waitlist_and_a_freed_seat_goes_to_them(
        applications, make_session, db_session, mailbox):
    session = make_session(capacity=2, mode="online", location="https://meet.example.org/lobby")
    first, second, third = (applications.create("in_training", language="en") for _ in range(3))
    mailbox.clear()

    statuses = []
    for person in (first, second, third):
        statuses.append(training.enrol(STAFF, session, person).status)
        db_session.commit()
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    messages = mailbox.messages()
    assert [m["To"] for m in messages] == [first.email, second.email, third.email]
    assert messages[0]["Subject"].startswith("You are enrolled")
    # The calendar file speaks the person's language too, not that of whoever enrolled them (Dutch here).
    description = str(_calendar_of(messages[0]).walk("VEVENT")[0]["DESCRIPTION"])
    assert "Meeting link: https://meet.example.org/lobby" in description
    assert messages[2]["Subject"].startswith("On the waitlist")
    assert "number 1 on the waitlist" in mailbox.body(messages[2])
    assert not list(messages[2].iter_attachments())

    mailbox.clear()
    mine = db_session.scalar(select(Enrolment).where(Enrolment.application_id == first.id))
    promoted = training.cancel_enrolment(STAFF, mine)
    db_session.commit()
    assert [e.application_id for e in promoted] == [third.id]
    assert {e.application_id: e.status for e in session.enrolments} == {
        first.id: "cancelled", second.id: "enrolled", third.id: "enrolled"}
    (message,) = mailbox.messages()
    assert message["To"] == third.email and message["Subject"].startswith("A seat came free")
    assert _calendar_of(message).walk("VEVENT")[0]["UID"] == f"training-session-{session.id}@cultuurwijzer.test"


def test_the_waitlist_keeps_its_order_and_someone_who_comes_back_joins_at_the_end(applications, make_session,
                                                                                 db_session):
    session = make_session(capacity=1)
    people = [applications.create("accepted") for _ in range(4)]
    enrolments = []
    for person in people:
        enrolments.append(training.enrol(STAFF, session, person))
        db_session.commit()
    assert [training.waitlist_position(e) for e in enrolments] == [None, 1, 2, 3]
    training.cancel_enrolment(STAFF, enrolments[1])
    db_session.commit()
    again = training.enrol(STAFF, session, people[1])
    db_session.commit()
    assert again.id == enrolments[1].id  # the cancelled enrolment comes back to life
    assert [e.application_id for e in training.waitlist(session)] == [people[2].id, people[3].id, people[1].id]


def test_nobody_enrols_twice(applications, make_session, db_session):
    session = make_session(capacity=1)
    person, other = applications.create("active"), applications.create("active")
    training.enrol(STAFF, session, person)
    training.enrol(STAFF, session, other)
    db_session.commit()
    for who, expected in ((person, "Already enrolled"), (other, "Already on the waitlist")):
        assert expected in _refusal(db_session, session, who)
    assert db_session.scalar(select(Enrolment.id).where(Enrolment.application_id == person.id).limit(1))
    assert len(session.enrolments) == 2


@pytest.mark.parametrize("status", ["verified", "in_conversation", "stopped", "rejected", "withdrawn"])
def test_only_accepted_coordinators_in_training_or_active_may_enrol(status, applications, make_session, db_session):
    session = make_session()
    person = applications.create(status)
    assert "Only accepted coordinators can enrol" in _refusal(db_session, session, person)
    assert session.enrolments == []


def test_no_enrolment_in_a_cancelled_or_started_session(applications, make_session, db_session):
    person = applications.create("in_training")
    cancelled = make_session()
    training.cancel_session(STAFF, cancelled)
    started = make_session(hours=-0.5)
    db_session.commit()
    for session, message in ((cancelled, "cancelled"), (started, "already started")):
        assert message in _refusal(db_session, session, person)


def test_two_people_cannot_take_the_last_seat_at_once(app, applications, make_session, db_session):
    """The seat count runs with the session row locked: the second enrolment waits for the first (on SQLite,
    for the write lock that lock_row takes before counting)."""
    from campaign.coordinators.models import Application
    from campaign.extensions import db

    session_id = make_session(capacity=1).id
    people = [applications.create("in_training").id for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def enrol_one(application_id):
        with app.app_context():
            try:
                session = db.session.get(TrainingSession, session_id)
                person = db.session.get(Application, application_id)
                barrier.wait(timeout=10)
                statuses.append(training.enrol(STAFF, session, person).status)
                time.sleep(0.3)  # hold the lock a while: without it both would count a free seat
                db.session.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enrol_one, args=(pid,)) for pid in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and sorted(statuses) == ["enrolled", "waitlisted"]


# --- attendance, completion, becoming active -----------------------------------------------------------------

def test_attendance_completes_the_module_and_not_attending_undoes_it(applications, make_session, db_session):
    session = make_session(required=False)
    person = applications.create("in_training")
    enrolment = training.enrol(STAFF, session, person)
    db_session.commit()
    with pytest.raises(ValidationFailed):  # not before the session has started
        training.record_attendance(STAFF, enrolment, True)
    db_session.rollback()
    _start_in_past(db_session, session)

    training.record_attendance(STAFF, enrolment, True)
    db_session.commit()
    done = db_session.get(Completion, (person.id, session.module_id))
    assert done is not None and done.session_id == session.id and enrolment.attended is True

    training.record_attendance(STAFF, enrolment, False)
    db_session.commit()
    assert db_session.get(Completion, (person.id, session.module_id)) is None and enrolment.attended is False


def test_completing_the_last_required_module_makes_a_coordinator_in_training_active(
        applications, make_session, db_session, mailbox):
    lobbying = TrainingModule(title="Lokaal lobbyen", required=True)
    debate = TrainingModule(title="Een debat organiseren", required=True)
    press = TrainingModule(title="Pers en sociale media", required=False)
    db_session.add_all([lobbying, debate, press])
    db_session.commit()
    person = applications.create("in_training", language="en")
    session = make_session(debate)
    enrolment = training.enrol(STAFF, session, person)
    db_session.commit()
    _start_in_past(db_session, session)
    mailbox.clear()

    assert training.complete_module(STAFF, person, press) is False  # optional modules do not count
    assert training.complete_module(STAFF, person, lobbying) is False
    db_session.commit()
    assert person.status == "in_training" and mailbox.messages() == []

    assert training.record_attendance(STAFF, enrolment, True) is True
    db_session.commit()
    assert person.status == "active"
    (message,) = mailbox.messages()
    assert message["To"] == person.email and message["Subject"] == "You are now an active culture coordinator"
    moves = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "application.move",
                                                        AuditEntry.object_id == str(person.id))
                               .order_by(AuditEntry.id)).all()
    assert moves[-1].after == {"status": "active"}


def test_an_accepted_coordinator_who_completes_everything_is_not_moved_past_in_training(applications, db_session):
    module = TrainingModule(title="Lokaal lobbyen", required=True)
    db_session.add(module)
    db_session.commit()
    person = applications.create("accepted")
    assert training.complete_module(STAFF, person, module) is False
    db_session.commit()
    assert person.status == "accepted"  # "in training" is a decision of the team (pipeline board)


def test_an_accepted_coordinator_who_enrols_is_in_training_and_becomes_active_after_the_last_module(
        english, users, applications, make_session, db_session, mailbox):
    session = make_session(required=True)
    person = applications.create("accepted", language="en")
    person.notified_status = "accepted"  # the acceptance mail went out
    db_session.commit()
    users.login(english, person.user)
    mailbox.clear()

    response = post_form(english, f"{WORKSPACE}/sessie/{session.id}/inschrijven", token_from=WORKSPACE)
    assert response.status_code == 302
    db_session.expire_all()
    person = db_session.get(type(person), person.id)
    assert person.status == "in_training"
    # The enrolment mail is their news: the board does not ask staff to send "you can now enrol" afterwards.
    assert _subjects(mailbox) == ["You are enrolled: Lokaal lobbyen"] and not person.awaits_notification
    move = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "application.move",
                                                       AuditEntry.object_id == str(person.id))
                              .order_by(AuditEntry.id)).all()[-1]
    assert move.before == {"status": "accepted"} and move.after == {"status": "in_training"}
    assert move.actor_id == person.user.id  # the person who enrolled

    mailbox.clear()
    _start_in_past(db_session, session)
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.application_id == person.id))
    assert training.record_attendance(STAFF, enrolment, True) is True
    db_session.commit()
    assert person.status == "active"
    assert _subjects(mailbox) == ["You are now an active culture coordinator"]


def test_an_accepted_coordinator_on_a_waitlist_is_in_training_too(applications, make_session, db_session):
    session = make_session(capacity=1)
    training.enrol(STAFF, session, applications.create("active"))
    person = applications.create("accepted")
    assert training.enrol(STAFF, session, person).status == "waitlisted"
    db_session.commit()
    assert person.status == "in_training"
    assert person.awaits_notification  # never told of the acceptance: staff still see that


def test_which_modules_are_required_decides_when_someone_becomes_active(
        app, english, users, applications, db_session, mailbox):
    lobbying = TrainingModule(title="Lokaal lobbyen", required=True, position=1)
    press = TrainingModule(title="Pers en sociale media", required=False, position=2)
    db_session.add_all([lobbying, press])
    db_session.commit()
    person = applications.create("in_training")
    users.login(english, users.create("editor"))

    # The team makes press work required: completing lobbying alone is no longer enough.
    edit = f"{ADMIN}/modules/{press.id}"
    response = post_form(english, edit, {"title": press.title, "required": "y", "position": "2"}, token_from=edit)
    assert response.status_code == 302
    assert db_session.get(TrainingModule, press.id).required is True
    training.complete_module(STAFF, person, lobbying)
    db_session.commit()
    assert person.status == "in_training"
    training.complete_module(STAFF, person, press)
    db_session.commit()
    assert person.status == "active"

    # And the other way: with press work optional again, someone who only did lobbying is ready.
    other = applications.create("in_training", name="Klaar Met Lobbyen")
    training.complete_module(STAFF, other, lobbying)
    not_yet = applications.create("in_training", name="Nog Niet Begonnen")  # has done nothing yet
    db_session.commit()
    post_form(english, edit, {"title": press.title, "position": "2"}, token_from=edit)
    assert db_session.get(TrainingModule, press.id).required is False
    page = english.get(ADMIN).get_data(as_text=True)
    assert "completed every required module but is not active yet" in page and other.name in page
    assert not_yet.name not in page


def test_staff_record_and_undo_a_completion_on_the_participant_page(english, users, applications, db_session):
    module = TrainingModule(title="De Cultuurwijzer uitleggen", required=False)
    db_session.add(module)
    db_session.commit()
    person = applications.create("active")
    users.login(english, users.create("editor"))
    page = f"{ADMIN}/deelnemers/{person.id}"
    assert "0 of 0 required modules done" in english.get(page).get_data(as_text=True)

    response = post_form(english, f"{page}/modules/{module.id}/afgerond", token_from=page)
    assert response.status_code == 302
    assert db_session.get(Completion, (person.id, module.id)) is not None
    assert "recorded by the team" in english.get(page).get_data(as_text=True)
    again = post_form(english, f"{page}/modules/{module.id}/afgerond", token_from=page)
    assert again.status_code == 422 and "already completed" in again.get_data(as_text=True)

    post_form(english, f"{page}/modules/{module.id}/ongedaan", token_from=page)
    db_session.expire_all()
    assert db_session.get(Completion, (person.id, module.id)) is None
    assert person.status == "active"  # undoing does not demote anyone


def test_the_audit_log_holds_ids_and_statuses_but_no_personal_data(applications, db_session):
    module = TrainingModule(title="Lokaal lobbyen", required=True)
    start = (utcnow() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    session = training.create_session(STAFF, module, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                      capacity=2, trainer="Trainer T.")
    training.update_session(STAFF, session, starts_at=start, ends_at=session.ends_at, mode=session.mode,
                            capacity=1, trainer="Trainer U.")
    people = [applications.create("in_training", name=f"Geheime Naam {i}", email=f"geheim{i}@example.org")
              for i in range(2)]
    enrolments = [training.enrol(STAFF, session, p) for p in people]
    training.cancel_enrolment(STAFF, enrolments[0])
    _start_in_past(db_session, session)
    training.record_attendance(STAFF, enrolments[1], True)
    db_session.commit()
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action.like("training%"))).all()
    assert {e.action for e in entries} >= {"training_session.create", "training_session.update", "training.enrol",
                                           "training.cancel", "training.promote", "training.attendance",
                                           "training.complete"}
    text = repr([(e.summary, e.before, e.after) for e in entries])
    assert "Geheim" not in text and "geheim" not in text and "Trainer" not in text


# --- the editors' pages --------------------------------------------------------------------------------------

def test_editors_add_a_module_and_a_session_and_see_seats_and_waitlist(english, users, applications, db_session):
    users.login(english, users.create("editor"))
    new = f"{ADMIN}/modules/nieuw"
    response = post_form(english, new, {
        "title": "Lokaal lobbyen", "goals": "De raad kennen.", "required": "y",
        "materials": "Handboek | https://example.org/handboek.pdf\nDe gedrukte map"}, token_from=new)
    assert response.status_code == 302
    module = db_session.scalar(select(TrainingModule))
    assert module.required and module.title == "Lokaal lobbyen"

    form = f"{ADMIN}/modules/{module.id}/sessies/nieuw"
    response = post_form(english, form, {"starts_at": "2030-02-10T19:30", "ends_at": "2030-02-10T21:30",
                                        "mode": "location", "location": "Muziekschool, Utrecht",
                                        "capacity": "1", "trainer": "Trainer T."}, token_from=form)
    assert response.status_code == 302
    session = db_session.scalar(select(TrainingSession))
    # Entered in Dutch (winter) time, stored in UTC.
    assert session.starts_at == dt.datetime(2030, 2, 10, 18, 30) and session.capacity == 1
    for _ in range(2):
        training.enrol(STAFF, session, applications.create("in_training"))
    db_session.commit()

    page = english.get(ADMIN).get_data(as_text=True)
    assert "1 of 1" in page and "full" in page
    row = re.search(r"<tr>.*?</tr>", page.split("<tbody>")[1], re.S).group(0)
    assert re.search(r"<td>1</td>\s*</tr>", row)  # one on the waitlist
    detail = english.get(f"{ADMIN}/sessies/{session.id}").get_data(as_text=True)
    assert "Waitlist" in detail and "Vrijwilliger" in detail


def test_a_material_link_must_be_a_web_address(english, users, db_session):
    users.login(english, users.create("editor"))
    new = f"{ADMIN}/modules/nieuw"
    response = post_form(english, new, {"title": "Pers", "materials": "Klik | javascript:alert(1)"}, token_from=new)
    assert response.status_code == 422
    assert "Line 1: after the | comes a web address" in response.get_data(as_text=True)
    assert db_session.scalar(select(TrainingModule)) is None


@pytest.mark.parametrize("change, field, message", [
    ({"ends_at": "2030-02-10T18:00"}, "ends_at", "must end after it starts"),
    ({"capacity": "0"}, "capacity", "at least 1"),
    ({"mode": "location", "location": ""}, "location", "address of the location"),
    ({"location": "zoom, zie mail"}, "location", "meeting link"),
    # Year 1 used to end in a 500 (it cannot be converted to UTC); any year far off is a typing mistake.
    ({"starts_at": "0001-01-01T00:10"}, "starts_at", "between the years 2000 and 2100"),
    ({"ends_at": "2230-02-10T21:30"}, "ends_at", "between the years 2000 and 2100"),
])
def test_the_session_form_refuses_bad_input_beside_the_field(change, field, message, english, users, make_session,
                                                             db_session):
    module = make_session().module
    count = len(module.sessions)
    users.login(english, users.create("editor"))
    form = f"{ADMIN}/modules/{module.id}/sessies/nieuw"
    data = {"starts_at": "2030-02-10T19:30", "ends_at": "2030-02-10T21:30", "mode": "online",
            "location": "https://meet.example.org/abc", "capacity": "5"}
    data.update(change)
    response = post_form(english, form, data, token_from=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    assert error and message.lower() in error.group(1).lower(), html
    db_session.expire_all()
    assert len(db_session.get(TrainingModule, module.id).sessions) == count


def test_the_capacity_cannot_go_below_the_number_enrolled_and_more_seats_go_to_the_waitlist(
        english, users, applications, make_session, db_session, mailbox):
    session = make_session(capacity=2)
    start = session.starts_at
    people = [applications.create("in_training") for _ in range(4)]
    for person in people:
        training.enrol(STAFF, session, person)
    db_session.commit()
    users.login(english, users.create("editor"))
    form = f"{ADMIN}/sessies/{session.id}/bewerken"
    page = english.get(form).get_data(as_text=True)
    local = re.search(r'name="starts_at"[^>]*value="([^"]+)"', page).group(1)
    end = re.search(r'name="ends_at"[^>]*value="([^"]+)"', page).group(1)
    data = {"starts_at": local, "ends_at": end, "mode": "online", "location": "", "capacity": "1"}
    response = post_form(english, form, data, token_from=form)
    assert response.status_code == 422
    assert "2 people are already enrolled" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(TrainingSession, session.id).capacity == 2
    assert 'value="' + local + '"' in page and local.startswith(to_user_timezone(start).strftime("%Y-%m-%dT%H:%M"))

    mailbox.clear()
    response = post_form(english, form, dict(data, capacity="3"), token_from=form)
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(TrainingSession, session.id).starts_at == start  # shown and read back in Dutch time
    statuses = [e.status for e in db_session.get(TrainingSession, session.id).enrolments]
    assert statuses == ["enrolled", "enrolled", "enrolled", "waitlisted"]
    assert [m["To"] for m in mailbox.messages()] == [people[2].email]


def test_attendance_on_the_session_page_with_and_without_htmx(english, users, applications, make_session,
                                                              db_session):
    session = make_session()
    person = applications.create("in_training")
    enrolment = training.enrol(STAFF, session, person)
    db_session.commit()
    users.login(english, users.create("editor"))
    page = f"{ADMIN}/sessies/{session.id}"
    assert "Attendance can be recorded once the session has started" in english.get(page).get_data(as_text=True)
    _start_in_past(db_session, session)

    url = f"{ADMIN}/inschrijvingen/{enrolment.id}/aanwezigheid"
    response = post_form(english, url, {"attended": "yes"}, token_from=page)
    assert response.status_code == 302 and response.location.endswith(f"#enrolment-{enrolment.id}")
    assert db_session.get(Completion, (person.id, session.module_id)) is not None

    token = csrf_token(english, page)
    fragment = english.post(url, data={"attended": "no", "csrf_token": token}, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.strip().startswith(f'<tr id="enrolment-{enrolment.id}"')
    assert "<html" not in html and ">no<" in html
    db_session.expire_all()
    assert db_session.get(Completion, (person.id, session.module_id)) is None

    bad = english.post(url, data={"attended": "perhaps", "csrf_token": token})
    assert bad.status_code == 422


def test_cancelling_a_session_mails_everyone_enrolled_or_waiting(english, users, applications, make_session,
                                                                 db_session, mailbox):
    session = make_session(capacity=1)
    seated, waiting = applications.create("in_training", language="en"), applications.create("active", language="en")
    training.enrol(STAFF, session, seated)
    training.enrol(STAFF, session, waiting)
    db_session.commit()
    mailbox.clear()
    users.login(english, users.create("editor"))
    url = f"{ADMIN}/sessies/{session.id}/annuleren"
    confirm = english.get(url).get_data(as_text=True)
    assert "Everyone with a seat (1) and everyone on the waitlist (1) will get a mail" in confirm
    response = post_form(english, url, token_from=url)
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(TrainingSession, session.id).cancelled_at is not None
    messages = {m["To"]: m for m in mailbox.messages()}
    assert set(messages) == {seated.email, waiting.email}
    assert all(m["Subject"].startswith("Cancelled:") for m in messages.values())
    event = _calendar_of(messages[seated.email]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1  # above the enrolment's file (0), so calendars take the event off
    assert not list(messages[waiting.email].iter_attachments())
    again = post_form(english, url, token_from=url)
    assert again.status_code == 422


# --- the coordinator's page ----------------------------------------------------------------------------------

def test_a_coordinator_enrols_and_cancels_without_javascript(english, users, applications, make_session, db_session,
                                                             mailbox):
    session = make_session(capacity=3, mode="online", location="https://meet.example.org/lobby")
    person = applications.create("accepted")
    users.login(english, person.user)
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "0 of 1 required modules done" in page and "3 seats left" in page
    assert "https://meet.example.org/lobby" not in page  # the meeting link is for people with a seat

    response = post_form(english, f"{WORKSPACE}/sessie/{session.id}/inschrijven", token_from=WORKSPACE)
    assert response.status_code == 302 and response.location.endswith("/werkplek/training#my-enrolments")
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "You are enrolled in Lokaal lobbyen" in page and "2 seats left" in page
    assert "https://meet.example.org/lobby" in page
    ics = english.get(f"{WORKSPACE}/sessie/{session.id}/agenda.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == session.starts_at.replace(tzinfo=dt.timezone.utc)

    response = post_form(english, f"{WORKSPACE}/sessie/{session.id}/afmelden", token_from=WORKSPACE)
    assert response.status_code == 302
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "You are no longer enrolled" in page and "3 seats left" in page
    assert english.get(f"{WORKSPACE}/sessie/{session.id}/agenda.ics").status_code == 404


def test_a_full_session_offers_the_waitlist_and_shows_the_position(english, applications, users, make_session,
                                                                   db_session):
    session = make_session(capacity=1)
    training.enrol(STAFF, session, applications.create("active"))
    db_session.commit()
    person = applications.create("in_training")
    users.login(english, person.user)
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "Join the waitlist" in page
    post_form(english, f"{WORKSPACE}/sessie/{session.id}/inschrijven", token_from=WORKSPACE)
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "you are number 1 on the waitlist" in page and "waitlist: number 1" in page


def test_a_coordinator_cannot_cancel_someone_elses_enrolment(client, users, applications, make_session, db_session):
    session = make_session()
    owner, other = applications.create("in_training"), applications.create("in_training")
    training.enrol(STAFF, session, owner)
    db_session.commit()
    users.login(client, other.user)
    assert post_form(client, f"{WORKSPACE}/sessie/{session.id}/afmelden", token_from=WORKSPACE).status_code == 404
    assert client.get(f"{WORKSPACE}/sessie/{session.id}/agenda.ics").status_code == 404
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.application_id == owner.id))
    assert post_form(client, f"{ADMIN}/inschrijvingen/{enrolment.id}/afmelden",
                     token_from=WORKSPACE).status_code == 403
    db_session.expire_all()
    assert db_session.get(Enrolment, enrolment.id).status == "enrolled"


def test_a_stopped_coordinator_cannot_enrol(english, users, applications, make_session, db_session):
    session = make_session()
    person = applications.create("stopped")
    with pytest.raises(ValidationFailed):
        training.enrol(STAFF, session, person)
    db_session.rollback()
    # Their account is switched off, so the workspace is closed to them as well.
    users.login(english, person.user)
    assert english.get(WORKSPACE).status_code == 302
    # A person who is not (yet) a coordinator sees why the button is missing, and a forged post is refused.
    not_yet = applications.create("accepted")
    not_yet.status = "in_conversation"  # e.g. moved back by hand; still has the account
    db_session.commit()
    users.login(english, not_yet.user)
    page = english.get(WORKSPACE).get_data(as_text=True)
    assert "Enrolling is open to coordinators who are accepted" in page and ">Enrol<" not in page
    response = post_form(english, f"{WORKSPACE}/sessie/{session.id}/inschrijven", token_from=WORKSPACE)
    assert response.status_code == 422 and "Only accepted coordinators can enrol" in response.get_data(as_text=True)
    assert session.enrolments == []


def test_staff_without_a_coordinator_record_get_an_explanation(english, users, make_session, db_session):
    session = make_session()
    users.login(english, users.create("editor"))
    response = english.get(WORKSPACE)
    assert response.status_code == 200
    assert "does not belong to a coordinator" in response.get_data(as_text=True)
    response = post_form(english, f"{WORKSPACE}/sessie/{session.id}/inschrijven", token_from=WORKSPACE)
    assert response.status_code == 302
    assert "no coordinator record" in english.get(WORKSPACE).get_data(as_text=True)
    assert session.enrolments == []


def test_one_persons_training_pages_take_the_same_queries_for_two_or_twelve_enrolments(
        english, users, applications, make_session, db_session):
    """Each enrolment's session, and the waitlist numbers, come with the list: not a query per row."""
    person = applications.create("in_training")
    editor = users.create("editor")
    modules = [TrainingModule(title=f"Module {n}") for n in range(3)]
    db_session.add_all(modules)
    db_session.commit()

    def enrol_in(number: int) -> None:
        """Half of the sessions full already, so the person waits there."""
        for n in range(number):
            session = make_session(modules[n % 3], hours=24 * (n + 2), capacity=1)
            if n % 2:
                training.enrol(STAFF, session, applications.create("in_training"))
            training.enrol(STAFF, session, person)
            db_session.commit()

    def queries() -> list[int]:
        counts = []
        for who, path in ((editor, f"{ADMIN}/deelnemers/{person.id}"), (person.user, WORKSPACE)):
            users.login(english, who)
            with statements() as ran:
                page = english.get(path).get_data(as_text=True)
            assert "number 1" in page
            counts.append(len(ran))
        return counts

    enrol_in(2)
    few = queries()
    enrol_in(10)
    assert queries() == few


# --- reminders -----------------------------------------------------------------------------------------------

def test_send_reminders_mails_each_seat_once_with_a_calendar_file(app, applications, make_session, db_session,
                                                                  mailbox):
    soon = make_session(hours=20, capacity=2, mode="location", location="Muziekschool, Utrecht")
    later = make_session(hours=200)
    cancelled = make_session(hours=10)
    seated = [applications.create("in_training", language="en") for _ in range(2)]
    waiting = applications.create("in_training")
    for person in seated + [waiting]:
        training.enrol(STAFF, soon, person)
    training.enrol(STAFF, later, seated[0])
    training.enrol(STAFF, cancelled, seated[1])
    db_session.commit()
    training.cancel_session(STAFF, cancelled)
    db_session.commit()
    mailbox.clear()
    runner = app.test_cli_runner()

    dry = runner.invoke(send_reminders_command, ["--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("2 "), dry.output
    assert mailbox.messages() == []
    db_session.expire_all()
    assert all(e.reminded_at is None for e in db_session.scalars(select(Enrolment)))

    result = runner.invoke(send_reminders_command, [])
    assert result.exit_code == 0 and result.output.startswith("2 "), result.output
    messages = mailbox.messages()
    assert sorted(m["To"] for m in messages) == sorted(p.email for p in seated)
    for message in messages:
        assert message["Subject"].startswith("Reminder: Lokaal lobbyen")
        assert "Muziekschool, Utrecht" in mailbox.body(message)
        event = _calendar_of(message).walk("VEVENT")[0]
        assert event.decoded("DTSTART") == soon.starts_at.replace(tzinfo=dt.timezone.utc)
        assert event.decoded("DTEND") == soon.ends_at.replace(tzinfo=dt.timezone.utc)
        assert str(event["SUMMARY"]) == "Lokaal lobbyen" and str(event["LOCATION"]) == "Muziekschool, Utrecht"

    again = runner.invoke(send_reminders_command, [])
    assert again.exit_code == 0 and again.output.startswith("0 "), again.output
    assert len(mailbox.messages()) == 2

    wider = runner.invoke(send_reminders_command, ["--hours", "300", "--dry-run"])
    assert wider.output.startswith("1 ")  # the session in 200 hours; never the cancelled one


def test_a_session_moved_to_a_new_time_reminds_again(applications, make_session, db_session, mailbox):
    session = make_session(hours=20)
    training.enrol(STAFF, session, applications.create("in_training"))
    db_session.commit()
    assert training.send_reminders(STAFF, hours=48) == 1
    db_session.commit()
    training.update_session(STAFF, session, starts_at=session.starts_at + dt.timedelta(hours=2),
                            ends_at=session.ends_at + dt.timedelta(hours=2), mode=session.mode,
                            capacity=session.capacity)
    db_session.commit()
    assert training.send_reminders(STAFF, hours=48) == 1


# --- changes of time or place --------------------------------------------------------------------------------

def test_a_new_time_is_mailed_to_everyone_and_the_calendar_file_replaces_the_earlier_one(
        english, users, applications, make_session, db_session, mailbox):
    session = make_session(capacity=1, mode="online", location="https://meet.example.org/old")
    seated, waiting = applications.create("in_training", language="en"), applications.create("active")
    training.enrol(STAFF, session, seated)
    training.enrol(STAFF, session, waiting)
    db_session.commit()
    (enrolment_mail,) = [m for m in mailbox.messages() if m["To"] == seated.email]
    first = _calendar_of(enrolment_mail).walk("VEVENT")[0]
    assert first["SEQUENCE"] == 0
    mailbox.clear()
    users.login(english, users.create("editor"))
    form = f"{ADMIN}/sessies/{session.id}/bewerken"
    old_start = session.starts_at
    new_start = to_user_timezone(old_start + dt.timedelta(days=1)).replace(tzinfo=None)
    data = {"starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (new_start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "online", "location": "https://meet.example.org/new", "capacity": "1"}

    response = post_form(english, form, data, token_from=form)
    assert response.status_code == 302
    page = english.get(response.location).get_data(as_text=True)
    assert "2 people enrolled or on the waitlist have been mailed about the new time or place" in page
    assert "starts in the past" not in page
    db_session.expire_all()
    session = db_session.get(TrainingSession, session.id)
    assert session.sequence == 1 and session.starts_at == old_start + dt.timedelta(days=1)

    messages = {m["To"]: m for m in mailbox.messages()}
    assert set(messages) == {seated.email, waiting.email}
    mail = messages[seated.email]
    assert mail["Subject"].startswith("Changed: Lokaal lobbyen")
    body = mailbox.body(mail)
    assert "https://meet.example.org/new" in body and "You still have a seat" in body
    with force_locale("en"):
        assert f"Before the change: {training.when_text(old_start, old_start + dt.timedelta(hours=2))}" in body
    event = _calendar_of(mail).walk("VEVENT")[0]
    assert str(event["UID"]) == str(first["UID"]) and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == session.starts_at.replace(tzinfo=dt.timezone.utc)
    assert event.decoded("DTEND") == session.ends_at.replace(tzinfo=dt.timezone.utc)
    # The waiting person reads it in Dutch, without a calendar file and without the meeting link.
    waiting_mail = messages[waiting.email]
    assert waiting_mail["Subject"].startswith("Gewijzigd: Lokaal lobbyen")
    assert "nummer 1 van de wachtlijst" in mailbox.body(waiting_mail)
    assert "meet.example.org" not in mailbox.body(waiting_mail)
    assert not list(waiting_mail.iter_attachments())
    update = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "training_session.update")).one()
    assert update.before["sequence"] == 0 and update.after["sequence"] == 1

    # More seats and a new trainer: not a change of time or place, so no mail and the same revision...
    mailbox.clear()
    response = post_form(english, form, dict(data, capacity="2", trainer="Iemand anders"), token_from=form)
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(TrainingSession, session.id).sequence == 1
    # ...except for the person who moved up, who hears about the seat (with the current calendar file).
    (promoted,) = mailbox.messages()
    assert promoted["To"] == waiting.email and "Er is een plaats vrijgekomen" in promoted["Subject"]
    assert _calendar_of(promoted).walk("VEVENT")[0]["SEQUENCE"] == 1

    # Only the place changes: mailed again, and cancelling afterwards raises the revision once more.
    mailbox.clear()
    training.update_session(STAFF, session, starts_at=session.starts_at, ends_at=session.ends_at, mode="location",
                            location="Muziekschool, Utrecht", capacity=2)
    db_session.commit()
    assert session.sequence == 2 and len(mailbox.messages()) == 2
    assert all("Before the change" not in mailbox.body(m) and "Voor de wijziging" not in mailbox.body(m)
               for m in mailbox.messages())
    mailbox.clear()
    training.cancel_session(STAFF, session)
    db_session.commit()
    assert {_calendar_of(m).walk("VEVENT")[0]["SEQUENCE"] for m in mailbox.messages()} == {3}


def test_a_session_entered_in_the_past_is_saved_with_a_warning(english, users, make_session, db_session):
    module = make_session().module
    users.login(english, users.create("editor"))
    form = f"{ADMIN}/modules/{module.id}/sessies/nieuw"
    response = post_form(english, form, {"starts_at": "2020-02-10T19:30", "ends_at": "2020-02-10T21:30",
                                        "mode": "online", "capacity": "5"}, token_from=form)
    assert response.status_code == 302
    page = english.get(response.location).get_data(as_text=True)
    assert "Session scheduled." in page and "this session starts in the past" in page
    assert db_session.scalar(select(TrainingSession).where(TrainingSession.starts_at < utcnow())) is not None


def test_the_calendar_file(app, make_session, db_session):
    session = make_session(mode="location", location="Muziekschool, Utrecht")
    calendar = Calendar.from_ical(session_calendar(session, url="https://cultuurwijzer.test/werkplek/training"))
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"training-session-{session.id}@cultuurwijzer.test"
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert "Weten hoe de gemeenteraad werkt." in str(event["DESCRIPTION"])
    assert "Trainer T." in str(event["DESCRIPTION"])
    assert event["DTSTAMP"]

"""The pipeline's rules: allowed moves only, and what accepting, activating and stopping do."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from campaign.core.audit import Actor, history
from campaign.core.errors import ValidationFailed
from campaign.coordinators.assignment import assign, current_lead
from campaign.coordinators.models import Completion, TrainingModule
from campaign.coordinators.pipeline import move, notify_once, send_notification, staff_targets

STAFF = Actor.system("tests")


def test_a_move_that_is_not_allowed_is_refused_with_the_allowed_ones_named(applications, db_session):
    application = applications.create("verified")
    with pytest.raises(ValidationFailed) as caught, force_locale("en"):
        move(STAFF, application, "active", notify=False)
    with force_locale("en"):
        message = str(caught.value)
    assert "is verified cannot become active" in message and "Possible: in conversation, rejected" in message
    db_session.rollback()
    assert application.status == "verified"


def test_staff_cannot_verify_an_email_address_for_someone(applications):
    application = applications.create("applied")
    assert "verified" not in staff_targets(application)
    with pytest.raises(ValidationFailed):
        move(STAFF, application, "verified", notify=False)


def test_closed_applications_go_nowhere(applications):
    for status in ("rejected", "withdrawn"):
        assert staff_targets(applications.create(status)) == ()


def test_accepting_makes_an_account_and_assigns_the_places_applied_for(applications, db_session, places):
    first = applications.create("accepted", municipalities=["GM0344", "GM0355"])
    assert first.user is not None and first.user.role == "coordinator" and first.user.password_hash is None
    assert sorted(m.code for m in first.user.municipalities) == ["GM0344", "GM0355"]
    assert current_lead(places["GM0344"]).application_id == first.id

    second = applications.create("accepted", municipalities=["GM0344"])
    assert current_lead(places["GM0344"]).application_id == first.id  # the first keeps the lead
    assign(STAFF, second, places["GM0344"], lead=True)
    db_session.commit()
    assert current_lead(places["GM0344"]).application_id == second.id
    assert [a.is_lead for a in first.assignments if a.municipality.code == "GM0344"] == [False]


def test_active_only_after_every_required_module(applications, db_session):
    required = TrainingModule(title="Lokaal lobbyen", required=True)
    optional = TrainingModule(title="Pers en sociale media", required=False)
    db_session.add_all([required, optional])
    db_session.commit()
    application = applications.create("in_training")
    with pytest.raises(ValidationFailed) as caught:
        move(STAFF, application, "active", notify=False)
    assert "Lokaal lobbyen" in str(caught.value) and "Pers" not in str(caught.value)
    db_session.rollback()
    db_session.add(Completion(application_id=application.id, module_id=required.id))
    move(STAFF, application, "active", notify=False)
    db_session.commit()
    assert application.status == "active"


def test_stopping_ends_assignments_and_signs_the_account_out(applications, db_session):
    application = applications.create("active")
    user = application.user
    version = user.session_version
    move(STAFF, application, "stopped", notify=False)
    db_session.commit()
    assert application.assignments == [] and user.municipalities == []
    assert not user.active and user.session_version == version + 1


def test_moving_without_mail_then_notifying_later(applications, db_session, mailbox):
    application = applications.create("in_conversation", language="en")
    mailbox.clear()
    move(STAFF, application, "accepted", notify=False)
    db_session.commit()
    assert mailbox.messages() == [] and application.awaits_notification

    send_notification(STAFF, application, message="See you Tuesday.")
    db_session.commit()
    [message] = mailbox.messages()
    assert message["To"] == application.email
    assert message["Subject"] == "Welcome as culture coordinator"  # in the applicant's language
    body = mailbox.body(message)
    assert "See you Tuesday." in body and "/beheer/wachtwoord/" in body
    assert not application.awaits_notification
    actions = [e.action for e in history("application", application.id)]
    assert actions[:2] == ["application.notify", "application.move"]


def test_notify_once_mails_about_a_status_only_once(app, applications, db_session, mailbox):
    application = applications.create("in_conversation", name="Anna Twice", language="en")
    with app.test_request_context():
        assert notify_once(STAFF, application, message="Tot dinsdag.") is True
        db_session.commit()
        assert notify_once(STAFF, application) is False
        db_session.commit()
    notified = [e for e in history("application", application.id) if e.action == "application.notify"]
    assert len(mailbox.messages()) == 1 and len(notified) == 1


def test_every_mail_carries_the_password_link_until_a_password_is_chosen(applications, db_session, mailbox):
    application = applications.create("accepted", language="en")  # accepted without a mail
    mailbox.clear()
    move(STAFF, application, "in_training", notify=True)
    db_session.commit()
    [message] = mailbox.messages()
    assert "/beheer/wachtwoord/" in mailbox.body(message)

    application.user.password_hash = "set"  # once a password exists, mails stop offering the link
    send_notification(STAFF, application)
    db_session.commit()
    assert "/beheer/wachtwoord/" not in mailbox.body(mailbox.messages()[-1])


def test_leaving_frees_the_training_seat_for_the_waitlist(applications, db_session):
    import datetime as dt

    from campaign.core.models import utcnow
    from campaign.coordinators.models import TrainingSession
    from campaign.coordinators.training import enrol

    module = TrainingModule(title="Lokaal lobbyen", required=True)
    starts = utcnow() + dt.timedelta(days=3)
    session = TrainingSession(module=module, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                              capacity=1, location="https://example.org/meet")
    db_session.add(session)
    db_session.commit()
    leaving, waiting = applications.create("in_training"), applications.create("in_training")
    seat, place = enrol(STAFF, session, leaving), enrol(STAFF, session, waiting)
    db_session.commit()
    assert (seat.status, place.status) == ("enrolled", "waitlisted")

    move(STAFF, leaving, "withdrawn", notify=False)
    db_session.commit()
    assert (seat.status, place.status) == ("cancelled", "enrolled")


def test_closing_the_coordinator_record_of_a_staff_member_keeps_their_account(applications, users, db_session):
    editor = users.create("editor", email="editor-coordinator@example.org")
    application = applications.create("accepted", email="editor-coordinator@example.org")
    assert application.user is editor
    move(STAFF, application, "withdrawn", notify=False)
    db_session.commit()
    assert editor.active and editor.role == "editor"


def test_a_volunteer_who_comes_back_is_accepted_again_with_the_same_account(applications, db_session):
    first = applications.create("accepted", email="terug@example.org")
    account = first.user
    move(STAFF, first, "withdrawn", notify=False)
    db_session.commit()
    assert not account.active

    second = applications.create("accepted", email="terug@example.org")
    assert second.user is account and account.active and first.user is None
    assert [m.code for m in account.municipalities] == ["GM0344"]


def test_a_coordinator_who_comes_back_from_stopped_gets_their_places_again(applications, db_session):
    application = applications.create("stopped", municipalities=["GM0344", "GM0355"])
    assert application.assignments == [] and not application.user.active
    move(STAFF, application, "active", notify=False)
    db_session.commit()
    assert sorted(a.municipality.code for a in application.assignments) == ["GM0344", "GM0355"]
    assert application.user.active and len(application.user.municipalities) == 2

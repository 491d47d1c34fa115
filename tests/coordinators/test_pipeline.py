"""The pipeline's rules: allowed moves only, and what accepting, activating and stopping do."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from campaign.core.audit import Actor, history
from campaign.core.errors import ValidationFailed
from campaign.coordinators.assignment import assign, current_lead
from campaign.coordinators.models import Completion, TrainingModule
from campaign.coordinators.pipeline import move, send_notification, staff_targets

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

"""Personal data: export of everything held on one person, erasure that leaves no trace, and the purge."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask import render_template
from flask_babel import format_datetime
from flask_login import login_user
from sqlalchemy import func, select

from campaign.core.audit import Actor, record
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, User, utcnow
from campaign.coordinators.models import (
    Application,
    ChecklistDone,
    ChecklistItem,
    Completion,
    Enrolment,
    Question,
    TrainingModule,
    TrainingSession,
)
from campaign.coordinators.pipeline import move
from campaign.coordinators.privacy import erase_person, export_person, purge
from campaign.coordinators.privacy_cli import purge_command
from campaign.extensions import db
from tests.helpers import post_form

STAFF = Actor.system("tests")
EMAIL = "henriette.zwanenburg@example.org"
NAME = "Henriëtte Zwanenburg"
PHONE = "+31 6 2345 6789"
MOTIVATION = "Als oud-leerling van de muziekschool wil ik cultuuronderwijs op de Utrechtse agenda."
NOTES = "Kent drie raadsleden persoonlijk."
QUESTION_BODY = "Mag ik de Cultuurwijzer op de braderie in Lunetten laten zien?"
OTHER_EMAIL = "b.quist@example.org"
OTHER_NAME = "Bartholomeus Quist"
PRIVACY = "/beheer/coordinatoren/privacy"


def _question(email, name, body, *, status="open", answered_at=None, **fields) -> Question:
    question = Question(name=name, email=email, subject=fields.pop("subject", "Vraag"), body=body,
                        status=status, answer="Ja, graag." if status == "answered" else "", answered_at=answered_at,
                        **fields)
    db.session.add(question)
    return question


@pytest.fixture()
def person(applications, db_session):
    """An active coordinator with everything a person can leave behind, and another person beside them."""
    module = TrainingModule(title="Lokaal lobbyen", required=False)
    db_session.add(module)
    db_session.flush()
    now = utcnow()
    past = TrainingSession(module_id=module.id, starts_at=now - dt.timedelta(days=20),
                           ends_at=now - dt.timedelta(days=20, hours=-2), capacity=10, trainer="Trainer Tineke")
    coming = TrainingSession(module_id=module.id, starts_at=now + dt.timedelta(days=5),
                             ends_at=now + dt.timedelta(days=5, hours=2), capacity=1)
    item = ChecklistItem(title="Stel je voor aan de griffie")
    db_session.add_all([past, coming, item])
    db_session.flush()

    application = applications.create("active", municipalities=["GM0344"], name=NAME, email=EMAIL, phone=PHONE,
                                       motivation=MOTIVATION, notes=NOTES)
    other = applications.create("in_training", municipalities=["GM0355"], name=OTHER_NAME, email=OTHER_EMAIL,
                                phone="+31 6 9999 0000", motivation="Quist wil Zeist op de kaart zetten.")
    db_session.add_all([
        Enrolment(session_id=past.id, application_id=application.id, status="enrolled", attended=True),
        Completion(application_id=application.id, module_id=module.id, session_id=past.id),
        Enrolment(session_id=coming.id, application_id=application.id, status="enrolled"),
        Enrolment(session_id=coming.id, application_id=other.id, status="waitlisted"),
        ChecklistDone(application_id=application.id, item_id=item.id),
    ])
    _question(EMAIL.upper(), NAME, QUESTION_BODY, status="answered", answered_at=now,
              subject="Vraag van Henriëtte Zwanenburg")
    _question(OTHER_EMAIL, OTHER_NAME, "Hoe werkt de training in Zeist?")
    # Something the person did with their own account.
    record(Actor.of(application.user), "checklist.done", "application", application.id, after={"item": item.id})
    db_session.commit()
    return {"application": application, "other": other, "module": module, "coming": coming, "item": item}


# --- export ------------------------------------------------------------------------------------------------------

def test_the_export_holds_everything_on_the_person_and_nothing_of_anyone_else(person, db_session):
    data = export_person("  Henriette.ZWANENBURG@example.org ")
    text = json.dumps(data, ensure_ascii=False)  # JSON-safe, or this raises

    (application,) = data["applications"]
    assert (application["name"], application["email"], application["phone"]) == (NAME, EMAIL, PHONE)
    assert application["motivation"] == MOTIVATION and application["notes"] == NOTES
    assert application["consent_version"] == "test" and application["consent_at"].endswith("Z")
    assert application["status"] == "active" and application["language"] == "nl"
    assert [m["code"] for m in application["municipalities_applied_for"]] == ["GM0344"]
    assert [(a["municipality"], a["lead"]) for a in application["assignments"]] == [("GM0344", True)]
    moves = [e["after"]["status"] for e in application["status_history"] if e["action"] == "application.move"]
    assert moves == ["verified", "in_conversation", "accepted", "in_training", "active"]
    assert [(e["module"], e["attended"], e["status"]) for e in application["training_enrolments"]] == \
        [("Lokaal lobbyen", True, "enrolled"), ("Lokaal lobbyen", None, "enrolled")]
    assert [c["module"] for c in application["training_completions"]] == ["Lokaal lobbyen"]
    assert [c["item"] for c in application["checklist_done"]] == ["Stel je voor aan de griffie"]

    (question,) = data["questions"]
    assert question["question"] == QUESTION_BODY and question["answer"] == "Ja, graag."
    (account,) = data["accounts"]
    assert (account["email"], account["name"], account["role"]) == (EMAIL, NAME, "coordinator")
    assert [m["code"] for m in account["municipalities"]] == ["GM0344"]
    assert {"action": "checklist.done", "object": "application", "object_id": str(application["id"])}.items() \
        <= data["changes_made_with_account"][-1].items()
    assert data["exported_at"] and data["explanation"]

    for trace in (OTHER_NAME, OTHER_EMAIL, "Quist", "Zeist", "Trainer Tineke", "tests"):
        assert trace not in text  # no other person, no staff names


def test_the_export_downloads_as_an_attachment_that_is_not_cached_for_editors_only(person, client, users):
    application = person["application"]
    url = f"/beheer/coordinatoren/aanmeldingen/{application.id}/gegevens.json"
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get(url).status_code == 403
    assert post_form(client, f"{PRIVACY}/export", {"email": EMAIL}).status_code == 403

    users.login(client, users.create("editor"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["applications"][0]["phone"] == PHONE and OTHER_EMAIL not in response.get_data(as_text=True)

    by_address = post_form(client, f"{PRIVACY}/export", {"email": EMAIL.upper()}, token_from=PRIVACY)
    assert by_address.status_code == 200 and "no-store" in by_address.headers["Cache-Control"]
    assert by_address.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(by_address.get_data(as_text=True))["questions"][0]["question"] == QUESTION_BODY
    assert post_form(client, f"{PRIVACY}/export", {}, token_from=PRIVACY).status_code == 422
    # The address never travels in a URL: no GET export, and a POST without the form's token is refused.
    assert client.get(f"{PRIVACY}/export", query_string={"email": EMAIL}).status_code == 405
    assert client.post(f"{PRIVACY}/export", data={"email": EMAIL}).status_code == 400
    nothing = post_form(client, f"{PRIVACY}/export", {"email": "nobody@example.org"}, token_from=PRIVACY)
    assert nothing.status_code == 302 and nothing.location.endswith(PRIVACY)


def test_the_request_page_shows_what_is_held_per_kind(person, english, client, users):
    users.login(client, users.create("editor"))
    html = post_form(client, PRIVACY, {"email": EMAIL.upper()}, token_from=PRIVACY).get_data(as_text=True)
    counts = dict(re.findall(r'data-kind="(\w+)">(\d+)<', html))
    assert counts == {"applications": "1", "assignments": "1", "enrolments": "2", "completions": "1",
                      "checklist": "1", "questions": "1", "accounts": "1", "audit_entries": "1"}
    export = html.split(f'action="{PRIVACY}/export"')[1].split("</form>")[0]
    assert 'method="post"' in html.split(f'action="{PRIVACY}/export"')[0].rsplit("<form", 1)[1]
    assert 'name="csrf_token"' in export and 'value="henriette.zwanenburg@example.org"' in export
    assert "Download the personal data (JSON)" in export
    assert "?email=" not in html
    assert 'name="confirm_email"' in html

    unknown = post_form(client, PRIVACY, {"email": "nobody@example.org"}, token_from=PRIVACY)
    assert unknown.status_code == 200 and "Nothing is held on this address" in unknown.get_data(as_text=True)
    assert post_form(client, PRIVACY, {"email": ""}, token_from=PRIVACY).status_code == 422


# --- erasure -----------------------------------------------------------------------------------------------------

def traces(session, *needles: str) -> list[str]:
    """Every table.column (any text, also JSON) in the whole database that still contains one of the needles."""
    found = []
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        for row in session.execute(table.select()).mappings():
            for column, value in row.items():
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False)
                if isinstance(value, str) and any(n in value.lower() for n in lowered):
                    found.append(f"{table.name}.{column}")
    return found


def test_erasure_leaves_no_trace_of_the_person_but_keeps_the_facts(person, client, users, db_session, mailbox):
    application, other = person["application"], person["other"]
    account = application.user
    version = account.session_version
    coordinator_client = client.application.test_client()
    users.login(coordinator_client, account)
    assert coordinator_client.get("/beheer/").status_code == 200
    needles = (EMAIL, NAME, "Zwanenburg", PHONE, MOTIVATION, NOTES, QUESTION_BODY)
    assert len(traces(db_session, *needles)) >= 8  # the check itself finds them where they are
    applications_before = db_session.scalar(select(func.count()).select_from(Application))

    users.login(client, users.create("editor"))
    response = post_form(client, f"{PRIVACY}/wissen",
                         {"email": EMAIL, "confirm_email": " Henriette.Zwanenburg@Example.org"},
                         token_from=PRIVACY)
    assert response.status_code == 302
    db_session.expire_all()

    assert traces(db_session, *needles) == []
    application = db_session.get(Application, application.id)
    assert application.status == "withdrawn" and application.anonymised_at is not None
    assert application.assignments == [] and application.email == f"anonymised-{application.id}@invalid"
    assert db_session.scalar(select(func.count()).select_from(Application)) == applications_before
    assert db_session.scalar(select(func.count()).select_from(Completion)) == 1  # the module was completed
    assert db_session.scalars(select(Enrolment).where(Enrolment.application_id == application.id)).all() == []
    # The freed seat went to the waitlist.
    assert db_session.scalar(select(Enrolment.status).where(Enrolment.application_id == other.id)) == "enrolled"

    account = db_session.get(User, account.id)
    assert not account.active and account.session_version == version + 1 and account.password_hash is None
    assert account.municipalities == [] and account.email == f"anonymised-user-{account.id}@invalid"
    assert coordinator_client.get("/beheer/").status_code == 302  # signed out
    labels = db_session.scalars(select(AuditEntry.actor_label).where(AuditEntry.actor_id == account.id)).all()
    assert labels == [f"anonymised account #{account.id}"]

    erased = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "person.erase")).one()
    assert erased.after["applications"] == 1 and erased.after["questions"] == 1 and erased.after["accounts"] == 1
    assert "@" not in json.dumps(erased.after) and "@" not in erased.summary
    # The other person is untouched.
    assert db_session.get(Application, other.id).email == OTHER_EMAIL
    assert db_session.scalar(select(Question.body).where(Question.email == OTHER_EMAIL)) == \
        "Hoe werkt de training in Zeist?"
    assert len(mailbox.messages()) == 1  # only the person who got the seat; the erased person gets no mail


def test_a_confirmation_that_does_not_match_erases_nothing(person, client, users, db_session):
    application = person["application"]
    users.login(client, users.create("editor"))
    page = f"/beheer/coordinatoren/aanmeldingen/{application.id}/wissen"
    response = post_form(client, page, {"confirm_email": OTHER_EMAIL}, token_from=PRIVACY)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="erase-confirm-email-error"' in html and 'aria-invalid="true"' in html

    response = post_form(client, f"{PRIVACY}/wissen", {"email": EMAIL, "confirm_email": "henriette@example.org"},
                         token_from=PRIVACY)
    assert response.status_code == 422 and 'id="privacy-confirm-email-error"' in response.get_data(as_text=True)

    db_session.expire_all()
    application = db_session.get(Application, application.id)
    assert (application.name, application.status, application.anonymised_at) == (NAME, "active", None)
    assert application.user.active and application.assignments
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "person.erase")).all() == []


def test_erasure_from_the_application_page(applications, client, users, db_session):
    application = applications.create("in_conversation", name=NAME, email=EMAIL)
    users.login(client, users.create("editor"))
    response = post_form(client, f"/beheer/coordinatoren/aanmeldingen/{application.id}/wissen",
                         {"confirm_email": EMAIL.upper()}, token_from=PRIVACY)
    assert response.status_code == 302
    db_session.expire_all()
    application = db_session.get(Application, application.id)
    assert application.status == "withdrawn" and application.name == "(anonymised)"
    moves = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "application.move",
                                                        AuditEntry.object_id == str(application.id))
                               .order_by(AuditEntry.id.desc())).first()
    assert moves.after == {"status": "withdrawn"}
    assert traces(db_session, EMAIL, NAME) == []
    again = post_form(client, f"/beheer/coordinatoren/aanmeldingen/{application.id}/wissen",
                      {"confirm_email": application.email}, token_from=PRIVACY)
    assert again.status_code == 422


def test_erasure_refuses_ones_own_account_and_editors_cannot_erase_an_admin(users, db_session):
    editor = users.create("editor", email="redactie@example.org")
    admin = users.create("admin", email="beheer@example.org")
    with pytest.raises(ValidationFailed):
        erase_person(Actor.of(editor), "redactie@example.org")
    with pytest.raises(ValidationFailed):
        erase_person(Actor.of(editor), "beheer@example.org")
    with pytest.raises(ValidationFailed):
        erase_person(Actor.of(editor), "nobody@example.org")
    db_session.rollback()
    assert editor.active and admin.active and admin.email == "beheer@example.org"
    erase_person(Actor.of(admin), "redactie@example.org")
    db_session.commit()
    assert not editor.active and editor.name == "(anonymised)"


# --- purge -------------------------------------------------------------------------------------------------------

@pytest.fixture()
def aged(applications, db_session):
    """Applications and questions of every kind, old and recent; name -> id."""
    now = utcnow()
    long_ago, recently = now - dt.timedelta(days=181), now - dt.timedelta(days=10)
    rows = {}

    def make(key, status, changed_at=None, **fields):
        application = applications.create(status, name=f"Persoon {key}", email=f"{key}@example.org", **fields)
        if changed_at is not None:
            application.status_changed_at = changed_at
        rows[key] = application
        return application

    make("old-rejected", "rejected", long_ago)
    withdrawn = applications.create("accepted", name="Persoon old-withdrawn", email="old-withdrawn@example.org")
    move(STAFF, withdrawn, "withdrawn", notify=False)
    withdrawn.status_changed_at = long_ago
    rows["old-withdrawn"] = withdrawn
    make("recent-rejected", "rejected", recently)
    make("old-stopped", "stopped", long_ago)
    make("old-active", "active", long_ago)
    make("expired-link", "applied", verification_expires_at=now - dt.timedelta(minutes=5))
    make("valid-link", "applied", verification_expires_at=now + dt.timedelta(hours=5), created_at=long_ago)
    make("old-no-link", "applied", created_at=now - dt.timedelta(hours=73))
    make("new-no-link", "applied", created_at=now - dt.timedelta(hours=1))
    module = TrainingModule(title="Debat organiseren")
    db_session.add(module)
    db_session.flush()
    db_session.add(Completion(application_id=rows["old-rejected"].id, module_id=module.id))
    questions = {
        "old-answered": _question("q1@example.org", "Vrager Een", "Oude vraag", status="answered",
                                  answered_at=now - dt.timedelta(days=366)),
        "recent-answered": _question("q2@example.org", "Vrager Twee", "Recente vraag", status="answered",
                                     answered_at=now - dt.timedelta(days=30)),
        "old-open": _question("q3@example.org", "Vrager Drie", "Open vraag", created_at=now - dt.timedelta(days=400)),
    }
    db_session.commit()
    return {key: a.id for key, a in rows.items()}, {key: q.id for key, q in questions.items()}, withdrawn.user_id


def _state(session):
    return (sorted(session.scalars(select(Application.id))), sorted(session.scalars(select(Question.id))),
            session.scalar(select(func.count()).select_from(AuditEntry)))


def test_purge_removes_only_what_has_outlived_its_retention(aged, db_session):
    apps, questions, account_id = aged
    before = _state(db_session)
    dry = purge(utcnow(), dry_run=True)
    db_session.commit()
    assert _state(db_session) == before  # a dry run changes nothing

    report = purge(utcnow(), dry_run=False)
    db_session.commit()
    db_session.expire_all()
    assert (report.counts, dry.counts) == ({"closed_applications": 2, "unverified_applications": 2, "questions": 1,
                                            "accounts": 1},) * 2
    assert sorted(report.closed_applications) == sorted([apps["old-rejected"], apps["old-withdrawn"]])
    assert sorted(report.unverified_applications) == sorted([apps["expired-link"], apps["old-no-link"]])
    assert report.questions == [questions["old-answered"]]
    remaining = set(db_session.scalars(select(Application.id)))
    assert remaining == {apps[k] for k in ("recent-rejected", "old-stopped", "old-active", "valid-link",
                                           "new-no-link")}
    assert set(db_session.scalars(select(Question.id))) == {questions["recent-answered"], questions["old-open"]}
    assert db_session.scalars(select(Completion)).all() == []
    account = db_session.get(User, account_id)
    assert account.email == f"anonymised-user-{account_id}@invalid" and not account.active
    assert traces(db_session, "old-withdrawn@example.org", "Persoon old-withdrawn", "old-rejected@", "Oude vraag") == []
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.purge")).one()
    assert entry.after == report.counts


def test_the_purge_command_reports_ids_never_names_and_dry_run_changes_nothing(app, aged, db_session):
    apps, questions, _ = aged
    runner = app.test_cli_runner()
    before = _state(db_session)
    dry = runner.invoke(purge_command, ["--dry-run"])
    assert dry.exit_code == 0, dry.output
    db_session.expire_all()
    assert _state(db_session) == before
    real = runner.invoke(purge_command, [])
    assert real.exit_code == 0, real.output
    for output in (dry.output, real.output):
        assert "@" not in output and "Persoon" not in output and "Vrager" not in output
        assert str(apps["old-rejected"]) in output and str(questions["old-answered"]) in output
        assert re.findall(r": (\d+) ", output) == ["2", "2", "1", "1", "0"]
    purges = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "privacy.purge")
    assert db_session.scalar(purges) == 1
    db_session.expire_all()
    assert db_session.get(Application, apps["old-rejected"]) is None


# --- the application page's partial ----------------------------------------------------------------------------

def test_the_partial_shows_the_consent_and_offers_export_and_erasure_to_editors(app, applications, users, db_session):
    application = applications.create("verified", name=NAME, email=EMAIL)
    application.consent_version = "2026-1"
    db_session.commit()
    editor, coordinator = users.create("editor"), users.create("coordinator", municipalities=["GM0344"])
    for user, sees_actions in ((editor, True), (coordinator, False)):
        with app.test_request_context("/beheer/coordinatoren/"):
            login_user(user)
            html = render_template("coordinators/admin/_privacy.html", application=application)
            assert "2026-1" in html and format_datetime(application.consent_at, "short") in html
            assert (f"/aanmeldingen/{application.id}/gegevens.json" in html) is sees_actions
            assert ('name="confirm_email"' in html) is sees_actions


def test_the_application_page_carries_the_partial_and_erasure_returns_to_it(applications, users, client,
                                                                           db_session):
    application = applications.create("accepted", name=NAME, email=EMAIL)
    application.consent_version = "2026-1"
    db_session.commit()
    page = f"/beheer/coordinatoren/aanmeldingen/{application.id}"
    users.login(client, users.create("editor"))
    html = client.get(page).get_data(as_text=True)
    assert f'id="privacy-title-{application.id}"' in html and "2026-1" in html
    assert f'href="{page}/gegevens.json"' in html and f'action="{page}/wissen"' in html

    response = post_form(client, f"{page}/wissen", {"confirm_email": EMAIL}, token_from=page)
    assert response.status_code == 302 and response.location.endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert NAME not in html and EMAIL not in html and f'action="{page}/wissen"' not in html

"""The question inbox: asking (public and from the workspace), the queue's order, answering with templates."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, Municipality, Organisation, utcnow
from campaign.coordinators import inbox
from campaign.coordinators.models import AnswerTemplate, Question
from tests.helpers import post_form, statements

ASK = "/vragen/nieuw"
QUEUE = "/beheer/coordinatoren/vragen"
_addresses = itertools.count(1)


@pytest.fixture()
def organisations(db_session):
    member = Organisation(name="Muziekschool De Notenbalk", kind="music_school", member=True)
    partner = Organisation(name="Bibliotheek De Boekenbrug", kind="partner", member=False)
    db_session.add_all([member, partner])
    db_session.commit()
    return {"member": member, "partner": partner}


def _ask(client, **changes):
    """Post the public form from an address of its own, so the public-form rate limit stays out of the way."""
    data = {"name": "Femke de Vries", "email": "femke@example.org", "organisation": "", "municipality": "",
            "subject": "Debat in de bibliotheek", "body": "Mogen we de zaal gebruiken?", "consent": "y"} | changes
    return post_form(client, ASK, data, token_from=ASK,
                     environ_base={"REMOTE_ADDR": f"192.0.2.{next(_addresses) % 250 + 1}"})


def _count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Question))


def _question(db_session, subject, *, created_at, from_member=False, status="open", language="nl", **fields):
    question = Question(name=fields.pop("name", "Vrager"), email=fields.pop("email", "vrager@example.org"),
                        subject=subject, body=fields.pop("body", "Een vraag."), from_member=from_member,
                        created_at=created_at, status=status, language=language, **fields)
    db_session.add(question)
    db_session.commit()
    return question


# --- asking ----------------------------------------------------------------------------------------------------

def test_a_public_question_is_stored_with_member_status_consent_and_language(english, organisations, places,
                                                                             db_session, app):
    page = english.get(ASK).get_data(as_text=True)
    assert "Muziekschool De Notenbalk" in page and "Bibliotheek De Boekenbrug" not in page  # members only
    assert f"deleted {app.config['QUESTION_RETENTION_DAYS']} days after the answer" in page

    response = _ask(english, organisation=str(organisations["member"].id), municipality="GM0344")
    assert response.status_code == 302 and response.location.endswith("/vragen/bedankt")
    assert "Thank you for your question" in english.get(response.location).get_data(as_text=True)

    question = db_session.scalar(select(Question))
    assert question.from_member is True and question.organisation_id == organisations["member"].id
    assert question.municipality.code == "GM0344" and question.status == "open" and question.language == "en"
    assert question.consent_version == app.config["COORDINATOR_CONSENT_VERSION"] and question.user_id is None
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "question.create"))
    assert "femke" not in str(entry.after).lower() and "Femke" not in entry.actor_label


def test_without_an_organisation_the_question_is_not_from_a_member(english, organisations, db_session):
    assert _ask(english).status_code == 302
    assert db_session.scalar(select(Question)).from_member is False


def test_a_partner_is_not_offered_and_not_accepted_as_a_member(english, organisations, db_session):
    response = _ask(english, organisation=str(organisations["partner"].id))
    assert response.status_code == 422 and _count(db_session) == 0


def test_the_honeypot_stores_nothing(english, db_session):
    response = _ask(english, website="http://spam.example")
    assert response.status_code == 302 and response.location.endswith("/vragen/bedankt")
    assert _count(db_session) == 0


@pytest.mark.parametrize("changes, field, message", [
    ({"consent": ""}, "consent", "We can only answer when you agree to this."),
    ({"email": ""}, "email", "This field is required"),
    ({"email": "femke-at-example.org"}, "email", "Invalid email address"),
    ({"body": "  "}, "body", "This field is required"),
])
def test_a_question_without_consent_or_address_is_refused_and_names_the_field(english, db_session, changes, field,
                                                                              message):
    response = _ask(english, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error">' in html and message in html
    assert _count(db_session) == 0


@pytest.mark.parametrize("email, message", [
    ("", "Fill in a valid email address"),
    ("femke-at-example.org", "Enter a valid email address"),
    ("femke\ud800@example.org", "Enter a valid email address"),  # no database stores a lone surrogate
])
def test_the_domain_checks_the_question_itself(app, db_session, email, message):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(ValidationFailed) as caught:
            inbox.ask(Actor.system("tests"), inbox.Asker(" ", email), subject="", body="x" * (inbox.MAX_BODY + 1))
    assert {p.field for p in caught.value.problems} == {"name", "email", "subject", "body"}
    assert message in next(p.message for p in caught.value.problems if p.field == "email")
    assert _count(db_session) == 0


def test_a_refused_question_starts_with_a_summary_linking_to_each_field(english, db_session):
    response = _ask(english, consent="", email="femke-at-example.org", subject="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = html.split('<div class="form-problems" role="alert" id="problems">')[1].split("</div>")[0]
    assert "Your question has not been sent yet" in summary
    links = re.findall(r'<li><a href="#(\w+)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert [(target, label) for target, label, _ in links] == [
        ("email", "Email address"), ("subject", "Subject"), ("consent", "Consent")]
    assert "Invalid email address" in links[0][2] and "agree" in links[2][2]
    for target, _, _ in links:
        assert f'id="{target}"' in html  # the link lands on the field
    assert html.index('id="problems"') < html.index('<form method="post"')
    assert 'role="alert"' not in _ask(english).get_data(as_text=True)  # sent: no summary


def test_a_coordinator_asks_from_the_workspace_with_their_own_details(english, applications, organisations, users,
                                                                      db_session):
    coordinator = applications.create("active", municipalities=["GM0344"], organisation=organisations["member"])
    users.login(english, coordinator.user)
    response = post_form(english, "/werkplek/vragen", {"subject": "Persbericht", "body": "Wie leest mee?",
                                                        "municipality": "GM0344"}, token_from="/werkplek/vragen")
    assert response.status_code == 302
    question = db_session.scalar(select(Question))
    assert question.user_id == coordinator.user.id and question.email == coordinator.user.email
    assert question.name == coordinator.user.name and question.from_member is True
    assert question.municipality.code == "GM0344"

    # A municipality that is not theirs is not a choice.
    response = post_form(english, "/werkplek/vragen",
                         {"subject": "Ander", "body": "Tilburg?", "municipality": "GM0855"}, token_from="/werkplek/vragen")
    assert response.status_code == 422 and _count(db_session) == 1


def test_a_coordinator_sees_their_own_questions_but_not_others_and_not_the_queue(english, applications, users,
                                                                                db_session):
    mine = applications.create("active", municipalities=["GM0344"])
    other = applications.create("active", municipalities=["GM0344"])
    now = dt.datetime(2026, 1, 5, 9, 0)
    _question(db_session, "Mijn vraag over flyers", created_at=now, user_id=mine.user.id, status="answered",
              answer="Die liggen klaar.", answered_at=now)
    _question(db_session, "Vraag van een ander", created_at=now, user_id=other.user.id)
    _question(db_session, "Publieke vraag", created_at=now)

    users.login(english, mine.user)
    html = english.get("/werkplek/vragen").get_data(as_text=True)
    assert "Mijn vraag over flyers" in html and "Die liggen klaar." in html
    assert "Vraag van een ander" not in html and "Publieke vraag" not in html
    assert english.get(QUEUE).status_code == 403
    other_question = db_session.scalar(select(Question).where(Question.subject == "Vraag van een ander"))
    assert english.get(f"{QUEUE}/{other_question.id}").status_code == 403


# --- the queue -------------------------------------------------------------------------------------------------

def test_the_queue_puts_member_organisations_first_then_the_oldest(english, users, db_session):
    day = utcnow()
    _question(db_session, "Oud, geen lid", created_at=day - dt.timedelta(days=9))
    _question(db_session, "Jong, lid", created_at=day - dt.timedelta(days=1), from_member=True)
    _question(db_session, "Ouder, lid", created_at=day - dt.timedelta(days=3), from_member=True)
    _question(db_session, "Jong, geen lid", created_at=day - dt.timedelta(days=2))
    _question(db_session, "Al beantwoord, lid", created_at=day - dt.timedelta(days=20), from_member=True,
              status="answered", answer="Ja.", answered_at=day)

    users.login(english, users.create("editor"))
    html = english.get(QUEUE).get_data(as_text=True)
    order = ["Ouder, lid", "Jong, lid", "Oud, geen lid", "Jong, geen lid"]
    positions = [html.index(subject) for subject in order]
    assert positions == sorted(positions)
    assert "Al beantwoord" not in html
    assert html.count(">member organisation<") == 2
    assert "9 days" in html and "1 day" in html  # how long each has waited

    answered = english.get(f"{QUEUE}?status=answered").get_data(as_text=True)
    assert "Al beantwoord, lid" in answered and "Oud, geen lid" not in answered


def test_the_queue_takes_the_same_queries_for_two_or_twenty_questions(english, users, db_session):
    editor = users.create("editor")
    users.login(english, editor)

    def add(number: int) -> None:
        """Questions each from their own organisation and municipality, half of them answered by the editor."""
        start = db_session.scalar(select(func.count()).select_from(Question))
        for n in range(start, start + number):
            place = Municipality(code=f"GM8{n:03d}", name=f"Plaats {n}", province="Zeeland")
            school = Organisation(name=f"Muziekschool {n}", kind="music_school", member=True)
            answered = {"status": "answered", "answer": "Ja.", "answered_at": utcnow(), "answered_by": editor} \
                if n % 2 else {}
            _question(db_session, f"Vraag {n}", created_at=utcnow(), organisation=school, municipality=place,
                      from_member=True, **answered)

    def queries() -> tuple[int, int]:
        counts = []
        for path in (QUEUE, f"{QUEUE}?status=answered"):
            with statements() as ran:
                assert english.get(path).status_code == 200
            counts.append(len(ran))
        return tuple(counts)

    add(2)
    few = queries()
    add(18)
    assert queries() == few


# --- answering -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, asked_on", [("en", "January 5, 2026"), ("nl", "5 januari 2026")])
def test_answering_mails_the_asker_in_their_language_and_closes_the_question(english, users, db_session, mailbox,
                                                                            language, asked_on):
    question = _question(db_session, "Zaal voor het debat", created_at=dt.datetime(2026, 1, 5, 9, 0),
                         language=language, email="asker@example.org", body="Welke zaal kunnen we gebruiken?")
    editor = users.create("editor")
    users.login(english, editor)
    page = f"{QUEUE}/{question.id}"
    response = post_form(english, page, {"answer": "De Notenbalk heeft een zaal voor 120 mensen."}, token_from=page)
    assert response.status_code == 302

    db_session.expire_all()
    question = db_session.get(Question, question.id)
    assert question.status == "answered" and question.answered_by_id == editor.id and question.answered_at
    assert question.answer == "De Notenbalk heeft een zaal voor 120 mensen."
    [message] = mailbox.messages()
    body = mailbox.body(message)
    assert message["To"] == "asker@example.org" and "Zaal voor het debat" in message["Subject"]
    assert "> Welke zaal kunnen we gebruiken?" in body and "De Notenbalk heeft een zaal voor 120 mensen." in body
    assert asked_on in body  # dates in the asker's language, whatever the editor's
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "question.answer"))
    assert entry.object_id == str(question.id) and entry.after == {"status": "answered"}
    assert "Zaal voor het debat" not in english.get(QUEUE).get_data(as_text=True)  # no longer open

    again = post_form(english, page, {"answer": "Nog een keer."}, token_from=page)
    assert again.status_code == 422 and "already been answered" in again.get_data(as_text=True)
    assert len(mailbox.messages()) == 1


def test_an_empty_answer_is_refused(english, users, db_session, mailbox):
    question = _question(db_session, "Vraag", created_at=dt.datetime(2026, 1, 5, 9, 0))
    users.login(english, users.create("editor"))
    page = f"{QUEUE}/{question.id}"
    response = post_form(english, page, {"answer": " "}, token_from=page)
    assert response.status_code == 422 and 'id="answer-error"' in response.get_data(as_text=True)
    assert db_session.get(Question, question.id).status == "open" and mailbox.messages() == []


def test_an_answer_template_fills_the_answer_without_javascript_and_with_htmx(english, users, db_session):
    question = _question(db_session, "Vraag", created_at=dt.datetime(2026, 1, 5, 9, 0))
    template = AnswerTemplate(title="Zaal zoeken", body="Dank je voor je vraag. Deze leden hebben een zaal: ...")
    db_session.add(template)
    db_session.commit()
    users.login(english, users.create("editor"))
    page = f"{QUEUE}/{question.id}"

    html = english.get(page).get_data(as_text=True)
    assert '<option value="{}">Zaal zoeken</option>'.format(template.id) in html
    assert "Use template" in html and "Deze leden hebben een zaal" not in html

    html = english.get(f"{page}?template={template.id}").get_data(as_text=True)  # the "Use template" button
    assert "Dank je voor je vraag. Deze leden hebben een zaal: ...</textarea>" in html
    assert f'<option value="{template.id}" selected>' in html

    fragment = english.get(f"{page}?template={template.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Deze leden hebben een zaal" in fragment and "<textarea" in fragment
    assert "<html" not in fragment and "The question" not in fragment


def test_choosing_a_template_with_htmx_shows_it_beside_the_answer_and_never_replaces_typed_text(
        english, users, db_session):
    question = _question(db_session, "Vraag", created_at=dt.datetime(2026, 1, 5, 9, 0))
    template = AnswerTemplate(title="Zaal zoeken", body="Deze leden hebben een zaal.")
    db_session.add(template)
    db_session.commit()
    users.login(english, users.create("editor"))
    page = f"{QUEUE}/{question.id}"
    htmx = {"HX-Request": "true"}

    # The chooser swaps only the preview: the answer field (and what is typed in it) is not its target.
    html = english.get(page).get_data(as_text=True)
    chooser = html.split('<form method="get"')[1].split("</form>")[0]
    assert 'hx-target="#template-preview"' in chooser and 'hx-select="#template-preview"' in chooser
    assert "answer" not in chooser.split("hx-target=")[1].split()[0]
    assert '<div id="template-preview"></div>' in html

    # What the chooser receives: the template text below the answer, with a button to use it.
    fragment = english.get(page, query_string={"template": template.id, "preview": "1"}, headers=htmx)
    preview = fragment.get_data(as_text=True).split('id="template-preview"')[1].split("</section>")[0]
    assert "Template: Zaal zoeken" in preview and "Deze leden hebben een zaal." in preview
    assert "Use this text" in preview and "It replaces what is in the answer field." in preview
    assert 'hx-target="#answer-input"' in preview and 'hx-select="#answer-input"' in preview
    assert f'name="template" value="{template.id}"' in preview

    # "Use this text" (also without JavaScript): the answer field holds the template.
    used = english.get(page, query_string={"template": template.id}, headers=htmx).get_data(as_text=True)
    answer_input = used.split('<div id="answer-input">')[1].split("</textarea>")[0]
    assert answer_input.endswith("Deze leden hebben een zaal.")
    assert '<div id="template-preview"></div>' in used


def test_answer_templates_are_kept_by_the_team(english, users, db_session):
    users.login(english, users.create("editor"))
    path = "/beheer/coordinatoren/antwoordsjablonen"
    assert post_form(english, path, {"title": "Materialen", "body": "Zie je werkplek."}, token_from=path) \
        .status_code == 302
    template = db_session.scalar(select(AnswerTemplate))
    assert post_form(english, f"{path}/{template.id}", {"title": "", "body": "x"}, token_from=path).status_code == 422
    assert post_form(english, f"{path}/{template.id}", {"title": "Materiaal", "body": "Zie de werkplek."},
                     token_from=path).status_code == 302
    db_session.expire_all()
    assert db_session.get(AnswerTemplate, template.id).title == "Materiaal"
    assert post_form(english, f"{path}/{template.id}/verwijderen", {}, token_from=path).status_code == 302
    assert db_session.scalar(select(func.count()).select_from(AnswerTemplate)) == 0
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"answer_template.create", "answer_template.update", "answer_template.delete"} <= actions

"""The status workflow the lobby team configures (/beheer/lobby/statussen): adding, renaming, closing,
reordering and removing statuses, unique names, and starting again from the default workflow."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry
from campaign.lobby import topics as domain
from campaign.lobby.models import Topic, TopicStatus
from tests.helpers import post_form

ACTOR = Actor.system("tests")


@pytest.fixture()
def in_english(db_session):
    """The domain's messages in English (without it they are in the default language, Dutch)."""
    with force_locale("en"):
        yield
PAGE = "/beheer/lobby/statussen"
HTMX = {"HX-Request": "true"}


@pytest.fixture()
def team(client, users):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    users.login(client, users.create("editor"))
    return client


def names() -> list[str]:
    return [s.name for s in domain.statuses()]


def text(response) -> str:
    return response.get_data(as_text=True)


# --- the rules -----------------------------------------------------------------------------------------------------

def test_a_new_status_goes_at_the_end(lobby_defaults, db_session):
    status = domain.create_status(ACTOR, name="  Afgevallen ", name_en="Dropped", closed=True)
    db_session.commit()
    assert names()[-1] == "Afgevallen" and status.closed and status.name_en == "Dropped"
    assert db_session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "lobby.status.create"


def test_names_are_unique_whatever_their_case(lobby_defaults):
    with pytest.raises(ValidationFailed) as excinfo:
        domain.create_status(ACTOR, name="geagendeerd")
    assert [p.field for p in excinfo.value.problems] == ["name"]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.create_status(ACTOR, name="Nieuw", name_en="ON THE AGENDA")
    assert [p.field for p in excinfo.value.problems] == ["name_en"]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.create_status(ACTOR, name=" ", name_en="x" * 81)
    assert {p.field for p in excinfo.value.problems} == {"name", "name_en"}


def test_renaming_keeps_its_own_name_free_and_is_audited(lobby_defaults, db_session):
    status = lobby_defaults["Geagendeerd"]
    domain.update_status(ACTOR, status, name="GEAGENDEERD", name_en="Put on the agenda", description="Op de agenda")
    db_session.commit()
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.status.update"))
    assert entry.before == {"name": "Geagendeerd", "name_en": "On the agenda", "description": ""}
    with pytest.raises(ValidationFailed):
        domain.update_status(ACTOR, status, name="Resultaat")


def test_statuses_move_and_progress_follows(topics, lobby_defaults, db_session):
    topic = topics.create(status="Geagendeerd")
    assert domain.progress(topic) == 0.25
    assert domain.move_status(ACTOR, lobby_defaults["Geagendeerd"], 1)
    assert not domain.move_status(ACTOR, lobby_defaults["Gesignaleerd"], -1)
    db_session.commit()
    assert names() == ["Gesignaleerd", "Input gegeven", "Geagendeerd", "Toezegging", "Resultaat"]
    assert domain.progress(topic) == 0.5


def test_a_status_in_use_or_the_last_one_cannot_go(topics, lobby_defaults, db_session, in_english):
    topics.create(status="Geagendeerd")
    topics.create(status="Geagendeerd")
    with pytest.raises(ValidationFailed) as excinfo:
        domain.delete_status(ACTOR, lobby_defaults["Geagendeerd"])
    assert "2 topics have this status" in excinfo.value.problems[0].message
    for name in ("Gesignaleerd", "Input gegeven", "Toezegging"):
        domain.delete_status(ACTOR, lobby_defaults[name])
    db_session.commit()
    assert names() == ["Geagendeerd", "Resultaat"]
    assert [s.position for s in domain.statuses()] == [0, 1]
    domain.delete_status(ACTOR, lobby_defaults["Resultaat"])
    db_session.execute(Topic.__table__.delete())
    db_session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        domain.delete_status(ACTOR, lobby_defaults["Geagendeerd"])
    assert "last status" in excinfo.value.problems[0].message


def test_the_default_workflow_comes_back_only_when_there_is_none(lobby_defaults, db_session):
    assert domain.restore_default_statuses(ACTOR) == []
    db_session.execute(TopicStatus.__table__.delete())
    db_session.commit()
    added = domain.restore_default_statuses(ACTOR)
    db_session.commit()
    assert [s.name for s in added] == ["Gesignaleerd", "Geagendeerd", "Input gegeven", "Toezegging", "Resultaat"]
    assert db_session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "lobby.status.create")) == 5


# --- the pages -----------------------------------------------------------------------------------------------------

def test_the_page_lists_the_workflow_with_its_use(team, topics, lobby_defaults):
    topics.create(status="Geagendeerd")
    html = text(team.get(PAGE))
    assert html.index("Gesignaleerd") < html.index("Geagendeerd") < html.index("Resultaat")
    assert "1 topic" in html and "(On the agenda)" in html and "closed" in html
    # a status in use has no remove button
    assert f"{PAGE}/{lobby_defaults['Geagendeerd'].id}/verwijderen" not in html
    assert f"{PAGE}/{lobby_defaults['Gesignaleerd'].id}/verwijderen" in html


def test_the_team_adds_a_status_or_hears_why_not(team, lobby_defaults, db_session):
    response = post_form(team, PAGE, {"name": "Afgevallen", "name_en": "Dropped", "closed": "y"}, token_from=PAGE)
    assert response.status_code == 302
    assert "Status “Afgevallen” added." in text(team.get(PAGE))
    response = post_form(team, PAGE, {"name": "afgevallen"}, token_from=PAGE)
    assert response.status_code == 422
    assert 'id="name-error"' in text(response) and "There is a status with this name already." in text(response)


def test_the_team_renames_a_status(team, lobby_defaults, db_session):
    path = f"{PAGE}/{lobby_defaults['Toezegging'].id}"
    assert 'value="Toezegging"' in text(team.get(path))
    response = post_form(team, path, {"name": "Toegezegd", "name_en": "Promised", "description": ""},
                         token_from=path)
    assert response.status_code == 302
    db_session.expire_all()
    assert lobby_defaults["Toezegging"].name == "Toegezegd"
    response = post_form(team, path, {"name": ""}, token_from=path)
    assert response.status_code == 422


def test_statuses_move_with_and_without_htmx(team, lobby_defaults, db_session):
    move = f"{PAGE}/{lobby_defaults['Resultaat'].id}/verplaatsen"
    response = post_form(team, move, {"direction": "up"}, token_from=PAGE)
    assert response.status_code == 302 and response.location.endswith(PAGE + "#workflow")
    response = post_form(team, move, {"direction": "up"}, token_from=PAGE, headers=HTMX)
    html = text(response)
    assert "<html" not in html and html.index("Resultaat") < html.index("Input gegeven")
    db_session.expire_all()
    assert names() == ["Gesignaleerd", "Geagendeerd", "Resultaat", "Input gegeven", "Toezegging"]


def test_removing_a_status_in_use_is_refused_with_the_count(team, topics, lobby_defaults, db_session):
    topics.create(status="Geagendeerd")
    response = post_form(team, f"{PAGE}/{lobby_defaults['Geagendeerd'].id}/verwijderen", token_from=PAGE)
    assert response.status_code == 422 and "1 topic has this status" in text(response)
    response = post_form(team, f"{PAGE}/{lobby_defaults['Gesignaleerd'].id}/verwijderen", token_from=PAGE)
    assert response.status_code == 302
    assert "Gesignaleerd" not in names()


def test_without_statuses_the_page_offers_the_default_workflow(team, db_session):
    html = text(team.get(PAGE))
    assert "There are no statuses yet" in html
    response = post_form(team, PAGE, {"action": "restore"}, token_from=PAGE)
    assert response.status_code == 302
    assert "5 statuses added." in text(team.get(PAGE))
    assert names()[0] == "Gesignaleerd"

"""The topic pages as the lobby team uses them: the list with filters, adding topics and sub-topics, the topic's
page with the status change, the timeline and removal; in English (the language cookie) unless said otherwise."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.lobby.models import Tag, Topic, TopicUpdate
from tests.helpers import post_form

LIST = "/beheer/lobby/onderwerpen"
NEW = LIST + "/nieuw"
HTMX = {"HX-Request": "true"}


@pytest.fixture()
def member(users, db_session):
    return users.create("editor", name="Ilse Lobby")


@pytest.fixture()
def team(english, users, member):
    users.login(english, member)
    return english


def text(response) -> str:
    return response.get_data(as_text=True)


def page(topic) -> str:
    return f"{LIST}/{topic.id}"


def topic_data(statuses, **changes) -> dict:
    data = {"title": "Btw op muziekles", "ask": "Geen btw-verhoging op lessen.", "description": "",
            "status_id": statuses["Gesignaleerd"].id, "priority": "1", "scope": "national", "owner_id": "",
            "parent_id": "", "tags": "btw, Onderwijs"}
    data.update(changes)
    return data


# --- the list ------------------------------------------------------------------------------------------------------

def test_the_list_shows_topics_with_their_sub_topics_and_filters(team, topics, member):
    parent = topics.create("Bezuinigingen", priority=1, tags=["geld"], owner=member)
    topics.create("Muziekscholen", parent=parent, status="Resultaat")
    topics.create("Bibliotheken", parent=parent, status="Geagendeerd")
    topics.create("Aansluiting op het beroep", priority=3, scope="national", status="Toezegging")
    html = text(team.get(LIST))
    assert html.index("Bezuinigingen") < html.index("Muziekscholen") < html.index("Aansluiting op het beroep")
    assert "Sub-topic of Bezuinigingen:" in html
    assert "1 of 2 sub-topics done, 62%" in html  # (1 + 0.25) / 2
    assert "Ilse Lobby" in html and "high" in html and "national" in html
    assert "Result" in html and "(closed)" in html  # a closed status says so in words

    html = text(team.get(LIST, query_string={"scope": "national"}))
    assert "Aansluiting op het beroep" in html and "Bezuinigingen" not in html
    html = text(team.get(LIST, query_string={"tag": "geld"}))
    assert "Bezuinigingen" in html and "Aansluiting" not in html
    html = text(team.get(LIST, query_string={"q": "bibliot"}))
    assert "Bibliotheken" in html and "shown for its sub-topics" in html and "Muziekscholen" not in html
    html = text(team.get(LIST, query_string={"q": "niets"}))
    assert "No topics match this filter." in html


def test_the_list_answers_htmx_with_the_results_only(team, topics):
    topics.create("Btw op lessen")
    response = team.get(LIST, query_string={"q": "btw"}, headers=HTMX)
    assert "Btw op lessen" in text(response) and "<form" not in text(response)
    assert "HX-Request" in response.headers["Vary"]


def test_an_empty_list_says_so_and_an_odd_filter_is_refused(team, lobby_defaults):
    assert "No topics yet." in text(team.get(LIST))
    response = team.get(LIST, query_string={"status": "999", "sort": "random"})
    assert response.status_code == 422


def test_the_list_is_for_the_lobby_team(client, users, topics, places):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get(LIST).status_code == 403


# --- adding and changing -------------------------------------------------------------------------------------------

def test_the_team_adds_a_topic(team, lobby_defaults, db_session):
    response = post_form(team, NEW, topic_data(lobby_defaults), token_from=NEW)
    topic = db_session.scalar(select(Topic))
    assert response.status_code == 302 and response.location.endswith(page(topic))
    html = text(team.get(page(topic)))
    assert "Topic “Btw op muziekles” added." in html
    assert "Geen btw-verhoging op lessen." in html and "Status: Signalled" in html
    assert sorted(t.name for t in topic.tags) == ["Onderwijs", "btw"]


def test_bad_input_is_named_beside_its_field(team, lobby_defaults, users, db_session):
    coordinator = users.create("coordinator")
    response = post_form(team, NEW, topic_data(lobby_defaults, title="", tags="a" * 41,
                                               owner_id=str(coordinator.id)), token_from=NEW)
    html = text(response)
    assert response.status_code == 422
    assert 'id="title-error"' in html and "Give the topic a title." in html
    response = post_form(team, NEW, topic_data(lobby_defaults, tags="a" * 41, owner_id=str(coordinator.id)),
                         token_from=NEW)
    html = text(response)
    assert response.status_code == 422
    assert 'id="tags-error"' in html and "at most 40 characters" in html
    assert 'id="owner_id-error"' in html
    assert db_session.scalar(select(func.count()).select_from(Topic)) == 0


def test_a_sub_topic_is_added_from_its_parents_page(team, topics, lobby_defaults, db_session):
    parent = topics.create("Bezuinigingen", scope="national", priority=1)
    assert f"{NEW}?parent={parent.id}" in text(team.get(page(parent)))
    form = text(team.get(NEW, query_string={"parent": parent.id}))
    assert f'<option selected value="{parent.id}">' in form or f'value="{parent.id}" selected' in form
    response = post_form(team, f"{NEW}?parent={parent.id}",
                         topic_data(lobby_defaults, title="Muziekscholen", parent_id=str(parent.id)),
                         token_from=NEW)
    assert response.status_code == 302
    child = db_session.scalar(select(Topic).where(Topic.title == "Muziekscholen"))
    assert child.parent == parent
    html = text(team.get(page(child)))
    assert "Sub-topic of" in html and page(parent) in html


def test_editing_may_change_the_status_which_goes_on_the_timeline(team, topics, lobby_defaults, db_session):
    topic = topics.create("Btw", status="Geagendeerd")
    edit = page(topic) + "/bewerken"
    form = text(team.get(edit))
    assert 'value="Btw"' in form
    response = post_form(team, edit, topic_data(lobby_defaults, title="Btw op lessen",
                                                 status_id=lobby_defaults["Toezegging"].id), token_from=edit)
    assert response.status_code == 302
    html = text(team.get(page(topic)))
    assert "Status: On the agenda → Commitment" in html and "Btw op lessen" in html


def test_without_statuses_the_form_says_where_to_set_them_up(team, db_session):
    html = text(team.get(NEW))
    assert "There are no statuses yet" in html and "/beheer/lobby/statussen" in html


# --- the topic's page ----------------------------------------------------------------------------------------------

def test_the_status_form_writes_a_dated_entry_that_reads_in_each_language(client, users, member, topics,
                                                                        lobby_defaults):
    users.login(client, member)
    topic = topics.create("Btw", status="Geagendeerd")
    response = post_form(client, page(topic) + "/status", {
        "status_id": lobby_defaults["Input gegeven"].id, "changed_on": "2026-02-03", "note": "Brief gestuurd"},
        token_from=page(topic))
    assert response.status_code == 302 and response.location.endswith(page(topic) + "#timeline")
    html = text(client.get(page(topic)))
    assert "Status: Geagendeerd → Input gegeven" in html and "Brief gestuurd" in html
    assert 'datetime="2026-02-03"' in html
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    assert "Status: On the agenda → Input given" in text(client.get(page(topic)))


def test_a_refused_status_change_shows_the_page_with_the_reason(team, topics, lobby_defaults):
    topic = topics.create("Btw", status="Geagendeerd")
    response = post_form(team, page(topic) + "/status", {
        "status_id": lobby_defaults["Geagendeerd"].id, "changed_on": "2026-02-03"}, token_from=page(topic))
    assert response.status_code == 422
    assert "The topic has this status already." in text(response)
    response = post_form(team, page(topic) + "/status", {"status_id": lobby_defaults["Resultaat"].id,
                                                         "changed_on": "0001-01-01"}, token_from=page(topic))
    assert response.status_code == 422 and 'id="changed_on-error"' in text(response)


def test_the_page_shows_progress_sub_topics_and_the_ask(team, topics, member):
    parent = topics.create("Bezuinigingen", ask="Geen bezuiniging op cultuureducatie", owner=member, tags=["geld"])
    topics.create("Muziekscholen", parent=parent, status="Resultaat")
    topics.create("Bibliotheken", parent=parent, status="Gesignaleerd")
    html = text(team.get(page(parent)))
    assert "1 of 2 sub-topics done, 50%" in html
    assert re.search(r'class="topic-ask".*Geen bezuiniging op cultuureducatie', html, re.S)
    assert html.index("Muziekscholen") < html.index("Bibliotheken")
    assert "Move down" in html and "Ilse Lobby" in html
    assert "History" in html


def test_sub_topics_move_with_and_without_htmx(team, topics, db_session):
    parent = topics.create("Bezuinigingen")
    first = topics.create("Een", parent=parent, position=0)
    topics.create("Twee", parent=parent, position=1)
    move = page(first) + "/verplaatsen"
    response = post_form(team, move, {"direction": "down"}, token_from=page(parent))
    assert response.status_code == 302 and response.location.endswith(page(parent) + "#subtopics")
    db_session.expire_all()
    assert [c.title for c in parent.children] == ["Twee", "Een"]
    response = post_form(team, move, {"direction": "up"}, token_from=page(parent), headers=HTMX)
    html = text(response)
    assert response.status_code == 200 and "<html" not in html and html.index("Een") < html.index("Twee")
    assert post_form(team, move, {"direction": "sideways"}, token_from=page(parent)).status_code == 422


def test_notes_are_added_and_removed(team, topics, db_session):
    topic = topics.create("Btw")
    response = post_form(team, page(topic) + "/tijdlijn", {"happened_on": "2026-01-12", "text": "Gesprek gehad"},
                         token_from=page(topic))
    assert response.status_code == 302
    note = db_session.scalar(select(TopicUpdate).where(TopicUpdate.topic_id == topic.id))
    html = text(team.get(page(topic)))
    assert "Gesprek gehad" in html and "Note added to the timeline." in html
    response = post_form(team, page(topic) + "/tijdlijn", {"happened_on": "", "text": ""}, token_from=page(topic))
    assert response.status_code == 422 and "Write the note." in text(response)
    other = topics.create("Ander")
    assert post_form(team, f"{page(other)}/tijdlijn/{note.id}/verwijderen",
                     token_from=page(topic)).status_code == 404
    response = post_form(team, f"{page(topic)}/tijdlijn/{note.id}/verwijderen", token_from=page(topic))
    assert response.status_code == 302
    assert "Gesprek gehad" not in text(team.get(page(topic)))


def test_status_entries_cannot_be_removed(team, topics, lobby_defaults, db_session):
    topic = topics.create("Btw")
    post_form(team, page(topic) + "/status", {"status_id": lobby_defaults["Geagendeerd"].id,
                                              "changed_on": "2026-02-03"}, token_from=page(topic))
    entry = db_session.scalar(select(TopicUpdate).where(TopicUpdate.topic_id == topic.id))
    response = post_form(team, f"{page(topic)}/tijdlijn/{entry.id}/verwijderen", token_from=page(topic))
    assert response.status_code == 422 and "Status changes stay in the timeline" in text(response)


def test_removing_a_topic_says_what_goes_with_it(team, topics, lobby_parties, party_inputs, db_session):
    parent = topics.create("Bezuinigingen", tags=["geld"])
    topics.create("Muziekscholen", parent=parent)
    topics.create("Bibliotheken", parent=parent)
    party_inputs.create(parent, lobby_parties.create())
    html = text(team.get(page(parent)))
    assert "Remove the topic and its 2 sub-topics" in html
    assert "1 record of input to a party goes with it." in html
    response = post_form(team, page(parent) + "/verwijderen", token_from=page(parent))
    assert response.status_code == 302 and response.location.endswith(LIST)
    html = text(team.get(LIST))
    assert "Topic “Bezuinigingen” removed. 2 sub-topics went with it." in html
    assert db_session.scalar(select(func.count()).select_from(Topic)) == 0
    assert db_session.scalar(select(func.count()).select_from(Tag)) == 0


def test_removing_a_sub_topic_returns_to_its_parent(team, topics):
    parent = topics.create("Bezuinigingen")
    child = topics.create("Muziekscholen", parent=parent)
    response = post_form(team, page(child) + "/verwijderen", token_from=page(child))
    assert response.location.endswith(page(parent) + "#subtopics")


def test_unknown_topics_are_404(team, lobby_defaults):
    assert team.get(f"{LIST}/999").status_code == 404
    assert team.get(f"{LIST}/999/bewerken").status_code == 404


def test_the_status_form_proposes_the_next_status_today(team, topics, lobby_defaults):
    from campaign.core.i18n import local_today

    topic = topics.create("Btw", status="Geagendeerd")
    html = text(team.get(page(topic)))
    assert re.search(r'id="changed_on"[^>]*value="%s"' % local_today().isoformat(), html)
    assert f'<option selected value="{lobby_defaults["Input gegeven"].id}">' in html

"""The link pages of a topic as the lobby team uses them: picking statements (without JavaScript), the parties'
positions across municipalities with the CSV download, linking debates, and what the edition and debate pages
show of the links."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from campaign.core.models import AuditEntry
from campaign.lobby.models import TopicStatement
from tests.helpers import csrf_token, post_form
from tests.lobby.test_links import ALL_SUPPORT, edition_in


@pytest.fixture()
def team(client, users):
    """A signed-in lobby team member, reading English."""
    member = users.create("editor")
    users.login(client, member)
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return member


def statements_url(topic) -> str:
    return f"/beheer/lobby/onderwerpen/{topic.id}/stellingen"


def positions_url(topic, query: str = "") -> str:
    return f"/beheer/lobby/onderwerpen/{topic.id}/standpunten{query}"


def debates_url(topic) -> str:
    return f"/beheer/lobby/onderwerpen/{topic.id}/debatten"


# --- the statement picker ------------------------------------------------------------------------------------

def test_the_picker_lists_unlinked_statements_with_theme_editions_and_the_topics_they_serve(client, team, editions,
                                                                                           topics):
    editions.create()
    edition_in(editions, "GM0355", "Zeist")
    topics.create("Btw op lessen", statements=["muziekles"])
    topic = topics.create("Oefenruimte", statements=["oefenruimte"])
    topics.create("Muziekles overal", statements=["muziekles"])

    html = client.get(statements_url(topic)).get_data(as_text=True)

    linked, picker = html.split('id="picker-title"')
    assert "Goedkope oefenruimtes" in linked and "agreeing supports our ask" in linked
    assert "Goedkope oefenruimtes" not in picker
    assert "Muziekles op elke basisschool" in picker and "Onderwijs" in picker
    row = picker.split("Muziekles op elke basisschool")[1].split("</tr>")[0]
    assert ">2</td>" in row  # in two editions
    assert "Btw op lessen</a>, <a" in row and "Muziekles overal" in row


def test_the_picker_searches_by_text_or_theme(client, team, editions, topics):
    editions.create()
    topic = topics.create()

    html = client.get(statements_url(topic) + "?q=financi").get_data(as_text=True)
    picker = html.split('id="picker-title"')[1]

    assert "Bezuinigen op cultuur" in picker and "Muziekles op elke basisschool" not in picker
    assert 'data-hx-get="' in html  # with JavaScript the list follows the typing
    fragment = client.get(statements_url(topic) + "?q=laag inkomen", headers={"HX-Request": "true"})
    assert "Een cultuurpas" in fragment.get_data(as_text=True)
    assert "<h1>" not in fragment.get_data(as_text=True)


def test_ticking_statements_links_them_with_the_chosen_supporting_answer(client, team, editions, topics, db_session):
    editions.create()
    topic = topics.create()

    response = post_form(client, statements_url(topic),
                         {"keys": ["muziekles", "bezuiniging"], "supports-bezuiniging": "disagree",
                          "supports-cultuurpas": "disagree"}, token_from=statements_url(topic))

    assert response.status_code == 302 and response.location.endswith(statements_url(topic))
    links = db_session.scalars(select(TopicStatement).where(TopicStatement.topic_id == topic.id)).all()
    assert {(link.statement_key, link.supports) for link in links} == {("muziekles", "agree"),
                                                                       ("bezuiniging", "disagree")}
    page = client.get(response.location).get_data(as_text=True)
    assert "2 statements linked or changed." in page
    assert "disagreeing supports our ask" in page.split('id="picker-title"')[0]


def test_the_supporting_answer_of_a_linked_statement_can_be_switched(client, team, editions, topics, db_session):
    editions.create()
    topic = topics.create(statements=["muziekles"])

    page = client.get(statements_url(topic)).get_data(as_text=True)
    assert 'name="supports-muziekles" value="disagree"' in page
    post_form(client, statements_url(topic), {"keys": "muziekles", "supports-muziekles": "disagree"},
              token_from=statements_url(topic))

    db_session.expire_all()
    assert [(s.statement_key, s.supports) for s in topic.statements] == [("muziekles", "disagree")]


def test_unknown_keys_and_an_empty_choice_are_refused_with_a_message(client, team, editions, topics, db_session):
    editions.create()
    topic = topics.create()

    unknown = post_form(client, statements_url(topic), {"keys": ["muziekles", "bestaat-niet"]},
                        token_from=statements_url(topic))
    empty = post_form(client, statements_url(topic), {}, token_from=statements_url(topic))

    assert unknown.status_code == 422
    assert "No edition has a statement with the key bestaat-niet." in unknown.get_data(as_text=True)
    # What was ticked stays ticked.
    assert 'value="muziekles" id="pick-' in unknown.get_data(as_text=True)
    assert 'value="muziekles" id="pick-3" checked' in unknown.get_data(as_text=True)
    assert empty.status_code == 422 and "Choose at least one statement." in empty.get_data(as_text=True)
    assert db_session.scalars(select(TopicStatement)).all() == []


def test_unlinking_a_statement(client, team, editions, topics, db_session):
    editions.create()
    topic = topics.create(statements=["muziekles", "cultuurpas"])

    response = post_form(client, statements_url(topic) + "/cultuurpas/ontkoppelen", token_from=statements_url(topic))

    assert response.status_code == 302
    assert "Statement cultuurpas unlinked." in client.get(response.location).get_data(as_text=True)
    db_session.expire_all()
    assert [s.statement_key for s in topic.statements] == ["muziekles"]
    missing = post_form(client, statements_url(topic) + "/oefenruimte/ontkoppelen", token_from=statements_url(topic))
    assert missing.status_code == 404
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.unlink_statement"))
    assert entry.actor_id == team.id


def test_an_unknown_topic_is_404(client, team):
    assert client.get("/beheer/lobby/onderwerpen/999999/stellingen").status_code == 404
    assert client.get("/beheer/lobby/onderwerpen/999999/standpunten").status_code == 404
    assert client.get("/beheer/lobby/onderwerpen/999999/debatten").status_code == 404


# --- positions -----------------------------------------------------------------------------------------------

def test_positions_show_each_party_and_the_support_per_municipality(client, team, editions, topics):
    editions.create()
    edition_in(editions, "GM0355", "Zeist", positions=ALL_SUPPORT)
    edition_in(editions, "GM0014", "Groningen", status="draft", positions=ALL_SUPPORT)
    topic = topics.create(statements=["muziekles", ("bezuiniging", "disagree")])

    html = client.get(positions_url(topic)).get_data(as_text=True)

    summary, details = html.split('id="support-title"')[1].split("</section>", 1)
    assert summary.index("Zeist") < summary.index("Utrecht")
    assert "Supported by 3 of 3 parties" in summary and "Supported by 1 of 3 parties" in summary
    assert "Groningen" not in html  # a draft: not published
    utrecht = details.split("Bezuinigen op cultuur</h2>")[1].split("Zeist")[0]
    beta = utrecht.split("Beta Beweging")[1].split("</tr>")[0]
    assert "Agree" in beta and "against our ask" in beta and "Alles moet meedoen." in beta
    assert "Alfa Partij" in utrecht and "supports our ask" in utrecht.split("Alfa Partij")[1].split("</tr>")[0]


def test_positions_filters_every_edition_municipality_and_election(client, team, editions, topics):
    editions.create()
    edition_in(editions, "GM0014", "Groningen", status="draft")
    topic = topics.create(statements=["muziekles"])

    every = client.get(positions_url(topic, "?show=all")).get_data(as_text=True)
    searched = client.get(positions_url(topic, "?show=all&gemeente=gron")).get_data(as_text=True)
    fragment = client.get(positions_url(topic, "?show=all&gemeente=utr"), headers={"HX-Request": "true"})
    bad = client.get(positions_url(topic, "?show=alles&verkiezing=999999"))

    assert "Groningen" in every and "Utrecht" in every
    assert "Groningen" in searched.split('id="support-title"')[1] and "Utrecht" not in searched.split(
        'id="support-title"')[1]
    assert "<h1>" not in fragment.get_data(as_text=True) and "Utrecht" in fragment.get_data(as_text=True)
    assert bad.status_code == 422 and "Groningen" not in bad.get_data(as_text=True).split('id="support-title"')[1]


def test_the_positions_csv_has_the_same_rows_and_shows_formulas_as_text(client, team, editions, topics):
    doc_positions = {"alfa": {"muziekles": "agree"}}
    edition = edition_in(editions, "GM0355", "Zeist", positions=doc_positions)
    edition.parties[0].positions[0].explanation = "=HYPERLINK(\"http://example.org\")"
    editions.session.commit()
    topic = topics.create(statements=["muziekles"])

    response = client.get(positions_url(topic, ".csv?show=all"))

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"standpunten-onderwerp-{topic.id}.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Statement key", "Statement", "Supporting answer"]
    assert len(rows) == 1 + 3
    alfa = next(r for r in rows if r[8] == "Alfa Partij")
    assert alfa[:2] == ["muziekles", "Muziekles op elke basisschool"]
    assert (alfa[3], alfa[4], alfa[9], alfa[11]) == ("GM0355", "Zeist", "Agree", "supports our ask")
    assert alfa[10].startswith("'=HYPERLINK")


def test_a_topic_without_statements_says_so(client, team, topics):
    html = client.get(positions_url(topics.create())).get_data(as_text=True)
    assert "This topic has no linked statements yet." in html


# --- debates -------------------------------------------------------------------------------------------------

def test_linking_and_unlinking_a_debate(client, team, topics, debates, venues, db_session):
    from tests.debates.conftest import local_evening

    topic = topics.create()
    utrecht = debates.create("published", title="Cultuurdebat Utrecht", starts_at=local_evening(5))
    zeist = debates.create("cancelled", title="Cultuurdebat Zeist", venue=venues.create("GM0355"),
                           starts_at=local_evening(3))

    page = client.get(debates_url(topic)).get_data(as_text=True)
    picker = page.split('id="picker-title"')[1]
    assert picker.index("Cultuurdebat Utrecht") < picker.index("Cultuurdebat Zeist")
    assert "cancelled" in picker.split("Cultuurdebat Zeist")[1]
    zeist_only = client.get(debates_url(topic) + "?gemeente=GM0355").get_data(as_text=True)
    assert "Cultuurdebat Utrecht" not in zeist_only.split('id="picker-title"')[1]

    response = post_form(client, debates_url(topic), {"debate": str(utrecht.id)}, token_from=debates_url(topic))
    assert response.status_code == 302
    db_session.expire_all()
    assert topic.debates == [utrecht]
    after = client.get(response.location).get_data(as_text=True)
    assert "Debate “Cultuurdebat Utrecht” linked." in after
    assert "Cultuurdebat Utrecht" in after.split('id="picker-title"')[0]

    response = post_form(client, f"{debates_url(topic)}/{utrecht.id}/ontkoppelen", token_from=debates_url(topic))
    assert response.status_code == 302
    db_session.expire_all()
    assert topic.debates == []
    assert post_form(client, f"{debates_url(topic)}/{zeist.id}/ontkoppelen",
                     token_from=debates_url(topic)).status_code == 404


def test_linking_a_debate_that_is_missing_or_unknown(client, team, topics):
    topic = topics.create()

    missing = post_form(client, debates_url(topic), {}, token_from=debates_url(topic))
    unknown = post_form(client, debates_url(topic), {"debate": "999999"}, token_from=debates_url(topic))

    assert missing.status_code == 422 and "Choose a debate." in missing.get_data(as_text=True)
    assert unknown.status_code == 404


def test_coordinators_cannot_open_the_link_pages(client, users, topics, places):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    topic = topics.create()
    assert client.get(statements_url(topic)).status_code == 403
    token = csrf_token(client, "/beheer/inloggen")
    assert client.post(debates_url(topic), data={"csrf_token": token, "debate": "1"}).status_code == 403


# --- what other pages show -----------------------------------------------------------------------------------

def test_the_edition_page_shows_the_topics_each_statement_serves(client, team, editions, topics):
    edition = editions.create()
    btw = topics.create("Btw op lessen", statements=["muziekles"])

    html = client.get(f"/beheer/cultuurwijzer/edities/{edition.id}").get_data(as_text=True)

    muziekles = html.split('id="statement-muziekles"')[1].split("</li>")[0]
    assert "Serves lobby topic:" in muziekles and f'href="/beheer/lobby/onderwerpen/{btw.id}"' in muziekles
    assert "Serves lobby topic" not in html.split('id="statement-cultuurpas"')[1].split("</li>")[0]


def test_the_debate_page_lists_its_lobby_topics_linked_for_the_team_only(client, users, topics, debates):
    debate = debates.create()
    topic = topics.create("Btw op lessen", debates=[debate])

    users.login(client, users.create("editor"))
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    team_page = client.get(f"/beheer/debatten/{debate.id}").get_data(as_text=True)
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    coordinator_page = client.get(f"/beheer/debatten/{debate.id}").get_data(as_text=True)

    assert "Lobby topics on this debate's agenda" in team_page
    assert f'href="/beheer/lobby/onderwerpen/{topic.id}"' in team_page
    assert "Btw op lessen" in coordinator_page
    assert "/beheer/lobby/onderwerpen/" not in coordinator_page


def test_the_topic_page_shows_statements_support_and_debates(client, team, editions, topics, debates):
    editions.create()
    edition_in(editions, "GM0355", "Zeist", positions=ALL_SUPPORT)
    debate = debates.create(title="Cultuurdebat Utrecht")
    topic = topics.create(statements=["muziekles"], debates=[debate])

    html = client.get(f"/beheer/lobby/onderwerpen/{topic.id}").get_data(as_text=True)

    statements = html.split('id="topic-statements-title"')[1].split("</section>")[0]
    assert "Muziekles op elke basisschool" in statements and "agreeing supports our ask" in statements
    assert statements.index("Zeist") < statements.index("Utrecht")
    assert "Supported by 3 of 3 parties" in statements
    assert statements_url(topic) in statements and positions_url(topic) in statements
    debates_part = html.split('id="topic-debates-title"')[1].split("</section>")[0]
    assert "Cultuurdebat Utrecht" in debates_part and debates_url(topic) in debates_part

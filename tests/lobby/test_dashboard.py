"""The lobby's home page: topics by status (chart and table), overdue next steps, where most parties support our
ask per topic, and coverage per province; a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from campaign.core.i18n import local_today
from tests.factories import edition_document
from tests.helpers import statements
from tests.lobby.test_dossier import text

EN = {"Accept-Language": "en"}
SVG = "{http://www.w3.org/2000/svg}"


def dashboard(client) -> str:
    response = client.get("/beheer/lobby/", headers=EN)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def part(html: str, title_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', html, re.S)
    assert match, title_id
    return match.group(0)


def chart(html: str, chart_id: str) -> ET.Element:
    return ET.fromstring(re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S).group(0))


def bars(svg: ET.Element) -> list[tuple[str, float]]:
    """(series, width) of every bar, in drawing order."""
    return [(r.get("data-series"), float(r.get("width"))) for r in svg.iter(f"{SVG}rect")
            if r.get("class") == "chart-bar"]


def labels(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]


def edition_in(editions, election, code, name, province="Utrecht", *, status="published", supporters=0):
    """The mini edition (alfa, beta, gamma) in ``code`` for ``election``, with the first ``supporters`` parties
    agreeing on muziekles and the others disagreeing."""
    doc = edition_document(id=f"{election.slug}-{code.lower()}", status=status,
                           municipality={"code": code, "name": name, "province": province},
                           election={"slug": election.slug, "name": election.name,
                                     "date": election.date.isoformat()})
    for index, party in enumerate(doc["parties"]):
        party["positions"]["muziekles"]["position"] = "agree" if index < supporters else "disagree"
    return editions.create(doc)


# --- topics by status ---------------------------------------------------------------------------------------------

def test_topics_by_status_as_a_bar_chart_with_the_same_numbers_in_a_table(client, editor, topics):
    parent = topics.create("Btw op lessen", status="Geagendeerd")
    topics.create("Lagere btw", status="Geagendeerd", parent=parent)
    topics.create("Btw-vrijstelling", status="Toezegging", parent=parent)
    topics.create("Bezuinigingen", status="Gesignaleerd")

    html = part(dashboard(client), "status-title")
    svg = chart(html, "chart-status")

    assert svg.get("role") == "img"
    assert labels(svg) == ["Signalled", "On the agenda", "Input given", "Commitment", "Result (closed)"]
    widths = [w for _series, w in bars(svg)]
    assert widths[1] > 0 and widths[0] == pytest.approx(widths[1] / 2, abs=0.1)
    assert widths[3] == pytest.approx(widths[0], abs=0.1) and widths[2] == widths[4] == 0
    table = text(re.search(r'<table class="chart-table">.*?</table>', html, re.S).group(0))
    assert "Signalled 1 On the agenda 2 Input given 0 Commitment 1 Result (closed) 0" in table


def test_without_any_status_the_chart_says_there_is_no_data(client, editor):
    svg = chart(dashboard(client), "chart-status")

    assert bars(svg) == []
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-empty"] == ["No data yet."]


# --- overdue next steps -------------------------------------------------------------------------------------------

def test_only_overdue_open_next_steps_are_listed_oldest_first(client, editor, topics, lobby_parties, party_inputs):
    topic = topics.create("Btw op lessen")
    party = lobby_parties.create("Lokaal Utrecht (fictief)")
    national = lobby_parties.create("Landelijke Partij (fictief)", municipality=None)
    today = local_today()
    party_inputs.create(topic, party, next_step="Brief nasturen", next_step_due=today - dt.timedelta(days=2),
                        given_on=today - dt.timedelta(days=9), given_by=editor)
    party_inputs.create(topic, national, next_step="Wethouder bellen", next_step_due=today - dt.timedelta(days=8),
                        given_on=today - dt.timedelta(days=9))
    party_inputs.create(topic, party, next_step="Vandaag mailen", next_step_due=today)
    party_inputs.create(topic, party, next_step="Al gedaan", next_step_due=today - dt.timedelta(days=3),
                        next_step_done_on=today - dt.timedelta(days=1), given_on=today - dt.timedelta(days=9))

    found = text(part(dashboard(client), "overdue-title"))

    assert re.search(r"Wethouder bellen Overdue: .* Btw op lessen Landelijke Partij \(fictief\) – "
                     r"Brief nasturen Overdue: .* Btw op lessen Lokaal Utrecht \(fictief\) \(Utrecht\) Lotte Lobby",
                     found), found
    assert "Vandaag mailen" not in found and "Al gedaan" not in found


def test_no_overdue_steps_says_so(client, editor, lobby_defaults):
    assert "No next step is overdue." in text(part(dashboard(client), "overdue-title"))


# --- where most parties support our ask ---------------------------------------------------------------------------

def test_per_topic_the_municipalities_where_most_parties_support_our_ask(client, editor, places, editions, topics,
                                                                         election):
    edition_in(editions, election, "GM0344", "Utrecht", supporters=2)
    edition_in(editions, election, "GM0355", "Zeist", supporters=3)
    edition_in(editions, election, "GM0014", "Groningen", "Groningen", supporters=1)
    edition_in(editions, election, "GM0855", "Tilburg", "Noord-Brabant", supporters=3, status="draft")
    topics.create("Muziekles voor ieder kind", statements=["muziekles"])
    topics.create("Tegen verplichte muziekles", statements=[("muziekles", "disagree")])
    topics.create("Geen koppeling")

    html = part(dashboard(client), "support-title")
    rows = dict(re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', html, re.S))

    assert list(rows) == ["Muziekles voor ieder kind", "Tegen verplichte muziekles"]
    music = text(rows["Muziekles voor ieder kind"])
    assert re.search(r"Zeist: 3 of 3 parties \(100\.0%\) Utrecht: 2 of 3 parties \(66\.7%\) 2 of 3", music), music
    assert "Groningen" not in music and "Tilburg" not in music  # a minority; a draft edition
    assert 'href="/beheer/lobby/gemeenten/GM0355"' in rows["Muziekles voor ieder kind"]
    assert re.search(r"Groningen: 2 of 3 parties \(66\.7%\) 1 of 3", text(rows["Tegen verplichte muziekles"]))


def test_at_most_five_municipalities_per_topic(client, editor, editions, topics, election):
    for number in range(7):
        edition_in(editions, election, f"GM{number + 1:04d}", f"Gemeente {number}", supporters=3)
    topics.create("Muziekles", statements=["muziekles"])

    found = text(part(dashboard(client), "support-title"))

    assert [f"Gemeente {n}" for n in range(5)] == re.findall(r"(Gemeente \d):", found)
    assert "7 of 7" in found


def test_topics_without_published_editions_say_so(client, editor, topics, lobby_defaults):
    found = text(part(dashboard(client), "support-title"))
    assert "No topic is linked to Cultuurwijzer statements yet." in found

    topics.create("Muziekles", statements=["muziekles"])
    assert "No published edition has these statements yet." in text(part(dashboard(client), "support-title"))


# --- coverage per province --------------------------------------------------------------------------------------------

def test_coverage_per_province_as_a_grouped_chart_and_a_table(client, editor, places, editions, applications,
                                                              debates, venues, election):
    applications.create("active", municipalities=["GM0344"])
    applications.create("in_training", municipalities=["GM0014"])  # not active yet
    debates.create("published", venue=venues.create("GM0355"))
    debates.create("draft", venue=venues.create("GM0344"))
    debates.create("cancelled", venue=venues.create("GM0014"))
    edition_in(editions, election, "GM0344", "Utrecht")
    edition_in(editions, election, "GM0855", "Tilburg", "Noord-Brabant", status="draft")

    html = part(dashboard(client), "coverage-title")

    rows = text(re.search(r'<table class="coverage">.*?</table>', html, re.S).group(0))
    assert "Groningen 1 0 0 0 Noord-Brabant 1 0 0 0 Utrecht 2 1 2 1 Total 4 1 2 1" in rows
    svg = chart(html, "chart-coverage")
    assert labels(svg) == ["Groningen", "Noord-Brabant", "Utrecht"]
    legend = ["".join(g.itertext()) for g in svg.iter(f"{SVG}g") if g.get("class") == "chart-legend"]
    assert legend == ["Municipalities", "With an active coordinator", "With a debate", "With a published edition"]
    utrecht = bars(svg)[8:]
    assert [s for s, _w in utrecht] == ["0", "1", "2", "3"]
    assert utrecht[1][1] == pytest.approx(utrecht[0][1] / 2, abs=0.1)  # 1 of 2
    assert utrecht[2][1] == pytest.approx(utrecht[0][1], abs=0.1)
    assert 'href="/beheer/lobby/gemeenten?provincie=Noord-Brabant"' in html


# --- queries ---------------------------------------------------------------------------------------------------------

def test_the_dashboard_takes_the_same_number_of_queries_for_more_topics_and_editions(client, editor, places,
                                                                                     editions, topics, election,
                                                                                     lobby_parties, party_inputs,
                                                                                     db_session):
    party = lobby_parties.create()
    made = []

    def queries(count: int) -> int:
        while len(made) < count:
            n = len(made)
            edition_in(editions, election, f"GM{n + 1:04d}", f"Gemeente {n}", supporters=n % 4)
            topic = topics.create(f"Onderwerp {n}", statements=["muziekles", ("bezuiniging", "disagree")])
            party_inputs.create(topic, party, next_step="Bellen", next_step_due=local_today() - dt.timedelta(days=1))
            made.append(topic)
        db_session.expire_all()
        with statements() as ran:
            dashboard(client)
        return len(ran)

    assert queries(2) == queries(10) <= 15


def test_only_the_lobby_team_sees_the_dashboard(client, users, places, lobby_defaults):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get("/beheer/lobby/").status_code == 403


def test_the_team_chooses_the_election_the_dashboard_counts(client, editor, db_session, places):
    """Coverage counts the chosen election's editions; an unknown election is a named 422, not a 500."""
    import datetime as dt

    from campaign.core.models import Election
    from tests.factories import EditionFactory

    EditionFactory(db_session).create(status="published")  # test2026 (18 March 2026), Utrecht
    db_session.add(Election(slug="later-2030", name="Later (fictief)", date=dt.date(2030, 3, 20)))
    db_session.commit()

    upcoming = dashboard(client)
    assert "those of Later (fictief)" in upcoming
    chosen = client.get("/beheer/lobby/?verkiezing=test2026", headers=EN)
    page = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and "those of Testverkiezing 2026" in page
    assert '<option selected value="test2026">' in page
    wrong = client.get("/beheer/lobby/?verkiezing=nope", headers=EN)
    assert wrong.status_code == 422 and "Choose an election from the list." in wrong.get_data(as_text=True)

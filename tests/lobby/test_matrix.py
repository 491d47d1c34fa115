"""The topics x parties matrix: each party's current stance per topic, filtered by level or municipality, topic
status and input; sub-topics under their parents; totals; the CSV download; a constant number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from campaign.lobby import inputs
from tests.helpers import statements

MATRIX = "/beheer/lobby/matrix"
CSV = "/beheer/lobby/matrix.csv"
DAY = dt.timedelta(days=1)
TODAY = dt.date(2026, 2, 10)


@pytest.fixture()
def editor(client, users, places):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    users.login(client, users.create("editor"))
    return client


@pytest.fixture()
def agenda(topics, lobby_parties, party_inputs):
    """Two top-level topics (one with two sub-topics), national parties Alfa and Beta (and an inactive one), a
    local party in Utrecht; input with stances."""
    btw = topics.create("Btw op lessen", priority=1)
    lessons = topics.create("Btw: muziekles", parent=btw, position=1, status="Geagendeerd")
    theatre = topics.create("Btw: theater", parent=btw, position=2)
    gifts = topics.create("Giftenaftrek", priority=2, status="Toezegging")
    alfa = lobby_parties.create("Alfa", municipality=None, abbreviation="A")
    beta = lobby_parties.create("Beta", municipality=None)
    lobby_parties.create("Gamma (opgeheven)", municipality=None, active=False)
    local = lobby_parties.create("Lokaal Belang", municipality="GM0344")
    rows = {
        "alfa-btw": party_inputs.create(btw, alfa, stance="opposed", given_on=TODAY - 20 * DAY),
        "alfa-btw-later": party_inputs.create(btw, alfa, stance="supportive", given_on=TODAY - 2 * DAY),
        "beta-btw": party_inputs.create(btw, beta, stance="supportive", given_on=TODAY - 3 * DAY),
        "alfa-lessons": party_inputs.create(lessons, alfa, stance="neutral", given_on=TODAY - 3 * DAY),
        "local-gifts": party_inputs.create(gifts, local, stance="supportive", given_on=TODAY - 3 * DAY),
    }
    return dict(btw=btw, lessons=lessons, theatre=theatre, gifts=gifts, alfa=alfa, beta=beta, local=local, **rows)


def test_the_matrix_shows_topics_with_sub_topics_against_the_national_parties(agenda):
    found = inputs.matrix()
    assert [(r.topic.title, r.depth) for r in found.rows] == [
        ("Btw op lessen", 0), ("Btw: muziekles", 1), ("Btw: theater", 1), ("Giftenaftrek", 0)]
    assert [p.name for p in found.parties] == ["Alfa", "Beta"]  # the inactive party has no input
    btw = agenda["btw"]
    assert found.cell(btw, agenda["alfa"]) == agenda["alfa-btw-later"]
    assert [found.stance(btw, p) for p in found.parties] == ["supportive", "supportive"]
    assert found.stance(agenda["theatre"], agenda["alfa"]) == "unknown"
    assert found.supportive_for_topic(btw) == 2 and found.supportive_for_topic(agenda["lessons"]) == 0
    assert found.supportive_of_party(agenda["alfa"]) == 1


def test_the_matrix_filters_by_municipality_status_and_input(agenda, lobby_defaults, lobby_parties,
                                                             party_inputs):
    local = inputs.matrix(level="local", municipality_id=agenda["local"].municipality_id, with_input_only=True)
    assert [p.name for p in local.parties] == ["Lokaal Belang"]
    assert [r.topic.title for r in local.rows] == ["Giftenaftrek"]
    assert inputs.matrix(level="local").rows == []  # no municipality chosen

    on_agenda = inputs.matrix(status_id=lobby_defaults["Geagendeerd"].id)
    # A sub-topic without its parent stands alone and names the parent.
    assert [(r.topic.title, r.depth, r.parent_title) for r in on_agenda.rows] == [
        ("Btw: muziekles", 0, "Btw op lessen")]
    with_input = inputs.matrix(with_input_only=True)
    assert [r.topic.title for r in with_input.rows] == ["Btw op lessen", "Btw: muziekles"]

    gone = lobby_parties.create("Delta", municipality=None, active=False)
    party_inputs.create(agenda["gifts"], gone, stance="opposed")
    assert "Delta" in [p.name for p in inputs.matrix().parties]  # inactive, but with input: history


def test_the_matrix_page_is_a_labelled_scrollable_region_with_stances_in_words(editor, agenda):
    page = editor.get(MATRIX).get_data(as_text=True)
    assert re.search(r'<div class="table-scroll lobby-matrix" role="region" tabindex="0" '
                     r'aria-labelledby="matrix-caption">', page)
    assert re.search(r'<caption id="matrix-caption">Stances of the national parties per topic', page)
    assert '<th scope="col"><a href="/beheer/lobby/partijen/%d"><abbr title="Alfa">A</abbr>' % agenda["alfa"].id \
        in page
    row = re.search(r'<tr>\s*<th scope="row" class="lobby-matrix-topic">.*?Btw op lessen</a>.*?</tr>', page,
                    re.S).group(0)
    assert f'href="/beheer/lobby/input/{agenda["alfa-btw-later"].id}"' in row
    assert re.findall(r'lobby-stance lobby-stance-(\w+)"><span class="lobby-stance-sign" aria-hidden="true">.'
                      r'</span> (\w+)</span>', row) == [("supportive", "supportive")] * 2
    assert '<td class="lobby-total">2</td>' in row
    assert 'class="lobby-matrix-topic lobby-subtopic"' in page and "Sub-topic of Btw op lessen:" in page
    theatre = re.search(r"Btw: theater</a>.*?</tr>", page, re.S).group(0)
    assert theatre.count('<span class="visually-hidden">no input</span>') == 2


def test_the_matrix_page_filters_and_links_the_same_csv(editor, agenda, lobby_defaults):
    code = agenda["local"].municipality.code
    page = editor.get(f"{MATRIX}?gemeente={code}&met_input=1").get_data(as_text=True)
    assert "Stances of the local parties in Utrecht per topic" in page
    assert "Lokaal Belang" in page and "Btw op lessen" not in page
    assert f'href="{CSV}?gemeente={code}&amp;met_input=1"' in page
    page = editor.get(f"{MATRIX}?gemeente=GM0855").get_data(as_text=True)
    assert "There are no parties in Tilburg yet." in page
    assert editor.get(f"{MATRIX}?gemeente=GM9999").status_code == 404
    status = lobby_defaults["Toezegging"]
    page = editor.get(f"{MATRIX}?status={status.id}").get_data(as_text=True)
    assert "Giftenaftrek" in page and "Btw op lessen</a>" not in page
    assert f'<option value="{status.id}" selected>Commitment</option>' in page
    assert editor.get(f"{MATRIX}?status=abc").status_code == 200


def test_the_csv_has_the_same_cells_and_no_formulas(editor, agenda, topics, lobby_parties):
    topics.create("=HYPERLINK(\"http://evil.example\")")
    lobby_parties.create("+Plus", municipality=None)
    response = editor.get(CSV)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="matrix-landelijk.csv"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == ["Topic", "Part of", "Status", "'+Plus", "Alfa", "Beta", "Supportive parties"]
    assert rows[1] == ["Btw op lessen", "", "Signalled", "", "supportive", "supportive", "2"]
    assert rows[2] == ["Btw: muziekles", "Btw op lessen", "On the agenda", "", "neutral", "", "0"]
    assert ["'=HYPERLINK(\"http://evil.example\")", "", "Signalled", "", "", "", "0"] in rows
    assert rows[-1] == ["Topics supported", "", "", "0", "1", "1", ""]
    local = editor.get(f"{CSV}?gemeente=GM0344&met_input=1").get_data(as_text=True)
    assert [r[0] for r in csv.reader(io.StringIO(local[1:]), delimiter=";")] == \
        ["Topic", "Giftenaftrek", "Topics supported"]


def test_the_matrix_takes_the_same_number_of_queries_for_40_topics_and_30_parties(editor, db_session, topics,
                                                                                 lobby_parties, party_inputs):
    def grow(n_topics: int, n_parties: int) -> None:
        from campaign.lobby.models import PoliticalParty, Topic

        have_topics = db_session.query(Topic).count()
        have_parties = db_session.query(PoliticalParty).count()
        made = [topics.create(f"Onderwerp {i}") for i in range(have_topics, n_topics)]
        parties = [lobby_parties.create(f"Partij {i}", municipality=None) for i in range(have_parties, n_parties)]
        stances = ("supportive", "neutral", "opposed", "unknown")
        for i, topic in enumerate(made):
            for j, party in enumerate(parties[: 1 + i % 7]):
                party_inputs.create(topic, party, stance=stances[(i + j) % 4])

    def counted(action) -> int:
        db_session.expire_all()
        with statements() as ran:
            action()
        return len(ran)

    grow(3, 2)
    small_domain = counted(lambda: inputs.matrix())
    small_page = counted(lambda: editor.get(MATRIX))
    small_csv = counted(lambda: editor.get(CSV))
    grow(40, 30)
    found = inputs.matrix()
    assert (len(found.rows), len(found.parties)) == (40, 30) and len(found.cells) > 100
    assert counted(lambda: inputs.matrix()) == small_domain <= 3
    assert counted(lambda: editor.get(MATRIX)) == small_page
    assert counted(lambda: editor.get(CSV)) == small_csv

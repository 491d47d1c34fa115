"""The dossier per municipality: the page (each section and its empty state, the election choice), the JSON
export, the list of municipalities, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import re


from campaign.core.i18n import local_today
from campaign.lobby.links import positions_by_topic
from campaign.lobby.models import AnswerDay, AnswerTally, FigureKind, LocalFigure
from tests.factories import edition_document
from tests.helpers import statements

EN = {"Accept-Language": "en"}
DOSSIER = "/beheer/lobby/gemeenten/GM0344"


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path, headers=EN)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def text(html: str) -> str:
    """The page's words without tags, spaces collapsed (what a reader sees): blocks and cells apart, inline
    elements run on."""
    blocks = re.sub(r"<(br|/?(td|th|tr|li|p|h\d|caption|div|ul|ol|dt|dd|section|article|table|summary))\b[^>]*>",
                    " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", blocks))


def section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    assert match, name
    return match.group(0)


def edition_here(editions, code="GM0344", name="Utrecht", province="Utrecht", *, days_ahead=30, slug="gr-test",
                 status="published", positions=None):
    """The mini edition (alfa, beta, gamma) in ``code`` for an election ``days_ahead`` days from today."""
    doc = edition_document(
        id=f"{slug}-{code.lower()}", status=status,
        municipality={"code": code, "name": name, "province": province},
        election={"slug": slug, "name": f"Verkiezing {slug}",
                  "date": (local_today() + dt.timedelta(days=days_ahead)).isoformat()})
    for party in doc["parties"]:
        for key, value in (positions or {}).get(party["id"], {}).items():
            party["positions"][key]["position"] = value
    return editions.create(doc)


# --- positions per topic -------------------------------------------------------------------------------------

def test_the_parties_positions_on_a_topics_statements_say_whether_they_support_our_ask(client, editor, places,
                                                                                      editions, topics):
    edition_here(editions)  # muziekles: alfa agree, beta neutral, gamma disagree; cultuurpas: gamma none
    topics.create("Muziekles voor ieder kind", status="Geagendeerd", ask="Betaal mee aan muziekles.",
                  statements=["muziekles", "cultuurpas"])

    found = section(page(client, DOSSIER), "topics")

    assert "Muziekles voor ieder kind" in found and "Betaal mee aan muziekles." in found
    assert "On the agenda" in found
    table = re.search(r'<table class="dossier-positions">.*?</table>', found, re.S).group(0)
    assert [h for h in re.findall(r'<th scope="col">([^<]+)</th>', table)] == [
        "Statement", "Alfa Partij", "Beta Beweging", "Gamma Groep"]
    row = text(re.search(r"<tr>\s*<th scope=\"row\">Muziekles op elke basisschool.*?</tr>", table, re.S).group(0))
    assert re.search(r"Agree supports our ask .*Neither says nothing about our ask .*Disagree goes against our ask",
                     row), row
    assert "No position" in text(table)  # gamma on cultuurpas
    # alfa agrees with both; beta neutral, against (0 of 2); gamma against, none (0 of 2).
    footer = text(re.search(r"<tfoot>.*?</tfoot>", table, re.S).group(0)).strip()
    assert footer == "Supports our ask on 2 of 2 statements · supports our ask 0 of 2 statements 0 of 2 statements"


def test_two_topics_linking_one_statement_with_opposite_answers_each_get_their_own_verdict(places, editions,
                                                                                          topics, db_session):
    edition_here(editions)
    music = topics.create("Muziekles", statements=["muziekles"])
    against = topics.create("Geen verplichte muziekles", statements=[("muziekles", "disagree")])

    rows = positions_by_topic(municipality_id=places["GM0344"].id)

    verdict = {(t.id, r.party_name): r.supports_ask for t in (music, against) for r in rows[t.id]}
    assert verdict[(music.id, "Alfa Partij")] is True and verdict[(against.id, "Alfa Partij")] is False
    assert verdict[(music.id, "Gamma Groep")] is False and verdict[(against.id, "Gamma Groep")] is True
    assert verdict[(music.id, "Beta Beweging")] is None and verdict[(against.id, "Beta Beweging")] is None


def test_local_parties_show_their_latest_stance_and_the_open_next_steps(client, editor, places, topics,
                                                                       lobby_parties, party_inputs):
    topic = topics.create("Btw op lessen")
    local = lobby_parties.create("Lokaal Utrecht (fictief)")
    elsewhere = lobby_parties.create("Zeister Belang (fictief)", municipality="GM0355")
    today = local_today()
    party_inputs.create(topic, local, stance="supportive", given_on=today - dt.timedelta(days=20))
    party_inputs.create(topic, local, stance="opposed", given_on=today - dt.timedelta(days=3), kind="meeting",
                        next_step="Brief nasturen", next_step_due=today - dt.timedelta(days=1), given_by=editor)
    party_inputs.create(topic, local, stance="opposed", given_on=today - dt.timedelta(days=10),
                        next_step="Al gebeld", next_step_due=today - dt.timedelta(days=2),
                        next_step_done_on=today - dt.timedelta(days=1))
    party_inputs.create(topic, elsewhere, stance="supportive", next_step="Zeist bellen",
                        next_step_due=today - dt.timedelta(days=1))

    found = text(section(page(client, DOSSIER), "topics"))

    assert "Btw op lessen" in found
    assert "Lokaal Utrecht (fictief) (Utrecht): − opposed (meeting," in found  # the latest input wins
    assert "Zeister Belang" not in found
    steps = found[found.index("Open next steps"):]
    assert "Brief nasturen Overdue: due" in steps and "Lotte Lobby" in steps
    assert "Al gebeld" not in steps and "Zeist bellen" not in steps


def test_topics_without_positions_or_input_here_are_counted_not_shown(client, editor, places, topics):
    topics.create("Fiscale aftrek giften")
    topics.create("Aansluiting onderwijs en beroep")

    found = text(section(page(client, DOSSIER), "topics"))

    assert "No topic has positions in this edition or input to a local party here yet." in found
    assert "2 other topics have no positions and no input here." in found
    assert "Fiscale aftrek giften" not in found
    assert "No local parties of Utrecht are known to the lobby yet." in found
    assert "No open next steps with the local parties here." in found


# --- coordinators, debates, figures, answers -------------------------------------------------------------------

def test_coordinators_of_the_municipality_with_status_and_lead(client, editor, applications):
    applications.create("active", municipalities=["GM0344"], name="Ada Actief")
    applications.create("in_training", municipalities=["GM0344"], name="Bram Bezig")
    applications.create("active", municipalities=["GM0355"], name="Zoë Zeist")

    found = text(section(page(client, DOSSIER), "coordinators"))

    assert "Ada Actief active lead coordinator" in found
    assert "Bram Bezig in training coordinator" in found
    assert "Zoë" not in found
    assert "No coordinator yet." in text(section(page(client, "/beheer/lobby/gemeenten/GM0014"), "coordinators"))


def test_debates_held_and_planned_here_with_their_lobby_topics(client, editor, places, debates, venues, topics,
                                                              election):
    from tests.debates.conftest import local_evening

    utrecht = venues.create("GM0344", name="Muziekcentrum")
    planned = debates.create("published", venue=utrecht, title="Lijsttrekkersdebat cultuur")
    held = debates.create("held", venue=utrecht, title="Jongerendebat", starts_at=local_evening(-5))
    debates.create("cancelled", venue=utrecht, title="Afgelast debat")
    debates.create("published", venue=venues.create("GM0355"), title="Debat in Zeist")
    topics.create("Btw op lessen", debates=[planned, held])
    topics.create("Bezuinigingen", debates=[planned])

    found = text(section(page(client, DOSSIER), "debates"))

    assert "1 planned, 1 held." in found
    assert re.search(r"Lijsttrekkersdebat cultuur Debate of the lead candidates Muziekcentrum published "
                     r"Bezuinigingen, Btw op lessen", found), found
    assert "Jongerendebat" in found and "Afgelast debat" in found and "cancelled" in found
    assert "Zeist" not in found
    assert "No debates held or planned here for this election." in text(
        section(page(client, "/beheer/lobby/gemeenten/GM0014"), "debates"))


def test_local_figures_and_the_answer_statistics_once_enough_citizens_shared(client, editor, places, editions,
                                                                            lobby_defaults, db_session, app):
    edition = edition_here(editions)
    pupils = db_session.query(FigureKind).filter_by(key="muziekschool-leerlingen").one()
    db_session.add_all([LocalFigure(municipality=places["GM0344"], kind=pupils, year=2024, value=1250,
                                    source="Jaarverslag (fictief)"),
                        LocalFigure(municipality=places["GM0355"], kind=pupils, year=2024, value=99)])
    db_session.add(AnswerDay(edition_id=edition.id, day=local_today(), count=5))
    db_session.commit()

    html = page(client, DOSSIER)
    figures = text(section(html, "figures"))
    assert "Pupils at the local music school" in figures and "1,250" in figures and "Jaarverslag" in figures
    assert "99" not in figures
    assert "Fewer citizens have shared their answers than needed" in section(html, "answers")

    minimum = app.config["ANSWER_STATS_MIN_RESPONSES"]
    db_session.query(AnswerDay).filter_by(edition_id=edition.id).update({"count": minimum})
    db_session.add(AnswerTally(edition_id=edition.id, statement_key="muziekles", answer="agree", count=minimum))
    db_session.commit()
    answers = text(section(page(client, DOSSIER), "answers"))
    assert f"{minimum} citizens shared their answers anonymously" in answers
    assert "Muziekles op elke basisschool" in answers


def test_a_municipality_with_nothing_yet_shows_every_empty_state(client, editor, places, lobby_defaults):
    found = text(page(client, "/beheer/lobby/gemeenten/GM0014"))

    for empty in ("None yet: no Cultuurwijzer edition or debate here.", "None for this election.",
                  "No coordinator yet.", "No debates held or planned here for this election.",
                  "No local figures imported for this municipality yet.",
                  "There is no Cultuurwijzer edition for this election here, so no shared answers."):
        assert empty in found


# --- the election shown -------------------------------------------------------------------------------------------

def test_the_upcoming_election_is_shown_and_another_can_be_chosen(client, editor, places, editions, topics):
    edition_here(editions, days_ahead=-400, slug="oud")
    edition_here(editions, days_ahead=300, slug="later", status="draft")
    edition_here(editions, days_ahead=40, slug="straks", positions={"alfa": {"muziekles": "disagree"}})
    topics.create("Muziekles", statements=["muziekles"])

    html = page(client, DOSSIER)
    assert "straks-gm0344" in section_header(html)
    select = re.search(r'<select[^>]*name="verkiezing".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="([^"]+)"', select) == ["later", "straks", "oud"]
    [chosen] = re.findall(r"<option [^>]*selected[^>]*>([^<]+)</option>", select)
    assert chosen.startswith("Verkiezing straks (")

    older = page(client, DOSSIER + "?verkiezing=oud")
    assert "oud-gm0344" in section_header(older)
    assert "Agree supports our ask" in text(section(older, "topics"))  # alfa agreed in that edition


def section_header(html: str) -> str:
    return re.search(r'<header class="dossier-header">.*?</header>', html, re.S).group(0)


def test_an_election_without_data_here_is_refused_naming_the_field(client, editor, places, editions):
    edition_here(editions)
    edition_here(editions, "GM0355", "Zeist", slug="elders")

    html = page(client, DOSSIER + "?verkiezing=elders", status=422)
    assert re.search(r'<p class="error" id="verkiezing-error">Utrecht has no edition or debate for this '
                     r'election; choose one from the list.</p>', html)
    assert "gr-test-gm0344" in section_header(html)  # the default election, still useful

    response = client.get(DOSSIER + ".json?verkiezing=elders", headers=EN)
    assert response.status_code == 422 and "verkiezing" in response.get_json()["error"]["fields"]


def test_an_unknown_municipality_is_404(client, editor, places):
    assert client.get("/beheer/lobby/gemeenten/GM9999").status_code == 404
    assert client.get("/beheer/lobby/gemeenten/GM9999.json").status_code == 404


# --- print and export -------------------------------------------------------------------------------------------

def test_the_page_is_printable_and_links_to_its_json_export(client, editor, places, editions):
    edition_here(editions)
    edition_here(editions, days_ahead=-400, slug="oud")
    html = page(client, DOSSIER)

    assert re.search(r'<button type="button" data-print hidden>Print</button>', html)
    assert re.search(r'<form method="get"[^>]*class="board-filters no-print"', html)  # forms stay off paper
    assert 'class="toolbar no-print"' in html and 'class="dossier-contents no-print"' in html
    assert len(re.findall(r'<section id="\w+" class="dossier-section"', html)) == 5
    assert 'href="/beheer/lobby/gemeenten/GM0344.json?verkiezing=gr-test" download' in html


def test_the_json_export_is_the_whole_dossier_as_an_attachment(client, editor, places, editions, topics,
                                                               lobby_parties, party_inputs, applications, debates,
                                                               venues, election):
    edition_here(editions, days_ahead=200)  # the debates' election (90 days ahead) comes first
    topic = topics.create("Muziekles", statements=["muziekles"])
    party = lobby_parties.create("Lokaal Utrecht (fictief)")
    party_inputs.create(topic, party, stance="supportive", next_step="Bellen", next_step_due=local_today())
    applications.create("active", municipalities=["GM0344"], name="Ada Actief")
    debate = debates.create("published", venue=venues.create("GM0344"), title="Debat")
    topic.debates.append(debate)

    response = client.get(DOSSIER + ".json", headers=EN)

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="dossier-gm0344-test-2027.json"'
    doc = json.loads(response.get_data(as_text=True))
    assert doc["format"] == "lobby-dossier/1"
    assert doc["municipality"] == {"code": "GM0344", "name": "Utrecht", "province": "Utrecht"}
    assert doc["election"]["slug"] == "test-2027" and [e["slug"] for e in doc["elections"]] == ["gr-test",
                                                                                                 "test-2027"]
    assert doc["edition"] is None  # no edition of the debates' election here
    [entry] = doc["topics"]
    assert entry["title"] == "Muziekles" and entry["positions"] == []  # no edition of this election
    assert entry["local_stances"] == [{"party_id": party.id, "party": "Lokaal Utrecht (fictief)",
                                       "stance": "supportive", "given_on": local_today().isoformat(),
                                       "kind": "letter"}]
    assert [s["next_step"] for s in doc["open_steps"]] == ["Bellen"] and doc["open_steps"][0]["overdue"] is False
    assert doc["coordinators"] == [{"name": "Ada Actief", "status": "active", "lead": True}]
    assert [(d["title"], d["topics"], d["held"]) for d in doc["debates"]] == [("Debat", [topic.id], False)]
    assert doc["debates"][0]["starts_at"].endswith("Z")
    assert doc["figures"] == [] and doc["answer_statistics"] is None

    positions = client.get(DOSSIER + ".json?verkiezing=gr-test").get_json()
    assert {(p["party"], p["supports_ask"]) for p in positions["topics"][0]["positions"]} == {
        ("Alfa Partij", True), ("Beta Beweging", None), ("Gamma Groep", False)}


# --- a fixed number of queries --------------------------------------------------------------------------------

def test_the_dossier_takes_the_same_number_of_queries_for_2_or_10_topics(client, editor, places, editions,
                                                                          topics, lobby_parties, party_inputs,
                                                                          applications, debates, venues,
                                                                          db_session):
    from tests.debates.conftest import local_evening

    edition_here(editions, days_ahead=10)
    applications.create("active", municipalities=["GM0344"])
    parties = [lobby_parties.create(f"Lokaal {n} (fictief)") for n in range(3)]
    venue = venues.create("GM0344")

    made = []

    def queries(count: int) -> tuple[int, int]:
        while len(made) < count:
            topic = topics.create(f"Onderwerp {len(made)}", statements=["muziekles", ("bezuiniging", "disagree")],
                                  debates=[debates.create("published", venue=venue,
                                                          starts_at=local_evening(10 + len(made)))])
            for party in parties:
                party_inputs.create(topic, party, stance="supportive", next_step="Bellen",
                                    next_step_due=local_today())
            made.append(topic)
        db_session.expire_all()
        with statements() as html_run:
            assert client.get(DOSSIER).status_code == 200
        with statements() as json_run:
            assert client.get(DOSSIER + ".json").status_code == 200
        return len(html_run), len(json_run)

    few, many = queries(2), queries(10)
    assert few == many
    assert many[0] <= 25


# --- the list of municipalities ---------------------------------------------------------------------------------

def test_the_list_shows_each_municipalitys_dossier_state(client, editor, places, editions, applications, debates,
                                                          venues, topics, lobby_parties, party_inputs, election):
    from tests.debates.conftest import local_evening

    editions.create(edition_document(id="test-2027-gm0344", status="published",
                                     election={"slug": "test-2027", "name": "Testverkiezing (fictief)",
                                               "date": election.date.isoformat()}))
    applications.create("active", municipalities=["GM0344"])
    applications.create("in_training", municipalities=["GM0355"])
    utrecht = venues.create("GM0344")
    debates.create("published", venue=utrecht)
    debates.create("draft", venue=utrecht, starts_at=local_evening(20))
    debates.create("held", venue=utrecht, starts_at=local_evening(-3))
    debates.create("cancelled", venue=utrecht, starts_at=local_evening(30))
    party = lobby_parties.create()
    for title in ("Btw", "Bezuinigingen"):
        party_inputs.create(topics.create(title), party)

    html = page(client, "/beheer/lobby/gemeenten")
    rows = {m: text(r) for m, r in re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]+)</a>(.*?)</tr>', html, re.S)}

    assert list(rows) == ["Groningen", "Tilburg", "Utrecht", "Zeist"]
    assert rows["Utrecht"].split() == ["GM0344", "Utrecht", "yes", "2", "/", "1", "published", "2"]
    assert rows["Zeist"].split() == ["GM0355", "Utrecht", "no", "0", "/", "0", "none", "0"]
    assert 'href="/beheer/lobby/gemeenten/GM0344"' in html


def test_a_debate_that_is_over_counts_as_held_on_the_dossier_and_the_list(client, editor, places, debates, venues,
                                                                         election):
    from tests.debates.conftest import local_evening

    utrecht = venues.create("GM0344")
    debates.create("published", venue=utrecht, title="Afgelopen debat", starts_at=local_evening(-2))  # not marked
    debates.create("cancelled", venue=utrecht, title="Afgelast debat", starts_at=local_evening(-4))  # never held
    debates.create("confirmed", venue=utrecht, title="Komend debat", starts_at=local_evening(6))

    found = text(section(page(client, DOSSIER), "debates"))
    html = page(client, "/beheer/lobby/gemeenten")
    utrecht_row = text(re.search(r'<th scope="row"><a [^>]*>Utrecht</a>.*?</tr>', html, re.S).group(0))

    assert "1 planned, 1 held." in found
    assert re.search(r"Afgelopen debat .*published \(over\)", found), found
    assert "Afgelast debat" in found and not re.search(r"Afgelast debat .*cancelled \(over\)", found)
    assert utrecht_row.split()[:7] == ["Utrecht", "GM0344", "Utrecht", "no", "1", "/", "1"]  # planned / held


def test_the_list_searches_by_name_or_code_and_filters_by_province(client, editor, places):
    def names(query: str, status: int = 200) -> list[str]:
        html = page(client, "/beheer/lobby/gemeenten" + query, status)
        return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', html)

    assert names("?q=gm0855") == ["Tilburg"]
    assert names("?q=ZEI") == ["Zeist"]
    assert names("?provincie=Utrecht") == ["Utrecht", "Zeist"]
    assert names("?q=utr&provincie=Utrecht") == ["Utrecht"]
    assert names("?q=%25") == []  # a LIKE wildcard is a plain character
    assert names("?provincie=Atlantis", 422) == ["Groningen", "Tilburg", "Utrecht", "Zeist"]
    assert "No municipality matches this search." in page(client, "/beheer/lobby/gemeenten?q=xyz")


def test_the_list_answers_htmx_with_the_results_only(client, editor, places):
    response = client.get("/beheer/lobby/gemeenten?q=Tilb", headers={"HX-Request": "true", **EN})

    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "Tilburg" in body and "Zeist" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_list_takes_the_same_number_of_queries_for_more_municipalities(client, editor, places, db_session):
    from campaign.core.models import Municipality

    def queries() -> int:
        with statements() as ran:
            assert client.get("/beheer/lobby/gemeenten").status_code == 200
        return len(ran)

    few = queries()
    db_session.add_all(Municipality(code=f"GM9{n:03d}", name=f"Plaats {n}", province="Zeeland") for n in range(40))
    db_session.commit()
    assert queries() == few

"""The lobby team's pages for parties and input (/beheer/lobby): parties with their input, logging and changing
input from a topic, marking next steps done, the open next steps, and the input section of the topic page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from campaign.core.i18n import local_today
from campaign.core.models import AuditEntry
from campaign.lobby.models import PartyInput, PoliticalParty
from tests.helpers import post_form

BASE = "/beheer/lobby"
PARTIES = BASE + "/partijen"
NEW_PARTY = PARTIES + "/nieuw"
STEPS = BASE + "/vervolgstappen"


@pytest.fixture()
def lotte(users):
    return users.create("editor", name="Lobbyist Lotte", email="lotte@example.org")


@pytest.fixture()
def editor(english, users, lotte, places):
    users.login(english, lotte)
    return english


def text(response) -> str:
    return response.get_data(as_text=True)


def today() -> dt.date:
    return local_today()


def new_input_path(topic) -> str:
    return f"{BASE}/onderwerpen/{topic.id}/input/nieuw"


def input_path(row) -> str:
    return f"{BASE}/input/{row.id}"


def selected(html: str, name: str) -> str | None:
    """The value of the selected option of the select ``name``."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    for option in re.findall(r"<option[^>]*>", select_html):
        if re.search(r"\sselected", option):
            return re.search(r'value="([^"]*)"', option).group(1)
    return None


# --- parties -----------------------------------------------------------------------------------------------------

def test_a_coordinator_may_not_see_the_parties(client, users, places):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get(PARTIES).status_code == 403


def test_the_team_adds_a_local_party_choosing_the_municipality_from_a_list(editor, db_session):
    page = text(editor.get(NEW_PARTY))
    assert 'list="municipality-options"' in page and '<option value="Zeist (GM0355)">' in page
    assert '<label for="municipality">' in page

    response = post_form(editor, NEW_PARTY, {"name": "Zeister Belang", "abbreviation": "ZB", "level": "local",
                                             "municipality": "Zeist (GM0355)", "active": "y"}, token_from=NEW_PARTY)
    party = db_session.scalar(select(PoliticalParty))
    assert response.status_code == 302 and response.location.endswith(f"{PARTIES}/{party.id}")
    assert (party.municipality.code, party.abbreviation, party.active) == ("GM0355", "ZB", True)
    page = text(editor.get(response.location))
    assert "Zeister Belang added." in page and "Zeist (GM0355)" in page


def test_a_refused_party_comes_back_with_the_problem_beside_its_field(editor, db_session, lobby_parties):
    lobby_parties.create("Zeister Belang", municipality="GM0355")
    response = post_form(editor, NEW_PARTY, {"name": "zeister belang", "level": "local", "municipality": "GM0355"},
                         token_from=NEW_PARTY)
    assert response.status_code == 422
    assert re.search(r'id="name-error">There is already a local party called “Zeister Belang” in Zeist',
                     text(response))
    response = post_form(editor, NEW_PARTY, {"name": "Nieuw", "level": "local", "municipality": "Atlantis"},
                         token_from=NEW_PARTY)
    assert response.status_code == 422 and 'id="municipality-error"' in text(response)
    assert db_session.scalar(select(func.count(PoliticalParty.id))) == 1


def test_a_party_is_edited_and_deactivated(editor, db_session, lobby_parties):
    party = lobby_parties.create("Lokaal Belang")
    path = f"{PARTIES}/{party.id}/bewerken"
    page = text(editor.get(path))
    assert 'value="Utrecht (GM0344)"' in page
    response = post_form(editor, path, {"name": "Lokaal Belang Utrecht", "level": "local",
                                        "municipality": "Utrecht (GM0344)"}, token_from=path)
    assert response.status_code == 302
    db_session.refresh(party)
    assert (party.name, party.active) == ("Lokaal Belang Utrecht", False)
    assert "inactive" in text(editor.get(f"{PARTIES}/{party.id}"))


def test_the_parties_are_listed_with_counts_and_filtered(editor, lobby_parties, topics, party_inputs):
    local = lobby_parties.create("Lokaal Belang")
    lobby_parties.create("Partij voor Cultuur", municipality=None)
    lobby_parties.create("Zeister Belang", municipality="GM0355", active=False)
    party_inputs.create(topics.create(), local)
    party_inputs.create(topics.create(), local)

    page = text(editor.get(PARTIES))
    assert "3 parties" in page
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>Lokaal Belang</a>.*?</tr>", page, re.S).group(0)
    assert "<td>2</td>" in row
    page = text(editor.get(PARTIES + "?niveau=local&status=actief"))
    assert "Lokaal Belang" in page and "Zeister Belang" not in page and "Partij voor Cultuur" not in page
    page = text(editor.get(PARTIES + "?gemeente=GM0355&zoek=zeist"))
    assert "Zeister Belang" in page and "Lokaal Belang" not in page
    assert editor.get(PARTIES + "?gemeente=GM9999").status_code == 404


def test_the_party_page_shows_its_input_across_topics_and_deletes_only_without_input(
        editor, db_session, lobby_parties, topics, party_inputs):
    party = lobby_parties.create("Lokaal Belang")
    btw, gifts = topics.create("Btw op lessen"), topics.create("Giftenaftrek")
    party_inputs.create(btw, party, stance="opposed", given_on=today() - dt.timedelta(days=20))
    party_inputs.create(btw, party, stance="supportive", given_on=today() - dt.timedelta(days=2))
    party_inputs.create(gifts, party, stance="neutral", given_on=today() - dt.timedelta(days=5))
    path = f"{PARTIES}/{party.id}"

    page = text(editor.get(path))
    stances = page[page.index("Current stance per topic"):page.index("Input given")]
    assert re.findall(r">(Btw op lessen|Giftenaftrek)</a></th>\s*<td><span class=\"lobby-stance lobby-stance-(\w+)",
                      stances) == [("Btw op lessen", "supportive"), ("Giftenaftrek", "neutral")]
    assert "Input given <span class=\"count\">(3)</span>" in page
    assert "Deactivate it instead" in page and f"{path}/verwijderen" not in page

    response = post_form(editor, f"{path}/verwijderen", token_from=path)
    assert response.status_code == 422 and "Deactivate the party instead" in text(response)
    assert db_session.get(PoliticalParty, party.id) is not None

    empty = lobby_parties.create("Stadspartij")
    response = post_form(editor, f"{PARTIES}/{empty.id}/verwijderen", token_from=f"{PARTIES}/{empty.id}")
    assert response.status_code == 302 and response.location.endswith(PARTIES)
    assert db_session.get(PoliticalParty, empty.id) is None
    assert db_session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == str(empty.id))
                             .order_by(AuditEntry.id.desc())) == "lobby.party.delete"


# --- input -------------------------------------------------------------------------------------------------------

def input_data(to, by, **changes) -> dict:
    data = {"party": str(to.id), "kind": "meeting", "given_on": (today() - dt.timedelta(days=1)).isoformat(),
            "given_by": str(by.id), "summary": "Gesprek over de btw.", "response": "Positief.",
            "stance": "supportive", "next_step": "Cijfers sturen",
            "next_step_due": (today() + dt.timedelta(days=7)).isoformat()}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_input_form_groups_the_active_parties_and_defaults_to_me_and_today(editor, lotte, topics,
                                                                               lobby_parties):
    topic = topics.create("Btw op lessen")
    national = lobby_parties.create("Partij voor Cultuur", municipality=None)
    utrecht = lobby_parties.create("Lokaal Belang")
    lobby_parties.create("Zeister Belang", municipality="GM0355")
    lobby_parties.create("Oude Partij", active=False)

    page = text(editor.get(new_input_path(topic)))
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups == ["National parties", "Utrecht", "Zeist"]
    assert "Oude Partij" not in page
    assert selected(page, "given_by") == str(lotte.id)
    assert f'value="{today().isoformat()}"' in page and 'type="date"' in page
    assert selected(page, "party") is None
    page = text(editor.get(new_input_path(topic) + f"?partij={utrecht.id}"))
    assert selected(page, "party") == str(utrecht.id)
    assert selected(text(editor.get(new_input_path(topic) + "?partij=abc")), "party") is None
    assert national.name in page


def test_input_is_logged_from_the_topic_and_shows_on_its_page(editor, db_session, lotte, topics, lobby_parties):
    topic = topics.create("Btw op lessen")
    party = lobby_parties.create("Lokaal Belang")
    path = new_input_path(topic)

    response = post_form(editor, path, input_data(party, lotte), token_from=path)
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/onderwerpen/{topic.id}#input")
    row = db_session.scalar(select(PartyInput))
    assert (row.party, row.given_by, row.stance, row.kind) == (party, lotte, "supportive", "meeting")

    page = text(editor.get(f"{BASE}/onderwerpen/{topic.id}"))
    assert "Input to Lokaal Belang logged." in page
    section = page[page.index('id="input"'):]
    assert "Log input" in section and f'href="{path}"' in section
    assert "lobby-stance-supportive" in section and "supportive" in section
    assert "Lobbyist Lotte" in section and "Positief." in section and "Cijfers sturen" in section


@pytest.mark.parametrize("changes, field, message", [
    (dict(next_step=""), "next_step_due", "A due date needs a next step"),
    (dict(given_on=(dt.date.today() + dt.timedelta(days=3)).isoformat()), "given_on", "cannot be in the future"),
    (dict(given_on="1900-01-01"), "given_on", "between the years"),
    (dict(party=""), "party", "Choose the party"),
])
def test_refused_input_comes_back_with_the_problem_beside_its_field(editor, db_session, lotte, topics,
                                                                     lobby_parties, changes, field, message):
    topic = topics.create()
    party = lobby_parties.create("Lokaal Belang")
    path = new_input_path(topic)
    response = post_form(editor, path, input_data(party, lotte, **changes), token_from=path)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', text(response))
    assert error and message in error.group(1)
    assert db_session.scalar(select(func.count(PartyInput.id))) == 0


def test_input_of_an_unknown_topic_is_404(editor):
    assert editor.get(f"{BASE}/onderwerpen/999999/input/nieuw").status_code == 404
    assert editor.get(f"{BASE}/input/999999").status_code == 404


def test_input_is_changed_its_step_marked_done_and_deleted(editor, db_session, lotte, topics, lobby_parties,
                                                          party_inputs):
    topic = topics.create()
    party = lobby_parties.create("Lokaal Belang")
    row = party_inputs.create(topic, party, stance="neutral", given_on=today() - dt.timedelta(days=3),
                              given_by=lotte, next_step="Bellen", next_step_due=today() + dt.timedelta(days=2))
    path = input_path(row)

    page = text(editor.get(path))
    assert selected(page, "stance") == "neutral" and selected(page, "party") == str(party.id)
    assert "Mark the next step done" in page
    response = post_form(editor, path, input_data(party, lotte, stance="opposed", next_step="Bellen",
                                                  next_step_due=""), token_from=path)
    assert response.status_code == 302
    db_session.refresh(row)
    assert (row.stance, row.next_step_due) == ("opposed", None)

    response = post_form(editor, f"{path}/afgerond", {"done_on": "", "next": path}, token_from=path)
    assert response.status_code == 302 and response.location.endswith(path)
    db_session.refresh(row)
    assert row.next_step_done_on == today()
    assert "Next step marked done: Bellen" in text(editor.get(path))

    response = post_form(editor, f"{path}/afgerond", {"next": path}, token_from=path)
    assert response.status_code == 422 and "already marked done" in text(response)

    response = post_form(editor, f"{path}/verwijderen", token_from=path)
    assert response.status_code == 302 and response.location.endswith(f"/onderwerpen/{topic.id}#input")
    assert db_session.scalar(select(func.count(PartyInput.id))) == 0
    assert db_session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("lobby.input.%"))) == 3


def test_a_step_marked_done_in_the_future_is_refused_beside_the_date(editor, db_session, topics, lobby_parties,
                                                                    party_inputs):
    row = party_inputs.create(topics.create(), lobby_parties.create(), next_step="Bellen",
                              given_on=today() - dt.timedelta(days=1))
    path = input_path(row)
    response = post_form(editor, f"{path}/afgerond", {"done_on": (today() + dt.timedelta(days=2)).isoformat()},
                         token_from=path)
    assert response.status_code == 422
    assert re.search(r'id="done_on-error">A step is done today or earlier', text(response))
    db_session.refresh(row)
    assert row.next_step_done_on is None


def test_a_done_button_never_sends_the_browser_to_another_host(editor, topics, lobby_parties, party_inputs):
    row = party_inputs.create(topics.create(), lobby_parties.create(), next_step="Bellen")
    response = post_form(editor, f"{input_path(row)}/afgerond", {"next": "//evil.example/"}, token_from=STEPS)
    assert response.status_code == 302 and response.location.endswith(STEPS)


# --- next steps ---------------------------------------------------------------------------------------------------

def test_the_next_steps_put_the_overdue_first_and_are_marked_done_without_javascript(
        editor, db_session, users, lotte, topics, lobby_parties, party_inputs):
    topic = topics.create("Btw op lessen")
    utrecht, zeist = lobby_parties.create("Lokaal Belang"), lobby_parties.create("Zeister Belang",
                                                                                  municipality="GM0355")
    piet = users.create("editor", name="Piet Pleit")
    day = dt.timedelta(days=1)
    party_inputs.create(topic, utrecht, next_step="Later bellen", next_step_due=today() + 5 * day, given_by=lotte,
                        given_on=today() - 9 * day)
    late = party_inputs.create(topic, zeist, next_step="Brief nasturen", next_step_due=today() - 2 * day,
                               given_by=piet, given_on=today() - 9 * day)
    party_inputs.create(topic, utrecht, next_step="Ooit eens", given_by=lotte)
    party_inputs.create(topic, utrecht, next_step="Al gedaan", next_step_due=today() - 3 * day,
                        next_step_done_on=today() - day, given_on=today() - 9 * day)

    page = text(editor.get(STEPS))
    assert page.index("Brief nasturen") < page.index("Later bellen") < page.index("Without a due date") \
        < page.index("Ooit eens")
    assert "Al gedaan" not in page
    assert "2 open steps with a due date" in page and "1 overdue" in page
    late_row = re.search(r'<tr class="lobby-late">.*?</tr>', page, re.S).group(0)
    assert "Overdue" in late_row and "Brief nasturen" in late_row

    page = text(editor.get(STEPS + f"?eigenaar={piet.id}"))
    assert "Brief nasturen" in page and "Later bellen" not in page
    page = text(editor.get(STEPS + "?gemeente=GM0344"))
    assert "Later bellen" in page and "Brief nasturen" not in page

    response = post_form(editor, f"{input_path(late)}/afgerond", {"next": STEPS + "?gemeente=GM0355"},
                         token_from=STEPS)
    assert response.status_code == 302 and response.location.endswith(STEPS + "?gemeente=GM0355")
    db_session.refresh(late)
    assert late.next_step_done_on == today()
    assert "Next step marked done: Brief nasturen" in text(editor.get(STEPS))  # the flash, once
    assert "Brief nasturen" not in text(editor.get(STEPS))


# --- the topic page's section -------------------------------------------------------------------------------------

def test_the_topic_page_shows_each_partys_current_stance_and_all_input_newest_first(
        editor, lotte, topics, lobby_parties, party_inputs):
    topic = topics.create("Btw op lessen")
    alfa, beta = lobby_parties.create("Alfa Partij"), lobby_parties.create("Beta Partij", municipality=None)
    day = dt.timedelta(days=1)
    party_inputs.create(topic, alfa, stance="opposed", given_on=today() - 10 * day, kind="letter", given_by=lotte)
    party_inputs.create(topic, alfa, stance="supportive", given_on=today() - day, kind="meeting",
                        next_step="Rapport sturen", next_step_due=today() - day)
    party_inputs.create(topic, beta, stance="unknown", given_on=today() - 5 * day, kind="manifesto")

    page = text(editor.get(f"{BASE}/onderwerpen/{topic.id}"))
    section = page[page.index('id="input"'):]
    current = section[section.index("Current stance per party"):section.index("Input given")]
    assert re.findall(r"lobby-stance lobby-stance-(\w+)", current) == ["unknown", "supportive"]  # national party first
    given = section[section.index("Input given"):]
    assert re.findall(r"<td>(letter|meeting|manifesto contribution)", given) == \
        ["meeting", "manifesto contribution", "letter"]
    assert "Overdue:" in given and "Rapport sturen" in given
    assert 'aria-hidden="true">−</span> opposed' in given

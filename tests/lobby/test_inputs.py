"""Parties and the input given to them, as rules (``campaign.lobby.inputs``): parties national or local with
unique names, input with its stance and next step, the current stance (latest input), open next steps."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry
from campaign.lobby import inputs
from campaign.lobby.models import PartyInput, PoliticalParty

TODAY = dt.date(2026, 2, 10)


@pytest.fixture()
def team(users):
    return users.create("editor", name="Lobbyist Lotte", email="lotte@example.org")


@pytest.fixture()
def actor(team):
    return Actor.of(team)


def problems_of(exc_info) -> dict[str, str]:
    return {p.field: p.message for p in exc_info.value.problems}


def refused(change) -> dict[str, str]:
    """The problems (field -> message, in English) of a change the rules refuse."""
    with force_locale("en"), pytest.raises(ValidationFailed) as exc_info:
        change()
    return problems_of(exc_info)


def actions(db_session, object_type: str) -> list[str]:
    return list(db_session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == object_type)
                                   .order_by(AuditEntry.id)))


# --- parties -----------------------------------------------------------------------------------------------------

def test_a_party_is_national_or_local_in_a_municipality_found_by_code_or_name(db_session, actor, places):
    national = inputs.create_party(actor, name="  Partij voor Cultuur (fictief) ", level="national",
                                   abbreviation="PvC")
    by_code = inputs.create_party(actor, name="Lokaal Belang", level="local", municipality="gm0344")
    by_name = inputs.create_party(actor, name="Zeister Belang", level="local", municipality="zeist")
    by_option = inputs.create_party(actor, name="Stad en Ommeland", level="local", municipality="Groningen (GM0014)")
    db_session.commit()

    assert (national.name, national.municipality, national.abbreviation) == ("Partij voor Cultuur (fictief)", None,
                                                                             "PvC")
    assert [p.municipality.code for p in (by_code, by_name, by_option)] == ["GM0344", "GM0355", "GM0014"]
    assert actions(db_session, "political_party") == ["lobby.party.create"] * 4
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.object_id == str(by_code.id)))
    assert entry.after["municipality"] == "GM0344" and entry.after["level"] == "local"


def test_party_values_are_checked_and_each_problem_names_its_field(db_session, actor, places):
    assert set(refused(lambda: inputs.create_party(actor, name=" ", level="local", municipality=""))) == \
        {"name", "municipality"}
    too_long = refused(lambda: inputs.create_party(actor, name="x" * 121, level="national"))
    assert "at most 120" in too_long["name"].lower()
    assert "GM0344" in refused(lambda: inputs.create_party(actor, name="A", level="local",
                                                           municipality="Atlantis"))["municipality"]
    assert "national party has no municipality" in refused(
        lambda: inputs.create_party(actor, name="A", level="national", municipality="GM0344"))["municipality"]
    assert "level" in refused(lambda: inputs.create_party(actor, name="A", level="regional"))
    assert db_session.scalar(select(func.count(PoliticalParty.id))) == 0


def test_the_same_name_twice_at_one_level_and_place_is_refused_whatever_its_case(db_session, actor, lobby_parties):
    lobby_parties.create("Lokaal Belang", municipality="GM0344")
    lobby_parties.create("Partij voor Cultuur", municipality=None)

    assert "Lokaal Belang" in refused(lambda: inputs.create_party(actor, name="LOKAAL belang", level="local",
                                                                  municipality="GM0344"))["name"]
    assert "national party" in refused(lambda: inputs.create_party(actor, name="partij voor cultuur",
                                                                   level="national"))["name"]
    # Elsewhere, or at the other level, the name is free.
    inputs.create_party(actor, name="Lokaal Belang", level="local", municipality="GM0355")
    inputs.create_party(actor, name="Lokaal Belang", level="national")
    db_session.commit()
    assert db_session.scalar(select(func.count(PoliticalParty.id))) == 4


def test_a_party_is_changed_and_deactivated_keeping_its_own_name(db_session, actor, lobby_parties):
    party = lobby_parties.create("Lokaal Belang", municipality="GM0344")
    other = lobby_parties.create("Stadspartij", municipality="GM0344")

    inputs.update_party(actor, party, name="Lokaal belang", level="local", municipality="GM0344",
                        abbreviation="LB", active=False)
    db_session.commit()
    assert (party.name, party.abbreviation, party.active) == ("Lokaal belang", "LB", False)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.party.update"))
    assert entry.before == {"name": "Lokaal Belang", "abbreviation": "", "active": True}
    assert "Lokaal belang" in refused(lambda: inputs.update_party(actor, other, name="lokaal BELANG", level="local",
                                                                  municipality="GM0344"))["name"]


def test_a_party_is_deleted_only_while_no_input_exists(db_session, actor, lobby_parties, topics, party_inputs):
    kept = lobby_parties.create("Lokaal Belang")
    gone = lobby_parties.create("Stadspartij")
    party_inputs.create(topics.create("Btw op lessen"), kept)

    with force_locale("en"), pytest.raises(ValidationFailed) as exc_info:
        inputs.delete_party(actor, kept)
    assert "Deactivate the party instead" in exc_info.value.problems[0].message
    inputs.delete_party(actor, gone)
    db_session.commit()

    assert list(db_session.scalars(select(PoliticalParty.name))) == ["Lokaal Belang"]
    assert actions(db_session, "political_party") == ["lobby.party.delete"]


def test_parties_are_listed_with_their_input_counts_and_filtered(db_session, lobby_parties, topics, party_inputs):
    national = lobby_parties.create("Partij voor Cultuur", municipality=None, abbreviation="PvC")
    utrecht = lobby_parties.create("Lokaal Belang", municipality="GM0344")
    zeist = lobby_parties.create("Zeister Belang", municipality="GM0355", active=False)
    topic = topics.create()
    party_inputs.create(topic, utrecht)
    party_inputs.create(topics.create(), utrecht)

    listed = inputs.parties()
    assert [(p.name, n) for p, n in listed] == [("Partij voor Cultuur", 0), ("Lokaal Belang", 2),
                                                ("Zeister Belang", 0)]
    assert [p for p, _ in inputs.parties(level="local", active=True)] == [utrecht]
    assert [p for p, _ in inputs.parties(municipality_id=zeist.municipality_id)] == [zeist]
    assert [p for p, _ in inputs.parties(search="pvc")] == [national]
    assert [p for p, _ in inputs.parties(search="%")] == []
    assert inputs.active_parties() == [national, utrecht]
    assert [m.code for m in inputs.party_municipalities()] == ["GM0344", "GM0355"]


# --- input -------------------------------------------------------------------------------------------------------

@pytest.fixture()
def setting(topics, lobby_parties):
    return topics.create("Btw op lessen"), lobby_parties.create("Lokaal Belang", municipality="GM0344")


def values(party, team, **changes) -> dict:
    data = dict(party_id=party.id, kind="letter", given_on=TODAY - dt.timedelta(days=3), given_by_id=team.id,
                summary="Onze brief over de btw.", response="Ze kijken ernaar.", stance="neutral",
                next_step="Cijfers sturen", next_step_due=TODAY + dt.timedelta(days=7), today=TODAY)
    data.update(changes)
    return data


def test_input_is_logged_with_its_stance_and_next_step(db_session, actor, team, setting):
    topic, party = setting
    row = inputs.log_input(actor, topic, **values(party, team, summary="  Onze brief \r\n over de btw. "))
    db_session.commit()

    assert (row.topic, row.party, row.given_by, row.stance, row.kind) == (topic, party, team, "neutral", "letter")
    assert row.summary == "Onze brief \n over de btw." and row.next_step_due == TODAY + dt.timedelta(days=7)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.input.create"))
    assert (entry.parent_type, entry.parent_id) == ("topic", str(topic.id))
    assert entry.after["stance"] == "neutral" and entry.after["summary"] == len(row.summary)


@pytest.mark.parametrize("changes, field, words", [
    (dict(given_on=TODAY + dt.timedelta(days=1)), "given_on", "cannot be in the future"),
    (dict(given_on=None), "given_on", "give the date"),
    (dict(given_on=dt.date(1999, 12, 31)), "given_on", "between the years"),
    (dict(next_step="", next_step_due=TODAY), "next_step_due", "a due date needs a next step"),
    (dict(next_step_due=dt.date(2101, 1, 1)), "next_step_due", "between the years"),
    (dict(kind="fax"), "kind", "kind of input"),
    (dict(stance="enthusiastic"), "stance", "stance"),
    (dict(party_id=None), "party", "choose the party"),
    (dict(given_by_id=None), "given_by", "who gave the input"),
    (dict(summary="x" * 4001), "summary", "at most 4000"),
    (dict(next_step_done_on=TODAY - dt.timedelta(days=5)), "next_step_done_on", "on or after the day"),
])
def test_input_values_are_checked(db_session, actor, team, setting, changes, field, words):
    topic, party = setting
    problems = refused(lambda: inputs.log_input(actor, topic, **values(party, team, **changes)))
    assert field in problems and words in problems[field].lower(), problems
    assert db_session.scalar(select(func.count(PartyInput.id))) == 0


def test_input_goes_to_an_active_party_and_is_given_by_an_active_team_member(db_session, actor, team, setting, users,
                                                                          lobby_parties):
    topic, party = setting
    gone = lobby_parties.create("Oude Partij", active=False)
    coordinator = users.create("coordinator", municipalities=["GM0344"])
    left = users.create("editor", active=False)
    admin = users.create("admin")

    assert "inactive" in refused(lambda: inputs.log_input(actor, topic, **values(gone, team)))["party"]
    for person in (coordinator, left):
        assert "lobby team" in refused(lambda: inputs.log_input(actor, topic, **values(party, person)))["given_by"]
    assert inputs.log_input(actor, topic, **values(party, admin)).given_by == admin


def test_a_change_may_keep_a_party_and_giver_that_were_deactivated(db_session, actor, team, setting, users):
    topic, party = setting
    colleague = users.create("editor")
    row = inputs.log_input(actor, topic, **values(party, colleague))
    db_session.commit()
    party.active, colleague.active = False, False
    db_session.commit()

    inputs.update_input(actor, row, **values(party, colleague, stance="supportive", next_step_due=None))
    db_session.commit()
    assert (row.stance, row.next_step_due, row.party, row.given_by) == ("supportive", None, party, colleague)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.input.update"))
    assert entry.before == {"stance": "neutral", "next_step_due": (TODAY + dt.timedelta(days=7)).isoformat()}
    assert entry.after == {"stance": "supportive", "next_step_due": None}


def test_a_next_step_is_marked_done_once_on_a_plausible_day(db_session, actor, team, setting):
    topic, party = setting
    row = inputs.log_input(actor, topic, **values(party, team))
    bare = inputs.log_input(actor, topic, **values(party, team, next_step="", next_step_due=None))

    assert "in the future" in refused(lambda: inputs.complete_step(actor, row, done_on=TODAY + dt.timedelta(days=1),
                                                                   today=TODAY))["done_on"]
    assert "on or after" in refused(lambda: inputs.complete_step(actor, row, done_on=TODAY - dt.timedelta(days=4),
                                                                 today=TODAY))["done_on"]
    assert "no next step" in refused(lambda: inputs.complete_step(actor, bare, today=TODAY))["done_on"]
    inputs.complete_step(actor, row, today=TODAY)
    db_session.commit()
    assert row.next_step_done_on == TODAY
    assert "already" in refused(lambda: inputs.complete_step(actor, row, today=TODAY))["done_on"]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.input.step_done"))
    assert entry.after == {"next_step_done_on": TODAY.isoformat()}


def test_input_is_deleted_with_an_audit_entry(db_session, actor, team, setting):
    topic, party = setting
    row = inputs.log_input(actor, topic, **values(party, team))
    db_session.commit()
    inputs.delete_input(actor, row)
    db_session.commit()
    assert db_session.scalar(select(func.count(PartyInput.id))) == 0
    assert actions(db_session, "party_input") == ["lobby.input.create", "lobby.input.delete"]


# --- the current stance and open next steps ------------------------------------------------------------------------

def test_the_latest_input_gives_the_current_stance(db_session, topics, lobby_parties, party_inputs):
    btw, gifts = topics.create("Btw op lessen"), topics.create("Giftenaftrek")
    alfa, beta = lobby_parties.create("Alfa"), lobby_parties.create("Beta")
    party_inputs.create(btw, alfa, stance="opposed", given_on=TODAY - dt.timedelta(days=30))
    later = party_inputs.create(btw, alfa, stance="supportive", given_on=TODAY - dt.timedelta(days=2))
    party_inputs.create(btw, alfa, stance="neutral", given_on=TODAY - dt.timedelta(days=10))  # logged late, older
    first_same_day = party_inputs.create(gifts, beta, stance="opposed", given_on=TODAY)
    same_day = party_inputs.create(gifts, beta, stance="neutral", given_on=TODAY)

    latest = inputs.latest_inputs()
    assert latest == {(btw.id, alfa.id): later, (gifts.id, beta.id): same_day}
    assert inputs.latest_inputs(topic_ids=[gifts.id]) == {(gifts.id, beta.id): same_day}
    assert inputs.latest_inputs(party_ids=[alfa.id]) == {(btw.id, alfa.id): later}
    assert inputs.latest_inputs(topic_ids=[]) == {}
    found = inputs.matrix(level="local", municipality_id=alfa.municipality_id)
    assert {(t.id, p.id): found.stance(t, p) for t in (btw, gifts) for p in (alfa, beta)} == {
        (btw.id, alfa.id): "supportive", (btw.id, beta.id): "unknown",
        (gifts.id, alfa.id): "unknown", (gifts.id, beta.id): "neutral"}
    overview = inputs.topic_input_overview(gifts)
    assert overview.inputs == [same_day, first_same_day] and overview.stances == [same_day]


def test_open_steps_come_oldest_due_first_and_are_filtered(db_session, topics, lobby_parties, party_inputs, users):
    topic = topics.create()
    utrecht, zeist = lobby_parties.create("Alfa"), lobby_parties.create("Beta", municipality="GM0355")
    national = lobby_parties.create("Gamma", municipality=None)
    lotte, piet = users.create("editor"), users.create("editor")
    day = dt.timedelta(days=1)
    soon = party_inputs.create(topic, utrecht, next_step="Bellen", next_step_due=TODAY + 3 * day, given_by=lotte)
    late = party_inputs.create(topic, zeist, next_step="Brief", next_step_due=TODAY - 2 * day, given_by=piet)
    due_today = party_inputs.create(topic, national, next_step="Mailen", next_step_due=TODAY, given_by=lotte)
    party_inputs.create(topic, utrecht, next_step="Klaar", next_step_due=TODAY - 9 * day, next_step_done_on=TODAY)
    undated = party_inputs.create(topic, utrecht, next_step="Ooit", given_by=lotte)
    party_inputs.create(topic, utrecht)  # no next step at all

    assert inputs.open_steps(TODAY) == [late, due_today, soon]
    assert inputs.open_steps(TODAY, overdue_only=True) == [late]
    assert [inputs.is_overdue(r, TODAY) for r in (late, due_today)] == [True, False]
    assert inputs.open_steps(TODAY, municipality_id=zeist.municipality_id) == [late]
    assert inputs.open_steps(TODAY, given_by_id=lotte.id, include_undated=True) == [due_today, soon, undated]
    assert inputs.step_owners() == sorted([lotte, piet], key=lambda u: u.name.casefold())

"""Links between topics and Cultuurwijzer statements and debates: the positions per topic across municipalities,
the support summary, the statement catalogue, and linking and unlinking with the audit log."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry
from campaign.lobby import links
from campaign.lobby.models import TopicStatement
from tests.factories import edition_document
from tests.helpers import statements as counted_statements

ACTOR = Actor.system("tests")


def edition_in(editions, code: str, name: str, *, status: str = "published", positions: dict | None = None,
               election_doc: dict | None = None, titles: dict | None = None):
    """The mini edition (alfa, beta, gamma) in another municipality; ``positions``: party key -> {statement key:
    "agree" | "neutral" | "disagree" | None}; ``titles``: statement key -> title; ``election_doc``: another election."""
    changes = {"id": f"{(election_doc or {}).get('slug', 'test2026')}-{code.lower()}",
               "municipality": {"code": code, "name": name, "province": "Utrecht"}, "status": status}
    if election_doc:
        changes["election"] = election_doc
    doc = edition_document(**changes)
    for party in doc["parties"]:
        for key, value in (positions or {}).get(party["id"], {}).items():
            party["positions"][key]["position"] = value
    for statement in doc["statements"]:
        statement["title"] = (titles or {}).get(statement["id"], statement["title"])
    return editions.create(doc)


ALL_SUPPORT = {party: {"muziekles": "agree", "bezuiniging": "disagree"} for party in ("alfa", "beta", "gamma")}


# --- positions across municipalities -------------------------------------------------------------------------

def test_positions_say_per_party_whether_they_support_the_ask(editions, topics, places):
    editions.create()  # Utrecht: alfa agrees, beta neutral, gamma disagrees on muziekles
    topic = topics.create("Muziekles", statements=["muziekles", ("bezuiniging", "disagree")])

    rows = links.topic_positions(topic)

    seen = [(r.statement_key, r.party_name, r.position, r.supports_ask) for r in rows]
    assert seen == [
        ("bezuiniging", "Alfa Partij", "disagree", True),
        ("bezuiniging", "Beta Beweging", "agree", False),
        ("bezuiniging", "Gamma Groep", "agree", False),
        ("muziekles", "Alfa Partij", "agree", True),
        ("muziekles", "Beta Beweging", "neutral", None),
        ("muziekles", "Gamma Groep", "disagree", False),
    ]
    alfa = rows[3]
    assert (alfa.statement_title, alfa.supports, alfa.edition_id, alfa.edition_status) == (
        "Muziekles op elke basisschool", "agree", "test2026-gm0344", "published")
    assert (alfa.municipality.code, alfa.election.slug, alfa.explanation) == ("GM0344", "test2026",
                                                                               "Muziek hoort bij school.")


def test_a_party_without_a_position_neither_supports_nor_opposes(editions, topics):
    editions.create()  # gamma gave no position on cultuurpas
    topic = topics.create(statements=["cultuurpas"])

    gamma = [r for r in links.topic_positions(topic) if r.party_name == "Gamma Groep"]

    assert [(r.position, r.supports_ask) for r in gamma] == [(None, None)]


def test_positions_filter_by_publication_municipality_search_and_election(editions, topics, places):
    editions.create()
    edition_in(editions, "GM0355", "Zeist", status="review")
    edition_in(editions, "GM0855", "Tilburg", election_doc={"slug": "test2030", "name": "Testverkiezing 2030",
                                                        "date": "2030-03-20"})
    topic = topics.create(statements=["muziekles"])

    def editions_of(**filters):
        return sorted({r.edition_id for r in links.topic_positions(topic, **filters)})

    assert editions_of() == ["test2026-gm0344", "test2026-gm0355", "test2030-gm0855"]
    assert editions_of(published_only=True) == ["test2026-gm0344", "test2030-gm0855"]
    assert editions_of(municipality_id=places["GM0355"].id) == ["test2026-gm0355"]
    assert editions_of(search="zei") == ["test2026-gm0355"]
    assert editions_of(search="gm0855") == ["test2030-gm0855"]
    assert editions_of(search="%") == []
    tilburg = links.topic_positions(topic, search="tilburg")[0].election
    assert editions_of(election_id=tilburg.id) == ["test2030-gm0855"]


def test_a_topic_without_links_has_no_positions(editions, topics):
    editions.create()
    assert links.topic_positions(topics.create()) == []
    assert links.support_by_municipality(topics.create()) == []


# --- support per municipality --------------------------------------------------------------------------------

def test_support_counts_parties_with_more_supporting_than_opposing_positions(editions, topics):
    # Utrecht: alfa supports on both; beta neutral + against; gamma against on both: 1 of 3.
    editions.create()
    # Zeist: all three support on both: 3 of 3. Groningen: beta one for, one against (a tie): 2 of 3.
    edition_in(editions, "GM0355", "Zeist", positions=ALL_SUPPORT)
    tie = {**ALL_SUPPORT, "beta": {"muziekles": "agree", "bezuiniging": "agree"}}
    edition_in(editions, "GM0014", "Groningen", positions=tie)
    topic = topics.create(statements=["muziekles", ("bezuiniging", "disagree")])

    summary = links.support_by_municipality(topic)

    assert [(s.municipality.name, s.supporting, s.parties) for s in summary] == [
        ("Zeist", 3, 3), ("Groningen", 2, 3), ("Utrecht", 1, 3)]
    assert summary[0].share == 1.0 and summary[2].share == pytest.approx(1 / 3)
    assert summary[0].edition_id == "test2026-gm0355"


def test_neutral_and_missing_positions_neither_support_nor_oppose(editions, topics, places):
    # Zeist: alfa for + none (1 > 0): supports; beta none + none (0 = 0) and gamma neutral + against (0 < 1): not.
    # Groningen: neutral everywhere (0 = 0): nobody supports.
    positions = {"alfa": {"muziekles": "agree", "cultuurpas": None},
                 "beta": {"muziekles": None, "cultuurpas": None},
                 "gamma": {"muziekles": "neutral", "cultuurpas": "disagree"}}
    edition_in(editions, "GM0355", "Zeist", positions=positions)
    edition_in(editions, "GM0014", "Groningen", positions={party: {"muziekles": "neutral", "cultuurpas": "neutral"}
                                                           for party in ("alfa", "beta", "gamma")})
    topic = topics.create(statements=["muziekles", "cultuurpas"])

    summary = {s.municipality.name: (s.supporting, s.parties) for s in links.support_by_municipality(topic)}
    verdicts = links.party_support([topic.id], municipality_id=places["GM0355"].id)

    assert summary == {"Zeist": (1, 3), "Groningen": (0, 3)}
    assert sorted((s.supporting, s.opposing, s.supports) for s in verdicts.values()) == [
        (0, 0, False), (0, 1, False), (1, 0, True)]


def test_each_topic_counts_with_its_own_supporting_answer(editions, topics):
    editions.create()  # muziekles: alfa agree, beta neutral, gamma disagree
    music = topics.create("Muziekles", statements=["muziekles"])
    against = topics.create("Geen verplichte muziekles", statements=[("muziekles", "disagree")])
    topics.create("Zonder stellingen")

    summaries = links.support_summaries()

    assert {topic_id: [(s.supporting, s.parties) for s in found] for topic_id, found in summaries.items()} == {
        music.id: [(1, 3)], against.id: [(1, 3)]}
    verdict = {(topic_id, party_id): s.supports for (topic_id, party_id), s in links.party_support().items()}
    rows = {r.party_name: r.party_id for r in links.topic_positions(music)}
    assert verdict[(music.id, rows["Alfa Partij"])] is True and verdict[(against.id, rows["Alfa Partij"])] is False
    assert verdict[(music.id, rows["Gamma Groep"])] is False and verdict[(against.id, rows["Gamma Groep"])] is True
    assert verdict[(music.id, rows["Beta Beweging"])] is False and verdict[(against.id, rows["Beta Beweging"])] is False


def test_support_follows_the_rule_on_varied_positions(editions, topics):
    """Random positions (agree, neutral, disagree, none) on every statement of 8 editions; the expected counts
    worked out here from the documents, by the rule as the team states it."""
    import random

    rng = random.Random(6)
    answers = ["agree", "neutral", "disagree", None]
    documents = []
    for number in range(8):
        positions = {party: {key: rng.choice(answers) for key in ("muziekles", "cultuurpas", "oefenruimte",
                                                                  "bezuiniging")}
                     for party in ("alfa", "beta", "gamma")}
        edition_in(editions, f"GM{number + 1:04d}", f"Gemeente {number}", positions=positions)
        documents.append((f"test2026-gm{number + 1:04d}", positions))
    made = {"first": [("muziekles", "agree"), ("bezuiniging", "disagree"), ("cultuurpas", "agree")],
            "second": [("muziekles", "disagree"), ("oefenruimte", "disagree")],
            "third": [("oefenruimte", "agree")]}
    made = {topics.create(name, statements=[key if answer == "agree" else (key, answer) for key, answer in linked]):
            linked for name, linked in made.items()}

    def expected(linked) -> dict[str, int]:
        opposite = {"agree": "disagree", "disagree": "agree"}
        return {edition_id: sum(1 for party in positions.values()
                                if sum(party[key] == answer for key, answer in linked)
                                > sum(party[key] == opposite[answer] for key, answer in linked))
                for edition_id, positions in documents}

    summaries = links.support_summaries([topic.id for topic in made])
    spread = []
    for topic, linked in made.items():
        counted = {s.edition_id: s.supporting for s in summaries[topic.id]}
        assert counted == expected(linked)
        assert all(s.parties == 3 for s in summaries[topic.id])
        spread += counted.values()
    assert set(spread) == {0, 1, 2, 3}, spread  # the data reach every count


def test_support_reads_published_editions_unless_asked_for_all(editions, topics):
    editions.create()
    edition_in(editions, "GM0355", "Zeist", status="draft", positions=ALL_SUPPORT)
    topic = topics.create(statements=["muziekles"])

    assert [s.municipality.name for s in links.support_by_municipality(topic)] == ["Utrecht"]
    assert [s.municipality.name for s in links.support_by_municipality(topic, published_only=False)] == [
        "Zeist", "Utrecht"]


def test_support_filters_by_municipality_search_and_election(editions, topics, places):
    editions.create()
    edition_in(editions, "GM0355", "Zeist", positions=ALL_SUPPORT)
    edition_in(editions, "GM0855", "Tilburg", election_doc={"slug": "test2030", "name": "Testverkiezing 2030",
                                                        "date": "2030-03-20"})
    topic = topics.create(statements=["muziekles"])

    def editions_of(**filters):
        return [s.edition_id for s in links.support_by_municipality(topic, **filters)]

    assert editions_of() == ["test2026-gm0355", "test2030-gm0855", "test2026-gm0344"]  # 3/3, then 1/3 by name
    assert editions_of(municipality_id=places["GM0344"].id) == ["test2026-gm0344"]
    assert editions_of(search="ZEI") == ["test2026-gm0355"] == editions_of(search="gm0355")
    assert editions_of(search="_") == []
    tilburg = links.support_by_municipality(topic, search="tilburg")[0].election
    assert editions_of(election_id=tilburg.id) == ["test2030-gm0855"]


def test_equal_shares_are_ordered_by_municipality_name(editions, topics):
    edition_in(editions, "GM0855", "Tilburg")
    edition_in(editions, "GM0014", "Groningen")
    topic = topics.create(statements=["muziekles"])

    assert [s.municipality.name for s in links.support_by_municipality(topic)] == ["Groningen", "Tilburg"]


@pytest.mark.parametrize("function", ["topic_positions", "support_by_municipality"])
def test_positions_of_all_editions_take_the_same_number_of_queries(editions, topics, db_session, function):
    topic = topics.create(statements=["muziekles", "cultuurpas"])

    def queries_with(count: int) -> int:
        for number in range(count):
            if db_session.get(links.Edition, f"test2026-gm{number:04d}") is None:
                edition_in(editions, f"GM{number:04d}", f"Gemeente {number:04d}")
        db_session.expire_all()
        with counted_statements() as ran:
            result = getattr(links, function)(topic)
        assert len({(r.municipality.code) for r in result}) == count
        return len(ran)

    few, many = queries_with(5), queries_with(20)
    assert few == many <= 3


# --- statements -> topics ------------------------------------------------------------------------------------

def test_topics_by_statement_key_lists_each_keys_topics_by_title(topics):
    btw = topics.create("Btw op lessen", statements=["muziekles"])
    budget = topics.create("Bezuinigingen", statements=["muziekles", "bezuiniging"])

    found = links.topics_by_statement_key(["muziekles", "bezuiniging", "oefenruimte"])

    assert found == {"muziekles": [budget, btw], "bezuiniging": [budget], "oefenruimte": []}
    assert links.topics_by_statement_key([]) == {}


# --- the catalogue -------------------------------------------------------------------------------------------

def test_catalogue_lists_each_key_once_with_the_newest_title_and_the_number_of_editions(editions):
    editions.create()
    edition_in(editions, "GM0355", "Zeist")
    edition_in(editions, "GM0855", "Tilburg", election_doc={"slug": "test2030", "name": "Testverkiezing 2030",
                                                        "date": "2030-03-20"},
               titles={"muziekles": "Muziekles voor ieder kind"})

    catalogue = {entry.key: entry for entry in links.statement_catalogue()}

    assert sorted(catalogue) == ["bezuiniging", "cultuurpas", "muziekles", "oefenruimte"]
    assert catalogue["muziekles"].title == "Muziekles voor ieder kind"
    assert (catalogue["muziekles"].theme, catalogue["muziekles"].editions) == ("Onderwijs", 3)
    # By theme: Amateurkunst, Financiën, Onderwijs, Toegankelijkheid.
    assert [e.key for e in links.statement_catalogue()] == ["oefenruimte", "bezuiniging", "muziekles", "cultuurpas"]


def test_catalogue_search_matches_key_title_and_theme_in_any_case(editions):
    editions.create()

    def keys(text):
        return [e.key for e in links.statement_catalogue(text)]

    assert keys("FINANC") == ["bezuiniging"]
    assert keys("pas") == ["cultuurpas"]
    assert keys("oefenr") == ["oefenruimte"]
    assert keys("_") == []
    assert keys("  ") == ["oefenruimte", "bezuiniging", "muziekles", "cultuurpas"]


# --- linking statements --------------------------------------------------------------------------------------

def audit(db_session, action: str) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_linking_adds_new_keys_and_changes_the_supporting_answer_of_linked_ones(editions, topics, db_session):
    editions.create()
    topic = topics.create(statements=["muziekles"])

    changed = links.link_statements(ACTOR, topic, {"muziekles": "disagree", "cultuurpas": "agree"})
    db_session.commit()

    assert changed == ["cultuurpas", "muziekles"]
    assert {(s.statement_key, s.supports) for s in topic.statements} == {("muziekles", "disagree"),
                                                                         ("cultuurpas", "agree")}
    [entry] = audit(db_session, "lobby.topic.link_statement")
    assert (entry.object_type, entry.object_id) == ("topic", str(topic.id))
    assert entry.before == {"statements": {"muziekles": "agree"}}
    assert entry.after == {"statements": {"muziekles": "disagree", "cultuurpas": "agree"}}
    assert entry.summary.startswith("1 linked, 1 changed")


def test_linking_what_is_already_linked_writes_nothing(editions, topics, db_session):
    editions.create()
    topic = topics.create(statements=["muziekles"])

    assert links.link_statements(ACTOR, topic, {"muziekles": "agree"}) == []
    db_session.commit()

    assert audit(db_session, "lobby.topic.link_statement") == []


def test_unknown_keys_and_answers_are_refused_and_nothing_is_linked(editions, topics, db_session):
    editions.create()
    topic = topics.create()

    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        links.link_statements(ACTOR, topic, {"muziekles": "agree", "bestaat-niet": "agree", "cultuurpas": "maybe"})
    db_session.rollback()

    assert [(p.location, p.field, p.message) for p in refused.value.problems] == [
        ("cultuurpas", "supports", "Choose agree or disagree as the answer that supports our ask."),
        ("bestaat-niet", "keys", "No edition has a statement with the key bestaat-niet."),
    ]
    assert db_session.scalars(select(TopicStatement)).all() == []


def test_linking_nothing_is_refused(topics):
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        links.link_statements(ACTOR, topics.create(), {})
    assert refused.value.problems[0].message == "Choose at least one statement."


def test_unlinking_removes_the_link_and_records_it(editions, topics, db_session):
    topic = topics.create(statements=["muziekles", ("bezuiniging", "disagree")])

    links.unlink_statement(ACTOR, db_session.get(TopicStatement, (topic.id, "bezuiniging")))
    db_session.commit()

    assert [s.statement_key for s in topic.statements] == ["muziekles"]
    [entry] = audit(db_session, "lobby.topic.unlink_statement")
    assert entry.before == {"statement_key": "bezuiniging", "supports": "disagree"} and entry.after is None


# --- linking debates -----------------------------------------------------------------------------------------

def test_debate_choices_leave_out_linked_debates_and_put_cancelled_ones_last(debates, venues, topics):
    from tests.debates.conftest import local_evening

    cancelled = debates.create("cancelled", starts_at=local_evening(3))
    late = debates.create("draft", starts_at=local_evening(20))
    early = debates.create("published", starts_at=local_evening(5))
    linked = debates.create("published", starts_at=local_evening(7))
    zeist = debates.create("confirmed", venue=venues.create("GM0355"), starts_at=local_evening(9))
    topic = topics.create(debates=[linked])

    assert links.debate_choices(topic) == [early, zeist, late, cancelled]
    assert links.debate_choices(topic, municipality_id=zeist.municipality_id) == [zeist]


def test_debates_come_with_their_municipalities_in_one_query(debates, venues, topics, db_session):
    for code in ("GM0344", "GM0355", "GM0014"):
        debates.create(venue=venues.create(code))
    topic = topics.create(debates=[debates.create(venue=venues.create("GM0855"))])
    db_session.expire_all()
    db_session.refresh(topic)

    with counted_statements() as ran:
        choices = [d.municipality.name for d in links.debate_choices(topic)]
        linked = [d.municipality.name for d in links.linked_debates(topic)]

    assert sorted(choices) == ["Groningen", "Utrecht", "Zeist"] and linked == ["Tilburg"]
    assert len(ran) == 2


def test_linking_a_debate_twice_changes_nothing_and_unlinking_records_it(debates, topics, db_session):
    debate = debates.create()
    topic = topics.create()

    assert links.link_debate(ACTOR, topic, debate) is True
    db_session.commit()
    assert links.link_debate(ACTOR, topic, debate) is False
    db_session.commit()

    assert topic.debates == [debate]
    assert links.topics_for_debate(debate) == [topic]
    [entry] = audit(db_session, "lobby.topic.link_debate")
    assert entry.after == {"debate_id": debate.id}

    assert links.unlink_debate(ACTOR, topic, debate) is True
    db_session.commit()
    assert links.unlink_debate(ACTOR, topic, debate) is False
    assert topic.debates == [] and links.topics_for_debate(debate) == []
    assert [e.before for e in audit(db_session, "lobby.topic.unlink_debate")] == [{"debate_id": debate.id}]


def test_topics_for_debate_are_ordered_by_title(debates, topics):
    debate = debates.create()
    zebra, aap = topics.create("Zebrapad", debates=[debate]), topics.create("Aap", debates=[debate])

    assert links.topics_for_debate(debate) == [aap, zebra]

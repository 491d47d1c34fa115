"""Topics (campaign/lobby/topics.py): progress and its roll-up, the counts per status, sub-topics one level deep,
tags, status changes on the timeline, notes, removal, and the list's filters in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry
from campaign.lobby import topics as domain
from campaign.lobby.models import Tag, Topic, TopicStatus, TopicUpdate
from tests.helpers import statements

ACTOR = Actor.system("tests")


@pytest.fixture()
def in_english(db_session):
    """The domain's messages in English (without it they are in the default language, Dutch)."""
    with force_locale("en"):
        yield


@pytest.fixture()
def statuses(lobby_defaults):
    return lobby_defaults


def problems_of(excinfo) -> dict[str, str]:
    return {p.field: p.message for p in excinfo.value.problems}


def new_topic(statuses, **changes):
    values = dict(title="Btw op muziekles", status_id=statuses["Gesignaleerd"].id)
    values.update(changes)
    return domain.create_topic(ACTOR, **values)


def actions(db_session) -> list[str]:
    return list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# --- progress and counts -----------------------------------------------------------------------------------------

def test_a_topics_progress_is_its_step_in_the_workflow(topics):
    assert domain.progress(topics.create(status="Gesignaleerd")) == 0.0
    assert domain.progress(topics.create(status="Geagendeerd")) == 0.25
    assert domain.progress(topics.create(status="Toezegging")) == 0.75
    assert domain.progress(topics.create(status="Resultaat")) == 1.0


def test_a_closed_status_counts_as_done_wherever_it_stands(topics, statuses, db_session):
    dropped = TopicStatus(name="Afgevallen", closed=True, position=1)
    for status in statuses.values():
        status.position += 1 if status.position >= 1 else 0
    db_session.add(dropped)
    db_session.commit()
    topic = topics.create()
    topic.status = dropped
    db_session.commit()
    assert domain.progress(topic) == 1.0


def test_sub_topics_roll_up_into_their_parent(topics):
    parent = topics.create("Bezuinigingen", status="Gesignaleerd")
    topics.create(parent=parent, status="Resultaat")
    topics.create(parent=parent, status="Geagendeerd")
    topics.create(parent=parent, status="Gesignaleerd")
    # (1 + 0.25 + 0) / 3, whatever the parent's own status
    assert domain.progress(parent) == pytest.approx(0.41667, abs=1e-4)
    shown = domain.topic_progress(parent)
    assert (shown.done, shown.total, shown.percent) == (1, 3, 42)


def test_status_counts_list_every_status_in_order_with_sub_topics_counted(topics, statuses):
    parent = topics.create(status="Geagendeerd")
    topics.create(parent=parent, status="Geagendeerd")
    topics.create(status="Resultaat")
    counts = [(s.name, n) for s, n in domain.status_counts()]
    assert counts == [("Gesignaleerd", 0), ("Geagendeerd", 2), ("Input gegeven", 0), ("Toezegging", 0),
                      ("Resultaat", 1)]


# --- creating and changing topics --------------------------------------------------------------------------------

def test_a_new_topic_starts_its_timeline_and_is_audited(statuses, users, db_session):
    owner = users.create("editor", name="Ilse Lobby")
    topic = new_topic(statuses, ask="Geen btw op lessen", priority=1, scope="national", owner_id=owner.id,
                      tags="btw, onderwijs")
    db_session.commit()
    assert (topic.priority, topic.scope, topic.owner, [t.name for t in topic.tags]) == (
        1, "national", owner, ["btw", "onderwijs"])
    assert [u.kind for u in topic.updates] == ["status"]
    assert domain.status_change(topic.updates[0]).new == "Gesignaleerd"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.create"))
    assert entry.after["status_id"] == statuses["Gesignaleerd"].id and entry.after["tags"] == ["btw", "onderwijs"]


def test_every_problem_is_named_at_once(statuses, users, in_english):
    coordinator = users.create("coordinator")
    with pytest.raises(ValidationFailed) as excinfo:
        domain.create_topic(ACTOR, title=" ", priority=7, scope="europe", owner_id=coordinator.id, status_id=None,
                            tags="x" * 41)
    found = problems_of(excinfo)
    assert set(found) == {"title", "priority", "scope", "owner_id", "status_id", "tags"}
    assert "40" in found["tags"]
    with pytest.raises(ValidationFailed) as excinfo:
        new_topic(statuses, title="x" * 201)
    assert "200" in problems_of(excinfo)["title"]


def test_the_owner_is_an_active_member_of_the_lobby_team(statuses, users, db_session):
    gone = users.create("editor", active=False)
    with pytest.raises(ValidationFailed) as excinfo:
        new_topic(statuses, owner_id=gone.id)
    assert "owner_id" in problems_of(excinfo)
    admin = users.create("admin")
    topic = new_topic(statuses, owner_id=admin.id)
    db_session.commit()
    admin.active = False  # the owner leaves: the topic can still be saved with them
    db_session.commit()
    domain.update_topic(ACTOR, topic, title="Nieuwe titel", status_id=topic.status_id, owner_id=admin.id)
    assert topic.owner == admin and topic.title == "Nieuwe titel"


def test_sub_topics_go_one_level_deep(topics, statuses, db_session, in_english):
    parent = topics.create("Bezuinigingen")
    child = new_topic(statuses, title="Muziekscholen", parent_id=parent.id)
    with pytest.raises(ValidationFailed) as excinfo:
        new_topic(statuses, title="Kleinkind", parent_id=child.id)
    assert "one level" in problems_of(excinfo)["parent_id"]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.update_topic(ACTOR, parent, title=parent.title, status_id=parent.status_id,
                            parent_id=topics.create("Ander").id)
    assert "sub-topics of its own" in problems_of(excinfo)["parent_id"]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.update_topic(ACTOR, child, title=child.title, status_id=child.status_id, parent_id=child.id)
    assert "itself" in problems_of(excinfo)["parent_id"]
    assert domain.parent_candidates(parent) == []
    assert child not in domain.parent_candidates()


def test_new_sub_topics_come_last_and_move_up_and_down(topics, statuses, db_session):
    parent = topics.create("Bezuinigingen")
    first, second, third = (new_topic(statuses, title=t, parent_id=parent.id) for t in ("Een", "Twee", "Drie"))
    db_session.commit()
    assert [c.title for c in parent.children] == ["Een", "Twee", "Drie"]
    assert domain.move_topic(ACTOR, third, -1)
    assert not domain.move_topic(ACTOR, first, -1)
    db_session.commit()
    db_session.refresh(parent)
    assert [c.title for c in parent.children] == ["Een", "Drie", "Twee"]
    assert "lobby.topic.move" in actions(db_session)


def test_a_sub_topic_may_move_to_another_parent_or_become_a_topic(topics, statuses, db_session):
    one, other = topics.create("Een"), topics.create("Ander")
    a = new_topic(statuses, title="A", parent_id=one.id)
    b = new_topic(statuses, title="B", parent_id=one.id)
    existing = new_topic(statuses, title="C", parent_id=other.id)
    db_session.commit()
    domain.update_topic(ACTOR, a, title="A", status_id=a.status_id, parent_id=other.id)
    db_session.commit()
    assert [c.title for c in other.children] == ["C", "A"] and a.position > existing.position
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.update"))
    assert (entry.before, entry.after) == ({"parent_id": one.id}, {"parent_id": other.id})
    assert [c.title for c in one.children] == ["B"] and b.position == 0
    domain.update_topic(ACTOR, a, title="A", status_id=a.status_id, parent_id=None)
    db_session.commit()
    assert a.parent is None and [c.title for c in other.children] == ["C"]


# --- tags ----------------------------------------------------------------------------------------------------------

def test_tags_are_trimmed_merged_and_reused_whatever_their_case(topics, statuses, db_session):
    topics.create(tags=["BTW"])
    topic = new_topic(statuses, tags=" btw , Onderwijs,, onderwijs ,  lokale   zaken ,")
    db_session.commit()
    assert [t.name for t in topic.tags] == ["BTW", "Onderwijs", "lokale zaken"]
    assert db_session.scalar(select(func.count()).select_from(Tag)) == 3


def test_a_tag_longer_than_40_characters_is_named(statuses, in_english):
    with pytest.raises(ValidationFailed) as excinfo:
        new_topic(statuses, tags="btw, " + "cultuureducatie-en-de-aansluiting-op-het-beroep")
    assert "cultuureducatie" in problems_of(excinfo)["tags"]
    assert "40" in problems_of(excinfo)["tags"]


def test_unused_tags_go_when_no_topic_uses_them(topics, statuses, db_session):
    keep = topics.create(tags=["btw"])
    topic = new_topic(statuses, tags="btw, eenmalig")
    db_session.commit()
    domain.update_topic(ACTOR, topic, title=topic.title, status_id=topic.status_id, tags="anders")
    db_session.commit()
    assert sorted(db_session.scalars(select(Tag.name))) == ["anders", "btw"]
    domain.delete_topic(ACTOR, topic)
    db_session.commit()
    assert list(db_session.scalars(select(Tag.name))) == ["btw"]
    assert [t.name for t in keep.tags] == ["btw"]


# --- the status and the timeline ---------------------------------------------------------------------------------

def test_a_status_change_is_a_dated_timeline_entry_in_the_readers_language(topics, statuses, users, db_session):
    topic = topics.create(status="Geagendeerd")
    db_session.commit()
    before = topic.status_changed_at
    member = users.create("editor", name="Ilse Lobby")
    entry = domain.change_status(Actor.of(member), topic, status_id=statuses["Input gegeven"].id,
                                 changed_on=dt.date(2026, 2, 3), note="Brief aan de fracties")
    db_session.commit()
    assert topic.status.name == "Input gegeven"
    assert (entry.kind, entry.happened_on, entry.author) == ("status", dt.date(2026, 2, 3), member)
    assert topic.status_changed_at != before
    with force_locale("nl"):
        change = domain.status_change(entry)
        assert (change.old, change.new, change.note) == ("Geagendeerd", "Input gegeven", "Brief aan de fracties")
    with force_locale("en"):
        change = domain.status_change(entry)
        assert (change.old, change.new) == ("On the agenda", "Input given")
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.status"))
    assert audit.before == {"status_id": statuses["Geagendeerd"].id}
    assert audit.after["status_id"] == statuses["Input gegeven"].id


def test_the_entry_reads_as_it_was_after_the_status_is_renamed_or_removed(topics, statuses, db_session):
    topic = topics.create(status="Gesignaleerd")
    entry = domain.change_status(ACTOR, topic, status_id=statuses["Geagendeerd"].id)
    domain.change_status(ACTOR, topic, status_id=statuses["Input gegeven"].id)
    db_session.commit()
    domain.delete_status(ACTOR, statuses["Geagendeerd"])
    db_session.commit()
    with force_locale("en"):
        assert domain.status_change(entry).new == "On the agenda"


def test_the_same_status_again_or_an_odd_date_is_refused(topics, statuses, in_english):
    topic = topics.create(status="Geagendeerd")
    with pytest.raises(ValidationFailed) as excinfo:
        domain.change_status(ACTOR, topic, status_id=statuses["Geagendeerd"].id)
    assert "already" in problems_of(excinfo)["status_id"]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.change_status(ACTOR, topic, status_id=statuses["Resultaat"].id, changed_on=dt.date(1, 1, 1))
    assert "changed_on" in problems_of(excinfo)
    with pytest.raises(ValidationFailed):
        domain.change_status(ACTOR, topic, status_id=None)


def test_the_edit_form_may_change_the_status_too(topics, statuses, db_session):
    topic = topics.create(status="Geagendeerd")
    domain.update_topic(ACTOR, topic, title=topic.title, status_id=statuses["Toezegging"].id)
    db_session.commit()
    change = domain.status_change(topic.updates[0])
    assert (change.old, change.new) == ("Geagendeerd", "Toezegging")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.update"))
    assert (entry.before, entry.after) == ({"status_id": statuses["Geagendeerd"].id},
                                           {"status_id": statuses["Toezegging"].id})
    domain.update_topic(ACTOR, topic, title="Andere titel", status_id=statuses["Toezegging"].id)
    db_session.commit()
    assert len(topic.updates) == 1  # no status change, no entry


def test_notes_newest_first_and_only_notes_can_be_removed(topics, statuses, db_session):
    topic = topics.create()
    old = domain.add_update(ACTOR, topic, happened_on=dt.date(2026, 1, 5), text="Gesprek met wethouder")
    new = domain.add_update(ACTOR, topic, happened_on=dt.date(2026, 2, 1), text="Motie ingediend")
    status = domain.change_status(ACTOR, topic, status_id=statuses["Geagendeerd"].id,
                                  changed_on=dt.date(2026, 1, 20))
    db_session.commit()
    db_session.refresh(topic)
    assert topic.updates == [new, status, old]
    with pytest.raises(ValidationFailed) as excinfo:
        domain.add_update(ACTOR, topic, happened_on=None, text="  ")
    assert set(problems_of(excinfo)) == {"happened_on", "text"}
    with pytest.raises(ValidationFailed):
        domain.delete_update(ACTOR, status)
    domain.delete_update(ACTOR, old)
    db_session.commit()
    assert db_session.get(TopicUpdate, old.id) is None
    assert actions(db_session)[-1] == "lobby.update.delete"


def test_removing_a_topic_takes_its_sub_topics_and_input_along(topics, statuses, lobby_parties, party_inputs,
                                                               db_session):
    parent = topics.create("Bezuinigingen", tags=["geld"])
    child = topics.create("Muziekscholen", parent=parent)
    party = lobby_parties.create()
    party_inputs.create(parent, party)
    party_inputs.create(child, party)
    domain.add_update(ACTOR, child, happened_on=dt.date(2026, 1, 5), text="Notitie")
    db_session.commit()
    gone = domain.delete_topic(ACTOR, parent)
    db_session.commit()
    assert (gone.subtopics, gone.inputs) == (1, 2)
    assert db_session.scalar(select(func.count()).select_from(Topic)) == 0
    assert db_session.scalar(select(func.count()).select_from(Tag)) == 0
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.topic.delete"))
    assert entry.before["subtopics"] == [child.id] and entry.before["inputs"] == 2


# --- the list ------------------------------------------------------------------------------------------------------

def titles(rows) -> list:
    return [(r.topic.title, [c.title for c in r.children]) for r in rows]


def test_the_list_sorts_by_priority_then_title_with_sub_topics_under_their_topic(topics):
    low = topics.create("Aansluiting onderwijs-beroep", priority=3)
    high = topics.create("Btw op lessen", priority=1)
    topics.create("Zeker hoog", priority=1)
    topics.create("Twee", parent=high)
    topics.create("Een", parent=high, position=-1)
    topics.create("Sub", parent=low)
    assert titles(domain.find_topics()) == [("Btw op lessen", ["Een", "Twee"]), ("Zeker hoog", []),
                                            ("Aansluiting onderwijs-beroep", ["Sub"])]
    assert titles(domain.find_topics(domain.TopicFilter(sort="title")))[0][0] == "Aansluiting onderwijs-beroep"


def test_filters_show_a_topic_for_its_matching_sub_topics(topics, statuses, users):
    owner = users.create("editor")
    parent = topics.create("Bezuinigingen", status="Gesignaleerd", scope="municipal", tags=["geld"])
    topics.create("Muziekscholen", parent=parent, status="Toezegging", owner=owner, tags=["Muziek"])
    topics.create("Bibliotheken", parent=parent, status="Gesignaleerd")
    topics.create("Btw", status="Toezegging", scope="national", priority=1, tags=["geld"])

    def found(**f):
        return titles(domain.find_topics(domain.TopicFilter(**f)))

    rows = domain.find_topics(domain.TopicFilter(status_id=statuses["Toezegging"].id))
    assert titles(rows) == [("Btw", []), ("Bezuinigingen", ["Muziekscholen"])]
    assert [r.matches for r in rows] == [True, False]
    assert found(scope="national") == [("Btw", [])]
    assert found(priority=1) == [("Btw", [])]
    assert found(owner_id=owner.id) == [("Bezuinigingen", ["Muziekscholen"])]
    assert found(owner_id=0) == [("Btw", []), ("Bezuinigingen", ["Bibliotheken"])]
    assert found(tag="muziek") == [("Bezuinigingen", ["Muziekscholen"])]
    assert found(tag="GELD") == [("Btw", []), ("Bezuinigingen", [])]
    assert found(tag="bestaat-niet") == []
    assert found(search="bibliot") == [("Bezuinigingen", ["Bibliotheken"])]
    assert found(search="100%") == []


def test_the_list_takes_the_same_number_of_queries_for_5_or_30_topics(topics, users, db_session):
    owners = [users.create("editor") for _ in range(3)]

    def make(n):
        for i in range(n):
            parent = topics.create(f"Onderwerp {i}", tags=[f"tag{i % 4}"], owner=owners[i % 3])
            topics.create(f"Sub {i}", parent=parent, tags=["sub"], status="Resultaat")

    def count(f=None):
        db_session.expunge_all()  # nothing already at hand: every row the page shows comes from these queries
        with statements() as ran:
            rows = domain.find_topics(f)
            steps = domain.status_steps()
            for row in rows:
                for t in [row.topic, *row.children]:
                    domain.topic_progress(t, steps, set())
                    _ = (t.status.name, t.owner and t.owner.name, [tag.name for tag in t.tags])
        return len(ran), len(rows)

    make(5)
    few = count(), count(domain.TopicFilter(tag="sub"))
    make(25)
    many = count(), count(domain.TopicFilter(tag="sub"))
    assert [n for n, _ in few] == [n for n, _ in many]
    assert max(n for n, _ in many) <= 8
    assert [rows for _, rows in many] == [30, 30]

"""Coverage by province: members, editions, active coordinators, what is still needed, and targets."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.models import AuditEntry, Election, Municipality, Organisation
from campaign.coordinators.coverage import coverage
from campaign.coordinators.models import RecruitmentTarget
from campaign.coordinators.pipeline import move
from tests.helpers import csrf_token, statements

COVERAGE = "/beheer/coordinatoren/dekking"
TARGET = "/beheer/coordinatoren/dekking/doel"


@pytest.fixture()
def setup(db_session, places, applications, editions):
    """Members in Zeist, a Cultuurwijzer edition in Utrecht, an active coordinator in Utrecht; a non-member
    partner in Groningen and a coordinator in training in Tilburg (neither counts)."""
    db_session.add_all([
        Organisation(name="Muziekschool Zeist", kind="music_school", member=True, municipality=places["GM0355"]),
        Organisation(name="Bibliotheek Groningen", kind="partner", member=False, municipality=places["GM0014"]),
    ])
    db_session.commit()
    editions.create()  # test2026-gm0344: Utrecht
    applications.create("active", municipalities=["GM0344"])
    applications.create("in_training", municipalities=["GM0855"])
    return places


def row(html: str, province: str) -> list[str]:
    """The cells of a province's row, as text."""
    found = re.search(rf'<th scope="row">{province}</th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", found, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]


def needed(html: str) -> list[str]:
    section = html.split('id="needed-title"')[1]
    return re.findall(r'<a href="/coordinatoren/(GM\d{4})[^"]*">', section)


def test_coverage_by_province_and_what_is_still_needed(setup):
    rows = {r.province: r for r in coverage()}
    utrecht = rows["Utrecht"]
    assert (utrecht.municipalities, utrecht.with_members, utrecht.with_edition, utrecht.with_active) == (2, 1, 1, 1)
    assert [m.code for m in utrecht.still_needed] == ["GM0355"]  # Zeist: members, nobody active
    assert rows["Groningen"].with_members == 0 and rows["Groningen"].still_needed == []
    assert rows["Noord-Brabant"].with_active == 0 and rows["Noord-Brabant"].still_needed == []


def test_the_page_shows_the_figures_and_links_the_recruitment_pages(english, users, setup):
    users.login(english, users.create("coordinator", municipalities=["GM0344"]))  # staff may look
    response = english.get(COVERAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert row(html, "Utrecht")[:4] == ["2", "1", "1", "1"]
    assert needed(html) == ["GM0355"] and "Become culture coordinator in Zeist" in html
    assert 'name="target"' not in html  # a coordinator cannot set targets


def test_coverage_changes_when_an_application_becomes_active(english, users, setup, applications, db_session):
    users.login(english, users.create("editor"))
    zeist = applications.create("in_training", municipalities=["GM0355"])
    assert needed(english.get(COVERAGE).get_data(as_text=True)) == ["GM0355"]
    move(Actor.system("tests"), zeist, "active", notify=False)
    db_session.commit()
    html = english.get(COVERAGE).get_data(as_text=True)
    assert row(html, "Utrecht")[3] == "2" and needed(html) == []
    assert "Every municipality with members or an edition has an active coordinator." in html
    move(Actor.system("tests"), zeist, "stopped", notify=False)
    db_session.commit()
    assert needed(english.get(COVERAGE).get_data(as_text=True)) == ["GM0355"]


def test_only_editions_of_the_newest_election_count(setup, db_session):
    import datetime as dt

    db_session.add(Election(slug="later", name="Later election", date=dt.date(2030, 3, 20)))
    db_session.commit()
    rows = {r.province: r for r in coverage()}
    assert rows["Utrecht"].with_edition == 0
    assert [m.code for m in rows["Utrecht"].still_needed] == ["GM0355"]


def test_coverage_takes_the_same_few_queries_for_many_municipalities(app, setup, db_session):
    def count_queries() -> int:
        with statements() as ran:
            coverage()
        return len(ran)

    few = count_queries()
    db_session.add_all([Municipality(code=f"GM9{i:03d}", name=f"Plaats {i}", province="Zeeland") for i in range(60)])
    db_session.add_all([Organisation(name=f"School {i}", kind="music_school", member=True,
                                     municipality_id=None) for i in range(20)])
    db_session.commit()
    assert count_queries() == few <= 6


# --- targets -------------------------------------------------------------------------------------------------

def set_target(client, province, target):
    return client.post(TARGET, data={"csrf_token": csrf_token(client, COVERAGE), "province": province,
                                     "target": target})


def test_an_editor_sets_a_target_and_sees_the_progress(english, users, setup, db_session):
    users.login(english, users.create("editor"))
    response = set_target(english, "Utrecht", "2")
    assert response.status_code == 302
    assert db_session.get(RecruitmentTarget, "Utrecht").target == 2
    html = english.get(COVERAGE).get_data(as_text=True)
    assert "1 of 2" in row(html, "Utrecht")[5] and '<progress max="2" value="1"' in html
    [entry] = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "recruitment_target.set"))
    assert (entry.object_id, entry.before, entry.after) == ("Utrecht", {"target": None}, {"target": 2})

    set_target(english, "Utrecht", "1")
    html = english.get(COVERAGE).get_data(as_text=True)
    assert "1 of 1 · reached" in row(html, "Utrecht")[5]


@pytest.mark.parametrize("province, target, message", [
    ("Utrecht", "-1", "Number must be at least 0"),
    ("Utrecht", "3", "Enter a whole number from 0 to 2"),
    ("Utrecht", "twee", "Not a valid integer value"),
    ("Utrecht", "", "This field is required"),
    ("Atlantis", "1", "There is no province called Atlantis"),
])
def test_a_wrong_target_is_refused_next_to_its_field(english, users, setup, db_session, province, target, message):
    users.login(english, users.create("editor"))
    response = set_target(english, province, target)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if province == "Utrecht":
        assert re.search(r'id="target-\d+-error">[^<]*' + re.escape(message), html)
    assert db_session.scalar(select(RecruitmentTarget)) is None
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "recruitment_target.set")) is None


def test_a_coordinator_cannot_set_targets(english, users, setup, db_session):
    users.login(english, users.create("coordinator", municipalities=["GM0344"]))
    assert set_target(english, "Utrecht", "1").status_code == 403
    assert db_session.scalar(select(RecruitmentTarget)) is None

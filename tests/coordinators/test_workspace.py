"""The coordinator's workspace: their own municipalities and Cultuurwijzer links, their own checklist."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaign.core.models import AuditEntry
from campaign.coordinators.models import ChecklistDone, ChecklistItem, TrainingModule
from tests.helpers import csrf_token, post_form

HOME = "/werkplek/"
CHECKLIST_ADMIN = "/beheer/coordinatoren/checklist"


@pytest.fixture()
def steps(db_session):
    items = [ChecklistItem(title=title, position=index) for index, title in enumerate(
        ("Maak kennis met de lokale leden", "Breng de partijen in kaart", "Deel de Cultuurwijzer"))]
    db_session.add_all(items)
    db_session.commit()
    return items


def _checked(html: str) -> list[str]:
    """The titles of the ticked checklist items, as the page shows them."""
    return [t.strip() for t in re.findall(r'name="done" value="1" checked[^>]*>\s*<span>([^<]+)', html)]


def test_workspace_shows_only_the_coordinators_own_municipalities_with_their_cultuurwijzer(
        english, applications, editions, users):
    editions.create()  # a published Cultuurwijzer for Utrecht (GM0344); none for Zeist
    mine = applications.create("active", municipalities=["GM0344", "GM0355"])
    applications.create("active", municipalities=["GM0014"])  # someone else, in Groningen
    users.login(english, mine.user)

    html = english.get(HOME).get_data(as_text=True)

    assert "Utrecht" in html and "Zeist" in html and "Groningen" not in html
    assert 'href="/cultuurwijzer/GM0344"' in html
    assert "/cultuurwijzer/GM0355" not in html
    zeist = html[html.index("<strong>Zeist</strong>"):]
    assert "No Cultuurwijzer yet" in zeist[:zeist.index("</li>")]
    utrecht = html[html.index("<strong>Utrecht</strong>"):]
    assert "lead coordinator" in utrecht[:utrecht.index("</li>")]  # the first coordinator there leads
    assert '<span class="status status-active">active</span>' in html  # their own status, in words
    assert 'href="/werkplek/training"' in html


def test_a_staff_member_without_a_coordinator_record_gets_an_explanation(english, users):
    users.login(english, users.create("editor"))
    response = english.get(HOME)
    assert response.status_code == 200
    assert "does not belong to a coordinator" in response.get_data(as_text=True)


def test_materials_of_the_training_modules_are_links(english, applications, users, db_session):
    db_session.add(TrainingModule(title="Lokaal lobbyen", materials="Handreiking lobbyen | https://example.org/lobby\n"
                                                                   "Voorbeeldbrief aan een fractie\n"
                                                                   "Verkeerd | javascript:alert(1)"))
    db_session.commit()
    coordinator = applications.create("active")
    users.login(english, coordinator.user)
    html = english.get(HOME).get_data(as_text=True)
    assert '<a href="https://example.org/lobby">Handreiking lobbyen</a>' in html
    assert "Voorbeeldbrief aan een fractie" in html
    assert 'href="javascript:' not in html


def test_ticking_off_without_javascript_redirects_and_shows_the_progress(english, applications, users, steps,
                                                                          db_session):
    coordinator = applications.create("active")
    users.login(english, coordinator.user)
    html = english.get(HOME).get_data(as_text=True)
    assert "0 of 3 done" in html and '<progress id="checklist-bar" max="3" value="0"' in html

    response = post_form(english, f"/werkplek/checklist/{steps[1].id}", {"done": "1"}, token_from=HOME)
    assert response.status_code == 302 and response.location.endswith("/werkplek/#checklist")

    html = english.get(HOME).get_data(as_text=True)
    assert "1 of 3 done" in html and '<progress id="checklist-bar" max="3" value="1"' in html
    assert _checked(html) == ["Breng de partijen in kaart"]
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "checklist.done")).object_id \
        == str(coordinator.id)

    # Unticking: the form sends no "done".
    post_form(english, f"/werkplek/checklist/{steps[1].id}", {}, token_from=HOME)
    html = english.get(HOME).get_data(as_text=True)
    assert "0 of 3 done" in html and _checked(html) == []


def test_ticking_off_with_htmx_returns_only_the_checklist(english, applications, users, steps):
    coordinator = applications.create("active")
    users.login(english, coordinator.user)
    token = csrf_token(english, HOME)
    response = english.post(f"/werkplek/checklist/{steps[0].id}", data={"done": "1"},
                            headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 of 3 done" in html and _checked(html) == ["Maak kennis met de lokale leden"]
    assert "<html" not in html and "Your municipalities" not in html  # the block, not the page
    assert "HX-Request" in response.headers.get("Vary", "")

    # The same tick twice changes nothing.
    response = english.post(f"/werkplek/checklist/{steps[0].id}", data={"done": "1"},
                            headers={"HX-Request": "true", "X-CSRFToken": token})
    assert "1 of 3 done" in response.get_data(as_text=True)


def test_another_coordinators_ticks_are_not_shown(english, applications, users, steps, db_session):
    first = applications.create("active", municipalities=["GM0344"])
    second = applications.create("active", municipalities=["GM0344"])
    db_session.add_all([ChecklistDone(application_id=first.id, item_id=steps[0].id),
                        ChecklistDone(application_id=first.id, item_id=steps[2].id)])
    db_session.commit()

    users.login(english, second.user)
    html = english.get(HOME).get_data(as_text=True)
    assert "0 of 3 done" in html and _checked(html) == []

    users.login(english, first.user)
    assert _checked(english.get(HOME).get_data(as_text=True)) == ["Maak kennis met de lokale leden",
                                                                 "Deel de Cultuurwijzer"]


def test_ticking_an_unknown_item_is_404(english, applications, users):
    users.login(english, applications.create("active").user)
    assert post_form(english, "/werkplek/checklist/999999", {"done": "1"}, token_from=HOME).status_code == 404


def test_the_team_keeps_the_checklist_in_order(english, users, steps, db_session):
    users.login(english, users.create("editor"))
    response = post_form(english, CHECKLIST_ADMIN, {"title": "Plan een debat", "description": "Met alle partijen."},
                         token_from=CHECKLIST_ADMIN)
    assert response.status_code == 302
    titles = [i.title for i in db_session.scalars(select(ChecklistItem).order_by(ChecklistItem.position))]
    assert titles[-1] == "Plan een debat"

    post_form(english, f"{CHECKLIST_ADMIN}/{steps[2].id}/verplaatsen", {"direction": "up"},
              token_from=CHECKLIST_ADMIN)
    html = english.get(CHECKLIST_ADMIN).get_data(as_text=True)
    assert html.index("Deel de Cultuurwijzer") < html.index("Breng de partijen in kaart")

    response = post_form(english, f"{CHECKLIST_ADMIN}/{steps[0].id}", {"title": "  "}, token_from=CHECKLIST_ADMIN)
    assert response.status_code == 422 and "This field is required" in response.get_data(as_text=True)

    post_form(english, f"{CHECKLIST_ADMIN}/{steps[0].id}/verwijderen", {}, token_from=CHECKLIST_ADMIN)
    assert "Maak kennis met de lokale leden" not in english.get(CHECKLIST_ADMIN).get_data(as_text=True)
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"checklist.create", "checklist.move", "checklist.delete"} <= actions


def test_a_coordinator_cannot_keep_the_checklist(english, applications, users):
    users.login(english, applications.create("active").user)
    assert english.get(CHECKLIST_ADMIN).status_code == 403

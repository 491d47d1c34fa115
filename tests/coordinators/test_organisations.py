"""Member organisations and partners: list, filter, add and change, with clear messages for bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.core.models import AuditEntry, Organisation
from tests.helpers import csrf_token

LIST = "/beheer/coordinatoren/organisaties"
NEW = "/beheer/coordinatoren/organisaties/nieuw"


@pytest.fixture()
def editor(english, users, places):
    users.login(english, users.create("editor"))
    return english


def send(client, path, **fields):
    data = {"name": "Muziekschool Zeist", "kind": "music_school", "member": "y", "municipality": "GM0355",
            "email": "info@muziekschool-zeist.example"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(path, data={"csrf_token": csrf_token(client, NEW), **data})


def count(db_session) -> int:
    return db_session.scalar(select(func.count(Organisation.id)))


def test_add_an_organisation_and_find_it_in_the_list(editor, db_session):
    form = editor.get(NEW).get_data(as_text=True)
    for label in ("music school", "arts centre", "folk university", "provincial support organisation", "partner"):
        assert label in form
    response = send(editor, NEW)
    assert response.status_code == 302 and response.location == LIST
    organisation = db_session.scalar(select(Organisation))
    assert (organisation.name, organisation.kind, organisation.member, organisation.municipality.code,
            organisation.email) == ("Muziekschool Zeist", "music_school", True, "GM0355",
                                    "info@muziekschool-zeist.example")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.create"))
    assert entry.after["municipality"] == "GM0355" and entry.after["member"] is True
    assert "info@" not in repr((entry.summary, entry.before, entry.after))  # an address may be a person's
    html = editor.get(LIST).get_data(as_text=True)
    assert "Muziekschool Zeist" in html and "Zeist" in html and "music school" in html and ">member<" in html


def test_the_list_filters_members(editor, db_session, places):
    db_session.add_all([Organisation(name="Kunstencentrum Utrecht", kind="arts_centre", member=True),
                        Organisation(name="Bibliotheek Tilburg", kind="partner", member=False)])
    db_session.commit()
    members = editor.get(LIST + "?member=1").get_data(as_text=True)
    others = editor.get(LIST + "?member=0").get_data(as_text=True)
    everyone = editor.get(LIST + "?member=x").get_data(as_text=True)
    assert "Kunstencentrum Utrecht" in members and "Bibliotheek Tilburg" not in members
    assert "Bibliotheek Tilburg" in others and "Kunstencentrum Utrecht" not in others
    assert "Bibliotheek Tilburg" in everyone and "Kunstencentrum Utrecht" in everyone


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "This field is required"),
    ({"name": "x" * 201}, "Field cannot be longer than 200 characters"),
    ({"name": "   "}, "This field is required"),
    ({"kind": "bakery"}, "Not a valid choice"),
    ({"municipality": "GM9999"}, "GM9999 is not a known municipality code"),
    ({"municipality": "Zeist"}, "ZEIST is not a known municipality code"),
    ({"email": "not-an-address"}, "Enter a valid email address, like name@example.org."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(editor, db_session, fields, message):
    response = send(editor, NEW, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db_session) == 0
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.create")) is None


def test_change_an_organisation_with_its_history(editor, db_session, places):
    organisation = Organisation(name="Muziekschool Zeist", kind="music_school", member=True,
                                municipality=places["GM0355"])
    db_session.add(organisation)
    db_session.commit()
    path = f"{LIST}/{organisation.id}"
    form = editor.get(path).get_data(as_text=True)
    assert 'value="Muziekschool Zeist"' in form and '<option selected value="GM0355">' in form

    response = send(editor, path, name="Muziekschool Zeist-Oost", member=None, municipality="", email="")
    assert response.status_code == 302
    db_session.refresh(organisation)
    assert (organisation.name, organisation.member, organisation.municipality, organisation.email) == \
        ("Muziekschool Zeist-Oost", False, None, None)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.update"))
    assert entry.before == {"name": "Muziekschool Zeist", "member": True, "municipality": "GM0355"}
    assert entry.after == {"name": "Muziekschool Zeist-Oost", "member": False, "municipality": None}
    assert "Organisation changed" in editor.get(path).get_data(as_text=True)

    refused = send(editor, path, kind="bakery")
    assert refused.status_code == 422
    db_session.refresh(organisation)
    assert organisation.name == "Muziekschool Zeist-Oost"
    assert editor.get(f"{LIST}/{organisation.id + 100}").status_code == 404


def test_coordinators_keep_out(client, users, db_session, places):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, data={"csrf_token": csrf_token(client), "name": "X", "kind": "partner"}).status_code == 403
    assert count(db_session) == 0

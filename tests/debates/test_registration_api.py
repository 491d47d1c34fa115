"""The debates' JSON API: the list of published debates with their seats, and registering (201, 404, 409,
422; never a 500, never a cookie)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from campaign.core.models import utcnow
from campaign.debates.models import Registration

from tests.debates.conftest import local_evening
from tests.helpers import statements


def path(debate) -> str:
    return f"/api/v1/debates/{debate.id}/registrations"


def person(i: int = 0, **changes) -> dict:
    return {"name": f"Persoon {i}", "email": f"p{i}@example.org", "seats": 1, **changes}


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client


def stored(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Registration))


# --- the list ------------------------------------------------------------------------------------------------

def test_the_list_holds_published_debates_with_their_seats(client, debates, db_session):
    open_one = debates.create(capacity=2, title="Open", starts_at=local_evening(5))
    closed = debates.create(title="Gesloten", registration_open=False, starts_at=local_evening(6))
    for hidden in ("draft", "confirmed", "cancelled"):
        debates.create(hidden)
    for i, seats in enumerate((2, 1)):
        client.post(path(open_one), json=person(i, seats=seats))

    listed = client.get("/api/v1/debates").get_json()["debates"]
    assert [d["title"] for d in listed] == ["Open", "Gesloten"]
    first = listed[0]
    assert list(first) == ["id", "title", "municipality_code", "starts_at", "capacity", "confirmed", "waitlisted",
                           "registration_open"]
    assert (first["id"], first["municipality_code"], first["capacity"], first["confirmed"], first["waitlisted"],
            first["registration_open"]) == (open_one.id, "GM0344", 2, 2, 1, True)
    starts = dt.datetime.fromisoformat(first["starts_at"])
    assert starts.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))  # Dutch time, with its offset
    assert starts.astimezone(dt.timezone.utc).replace(tzinfo=None) == open_one.starts_at
    assert listed[1]["id"] == closed.id and listed[1]["registration_open"] is False


def test_the_list_costs_the_same_number_of_queries_for_one_debate_or_many(app, client, debates, venues):
    debates.create()
    with statements() as one:
        client.get("/api/v1/debates")
    for _ in range(4):
        debates.create(venue=venues.create("GM0014"))
    with statements() as many:
        client.get("/api/v1/debates")
    assert len(many) == len(one)


# --- registering ---------------------------------------------------------------------------------------------

def test_register_gives_a_seat_then_the_waitlist_and_mails_like_the_form(client, debates, mailbox, db_session):
    debate = debates.create(capacity=3)
    first = client.post(path(debate), json=person(1, seats=3), headers={"Accept-Language": "en"})
    assert first.status_code == 201
    body = first.get_json()
    assert body == {"status": "confirmed", "id": body["id"], "seats": 3, "debate_id": debate.id}
    second = client.post(path(debate), json={"name": "Bram", "email": "bram@example.org"})  # seats: 1 by default
    assert second.status_code == 201 and second.get_json()["status"] == "waitlisted"
    assert second.get_json()["seats"] == 1
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    messages = mailbox.messages()
    assert [m["To"] for m in messages] == ["p1@example.org", "bram@example.org"]
    assert messages[0]["Subject"].startswith("You are registered")
    assert "/debatten/aanmelding/" in mailbox.body(messages[0])
    assert db_session.get(Registration, body["id"]).language == "en"


@pytest.mark.parametrize("send, fields", [
    (dict(data={"name": "x", "email": "x@example.org"}), {"body"}),  # an HTML form's encoding
    (dict(data='{"name": "x"', content_type="application/json"), {"body"}),
    (dict(json=["x"]), {"body"}),
    (dict(json={"name": 5, "email": "x@example.org", "seats": 1}), {"name"}),
    (dict(json={"email": "x@example.org"}), {"name"}),
    (dict(json=person(seats="2")), {"seats"}),
    (dict(json=person(seats=True)), {"seats"}),
    (dict(json=person(seats=1.5)), {"seats"}),
    (dict(json=person(seats=0)), {"seats"}),
    (dict(json=person(seats=5)), {"seats"}),  # above the debate's limit of 4
    (dict(json=person(email="not an address")), {"email"}),
    (dict(json=person(name="   ")), {"name"}),
    (dict(json=person(name="x" * 121)), {"name"}),
    (dict(json={**person(), "phone": "0612345678"}), {"phone"}),
    (dict(json=person(name="Nul\u0000Byte", email="nul\u0000@example.org")), {"name", "email"}),
    (dict(data=b'{"name": "\xff"}', content_type="application/json"), {"body"}),  # not UTF-8
    (dict(json=person(name="Sur\ud800rogaat")), {"name"}),  # a lone surrogate: no database stores it
    (dict(data="[" * 100_000 + "]" * 100_000, content_type="application/json"), {"body"}),  # too deep to parse
])
def test_bad_input_is_422_naming_the_fields_and_stores_nothing(english, debates, mailbox, db_session, send, fields):
    debate = debates.create(max_seats_per_registration=4)
    response = english.post(path(debate), **send)
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error["fields"]) == fields and error["message"]
    assert stored(db_session) == 0 and mailbox.messages() == []


def test_an_address_registers_once(english, debates, db_session):
    debate = debates.create()
    assert english.post(path(debate), json=person(1)).status_code == 201
    again = english.post(path(debate), json=person(1, email="P1@example.org"))
    assert again.status_code == 422
    assert "already registered" in again.get_json()["error"]["fields"]["email"]
    assert stored(db_session) == 1


@pytest.mark.parametrize("case", ["closed_by_organiser", "cancelled", "started"])
def test_closed_registration_is_409(english, debates, db_session, case):
    debate = {"closed_by_organiser": lambda: debates.create(registration_open=False),
              "cancelled": lambda: debates.create("cancelled"),
              "started": lambda: debates.create(starts_at=utcnow() - dt.timedelta(minutes=10))}[case]()
    response = english.post(path(debate), json=person())
    assert response.status_code == 409
    assert response.get_json()["error"]["message"]
    assert stored(db_session) == 0


def test_unknown_and_unpublished_debates_are_404(client, debates, db_session):
    draft = debates.create("draft")
    assert client.post(path(draft), json=person()).status_code == 404
    missing = client.post("/api/v1/debates/999999/registrations", json=person())
    assert missing.status_code == 404 and "999999" in missing.get_json()["error"]["message"]
    assert client.post("/api/v1/debates/99999999999999/registrations", json=person()).status_code == 404
    assert stored(db_session) == 0


def test_the_openapi_document_describes_both_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/debates" in doc["paths"]
    register = doc["paths"]["/debates/{debate_id}/registrations"]["post"]
    assert set(register["responses"]) >= {"201", "404", "409", "422"}
    schemas = doc["components"]["schemas"]
    assert set(schemas["DebateSummary"]["required"]) == {"id", "title", "municipality_code", "starts_at", "capacity",
                                                         "confirmed", "waitlisted", "registration_open"}
    assert schemas["RegistrationResponse"]["properties"]["status"]["enum"] == ["confirmed", "waitlisted"]

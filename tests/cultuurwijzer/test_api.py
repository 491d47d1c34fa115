"""The JSON API contract (/api/v1) and its errors: 404 and 422, never a 500."""

import pytest

EDITION = "test2026-gm0344"
MATCH = f"/api/v1/editions/{EDITION}/match"


@pytest.fixture()
def published(editions):
    return editions.create()


def test_editions_lists_only_published_ones(client, editions, published):
    from tests.factories import edition_document

    draft = edition_document(id="draft-gm0014", status="draft")
    draft["municipality"] = {"code": "GM0014", "name": "Groningen", "province": "Groningen"}
    editions.create(draft)
    body = client.get("/api/v1/editions").get_json()
    assert body == {"editions": [{"id": EDITION, "municipality_code": "GM0344", "municipality": "Utrecht",
                                  "election": "test2026", "election_date": "2026-03-18", "demo": True}]}


def test_edition_detail_has_statements_and_every_position(client, published):
    body = client.get(f"/api/v1/editions/{EDITION}").get_json()
    assert body["id"] == EDITION and body["municipality_code"] == "GM0344" and body["election"] == "test2026"
    assert [s["id"] for s in body["statements"]] == ["muziekles", "cultuurpas", "oefenruimte", "bezuiniging"]
    assert set(body["statements"][0]) >= {"id", "theme", "title", "text"}
    gamma = next(p for p in body["parties"] if p["id"] == "gamma")
    assert gamma["positions"]["cultuurpas"] == {"position": None, "explanation": ""}
    assert gamma["positions"]["muziekles"] == {"position": "disagree", "explanation": "Taak van ouders."}


def test_unknown_edition_is_404_everywhere(client, published):
    assert client.get("/api/v1/editions/nope").status_code == 404
    response = client.post("/api/v1/editions/nope/match", json={"answers": {"x": "agree"}})
    assert response.status_code == 404
    assert "nope" in response.get_json()["error"]["message"]


def test_match_ranks_with_shared_ranks_and_name_order(client, published):
    response = client.post(MATCH, json={"answers": {"muziekles": "agree", "cultuurpas": "disagree"},
                                        "important": ["muziekles"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["answered"] == 2
    assert [(r["party"], r["name"], r["score"], r["rank"]) for r in body["results"]] == [
        ("alfa", "Alfa Partij", 66.7, 1),
        ("beta", "Beta Beweging", 66.7, 1),
        ("gamma", "Gamma Groep", 0.0, 3),
    ]


def test_absent_statement_counts_as_skipped_and_important_skip_has_no_effect(client, published):
    base = client.post(MATCH, json={"answers": {"bezuiniging": "agree"}}).get_json()
    same = client.post(MATCH, json={"answers": {"bezuiniging": "agree", "muziekles": "skip"},
                                    "important": ["muziekles"]}).get_json()
    assert base == same
    assert base["answered"] == 1
    assert [(r["party"], r["score"]) for r in base["results"]] == [("beta", 100.0), ("gamma", 100.0), ("alfa", 0.0)]


def test_parties_limits_the_comparison(client, published):
    body = client.post(MATCH, json={"answers": {"muziekles": "neutral"}, "parties": ["gamma", "beta"]}).get_json()
    assert [(r["party"], r["score"], r["rank"]) for r in body["results"]] == [("beta", 100.0, 1), ("gamma", 50.0, 2)]


@pytest.mark.parametrize("payload, field", [
    ({"answers": {"nope": "agree"}}, "answers.nope"),
    ({"answers": {"muziekles": "yes"}}, "answers.muziekles"),
    ({"answers": {"muziekles": 1}}, "answers.muziekles"),
    ({"answers": {"muziekles": "skip"}}, "answers"),
    ({"answers": {}}, "answers"),
    ({"answers": ["agree"]}, "answers"),
    ({}, "answers"),
    ({"answers": {"muziekles": "agree"}, "important": ["nope"]}, "important"),
    ({"answers": {"muziekles": "agree"}, "important": "muziekles"}, "important"),
    ({"answers": {"muziekles": "agree"}, "parties": ["nope"]}, "parties"),
    ({"answers": {"muziekles": "agree"}, "parties": [1]}, "parties"),
    ({"answers": {"muziekles": "agree"}, "parties": []}, "parties"),
    ({"answers": {"muziekles": "agree"}, "extra": True}, "extra"),
])
def test_bad_input_is_422_naming_the_field(client, published, payload, field):
    response = client.post(MATCH, json=payload)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert field in error["fields"], error
    assert error["message"]


@pytest.mark.parametrize("raw", [b"[1, 2]", b"\"text\"", b"not json", b"", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000])
def test_a_body_that_is_not_a_json_object_is_422(client, published, raw):
    response = client.post(MATCH, data=raw, content_type="application/json", headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"body": "must be a JSON object"}
    dutch = client.post(MATCH, data=raw, content_type="application/json")
    assert dutch.get_json()["error"]["fields"] == {"body": "moet een JSON-object zijn"}


def test_openapi_document_describes_every_endpoint(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/editions", "/editions/{edition_id}", "/editions/{edition_id}/match", "/debates",
                                 "/debates/{debate_id}/registrations"}
    match = doc["paths"]["/editions/{edition_id}/match"]["post"]
    assert set(match["responses"]) == {"200", "404", "415", "422"}
    assert doc["components"]["schemas"]["MatchRequest"]["properties"]["answers"]["additionalProperties"]["enum"] == [
        "agree", "neutral", "disagree", "skip"]


def test_the_api_never_sets_cookies(client, published):
    response = client.post(MATCH, json={"answers": {"muziekles": "agree"}})
    assert "Set-Cookie" not in response.headers


def test_match_takes_json_bodies_only(client, editions):
    editions.create()
    response = client.post(MATCH, data={"answers": '{"muziekles": "agree"}'})  # an HTML form's encoding
    assert response.status_code == 415
    assert "Content-Type" in response.get_json()["error"]["fields"]
    text = client.post(MATCH, data='{"answers": {"muziekles": "agree"}}', content_type="text/plain")
    assert text.status_code == 415

"""OpenAPI 3.1 description of the Cultuurwijzer JSON API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from campaign import __version__

ANSWER = {"type": "string", "enum": ["agree", "neutral", "disagree", "skip"]}
POSITION = {"type": ["string", "null"], "enum": ["agree", "neutral", "disagree", None]}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["message", "fields"],
        "properties": {
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "Per offending field (e.g. `answers.<statement id>`, `parties`): what is wrong."},
        },
    }},
}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def openapi_document(server_url: str) -> dict:
    edition_id = {"name": "edition_id", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "Stable edition id from the data files, e.g. `gr2026-gm0344`."}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cultuurwijzer API",
            "version": __version__,
            "description": "Published Cultuurwijzer editions and the matching method described at "
                           "/cultuurwijzer/methode. Nothing sent to /match is stored.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/editions": {"get": {
                "operationId": "listEditions",
                "summary": "Published editions",
                "responses": {"200": {"description": "Published editions", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["editions"], "properties": {
                        "editions": {"type": "array", "items": {"$ref": "#/components/schemas/EditionSummary"}}}}}}}},
            }},
            "/editions/{edition_id}": {"get": {
                "operationId": "getEdition",
                "summary": "One published edition with statements and every party's positions",
                "parameters": [edition_id],
                "responses": {
                    "200": {"description": "The edition", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Edition"}}}},
                    "404": _error_response("No published edition with this id"),
                },
            }},
            "/editions/{edition_id}/match": {"post": {
                "operationId": "match",
                "summary": "Score answers against the parties (same method and numbers as the result page)",
                "parameters": [edition_id],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/MatchRequest"}}}},
                "responses": {
                    "200": {"description": "Ranked parties", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/MatchResponse"}}}},
                    "404": _error_response("No published edition with this id"),
                    "415": _error_response("The body was not sent as application/json"),
                    "422": _error_response("Invalid input; `fields` names each problem"),
                },
            }},
        },
        "components": {"schemas": {
            "Error": ERROR,
            "EditionSummary": {"type": "object",
                               "required": ["id", "municipality_code", "municipality", "election", "election_date"],
                               "properties": {
                                   "id": {"type": "string"},
                                   "municipality_code": {"type": "string", "pattern": "^GM[0-9]{4}$"},
                                   "municipality": {"type": "string"},
                                   "election": {"type": "string"},
                                   "election_date": {"type": "string", "format": "date"},
                                   "demo": {"type": "boolean", "description": "true: fictional demo data"},
                               }},
            "Edition": {"type": "object",
                        "required": ["id", "municipality_code", "municipality", "election", "statements", "parties"],
                        "properties": {
                            "id": {"type": "string"},
                            "municipality_code": {"type": "string"},
                            "municipality": {"type": "string"},
                            "election": {"type": "string"},
                            "election_date": {"type": "string", "format": "date"},
                            "demo": {"type": "boolean"},
                            "notice": {"type": "string"},
                            "statements": {"type": "array", "items": {
                                "type": "object", "required": ["id", "theme", "title", "text"],
                                "properties": {k: {"type": "string"} for k in
                                               ("id", "theme", "title", "text", "background")}}},
                            "parties": {"type": "array", "items": {
                                "type": "object", "required": ["id", "name", "positions"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "list_number": {"type": ["integer", "null"]},
                                    "positions": {"type": "object", "additionalProperties": {
                                        "type": "object", "required": ["position", "explanation"],
                                        "properties": {"position": POSITION, "explanation": {"type": "string"}}}},
                                }}},
                        }},
            "MatchRequest": {"type": "object", "required": ["answers"], "additionalProperties": False,
                             "properties": {
                                 "answers": {"type": "object", "additionalProperties": ANSWER,
                                             "description": "Statement id -> answer; absent statements are skipped."},
                                 "important": {"type": "array", "items": {"type": "string"},
                                               "description": "Statement ids that count double."},
                                 "parties": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                             "description": "Party ids to compare; all when absent."},
                             }},
            "MatchResponse": {"type": "object", "required": ["answered", "results"], "properties": {
                "answered": {"type": "integer"},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["party", "name", "score", "rank"],
                    "properties": {
                        "party": {"type": "string"},
                        "name": {"type": "string"},
                        "score": {"type": "number", "description": "0-100, one decimal"},
                        "rank": {"type": "integer", "description": "Equal scores share a rank (1, 1, 3)"},
                        "points": {"type": "number"},
                        "maximum": {"type": "number"},
                        "missing_positions": {"type": "integer"},
                    }}},
            }},
        }},
    }

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
                           "/cultuurwijzer/methode. Nothing sent to /match is stored. Published debates, and "
                           "registration for them.",
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
            "/debates": {"get": {
                "operationId": "listDebates",
                "summary": "Published debates with their seats",
                "responses": {"200": {"description": "Published debates, soonest first", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["debates"], "properties": {
                        "debates": {"type": "array", "items": {"$ref": "#/components/schemas/DebateSummary"}}}}}}}},
            }},
            "/debates/{debate_id}/registrations": {"post": {
                "operationId": "registerForDebate",
                "summary": "Register for a debate: a seat when all seats asked for are free and nobody waits, "
                           "else a place on the waitlist (in order of registration). The registrant is mailed, "
                           "with a personal link to cancel. Rate limited per client.",
                "parameters": [{"name": "debate_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/RegistrationRequest"}}}},
                "responses": {
                    "201": {"description": "Registered", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/RegistrationResponse"}}}},
                    "404": _error_response("No published debate with this id"),
                    "409": _error_response("Registration is closed (cancelled, started, or closed by the organiser)"),
                    "422": _error_response("Invalid input, or the address is already registered; `fields` names "
                                           "each problem (`name`, `email`, `seats`, `body`)"),
                    "429": _error_response("Too many registrations from this client; try again later"),
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
            "DebateSummary": {"type": "object",
                              "required": ["id", "title", "municipality_code", "starts_at", "capacity", "confirmed",
                                           "waitlisted", "registration_open"],
                              "properties": {
                                  "id": {"type": "integer"},
                                  "title": {"type": "string"},
                                  "municipality_code": {"type": "string", "pattern": "^GM[0-9]{4}$"},
                                  "starts_at": {"type": "string", "format": "date-time",
                                                "description": "Dutch time with its offset"},
                                  "capacity": {"type": "integer", "description": "Seats for registration"},
                                  "confirmed": {"type": "integer", "description": "Seats taken"},
                                  "waitlisted": {"type": "integer", "description": "Seats asked for on the waitlist"},
                                  "registration_open": {"type": "boolean"},
                              }},
            "RegistrationRequest": {"type": "object", "required": ["name", "email"], "additionalProperties": False,
                                    "properties": {
                                        "name": {"type": "string", "maxLength": 120},
                                        "email": {"type": "string", "format": "email", "maxLength": 254},
                                        "seats": {"type": "integer", "minimum": 1, "default": 1,
                                                  "description": "At most the debate's limit per registration"},
                                    }},
            "RegistrationResponse": {"type": "object", "required": ["status", "id", "seats", "debate_id"],
                                     "properties": {
                                         "status": {"type": "string", "enum": ["confirmed", "waitlisted"]},
                                         "id": {"type": "integer"},
                                         "seats": {"type": "integer"},
                                         "debate_id": {"type": "integer"},
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

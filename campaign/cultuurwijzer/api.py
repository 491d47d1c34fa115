"""JSON API v1 of the Cultuurwijzer, described by the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.core.api import error, problems_response
from campaign.core.errors import Problem, ValidationFailed
from campaign.cultuurwijzer import advice as service
from campaign.cultuurwijzer.openapi import openapi_document

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api_v1.editions", _external=True).rsplit("/editions", 1)[0]))


@bp.get("/editions")
def editions():
    return jsonify(editions=[
        {"id": e["id"], "municipality_code": e["municipality_code"], "municipality": e["municipality"],
         "election": e["election_slug"], "election_date": e["election_date"].isoformat(), "demo": e["demo"]}
        for e in service.published_editions()
    ])


def _published_or_404(edition_id: str):
    edition = service.published_edition(edition_id=edition_id)
    if edition is None:
        return None, error(404, _("no published edition %(id)r", id=edition_id))
    return edition, None


@bp.get("/editions/<edition_id>")
def edition_detail(edition_id: str):
    edition, failure = _published_or_404(edition_id)
    if failure:
        return failure
    parties = []
    for i, party in enumerate(edition.parties):
        positions = {}
        for j, s in enumerate(edition.statements):
            positions[s.key] = {"position": edition.position(i, j), "explanation": edition.explanations[i][j]}
        parties.append({"id": party.key, "name": party.name, "list_number": party.list_number,
                        "positions": positions})
    return jsonify(
        id=edition.id,
        municipality_code=edition.municipality_code,
        municipality=edition.municipality,
        election=edition.election_slug,
        election_date=edition.election_date.isoformat(),
        demo=edition.demo,
        notice=edition.notice,
        statements=[{"id": s.key, "theme": s.theme, "title": s.title, "text": s.text, "background": s.background}
                    for s in edition.statements],
        parties=parties,
    )


def _read_match_body():
    """The body as a dict with the right types, or ValidationFailed naming each wrong field."""
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ValidationFailed([Problem("body", str(_l("must be a JSON object")))])
    if not isinstance(body, dict):
        raise ValidationFailed([Problem("body", str(_l("must be a JSON object")))])
    problems = []
    unknown = sorted(set(body) - {"answers", "important", "parties"})
    for key in unknown:
        problems.append(Problem(key, str(_l("unknown field"))))
    answers = body.get("answers")
    if not isinstance(answers, dict):
        problems.append(Problem("answers", str(_l("must be an object mapping statement ids to answers"))))
        answers = {}
    important = body.get("important", [])
    if not isinstance(important, list) or not all(isinstance(k, str) for k in important):
        problems.append(Problem("important", str(_l("must be a list of statement ids"))))
        important = []
    parties = body.get("parties")
    if parties is not None and (not isinstance(parties, list) or not all(isinstance(k, str) for k in parties)):
        problems.append(Problem("parties", str(_l("must be a list of party ids"))))
        parties = None
    if parties == []:
        problems.append(Problem("parties", str(_l("must name at least one party, or be left out for all"))))
    for key, value in answers.items():
        if not isinstance(value, str):
            problems.append(Problem(f"answers.{key}", str(_l("must be agree, neutral, disagree or skip"))))
    if problems:
        raise ValidationFailed(problems)
    return answers, important, parties


@bp.post("/editions/<edition_id>/match")
def match(edition_id: str):
    edition, failure = _published_or_404(edition_id)
    if failure:
        return failure
    if request.mimetype != "application/json":
        # JSON only: a cross-site HTML form cannot send this type without the browser asking us first (CORS).
        return error(415, _("Send the body as JSON with Content-Type: application/json."),
                     {"Content-Type": _("must be application/json")})
    try:
        answers, important, parties = _read_match_body()
        checked = service.check_answers(edition, answers, important, parties)
    except ValidationFailed as exc:
        return problems_response(exc)
    result = service.compute_advice(edition, checked)
    return jsonify(
        answered=result.answered,
        results=[{"party": r.party.key, "name": r.party.name, "score": round(r.score, 1), "rank": r.rank,
                  "points": r.points, "maximum": r.maximum, "missing_positions": r.missing}
                 for r in result.results],
    )

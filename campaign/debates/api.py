"""JSON API of the debates (described in the OpenAPI document at /api/v1/openapi.json).

- ``GET /api/v1/debates``: the published debates with their seats (one query for the counts).
- ``POST /api/v1/debates/<id>/registrations``: register, exactly as the form does (same rules, same mails,
  same rate limit). JSON only: a cross-site HTML form cannot send that type without the browser asking us
  first, so the API needs no CSRF token and sets no cookie.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.core.api import error, problems_response
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.i18n import current_language
from campaign.debates import registration as domain
from campaign.debates.agenda import local_iso
from campaign.debates.blueprints import debates_api as bp
from campaign.debates.common import is_public
from campaign.debates.models import Debate
from campaign.debates.registration_views import registration_limit
from campaign.extensions import db, limiter

FIELDS = ("name", "email", "seats")


@bp.get("/debates")
def debates():
    found = list(db.session.scalars(select(Debate).where(Debate.status == "published")
                                    .options(joinedload(Debate.municipality)).order_by(Debate.starts_at, Debate.id)))
    seats = domain.counts(d.id for d in found)
    return jsonify(debates=[{
        "id": d.id,
        "title": d.title,
        "municipality_code": d.municipality.code,
        "starts_at": local_iso(d.starts_at),
        "capacity": d.capacity,
        "confirmed": seats[d.id].confirmed_seats,
        "waitlisted": seats[d.id].waitlisted_seats,
        "registration_open": domain.is_open(d),
    } for d in found])


def _read_body() -> dict:
    """The body as a dict with the right types, or ValidationFailed naming each wrong field. The rules of the
    values themselves (length, address, seat limit) are the domain's."""
    try:
        body = request.get_json(silent=True) if request.mimetype == "application/json" else None
    except RecursionError:  # nested too deep for the parser ("silent" covers only what it calls invalid)
        body = None
    if not isinstance(body, dict):
        raise ValidationFailed([Problem("body", str(_l(
            "must be a JSON object, sent with Content-Type: application/json")))])
    problems = [Problem(key, str(_l("unknown field"))) for key in sorted(set(body) - set(FIELDS))]
    for key in ("name", "email"):
        if key not in body:
            problems.append(Problem(key, str(_l("is required"))))
        elif not isinstance(body[key], str):
            problems.append(Problem(key, str(_l("must be a string"))))
    seats = body.get("seats", 1)
    if isinstance(seats, bool) or not isinstance(seats, int):
        problems.append(Problem("seats", str(_l("must be a whole number"))))
    if problems:
        raise ValidationFailed(problems)
    return {"name": body["name"], "email": body["email"], "seats": seats}


@bp.post("/debates/<int:debate_id>/registrations")
@limiter.limit(registration_limit)
def register(debate_id: int):
    debate = db.session.get(Debate, debate_id)
    if not is_public(debate):
        return error(404, _("no published debate %(id)d", id=debate_id))
    try:
        registration = domain.register(debate, language=current_language(), **_read_body())
    except domain.RegistrationClosed as closed:
        db.session.rollback()
        return error(409, closed.message)
    except ValidationFailed as exc:
        db.session.rollback()
        # The domain names a field by its label for people ("Email address"); the API by its key ("email").
        return problems_response(ValidationFailed([Problem(p.field or p.location, p.message) for p in exc.problems]))
    db.session.commit()
    return jsonify(status=registration.status, id=registration.id, seats=registration.seats,
                   debate_id=debate.id), 201

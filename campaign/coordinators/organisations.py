"""Member organisations and partners, kept by the campaign team.

Members feed the coverage overview ("municipalities with members"), the organisation choice on the
application form and the order of the question inbox (members first).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.models import MUNICIPALITY_CODE, ORGANISATION_KINDS, Municipality, Organisation
from campaign.extensions import db

KIND_LABELS = {
    "music_school": _l("music school"),
    "arts_centre": _l("arts centre"),
    "folk_university": _l("folk university"),
    "support_organisation": _l("provincial support organisation"),
    "partner": _l("partner (library, theatre, pop venue, museum…)"),
}
assert set(KIND_LABELS) == set(ORGANISATION_KINDS)

MAX_NAME = 200


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def organisations(*, member: bool | None = None) -> list[Organisation]:
    query = select(Organisation).options(selectinload(Organisation.municipality)).order_by(Organisation.name,
                                                                                          Organisation.id)
    if member is not None:
        query = query.where(Organisation.member.is_(member))
    return list(db.session.scalars(query))


def _state(organisation: Organisation) -> dict:
    # The organisation's address may be a person's: the log says only whether there is one.
    return {"name": organisation.name, "kind": organisation.kind, "member": organisation.member,
            "municipality": organisation.municipality.code if organisation.municipality else None,
            "email": bool(organisation.email)}


def _checked(name: str, kind: str, municipality_code: str, email: str) -> tuple[str, Municipality | None, str]:
    name = (name or "").strip()
    problems = text_problems(name, _l("Name"), "name", limit=MAX_NAME, missing=_l("Enter the organisation's name."))
    if kind not in ORGANISATION_KINDS:
        problems.append(Problem(str(_l("Kind")), str(_l("Choose one of the kinds offered.")), "kind"))
    municipality = None
    code = (municipality_code or "").strip().upper()
    if code:
        if MUNICIPALITY_CODE.match(code):
            municipality = db.session.scalar(select(Municipality).where(Municipality.code == code))
        if municipality is None:
            problems.append(Problem(str(_l("Municipality")), str(_l(
                "%(code)s is not a known municipality code (CBS code, such as GM0344).", code=code)), "municipality"))
    email = (email or "").strip()
    problems += email_problems(email, _l("Email address"), "email")
    if problems:
        raise ValidationFailed(problems)
    return name, municipality, email


def create_organisation(actor: Actor, *, name: str, kind: str, member: bool, municipality_code: str = "",
                        email: str = "") -> Organisation:
    name, municipality, email = _checked(name, kind, municipality_code, email)
    organisation = Organisation(name=name, kind=kind, member=member, municipality=municipality, email=email or None)
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.create", "organisation", organisation.id, after=_state(organisation))
    return organisation


def update_organisation(actor: Actor, organisation: Organisation, *, name: str, kind: str, member: bool,
                        municipality_code: str = "", email: str = "") -> Organisation:
    name, municipality, email = _checked(name, kind, municipality_code, email)
    before = _state(organisation)
    organisation.name, organisation.kind, organisation.member = name, kind, member
    organisation.municipality, organisation.email = municipality, email or None
    record(actor, "organisation.update", "organisation", organisation.id, before=before, after=_state(organisation))
    return organisation

"""Recruitment: the public side of the pipeline. Volunteers apply; their email address is verified (double
opt-in) before the application reaches the campaign team.

- ``submit_application`` checks the form's content, stores the application with its consent (version and
  moment) and mails a single-use verification link. Only the SHA-256 of the link's token is stored; it
  expires after VERIFICATION_MAX_AGE_HOURS.
- The form never reveals whether an address is known: an unverified application with the same address is
  updated in place (with a new link), and a person who already has an open application gets a mail saying
  so instead of a second row. The visitor sees the same page in every case.
- ``verify`` is the email link's effect: applied → verified, by the person themself.
- ``municipalities_by_province`` is the overview of where we still look for a coordinator.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.core.accounts import normalise_email
from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.mail import queue_template
from campaign.core.models import Municipality, Organisation
from campaign.core.security import new_token, token_hash
from campaign.coordinators import pipeline
from campaign.coordinators.assignment import active_assignments
from campaign.coordinators.models import Application, Assignment
from campaign.extensions import db

# Limits of the application form (the form and these checks use the same numbers).
MAX_NAME = 120
MAX_PHONE = 40
MAX_MOTIVATION = 2000
MAX_AVAILABILITY = 1000
MAX_EXPERIENCE = 2000
MAX_TOKEN = 100

PHONE = re.compile(r"^[0-9+()\-./ ]{6,}$")

PUBLIC_ACTOR = Actor.system("applicant (public form)")
LINK_ACTOR = Actor.system("applicant (email link)")

FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("Email address"),
    "phone": _l("Phone number"),
    "municipalities": _l("Municipalities"),
    "organisation": _l("Organisation"),
    "motivation": _l("Motivation"),
    "availability": _l("Availability"),
    "experience": _l("Experience"),
    "consent": _l("Consent"),
}


def _problem(field: str, message) -> Problem:
    return Problem(str(FIELD_LABELS[field]), str(message), field)


# --- the overview ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    code: str
    name: str
    province: str
    coordinators: int  # active coordinators working there

    @property
    def looking(self) -> bool:
        return self.coordinators == 0


def municipalities_by_province() -> list[tuple[str, list[Place]]]:
    """Every municipality, by province, with its number of active coordinators (one query)."""
    active = (active_assignments(Assignment.municipality_id, func.count(Assignment.id).label("n"))
              .group_by(Assignment.municipality_id).subquery())
    rows = db.session.execute(
        select(Municipality.code, Municipality.name, Municipality.province, func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.municipality_id == Municipality.id)
        .order_by(Municipality.province, Municipality.name))
    places = [Place(code, name, province, int(count)) for code, name, province, count in rows]
    return [(province, list(group)) for province, group in itertools.groupby(places, key=lambda p: p.province)]


def active_coordinator_count(municipality: Municipality) -> int:
    return db.session.scalar(active_assignments(func.count(Assignment.id))
                             .where(Assignment.municipality_id == municipality.id)) or 0


def province_municipalities(province: str) -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).where(Municipality.province == province)
                                   .order_by(Municipality.name)))


# --- applying --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    """What a sent form led to. The visitor is never told; tests and logs may be."""

    outcome: str  # "created", "updated" (an unverified application sent again) or "already_applied"
    application: Application


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check(*, name: str, email: str, phone: str, municipality_codes: list[str], organisation_id: int | None,
           motivation: str, availability: str, experience: str, consent: bool):
    """All problems with the form's content at once; returns the municipalities and organisation."""
    problems = text_problems(name, FIELD_LABELS["name"], "name", limit=MAX_NAME, missing=_l("Enter your name."))
    problems += email_problems(email, FIELD_LABELS["email"], "email", missing=_l("Enter your email address."))
    if phone and (len(phone) > MAX_PHONE or not PHONE.match(phone)):
        problems.append(_problem("phone", _l("Enter a phone number with digits only (spaces, + and - allowed), "
                                             "or leave it empty.")))
    codes = sorted({c.strip().upper() for c in municipality_codes if c and c.strip()})
    places: list[Municipality] = []
    if not codes:
        problems.append(_problem("municipalities", _l("Choose at least one municipality.")))
    else:
        places = list(db.session.scalars(select(Municipality).where(Municipality.code.in_(codes))
                                         .order_by(Municipality.name)))
        unknown = sorted(set(codes) - {m.code for m in places})
        if unknown:
            problems.append(_problem("municipalities", _l("Unknown municipality: %(codes)s.",
                                                          codes=", ".join(unknown))))
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or not organisation.member:
            problems.append(_problem("organisation", _l("Choose one of the member organisations, or none.")))
    for field, text, limit, missing in (
            ("motivation", motivation, MAX_MOTIVATION, _l("Tell us briefly why you would like to do this.")),
            ("availability", availability, MAX_AVAILABILITY, _l("Tell us roughly how much time you have.")),
            ("experience", experience, MAX_EXPERIENCE, None)):
        problems += text_problems(text, FIELD_LABELS[field], field, limit=limit, missing=missing)
    if not consent:
        problems.append(_problem("consent", _l("We can only handle your application with your consent.")))
    if problems:
        raise ValidationFailed(problems)
    return places, organisation


def _open_application(email: str) -> Application | None:
    """The application this address already has in the pipeline (verified or further, not closed or
    anonymised) or, failing that, its newest unverified one."""
    found = list(db.session.scalars(
        select(Application).where(func.lower(Application.email) == email,
                                  Application.anonymised_at.is_(None),
                                  Application.status.not_in(pipeline.CLOSED_STATUSES))
        .order_by(Application.created_at.desc(), Application.id.desc())))
    return next((a for a in found if a.status != "applied"), found[0] if found else None)


def _state(application: Application) -> dict:
    """What the audit log keeps of an application: ids, codes and statuses, no personal data."""
    return {
        "status": application.status,
        "municipalities": [m.code for m in application.municipalities],
        "organisation_id": application.organisation_id,
        "language": application.language,
        "consent_version": application.consent_version,
    }


def submit_application(*, name: str, email: str, phone: str | None, municipality_codes: list[str],
                       organisation_id: int | None, motivation: str, availability: str, experience: str,
                       consent: bool, language: str, now: dt.datetime) -> Submission:
    """Store an application from the public form and mail the verification link (or, for a person who has
    applied already, a note saying so). Raises ValidationFailed, naming the fields, before writing anything."""
    name, phone = _clean(name), _clean(phone)
    email = normalise_email(email)
    motivation, availability, experience = _clean(motivation), _clean(availability), _clean(experience)
    places, organisation = _check(name=name, email=email, phone=phone, municipality_codes=municipality_codes,
                                  organisation_id=organisation_id, motivation=motivation,
                                  availability=availability, experience=experience, consent=consent)
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]

    existing = _open_application(email)
    if existing is not None and existing.status != "applied":
        # Verified and in the pipeline (or coordinator already): no second row, and the visitor sees the
        # same page as anyone else; only the owner of the address learns that they applied before.
        with force_locale(existing.language):
            queue_template(existing.email, "coordinator_already_applied", application=existing,
                           municipalities=[m.name for m in existing.municipalities],
                           status=pipeline.status_label(existing.status))
        return Submission("already_applied", existing)

    if existing is not None:
        application, before = existing, _state(existing)
    else:
        application, before = Application(status="applied", created_at=now, status_changed_at=now), None
    application.name = name
    application.email = email
    application.phone = phone or None
    application.organisation = organisation
    application.motivation = motivation
    application.availability = availability
    application.experience = experience
    application.language = language
    application.consent_version = current_app.config["COORDINATOR_CONSENT_VERSION"]
    application.consent_at = now
    application.municipalities = places
    token = new_token()
    hours = current_app.config["VERIFICATION_MAX_AGE_HOURS"]
    application.verification_hash = token_hash(token)
    application.verification_expires_at = now + dt.timedelta(hours=hours)
    db.session.add(application)  # (nothing to add when it was there already)
    db.session.flush()
    record(PUBLIC_ACTOR, "application.create" if before is None else "application.resubmit", "application",
           application.id, before=before, after=_state(application), only_changes=False)
    with force_locale(language):
        queue_template(email, "coordinator_verify", application=application, hours=hours,
                       municipalities=[m.name for m in places],
                       link=url_for("coordinators.verify", token=token, _external=True))
    return Submission("updated" if before is not None else "created", application)


# --- verifying -------------------------------------------------------------------------------------------

class LinkExpired(Exception):
    """A verification link that was valid but is too old; carries the application for a way back."""

    def __init__(self, application: Application):
        super().__init__("verification link expired")
        self.application = application


def application_for_token(token: str, now: dt.datetime, *, for_update: bool = False) -> Application | None:
    """The unverified application a link belongs to; None for an unknown or used link; raises LinkExpired.

    ``for_update`` locks the row (PostgreSQL), so that a double click verifies once: the second request
    waits, then finds the link used."""
    if not token or len(token) > MAX_TOKEN:
        return None
    query = select(Application).where(Application.verification_hash == token_hash(token),
                                      Application.status == "applied", Application.anonymised_at.is_(None))
    application = db.session.scalar(query.with_for_update() if for_update else query)
    if application is None:
        return None
    if application.verification_expires_at is None or application.verification_expires_at <= now:
        raise LinkExpired(application)
    return application


def verify(application: Application, now: dt.datetime) -> None:
    """The person confirmed their address: the application enters the pipeline and they get a mail."""
    pipeline.set_status(LINK_ACTOR, application, "verified", by_staff=False)
    application.verified_at = now
    application.verification_hash = None
    application.verification_expires_at = None
    record(LINK_ACTOR, "application.verify", "application", application.id, after={"verified": True},
           only_changes=False)
    pipeline.send_notification(LINK_ACTOR, application)

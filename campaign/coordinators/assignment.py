"""Assignment: which coordinators work for which municipality, and who of them is lead.

One or more coordinators per municipality, at most one lead (a partial unique index backs this up). The
coordinator's account is scoped to exactly the municipalities they are assigned to, so the workspace and
the back office show them nothing else.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.models import Municipality
from campaign.coordinators.models import Application, Assignment
from campaign.extensions import db

ASSIGNABLE_STATUSES = ("accepted", "in_training", "active")


def active_assignments(*columns) -> Select:
    """``columns`` of the assignments of active coordinators: who counts where the public overview, the
    application form and the coverage overview say that a municipality has a coordinator."""
    return (select(*columns).select_from(Assignment)
            .join(Application, Application.id == Assignment.application_id)
            .where(Application.status == "active"))


def current_lead(municipality: Municipality) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(Assignment.municipality_id == municipality.id,
                                                      Assignment.is_lead))


def _sync_account(application: Application) -> None:
    if application.user is not None and application.user.role == "coordinator":
        application.user.municipalities = sorted({a.municipality for a in application.assignments},
                                                 key=lambda m: m.name)


def _state(assignment: Assignment) -> dict:
    return {"municipality": assignment.municipality.code, "lead": assignment.is_lead}


def assign(actor: Actor, application: Application, municipality: Municipality, *,
           lead: bool | None = False) -> Assignment:
    """Assign (or re-mark) a coordinator; ``lead=None`` makes them lead only where there is none yet."""
    if application.status not in ASSIGNABLE_STATUSES:
        raise ValidationFailed([Problem(str(_l("Municipality")), str(_l(
            "Only accepted coordinators can be assigned to a municipality.")), "municipality")])
    assignment = next((a for a in application.assignments if a.municipality_id == municipality.id), None)
    if assignment is None:
        assignment = Assignment(municipality=municipality)
        application.assignments.append(assignment)
    if lead is None:
        lead = assignment.is_lead or current_lead(municipality) is None
    if lead:
        _take_lead(actor, assignment, municipality)
    else:
        assignment.is_lead = False
    db.session.flush()
    _sync_account(application)
    record(actor, "application.assign", "application", application.id, after=_state(assignment),
           only_changes=False)
    return assignment


def _take_lead(actor: Actor, assignment: Assignment, municipality: Municipality) -> None:
    previous = current_lead(municipality)
    if previous is not None and previous is not assignment:
        previous.is_lead = False
        db.session.flush()  # the index allows one lead: step down before the new lead steps up
        record(actor, "application.assign", "application", previous.application_id, after=_state(previous),
               only_changes=False)
    assignment.is_lead = True


def unassign(actor: Actor, application: Application, municipality: Municipality) -> None:
    assignment = next((a for a in application.assignments if a.municipality_id == municipality.id), None)
    if assignment is None:
        return
    application.assignments.remove(assignment)
    db.session.flush()
    _sync_account(application)
    record(actor, "application.unassign", "application", application.id,
           before={"municipality": municipality.code, "lead": assignment.is_lead}, only_changes=False)


def end_assignments(actor: Actor, application: Application) -> None:
    for assignment in list(application.assignments):
        unassign(actor, application, assignment.municipality)

"""The coordinator's own training: modules and materials, progress, sessions to enrol in, own enrolments.

Everything here acts on the signed-in person's own coordinator record (``application_of(current_user)``):
enrolling and cancelling name a session, never an enrolment, so nobody can touch someone else's seat.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.core.access import current_actor, staff_required
from campaign.core.errors import ValidationFailed
from campaign.core.models import utcnow
from campaign.coordinators import training as domain
from campaign.coordinators.blueprints import workspace
from campaign.coordinators.calendar import session_calendar
from campaign.coordinators.common import application_of
from campaign.coordinators.models import Enrolment, TrainingSession
from campaign.extensions import db

PAGE = "coordinators/workspace/training.html"
# "Tuesday, February 10, 2026, 7:30 PM – 9:30 PM" in templates (the reader's language, Dutch time).
workspace.add_app_template_global(domain.session_when, "training_when")


def _page_context(application) -> dict:
    modules = domain.modules()
    sessions = {m.id: domain.upcoming_sessions(m, include_cancelled=False) for m in modules}
    counts = domain.seat_counts(s.id for items in sessions.values() for s in items)
    mine = {e.session_id: e for e in domain.enrolments_of(application)} if application is not None else {}
    return {
        "application": application, "modules": modules, "sessions": sessions, "counts": counts,
        "progress": domain.progress(application) if application is not None else None,
        "materials": {m.id: domain.parse_materials(m.materials) for m in modules},
        "mine": mine, "may_enrol": application is not None and application.status in domain.MAY_ENROL,
        "enrolments": [e for e in mine.values() if e.status != "cancelled" and e.session.ends_at > utcnow()],
        "position": domain.waitlist_position, "mode_label": domain.mode_label, "is_open": domain.is_open,
    }


@workspace.get("/training")
@staff_required
def training():
    return render_template(PAGE, **_page_context(application_of(current_user)))


def _own_enrolment(application, session: TrainingSession) -> Enrolment | None:
    if application is None:
        return None
    return db.session.scalar(select(Enrolment).where(Enrolment.session_id == session.id,
                                                     Enrolment.application_id == application.id))


def _back():
    return redirect(url_for("workspace.training") + "#my-enrolments")


def _refused(exc: ValidationFailed):
    db.session.rollback()
    application = application_of(current_user)
    return render_template(PAGE, problems=[p.message for p in exc.problems], **_page_context(application)), 422


@workspace.post("/training/sessie/<int:session_id>/inschrijven", endpoint="enrol")
@staff_required
def enrol(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    application = application_of(current_user)
    if application is None:
        flash(_("Only coordinators can enrol in training sessions; your account has no coordinator record."))
        return redirect(url_for("workspace.training"))
    try:
        enrolment = domain.enrol(current_actor(), session, application)
    except ValidationFailed as exc:
        return _refused(exc)
    db.session.commit()
    if enrolment.status == "enrolled":
        flash(_("You are enrolled in %(module)s on %(when)s. A confirmation with a calendar file is on its way.",
                module=session.module.title, when=format_datetime(session.starts_at, "short")))
    else:
        flash(_("The session is full: you are number %(n)d on the waitlist. If a seat comes free, it is yours "
                "and we will mail you.", n=domain.waitlist_position(enrolment)))
    return _back()


@workspace.post("/training/sessie/<int:session_id>/afmelden", endpoint="cancel_enrolment")
@staff_required
def cancel_enrolment(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    enrolment = _own_enrolment(application_of(current_user), session)
    if enrolment is None or enrolment.status == "cancelled":
        abort(404)
    try:
        domain.cancel_enrolment(current_actor(), enrolment)
    except ValidationFailed as exc:
        return _refused(exc)
    db.session.commit()
    flash(_("You are no longer enrolled in %(module)s on %(when)s.", module=session.module.title,
            when=format_datetime(session.starts_at, "short")))
    return _back()


@workspace.get("/training/sessie/<int:session_id>/agenda.ics", endpoint="session_ics")
@staff_required
def session_ics(session_id: int):
    """The session for one's own calendar: only for a seat one holds."""
    session = db.get_or_404(TrainingSession, session_id)
    enrolment = _own_enrolment(application_of(current_user), session)
    if enrolment is None or enrolment.status != "enrolled":
        abort(404)
    body = session_calendar(session, url=url_for("workspace.training", _external=True))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="training-{session.id}.ics"'})

"""The coordinator's own training: modules and materials, progress, sessions to enrol in, own enrolments.

Everything here acts on the signed-in person's own coordinator record (``application_of(current_user)``):
enrolling and cancelling name a session, never an enrolment, so nobody can touch someone else's seat.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from campaign.core.access import current_actor, staff_required
from campaign.core.forms import run_change
from campaign.core.models import utcnow
from campaign.coordinators import training as domain
from campaign.coordinators.blueprints import workspace
from campaign.coordinators.calendar import session_calendar
from campaign.coordinators.common import application_of
from campaign.coordinators.models import TrainingSession
from campaign.extensions import db

PAGE = "coordinators/workspace/training.html"


def _page_context(application) -> dict:
    modules = domain.modules()
    schedule = domain.schedule(modules, include_cancelled=False)
    mine = {e.session_id: e for e in domain.enrolments_of(application)} if application is not None else {}
    positions = domain.waitlist_positions(mine.values())
    return {
        "application": application, "modules": modules, "sessions": schedule.sessions, "counts": schedule.counts,
        "progress": domain.progress(application) if application is not None else None,
        "materials": {m.id: domain.parse_materials(m.materials) for m in modules},
        "mine": mine, "may_enrol": application is not None and domain.may_train(application),
        "enrolments": [e for e in mine.values() if e.status != "cancelled" and e.session.ends_at > utcnow()],
        "position": lambda e: positions.get(e.id), "mode_label": domain.mode_label, "is_open": domain.is_open,
    }


@workspace.get("/training")
@staff_required
def training():
    return render_template(PAGE, **_page_context(application_of(current_user)))


def _own_enrolment(session: TrainingSession):
    """The signed-in person's enrolment in the session (any status), or None."""
    application = application_of(current_user)
    return domain.enrolment_in(session, application) if application is not None else None


def _own_change(change, message):
    """Enrolling or cancelling (``run_change``): back to one's sessions, or the page with the domain's reasons."""
    return run_change(change, message, url_for("workspace.training") + "#my-enrolments",
                      lambda problems: (render_template(PAGE, problems=[p.message for p in problems],
                                                        **_page_context(application_of(current_user))), 422))


@workspace.post("/training/sessie/<int:session_id>/inschrijven", endpoint="enrol")
@staff_required
def enrol(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    application = application_of(current_user)
    if application is None:
        flash(_("Only coordinators can enrol in training sessions; your account has no coordinator record."))
        return redirect(url_for("workspace.training"))
    return _own_change(lambda: domain.enrol(current_actor(), session, application), _enrolled_message)


def _enrolled_message(enrolment) -> str:
    if enrolment.status == "enrolled":
        return _("You are enrolled in %(module)s on %(when)s. A confirmation with a calendar file is on its way.",
                 module=enrolment.session.module.title, when=format_datetime(enrolment.session.starts_at, "short"))
    return _("The session is full: you are number %(n)d on the waitlist. If a seat comes free, it is yours and we "
             "will mail you.", n=domain.waitlist_position(enrolment))


@workspace.post("/training/sessie/<int:session_id>/afmelden", endpoint="cancel_enrolment")
@staff_required
def cancel_enrolment(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    enrolment = _own_enrolment(session)
    if enrolment is None or enrolment.status == "cancelled":
        abort(404)
    return _own_change(lambda: domain.cancel_enrolment(current_actor(), enrolment),
                       lambda _promoted: _("You are no longer enrolled in %(module)s on %(when)s.",
                                           module=session.module.title,
                                           when=format_datetime(session.starts_at, "short")))


@workspace.get("/training/sessie/<int:session_id>/agenda.ics", endpoint="session_ics")
@staff_required
def session_ics(session_id: int):
    """The session for one's own calendar: only for a seat one holds."""
    session = db.get_or_404(TrainingSession, session_id)
    enrolment = _own_enrolment(session)
    if enrolment is None or enrolment.status != "enrolled":
        abort(404)
    body = session_calendar(session, url=url_for("workspace.training", _external=True))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="training-{session.id}.ics"'})

"""Registrations in the back office: the check-in list (on screen with a search box, printable, as CSV for
Excel) and check-in at the door. For the campaign team and the coordinators of the debate's municipality."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.access import current_actor, staff_required
from campaign.core.errors import ValidationFailed
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.debates import registration as domain
from campaign.debates.blueprints import debates_admin as bp
from campaign.debates.common import debate_row, load_debate
from campaign.debates.models import Debate, Registration
from campaign.extensions import db

MAX_SEARCH = 100


@bp.app_template_global("registration_counts")
def registration_counts(debate: Debate) -> domain.Counts:
    """For ``_registrations_summary.html`` on the debate page."""
    return domain.counts([debate.id]).get(debate.id, domain.Counts(0, 0, 0))


bp.add_app_template_global(domain.closed_reason, "registration_closed_reason")


def _list_context(debate: Debate, search: str = "") -> dict:
    return dict(debate=debate, listed=domain.check_in_list(debate, search), search=search,
                counts=registration_counts(debate), status_label=domain.status_label,
                check_in_open=domain.check_in_open(debate))


def _list_page(debate: Debate, *, problems=None, status: int = 200):
    search = request.args.get("q", "").strip()[:MAX_SEARCH]
    return render_page_or_block("debates/admin/registrations.html", "check_in_list", problems=problems or [],
                                **_list_context(debate, search)), status


@bp.get("/<int:debate_id>/aanmeldingen")
@staff_required
def registrations(debate_id: int):
    return _list_page(load_debate(debate_id))


@bp.get("/<int:debate_id>/aanmeldingen.csv")
@staff_required
def registrations_csv(debate_id: int):
    debate = load_debate(debate_id)
    response = make_response(domain.check_in_csv(debate).encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="aanmeldingen-debat-{debate.id}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:debate_id>/aanmeldingen/afdrukken")
@staff_required
def registrations_print(debate_id: int):
    return render_template("debates/admin/registrations_print.html", **_list_context(load_debate(debate_id)))


def _check_in_change(debate: Debate, registration: Registration, change, message: str):
    """Check in or undo: with htmx only the row comes back, without it a post and redirect (or the list with
    the reason, 422)."""
    try:
        change()
    except ValidationFailed as exc:
        db.session.rollback()
        problem = " ".join(p.message for p in exc.problems)
        if is_htmx():
            return _row(debate, registration, problem=problem, status=422)
        return _list_page(debate, problems=[problem], status=422)
    db.session.commit()
    if is_htmx():
        return _row(debate, registration, message=message)
    flash(message)
    return redirect(url_for("debates_admin.registrations", debate_id=debate.id) + f"#registration-{registration.id}")


def _row(debate: Debate, registration: Registration, *, problem=None, message=None, status: int = 200):
    return render_page_or_block("debates/admin/registrations.html", "registration_row", r=registration,
                                row_problem=problem, row_message=message, status_label=domain.status_label,
                                check_in_open=domain.check_in_open(debate),
                                debate=debate), status


def _door(debate_id: int, registration_id: int, change, message):
    debate = load_debate(debate_id)
    registration = debate_row(Registration, registration_id, debate)
    return _check_in_change(debate, registration, lambda: change(current_actor(), registration),
                            message(registration.name))


@bp.post("/<int:debate_id>/aanmeldingen/<int:registration_id>/inchecken")
@staff_required
def check_in(debate_id: int, registration_id: int):
    return _door(debate_id, registration_id, domain.check_in, lambda name: _("Checked in: %(name)s.", name=name))


@bp.post("/<int:debate_id>/aanmeldingen/<int:registration_id>/inchecken-ongedaan")
@staff_required
def undo_check_in(debate_id: int, registration_id: int):
    return _door(debate_id, registration_id, domain.undo_check_in,
                 lambda name: _("Check-in undone: %(name)s.", name=name))

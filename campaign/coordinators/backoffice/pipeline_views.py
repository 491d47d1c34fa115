"""The campaign team's pipeline: the board by status, the application page, moves, notes and assignments.

Editors and admins do everything; coordinators may look (scoped to their own municipalities by
``common.scope_applications`` / ``load_application``), never change anything.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.core.access import current_actor, role_required, staff_required
from campaign.core.audit import history
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.forms import apply_problems, choices, run_change, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.models import Municipality, utcnow
from campaign.core.views import safe_next
from campaign.coordinators import assignment, board as board_domain, pipeline
from campaign.coordinators.blueprints import co_admin
from campaign.coordinators.common import load_application, visible_statuses
from campaign.core.municipalities import load_municipality
from campaign.coordinators.models import Application
from campaign.coordinators.organisations import kind_label
from campaign.coordinators.pipeline_forms import AssignForm, BoardFilterForm, MoveForm, NotesForm, NotifyForm
from campaign.extensions import db

EDITOR = "editor"
BOARD = "coordinators/admin/board.html"
APPLICATION = "coordinators/admin/application.html"


def _user():
    return current_user._get_current_object()


# --- the board -----------------------------------------------------------------------------------------------

def _clean_filters(province: str | None, status: str | None, q: str | None) -> dict[str, str]:
    """Only filter values the user may use: their own provinces, a status they may see, a short search."""
    province = province if province in board_domain.provinces(_user()) else ""
    status = status if status in visible_statuses(_user()) else ""
    return {"province": province, "status": status, "q": (q or "").strip()[:board_domain.MAX_SEARCH]}


def _filter_form(formdata=None) -> BoardFilterForm:
    form = BoardFilterForm(formdata=formdata)
    form.province.choices = choices([("", _("Every province"))] + [(p, p) for p in board_domain.provinces(_user())])
    statuses = visible_statuses(_user())
    form.status.choices = [c for c in form.status.choices if not c.value or c.value in statuses]
    return form


def _board_page(filters: dict[str, str], *, form: BoardFilterForm | None = None, problems=None, notice=None,
                status: int = 200):
    if form is None:
        form = _filter_form()
        form.province.data, form.status.data, form.q.data = filters["province"], filters["status"], filters["q"]
    user = _user()
    result = board_domain.board(user, province=filters["province"] or None, status=filters["status"] or None,
                                search=filters["q"])
    response = render_page_or_block(
        BOARD, "board", form=form, board=result, filters=filters, problems=problems or [], notice=notice,
        can_edit=user.has_role(EDITOR), staff_targets=pipeline.staff_targets,
        days_in_status=board_domain.days_in_status, now=utcnow(), column_limit=board_domain.COLUMN_LIMIT,
        board_url=url_for("co_admin.board", **{k: v for k, v in filters.items() if v}))
    response.status_code = status
    return response


@co_admin.get("/")
@staff_required
def board():
    form = _filter_form(request.args)
    valid = form.validate()
    filters = _clean_filters(*(field.data if not field.errors else "" for field in (form.province, form.status, form.q)))
    return _board_page(filters, form=form, status=200 if valid else 422)


# --- moves ---------------------------------------------------------------------------------------------------

def _form_problems(form) -> list[Problem]:
    return [Problem(str(getattr(form, name).label.text), " ".join(str(m) for m in messages), name)
            for name, messages in form.errors.items()]


@co_admin.post("/aanmeldingen/<int:application_id>/status")
@role_required(EDITOR)
def move(application_id: int):
    application = load_application(application_id)
    form = MoveForm()
    from_application_page = form.view.data == "application"
    filters = _clean_filters(form.province.data, form.status.data, form.q.data)
    problems = None
    if not form.validate():
        problems = _form_problems(form)  # for the board; the form itself already holds them
    else:
        try:
            pipeline.move(current_actor(), application, form.target.data, notify=form.notify.data,
                          message=form.message.data or "")
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
            problems = exc.problems
    if problems is not None:
        if from_application_page:
            return _application_page(application, move_form=form, status=422)
        return _board_page(filters, status=422, problems=[
            Problem(application.name, problem.message, problem.field) for problem in problems])
    db.session.commit()
    notice = _("%(name)s is now %(status)s.", name=application.name, status=pipeline.status_label(application.status))
    notice += " " + (_("A mail has been sent.") if form.notify.data else _("The applicant has not been notified yet."))
    if is_htmx() and not from_application_page:
        return _board_page(filters, notice=notice)
    flash(notice)
    return redirect(safe_next(form.next.data, "co_admin.board"))


# --- the application page ------------------------------------------------------------------------------------

def _application_page(application: Application, *, move_form=None, notify_form=None, notes_form=None,
                      assign_form=None, problems=None, status: int = 200):
    user = _user()
    can_edit = user.has_role(EDITOR)
    targets = pipeline.staff_targets(application)
    move_form = move_form or MoveForm(formdata=None)
    move_form.target.choices = choices((t, pipeline.status_label(t)) for t in targets)
    assign_form = assign_form or AssignForm(formdata=None)
    if can_edit:
        assign_form.municipality.choices = _municipality_choices()
    return render_template(
        APPLICATION, application=application, can_edit=can_edit, targets=targets,
        move_form=move_form, notify_form=notify_form or NotifyForm(formdata=None),
        notes_form=notes_form or NotesForm(formdata=None, notes=application.notes), assign_form=assign_form,
        problems=problems or [], kind_label=kind_label, assignable=assignment.ASSIGNABLE_STATUSES,
        assignments=sorted(application.assignments, key=lambda a: a.municipality.name),
        missing_modules=pipeline.missing_required_modules(application),
        completed_modules=board_domain.completed_modules(application),
        days_in_status=board_domain.days_in_status(application),
        history=history("application", application.id)), status


def _municipality_choices():
    return choices((m.code, f"{m.name} ({m.province})")
                   for m in db.session.scalars(select(Municipality).order_by(Municipality.name)))


def _change_on_page(application: Application, change, message, anchor: str):
    """A button on the application page (``run_change``): back to the page's section, or the page with what
    stopped it (422)."""
    return run_change(change, message, _page_url(application, anchor),
                      lambda problems: _application_page(application, problems=problems, status=422))


def _page_url(application: Application, anchor: str) -> str:
    return url_for("co_admin.application", application_id=application.id) + anchor


@co_admin.get("/aanmeldingen/<int:application_id>")
@staff_required
def application(application_id: int):
    return _application_page(load_application(application_id))


@co_admin.post("/aanmeldingen/<int:application_id>/melden")
@role_required(EDITOR)
def notify(application_id: int):
    application = load_application(application_id)
    form = NotifyForm()
    if not form.validate():
        return _application_page(application, notify_form=form, status=422)
    return _change_on_page(
        application, lambda: pipeline.notify_once(current_actor(), application, message=form.message.data or ""),
        lambda sent: _("The applicant has been notified.") if sent
        else _("The applicant had already been notified about this status."), "#status")


@co_admin.post("/aanmeldingen/<int:application_id>/notities")
@role_required(EDITOR)
def notes(application_id: int):
    application = load_application(application_id)
    form = NotesForm()
    if not form.validate():
        return _application_page(application, notes_form=form, status=422)
    return _change_on_page(
        application, lambda: board_domain.save_notes(current_actor(), application, form.notes.data or ""),
        lambda changed: _("Notes saved.") if changed else _("The notes were not changed."), "#notes")


# --- assignments ---------------------------------------------------------------------------------------------

@co_admin.post("/aanmeldingen/<int:application_id>/toewijzen")
@role_required(EDITOR)
def assign(application_id: int):
    application = load_application(application_id)
    form = AssignForm()
    form.municipality.choices = _municipality_choices()
    if form.validate():
        municipality = load_municipality(form.municipality.data)
        saved = save_form(form, lambda: assignment.assign(current_actor(), application, municipality,
                                                          lead=form.lead.data),
                          _("%(name)s now works for %(place)s.", name=application.name, place=municipality.name),
                          _page_url(application, "#assignments"))
        if saved:
            return saved
    return _application_page(application, assign_form=form, status=422)


def _assigned(application: Application, code: str) -> Municipality:
    municipality = load_municipality(code)
    if not any(a.municipality_id == municipality.id for a in application.assignments):
        abort(404)
    return municipality


@co_admin.post("/aanmeldingen/<int:application_id>/toewijzing/<code>/lead")
@role_required(EDITOR)
def make_lead(application_id: int, code: str):
    application = load_application(application_id)
    municipality = _assigned(application, code)
    return _change_on_page(
        application, lambda: assignment.assign(current_actor(), application, municipality, lead=True),
        _("%(name)s is now the lead coordinator for %(place)s.", name=application.name, place=municipality.name),
        "#assignments")


@co_admin.post("/aanmeldingen/<int:application_id>/toewijzing/<code>/einde")
@role_required(EDITOR)
def end_assignment(application_id: int, code: str):
    application = load_application(application_id)
    municipality = _assigned(application, code)
    return _change_on_page(
        application, lambda: assignment.unassign(current_actor(), application, municipality),
        _("%(name)s no longer works for %(place)s.", name=application.name, place=municipality.name),
        "#assignments")

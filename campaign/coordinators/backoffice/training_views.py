"""Training in the back office: modules and sessions (editors), the session's lists and attendance, and one
person's training record."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.core.access import current_actor, role_required
from campaign.core.audit import history
from campaign.core.errors import ValidationFailed
from campaign.core.forms import form_status, run_change, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.i18n import from_local_input, to_local_input
from campaign.core.models import utcnow
from campaign.coordinators import training as domain
from campaign.coordinators.blueprints import co_admin
from campaign.coordinators.common import load_application
from campaign.coordinators.models import Enrolment, TrainingModule, TrainingSession
from campaign.coordinators.pipeline import status_label
from campaign.coordinators.training_forms import AttendanceForm, ModuleForm, SessionForm
from campaign.extensions import db

EDITOR = "editor"


# --- modules -------------------------------------------------------------------------------------------------

@co_admin.get("/training")
@role_required(EDITOR)
def training():
    modules = domain.modules()
    schedule = domain.schedule(modules)
    return render_template("coordinators/admin/training.html", modules=modules, sessions=schedule.sessions,
                           counts=schedule.counts, ready=domain.ready_for_active(), mode_label=domain.mode_label)


def _module_page(form, module=None):
    return render_template("coordinators/admin/training_module_form.html", form=form, module=module,
                           history=history("training_module", module.id) if module else []), \
        form_status(form)


def _module_fields(form) -> dict:
    return dict(title=form.title.data or "", goals=form.goals.data or "", materials=form.materials.data or "",
                required=form.required.data, position=form.position.data)


@co_admin.route("/training/modules/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_training_module():
    form = ModuleForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_module(current_actor(), **_module_fields(form)),
                          _("Module added."), url_for("co_admin.training"))
        if saved:
            return saved
    return _module_page(form)


@co_admin.route("/training/modules/<int:module_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_training_module(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = ModuleForm(obj=module)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_module(current_actor(), module, **_module_fields(form)),
                          _("Module saved."), url_for("co_admin.training") + f"#module-{module.id}")
        if saved:
            return saved
    return _module_page(form, module)


# --- sessions ------------------------------------------------------------------------------------------------

def _session_form_page(form, module, session=None):
    return render_template("coordinators/admin/training_session_form.html", form=form, module=module,
                           session=session), form_status(form)


def _session_fields(form) -> dict:
    """The domain's arguments from a valid form (its times in Dutch time, within ``plausible_year``'s years, so
    that they convert to UTC)."""
    return dict(starts_at=from_local_input(form.starts_at.data), ends_at=from_local_input(form.ends_at.data),
                mode=form.mode.data, location=form.location.data or "", capacity=form.capacity.data,
                trainer=form.trainer.data or "")


def _warn_if_past(fields: dict) -> None:
    """Allowed (a session entered afterwards, to record attendance), but worth a second look."""
    if fields["starts_at"] <= utcnow():
        flash(_("Note: this session starts in the past (%(when)s). Check the date if that is not what you meant.",
                when=format_datetime(fields["starts_at"], "short")))


@co_admin.route("/training/modules/<int:module_id>/sessies/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_training_session(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = SessionForm()
    if form.validate_on_submit():
        fields = _session_fields(form)
        saved = save_form(form, lambda: domain.create_session(current_actor(), module, **fields),
                          _("Session scheduled."), lambda s: url_for("co_admin.training_session", session_id=s.id))
        if saved:
            _warn_if_past(fields)
            return saved
    return _session_form_page(form, module)


def _saved_message(update: domain.SessionUpdate) -> str:
    parts = [_("Session saved.")]
    if update.promoted:
        parts.append(ngettext("%(num)d person moved up from the waitlist and has been mailed.",
                              "%(num)d people moved up from the waitlist and have been mailed.", len(update.promoted)))
    if update.told:
        parts.append(ngettext(
            "%(num)d person enrolled or on the waitlist has been mailed about the new time or place.",
            "%(num)d people enrolled or on the waitlist have been mailed about the new time or place.", update.told))
    return " ".join(parts)


@co_admin.route("/training/sessies/<int:session_id>/bewerken", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_training_session(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    if request.method == "GET":
        # (obj= would win over the keyword arguments and show UTC.)
        form = SessionForm(data=dict(starts_at=to_local_input(session.starts_at),
                                     ends_at=to_local_input(session.ends_at), mode=session.mode,
                                     location=session.location, capacity=session.capacity, trainer=session.trainer))
    else:
        form = SessionForm()
    earlier_start = session.starts_at
    if form.validate_on_submit():
        fields = _session_fields(form)
        saved = save_form(form, lambda: domain.update_session(current_actor(), session, **fields), _saved_message,
                          url_for("co_admin.training_session", session_id=session.id))
        if saved:
            if fields["starts_at"] != earlier_start:  # not on every edit of a session that has taken place
                _warn_if_past(fields)
            return saved
    return _session_form_page(form, session.module, session)


def _session_page(session: TrainingSession, *, problems=None, status: int = 200):
    return render_page_or_block(
        "coordinators/admin/training_session.html", "enrolled_list",
        session=session, enrolled=domain.enrolled(session), waitlist=domain.waitlist(session),
        problems=problems or [], mode_label=domain.mode_label, status_label=status_label,
        started=domain.has_started(session), history=history("training_session", session.id),
    ), status


def _session_change(session: TrainingSession, change, message):
    """A button on the session page (``run_change``): the page again, with the domain's reasons if refused."""
    return run_change(change, message, url_for("co_admin.training_session", session_id=session.id),
                      lambda problems: _session_page(session, problems=[p.message for p in problems], status=422))


@co_admin.get("/training/sessies/<int:session_id>")
@role_required(EDITOR)
def training_session(session_id: int):
    return _session_page(db.get_or_404(TrainingSession, session_id))


@co_admin.route("/training/sessies/<int:session_id>/annuleren", methods=["GET", "POST"])
@role_required(EDITOR)
def cancel_training_session(session_id: int):
    """GET asks for confirmation (naming how many people will be mailed); POST cancels."""
    session = db.get_or_404(TrainingSession, session_id)
    if request.method == "GET":
        counts = domain.seat_counts([session.id])[session.id]
        return render_template("coordinators/admin/training_session_cancel.html", session=session, counts=counts)
    return _session_change(session, lambda: domain.cancel_session(current_actor(), session),
                           lambda mailed: ngettext("The session is cancelled; %(num)d person has been mailed.",
                                                   "The session is cancelled; %(num)d people have been mailed.",
                                                   mailed))


@co_admin.post("/training/inschrijvingen/<int:enrolment_id>/aanwezigheid")
@role_required(EDITOR)
def training_attendance(enrolment_id: int):
    """Attended yes or no: with htmx only the row is replaced, without it a post and redirect."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    session = enrolment.session
    form = AttendanceForm()
    if not form.validate():
        return _attendance_answer(session, enrolment, problem=_("Choose whether the person attended."), status=422)
    try:
        activated = domain.record_attendance(current_actor(), enrolment, form.attended.data == "yes")
    except ValidationFailed as exc:
        db.session.rollback()
        return _attendance_answer(session, enrolment, problem=" ".join(p.message for p in exc.problems), status=422)
    db.session.commit()
    message = _("%(name)s has completed every required module and is now active (and has been mailed).",
                name=enrolment.application.name) if activated else None
    if is_htmx():
        return _attendance_answer(session, enrolment, message=message)
    flash(message or _("Attendance saved."))
    return redirect(url_for("co_admin.training_session", session_id=session.id) + f"#enrolment-{enrolment.id}")


def _attendance_answer(session, enrolment, *, problem=None, message=None, status: int = 200):
    if not is_htmx():
        return _session_page(session, problems=[problem] if problem else None, status=status)
    return render_page_or_block("coordinators/admin/training_session.html", "attendance_row", session=session,
                                e=enrolment, row_problem=problem, row_message=message,
                                started=domain.has_started(session), status_label=status_label), status


@co_admin.post("/training/inschrijvingen/<int:enrolment_id>/afmelden")
@role_required(EDITOR)
def training_cancel_enrolment(enrolment_id: int):
    """Staff cancel someone's seat or waitlist place (e.g. after a phone call)."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    return _session_change(enrolment.session, lambda: domain.cancel_enrolment(current_actor(), enrolment),
                           _cancelled_message)


def _cancelled_message(promoted) -> str:
    return _("Enrolment cancelled.") + (" " + _("%(name)s moved up from the waitlist and has been mailed.",
                                                name=promoted[0].application.name) if promoted else "")


# --- one person's training -----------------------------------------------------------------------------------

def _record_page(application, *, problems=None, status: int = 200):
    enrolments = domain.enrolments_of(application)
    positions = domain.waitlist_positions(enrolments)
    return render_template("coordinators/admin/training_record.html", application=application,
                           progress=domain.progress(application), enrolments=enrolments,
                           problems=problems or [], may_train=domain.may_train(application),
                           enrolment_label=domain.enrolment_label, position=lambda e: positions.get(e.id)), status


@co_admin.get("/training/deelnemers/<int:application_id>")
@role_required(EDITOR)
def training_record(application_id: int):
    return _record_page(load_application(application_id))


def _completion_change(application_id: int, module_id: int, change):
    application = load_application(application_id)
    module = db.get_or_404(TrainingModule, module_id)
    return run_change(lambda: change(current_actor(), application, module),
                      lambda activated: _completed_message(module, activated),
                      url_for("co_admin.training_record", application_id=application.id),
                      lambda problems: _record_page(application, problems=[p.message for p in problems], status=422))


def _completed_message(module: TrainingModule, activated: bool) -> str:
    return _("%(module)s: saved.", module=module.title) + (" " + _(
        "Every required module is completed: the coordinator is now active and has been mailed.") if activated else "")


@co_admin.post("/training/deelnemers/<int:application_id>/modules/<int:module_id>/afgerond")
@role_required(EDITOR)
def training_complete(application_id: int, module_id: int):
    return _completion_change(application_id, module_id, domain.complete_module)


@co_admin.post("/training/deelnemers/<int:application_id>/modules/<int:module_id>/ongedaan")
@role_required(EDITOR)
def training_undo_completion(application_id: int, module_id: int):
    return _completion_change(application_id, module_id, domain.undo_completion)

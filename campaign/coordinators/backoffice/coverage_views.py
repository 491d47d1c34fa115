"""Coverage by province with recruitment targets, and the member organisations that feed it."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.core.access import current_actor, role_required, staff_required
from campaign.core.audit import history
from campaign.core.forms import choices, form_status, save_form
from campaign.core.models import Municipality, Organisation
from campaign.extensions import db
from campaign.coordinators import coverage as coverage_domain
from campaign.coordinators import organisations as organisation_domain
from campaign.coordinators.blueprints import co_admin
from campaign.coordinators.pipeline_forms import OrganisationForm, TargetForm

EDITOR = "editor"


# --- coverage ------------------------------------------------------------------------------------------------

def _coverage_page(*, target_form: TargetForm | None = None, status: int = 200):
    rows = coverage_domain.coverage()
    election = coverage_domain.newest_election()
    return render_template("coordinators/admin/coverage.html", rows=rows, election=election,
                           target_form=target_form, can_edit=current_user.has_role(EDITOR),
                           totals={name: sum(getattr(r, name) for r in rows)
                                   for name in ("municipalities", "with_members", "with_edition", "with_active",
                                                "target")}), status


@co_admin.get("/dekking")
@staff_required
def coverage():
    return _coverage_page()


@co_admin.post("/dekking/doel")
@role_required(EDITOR)
def set_target():
    form = TargetForm()
    if form.validate():
        saved = save_form(
            form, lambda: coverage_domain.set_target(current_actor(), form.province.data, form.target.data),
            _("The target for %(province)s is now %(target)d.", province=form.province.data, target=form.target.data),
            url_for("co_admin.coverage") + "#targets")
        if saved:
            return saved
    return _coverage_page(target_form=form, status=422)


# --- organisations -------------------------------------------------------------------------------------------

MEMBER_FILTER = {"1": True, "0": False}


@co_admin.get("/organisaties")
@role_required(EDITOR)
def organisations():
    member = request.args.get("member", "")
    member = member if member in MEMBER_FILTER else ""
    return render_template("coordinators/admin/organisations.html", member=member,
                           organisations=organisation_domain.organisations(member=MEMBER_FILTER.get(member)),
                           kind_label=organisation_domain.kind_label)


def _organisation_form(obj: Organisation | None = None) -> OrganisationForm:
    form = OrganisationForm(obj=obj)
    if obj is not None and request.method == "GET":
        form.municipality.data = obj.municipality.code if obj.municipality else ""
    form.municipality.choices = choices([("", _("None"))] + [
        (m.code, f"{m.name} ({m.code})") for m in db.session.scalars(select(Municipality).order_by(Municipality.name))])
    return form


def _save_organisation(form: OrganisationForm, change):
    return save_form(form, lambda: change(current_actor(), name=form.name.data, kind=form.kind.data,
                                          member=form.member.data, municipality_code=form.municipality.data or "",
                                          email=form.email.data or ""),
                     lambda organisation: _("%(name)s saved.", name=organisation.name),
                     url_for("co_admin.organisations"))


@co_admin.route("/organisaties/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_organisation():
    form = _organisation_form()
    if form.validate_on_submit():
        saved = _save_organisation(form, organisation_domain.create_organisation)
        if saved:
            return saved
    return render_template("coordinators/admin/organisation_form.html", form=form, organisation=None,
                           history=[]), form_status(form)


@co_admin.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = _organisation_form(organisation)
    if form.validate_on_submit():
        saved = _save_organisation(form, lambda actor, **values: organisation_domain.update_organisation(
            actor, organisation, **values))
        if saved:
            return saved
    return render_template("coordinators/admin/organisation_form.html", form=form, organisation=organisation,
                           history=history("organisation", organisation.id)), form_status(form)

"""Requests about personal data, by the campaign team (editors): what we hold on an address, its export, erasure.

Erasure always asks the editor to type the person's email address again, so nobody erases the wrong person
with one click.
"""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from campaign.core.access import current_actor, role_required
from campaign.core.errors import ValidationFailed
from campaign.coordinators import privacy
from campaign.coordinators.blueprints import co_admin
from campaign.coordinators.common import load_application
from campaign.extensions import db

EDITOR = "editor"

# What the lookup shows, per kind (summary() keys), in the order of the page.
KINDS = (
    ("applications", _l("Applications")),
    ("assignments", _l("Assignments to a municipality")),
    ("enrolments", _l("Training enrolments")),
    ("completions", _l("Completed training modules")),
    ("checklist", _l("Checklist items ticked")),
    ("questions", _l("Questions asked")),
    ("accounts", _l("Staff accounts")),
    ("audit_entries", _l("Changes made with the account")),
)


class LookupForm(FlaskForm):
    email = EmailField(_l("Email address of the person"), validators=[DataRequired(), Length(max=254)],
                       description=_l("Upper and lower case do not matter."))


class ExportForm(FlaskForm):
    """The export button: the address travels in the POST body, never in a URL (logs, browser history)."""

    email = HiddenField()


class EraseForm(FlaskForm):
    email = HiddenField()
    confirm_email = StringField(_l("Type the email address again to confirm"),
                                validators=[DataRequired(message=_l("Type the email address to confirm."))],
                                description=_l("Erasure cannot be undone."))

    def matches(self, expected: str) -> bool:
        if privacy.normalise_email(self.confirm_email.data) == privacy.normalise_email(expected):
            return True
        self.confirm_email.errors = list(self.confirm_email.errors) + [
            _("This is not the address of the person being erased; nothing was erased.")]
        return False


def _download(data: dict, filename: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _privacy_page(email: str = "", *, lookup_form=None, erase_form=None, status: int = 200):
    counts = privacy.summary(email) if email else None
    if erase_form is None and counts is not None:
        erase_form = EraseForm(formdata=None, email=email)
    return render_template("coordinators/admin/privacy.html", email=email, counts=counts, kinds=KINDS,
                           lookup_form=lookup_form or LookupForm(formdata=None, email=email),
                           export_form=ExportForm(formdata=None, email=email),
                           erase_form=erase_form, held=bool(counts and any(counts.values()))), status


def _no_address():
    """The request page again, for a form that came without the person's address."""
    form = LookupForm(formdata=None)
    form.email.errors = [_("Enter the email address of the person.")]
    return _privacy_page(lookup_form=form, status=422)


@co_admin.route("/privacy", methods=["GET", "POST"], endpoint="privacy")
@role_required(EDITOR)
def privacy_request():
    """Look up an address (posted, so it stays out of URLs and logs) and see what we hold."""
    if request.method == "GET":
        return _privacy_page()
    form = LookupForm()
    if not form.validate():
        return _privacy_page(lookup_form=form, status=422)
    return _privacy_page(privacy.normalise_email(form.email.data), lookup_form=form)


@co_admin.post("/privacy/export")
@role_required(EDITOR)
def export_person():
    """Everything held on the address, as a download; posted, so the address stays out of URLs and logs."""
    form = ExportForm()
    email = privacy.normalise_email(form.email.data) if form.validate() else ""
    if not email:
        return _no_address()
    data = privacy.export_person(email)
    if data is None:
        flash(_("Nothing is held on this address."))
        return redirect(url_for("co_admin.privacy"))
    return _download(data, "personal-data.json")


@co_admin.post("/privacy/wissen")
@role_required(EDITOR)
def erase_person():
    form = EraseForm()
    email = privacy.normalise_email(form.email.data)
    if not email:
        return _no_address()
    lookup = LookupForm(formdata=None, email=email)
    if not form.validate() or not form.matches(email):
        return _privacy_page(email, lookup_form=lookup, erase_form=form, status=422)
    try:
        counts = privacy.erase_person(current_actor(), email)
    except ValidationFailed as exc:
        db.session.rollback()
        form.confirm_email.errors = list(form.confirm_email.errors) + [p.message for p in exc.problems]
        return _privacy_page(email, lookup_form=lookup, erase_form=form, status=422)
    db.session.commit()
    flash(_erased_message(counts))
    return redirect(url_for("co_admin.privacy"))


def _erased_message(counts: dict[str, int]) -> str:
    return _("Erased: %(applications)d application(s), %(questions)d question(s), %(accounts)d account(s); "
             "%(enrolments)d enrolment(s) removed.", applications=counts["applications"],
             questions=counts["questions"], accounts=counts["accounts"], enrolments=counts["enrolments_removed"])


@co_admin.get("/aanmeldingen/<int:application_id>/gegevens.json")
@role_required(EDITOR)
def export_application(application_id: int):
    application = load_application(application_id)
    return _download(privacy.export_person(application.email), f"personal-data-application-{application.id}.json")


@co_admin.post("/aanmeldingen/<int:application_id>/wissen")
@role_required(EDITOR)
def erase_application(application_id: int):
    application = load_application(application_id)
    form = EraseForm()
    back = url_for("co_admin.application", application_id=application.id)
    problems = []
    if application.anonymised_at is not None:
        problems = [_("This application has already been anonymised.")]
    elif form.validate() and form.matches(application.email):
        try:
            counts = privacy.erase_person(current_actor(), application.email)
        except ValidationFailed as exc:
            db.session.rollback()
            problems = [p.message for p in exc.problems]
        else:
            db.session.commit()
            flash(_erased_message(counts))
            return redirect(back)
    return render_template("coordinators/admin/privacy_erase.html", application=application, form=form,
                           problems=problems, back=back), 422


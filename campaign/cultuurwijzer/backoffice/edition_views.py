"""Editions in the browser: list, create, content, lifecycle, parties' links and review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.access import current_actor, role_required
from campaign.core.audit import history
from campaign.core.converters import id_arg
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.i18n import from_local_input, to_local_input
from campaign.core.models import Municipality
from campaign.cultuurwijzer import editorial, submissions
from campaign.cultuurwijzer.backoffice import bp
from campaign.cultuurwijzer.backoffice.common import load_edition, load_party, load_positions, load_statement
from campaign.cultuurwijzer.forms import (
    NewEditionForm,
    PartyForm,
    ReviewForm,
    SettingsForm,
    StatementForm,
    StatusForm,
)
from campaign.cultuurwijzer.models import Edition
from campaign.extensions import db
from campaign.lobby.links import topics_by_statement_key

EDITOR = "editor"


def _edition_url(edition: Edition, anchor: str = "") -> str:
    return url_for("cw_admin.edition", edition_id=edition.id) + anchor


def _after_add(edition: Edition, again_endpoint: str, anchor: str) -> str:
    """Where an add form goes next: the same form again ("Save and add another"), or the edition's list."""
    if request.form.get("again"):
        return url_for(again_endpoint, edition_id=edition.id)
    return _edition_url(edition, anchor)


@bp.get("/edities")
@role_required(EDITOR)
def editions():
    return render_template("cultuurwijzer/admin/editions.html", grouped=editorial.editions_by_status())


@bp.route("/edities/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_edition():
    form = NewEditionForm()
    elections = editorial.elections()
    form.election.choices = choices((e.id, e.name) for e in elections)
    # The municipality list follows the chosen election (htmx reloads it when the choice changes).
    chosen_id = form.election.data if request.method == "POST" else request.args.get("election", type=id_arg)
    chosen = next((e for e in elections if e.id == chosen_id), elections[0] if elections else None)
    if chosen is not None:
        form.election.data = chosen.id
    form.municipality.choices = choices((m.code, f"{m.name} ({m.province})")
                                        for m in editorial.municipalities_without_edition(chosen))
    if form.validate_on_submit():
        municipality = db.session.scalar(select(Municipality).where(Municipality.code == form.municipality.data))
        saved = save_form(form, lambda: editorial.create_edition(current_actor(), chosen, municipality),
                          _("Edition created. Add statements and parties next."), _edition_url)
        if saved:
            return saved
    return render_template("cultuurwijzer/admin/edition_new.html", form=form), form_status(form)


def _edition_page(edition: Edition, *, status: int = 200, problems=None, settings_form=None, status_form=None):
    settings_form = settings_form or SettingsForm(deadline=to_local_input(edition.deadline), notice=edition.notice)
    status_form = status_form or StatusForm(deadline=to_local_input(edition.deadline))
    load_positions(edition)
    return render_page_or_block(
        "cultuurwijzer/admin/edition.html", "statements",
        edition=edition, problems=problems or [], settings_form=settings_form, status_form=status_form,
        transitions=editorial.TRANSITIONS[edition.status],
        publish_problems=editorial.publish_problems(edition, accept_missing=True) if edition.status == "review" else [],
        missing=editorial.missing_positions(edition),
        history=history("edition", edition.id), fragment=is_htmx(),
        lobby_topics=topics_by_statement_key(s.key for s in edition.statements),
    ), status


@bp.get("/edities/<edition_id>")
@role_required(EDITOR)
def edition(edition_id: str):
    return _edition_page(load_edition(edition_id))


@bp.post("/edities/<edition_id>/instellingen")
@role_required(EDITOR)
def edition_settings(edition_id: str):
    edition = load_edition(edition_id)
    form = SettingsForm()
    if form.validate():
        saved = save_form(form, lambda: editorial.update_settings(
            current_actor(), edition, notice=form.notice.data or "", deadline=from_local_input(form.deadline.data)),
            _("Settings saved."), _edition_url(edition))
        if saved:
            return saved
    return _edition_page(edition, status=422, settings_form=form)


@bp.post("/edities/<edition_id>/status")
@role_required(EDITOR)
def edition_status(edition_id: str):
    edition = load_edition(edition_id)
    form = StatusForm()
    if not form.validate():
        return _edition_page(edition, status=422, status_form=form)
    try:
        editorial.change_status(current_actor(), edition, form.target.data,
                                deadline=from_local_input(form.deadline.data), accept_missing=form.accept_missing.data)
    except ValidationFailed as exc:
        db.session.rollback()
        return _edition_page(load_edition(edition_id), status=422, problems=exc.problems, status_form=form)
    db.session.commit()
    flash(_("The edition is now %(status)s.", status=editorial.status_label(edition.status)))
    return redirect(_edition_url(edition))


# --- statements ----------------------------------------------------------------------------------------------

def _statement_input(form: StatementForm) -> dict:
    """The form's values as the keyword arguments of add_statement and update_statement."""
    return {"theme": form.theme.data, "title": form.title.data, "text": form.text.data,
            "background": form.background.data or ""}


def _statement_form_page(edition, form, statement=None):
    return render_template("cultuurwijzer/admin/statement_form.html", edition=edition, form=form, statement=statement,
                           history=history("statement", statement.key, with_children=False,
                                           parent=("edition", edition.id)) if statement else []), \
        form_status(form)


@bp.route("/edities/<edition_id>/stellingen/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_statement(edition_id: str):
    edition = load_edition(edition_id)
    form = StatementForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: editorial.add_statement(current_actor(), edition, **_statement_input(form)),
                          _("Statement added."), _after_add(edition, "cw_admin.new_statement", "#statements"))
        if saved:
            return saved
    return _statement_form_page(edition, form)


@bp.route("/edities/<edition_id>/stellingen/<key>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_statement(edition_id: str, key: str):
    edition = load_edition(edition_id)
    statement = load_statement(edition, key)
    form = StatementForm(obj=statement)
    if form.validate_on_submit():
        saved = save_form(form, lambda: editorial.update_statement(
            current_actor(), statement, **_statement_input(form)), _("Statement saved."),
            _edition_url(edition, "#statements"))
        if saved:
            return saved
    return _statement_form_page(edition, form, statement)


@bp.post("/edities/<edition_id>/stellingen/<key>/verwijderen")
@role_required(EDITOR)
def delete_statement(edition_id: str, key: str):
    edition = load_edition(edition_id)
    return _apply(edition, lambda: editorial.delete_statement(current_actor(), load_statement(edition, key)),
                  _("Statement removed."))


@bp.post("/edities/<edition_id>/stellingen/<key>/verplaatsen")
@role_required(EDITOR)
def move_statement(edition_id: str, key: str):
    """Up or down one place. Without JavaScript a plain form post and redirect; with htmx only the list."""
    edition = load_edition(edition_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(422, _("Choose up or down."))
    return _apply(edition, lambda: editorial.move_statement(current_actor(), load_statement(edition, key), offset), None)


def _apply(edition: Edition, change, message: str | None):
    """Run one change; commit and redirect (or re-render the list for htmx), or show the problem (422)."""
    try:
        change()
    except ValidationFailed as exc:
        db.session.rollback()
        return _edition_page(load_edition(edition.id), status=422, problems=exc.problems)
    db.session.commit()
    if is_htmx():
        return _edition_page(edition)
    if message:
        flash(message)
    return redirect(_edition_url(edition, "#statements"))


# --- parties -------------------------------------------------------------------------------------------------

def _party_input(form: PartyForm) -> dict:
    """The form's values as the keyword arguments of add_party and update_party."""
    return {"name": form.name.data, "list_number": form.list_number.data,
            "contact_email": form.contact_email.data or ""}


def _party_page(edition, party, *, form=None, review_form=None, problems=None, link=None, status=200):
    form = form or PartyForm(obj=party)
    review_form = review_form or ReviewForm()
    statements = list(edition.statements)
    positions = {p.statement_id: p for p in party.positions}
    return render_template(
        "cultuurwijzer/admin/party.html", edition=edition, party=party, form=form, review_form=review_form,
        problems=problems or [], new_link=link, statements=statements, positions=positions,
        history=history("party", party.key, with_children=False, parent=("edition", edition.id)),
    ), status


@bp.route("/edities/<edition_id>/partijen/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_party(edition_id: str):
    edition = load_edition(edition_id)
    form = PartyForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: editorial.add_party(current_actor(), edition, **_party_input(form)),
                          _("Party added."), _after_add(edition, "cw_admin.new_party", "#parties"))
        if saved:
            return saved
    return render_template("cultuurwijzer/admin/party_new.html", edition=edition, form=form), form_status(form)


@bp.route("/edities/<edition_id>/partijen/<key>", methods=["GET", "POST"])
@role_required(EDITOR)
def party(edition_id: str, key: str):
    edition = load_edition(edition_id)
    party = load_party(edition, key)
    form = PartyForm(obj=party)
    if form.validate_on_submit():
        saved = save_form(form, lambda: editorial.update_party(current_actor(), party, **_party_input(form)),
                          _("Party saved."), url_for("cw_admin.party", edition_id=edition.id, key=party.key))
        if saved:
            return saved
    return _party_page(edition, party, form=form, status=form_status(form))


@bp.post("/edities/<edition_id>/partijen/<key>/verwijderen")
@role_required(EDITOR)
def delete_party(edition_id: str, key: str):
    edition = load_edition(edition_id)
    return _apply(edition, lambda: editorial.delete_party(current_actor(), load_party(edition, key)), _("Party removed."))


@bp.post("/edities/<edition_id>/partijen/<key>/link")
@role_required(EDITOR)
def send_link(edition_id: str, key: str):
    edition = load_edition(edition_id)
    party = load_party(edition, key)
    try:
        link = submissions.issue_link(current_actor(), party,
                                      lambda token: url_for("party.form", token=token, _external=True))
    except ValidationFailed as exc:
        db.session.rollback()
        return _party_page(edition, party, problems=exc.problems, status=422)
    db.session.commit()
    flash(_("A personal link has been sent to %(email)s. Earlier links no longer work.", email=party.contact_email))
    # Shown once, so the editor can also pass it on by phone; only its hash is stored.
    return _party_page(edition, party, link=link)


@bp.post("/edities/<edition_id>/partijen/<key>/intrekken")
@role_required(EDITOR)
def revoke_link(edition_id: str, key: str):
    edition = load_edition(edition_id)
    party = load_party(edition, key)
    revoked = submissions.revoke_links(current_actor(), party)
    db.session.commit()
    flash(_("The personal link no longer works.") if revoked else _("There was no working link to revoke."))
    return redirect(url_for("cw_admin.party", edition_id=edition.id, key=party.key))


@bp.post("/edities/<edition_id>/partijen/<key>/beoordeling")
@role_required(EDITOR)
def review_party(edition_id: str, key: str):
    edition = load_edition(edition_id)
    party = load_party(edition, key)
    form = ReviewForm()
    if not form.validate() or form.decision.data not in ("accept", "return"):
        return _party_page(edition, party, review_form=form, status=422)
    try:
        submissions.review(current_actor(), party, accept=form.decision.data == "accept", comment=form.comment.data or "")
    except ValidationFailed as exc:
        db.session.rollback()
        apply_problems(form, exc)
        return _party_page(edition, party, review_form=form, problems=[p for p in exc.problems if p.field != "comment"],
                           status=422)
    db.session.commit()
    flash(_("%(party)s: accepted.", party=party.name) if party.submission_status == "accepted"
          else _("%(party)s: sent back with your comment.", party=party.name))
    return redirect(_edition_url(edition, "#parties"))

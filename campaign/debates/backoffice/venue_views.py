"""Venues in the back office (/beheer/debatten/zalen): the list with the offers awaiting review, a venue's page
with its availability windows, closures and upcoming debates, adding and changing venues, and the team's
answer to an offer.

Staff see and change the venues of their scope (``common.load_venue``: 404 outside it); accepting and declining
an offer is the campaign team's (editors)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.core.access import current_actor, role_required, staff_required
from campaign.core.audit import history
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status, run_change, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.coordinators.organisations import organisations
from campaign.debates import venues as domain
from campaign.debates.blueprints import debates_admin as bp
from campaign.debates.common import load_venue, me, my_municipalities
from campaign.debates.models import VENUE_STATUSES, VenueClosure, VenueWindow
from campaign.debates.venue_forms import (
    NEW_ORGANISATION,
    NO_ORGANISATION,
    AcceptForm,
    ClosureForm,
    DeclineForm,
    VenueForm,
    WindowForm,
)
from campaign.extensions import db

EDITOR = "editor"
VENUE = "debates/admin/venue.html"
ALL = "all"
# The lists on the venue's page that htmx swaps, with the name and class of their form.
LIST_FORMS = {"windows": ("window_form", WindowForm), "closures": ("closure_form", ClosureForm)}


def _organisation_choices() -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations()]


# --- the list --------------------------------------------------------------------------------------------------

@bp.get("/zalen")
@staff_required
def venues():
    places = my_municipalities()
    code = request.args.get("gemeente", "").strip().upper()
    municipality = next((m for m in places if m.code == code), None)
    status = request.args.get("status", "active")
    status = status if status in VENUE_STATUSES or status == ALL else "active"
    return render_template(
        "debates/admin/venues.html", places=places, municipality=municipality, status=status,
        statuses=[(s, domain.status_label(s)) for s in VENUE_STATUSES],
        offers=domain.offers_awaiting_review(me(), municipality=municipality),
        venues=domain.venues_for(me(), municipality=municipality,
                                 statuses=None if status == ALL else (status,)),
        status_label=domain.status_label)


# --- adding and changing ---------------------------------------------------------------------------------------

def _venue_form(venue=None) -> VenueForm:
    form = VenueForm(obj=venue)
    places = my_municipalities()
    form.municipality.choices = choices([("", _("Choose…"))] + [(m.code, f"{m.name} ({m.code})") for m in places])
    form.organisation.choices = choices([(NO_ORGANISATION, _("None"))] + _organisation_choices())
    if not form.is_submitted():
        if venue is not None:
            form.municipality.data = venue.municipality.code
            form.organisation.data = str(venue.organisation_id or "")
        elif len(places) == 1:
            form.municipality.data = places[0].code
    return form


def _venue_fields(form: VenueForm) -> dict:
    return dict(name=form.name.data, street=form.street.data, postcode=form.postcode.data, city=form.city.data,
                municipality_code=form.municipality.data, capacity=form.capacity.data,
                step_free=form.step_free.data, hearing_loop=form.hearing_loop.data,
                accessible_toilet=form.accessible_toilet.data, accessibility_notes=form.accessibility_notes.data,
                organisation_id=form.organisation_id, contact_name=form.contact_name.data,
                contact_email=form.contact_email.data, contact_phone=form.contact_phone.data,
                language=form.language.data, notes=form.notes.data)


def _form_page(form, venue=None):
    return render_template("debates/admin/venue_form.html", form=form, venue=venue), form_status(form)


@bp.route("/zalen/nieuw", methods=["GET", "POST"])
@staff_required
def new_venue():
    form = _venue_form()
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_venue(current_actor(), **_venue_fields(form)),
                          lambda v: _("%(name)s added.", name=v.name), lambda v: url_for(".venue", venue_id=v.id))
        if saved:
            return saved
    return _form_page(form)


@bp.route("/zalen/<int:venue_id>/bewerken", methods=["GET", "POST"])
@staff_required
def edit_venue(venue_id: int):
    venue = load_venue(venue_id)
    form = _venue_form(venue)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_venue(current_actor(), venue, **_venue_fields(form)),
                          _("Venue saved."), url_for(".venue", venue_id=venue.id))
        if saved:
            return saved
    return _form_page(form, venue)


# --- the venue's page ------------------------------------------------------------------------------------------

def _accept_form(venue) -> AcceptForm:
    form = AcceptForm()
    form.organisation.choices = choices([(NO_ORGANISATION, _("None")),
                                         (NEW_ORGANISATION, _("A new organisation (below)"))] + _organisation_choices())
    if not form.is_submitted():
        suggested = domain.suggested_organisation(venue)
        offered = domain.offered_organisation_name(venue)
        if suggested is not None:
            form.organisation.data = str(suggested.id)
        elif offered:
            form.organisation.data = NEW_ORGANISATION
            form.organisation_name.data = offered
    return form


def _venue_page(venue, *, block: str | None = None, status: int = 200, problems=(), message=None, **forms):
    """The page (or, for htmx, one of its blocks: "windows", "closures") with fresh forms where none is given."""
    empty = dict(formdata=None)
    context = dict(
        venue=venue, debates=domain.upcoming_debates(venue), accessibility=domain.describe_accessibility(venue),
        history=history("venue", venue.id), status_label=domain.status_label, window_text=domain.window_text,
        offered_organisation=domain.offered_organisation_name(venue), problems=list(problems), message=message,
        window_form=forms.get("window_form") or WindowForm(**empty),
        closure_form=forms.get("closure_form") or ClosureForm(**empty),
        accept_form=forms.get("accept_form") or (_accept_form(venue) if venue.status == "offered" else None),
        decline_form=forms.get("decline_form") or DeclineForm(**empty),
    )
    if block is not None:
        return render_page_or_block(VENUE, block, **context), status
    return render_template(VENUE, **context), status


@bp.get("/zalen/<int:venue_id>")
@staff_required
def venue(venue_id: int):
    return _venue_page(load_venue(venue_id))


def _list_change(venue, block: str, form, change, message):
    """Add to or remove from the windows or closures: with htmx only that list (with its form) comes back, without
    it a redirect to the page; refused input shows the form again beside its fields (422)."""
    form_name = LIST_FORMS[block][0]
    anchor = url_for(".venue", venue_id=venue.id) + f"#venue-{block}"
    if form is not None and not form.validate():
        return _venue_page(venue, block=block, status=422, **{form_name: form})
    try:
        result = change()
    except ValidationFailed as exc:
        db.session.rollback()
        if form is None:
            return _venue_page(venue, block=block, status=422, problems=exc.problems)
        apply_problems(form, exc)
        return _venue_page(venue, block=block, status=422, **{form_name: form})
    text = message(result) if callable(message) else message
    db.session.commit()
    if is_htmx():
        return _venue_page(venue, block=block, message=text)
    flash(text)
    return redirect(anchor)


def _closure_message(closure) -> str:
    text = _("Closure added.")
    clashes = domain.debates_during(closure.venue, closure.first_day, closure.last_day)
    if clashes:
        text += " " + ngettext("Note: %(num)d debate is planned on these days.",
                               "Note: %(num)d debates are planned on these days.", len(clashes))
    return text


def _add(venue_id: int, block: str, add, message):
    """``add(actor, venue, form)``: add a window or closure from the list's form."""
    venue = load_venue(venue_id)
    form = LIST_FORMS[block][1]()
    return _list_change(venue, block, form, lambda: add(current_actor(), venue, form), message)


def _remove(model, item_id: int, block: str, remove, message):
    item = db.get_or_404(model, item_id)
    venue = load_venue(item.venue_id)
    return _list_change(venue, block, None, lambda: remove(current_actor(), item), message)


@bp.post("/zalen/<int:venue_id>/tijden")
@staff_required
def add_window(venue_id: int):
    return _add(venue_id, "windows", lambda actor, venue, form: domain.add_window(
        actor, venue, weekday=form.weekday.data, opens=form.opens.data, closes=form.closes.data,
        valid_from=form.valid_from.data, valid_until=form.valid_until.data), _("Availability window added."))


@bp.post("/zalen/tijden/<int:window_id>/verwijderen")
@staff_required
def remove_window(window_id: int):
    return _remove(VenueWindow, window_id, "windows", domain.remove_window, _("Availability window removed."))


@bp.post("/zalen/<int:venue_id>/sluitingen")
@staff_required
def add_closure(venue_id: int):
    return _add(venue_id, "closures", lambda actor, venue, form: domain.add_closure(
        actor, venue, first_day=form.first_day.data, last_day=form.last_day.data, reason=form.reason.data or ""),
        _closure_message)


@bp.post("/zalen/sluitingen/<int:closure_id>/verwijderen")
@staff_required
def remove_closure(closure_id: int):
    return _remove(VenueClosure, closure_id, "closures", domain.remove_closure, _("Closure removed."))


# --- the answer to an offer, and withdrawal --------------------------------------------------------------------

def _status_change(venue, change, message, **forms):
    """A button on the venue's page (``run_change``): back to the page; or the page with the reasons (422):
    beside the field they name, the others above the page."""
    def refused(problems):
        beside = [p for p in problems if p.field] if forms else []
        for form in forms.values():
            apply_problems(form, ValidationFailed(beside))
        return _venue_page(venue, status=422, problems=[p for p in problems if p not in beside], **forms)

    return run_change(change, message, url_for(".venue", venue_id=venue.id), refused)


@bp.post("/zalen/<int:venue_id>/accepteren")
@role_required(EDITOR)
def accept_venue(venue_id: int):
    venue = load_venue(venue_id)
    form = _accept_form(venue)
    if not form.validate():
        return _venue_page(venue, status=422, accept_form=form)
    new = domain.NewOrganisation(form.organisation_name.data or "", form.organisation_kind.data,
                                 form.organisation_member.data) if form.creates_organisation else None
    return _status_change(venue, lambda: domain.accept_offer(current_actor(), venue, new_organisation=new,
                                                             organisation_id=form.organisation_id),
                          _("The venue is active; the contact has been mailed."), accept_form=form)


@bp.post("/zalen/<int:venue_id>/afwijzen")
@role_required(EDITOR)
def decline_venue(venue_id: int):
    venue = load_venue(venue_id)
    form = DeclineForm()
    if not form.validate():
        return _venue_page(venue, status=422, decline_form=form)
    return _status_change(venue, lambda: domain.decline_offer(current_actor(), venue,
                                                              reason=form.decline_reason.data or ""),
                          _("The offer is declined; the contact has been mailed and their details removed."),
                          decline_form=form)


@bp.post("/zalen/<int:venue_id>/intrekken")
@staff_required
def withdraw_venue(venue_id: int):
    venue = load_venue(venue_id)
    return _status_change(venue, lambda: domain.withdraw(current_actor(), venue),
                          _("The venue is withdrawn: it is no longer offered for debates."))

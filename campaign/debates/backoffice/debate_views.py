"""Debates in the back office: the list, the editor (with the conflict check as you type), the debate page, the
review before publishing and the status buttons.

The campaign team sees every debate; a coordinator the debates of their own municipalities (others: 404).
Every action is a plain form post and redirect; htmx only checks the editor's fields for conflicts on change.
"""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from campaign.core.access import current_actor, staff_required
from campaign.core.audit import history
from campaign.core.converters import id_arg
from campaign.core.forms import choices, in_plausible_years, form_status, run_change, save_form
from campaign.core.htmx import render_page_or_block
from campaign.core.i18n import from_local_input, to_local_input
from campaign.core.models import Election, Municipality, User
from campaign.debates import scheduling
from campaign.debates.blueprints import debates_admin as bp
from campaign.debates.common import load_debate, me, my_municipalities, my_municipality_ids, scope_debates
from campaign.debates.conflicts import Candidate, conflicts_for, invited_of
from campaign.debates.debate_forms import CancelForm, DebateFilterForm, DebateForm
from campaign.debates.models import Debate, Venue
from campaign.extensions import db
from campaign.lobby.links import topics_for_debate

FORM = "debates/admin/debate_form.html"
# The coordinator workspace (templates/debates/_workspace.html) lists the signed-in person's debates.
bp.add_app_template_global(scheduling.workspace_debates, "workspace_debates")


def _debate_url(debate: Debate, anchor: str = "") -> str:
    return url_for("debates_admin.debate", debate_id=debate.id) + anchor


# --- choices -------------------------------------------------------------------------------------------------

def _venue_choices(current: Venue | None) -> list:
    """Active venues, the user's own municipalities first (any venue may be used), plus the debate's current one."""
    mine = my_municipality_ids(me())
    venues = list(db.session.scalars(select(Venue).where(or_(Venue.status == "active", Venue.id == (
        current.id if current else None))).options(selectinload(Venue.municipality))))
    venues.sort(key=lambda v: (mine is not None and v.municipality_id not in mine, v.municipality.name, v.name))
    return choices([("", _("Choose a venue"))] + [
        (v.id, ngettext("%(venue)s, %(municipality)s (%(num)d person)", "%(venue)s, %(municipality)s (%(num)d people)",
                        v.capacity, venue=v.name, municipality=v.municipality.name)) for v in venues])


def _coordinator_choices(current: User | None) -> list:
    """Staff who may run a debate here: for the campaign team every active coordinator and team member; for a
    coordinator the coordinators of their own municipalities (``scheduling`` checks the debate's municipality)."""
    user = me()
    mine = my_municipality_ids(user)
    query = select(User).where(User.active, User.role.in_(("coordinator", "editor", "admin")))
    if mine is not None:
        query = query.where(or_(User.id == user.id, User.municipalities.any(Municipality.id.in_(mine))),
                            User.role == "coordinator")
    people = {u.id: u for u in db.session.scalars(query)}
    if current is not None:
        people.setdefault(current.id, current)
    return choices([("", _("Nobody yet"))] +
                   [(u.id, u.name) for u in sorted(people.values(), key=lambda u: u.name.casefold())])


def _fill_choices(form: DebateForm, debate: Debate | None = None) -> None:
    form.election_id.choices = choices((e.id, e.name) for e in db.session.scalars(select(Election).order_by(
        Election.date.desc())))
    form.municipality_id.choices = choices([("", _("Choose a municipality"))] + [
        (m.id, f"{m.name} ({m.province})") for m in my_municipalities()])
    form.venue_id.choices = _venue_choices(debate.venue if debate else None)
    form.coordinator_id.choices = _coordinator_choices(debate.coordinator if debate else None)


# --- the form's values ---------------------------------------------------------------------------------------

def _utc(field):
    """The field's Dutch time as stored UTC; None when empty, or (with a problem beside it) when out of range."""
    try:
        return from_local_input(field.data)
    except (OverflowError, ValueError):
        field.errors = list(field.errors) + [_("Give a valid date and time.")]
        return None


def _fields(form: DebateForm) -> dict | None:
    """The domain's arguments from a valid form; None when a time cannot be converted (the form says why)."""
    times = {name: _utc(getattr(form, name)) for name in ("starts_at", "ends_at", "doors_open_at")}
    if times["starts_at"] is None or times["ends_at"] is None:
        return None
    return dict(kind=form.kind.data, title=form.title.data or "", description=form.description.data or "",
                election_id=form.election_id.data, municipality_id=form.municipality_id.data,
                venue_id=form.venue_id.data, moderator=form.moderator.data or "",
                coordinator_id=form.coordinator_id.data, expected_audience=form.expected_audience.data,
                capacity=form.capacity.data, max_seats_per_registration=form.max_seats_per_registration.data,
                registration_open=form.registration_open.data, topics=form.topic_list(), **times)


def _candidate(form: DebateForm, debate: Debate | None) -> Candidate | None:
    """What the form says so far, as the conflict check sees it; None until venue, start and end are given."""
    venue_id = form.venue_id.data
    if venue_id is None or db.session.get(Venue, venue_id) is None or form.starts_at.errors or form.ends_at.errors:
        return None
    try:
        starts_at, ends_at = from_local_input(form.starts_at.data), from_local_input(form.ends_at.data)
        doors = from_local_input(form.doors_open_at.data) if not form.doors_open_at.errors else None
    except (OverflowError, ValueError):
        return None
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        return None
    election = db.session.get(Election, form.election_id.data) if form.election_id.data else None
    return Candidate(venue_id=venue_id, starts_at=starts_at, ends_at=ends_at,
                     doors_open_at=doors if doors is not None and doors <= starts_at else None,
                     debate_id=debate.id if debate else None, status=debate.status if debate else "draft",
                     municipality_id=form.municipality_id.data, coordinator_id=form.coordinator_id.data,
                     expected_audience=None if form.expected_audience.errors else form.expected_audience.data,
                     capacity=None if form.capacity.errors else form.capacity.data,
                     election_date=election.date if election else None,
                     invited=invited_of(debate) if debate else ())


def _linkable(conflicts) -> set[int]:
    """The other debates of these conflicts that the user may open."""
    ids = {c.other_debate_id for c in conflicts if c.other_debate_id}
    if not ids:
        return set()
    return set(db.session.scalars(scope_debates(select(Debate.id).where(Debate.id.in_(ids)), me())))


def _conflict_context(conflicts, checked: bool = True) -> dict:
    return {"conflicts": conflicts, "checked": checked, "linkable": _linkable(conflicts),
            "blocked": any(c.blocking for c in conflicts)}


def _form_page(form: DebateForm, debate: Debate | None = None, *, status: int | None = None):
    candidate = _candidate(form, debate)
    found = conflicts_for(candidate) if candidate is not None else []
    response = render_page_or_block(FORM, "conflicts", form=form, debate=debate,
                                    **_conflict_context(found, candidate is not None))
    response.status_code = form_status(form) if status is None else status
    return response


# --- list ----------------------------------------------------------------------------------------------------

@bp.get("/")
@staff_required
def index():
    form = DebateFilterForm(request.args)
    places = my_municipalities()
    form.municipality.choices = choices([("", _("Every municipality"))] + [(m.code, m.name) for m in places])
    valid = form.validate()
    by_code = {m.code: m for m in places}
    municipality = by_code.get(form.municipality.data) if not form.municipality.errors else None
    when = form.when.data if form.when.data in ("upcoming", "past", "all") else "upcoming"
    status = form.status.data if not form.status.errors else ""
    found = scheduling.find_debates(me(), status=status or None,
                                    municipality_id=municipality.id if municipality else None, when=when)
    return render_template("debates/admin/debates.html", form=form, debates=found,
                           limit=scheduling.LIST_LIMIT), 200 if valid else 422


# --- new and edit --------------------------------------------------------------------------------------------

def _local_arg(name: str):
    """A local date and time from the query string (the slot search's "schedule this" link), or None, also for a
    year the form would refuse (the conflict check beside the form cannot reckon with year 1 or 9999)."""
    try:
        value = dt.datetime.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return value if in_plausible_years(value) else None


def _prefill() -> dict:
    """The new debate's starting values: the upcoming election, and what the slot search passed along."""
    election = scheduling.upcoming_election()
    data = {"election_id": election.id if election else None, "registration_open": True,
            "max_seats_per_registration": 4}
    venue = db.session.get(Venue, request.args.get("venue", type=id_arg) or 0)
    if venue is not None:
        data["venue_id"] = venue.id
    code = request.args.get("municipality", "")
    municipality = next((m for m in my_municipalities() if m.code == code), None)
    if municipality is not None:
        data["municipality_id"] = municipality.id
    data["starts_at"], data["ends_at"] = _local_arg("starts_at"), _local_arg("ends_at")
    data["expected_audience"] = request.args.get("expected_audience", type=id_arg)
    user = me()
    if user.has_role("coordinator") and not user.has_role("editor"):
        data["coordinator_id"] = user.id
    return data


@bp.route("/nieuw", methods=["GET", "POST"])
@staff_required
def new():
    form = DebateForm() if request.method == "POST" else DebateForm(data=_prefill())
    _fill_choices(form)
    if form.validate_on_submit() and (fields := _fields(form)) is not None:
        saved = save_form(form, lambda: scheduling.create_debate(current_actor(), **fields),
                          _("Debate saved as a draft. Invite the parties, then confirm the debate to book the venue."),
                          _debate_url)
        if saved:
            return saved
    return _form_page(form, status=form_status(form) if request.method == "POST" else 200)


def _edit_data(debate: Debate) -> dict:
    # (obj= would win over these and show UTC.)
    data = {name: getattr(debate, name) for name in scheduling.FIELDS if name != "topics"}
    data.update(starts_at=to_local_input(debate.starts_at), ends_at=to_local_input(debate.ends_at),
                doors_open_at=to_local_input(debate.doors_open_at), topics="\n".join(t.title for t in debate.topics),
                debate_id=debate.id)
    return data


def _saved_message(update: scheduling.DebateUpdate) -> str:
    parts = [_("Debate saved.")]
    if update.promoted:
        parts.append(ngettext("%(num)d registration moved up from the waitlist and has been mailed.",
                              "%(num)d registrations moved up from the waitlist and have been mailed.",
                              len(update.promoted)))
    if update.told:
        parts.append(ngettext("%(num)d person has been mailed about the new time or place.",
                              "%(num)d people have been mailed about the new time or place.", update.told))
    return " ".join(parts)


@bp.route("/<int:debate_id>/bewerken", methods=["GET", "POST"])
@staff_required
def edit(debate_id: int):
    debate = load_debate(debate_id)
    if not scheduling.may_change(debate):
        flash(_("This debate has been cancelled; it can no longer be changed."))
        return redirect(_debate_url(debate))
    form = DebateForm() if request.method == "POST" else DebateForm(data=_edit_data(debate))
    _fill_choices(form, debate)
    if form.validate_on_submit() and (fields := _fields(form)) is not None:
        saved = save_form(form, lambda: scheduling.update_debate(current_actor(), debate, **fields), _saved_message,
                          _debate_url(debate))
        if saved:
            return saved
        debate = load_debate(debate_id)  # as it is after the rollback
    return _form_page(form, debate, status=form_status(form) if request.method == "POST" else 200)


@bp.post("/controleren")
@staff_required
def check():
    """The editor's fields, checked for conflicts: htmx swaps in the list beside the form; without JavaScript
    ("Check for conflicts") the form comes back with the list."""
    debate_id = request.form.get("debate_id", type=id_arg)
    debate = load_debate(debate_id) if debate_id else None
    form = DebateForm()
    _fill_choices(form, debate)
    form.validate()
    return _form_page(form, debate, status=200)


# --- the debate page, review and status ----------------------------------------------------------------------

def _debate_page(debate: Debate, *, problems=None, cancel_form: CancelForm | None = None, status: int = 200):
    return render_template("debates/admin/debate.html", debate=debate, problems=problems or [],
                           cancel_form=cancel_form or CancelForm(), may_become=scheduling.may_become,
                           history=history("debate", debate.id), over=scheduling.is_over(debate),
                           lobby_topics=topics_for_debate(debate),
                           **_conflict_context(conflicts_for(debate))), status


@bp.get("/<int:debate_id>")
@staff_required
def debate(debate_id: int):
    return _debate_page(load_debate(debate_id))


def _review_page(debate: Debate, *, problems=None, status: int = 200):
    return render_template("debates/admin/review.html", debate=debate, problems=problems or [],
                           over=scheduling.is_over(debate),
                           **_conflict_context(conflicts_for(debate))), status


@bp.get("/<int:debate_id>/controle")
@staff_required
def review(debate_id: int):
    return _review_page(load_debate(debate_id))


def _transition(debate_id: int, change, message: str, page=_debate_page):
    """A status button (``run_change``): back to the debate, or ``page`` again with the reasons (422)."""
    debate = load_debate(debate_id)
    return run_change(lambda: change(debate), message, _debate_url(debate),
                      lambda problems: page(load_debate(debate_id), problems=problems, status=422))


@bp.post("/<int:debate_id>/bevestigen")
@staff_required
def confirm(debate_id: int):
    return _transition(debate_id, lambda d: scheduling.confirm(current_actor(), d),
                       _("Debate confirmed: the venue is booked. Review it and publish it when the parties have "
                         "answered."))


@bp.post("/<int:debate_id>/publiceren")
@staff_required
def publish(debate_id: int):
    return _transition(debate_id, lambda d: scheduling.publish(current_actor(), d),
                       _("Debate published: it is on the public agenda."), page=_review_page)


@bp.post("/<int:debate_id>/depubliceren")
@staff_required
def unpublish(debate_id: int):
    return _transition(debate_id, lambda d: scheduling.unpublish(current_actor(), d),
                       _("The debate is off the public agenda; the venue stays booked."))


@bp.post("/<int:debate_id>/gehouden")
@staff_required
def mark_held(debate_id: int):
    return _transition(debate_id, lambda d: scheduling.mark_held(current_actor(), d), _("Debate marked as held."))


@bp.post("/<int:debate_id>/annuleren")
@staff_required
def cancel(debate_id: int):
    debate = load_debate(debate_id)
    form = CancelForm()
    if form.validate():
        saved = save_form(form, lambda: scheduling.cancel(current_actor(), debate, form.reason.data),
                          lambda mailed: ngettext("The debate is cancelled; %(num)d person has been mailed.",
                                                  "The debate is cancelled; %(num)d people have been mailed.", mailed),
                          _debate_url(debate))
        if saved:
            return saved
        debate = load_debate(debate_id)  # as it is after the rollback
    # A problem without a field (the debate's status) goes above the page: the cancel box shows only the reason.
    return _debate_page(debate, cancel_form=form, problems=form.form_errors, status=422)

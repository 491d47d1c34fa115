"""Parties and the input given to them (/beheer/lobby): the parties with their input, logging and changing
input per topic, the open next steps, and the topics x parties matrix of stances (also as CSV).

Thin views: parse the form, call one function of ``campaign.lobby.inputs``, commit once, flash and redirect; or
show the form again with its problems (422). The topic page (helper A's) shows the topic's input through the
partial ``lobby/topics/_inputs.html``, which reads ``lobby_topic_inputs(topic)`` (a context processor below)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.municipalities import load_municipality
from campaign.core.access import current_actor
from campaign.core.audit import history
from campaign.core.converters import id_arg
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status, run_change, save_form
from campaign.core.i18n import local_today
from campaign.core.views import safe_next
from campaign.extensions import db
from campaign.lobby import inputs as domain
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import csv_download, lobby_team
from campaign.lobby.input_forms import CompleteStepForm, EditInputForm, InputForm, PartyForm
from campaign.lobby.labels import own_name
from campaign.lobby.models import PARTY_LEVELS, PartyInput, PoliticalParty, Topic
from campaign.lobby.topics import statuses

ALL = "alle"
PARTY_STATES = {"actief": True, "inactief": False, ALL: None}


@lobby.context_processor
def _input_helpers():
    return {"lobby_topic_inputs": domain.topic_input_overview}


def _municipality_arg():
    """The municipality of the ``gemeente`` query argument (a CBS code), None when not given; 404 when unknown."""
    code = request.args.get("gemeente", "").strip()
    return load_municipality(code) if code else None


# --- parties ---------------------------------------------------------------------------------------------------

@lobby.get("/partijen")
@lobby_team
def parties():
    level = request.args.get("niveau", "")
    level = level if level in PARTY_LEVELS else ""
    state = request.args.get("status", ALL)
    state = state if state in PARTY_STATES else ALL
    municipality = _municipality_arg()
    search = request.args.get("zoek", "").strip()[:domain.MAX_NAME]
    return render_template(
        "lobby/inputs/parties.html", level=level, state=state, municipality=municipality, search=search,
        municipalities=[(m.code, m.name) for m in domain.party_municipalities()],
        parties=domain.parties(level=level or None, municipality_id=municipality.id if municipality else None,
                               search=search, active=PARTY_STATES[state]))


def _party_values(form: PartyForm) -> dict:
    return dict(name=form.name.data, level=form.level.data, municipality=form.municipality.data or "",
                abbreviation=form.abbreviation.data or "", notes=form.notes.data or "", active=form.active.data)


def _party_form_page(form: PartyForm, party=None):
    return render_template("lobby/inputs/party_form.html", form=form, party=party,
                           municipality_options=domain.municipality_options()), form_status(form)


@lobby.route("/partijen/nieuw", methods=["GET", "POST"])
@lobby_team
def new_party():
    form = PartyForm()
    if not form.is_submitted() and (place := _municipality_arg()) is not None:
        form.level.data, form.municipality.data = "local", domain.municipality_option(place)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_party(current_actor(), **_party_values(form)),
                          lambda p: _("%(name)s added.", name=p.name),
                          lambda p: url_for(".party", party_id=p.id))
        if saved:
            return saved
    return _party_form_page(form)


@lobby.route("/partijen/<int:party_id>/bewerken", methods=["GET", "POST"])
@lobby_team
def edit_party(party_id: int):
    party = db.get_or_404(PoliticalParty, party_id)
    form = PartyForm(data=dict(
        name=party.name, abbreviation=party.abbreviation, level=party.level, notes=party.notes, active=party.active,
        municipality=domain.municipality_option(party.municipality) if party.municipality else ""))
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_party(current_actor(), party, **_party_values(form)),
                          _("Party saved."), url_for(".party", party_id=party.id))
        if saved:
            return saved
    return _party_form_page(form, party)


def _party_page(party, *, problems=(), status: int = 200):
    rows = domain.party_inputs(party)
    return render_template("lobby/inputs/party.html", party=party, inputs=rows,
                           stances=domain.latest_of(rows, lambda r: r.topic_id), problems=list(problems),
                           today=local_today(), history=history(domain.PARTY, party.id)), status


@lobby.get("/partijen/<int:party_id>")
@lobby_team
def party(party_id: int):
    return _party_page(db.get_or_404(PoliticalParty, party_id))


@lobby.post("/partijen/<int:party_id>/verwijderen")
@lobby_team
def delete_party(party_id: int):
    party = db.get_or_404(PoliticalParty, party_id)
    name = party.name
    return run_change(lambda: domain.delete_party(current_actor(), party), _("%(name)s deleted.", name=name),
                      url_for(".parties"), lambda problems: _party_page(party, problems=problems, status=422))


# --- input -----------------------------------------------------------------------------------------------------

def _party_choices(current: PoliticalParty | None = None) -> dict:
    """The active parties as option groups (the national parties, then one group per municipality); ``current``
    (the party of an input being changed) too, also when inactive."""
    listed = domain.active_parties()
    if current is not None and current not in listed:
        listed.append(current)
    groups: dict[str, list] = {}
    for p in listed:
        group = p.municipality.name if p.municipality is not None else _("National parties")
        label = p.name + (f" ({p.abbreviation})" if p.abbreviation else "")
        label += "" if p.active else " " + _("(inactive)")
        groups.setdefault(group, []).append((p.id, label))
    return {group: choices(options) for group, options in groups.items()}


def _input_form(form_class, row: PartyInput | None = None):
    form = form_class(obj=row)
    form.party.choices = _party_choices(row.party if row is not None else None)
    given_by = row.given_by if row is not None else None
    form.given_by.choices = choices(
        [(u.id, u.name + ("" if u.active else " " + _("(inactive)"))) for u in domain.team_members(keep=given_by)])
    if not form.is_submitted():
        if row is not None:
            form.party.data, form.given_by.data = row.party_id, row.given_by_id
        else:
            form.party.data = request.args.get("partij", type=id_arg)
            form.given_by.data = current_actor().user.id
            form.given_on.data = local_today()
    return form


def _input_values(form: InputForm) -> dict:
    values = dict(party_id=form.party.data, kind=form.kind.data, given_on=form.given_on.data,
                  given_by_id=form.given_by.data, summary=form.summary.data or "", response=form.response.data or "",
                  stance=form.stance.data, next_step=form.next_step.data or "", next_step_due=form.next_step_due.data)
    if isinstance(form, EditInputForm):
        values["next_step_done_on"] = form.next_step_done_on.data
    return values


def _topic_target(topic_id: int) -> str:
    return url_for(".topic", topic_id=topic_id) + "#input"


@lobby.route("/onderwerpen/<int:topic_id>/input/nieuw", methods=["GET", "POST"])
@lobby_team
def new_input(topic_id: int):
    topic = db.get_or_404(Topic, topic_id)
    form = _input_form(InputForm)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.log_input(current_actor(), topic, **_input_values(form)),
                          lambda r: _("Input to %(party)s logged.", party=r.party.name), _topic_target(topic.id))
        if saved:
            return saved
    return render_template("lobby/inputs/input_form.html", form=form, topic=topic, row=None,
                           today=local_today()), form_status(form)


def _input_page(row: PartyInput, form=None, complete_form=None, problems=(), status: int | None = None):
    form = form or _input_form(EditInputForm, row)
    complete_form = complete_form or CompleteStepForm(formdata=None)
    status = status or max(form_status(form), form_status(complete_form), 422 if problems else 200)
    return render_template("lobby/inputs/input_form.html", form=form, topic=row.topic, row=row,
                           complete_form=complete_form, problems=list(problems), today=local_today(),
                           history=history(domain.INPUT, row.id)), status


@lobby.route("/input/<int:input_id>", methods=["GET", "POST"])
@lobby_team
def edit_input(input_id: int):
    row = db.get_or_404(PartyInput, input_id)
    form = _input_form(EditInputForm, row)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_input(current_actor(), row, **_input_values(form)),
                          _("Input saved."), _topic_target(row.topic_id))
        if saved:
            return saved
    return _input_page(row, form)


@lobby.post("/input/<int:input_id>/afgerond")
@lobby_team
def complete_step(input_id: int):
    row = db.get_or_404(PartyInput, input_id)
    form = CompleteStepForm()
    if not form.validate():
        return _input_page(row, complete_form=form, status=422)

    def refused(problems):
        if row.next_step_done_on is not None or not row.next_step:  # the page shows no form to mark it done
            return _input_page(row, problems=problems, status=422)
        apply_problems(form, ValidationFailed(problems))
        return _input_page(row, complete_form=form, status=422)

    target = safe_next(request.form.get("next"), "lobby.next_steps")
    return run_change(lambda: domain.complete_step(current_actor(), row, done_on=form.done_on.data),
                      _("Next step marked done: %(step)s", step=domain.shorten(row.next_step)), target, refused)


@lobby.post("/input/<int:input_id>/verwijderen")
@lobby_team
def delete_input(input_id: int):
    row = db.get_or_404(PartyInput, input_id)
    topic_id, party_name = row.topic_id, row.party.name
    return run_change(lambda: domain.delete_input(current_actor(), row),
                      _("Input to %(party)s deleted.", party=party_name), _topic_target(topic_id),
                      lambda problems: _input_page(row, problems=problems, status=422))


# --- next steps ------------------------------------------------------------------------------------------------

@lobby.get("/vervolgstappen")
@lobby_team
def next_steps():
    municipality = _municipality_arg()
    owners = domain.step_owners()
    owner_id = request.args.get("eigenaar", type=id_arg)
    owner = next((u for u in owners if u.id == owner_id), None)
    today = local_today()
    steps = domain.open_steps(today, municipality_id=municipality.id if municipality else None,
                              given_by_id=owner.id if owner else None, include_undated=True)
    return render_template("lobby/inputs/next_steps.html", today=today, municipality=municipality, owner=owner,
                           owners=[(u.id, u.name) for u in owners],
                           municipalities=[(m.code, _("Local parties in %(municipality)s", municipality=m.name))
                                           for m in domain.party_municipalities()],
                           dated=[s for s in steps if s.next_step_due is not None],
                           undated=[s for s in steps if s.next_step_due is None],
                           overdue=sum(1 for s in steps if domain.is_overdue(s, today)))


# --- the matrix ------------------------------------------------------------------------------------------------

def _matrix_filters() -> dict:
    """The matrix's filters from the query string: ``gemeente`` (CBS code: that municipality's local parties;
    empty: the national parties), ``status`` (a status id), ``met_input`` (only topics with input)."""
    municipality = _municipality_arg()
    workflow = statuses()
    status_id = request.args.get("status", type=id_arg)
    status = next((s for s in workflow if s.id == status_id), None)
    return dict(municipality=municipality, status=status, statuses=[(s.id, own_name(s)) for s in workflow],
                with_input_only=request.args.get("met_input") == "1")


def _build_matrix(filters: dict) -> domain.Matrix:
    municipality, status = filters["municipality"], filters["status"]
    return domain.matrix(level="local" if municipality else "national",
                         municipality_id=municipality.id if municipality else None,
                         status_id=status.id if status else None, with_input_only=filters["with_input_only"])


@lobby.get("/matrix")
@lobby_team
def matrix():
    filters = _matrix_filters()
    return render_template("lobby/inputs/matrix.html", matrix=_build_matrix(filters),
                           municipalities=domain.party_municipalities(), query=request.args.to_dict(), **filters)


@lobby.get("/matrix.csv")
@lobby_team
def matrix_csv():
    filters = _matrix_filters()
    found = _build_matrix(filters)
    name = "matrix-" + (filters["municipality"].code.lower() if filters["municipality"] else "landelijk")
    return csv_download(domain.matrix_csv(found), f"{name}.csv")

"""Parties and the input given to them: the lobby team's letters, meetings and contributions per topic and party,
the party's response and stance, the next step, and the topics x parties matrix of current stances.

The rules:
- A party is national (no municipality) or local (in one municipality). Its name is unique, in any case, among
  the parties of its level and municipality. An inactive party stays in the history (its input, the matrix) but
  is offered no more when input is logged. A party is deleted only while no input to it exists; otherwise it is
  deactivated.
- Input is given on a date that is not in the future, by an active member of the lobby team (role editor or
  admin), to an active party. A due date needs a next step; a next step is done on a date, not before the input
  was given nor in the future.
- A party's current stance on a topic is the stance of its latest input on it (greatest ``given_on``, then the
  latest logged): ``latest_inputs``. The matrix, the topic page and the dossier all read it, so they agree.

Every change is recorded in the audit log: ids, codes, kinds, stances and dates; of free text the number of
characters (a party's notes may name people), except the next step, which is a short action.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems
from campaign.core.forms import year_problems
from campaign.core.i18n import local_today
from campaign.core.labels import action_labels
from campaign.core.models import MUNICIPALITY_CODE, Municipality, User, utcnow
from campaign.core.spreadsheet import spreadsheet_cell as csv_cell
from campaign.extensions import db
from campaign.lobby.labels import own_name, stance_labels
from campaign.lobby.models import INPUT_KINDS, PARTY_LEVELS, STANCES, PartyInput, PoliticalParty, Topic
from campaign.lobby.topics import owners

action_labels.update({
    "lobby.party.create": _l("Party added (lobby)"),
    "lobby.party.update": _l("Party changed (lobby)"),
    "lobby.party.delete": _l("Party deleted (lobby)"),
    "lobby.input.create": _l("Input to a party logged"),
    "lobby.input.update": _l("Input to a party changed"),
    "lobby.input.delete": _l("Input to a party deleted"),
    "lobby.input.step_done": _l("Next step done"),
})

# Limits (the forms use the same numbers; the columns hold at least as much).
MAX_NAME = 120
MAX_ABBREVIATION = 30
MAX_NOTES = 4000
MAX_TEXT = 4000  # what we gave, the party's response
MAX_STEP = 1000

FIELD_LABELS = {
    "name": _l("Name"),
    "abbreviation": _l("Abbreviation"),
    "level": _l("Level"),
    "municipality": _l("Municipality"),
    "notes": _l("Notes"),
    "party": _l("Party"),
    "kind": _l("Kind of input"),
    "given_on": _l("Date given"),
    "given_by": _l("Given by"),
    "summary": _l("What we gave"),
    "response": _l("The party's response"),
    "stance": _l("Stance"),
    "next_step": _l("Next step"),
    "next_step_due": _l("Due date"),
    "next_step_done_on": _l("Done on"),
    "done_on": _l("Done on"),
}

# Object types in the audit log.
PARTY = "political_party"
INPUT = "party_input"

CODE_IN_TEXT = re.compile(r"\b(GM\d{4})\b", re.IGNORECASE)


def _problem(field_name: str, message) -> Problem:
    return Problem(str(FIELD_LABELS.get(field_name, field_name)), str(message), field_name)


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def party_label(party: PoliticalParty) -> str:
    """"Lokaal Belang (Utrecht)" for a local party, the name alone for a national one."""
    return f"{party.name} ({party.municipality.name})" if party.municipality is not None else party.name


def shorten(text: str, limit: int = 80) -> str:
    """A text on one line, cut at ``limit`` characters (for messages and lists)."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def is_overdue(row: PartyInput, today: dt.date) -> bool:
    """An open next step whose due date has passed."""
    return row.next_step_done_on is None and row.next_step_due is not None and row.next_step_due < today


# --- reading: shared with the topic page, the dossier and the dashboard ------------------------------------------

def latest_inputs(topic_ids: Iterable[int] | None = None,
                  party_ids: Iterable[int] | None = None) -> dict[tuple[int, int], PartyInput]:
    """Per (topic_id, party_id) the most recent input (greatest ``given_on``, then greatest id): its stance is the
    party's current stance on the topic. One query, whatever the number of topics and parties (with each input's
    party loaded)."""
    ranked = select(PartyInput.id, func.row_number().over(
        partition_by=(PartyInput.topic_id, PartyInput.party_id),
        order_by=(PartyInput.given_on.desc(), PartyInput.id.desc())).label("rank"))
    if topic_ids is not None:
        topic_ids = list(topic_ids)
        if not topic_ids:
            return {}
        ranked = ranked.where(PartyInput.topic_id.in_(topic_ids))
    if party_ids is not None:
        party_ids = list(party_ids)
        if not party_ids:
            return {}
        ranked = ranked.where(PartyInput.party_id.in_(party_ids))
    ranked = ranked.subquery()
    rows = db.session.scalars(select(PartyInput).join(ranked, ranked.c.id == PartyInput.id)
                              .where(ranked.c.rank == 1)
                              .options(joinedload(PartyInput.party).joinedload(PoliticalParty.municipality)))
    return {(row.topic_id, row.party_id): row for row in rows}


def open_steps(today: dt.date, *, overdue_only: bool = False, municipality_id: int | None = None,
               given_by_id: int | None = None, include_undated: bool = False) -> list[PartyInput]:
    """Next steps not done yet, the oldest due date first (so the overdue ones, due before ``today``, lead), with
    their topics, parties and who gave the input. Only steps with a due date, unless ``include_undated`` (those
    come last). ``municipality_id`` keeps the local parties of one municipality; ``given_by_id`` one owner's."""
    query = (select(PartyInput).where(PartyInput.next_step_done_on.is_(None), PartyInput.next_step != "")
             .options(joinedload(PartyInput.topic), joinedload(PartyInput.given_by),
                      joinedload(PartyInput.party).joinedload(PoliticalParty.municipality)))
    if not include_undated:
        query = query.where(PartyInput.next_step_due.is_not(None))
    if overdue_only:
        query = query.where(PartyInput.next_step_due < today)
    if municipality_id is not None:
        query = query.join(PoliticalParty, PartyInput.party_id == PoliticalParty.id) \
            .where(PoliticalParty.municipality_id == municipality_id)
    if given_by_id is not None:
        query = query.where(PartyInput.given_by_id == given_by_id)
    query = query.order_by(PartyInput.next_step_due.is_(None), PartyInput.next_step_due, PartyInput.given_on,
                           PartyInput.id)
    return list(db.session.scalars(query))


def topic_inputs(topic: Topic) -> list[PartyInput]:
    """The topic's input, newest first, with parties and who gave it (one query)."""
    return list(db.session.scalars(
        select(PartyInput).where(PartyInput.topic_id == topic.id)
        .options(joinedload(PartyInput.given_by), joinedload(PartyInput.party).joinedload(PoliticalParty.municipality))
        .order_by(PartyInput.given_on.desc(), PartyInput.id.desc())))


def latest_of(rows: Iterable[PartyInput], key) -> list[PartyInput]:
    """Of input listed newest first (``topic_inputs``, ``party_inputs``), the first per ``key(row)``: the
    latest, as ``latest_inputs`` would find it, without another query."""
    seen: dict = {}
    for row in rows:
        seen.setdefault(key(row), row)
    return list(seen.values())


@dataclass
class TopicInputs:
    """What the topic page shows of a topic's input: all of it newest first, and per party the latest."""

    inputs: list[PartyInput]
    stances: list[PartyInput]
    today: dt.date


def topic_input_overview(topic: Topic) -> TopicInputs:
    """The topic's input and the parties' current stances (national parties first, then local ones by
    municipality, each by name): one query."""
    rows = topic_inputs(topic)
    stances = sorted(latest_of(rows, lambda r: r.party_id),
                     key=lambda r: (r.party.level != "national",
                                    r.party.municipality.name if r.party.municipality else "",
                                    r.party.name.casefold(), r.party.id))
    return TopicInputs(rows, stances, local_today())


def party_inputs(party: PoliticalParty) -> list[PartyInput]:
    """The party's input across topics, newest first, with topics and who gave it (one query)."""
    return list(db.session.scalars(
        select(PartyInput).where(PartyInput.party_id == party.id)
        .options(joinedload(PartyInput.topic), joinedload(PartyInput.given_by))
        .order_by(PartyInput.given_on.desc(), PartyInput.id.desc())))


def input_count(party: PoliticalParty) -> int:
    return db.session.scalar(select(func.count(PartyInput.id)).where(PartyInput.party_id == party.id)) or 0


def parties(*, level: str | None = None, municipality_id: int | None = None, search: str = "",
            active: bool | None = None) -> list[tuple[PoliticalParty, int]]:
    """Parties with their number of inputs: national parties first, then local ones by municipality, each by name
    (one query). ``search`` keeps those whose name or abbreviation contains it (any case)."""
    counts = (select(PartyInput.party_id, func.count(PartyInput.id).label("n"))
              .group_by(PartyInput.party_id).subquery())
    query = (select(PoliticalParty, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.party_id == PoliticalParty.id)
             .outerjoin(Municipality, PoliticalParty.municipality_id == Municipality.id)
             .options(joinedload(PoliticalParty.municipality)))
    if level in PARTY_LEVELS:
        query = query.where(PoliticalParty.level == level)
    if municipality_id is not None:
        query = query.where(PoliticalParty.municipality_id == municipality_id)
    if active is not None:
        query = query.where(PoliticalParty.active.is_(active))
    if search := _text(search).lower()[:MAX_NAME]:
        query = query.where(or_(func.lower(PoliticalParty.name).contains(search, autoescape=True),
                                func.lower(PoliticalParty.abbreviation).contains(search, autoescape=True)))
    query = query.order_by(PoliticalParty.level != "national", Municipality.name, func.lower(PoliticalParty.name),
                           PoliticalParty.id)
    return [(party, count) for party, count in db.session.execute(query)]


def active_parties() -> list[PoliticalParty]:
    """The parties input can be logged for: national ones first, then local ones by municipality, each by name."""
    return [party for party, _count in parties(active=True)]


def party_municipalities() -> list[Municipality]:
    """The municipalities that have local parties, by name (for filters)."""
    return list(db.session.scalars(
        select(Municipality).where(Municipality.id.in_(select(PoliticalParty.municipality_id)))
        .order_by(Municipality.name)))


def team_members(*, keep: User | None = None) -> list[User]:
    """Who may have given input: active editors and admins, by name; ``keep`` (the one named on an input) too,
    also when no longer active."""
    found = owners()
    if keep is not None and keep not in found:
        found.append(keep)
    return found


def step_owners() -> list[User]:
    """The people who gave input with an open next step, by name (the owner filter of the next steps)."""
    return list(db.session.scalars(
        select(User).where(User.id.in_(select(PartyInput.given_by_id).where(
            PartyInput.next_step_done_on.is_(None), PartyInput.next_step != "")))
        .order_by(func.lower(User.name), User.id)))


# --- parties ----------------------------------------------------------------------------------------------------

def municipality_option(municipality: Municipality) -> str:
    """How the party form names a municipality (and the list it offers): "Utrecht (GM0344)"."""
    return f"{municipality.name} ({municipality.code})"


def municipality_options() -> list[str]:
    """Every municipality as the party form offers it, by name."""
    return [municipality_option(m) for m in db.session.scalars(select(Municipality).order_by(Municipality.name))]


def find_municipality(value: str) -> Municipality | None:
    """A municipality by CBS code ("GM0344", any case, also inside "Utrecht (GM0344)") or by its name (any case)."""
    value = _text(value)
    if not value:
        return None
    match = CODE_IN_TEXT.search(value)
    if match and MUNICIPALITY_CODE.match(match.group(1).upper()):
        return db.session.scalar(select(Municipality).where(Municipality.code == match.group(1).upper()))
    wanted = value.casefold()
    candidates = db.session.scalars(select(Municipality).where(func.lower(Municipality.name) == value.lower()))
    found = next((m for m in candidates if m.name.casefold() == wanted), None)
    if found is None:  # names with letters SQLite's lower() leaves alone ("Súdwest-Fryslân")
        found = next((m for m in db.session.scalars(select(Municipality)) if m.name.casefold() == wanted), None)
    return found


@dataclass
class PartyFields:
    name: str
    abbreviation: str
    level: str
    municipality: Municipality | None
    notes: str
    active: bool

    def apply_to(self, party: PoliticalParty) -> None:
        for name in ("name", "abbreviation", "level", "municipality", "notes", "active"):
            setattr(party, name, getattr(self, name))


def _party_checked(*, name: str, level: str, municipality: str = "", abbreviation: str = "", notes: str = "",
                   active: bool = True, current: PoliticalParty | None = None) -> PartyFields:
    name, abbreviation, notes, municipality = _text(name), _text(abbreviation), _text(notes), _text(municipality)
    problems = text_problems(name, FIELD_LABELS["name"], "name", limit=MAX_NAME,
                             missing=_l("Enter the name of the party."))
    problems += text_problems(abbreviation, FIELD_LABELS["abbreviation"], "abbreviation", limit=MAX_ABBREVIATION)
    problems += text_problems(notes, FIELD_LABELS["notes"], "notes", limit=MAX_NOTES)
    place = None
    if level not in PARTY_LEVELS:
        problems.append(_problem("level", _l("Choose national party or local party.")))
    elif level == "local":
        if not municipality:
            problems.append(_problem("municipality", _l("Choose the municipality of the local party.")))
        else:
            place = find_municipality(municipality)
            if place is None:
                problems.append(_problem("municipality", _l(
                    "“%(value)s” is not a municipality we know: give its name or CBS code (such as GM0344).",
                    value=municipality[:MAX_NAME])))
    elif municipality:
        problems.append(_problem("municipality", _l(
            "A national party has no municipality: leave it empty, or choose local party.")))
    if name and level in PARTY_LEVELS and not problems:
        same_place = PoliticalParty.municipality_id.is_(None) if place is None \
            else PoliticalParty.municipality_id == place.id
        for other in db.session.scalars(select(PoliticalParty).where(PoliticalParty.level == level, same_place)):
            if other is not current and other.name.casefold() == name.casefold():
                problems.append(_problem("name", _l(
                    "There is already a local party called “%(name)s” in %(municipality)s.", name=other.name,
                    municipality=place.name) if place else _l(
                    "There is already a national party called “%(name)s”.", name=other.name)))
                break
    if problems:
        raise ValidationFailed(problems)
    return PartyFields(name, abbreviation, level, place, notes, bool(active))


def _party_state(party: PoliticalParty) -> dict:
    state = snapshot(party, ("name", "abbreviation", "level", "active"))
    state["municipality"] = party.municipality.code if party.municipality else None
    state["notes"] = len(party.notes or "")  # characters: notes may name people
    return state


def create_party(actor: Actor, *, name: str, level: str, municipality: str = "", abbreviation: str = "",
                 notes: str = "", active: bool = True) -> PoliticalParty:
    """A national party (``municipality`` empty) or a local one (``municipality``: its CBS code or name)."""
    values = _party_checked(name=name, level=level, municipality=municipality, abbreviation=abbreviation,
                            notes=notes, active=active)
    party = PoliticalParty()
    values.apply_to(party)
    db.session.add(party)
    db.session.flush()
    record(actor, "lobby.party.create", PARTY, party.id, after=_party_state(party), only_changes=False)
    return party


def update_party(actor: Actor, party: PoliticalParty, *, name: str, level: str, municipality: str = "",
                 abbreviation: str = "", notes: str = "", active: bool = True) -> PoliticalParty:
    """The same fields as ``create_party``; deactivating keeps the party's input."""
    values = _party_checked(name=name, level=level, municipality=municipality, abbreviation=abbreviation,
                            notes=notes, active=active, current=party)
    before = _party_state(party)
    values.apply_to(party)
    record(actor, "lobby.party.update", PARTY, party.id, before=before, after=_party_state(party))
    return party


def delete_party(actor: Actor, party: PoliticalParty) -> None:
    """Only while no input to the party exists: input is history, so such a party is deactivated instead."""
    count = input_count(party)
    if count:
        raise ValidationFailed([Problem(str(_l("Party")), str(_l(
            "Input to this party has been logged (%(num)d); it stays in the history. Deactivate the party "
            "instead: it then leaves the lists input is logged from.", num=count)))])
    record(actor, "lobby.party.delete", PARTY, party.id, before=_party_state(party), only_changes=False)
    db.session.delete(party)
    db.session.flush()


# --- input ------------------------------------------------------------------------------------------------------

@dataclass
class InputFields:
    party: PoliticalParty
    kind: str
    given_on: dt.date
    given_by: User | None
    summary: str
    response: str
    stance: str
    next_step: str
    next_step_due: dt.date | None
    next_step_done_on: dt.date | None

    def apply_to(self, row: PartyInput) -> None:
        for name in ("party", "kind", "given_on", "given_by", "summary", "response", "stance", "next_step",
                     "next_step_due", "next_step_done_on"):
            setattr(row, name, getattr(self, name))


def _plausible(day: dt.date | None, field_name: str, problems: list[Problem]) -> bool:
    found = year_problems(day, FIELD_LABELS.get(field_name, field_name), field_name)
    problems += found
    return not found


def _input_checked(*, party_id, kind: str, given_on: dt.date | None, given_by_id, summary: str = "",
                   response: str = "", stance: str = "unknown", next_step: str = "",
                   next_step_due: dt.date | None = None, next_step_done_on: dt.date | None = None,
                   current: PartyInput | None = None, today: dt.date | None = None) -> InputFields:
    """Every problem with an input's values at once (naming the field), or the cleaned values. An input being
    changed may keep its party and giver after they were deactivated."""
    today = today or local_today()
    summary, response, next_step = _text(summary), _text(response), _text(next_step)
    problems: list[Problem] = []
    party = db.session.get(PoliticalParty, party_id) if isinstance(party_id, int) else None
    if party is None:
        problems.append(_problem("party", _l("Choose the party the input went to.")))
    elif not party.active and (current is None or current.party_id != party.id):
        problems.append(_problem("party", _l("%(name)s is inactive; choose an active party.", name=party.name)))
    if kind not in INPUT_KINDS:
        problems.append(_problem("kind", _l("Choose the kind of input.")))
    if given_on is None:
        problems.append(_problem("given_on", _l("Give the date the input was given.")))
    elif _plausible(given_on, "given_on", problems) and given_on > today:
        problems.append(_problem("given_on", _l("The date given cannot be in the future: log input once it is "
                                                "given, and plan it as a next step until then.")))
    given_by = db.session.get(User, given_by_id) if isinstance(given_by_id, int) else None
    kept = current is not None and given_by is not None and current.given_by_id == given_by.id
    if given_by is None:
        if not (current is not None and given_by_id is None and current.given_by_id is None):
            problems.append(_problem("given_by", _l("Choose who gave the input.")))
    elif not kept and not (given_by.active and given_by.has_role("editor")):
        problems.append(_problem("given_by", _l("Choose an active member of the lobby team.")))
    problems += text_problems(summary, FIELD_LABELS["summary"], "summary", limit=MAX_TEXT)
    problems += text_problems(response, FIELD_LABELS["response"], "response", limit=MAX_TEXT)
    if stance not in STANCES:
        problems.append(_problem("stance", _l("Choose the party's stance (unknown when you do not know it).")))
    problems += text_problems(next_step, FIELD_LABELS["next_step"], "next_step", limit=MAX_STEP)
    _plausible(next_step_due, "next_step_due", problems)
    if next_step_due is not None and not next_step:
        problems.append(_problem("next_step_due", _l(
            "A due date needs a next step: describe the step, or leave the due date empty.")))
    if next_step_done_on is not None:
        problems += _done_problems(next_step, given_on, next_step_done_on, "next_step_done_on", today)
    if problems:
        raise ValidationFailed(problems)
    return InputFields(party, kind, given_on, given_by, summary, response, stance, next_step, next_step_due,
                       next_step_done_on)


def _done_problems(next_step: str, given_on: dt.date | None, done_on: dt.date, field_name: str,
                   today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    if not next_step:
        return [_problem(field_name, _l("There is no next step to mark done."))]
    if not _plausible(done_on, field_name, problems):
        return problems
    if done_on > today:
        problems.append(_problem(field_name, _l("A step is done today or earlier, not in the future.")))
    elif given_on is not None and done_on < given_on:
        problems.append(_problem(field_name, _l("A step is done on or after the day the input was given.")))
    return problems


def _input_state(row: PartyInput) -> dict:
    state = snapshot(row, ("topic_id", "party_id", "kind", "given_on", "given_by_id", "stance", "next_step",
                           "next_step_due", "next_step_done_on"))
    # Of the longer texts the number of characters.
    state["summary"] = len(row.summary or "")
    state["response"] = len(row.response or "")
    return state


def log_input(actor: Actor, topic: Topic, *, party_id: int | None, kind: str, given_on: dt.date | None,
              given_by_id: int | None, summary: str = "", response: str = "", stance: str = "unknown",
              next_step: str = "", next_step_due: dt.date | None = None, next_step_done_on: dt.date | None = None,
              today: dt.date | None = None) -> PartyInput:
    """Input given to a party on a topic. ``today``: the Dutch date (for tests)."""
    values = _input_checked(party_id=party_id, kind=kind, given_on=given_on, given_by_id=given_by_id,
                            summary=summary, response=response, stance=stance, next_step=next_step,
                            next_step_due=next_step_due, next_step_done_on=next_step_done_on, today=today)
    row = PartyInput(topic=topic)
    values.apply_to(row)
    db.session.add(row)
    db.session.flush()
    record(actor, "lobby.input.create", INPUT, row.id, after=_input_state(row), parent=("topic", topic.id),
           summary=f"{party_label(row.party)}: {row.kind}, {row.stance}", only_changes=False)
    return row


def update_input(actor: Actor, row: PartyInput, *, party_id: int | None, kind: str, given_on: dt.date | None,
                 given_by_id: int | None, summary: str = "", response: str = "", stance: str = "unknown",
                 next_step: str = "", next_step_due: dt.date | None = None,
                 next_step_done_on: dt.date | None = None, today: dt.date | None = None) -> PartyInput:
    """The same fields as ``log_input``; an empty ``next_step_done_on`` opens the step again."""
    values = _input_checked(party_id=party_id, kind=kind, given_on=given_on, given_by_id=given_by_id,
                            summary=summary, response=response, stance=stance, next_step=next_step,
                            next_step_due=next_step_due, next_step_done_on=next_step_done_on, current=row,
                            today=today)
    before = _input_state(row)
    values.apply_to(row)
    after = _input_state(row)
    if after != before:
        row.updated_at = utcnow()
    record(actor, "lobby.input.update", INPUT, row.id, before=before, after=after, parent=("topic", row.topic_id))
    return row


def complete_step(actor: Actor, row: PartyInput, *, done_on: dt.date | None = None,
                  today: dt.date | None = None) -> PartyInput:
    """Mark the input's next step done, on ``done_on`` (default: today, the Dutch date)."""
    today = today or local_today()
    done_on = done_on or today
    if row.next_step_done_on is not None:
        raise ValidationFailed([_problem("done_on", _l("This step was already marked done."))])
    problems = _done_problems(row.next_step, row.given_on, done_on, "done_on", today)
    if problems:
        raise ValidationFailed(problems)
    row.next_step_done_on = done_on
    row.updated_at = utcnow()
    record(actor, "lobby.input.step_done", INPUT, row.id, before={"next_step_done_on": None},
           after={"next_step_done_on": done_on.isoformat()}, parent=("topic", row.topic_id), only_changes=False)
    return row


def delete_input(actor: Actor, row: PartyInput) -> None:
    record(actor, "lobby.input.delete", INPUT, row.id, before=_input_state(row), parent=("topic", row.topic_id),
           only_changes=False)
    db.session.delete(row)
    db.session.flush()


# --- the topics x parties matrix -------------------------------------------------------------------------------

@dataclass
class MatrixRow:
    topic: Topic
    depth: int  # 0: a top-level topic; 1: a sub-topic shown under its parent
    # A sub-topic's parent title ("" for a top-level topic); ``depth`` 0 with a parent: the parent is filtered out.
    parent_title: str = ""


@dataclass
class Matrix:
    """Topics (rows) x parties (columns) with each cell's latest input; ``stance(topic, party)``."""

    rows: list[MatrixRow]
    parties: list[PoliticalParty]
    cells: dict[tuple[int, int], PartyInput] = field(default_factory=dict)

    def cell(self, topic: Topic, party: PoliticalParty) -> PartyInput | None:
        return self.cells.get((topic.id, party.id))

    def stance(self, topic: Topic, party: PoliticalParty) -> str:
        found = self.cells.get((topic.id, party.id))
        return found.stance if found is not None else "unknown"

    def supportive_for_topic(self, topic: Topic) -> int:
        return sum(1 for p in self.parties if self.stance(topic, p) == "supportive")

    def supportive_of_party(self, party: PoliticalParty) -> int:
        return sum(1 for r in self.rows if self.stance(r.topic, party) == "supportive")


def ordered_topics(topics: Iterable[Topic]) -> list[tuple[Topic, int]]:
    """Top-level topics by priority and title (as the topic list), each followed by its sub-topics (by position);
    with the depth: 1 for a sub-topic under its parent, 0 for the others (also a sub-topic whose parent is not
    among ``topics``). Reads the parent ids only, so it costs no queries."""
    topics = list(topics)
    ids = {t.id for t in topics}
    children: dict[int, list[Topic]] = {}
    for t in topics:
        if t.parent_id is not None and t.parent_id in ids:
            children.setdefault(t.parent_id, []).append(t)
    tops = sorted((t for t in topics if t.parent_id is None or t.parent_id not in ids),
                  key=lambda t: (t.priority, t.title.casefold(), t.id))
    ordered: list[tuple[Topic, int]] = []
    for top in tops:
        ordered.append((top, 0))
        ordered += [(child, 1) for child in sorted(children.get(top.id, []), key=lambda c: (c.position, c.id))]
    return ordered


def matrix(*, level: str = "national", municipality_id: int | None = None, status_id: int | None = None,
           with_input_only: bool = False) -> Matrix:
    """The national parties (``level`` "national") or the local parties of one municipality as columns; every
    topic as a row, or those in ``status_id``, or those with input to the shown parties. Inactive parties show
    only where they have input. Three queries, whatever the numbers of topics and parties."""
    topics = list(db.session.scalars(select(Topic).options(joinedload(Topic.status))))
    by_id = {t.id: t for t in topics}
    party_query = select(PoliticalParty).options(joinedload(PoliticalParty.municipality))
    if level == "local":
        if municipality_id is None:
            return Matrix([], [])
        party_query = party_query.where(PoliticalParty.level == "local",
                                        PoliticalParty.municipality_id == municipality_id)
    else:
        party_query = party_query.where(PoliticalParty.level == "national")
    columns = list(db.session.scalars(party_query.order_by(func.lower(PoliticalParty.name), PoliticalParty.id)))
    cells = latest_inputs(party_ids=[p.id for p in columns]) if columns else {}
    with_input = {p for (_t, p) in cells}
    columns = [p for p in columns if p.active or p.id in with_input]
    shown = [t for t in topics if status_id is None or t.status_id == status_id]
    if with_input_only:
        touched = {t for (t, _p) in cells}
        shown = [t for t in shown if t.id in touched]
    rows = []
    for topic, depth in ordered_topics(shown):
        parent = by_id.get(topic.parent_id) if topic.parent_id is not None else None
        rows.append(MatrixRow(topic, depth, parent.title if parent is not None else ""))
    return Matrix(rows, columns, cells)


def matrix_csv(found: Matrix) -> str:
    """The matrix for a spreadsheet in a Dutch locale: semicolons, a byte-order mark, stances as words, no cell
    that a spreadsheet would run as a formula (names may start with "=")."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(v) for v in [_("Topic"), _("Part of"), _("Status")]
                     + [p.name + ("" if p.active else " " + _("(inactive)")) for p in found.parties]
                     + [_("Supportive parties")]])
    for row in found.rows:
        writer.writerow([csv_cell(v) for v in [row.topic.title, row.parent_title, own_name(row.topic.status)]
                         + [str(stance_labels[found.stance(row.topic, p)]) if found.cell(row.topic, p) else ""
                            for p in found.parties]
                         + [found.supportive_for_topic(row.topic)]])
    writer.writerow([csv_cell(v) for v in [_("Topics supported"), "", ""]
                     + [found.supportive_of_party(p) for p in found.parties] + [""]])
    return "\ufeff" + out.getvalue()



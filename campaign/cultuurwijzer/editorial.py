"""The editorial workflow of an edition: its content (statements, parties) and its lifecycle.

draft → open for parties (with a deadline) → in review → published → archived. Each change is one
function that checks the rule, writes, and records the audit entry in the same transaction; the caller
commits. Rules:

- Statements and parties are added, removed and reordered only in draft; their texts can still be
  corrected while the edition is open or in review (never once it is published: move it back to review).
- Publishing needs every party reviewed (accepted). Missing positions block it unless the editor
  explicitly accepts them; the result page then flags them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.models import Election, Municipality, utcnow
from campaign.cultuurwijzer.editions import MAX_LIST_NUMBER, MAX_TITLE
from campaign.cultuurwijzer.models import EDITION_STATUSES, Edition, Party, Statement
from campaign.extensions import db

TRANSITIONS = {
    "draft": ("open", "review"),
    "open": ("review",),
    "review": ("open", "published"),
    "published": ("review", "archived"),
    "archived": ("published",),
}
STRUCTURE_STATUSES = ("draft",)
TEXT_STATUSES = ("draft", "open", "review")
EDITION_FIELDS = ("status", "deadline", "notice", "missing_accepted", "published_at")
STATEMENT_FIELDS = ("key", "theme", "title", "text", "background", "sort_order")
PARTY_FIELDS = ("key", "name", "list_number")


def _party_state(party: Party) -> dict:
    """A party as the audit log keeps it: the contact address may be a person's, so only whether there is one."""
    return {**snapshot(party, PARTY_FIELDS), "contact_address": bool(party.contact_email)}


MAX_THEME = 80
MAX_NAME = 120


def slugify(text: str, taken: set[str], fallback: str = "item") -> str:
    """A lower-case ASCII id from a title, unique among ``taken`` (``-2``, ``-3``… when needed)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:50].strip("-") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def touch(edition: Edition) -> None:
    """Content changed: new revision (ETag, compiled-edition cache) and timestamp."""
    edition.revision += 1
    edition.updated_at = utcnow()


def _require(edition: Edition, statuses: tuple[str, ...], what) -> None:
    if edition.status not in statuses:
        raise ValidationFailed([Problem(edition.id, str(_l(
            "%(what)s is not possible while the edition is %(status)s", what=what,
            status=status_label(edition.status))), "status")])


def status_label(status: str) -> str:
    return str({
        "draft": _l("draft"), "open": _l("open for parties"), "review": _l("in review"),
        "published": _l("published"), "archived": _l("archived"),
    }[status])


def _text(problems: list[Problem], name: str, value: str, max_len: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    problems += text_problems(value, name, name, limit=max_len, missing=_l("must not be empty") if required else None)
    return value


# --- editions ------------------------------------------------------------------------------------------------

def create_edition(actor: Actor, election: Election, municipality: Municipality, *, demo: bool = False,
                   notice: str = "") -> Edition:
    edition_id = f"{election.slug}-{municipality.code.lower()}"
    existing = db.session.scalar(select(Edition).where(
        Edition.election_id == election.id, Edition.municipality_id == municipality.id))
    if existing is not None or db.session.get(Edition, edition_id) is not None:
        raise ValidationFailed([Problem("municipality", str(_l(
            "%(municipality)s already has an edition for %(election)s", municipality=municipality.name,
            election=election.name)), "municipality")])
    edition = Edition(id=edition_id, election=election, municipality=municipality, status="draft", demo=demo,
                      notice=notice.strip(), revision=1, updated_at=utcnow())
    db.session.add(edition)
    db.session.flush()
    record(actor, "edition.create", "edition", edition.id, after=snapshot(edition, EDITION_FIELDS),
           only_changes=False)
    return edition


def update_settings(actor: Actor, edition: Edition, *, notice: str, deadline: dt.datetime | None) -> None:
    before = snapshot(edition, EDITION_FIELDS)
    problems: list[Problem] = []
    edition.notice = _text(problems, "notice", notice, 1000, required=False)
    if edition.status == "open" and deadline is None:
        problems.append(Problem("deadline", str(_l("an open edition needs a deadline")), "deadline"))
    if problems:
        raise ValidationFailed(problems)
    edition.deadline = deadline
    touch(edition)
    record(actor, "edition.settings", "edition", edition.id, before=before, after=snapshot(edition, EDITION_FIELDS))


def missing_positions(edition: Edition) -> list[tuple[Party, Statement]]:
    """Every (party, statement) without a position, in list and statement order."""
    given = {(p.party_id, p.statement_id) for party in edition.parties for p in party.positions
             if p.value is not None}
    return [(party, s) for party in edition.parties for s in edition.statements if (party.id, s.id) not in given]


def publish_problems(edition: Edition, *, accept_missing: bool = False) -> list[Problem]:
    """What stands in the way of publishing; empty when it may go out."""
    problems: list[Problem] = []
    if not edition.statements:
        problems.append(Problem(edition.id, str(_l("the edition has no statements")), "statements"))
    if len(edition.parties) < 2:
        problems.append(Problem(edition.id, str(_l("a comparison needs at least two parties")), "parties"))
    for party in edition.parties:
        if party.submission_status != "accepted":
            problems.append(Problem(party.name, str(_l("not reviewed yet (%(status)s)",
                                                       status=submission_label(party.submission_status))), "review"))
    missing = missing_positions(edition)
    if missing and not accept_missing:
        problems.append(Problem(edition.id, ngettext(
            "%(num)d missing position; accept it explicitly to publish anyway",
            "%(num)d missing positions; accept them explicitly to publish anyway", len(missing)),
            "accept_missing"))
    return problems


def open_problems(edition: Edition, deadline: dt.datetime | None, now: dt.datetime) -> list[Problem]:
    problems: list[Problem] = []
    if deadline is None:
        problems.append(Problem("deadline", str(_l("give the parties a deadline")), "deadline"))
    elif deadline <= now:
        problems.append(Problem("deadline", str(_l("the deadline must lie in the future")), "deadline"))
    if not edition.statements:
        problems.append(Problem(edition.id, str(_l("the edition has no statements")), "statements"))
    if not edition.parties:
        problems.append(Problem(edition.id, str(_l("the edition has no parties")), "parties"))
    return problems


def change_status(actor: Actor, edition: Edition, target: str, *, deadline: dt.datetime | None = None,
                  accept_missing: bool = False, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    if target not in TRANSITIONS.get(edition.status, ()):
        raise ValidationFailed([Problem(edition.id, str(_l(
            "an edition that is %(current)s cannot become %(target)s", current=status_label(edition.status),
            target=status_label(target) if target in TRANSITIONS else target)), "status")])
    if target == "open":
        problems = open_problems(edition, deadline or edition.deadline, now)
        if problems:
            raise ValidationFailed(problems)
    if target == "published":
        problems = publish_problems(edition, accept_missing=accept_missing or edition.missing_accepted)
        if problems:
            raise ValidationFailed(problems)
    before = snapshot(edition, EDITION_FIELDS)
    if target == "open" and deadline is not None:
        edition.deadline = deadline
    if target == "published":
        edition.missing_accepted = bool(missing_positions(edition)) and (accept_missing or edition.missing_accepted)
        edition.published_at = now
    edition.status = target
    touch(edition)
    record(actor, f"edition.{target}", "edition", edition.id, before=before, after=snapshot(edition, EDITION_FIELDS))


# --- statements ----------------------------------------------------------------------------------------------

def _statement_values(theme: str, title: str, text: str, background: str) -> dict[str, str]:
    problems: list[Problem] = []
    values = {
        "theme": _text(problems, "theme", theme, MAX_THEME),
        "title": _text(problems, "title", title, MAX_TITLE),
        "text": _text(problems, "text", text, 1000),
        "background": _text(problems, "background", background, 4000, required=False),
    }
    if problems:
        raise ValidationFailed(problems)
    return values


def add_statement(actor: Actor, edition: Edition, *, theme: str, title: str, text: str,
                  background: str = "") -> Statement:
    _require(edition, STRUCTURE_STATUSES, _l("Adding a statement"))
    values = _statement_values(theme, title, text, background)
    key = slugify(values["title"], {s.key for s in edition.statements}, "stelling")
    order = max((s.sort_order for s in edition.statements), default=0) + 1
    statement = Statement(key=key, sort_order=order, **values)
    edition.statements.append(statement)
    touch(edition)
    db.session.flush()
    record(actor, "statement.create", "statement", key, parent=("edition", edition.id),
           after=snapshot(statement, STATEMENT_FIELDS), only_changes=False)
    return statement


def update_statement(actor: Actor, statement: Statement, *, theme: str, title: str, text: str,
                     background: str) -> None:
    edition = statement.edition
    _require(edition, TEXT_STATUSES, _l("Changing a statement"))
    before = snapshot(statement, STATEMENT_FIELDS)
    for name, value in _statement_values(theme, title, text, background).items():
        setattr(statement, name, value)
    after = snapshot(statement, STATEMENT_FIELDS)
    if after != before:
        touch(edition)
        record(actor, "statement.update", "statement", statement.key, parent=("edition", edition.id),
               before=before, after=after)


def delete_statement(actor: Actor, statement: Statement) -> None:
    edition = statement.edition
    _require(edition, STRUCTURE_STATUSES, _l("Removing a statement"))
    before = snapshot(statement, STATEMENT_FIELDS)
    edition.statements.remove(statement)
    _renumber(edition)
    touch(edition)
    record(actor, "statement.delete", "statement", before["key"], parent=("edition", edition.id), before=before,
           only_changes=False)


def _renumber(edition: Edition) -> None:
    for order, statement in enumerate(sorted(edition.statements, key=lambda s: s.sort_order), start=1):
        statement.sort_order = order


def move_statement(actor: Actor, statement: Statement, offset: int) -> bool:
    """Move one place up (-1) or down (+1); False when it is already first or last."""
    edition = statement.edition
    _require(edition, STRUCTURE_STATUSES, _l("Reordering statements"))
    ordered = sorted(edition.statements, key=lambda s: s.sort_order)
    index = ordered.index(statement)
    target = index + offset
    if not 0 <= target < len(ordered):
        return False
    before = [s.key for s in ordered]
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for order, s in enumerate(ordered, start=1):
        s.sort_order = order
    edition.statements.sort(key=lambda s: s.sort_order)
    touch(edition)
    record(actor, "statement.move", "statement", statement.key, parent=("edition", edition.id),
           before={"order": before}, after={"order": [s.key for s in ordered]}, only_changes=False)
    return True


# --- parties -------------------------------------------------------------------------------------------------

def _party_values(edition: Edition, party: Party | None, name: str, list_number: int | None,
                  contact_email: str) -> dict:
    problems: list[Problem] = []
    values = {
        "name": _text(problems, "name", name, MAX_NAME),
        "list_number": list_number,
        "contact_email": (contact_email or "").strip().lower(),
    }
    if list_number is not None:
        if list_number < 1:
            problems.append(Problem("list_number", str(_l("must be a whole number of 1 or more")), "list_number"))
        elif list_number > MAX_LIST_NUMBER:
            problems.append(Problem("list_number", str(_l("must be %(max)d or less", max=MAX_LIST_NUMBER)),
                                    "list_number"))
        elif any(p.list_number == list_number and p is not party for p in edition.parties):
            problems.append(Problem("list_number", str(_l("list number %(n)d is taken already", n=list_number)),
                                    "list_number"))
    problems += email_problems(values["contact_email"], "contact_email", "contact_email")
    if any(p.name.lower() == values["name"].lower() and p is not party for p in edition.parties):
        problems.append(Problem("name", str(_l("a party with this name exists already")), "name"))
    if problems:
        raise ValidationFailed(problems)
    return values


def add_party(actor: Actor, edition: Edition, *, name: str, list_number: int | None = None,
              contact_email: str = "") -> Party:
    _require(edition, STRUCTURE_STATUSES, _l("Adding a party"))
    values = _party_values(edition, None, name, list_number, contact_email)
    key = slugify(values["name"], {p.key for p in edition.parties}, "partij")
    party = Party(key=key, submission_status="not_invited", **values)
    edition.parties.append(party)
    touch(edition)
    db.session.flush()
    record(actor, "party.create", "party", key, parent=("edition", edition.id),
           after=_party_state(party), only_changes=False)
    return party


def update_party(actor: Actor, party: Party, *, name: str, list_number: int | None, contact_email: str) -> None:
    edition = party.edition
    _require(edition, TEXT_STATUSES, _l("Changing a party"))
    before = _party_state(party)
    for field_name, value in _party_values(edition, party, name, list_number, contact_email).items():
        setattr(party, field_name, value)
    after = _party_state(party)
    if after != before:
        touch(edition)
        record(actor, "party.update", "party", party.key, parent=("edition", edition.id), before=before, after=after)


def delete_party(actor: Actor, party: Party) -> None:
    edition = party.edition
    _require(edition, STRUCTURE_STATUSES, _l("Removing a party"))
    before = _party_state(party)
    edition.parties.remove(party)
    touch(edition)
    record(actor, "party.delete", "party", before["key"], parent=("edition", edition.id), before=before,
           only_changes=False)


def submission_label(status: str) -> str:
    return str({
        "not_invited": _l("not invited"), "invited": _l("invited"), "draft": _l("working on it"),
        "submitted": _l("submitted"), "returned": _l("sent back"), "accepted": _l("accepted"),
    }[status])


def elections() -> list[Election]:
    return list(db.session.scalars(select(Election).order_by(Election.date.desc())))


def municipalities_without_edition(election: Election | None) -> list[Municipality]:
    query = select(Municipality).order_by(Municipality.name)
    if election is not None:
        taken = select(Edition.municipality_id).where(Edition.election_id == election.id)
        query = query.where(Municipality.id.not_in(taken))
    return list(db.session.scalars(query))


def editions_by_status() -> dict[str, list[Edition]]:
    grouped: dict[str, list[Edition]] = {status: [] for status in EDITION_STATUSES}
    query = (select(Edition).join(Edition.municipality).order_by(Municipality.name)
             .options(contains_eager(Edition.municipality), selectinload(Edition.election),
                      selectinload(Edition.statements), selectinload(Edition.parties)))
    for edition in db.session.scalars(query):
        grouped[edition.status].append(edition)
    return grouped


"""Import and export in the back office: edition files and CSVs of positions, previewed before they apply.

An upload is checked and compared with the edition first (``prepare_import``): the editor sees every
problem by line, or every change, and nothing is written. Confirming re-checks the same content and applies
it in one transaction (``apply_import``; the caller commits once). Both kinds of file end as the same plain
``EditionData`` the edition files validate into, so storing reuses ``store_edition``.

The CSV of positions is one format for export, import and open data: one row per party and statement.
Importing it changes only the positions it names.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from flask_babel import lazy_gettext as _l

from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed, unstorable
from campaign.core.spreadsheet import CsvRows, decode_csv
from campaign.cultuurwijzer import editorial
from campaign.cultuurwijzer.editions import (
    MAX_EXPLANATION,
    EditionData,
    coverage_problem,
    edition_data,
    parse_edition,
    store_edition,
)
from campaign.cultuurwijzer.labels import positions_changed
from campaign.cultuurwijzer.models import POSITION_NAMES, POSITION_VALUES, Edition
from campaign.extensions import db

CSV_COLUMNS = ("party", "party_name", "list_number", "statement", "statement_title", "position", "explanation")
# party_name, list_number and statement_title are there for people reading the file; an import ignores them.
CSV_REQUIRED = ("party", "statement", "position", "explanation")
# An edition that is out (or was) takes no import: it goes back to review first.
LOCKED_STATUSES = ("published", "archived")
NO_POSITION: tuple[int | None, str] = (None, "")


# --- CSV of positions ----------------------------------------------------------------------------------------

def positions_csv(data: EditionData) -> str:
    """Every party's position on every statement, parties and statements in edition order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for party in data.parties:
        for statement in data.statements:
            value, explanation = party.positions.get(statement.id, NO_POSITION)
            writer.writerow([party.id, party.name, party.list_number, statement.id, statement.title,
                             "" if value is None else POSITION_NAMES[value], explanation])
    return out.getvalue()


def export_positions_csv(edition: Edition) -> str:
    return positions_csv(edition_data(edition))


@dataclass
class PositionChanges:
    """The positions a CSV names: (party id, statement id) → (value or None, explanation)."""

    values: dict[tuple[str, str], tuple[int | None, str]]
    warnings: list[Problem] = field(default_factory=list)

    def apply_to(self, data: EditionData) -> EditionData:
        """The edition with these positions set; every position the CSV leaves out stays as it is."""
        parties = [
            replace(p, positions=p.positions | {sid: v for (pid, sid), v in self.values.items() if pid == p.id})
            for p in data.parties
        ]
        return replace(data, parties=parties)


def parse_positions_csv(raw: bytes, edition: Edition, source: str = "positions.csv") -> PositionChanges:
    """Read a CSV of positions for ``edition``; raise ValidationFailed listing every problem by line."""
    text = decode_csv(raw, source)
    values: dict[tuple[str, str], tuple[int | None, str]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rows = CsvRows(text, source, CSV_COLUMNS, CSV_REQUIRED, problems=problems)
    line = rows.line
    parties = {p.key: p for p in edition.parties}
    statements = {s.key: s for s in edition.statements}
    for number, cell in rows:
        party = parties.get(cell["party"])
        if party is None:
            problems.append(Problem(line(number), str(_l("unknown party id %(id)r", id=cell["party"])), "party"))
        elif cell.get("party_name") and cell["party_name"] != party.name:
            warnings.append(Problem(line(number), str(_l(
                "party %(id)r is called %(name)r in this edition", id=party.key, name=party.name)),
                "party_name"))
        statement = statements.get(cell["statement"])
        if statement is None:
            problems.append(Problem(line(number), str(_l(
                "unknown statement id %(id)r", id=cell["statement"])), "statement"))
        elif cell.get("statement_title") and cell["statement_title"] != statement.title:
            warnings.append(Problem(line(number), str(_l(
                "statement %(id)r has the title %(title)r in this edition", id=statement.key,
                title=statement.title)), "statement_title"))
        name = cell["position"].lower()
        if name and name not in POSITION_VALUES:
            problems.append(Problem(line(number), str(_l(
                "must be agree, neutral, disagree or empty, got %(value)r", value=cell["position"])), "position"))
        if len(cell["explanation"]) > MAX_EXPLANATION:
            problems.append(Problem(line(number), str(_l(
                "is longer than %(max)d characters", max=MAX_EXPLANATION)), "explanation"))
        elif unstorable(cell["explanation"]):
            problems.append(Problem(line(number), str(_l("contains a character that cannot be stored")),
                                    "explanation"))
        key = (cell["party"], cell["statement"])
        if key in first_seen:
            problems.append(Problem(line(number), str(_l(
                "party %(party)r and statement %(statement)r are on line %(line)d already", party=key[0],
                statement=key[1], line=first_seen[key])), "statement"))
        first_seen.setdefault(key, number)
        values[key] = (POSITION_VALUES.get(name), cell["explanation"])
    if not problems and not values:
        problems.append(Problem(source, str(_l("contains no positions"))))
    if problems:
        raise ValidationFailed(problems)
    return PositionChanges(values, warnings)


# --- preview -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemChange:
    """A statement or party added, removed or changed; ``label`` is its title or name."""

    key: str
    label: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PositionChange:
    party: str
    party_name: str
    statement: str
    statement_title: str
    old: str | None  # position name, None for no position
    new: str | None
    old_explanation: str
    new_explanation: str


@dataclass
class Preview:
    """What an import would change, compared field by field with what is stored."""

    edition_id: str
    is_new: bool
    positions_only: bool = False
    settings: list[str] = field(default_factory=list)
    statements_added: list[ItemChange] = field(default_factory=list)
    statements_removed: list[ItemChange] = field(default_factory=list)
    statements_changed: list[ItemChange] = field(default_factory=list)
    statements_reordered: bool = False
    parties_added: list[ItemChange] = field(default_factory=list)
    parties_removed: list[ItemChange] = field(default_factory=list)
    parties_changed: list[ItemChange] = field(default_factory=list)
    positions: list[PositionChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.is_new or any((self.settings, self.statements_added, self.statements_removed,
                                   self.statements_changed, self.statements_reordered, self.parties_added,
                                   self.parties_removed, self.parties_changed, self.positions))

    def summary(self) -> str:
        if self.positions_only:
            return positions_changed(len(self.positions))
        text = str(_l(
            "statements: %(added)d added, %(changed)d changed, %(removed)d removed; parties: %(parties_added)d "
            "added, %(parties_changed)d changed, %(parties_removed)d removed; positions: %(positions)d changed",
            added=len(self.statements_added), changed=len(self.statements_changed),
            removed=len(self.statements_removed), parties_added=len(self.parties_added),
            parties_changed=len(self.parties_changed), parties_removed=len(self.parties_removed),
            positions=len(self.positions)))
        if self.settings:
            text += "; " + str(_l("settings changed: %(fields)s", fields=", ".join(self.settings)))
        return text


STATEMENT_FIELDS = ("theme", "title", "text", "background")
PARTY_FIELDS = ("name", "list_number")


def _changed_fields(old, new, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(old, name) != getattr(new, name))


def diff_editions(old: EditionData | None, new: EditionData, *, positions_only: bool = False) -> Preview:
    """Compare an edition as stored (None: not yet) with what an import would make of it."""
    preview = Preview(edition_id=new.id, is_new=old is None, positions_only=positions_only)
    old_statements = {s.id: s for s in old.statements} if old else {}
    old_parties = {p.id: p for p in old.parties} if old else {}
    if old is not None:
        preview.settings = [name for name in ("demo", "notice", "election")
                            if getattr(old, name) != getattr(new, name)]
    new_statements = {s.id: s for s in new.statements}
    new_parties = {p.id: p for p in new.parties}
    for s in new.statements:
        if s.id not in old_statements:
            preview.statements_added.append(ItemChange(s.id, s.title))
        elif fields := _changed_fields(old_statements[s.id], s, STATEMENT_FIELDS):
            preview.statements_changed.append(ItemChange(s.id, s.title, fields))
    preview.statements_removed = [ItemChange(s.id, s.title) for s in old_statements.values()
                                  if s.id not in new_statements]
    preview.statements_reordered = (
        [key for key in old_statements if key in new_statements] != [s.id for s in new.statements
                                                                      if s.id in old_statements])
    for p in new.parties:
        if p.id not in old_parties:
            preview.parties_added.append(ItemChange(p.id, p.name))
        elif fields := _changed_fields(old_parties[p.id], p, PARTY_FIELDS):
            preview.parties_changed.append(ItemChange(p.id, p.name, fields))
    preview.parties_removed = [ItemChange(p.id, p.name) for p in old_parties.values() if p.id not in new_parties]
    for p in new.parties:
        before = old_parties[p.id].positions if p.id in old_parties else {}
        for s in new.statements:
            old_value, old_explanation = before.get(s.id, NO_POSITION)
            new_value, new_explanation = p.positions.get(s.id, NO_POSITION)
            if (old_value, old_explanation) != (new_value, new_explanation):
                preview.positions.append(PositionChange(
                    p.id, p.name, s.id, s.title, POSITION_NAMES.get(old_value), POSITION_NAMES.get(new_value),
                    old_explanation, new_explanation))
    return preview


def preview_edition_import(edition: Edition | None, data: EditionData) -> Preview:
    return diff_editions(edition_data(edition) if edition is not None else None, data)


# --- import --------------------------------------------------------------------------------------------------

@dataclass
class ImportPlan:
    """A checked upload: the edition as it will be stored, its status after the import, and the changes."""

    source: str
    data: EditionData
    status: str
    preview: Preview


def detect_kind(filename: str, raw: bytes) -> str:
    """"json" (an edition file) or "csv" (positions), by extension, else by the first character."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    return "json" if raw.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{") else "csv"


def _structure_problems(edition: Edition, preview: Preview, source: str) -> list[Problem]:
    """After the draft, statements and parties are no longer added, removed or reordered."""
    if edition.status in editorial.STRUCTURE_STATUSES:
        return []
    status = editorial.status_label(edition.status)
    problems = [Problem(source, str(_l("adding statement %(id)r is not possible while the edition is %(status)s",
                                       id=item.key, status=status)), "statements")
                for item in preview.statements_added]
    problems += [Problem(source, str(_l("removing statement %(id)r is not possible while the edition is "
                                        "%(status)s", id=item.key, status=status)), "statements")
                 for item in preview.statements_removed]
    if preview.statements_reordered:
        problems.append(Problem(source, str(_l("reordering the statements is not possible while the edition is "
                                               "%(status)s", status=status)), "statements"))
    problems += [Problem(source, str(_l("adding party %(id)r is not possible while the edition is %(status)s",
                                        id=item.key, status=status)), "parties")
                 for item in preview.parties_added]
    problems += [Problem(source, str(_l("removing party %(id)r is not possible while the edition is %(status)s",
                                        id=item.key, status=status)), "parties")
                 for item in preview.parties_removed]
    return problems


def _plan_into(edition: Edition, raw: bytes, source: str) -> ImportPlan:
    if edition.status in LOCKED_STATUSES:
        raise ValidationFailed([Problem(edition.id, str(_l(
            "an edition that is %(status)s takes no import: move it back to review first",
            status=editorial.status_label(edition.status))), "status")])
    old = edition_data(edition)
    if detect_kind(source, raw) == "csv":
        changes = parse_positions_csv(raw, edition, source)
        data = changes.apply_to(old)
        preview = diff_editions(old, data, positions_only=True)
        preview.warnings = changes.warnings
        return ImportPlan(source, data, edition.status, preview)
    data = parse_edition(raw, source, complete=False)
    problems = []
    if data.id != edition.id:
        problems.append(Problem(source, str(_l("the file is for edition %(file)r, not %(edition)r", file=data.id,
                                               edition=edition.id)), "id"))
    if data.election["slug"] != edition.election.slug:
        problems.append(Problem(source, str(_l("the file is for election %(file)r, not %(edition)r",
                                               file=data.election["slug"], edition=edition.election.slug)),
                                "election"))
    if data.municipality["code"] != edition.municipality.code:
        problems.append(Problem(source, str(_l("the file is for municipality %(file)s, not %(edition)s",
                                               file=data.municipality["code"], edition=edition.municipality.code)),
                                "municipality"))
    if problems:
        raise ValidationFailed(problems)
    preview = diff_editions(old, data)
    problems = _structure_problems(edition, preview, source)
    if problems:
        raise ValidationFailed(problems)
    if data.status not in (None, edition.status):
        preview.warnings.append(Problem(source, str(_l(
            "the status in the file (%(file)s) is ignored: the edition stays %(status)s", file=data.status,
            status=editorial.status_label(edition.status))), "status"))
    return ImportPlan(source, data, edition.status, preview)


def _plan_new(raw: bytes, source: str) -> ImportPlan:
    if detect_kind(source, raw) == "csv":
        raise ValidationFailed([Problem(source, str(_l(
            "a new edition needs an edition file (.json); a CSV of positions only updates an existing edition")))])
    data = parse_edition(raw, source, complete=False)
    if db.session.get(Edition, data.id) is not None:
        raise ValidationFailed([Problem(source, str(_l(
            "edition %(id)r exists already: import into it from its own page", id=data.id)), "id")])
    problem = coverage_problem(data)
    if problem is not None:
        raise ValidationFailed([problem])
    preview = diff_editions(None, data)
    if data.status not in (None, "draft"):
        preview.warnings.append(Problem(source, str(_l(
            "the status in the file (%(file)s) is ignored: a new edition starts as a draft", file=data.status)),
            "status"))
    return ImportPlan(source, data, "draft", preview)


def prepare_import(edition: Edition | None, raw: bytes, filename: str) -> ImportPlan:
    """Check an upload against its target (an edition, or None for a new one) and compare it with what is
    stored; raise ValidationFailed with every problem. Writes nothing."""
    source = PurePath(filename.replace("\\", "/")).name or "upload"
    return _plan_new(raw, source) if edition is None else _plan_into(edition, raw, source)


def apply_import(actor: Actor, plan: ImportPlan) -> tuple[Edition, bool]:
    """Store a checked upload and log it, in the session (the caller commits). Returns (edition, changed)."""
    edition, changed = store_edition(plan.data, status=plan.status)
    if changed:
        record(actor, "edition.import", "edition", edition.id, summary=f"{plan.source}: {plan.preview.summary()}")
    return edition, changed

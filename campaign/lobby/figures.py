"""Local figures: numbers per municipality and year that the lobby team collects (pupils at the local music
school, the municipal culture-education budget per inhabitant), imported from CSV.

The rules:
- The team configures the kinds of figures (``FigureKind``): a key that names the kind in CSV files (lower-case
  letters, digits and hyphens, unique), a Dutch and an English name, a unit, the number of decimals shown, a
  description and the order in which dossiers list them.
- A CSV holds one figure per line: ``municipality_code,figure,year,value,source`` (comma or semicolon, an
  optional byte-order mark, header names in any case, also in Dutch: gemeentecode, cijfer, jaar, waarde, bron).
  Every line is checked and every problem reported with its line and column; one bad line and nothing is
  written. A value is a number that is not negative, with a comma or a point as the decimal separator and
  no thousands separators ("12,50", "1234.5"). A figure already stored for the same municipality, kind and
  year is replaced (counted as updated, or unchanged when value and source are the same).
- At most MAX_LINES lines and MAX_BYTES bytes per file.

The audit log keeps the counts of an import, and a kind's values before and after a change.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, tuple_

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems, unstorable
from campaign.core.forms import FIRST_YEAR, LAST_YEAR
from campaign.core.i18n import local_today
from campaign.core.labels import action_labels
from campaign.core.models import MUNICIPALITY_CODE, Municipality, utcnow
from campaign.core.spreadsheet import CsvRows, decode_csv
from campaign.extensions import db
from campaign.lobby.models import FigureKind, LocalFigure

action_labels.update({
    "lobby.figures.import": _l("Local figures imported"),
    "lobby.figure_kind.create": _l("Kind of local figure added"),
    "lobby.figure_kind.update": _l("Kind of local figure changed"),
})

# Limits of a kind (the columns hold as much) and of an import.
MAX_KEY = 40
MAX_NAME = 120
MAX_UNIT = 30
MAX_DECIMALS = 4
MAX_DESCRIPTION = 2000
MAX_POSITION = 10_000
MAX_SOURCE = 300
MAX_LINES = 10_000
MAX_BYTES = 2 * 1024 * 1024
# A figure larger than this is a typing mistake (and would lose precision as a float).
MAX_VALUE = 1e12

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Digits, at most one decimal separator (comma or point), no thousands separators; a sign only to say why not.
NUMBER = re.compile(r"^([+-]?)([0-9]+)(?:[.,]([0-9]+))?$")
# Spaces Excel and people put inside a number: ordinary, no-break and thin spaces.
NUMBER_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")

COLUMNS = ("municipality_code", "figure", "year", "value", "source")
REQUIRED = ("municipality_code", "figure", "year", "value")
# Dutch column names as a Dutch spreadsheet may have them.
ALIASES = {"gemeentecode": "municipality_code", "gemeente": "municipality_code", "cijfer": "figure",
           "jaar": "year", "waarde": "value", "bron": "source"}

KIND_FIELDS = ("key", "name", "name_en", "unit", "decimals", "description", "position")
FIELD_LABELS = {
    "key": _l("Key"),
    "name": _l("Name (Dutch)"),
    "name_en": _l("Name (English)"),
    "unit": _l("Unit"),
    "decimals": _l("Decimals"),
    "description": _l("Description"),
    "position": _l("Order"),
}


# --- reading --------------------------------------------------------------------------------------------------

def figure_kinds() -> list[FigureKind]:
    """Every kind, in the team's order."""
    return list(db.session.scalars(select(FigureKind).order_by(FigureKind.position, FigureKind.name,
                                                               FigureKind.id)))


def figure_counts() -> dict[int, tuple[int, int, int | None]]:
    """Per kind id: (figures, municipalities, latest year), for kinds that have figures."""
    query = select(LocalFigure.kind_id, func.count(LocalFigure.id),
                   func.count(func.distinct(LocalFigure.municipality_id)), func.max(LocalFigure.year)) \
        .group_by(LocalFigure.kind_id)
    return {kind_id: (count, places, latest) for kind_id, count, places, latest in db.session.execute(query)}


def municipality_figures(municipality: Municipality) -> list[tuple[FigureKind, list[LocalFigure]]]:
    """The municipality's figures per kind: kinds in the team's order, years newest first; kinds without
    figures left out."""
    figures = db.session.scalars(select(LocalFigure).where(LocalFigure.municipality_id == municipality.id)
                                 .order_by(LocalFigure.year.desc()))
    by_kind: dict[int, list[LocalFigure]] = {}
    for figure in figures:
        by_kind.setdefault(figure.kind_id, []).append(figure)
    return [(kind, by_kind[kind.id]) for kind in figure_kinds() if kind.id in by_kind]


def format_figure(kind: FigureKind, value: float) -> str:
    """A value in the reader's locale with the kind's decimals and its unit: "1.250 leerlingen", "€ 12,50" (a
    unit that starts with € goes before the number: "€ 12,50 per inwoner")."""
    pattern = "#,##0" + ("." + "0" * kind.decimals if kind.decimals else "")
    number = format_decimal(value, format=pattern)
    unit = kind.unit.strip()
    if unit.startswith("€"):
        return f"€ {number} {unit[1:].strip()}".strip()
    return f"{number} {unit}".strip()


# --- kinds ----------------------------------------------------------------------------------------------------

def _problem(field: str, message) -> Problem:
    return Problem(str(FIELD_LABELS[field]), str(message), field)


def _clean(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _checked_kind(kind: FigureKind | None, *, key: str, name: str, name_en: str = "", unit: str = "",
                  decimals=0, description: str = "", position=0) -> dict:
    key, name, name_en, unit, description = (_clean(v) for v in (key, name, name_en, unit, description))
    key = key.lower()
    problems = text_problems(key, FIELD_LABELS["key"], "key", limit=MAX_KEY, missing=_l("Enter a key."))
    if key and len(key) <= MAX_KEY:
        if not KEY.match(key):
            problems.append(_problem("key", _l(
                "Use lower-case letters, digits and hyphens only, like muziekschool-leerlingen.")))
        else:
            other = db.session.scalar(select(FigureKind).where(FigureKind.key == key))
            if other is not None and other is not kind:
                problems.append(_problem("key", _l("Another kind of figure has this key already.")))
    problems += text_problems(name, FIELD_LABELS["name"], "name", limit=MAX_NAME, missing=_l("Enter a name."))
    problems += text_problems(name_en, FIELD_LABELS["name_en"], "name_en", limit=MAX_NAME)
    problems += text_problems(unit, FIELD_LABELS["unit"], "unit", limit=MAX_UNIT)
    problems += text_problems(description, FIELD_LABELS["description"], "description", limit=MAX_DESCRIPTION)
    for field, text in (("key", key), ("name", name), ("name_en", name_en), ("unit", unit),
                        ("description", description)):
        if unstorable(text):
            problems.append(_problem(field, _l("contains a character that cannot be stored")))
    if not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        problems.append(_problem("decimals", _l("Choose a number from 0 to %(max)d.", max=MAX_DECIMALS)))
    if not isinstance(position, int) or not 0 <= position <= MAX_POSITION:
        problems.append(_problem("position", _l("Choose a number from 0 to %(max)d.", max=MAX_POSITION)))
    if problems:
        raise ValidationFailed(problems)
    return {"key": key, "name": name, "name_en": name_en, "unit": unit, "decimals": decimals,
            "description": description, "position": position}


def create_figure_kind(actor: Actor, **fields) -> FigureKind:
    """A new kind of figure. ``fields``: key, name, name_en, unit, decimals, description, position."""
    kind = FigureKind(**_checked_kind(None, **fields))
    db.session.add(kind)
    db.session.flush()
    record(actor, "lobby.figure_kind.create", "figure_kind", kind.id, after=snapshot(kind, KIND_FIELDS),
           only_changes=False)
    return kind


def update_figure_kind(actor: Actor, kind: FigureKind, **fields) -> FigureKind:
    """The same fields as ``create_figure_kind``. A changed key names the kind in the next CSV files; the
    figures stay with the kind."""
    values = _checked_kind(kind, **fields)
    before = snapshot(kind, KIND_FIELDS)
    for name, value in values.items():
        setattr(kind, name, value)
    record(actor, "lobby.figure_kind.update", "figure_kind", kind.id, before=before,
           after=snapshot(kind, KIND_FIELDS))
    return kind


# --- CSV ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureLine:
    """One checked line of a CSV."""

    line: int
    municipality: Municipality
    kind: FigureKind
    year: int
    value: float
    source: str


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def parse_number(text: str) -> float | None:
    """A value as the CSV rule reads it, or None when it is no number: digits with at most one decimal separator,
    a comma or a point ("12,50", "1234.5"); spaces are ignored ("1 234"), thousands separators are not
    accepted ("1.234,5" is no number). The sign is kept: the caller refuses negative values itself."""
    match = NUMBER.match(NUMBER_SPACES.sub("", text))
    if not match:
        return None
    sign, whole, fraction = match.groups()
    return float(f"{sign}{whole}.{fraction or '0'}")


def municipality_code(text: str) -> str:
    """A CBS code as written in a file: GM0344, gm0344, or the bare number (344, 0344) that CBS's own column
    Gemeentecode holds and a spreadsheet leaves when it drops leading zeros."""
    text = text.strip().upper()
    if text.isdigit() and len(text) <= 4:
        return f"GM{int(text):04d}"
    return text


def _column(name: str) -> str:
    """A header name as the import reads it: Dutch aliases to the English names, spaces as underscores."""
    name = name.replace(" ", "_")
    return ALIASES.get(name, name)


def parse_figures_csv(raw: bytes, source: str = "figures.csv") -> list[FigureLine]:
    """Check every line of a CSV of figures; raise ValidationFailed naming every problem by line and column.
    Writes nothing."""
    if len(raw) > MAX_BYTES:
        raise ValidationFailed([Problem(source, str(_l("is larger than %(mb)d MB: split it into smaller files",
                                                       mb=MAX_BYTES // (1024 * 1024))))])
    text = decode_csv(raw, source, _l("is not UTF-8 text: save it as “CSV UTF-8”"))
    problems: list[Problem] = []
    lines: list[FigureLine] = []
    rows = CsvRows(text, source, COLUMNS, REQUIRED, problems=problems, rename=_column, max_rows=MAX_LINES,
                   show_header=True)
    places = {m.code: m for m in db.session.scalars(select(Municipality))}
    kinds = {k.key: k for k in figure_kinds()}
    known_kinds = ", ".join(kinds) or "–"
    first_seen: dict[tuple[str, str, int], int] = {}
    for number, cell in rows:

        def bad(name: str, message) -> None:
            # "figures.csv: line 4, waarde: ...": the column as the file names it (no form field to mark).
            problems.append(Problem(f"{rows.line(number)}, {rows.written[name]}", str(message)))

        code = municipality_code(cell["municipality_code"])
        place = places.get(code)
        if not cell["municipality_code"]:
            bad("municipality_code", _l("is empty"))
        elif place is None:
            bad("municipality_code", _l("%(value)r is not a known municipality code (like GM0344)",
                                        value=cell["municipality_code"]) if not MUNICIPALITY_CODE.match(code)
                else _l("there is no municipality %(code)s", code=code))
        key = cell["figure"].lower()
        kind = kinds.get(key)
        if kind is None:
            bad("figure", _l("%(value)r is not a known kind of figure; known: %(known)s", value=cell["figure"],
                             known=known_kinds))
        year = int(cell["year"]) if cell["year"].isdecimal() and len(cell["year"]) <= 4 else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            bad("year", _l("%(value)r is not a year from %(first)d to %(last)d", value=cell["year"],
                           first=FIRST_YEAR, last=LAST_YEAR))
        value = parse_number(cell["value"])
        if value is None:
            bad("value", _l("%(value)r is not a number (write 1234,5 or 1234.5, without thousands "
                            "separators)", value=cell["value"]))
        elif value < 0:
            bad("value", _l("%(value)r is negative; figures are 0 or more", value=cell["value"]))
        elif value > MAX_VALUE:
            bad("value", _l("%(value)r is too large", value=cell["value"]))
        text = cell.get("source", "")
        if len(text) > MAX_SOURCE:
            bad("source", _l("is longer than %(max)d characters", max=MAX_SOURCE))
        elif unstorable(text):
            bad("source", _l("contains a character that cannot be stored"))
        if place is not None and kind is not None and year is not None:
            seen = (code, kind.key, year)
            if seen in first_seen:
                bad("year", _l("%(code)s, %(figure)s, %(year)d is on line %(line)d already", code=code,
                               figure=kind.key, year=year, line=first_seen[seen]))
            first_seen.setdefault(seen, number)
        if not problems:
            lines.append(FigureLine(number, place, kind, year, value, text))
    if not problems and not lines:
        problems.append(Problem(source, str(_l("contains no figures"))))
    if problems:
        raise ValidationFailed(problems)
    return lines


def import_figures(actor: Actor, lines: list[FigureLine], source: str = "figures.csv") -> ImportResult:
    """Store checked lines, in the session (the caller commits once): new figures are added, stored ones for
    the same municipality, kind and year replaced."""
    keys = [(item.municipality.id, item.kind.id, item.year) for item in lines]
    stored: dict[tuple[int, int, int], LocalFigure] = {}
    for chunk in range(0, len(keys), 500):
        part = keys[chunk:chunk + 500]
        stored.update(((f.municipality_id, f.kind_id, f.year), f) for f in db.session.scalars(
            select(LocalFigure).where(tuple_(LocalFigure.municipality_id, LocalFigure.kind_id, LocalFigure.year)
                                      .in_(part))))
    added = updated = unchanged = 0
    now = utcnow()
    for key, item in zip(keys, lines):
        figure = stored.get(key)
        if figure is None:
            db.session.add(LocalFigure(municipality=item.municipality, kind=item.kind, year=item.year,
                                       value=item.value, source=item.source, imported_at=now))
            added += 1
        elif (figure.value, figure.source) == (item.value, item.source):
            unchanged += 1
        else:
            figure.value, figure.source, figure.imported_at = item.value, item.source, now
            updated += 1
    result = ImportResult(added, updated, unchanged)
    record(actor, "lobby.figures.import", "local_figures", "csv", summary=import_summary(result),
           after={"added": added, "updated": updated, "unchanged": unchanged}, only_changes=False)
    db.session.flush()
    return result


def import_summary(result: ImportResult) -> str:
    return str(_l("%(added)d added, %(updated)d updated, %(unchanged)d unchanged", added=result.added,
                  updated=result.updated, unchanged=result.unchanged))


def example_csv() -> str:
    """A file to start from: the header and, per kind the team configured, a line with a fictional value (with
    a decimal comma where the kind has decimals, as a Dutch spreadsheet writes it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for number, kind in enumerate(figure_kinds(), start=1):
        value = f"{number * 125}" + (",5" if kind.decimals else "")
        writer.writerow(["GM0344", kind.key, local_today().year - 1, value, str(_l("example, fictional"))])
    return out.getvalue()

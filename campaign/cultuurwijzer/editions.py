"""Edition files (``data/parties/*.json``): validate, import all-or-nothing, export the same format back.

The format is documented in docs/data-format.md. Validation collects every problem, each naming the file,
the JSON path (or line for syntax errors) and the field, before anything touches the database.

Storing merges by key: statements and parties that keep their id are updated in place, so what hangs off
them (a party's personal links, its review state, its contact address) survives a re-import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.core.errors import Problem, ValidationFailed, unstorable
from campaign.core.models import MUNICIPALITY_CODE, Election, Municipality
from campaign.cultuurwijzer.models import (
    EDITION_STATUSES,
    POSITION_NAMES,
    POSITION_VALUES,
    Edition,
    Party,
    Position,
    Statement,
)
from campaign.extensions import db

FORMAT = "cultuurwijzer-edition/1"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
MAX_EXPLANATION = 1000
MAX_TITLE = 200
MAX_LIST_NUMBER = 99  # a ballot's list numbers stay far below; an absurd one would overflow the column


@dataclass
class StatementData:
    id: str
    theme: str
    title: str
    text: str
    background: str


@dataclass
class PartyData:
    id: str
    name: str
    list_number: int | None
    # statement id -> (value in {-1, 0, 1} or None, explanation)
    positions: dict[str, tuple[int | None, str]] = field(default_factory=dict)


@dataclass
class EditionData:
    id: str
    election: dict[str, Any]
    municipality: dict[str, str]
    statements: list[StatementData]
    parties: list[PartyData]
    status: str | None = None
    demo: bool = False
    notice: str = ""


class _Checker:
    """Collects problems while reading a decoded JSON document."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, message, field_name: str = "") -> None:
        location = f"{self.source}: {path}" if path else self.source
        self.problems.append(Problem(location=location, message=str(message), field=field_name))

    def text(self, obj: dict, key: str, path: str, *, required: bool = True, max_len: int | None = None) -> str:
        value = obj.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.add(path, _l("must be text") if key in obj else _l("is missing"), key)
            return ""
        if unstorable(value):  # JSON may carry a NUL or a lone surrogate; no database stores them
            self.add(path, _l("contains a character that cannot be stored"), key)
            return ""
        value = value.strip()
        if required and not value:
            self.add(path, _l("must not be empty"), key)
        if max_len is not None and len(value) > max_len:
            self.add(path, _l("is longer than %(max)d characters", max=max_len), key)
        return value

    def identified_items(self, doc: dict, key: str, seen: set[str], duplicate_message, *, non_empty: bool = True):
        """Yield (item, id, path) for each object in the list ``doc[key]``; report bad and duplicate ids.

        The path names the item by index and, once known, by id: ``statements[3] (cultuurpas)``.
        """
        items = doc.get(key)
        if not isinstance(items, list) or (non_empty and not items):
            self.add("", _l("must be a non-empty list") if non_empty else _l("must be a list"), key)
            return
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.add(path, _l("must be an object"))
                continue
            item_id = self.slug(item, "id", path)
            if item_id:
                path = f"{key}[{i}] ({item_id})"
                if item_id in seen:
                    self.add(path, duplicate_message % {"id": item_id}, "id")
                seen.add(item_id)
            yield item, item_id, path

    def slug(self, obj: dict, key: str, path: str) -> str:
        value = self.text(obj, key, path)
        if value and not SLUG.match(value):
            self.add(path, _l("must be lowercase letters, digits and hyphens (at most 60), got %(value)r",
                              value=value), key)
        return value


def parse_edition(raw: str | bytes, source: str = "<input>", *, complete: bool = True) -> EditionData:
    """Decode and validate an edition document; raise ValidationFailed listing every problem.

    Keys the format does not define (such as the open-data ``licence``) are ignored.
    """
    try:
        doc = json.loads(raw)
    except UnicodeDecodeError:
        raise ValidationFailed([Problem(source, str(_l("is not UTF-8 text")))])
    except json.JSONDecodeError as exc:
        raise ValidationFailed([Problem(f"{source}: line {exc.lineno}, column {exc.colno}",
                                        str(_l("is not valid JSON: %(error)s", error=exc.msg)))])
    except RecursionError:  # nested deeper than the parser goes
        raise ValidationFailed([Problem(source, str(_l("is nested too deeply to read")))])
    return validate_edition(doc, source, complete=complete)


def validate_edition(doc: Any, source: str = "<input>", *, complete: bool = True) -> EditionData:
    """Check a decoded document. ``complete`` (the default, for files that may be published as they are)
    also requires statements, parties, a background to every statement and a position from every party;
    without it an edition in the making passes, as the back office exports a draft."""
    c = _Checker(source)
    if not isinstance(doc, dict):
        raise ValidationFailed([Problem(source, str(_l("must be a JSON object")))])
    if doc.get("format") != FORMAT:
        c.add("", _l("must be %(format)r", format=FORMAT), "format")
    edition_id = c.slug(doc, "id", "")
    status = doc.get("status")
    if status is not None and status not in EDITION_STATUSES:
        c.add("", _l("must be one of %(values)s", values=", ".join(EDITION_STATUSES)), "status")
    demo = doc.get("demo", False)
    if not isinstance(demo, bool):
        c.add("", _l("must be true or false"), "demo")
    notice = c.text(doc, "notice", "", required=False, max_len=1000)

    election = doc.get("election")
    election_data: dict[str, Any] = {}
    if not isinstance(election, dict):
        c.add("", _l("must be an object with slug, name and date"), "election")
    else:
        election_data["slug"] = c.slug(election, "slug", "election")
        election_data["name"] = c.text(election, "name", "election", max_len=200)
        date_text = c.text(election, "date", "election")
        try:
            election_data["date"] = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError:
            c.add("election", _l("must be a date as YYYY-MM-DD, got %(value)r", value=date_text), "date")

    municipality = doc.get("municipality")
    municipality_data: dict[str, str] = {}
    if not isinstance(municipality, dict):
        c.add("", _l("must be an object with code, name and province"), "municipality")
    else:
        code = c.text(municipality, "code", "municipality")
        if code and not MUNICIPALITY_CODE.match(code):
            c.add("municipality", _l("must be a CBS code such as GM0344, got %(value)r", value=code), "code")
        municipality_data = {
            "code": code,
            "name": c.text(municipality, "name", "municipality", max_len=120),
            "province": c.text(municipality, "province", "municipality", max_len=60),
        }

    statements: list[StatementData] = []
    seen: set[str] = set()
    for item, sid, path in c.identified_items(doc, "statements", seen, _l("duplicate statement id %(id)r"),
                                              non_empty=complete):
        statements.append(StatementData(
            id=sid,
            theme=c.text(item, "theme", path, max_len=80),
            title=c.text(item, "title", path, max_len=MAX_TITLE),
            text=c.text(item, "text", path, max_len=2000),
            background=c.text(item, "background", path, required=complete, max_len=4000),
        ))

    parties: list[PartyData] = []
    party_ids: set[str] = set()
    list_numbers: set[int] = set()
    for item, pid, path in c.identified_items(doc, "parties", party_ids, _l("duplicate party id %(id)r"),
                                              non_empty=complete):
        party = PartyData(id=pid, name=c.text(item, "name", path, max_len=120), list_number=None)
        number = item.get("list_number")
        if number is not None:
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                c.add(path, _l("must be a whole number of 1 or more"), "list_number")
            elif number > MAX_LIST_NUMBER:
                c.add(path, _l("must be %(max)d or less", max=MAX_LIST_NUMBER), "list_number")
            elif number in list_numbers:
                c.add(path, _l("list number %(number)d is used twice", number=number), "list_number")
            else:
                list_numbers.add(number)
                party.list_number = number
        positions = item.get("positions")
        if not isinstance(positions, dict):
            c.add(path, _l("must be an object mapping statement ids to positions"), "positions")
            positions = {}
        for sid, entry in positions.items():
            ppath = f"{path}.positions.{sid}"
            if sid not in seen:
                c.add(ppath, _l("unknown statement id %(id)r", id=sid))
                continue
            if not isinstance(entry, dict):
                c.add(ppath, _l("must be an object with position and explanation"))
                continue
            name = entry.get("position")
            if name is not None and name not in POSITION_VALUES:
                c.add(ppath, _l("must be agree, neutral, disagree or null, got %(value)r", value=name),
                      "position")
                continue
            explanation = c.text(entry, "explanation", ppath, required=False, max_len=MAX_EXPLANATION)
            party.positions[sid] = (None if name is None else POSITION_VALUES[name], explanation)
        if complete and not any(value is not None for value, _ in party.positions.values()):
            c.add(path, _l("party %(id)r has no positions", id=pid or path), "positions")
        parties.append(party)

    if c.problems:
        raise ValidationFailed(c.problems)
    return EditionData(
        id=edition_id,
        election=election_data,
        municipality=municipality_data,
        statements=statements,
        parties=parties,
        status=status,
        demo=demo,
        notice=notice,
    )


def read_edition_file(path: str | Path) -> EditionData:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed([Problem(str(path), str(_l("cannot be read: %(error)s", error=exc.strerror)))])
    return parse_edition(raw, source=path.name)


# --- database -------------------------------------------------------------------------------------------

def _get_or_create_election(data: dict[str, Any]) -> Election:
    election = db.session.scalar(select(Election).where(Election.slug == data["slug"]))
    if election is None:
        election = Election(slug=data["slug"], name=data["name"], date=data["date"])
        db.session.add(election)
    else:
        election.name, election.date = data["name"], data["date"]
    return election


def _get_or_create_municipality(data: dict[str, str]) -> Municipality:
    municipality = db.session.scalar(select(Municipality).where(Municipality.code == data["code"]))
    if municipality is None:
        municipality = Municipality(**data)
        db.session.add(municipality)
    return municipality


def coverage_problem(data: EditionData) -> Problem | None:
    """Two editions may not cover the same municipality in the same election: the other one, if any."""
    clash = db.session.scalar(
        select(Edition).join(Edition.election).join(Edition.municipality).where(
            Election.slug == data.election["slug"], Municipality.code == data.municipality["code"],
            Edition.id != data.id))
    if clash is None:
        return None
    return Problem(data.id, str(_l("edition %(other)r already covers %(municipality)s in %(election)s",
                                   other=clash.id, municipality=clash.municipality.name,
                                   election=clash.election.slug)), "id")


def store_edition(data: EditionData, *, status: str | None = None) -> tuple[Edition, bool]:
    """Write an edition into the session (the caller commits once). Returns (edition, changed).

    An edition with the same id is merged in place and its revision bumped, unless nothing differs, so
    loading the same file twice changes nothing. Statements and parties are matched by id: kept ones are
    updated (with their positions), new ones added, those no longer in the file deleted. A kept party
    keeps what the file does not carry (contact address, review state, personal links); a new party counts
    as reviewed when the edition goes out as it is (published or archived), else as not yet invited.
    """
    edition = db.session.get(Edition, data.id)
    target_status = status or data.status or (edition.status if edition else "published")
    if edition is not None and edition_to_dict(edition) == edition_document(data, target_status):
        return edition, False
    problem = coverage_problem(data)
    if problem is not None:
        raise ValidationFailed([problem])
    election = _get_or_create_election(data.election)
    municipality = _get_or_create_municipality(data.municipality)
    if edition is None:
        edition = Edition(id=data.id, revision=1)
        db.session.add(edition)
    else:
        edition.revision += 1
    edition.election = election
    edition.municipality = municipality
    edition.status = target_status
    edition.demo = data.demo
    edition.notice = data.notice
    edition.updated_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    kept_statements = {s.key: s for s in edition.statements}
    by_key: dict[str, Statement] = {}
    for order, s in enumerate(data.statements, start=1):
        statement = kept_statements.get(s.id) or Statement(key=s.id)
        statement.sort_order, statement.theme, statement.title = order, s.theme, s.title
        statement.text, statement.background = s.text, s.background
        by_key[s.id] = statement

    kept_parties = {p.key: p for p in edition.parties}
    new_party_status = "accepted" if target_status in ("published", "archived") else "not_invited"
    parties: list[Party] = []
    for p in data.parties:
        party = kept_parties.get(p.id) or Party(key=p.id, submission_status=new_party_status)
        party.name, party.list_number = p.name, p.list_number
        kept_positions = {position.statement.key: position for position in party.positions}
        positions: list[Position] = []
        for sid, (value, explanation) in p.positions.items():
            position = kept_positions.get(sid) or Position(statement=by_key[sid])
            position.value, position.explanation = value, explanation
            positions.append(position)
        # Assigning whole lists deletes what they leave out (delete-orphan cascade).
        party.positions = positions
        parties.append(party)
    edition.parties = parties
    edition.statements = list(by_key.values())
    db.session.flush()
    return edition, True


def import_edition_file(path: str | Path, *, status: str | None = None) -> tuple[Edition, bool]:
    """Validate and store one file in one transaction: everything or nothing."""
    data = read_edition_file(path)
    try:
        edition, changed = store_edition(data, status=status)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return edition, changed


def edition_document(data: EditionData, status: str) -> dict[str, Any]:
    """The data-file document (what ``export-edition`` writes and ``import-edition`` reads)."""
    return {
        "format": FORMAT,
        "id": data.id,
        "demo": data.demo,
        "notice": data.notice,
        "status": status,
        "election": {"slug": data.election["slug"], "name": data.election["name"],
                     "date": data.election["date"].isoformat()},
        "municipality": dict(data.municipality),
        "statements": [
            {"id": s.id, "theme": s.theme, "title": s.title, "text": s.text, "background": s.background}
            for s in data.statements
        ],
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "list_number": p.list_number,
                "positions": {
                    s.id: {"position": None if value is None else POSITION_NAMES[value], "explanation": explanation}
                    for s in data.statements
                    for value, explanation in [p.positions.get(s.id, (None, ""))]
                },
            }
            for p in data.parties
        ],
    }


def edition_data(edition: Edition) -> EditionData:
    """A stored edition as the same plain data an edition file validates into."""
    statements = list(edition.statements)
    key_of = {s.id: s.key for s in statements}
    return EditionData(
        id=edition.id,
        election={"slug": edition.election.slug, "name": edition.election.name, "date": edition.election.date},
        municipality={"code": edition.municipality.code, "name": edition.municipality.name,
                      "province": edition.municipality.province},
        statements=[StatementData(s.key, s.theme, s.title, s.text, s.background) for s in statements],
        parties=[
            PartyData(p.key, p.name, p.list_number,
                      {key_of[pos.statement_id]: (pos.value, pos.explanation) for pos in p.positions})
            for p in edition.parties
        ],
        status=edition.status,
        demo=edition.demo,
        notice=edition.notice,
    )


def edition_to_dict(edition: Edition) -> dict[str, Any]:
    return edition_document(edition_data(edition), edition.status)


def dump_document(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def dump_edition(edition: Edition) -> str:
    return dump_document(edition_to_dict(edition))

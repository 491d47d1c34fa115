"""The citizen's advice: load a published edition once per revision, read answers, explain the match.

Plain functions over models (no ``request``): views and the API parse input, then call these.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.core.errors import Problem, ValidationFailed
from campaign.core.models import Election, Municipality
from campaign.cultuurwijzer import matching
from campaign.cultuurwijzer.models import POSITION_NAMES, POSITION_VALUES, Edition, Party
from campaign.extensions import db

ANSWERS = ("agree", "neutral", "disagree", "skip")


@dataclass(frozen=True)
class StatementInfo:
    key: str
    number: int
    theme: str
    title: str
    text: str
    background: str


@dataclass(frozen=True)
class PartyInfo:
    key: str
    name: str
    list_number: int | None


@dataclass(frozen=True)
class CompiledEdition:
    """Everything the citizen pages need of one edition revision, immutable and shareable across requests."""

    id: str
    revision: int
    version: str  # changes whenever the content does: part of the ETag
    status: str
    municipality_code: str
    municipality: str
    province: str
    election_slug: str
    election: str
    election_date: dt.date
    demo: bool
    notice: str
    statements: tuple[StatementInfo, ...]
    parties: tuple[PartyInfo, ...]
    positions: np.ndarray  # (parties, statements) in {-1, 0, 1} or NaN
    explanations: tuple[tuple[str, ...], ...]  # [party][statement]

    def position(self, party: int, statement: int) -> str | None:
        """agree / neutral / disagree, or None where the party gave no position."""
        value = self.positions[party, statement]
        return None if np.isnan(value) else POSITION_NAMES[int(value)]

    def statement_index(self) -> dict[str, int]:
        return {s.key: i for i, s in enumerate(self.statements)}

    def party_index(self) -> dict[str, int]:
        return {p.key: i for i, p in enumerate(self.parties)}


_cache: dict[tuple[str, str], CompiledEdition] = {}
_cache_lock = threading.Lock()


def _version(edition_id: str, revision: int, updated_at: dt.datetime) -> str:
    return f"{edition_id}.{revision}.{updated_at.strftime('%Y%m%d%H%M%S%f')}"


def _compile(edition_id: str) -> CompiledEdition:
    edition = db.session.scalar(
        select(Edition)
        .where(Edition.id == edition_id)
        .options(
            selectinload(Edition.statements),
            selectinload(Edition.parties).selectinload(Party.positions),
            selectinload(Edition.election),
            selectinload(Edition.municipality),
        )
    )
    statements = tuple(
        StatementInfo(key=s.key, number=i, theme=s.theme, title=s.title, text=s.text, background=s.background)
        for i, s in enumerate(edition.statements, start=1)
    )
    column = {s.id: j for j, s in enumerate(edition.statements)}
    positions = np.full((len(edition.parties), len(statements)), np.nan)
    explanations = []
    for i, party in enumerate(edition.parties):
        texts = [""] * len(statements)
        for pos in party.positions:
            j = column[pos.statement_id]
            if pos.value is not None:
                positions[i, j] = pos.value
            texts[j] = pos.explanation
        explanations.append(tuple(texts))
    positions.setflags(write=False)
    return CompiledEdition(
        id=edition.id,
        revision=edition.revision,
        version=_version(edition.id, edition.revision, edition.updated_at),
        status=edition.status,
        municipality_code=edition.municipality.code,
        municipality=edition.municipality.name,
        province=edition.municipality.province,
        election_slug=edition.election.slug,
        election=edition.election.name,
        election_date=edition.election.date,
        demo=edition.demo,
        notice=edition.notice,
        statements=statements,
        parties=tuple(PartyInfo(p.key, p.name, p.list_number) for p in edition.parties),
        positions=positions,
        explanations=tuple(explanations),
    )


def _compiled(edition_id: str, revision: int, updated_at: dt.datetime) -> CompiledEdition:
    key = (edition_id, _version(edition_id, revision, updated_at))
    found = _cache.get(key)
    if found is None:
        found = _compile(edition_id)
        with _cache_lock:
            if len(_cache) > 256:
                _cache.clear()
            _cache[key] = found
    return found


def compiled_edition(edition: Edition) -> CompiledEdition:
    """Any edition, whatever its status (the editors' quality check looks at drafts too)."""
    return _compiled(edition.id, edition.revision, edition.updated_at)


def published_edition(*, edition_id: str | None = None, municipality_code: str | None = None) -> CompiledEdition | None:
    """The published edition by id, or the newest published one of a municipality; one small query when cached."""
    query = (
        select(Edition.id, Edition.revision, Edition.updated_at)
        .join(Election, Edition.election_id == Election.id)
        .join(Municipality, Edition.municipality_id == Municipality.id)
        .where(Edition.status == "published")
    )
    if edition_id is not None:
        query = query.where(Edition.id == edition_id)
    if municipality_code is not None:
        query = query.where(Municipality.code == municipality_code.upper())
    row = db.session.execute(query.order_by(Election.date.desc(), Edition.id).limit(1)).first()
    if row is None:
        return None
    return _compiled(*row)


def published_editions() -> list[dict]:
    rows = db.session.execute(
        select(Edition.id, Municipality.code, Municipality.name, Municipality.province, Election.slug,
               Election.name, Election.date, Edition.demo)
        .join(Election, Edition.election_id == Election.id)
        .join(Municipality, Edition.municipality_id == Municipality.id)
        .where(Edition.status == "published")
        .order_by(Municipality.name, Election.date.desc())
    )
    return [
        {"id": r[0], "municipality_code": r[1], "municipality": r[2], "province": r[3], "election_slug": r[4],
         "election": r[5], "election_date": r[6], "demo": r[7]}
        for r in rows
    ]


def search_municipalities(query: str, limit: int = 10) -> list[dict]:
    """Municipalities with a published edition whose name or code contains the query (case-insensitive)."""
    needle = query.strip().casefold()
    editions = published_editions()
    seen, found = set(), []
    for e in editions:
        if e["municipality_code"] in seen:
            continue
        if not needle or needle in e["municipality"].casefold() or needle == e["municipality_code"].casefold():
            seen.add(e["municipality_code"])
            found.append(e)
    # Names starting with the query first, then the rest; alphabetical within each.
    found.sort(key=lambda e: (not e["municipality"].casefold().startswith(needle), e["municipality"].casefold()))
    return found[:limit]


# --- answers ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answers:
    """A citizen's input: answer per statement key, the important ones, and the parties to compare."""

    answers: Mapping[str, str]
    important: frozenset[str]
    parties: tuple[str, ...] | None  # None: all


@dataclass(frozen=True)
class InputNames:
    """How a caller's input names its fields, so every problem names the field the caller actually sent."""

    answer_prefix: str  # + statement id: one answer
    answers: str  # the answers as a whole
    important: str
    parties: str


JSON_FIELDS = InputNames(answer_prefix="answers.", answers="answers", important="important", parties="parties")


def check_answers(edition: CompiledEdition, answers: Mapping[str, object], important: Iterable[object],
                  parties: Iterable[object] | None, names: InputNames = JSON_FIELDS) -> Answers:
    """Validate keys and values against the edition; raise ValidationFailed naming every bad field."""
    problems: list[Problem] = []
    statement_keys = edition.statement_index()
    party_keys = edition.party_index()
    clean: dict[str, str] = {}
    for key, value in answers.items():
        if key not in statement_keys:
            problems.append(Problem(names.answer_prefix + key, str(_l("unknown statement id %(id)r", id=key))))
        elif value not in ANSWERS:
            problems.append(Problem(names.answer_prefix + key, str(_l(
                "must be agree, neutral, disagree or skip, got %(value)r", value=value))))
        else:
            clean[key] = value
    marked: set[str] = set()
    for key in important:
        if not isinstance(key, str) or key not in statement_keys:
            problems.append(Problem(names.important, str(_l("unknown statement id %(id)r", id=key))))
        else:
            marked.add(key)
    chosen: tuple[str, ...] | None = None
    if parties is not None:
        picked = []
        for key in parties:
            if not isinstance(key, str) or key not in party_keys:
                problems.append(Problem(names.parties, str(_l("unknown party id %(id)r", id=key))))
            elif key not in picked:
                picked.append(key)
        chosen = tuple(picked) if picked else None
    if problems:
        raise ValidationFailed(problems)
    if not any(v != "skip" for v in clean.values()):
        raise ValidationFailed([Problem(names.answers, str(_l("answer at least one statement to get an advice")))])
    return Answers(answers=clean, important=frozenset(marked), parties=chosen)


# --- result ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatementLine:
    statement: StatementInfo
    answer: str  # agree / neutral / disagree / skip
    important: bool
    position: str | None  # None: the party gave no position
    explanation: str
    points: float
    maximum: float


@dataclass(frozen=True)
class PartyResult:
    party: PartyInfo
    rank: int
    shared_rank: bool  # another compared party has the same rank
    score: float
    points: float
    maximum: float
    missing: int  # answered statements on which the party gave no position
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True)
class Advice:
    edition: CompiledEdition
    answers: Answers
    answered: int
    results: tuple[PartyResult, ...]

    @property
    def shared_ranks(self) -> bool:
        return any(r.shared_rank for r in self.results)


def compute_advice(edition: CompiledEdition, answers: Answers) -> Advice:
    """Run the engine for one citizen and explain every point with the engine's own numbers."""
    given = [answers.answers.get(s.key, "skip") for s in edition.statements]
    vector = np.array([np.nan if a == "skip" else POSITION_VALUES[a] for a in given])
    important = np.array([a != "skip" and s.key in answers.important for s, a in zip(edition.statements, given)],
                         dtype=bool)
    index = edition.party_index()
    rows = [index[k] for k in answers.parties] if answers.parties else list(range(len(edition.parties)))
    match = matching.score_citizen(edition.positions[rows], vector, important)
    rank_counts = Counter(match.ranks.tolist())
    results = []
    for r, i in enumerate(rows):
        lines = tuple(
            StatementLine(s, given[j], bool(important[j]), edition.position(i, j), edition.explanations[i][j],
                          float(match.earned[r, j]), float(match.possible[j]))
            for j, s in enumerate(edition.statements)
        )
        missing = sum(line.answer != "skip" and line.position is None for line in lines)
        rank = int(match.ranks[r])
        results.append(PartyResult(edition.parties[i], rank, rank_counts[rank] > 1, float(match.scores[r]),
                                   float(match.points[r]), match.maximum, missing, lines))
    results.sort(key=lambda res: (res.rank, res.party.name.casefold(), res.party.key))
    return Advice(edition=edition, answers=answers, answered=int(np.count_nonzero(~np.isnan(vector))),
                  results=tuple(results))

"""Anonymous answer statistics: what citizens who chose to share their answers answered, as counts only.

The rules:
- Nothing is stored unless the citizen presses the button on the result page (``share_answers``). Then one
  transaction adds 1 to the count of the answer given to every statement of the edition (an unanswered
  statement counts as skip) and 1 to the edition's count for the day (Dutch date). No answer set, no IP
  address, no time finer than a day, no cookie and no audit entry: the counts cannot be traced to anybody.
- The counts are increased by the database itself (``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1``),
  so simultaneous shares never lose one, on PostgreSQL (the row lock of the conflicting row) and on SQLite (one
  writer at a time).
- Nothing is shown below ANSWER_STATS_MIN_RESPONSES shares of an edition (``edition_statistics`` returns None):
  with few responses a count could say something about one person.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from campaign.core.i18n import local_today
from campaign.core.spreadsheet import spreadsheet_cell
from campaign.cultuurwijzer.advice import Answers, CompiledEdition
from campaign.cultuurwijzer.models import Edition, Statement
from campaign.extensions import db
from campaign.lobby.models import TALLY_ANSWERS, AnswerDay, AnswerTally

# The answers a response gives, in the order pages and files show them.
ANSWERED = ("agree", "neutral", "disagree")


def minimum_responses() -> int:
    return current_app.config["ANSWER_STATS_MIN_RESPONSES"]


# --- sharing --------------------------------------------------------------------------------------------------

def _upsert(model):
    """The dialect's INSERT that knows ON CONFLICT (PostgreSQL and SQLite share the syntax)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app runs on these two only
        raise NotImplementedError(f"no counting upsert for {dialect}")
    return insert(model)


def _increment(model, keys: tuple[str, ...], rows: list[dict]) -> None:
    """Add 1 to the count of every row (given by its key columns); a row that does not exist yet starts at 1."""
    statement = _upsert(model).values([row | {"count": 1} for row in rows])
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_={"count": model.count + 1})
    db.session.execute(statement)


def share_answers(edition: CompiledEdition, answers: Answers, day: dt.date | None = None) -> None:
    """Count one citizen's answers (checked by ``advice.check_answers``) in the edition's statistics, in the
    session (the caller commits once). Writes answer_tally and answer_day only."""
    rows = [{"edition_id": edition.id, "statement_key": s.key, "answer": answers.answers.get(s.key, "skip")}
            for s in edition.statements]
    # Always in the edition's statement order, then the day: simultaneous shares lock rows in one order.
    _increment(AnswerTally, ("edition_id", "statement_key", "answer"), rows)
    _increment(AnswerDay, ("edition_id", "day"), [{"edition_id": edition.id, "day": day or local_today()}])


# --- reading --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EditionStatistics:
    """The shared answers of one edition: ``statements`` as (key, title, {answer: count}) in edition order, every
    answer of TALLY_ANSWERS present; ``days`` as (date, count), oldest first."""

    edition_id: str
    responses: int
    statements: list[tuple[str, str, dict[str, int]]]
    days: list[tuple[dt.date, int]]

    def rows(self):
        """Per statement: key, title, the counts, how many answered (not skip) and the share of each answer
        among those who answered (0..1; None when nobody answered)."""
        for key, title, counts in self.statements:
            answered = sum(counts[a] for a in ANSWERED)
            shares = {a: (counts[a] / answered if answered else None) for a in ANSWERED}
            yield StatementRow(key, title, counts, answered, shares)


@dataclass(frozen=True)
class StatementRow:
    key: str
    title: str
    counts: dict[str, int]
    answered: int
    shares: dict[str, float | None]


def responses(edition_ids: list[str] | None = None) -> dict[str, int]:
    """How many citizens shared, per edition that has any (of ``edition_ids``, or all)."""
    query = select(AnswerDay.edition_id, func.sum(AnswerDay.count)).group_by(AnswerDay.edition_id)
    if edition_ids is not None:
        query = query.where(AnswerDay.edition_id.in_(edition_ids))
    return {edition_id: int(total) for edition_id, total in db.session.execute(query)}


def edition_statistics(edition_id: str) -> EditionStatistics | None:
    """The edition's shared answers, or None while fewer than ANSWER_STATS_MIN_RESPONSES citizens shared."""
    total = responses([edition_id]).get(edition_id, 0)
    if total < minimum_responses():
        return None
    tallies: dict[str, dict[str, int]] = {}
    for key, answer, count in db.session.execute(
            select(AnswerTally.statement_key, AnswerTally.answer, AnswerTally.count)
            .where(AnswerTally.edition_id == edition_id)):
        tallies.setdefault(key, dict.fromkeys(TALLY_ANSWERS, 0))[answer] = count
    statements = [(key, title, tallies.pop(key, dict.fromkeys(TALLY_ANSWERS, 0)))
                  for key, title in db.session.execute(select(Statement.key, Statement.title)
                                                       .where(Statement.edition_id == edition_id)
                                                       .order_by(Statement.sort_order))]
    # Counts of a statement the edition no longer has (it cannot lose one once published, but be safe).
    statements += [(key, key, counts) for key, counts in sorted(tallies.items())]
    days = [(day, count) for day, count in db.session.execute(
        select(AnswerDay.day, AnswerDay.count).where(AnswerDay.edition_id == edition_id).order_by(AnswerDay.day))]
    return EditionStatistics(edition_id, total, statements, days)


@dataclass(frozen=True)
class EditionResponses:
    """An edition with shared answers, for the overview: ``responses`` only when it reached the minimum."""

    edition: Edition
    enough: bool
    responses: int | None


def editions_with_statistics() -> list[EditionResponses]:
    """Every edition that has shared answers, newest election first, then by municipality; below the minimum
    without the exact number."""
    totals = responses()
    if not totals:
        return []
    editions = db.session.scalars(select(Edition).where(Edition.id.in_(totals))
                                  .options(joinedload(Edition.municipality), joinedload(Edition.election)))
    minimum = minimum_responses()
    found = [EditionResponses(e, totals[e.id] >= minimum, totals[e.id] if totals[e.id] >= minimum else None)
             for e in editions]
    found.sort(key=lambda r: r.edition.municipality.name)
    found.sort(key=lambda r: r.edition.election.date, reverse=True)
    return found


# --- CSV ------------------------------------------------------------------------------------------------------

STATEMENT_COLUMNS = ("statement", "title", "agree", "neutral", "disagree", "skip", "answered", "agree_percent",
                     "neutral_percent", "disagree_percent")
DAY_COLUMNS = ("day", "responses")


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


def statements_csv(stats: EditionStatistics) -> str:
    """One row per statement: the counts, how many answered and each answer's percentage of those (one decimal,
    a point as decimal separator; empty when nobody answered)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STATEMENT_COLUMNS)
    for row in stats.rows():
        writer.writerow([row.key, spreadsheet_cell(row.title), *(row.counts[a] for a in TALLY_ANSWERS), row.answered,
                         *(_percent(row.shares[a]) for a in ANSWERED)])
    return out.getvalue()


def days_csv(stats: EditionStatistics) -> str:
    """One row per day on which citizens shared (ISO date, Dutch day), oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DAY_COLUMNS)
    writer.writerows((day.isoformat(), count) for day, count in stats.days)
    return out.getvalue()

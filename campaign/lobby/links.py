"""Links: topics <-> Cultuurwijzer statements and topics <-> debates, and the parties' positions on a topic's
statements across every municipality.

The rules:
- A topic links to statements by *key* (see ``models.py``): one link serves every edition with a statement of
  that key, also editions imported later. Only keys that exist in some edition can be linked. Each link says
  which answer supports our ask: agree (the default) or disagree.
- A party's position on a linked statement supports our ask when it is that answer, goes against it when it is
  the other one; neutral and no position say nothing. A party supports our ask when more of the topic's
  statements in its edition support it than go against it.
- "Published only" means editions with status published: the positions citizens see now.
- A topic links to any debate, also a cancelled one (the picker lists those last); linking twice changes nothing.

Every change is recorded in the audit log on the topic: statement keys, supporting answers and debate ids.

The positions of all editions come from one query (``positions_by_topic``), not one per edition; whether parties
support our ask is counted by the database (``party_support``, ``support_summaries``), the one place the rule
is written.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.labels import action_labels
from campaign.core.models import Election, Municipality
from campaign.cultuurwijzer.editorial import status_label as edition_status_label
from campaign.cultuurwijzer.labels import answer_labels
from campaign.cultuurwijzer.models import POSITION_NAMES, POSITION_VALUES, Edition, Party, Position, Statement
from campaign.debates.models import Debate
from campaign.core.spreadsheet import spreadsheet_cell as csv_cell
from campaign.extensions import db
from campaign.lobby.labels import supports_labels
from campaign.lobby.models import SUPPORTING_ANSWERS, Topic, TopicStatement, topic_debate

action_labels.update({
    "lobby.topic.link_statement": _l("Statements linked to a topic"),
    "lobby.topic.unlink_statement": _l("Statement unlinked from a topic"),
    "lobby.topic.link_debate": _l("Debate linked to a topic"),
    "lobby.topic.unlink_debate": _l("Debate unlinked from a topic"),
})

# Whether a party's position supports our ask, in words (pages never say it by colour alone).
SUPPORTS_ASK_LABELS = {True: _l("supports our ask"), False: _l("against our ask"), None: _l("neither")}
# The edition status whose positions citizens see.
PUBLISHED = "published"


# --- the parties' positions on a topic's statements ----------------------------------------------------------

@dataclass(frozen=True)
class PositionRow:
    """One party's position on one of the topic's statements in one edition."""

    statement_key: str
    statement_title: str
    supports: str  # the answer that supports our ask: agree or disagree
    edition_id: str
    edition_status: str
    municipality: Municipality
    election: Election
    party_name: str
    position: str | None  # agree, neutral, disagree; None: the party gave none
    explanation: str
    supports_ask: bool | None  # None without a position, or a neutral one
    party_id: int


@dataclass(frozen=True)
class MunicipalitySupport:
    """How many of an edition's parties support our ask on a topic."""

    municipality: Municipality
    election: Election
    edition_id: str
    supporting: int
    parties: int

    @property
    def share(self) -> float:
        """0..1; 0 for an edition without parties."""
        return self.supporting / self.parties if self.parties else 0.0


@dataclass(frozen=True)
class PartySupport:
    """One party's positions on a topic's statements in its edition: how many support our ask, how many go
    against it, and whether the party supports our ask (more of the first than of the second)."""

    supporting: int
    opposing: int
    supports: bool


# The rule, in SQL only: every page that says whether a party (or how many of an edition's parties) supports our
# ask reads it from here, so they cannot disagree. A position's score: +1 when it is the link's supporting answer,
# -1 when it is the other one, 0 when neutral, NULL without a position (the values are agree 1, neutral 0,
# disagree -1, so the supporting answer's value times the position's value).
_SCORE = Position.value * case((TopicStatement.supports == "agree", POSITION_VALUES["agree"]),
                               else_=POSITION_VALUES["disagree"])
_SUPPORTS_ASK = {1: True, -1: False, 0: None, None: None}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _positions_query(columns: list, topic_ids: Iterable[int] | None, *, published_only: bool,
                     election_id: int | None, municipality_id: int | None, search: str):
    """``columns`` over every party of every edition with one of the linked statements (of ``topic_ids``, or of
    every topic), with its position on the statement or none: one row per (link, edition, party). The filters
    keep the editions: published ones, of an election, of a municipality, of municipalities whose name or CBS
    code contains ``search`` (any case)."""
    query = (
        select(*columns)
        .select_from(TopicStatement)
        .join(Statement, Statement.key == TopicStatement.statement_key)
        .join(Edition, Statement.edition_id == Edition.id)
        .join(Party, Party.edition_id == Edition.id)
        .outerjoin(Position, (Position.party_id == Party.id) & (Position.statement_id == Statement.id))
    )
    if topic_ids is not None:
        query = query.where(TopicStatement.topic_id.in_(list(topic_ids)))
    if published_only:
        query = query.where(Edition.status == PUBLISHED)
    if election_id is not None:
        query = query.where(Edition.election_id == election_id)
    if municipality_id is not None:
        query = query.where(Edition.municipality_id == municipality_id)
    needle = search.strip()
    if needle:
        pattern = f"%{_escape_like(needle)}%"
        query = query.where(Edition.municipality_id.in_(select(Municipality.id).where(or_(
            Municipality.name.ilike(pattern, escape="\\"), Municipality.code.ilike(pattern, escape="\\")))))
    return query


def positions_by_topic(topic_ids: Iterable[int] | None = None, *, published_only: bool = False,
                       election_id: int | None = None, municipality_id: int | None = None,
                       search: str = "") -> dict[int, list[PositionRow]]:
    """topic id -> every party's position on each of the topic's linked statements in every edition that has it
    (each topic with its own supporting answers: two topics may link one statement with opposite ones); for the
    topics of ``topic_ids`` (default: every topic), those without positions left out. One query.

    Per topic ordered by statement key, municipality name, election (newest first), then the edition's party
    order. The filters: those of ``support_summaries``, but every edition unless ``published_only``."""
    query = (
        _positions_query([TopicStatement.topic_id, Statement.key, Statement.title, TopicStatement.supports,
                          Edition.id, Edition.status, Municipality, Election, Party.name, Position.value,
                          Position.explanation, Party.id, _SCORE], topic_ids, published_only=published_only,
                         election_id=election_id, municipality_id=municipality_id, search=search)
        .join(Municipality, Edition.municipality_id == Municipality.id)
        .join(Election, Edition.election_id == Election.id)
        .order_by(TopicStatement.topic_id, Statement.key, Municipality.name, Election.date.desc(), Edition.id,
                  Party.list_number.is_(None), Party.list_number, Party.id)
    )
    found: dict[int, list[PositionRow]] = defaultdict(list)
    for (topic_id, key, title, supports, edition_id, status, municipality, election, party, value, explanation,
         party_id, supports_ask) in db.session.execute(query):
        found[topic_id].append(PositionRow(
            key, title, supports, edition_id, status, municipality, election, party,
            None if value is None else POSITION_NAMES[value], explanation or "", _SUPPORTS_ASK[supports_ask],
            party_id))
    return dict(found)


def topic_positions(topic: Topic, **filters) -> list[PositionRow]:
    """``positions_by_topic`` of one topic: every party's position on each of its linked statements in every
    edition that has it (one query)."""
    return positions_by_topic([topic.id], **filters).get(topic.id, [])


def _party_support_query(topic_ids: Iterable[int] | None, *extra_columns, **filters):
    """Per (topic, edition, party): whether the party supports our ask on the topic (``supports``, 1 or 0): more
    of its positions on the topic's statements support our ask than go against it, so a tie does not."""
    balance = func.coalesce(func.sum(_SCORE), 0)  # supporting minus opposing positions
    return (_positions_query([TopicStatement.topic_id.label("topic_id"), Edition.id.label("edition_id"),
                              Party.id.label("party_id"), case((balance > 0, 1), else_=0).label("supports"),
                              *extra_columns], topic_ids, **filters)
            .group_by(TopicStatement.topic_id, Edition.id, Party.id))


def party_support(topic_ids: Iterable[int] | None = None, *, published_only: bool = False,
                  election_id: int | None = None, municipality_id: int | None = None,
                  search: str = "") -> dict[tuple[int, int], PartySupport]:
    """(topic id, Cultuurwijzer party id) -> whether that party supports our ask on the topic, for every party of
    every edition with one of the topic's statements (filters: those of ``positions_by_topic``). One query."""
    query = _party_support_query(topic_ids, func.sum(case((_SCORE == 1, 1), else_=0)).label("supporting"),
                                 func.sum(case((_SCORE == -1, 1), else_=0)).label("opposing"),
                                 published_only=published_only, election_id=election_id,
                                 municipality_id=municipality_id, search=search)
    return {(row.topic_id, row.party_id): PartySupport(int(row.supporting), int(row.opposing), bool(row.supports))
            for row in db.session.execute(query)}


def _support_order(s: MunicipalitySupport) -> tuple:
    return -s.share, s.municipality.name, -s.election.date.toordinal(), s.edition_id


def support_summaries(topic_ids: Iterable[int] | None = None, *, published_only: bool = True,
                      election_id: int | None = None, municipality_id: int | None = None,
                      search: str = "") -> dict[int, list[MunicipalitySupport]]:
    """topic id -> per edition with one of the topic's statements: how many of its parties support our ask
    (``party_support``); by share (highest first), then municipality name, election (newest first). For the
    topics of ``topic_ids`` (default: every topic); topics without such an edition are left out. One query,
    counted by the database rather than by reading every position.

    The filters keep the editions: published ones (unless ``published_only`` is False), of an election, of a
    municipality, of municipalities whose name or CBS code contains ``search`` (any case)."""
    parties = _party_support_query(topic_ids, published_only=published_only, election_id=election_id,
                                   municipality_id=municipality_id, search=search).subquery()
    query = (
        select(parties.c.topic_id, parties.c.edition_id, Municipality, Election, func.sum(parties.c.supports),
               func.count())
        .join(Edition, Edition.id == parties.c.edition_id)
        .join(Municipality, Edition.municipality_id == Municipality.id)
        .join(Election, Edition.election_id == Election.id)
        .group_by(parties.c.topic_id, parties.c.edition_id, Municipality.id, Election.id)
    )
    found: dict[int, list[MunicipalitySupport]] = defaultdict(list)
    for topic_id, edition_id, municipality, election, supporting, count in db.session.execute(query):
        found[topic_id].append(MunicipalitySupport(municipality, election, edition_id, int(supporting), int(count)))
    for summary in found.values():
        summary.sort(key=_support_order)
    return dict(found)


def support_by_municipality(topic: Topic, **filters) -> list[MunicipalitySupport]:
    """``support_summaries`` of one topic: per edition with one of its statements, how many of its parties
    support our ask; the editions where most do first, then by municipality name."""
    return support_summaries([topic.id], **filters).get(topic.id, [])


def positions_csv(rows: Iterable[PositionRow]) -> str:
    """The positions as a spreadsheet reads them in a Dutch locale (semicolons, a byte-order mark); a cell
    that starts like a formula is shown as text, never run."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Statement key"), _("Statement"), _("Supporting answer"), _("Municipality code"),
                     _("Municipality"), _("Election"), _("Edition"), _("Edition status"), _("Party"), _("Position"),
                     _("Explanation"), _("Supports our ask")])
    answers = answer_labels()
    for row in rows:
        writer.writerow([csv_cell(value) for value in (
            row.statement_key, row.statement_title, supports_labels[row.supports], row.municipality.code,
            row.municipality.name, row.election.name, row.edition_id, edition_status_label(row.edition_status),
            row.party_name, answers[row.position], row.explanation, SUPPORTS_ASK_LABELS[row.supports_ask])])
    return "\ufeff" + out.getvalue()


@dataclass(frozen=True)
class EditionPositions:
    """The positions of one edition's parties on one statement."""

    edition_id: str
    edition_status: str
    municipality: Municipality
    election: Election
    rows: list[PositionRow]


def positions_by_statement(rows: Iterable[PositionRow]) -> dict[str, list[EditionPositions]]:
    """``topic_positions``' rows per statement key, then per edition, in their order."""
    grouped: dict[str, list[EditionPositions]] = defaultdict(list)
    for row in rows:
        editions = grouped[row.statement_key]
        if not editions or editions[-1].edition_id != row.edition_id:
            editions.append(EditionPositions(row.edition_id, row.edition_status, row.municipality, row.election, []))
        editions[-1].rows.append(row)
    return dict(grouped)


def topics_by_statement_key(keys: Iterable[str]) -> dict[str, list[Topic]]:
    """The topics each statement key serves, by title; every key asked for is in the answer (maybe with [])."""
    keys = list(dict.fromkeys(keys))
    found: dict[str, list[Topic]] = {key: [] for key in keys}
    if not keys:
        return found
    rows = db.session.execute(
        select(TopicStatement.statement_key, Topic)
        .join(Topic, TopicStatement.topic_id == Topic.id)
        .where(TopicStatement.statement_key.in_(keys))
        .order_by(Topic.title, Topic.id)
    )
    for key, topic in rows:
        found[key].append(topic)
    return found


# --- the statement catalogue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueEntry:
    """A statement key across all editions: its title and theme in the newest edition that has it."""

    key: str
    title: str
    theme: str
    text: str
    editions: int


def statement_catalogue(search: str = "", *, keys: Iterable[str] | None = None) -> list[CatalogueEntry]:
    """Every distinct statement key, with the title and theme of the newest edition that has it (latest
    election, then the latest changed edition) and the number of editions that have it; by theme, then title.
    ``search`` narrows to statements whose key, title, theme or text contains it (any case); ``keys`` to those
    keys."""
    newest = func.row_number().over(partition_by=Statement.key,
                                    order_by=(Election.date.desc(), Edition.updated_at.desc(), Edition.id.desc()))
    editions = func.count().over(partition_by=Statement.key)
    ranked = (
        select(Statement.key.label("key"), Statement.title.label("title"), Statement.theme.label("theme"),
               Statement.text.label("text"), newest.label("rank"), editions.label("editions"))
        .join(Edition, Statement.edition_id == Edition.id)
        .join(Election, Edition.election_id == Election.id)
    )
    if keys is not None:
        ranked = ranked.where(Statement.key.in_(list(keys)))
    ranked = ranked.subquery()
    query = (select(ranked.c.key, ranked.c.title, ranked.c.theme, ranked.c.text, ranked.c.editions)
             .where(ranked.c.rank == 1)
             .order_by(ranked.c.theme, ranked.c.title, ranked.c.key))
    needle = search.strip()
    if needle:
        pattern = f"%{_escape_like(needle)}%"
        query = query.where(or_(*(column.ilike(pattern, escape="\\")
                                  for column in (ranked.c.key, ranked.c.title, ranked.c.theme, ranked.c.text))))
    return [CatalogueEntry(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class LinkedStatement:
    """One of a topic's statement links, with the statement as the catalogue has it; ``title`` is None when no
    edition has the key (any more)."""

    key: str
    supports: str
    title: str | None
    theme: str
    editions: int


def linked_statements(topic: Topic) -> list[LinkedStatement]:
    """The topic's statement links by key, with title, theme and number of editions."""
    found = {e.key: e for e in statement_catalogue(keys=[link.statement_key for link in topic.statements])}
    linked = []
    for link in topic.statements:
        entry = found.get(link.statement_key)
        linked.append(LinkedStatement(link.statement_key, link.supports, entry.title if entry else None,
                                      entry.theme if entry else "", entry.editions if entry else 0))
    return linked


@dataclass(frozen=True)
class TopicLinks:
    """What a topic's page shows of its links: the statements, the support per published edition (most
    support first) and the debates."""

    statements: list[LinkedStatement]
    support: list[MunicipalitySupport]
    debates: list[Debate]


def topic_links(topic: Topic) -> TopicLinks:
    return TopicLinks(linked_statements(topic), support_by_municipality(topic) if topic.statements else [],
                      linked_debates(topic))


def known_statement_keys(keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` that some edition has a statement with."""
    keys = set(keys)
    if not keys:
        return set()
    return set(db.session.scalars(select(Statement.key).where(Statement.key.in_(keys)).distinct()))


# --- linking statements --------------------------------------------------------------------------------------

def link_statements(actor: Actor, topic: Topic, links: dict[str, str]) -> list[str]:
    """Link the topic to these statement keys (key -> the answer that supports our ask), or change the
    supporting answer of a key already linked. Returns the keys that changed. Unknown keys and answers other
    than agree/disagree are refused, nothing written."""
    problems = []
    if not links:
        problems.append(Problem(str(_l("Statements")), str(_l("Choose at least one statement.")), "keys"))
    for key, answer in links.items():
        if answer not in SUPPORTING_ANSWERS:
            problems.append(Problem(key, str(_l("Choose agree or disagree as the answer that supports our ask.")),
                                    "supports"))
    unknown = sorted(set(links) - known_statement_keys(links))
    for key in unknown:
        problems.append(Problem(key, str(_l("No edition has a statement with the key %(key)s.", key=key)), "keys"))
    if problems:
        raise ValidationFailed(problems)

    existing = {link.statement_key: link for link in topic.statements}
    before, after = {}, {}
    for key, answer in links.items():
        link = existing.get(key)
        if link is None:
            topic.statements.append(TopicStatement(statement_key=key, supports=answer))
        elif link.supports != answer:
            before[key] = link.supports
            link.supports = answer
        else:
            continue
        after[key] = answer
    if after:
        added = len(after) - len(before)
        record(actor, "lobby.topic.link_statement", "topic", topic.id,
               summary=f"{added} linked, {len(before)} changed: {', '.join(sorted(after))}",
               before={"statements": before}, after={"statements": after}, only_changes=False)
    return sorted(after)


def unlink_statement(actor: Actor, link: TopicStatement) -> None:
    """Remove one statement link of a topic."""
    topic = link.topic
    record(actor, "lobby.topic.unlink_statement", "topic", topic.id, summary=link.statement_key,
           before={"statement_key": link.statement_key, "supports": link.supports}, after=None)
    topic.statements.remove(link)


# --- linking debates -----------------------------------------------------------------------------------------

def debate_choices(topic: Topic, *, municipality_id: int | None = None) -> list[Debate]:
    """The debates the topic is not linked to yet: planned ones first (by start), cancelled ones last."""
    linked = select(topic_debate.c.debate_id).where(topic_debate.c.topic_id == topic.id)
    query = (select(Debate).join(Municipality, Debate.municipality_id == Municipality.id)
             .options(contains_eager(Debate.municipality))
             .where(Debate.id.not_in(linked))
             .order_by(Debate.status == "cancelled", Debate.starts_at, Debate.id))
    if municipality_id is not None:
        query = query.where(Debate.municipality_id == municipality_id)
    return list(db.session.scalars(query))


def linked_debates(topic: Topic) -> list[Debate]:
    """The debates the topic is linked to, by start, with their municipalities (one query)."""
    return list(db.session.scalars(
        select(Debate).join(topic_debate, topic_debate.c.debate_id == Debate.id)
        .where(topic_debate.c.topic_id == topic.id)
        .options(joinedload(Debate.municipality)).order_by(Debate.starts_at, Debate.id)))


def link_debate(actor: Actor, topic: Topic, debate: Debate) -> bool:
    """Put the topic on the debate's lobby agenda; False (and nothing written) when it already is."""
    if debate in topic.debates:
        return False
    topic.debates.append(debate)
    record(actor, "lobby.topic.link_debate", "topic", topic.id, summary=f"debate {debate.id} ({debate.status})",
           before=None, after={"debate_id": debate.id})
    return True


def unlink_debate(actor: Actor, topic: Topic, debate: Debate) -> bool:
    """Take the debate off the topic; False (and nothing written) when it was not linked."""
    if debate not in topic.debates:
        return False
    topic.debates.remove(debate)
    record(actor, "lobby.topic.unlink_debate", "topic", topic.id, summary=f"debate {debate.id}",
           before={"debate_id": debate.id}, after=None)
    return True


def topics_for_debate(debate: Debate) -> list[Topic]:
    """The lobby topics on the debate's agenda, by title."""
    return list(db.session.scalars(
        select(Topic).join(topic_debate, topic_debate.c.topic_id == Topic.id)
        .where(topic_debate.c.debate_id == debate.id).order_by(Topic.title, Topic.id)))


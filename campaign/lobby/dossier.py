"""The dossier of one municipality: everything the lobby team knows about a place, on one page, printable and
exportable as JSON; and the list of every municipality with the state of its dossier.

``build_dossier`` reads the data once into plain dataclasses; the HTML page and the JSON export (``as_json``)
both render that. It runs a fixed number of queries whatever the number of topics, parties, debates or figures:
the topics' positions come from one query for all topics (``links.positions_by_topic``) and whether each party
supports our ask from one (``links.party_support``), the local parties' stances from one (``inputs.matrix``), the
debates' lobby topics from one.

The election: the dossier shows one election's edition and debates, by default the upcoming election that has
an edition or debates here (else the newest such election); ``elections`` lists the others to choose from.
Coordinators, local parties, input, next steps and figures belong to the municipality, not to an election.

The JSON export (format ``lobby-dossier/1``), one object::

    format            "lobby-dossier/1"
    generated_at      ISO 8601 UTC moment, e.g. "2026-02-10T19:30:00Z"
    municipality      {code, name, province}
    election          {slug, name, date} or null; elections: [{slug, name, date}] (those with data here)
    edition           {id, status} or null: the Cultuurwijzer edition of that election here
    topics            [{id, title, parent_id, status: {name, name_en, closed}, priority (1 high .. 3 low), scope,
                        ask, statements: [{key, title, supports ("agree"|"disagree": the answer that supports
                        our ask)}], positions: [{statement_key, party, position ("agree"|"neutral"|"disagree"|
                        null), supports_ask (true|false|null), explanation}], local_stances: [{party_id, party,
                        stance ("supportive"|"neutral"|"opposed"|"unknown"), given_on (date or null), kind}]}]
                      only the topics with positions in this edition or input to a local party here
    local_parties     [{id, name, abbreviation, active}]
    open_steps        [{input_id, topic_id, topic, party, next_step, due (date or null), overdue, given_by}]
    coordinators      [{name, status, lead}]
    debates           [{id, title, kind, status, starts_at, ends_at (UTC), venue, held, topics: [topic ids]}]
    figures           [{key, name, name_en, unit, decimals, values: [{year, value, source}]}] (newest year first)
    answer_statistics null below the minimum number of responses, else {edition_id, responses,
                        statements: [{key, title, counts: {agree, neutral, disagree, skip}}],
                        days: [{date, count}]}

Dates are ISO 8601 (YYYY-MM-DD); codes (statuses, kinds, stances, positions) are the app's English keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from campaign.coordinators.coverage import active_municipality_ids
from campaign.coordinators.models import Application, Assignment
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.i18n import local_today
from campaign.core.models import Election, Municipality, utcnow
from campaign.cultuurwijzer import statistics
from campaign.cultuurwijzer.models import Edition
from campaign.debates.models import Debate
from campaign.extensions import db
from campaign.lobby import figures as lobby_figures
from campaign.lobby import inputs, links
from campaign.lobby.links import PartySupport, PositionRow
from campaign.lobby.models import (
    FigureKind,
    LocalFigure,
    PartyInput,
    PoliticalParty,
    Topic,
    topic_debate,
)

FORMAT = "lobby-dossier/1"


# --- the dossier's parts ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatementLine:
    key: str
    title: str
    supports: str


@dataclass
class TopicSection:
    """One topic in the dossier: its linked statements x this edition's parties, and the local parties' current
    stances (``stances``: party id -> latest input, absent: unknown)."""

    topic: Topic
    depth: int
    parent_title: str
    statements: list[StatementLine] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], PositionRow] = field(default_factory=dict)
    stances: dict[int, PartyInput] = field(default_factory=dict)
    support: dict[str, PartySupport] = field(default_factory=dict)  # party name -> ``links.party_support``

    def cell(self, key: str, party: str) -> PositionRow | None:
        return self.cells.get((key, party))

    def stance(self, party: PoliticalParty) -> str:
        latest = self.stances.get(party.id)
        return latest.stance if latest is not None else "unknown"


@dataclass(frozen=True)
class CoordinatorLine:
    name: str
    status: str
    lead: bool
    application_id: int


@dataclass(frozen=True)
class DebateLine:
    debate: Debate
    topics: list[Topic]
    held: bool
    planned: bool


@dataclass
class Dossier:
    municipality: Municipality
    elections: list[Election]
    election: Election | None
    edition: Edition | None
    sections: list[TopicSection]
    other_topics: int  # topics with neither positions in this edition nor input here
    parties: list[PoliticalParty]  # the local parties here (inactive ones only where they had input)
    open_steps: list[PartyInput]
    coordinators: list[CoordinatorLine]
    debates: list[DebateLine]
    figures: list[tuple[FigureKind, list[LocalFigure]]]
    statistics: statistics.EditionStatistics | None
    today: dt.date
    generated_at: dt.datetime

    @property
    def planned(self) -> int:
        return sum(1 for d in self.debates if d.planned)

    @property
    def held(self) -> int:
        return sum(1 for d in self.debates if d.held)


def _held(now: dt.datetime):
    """SQL: the debate is held: marked so, or over and not cancelled. The dossier and the list count with it."""
    return or_(Debate.status == "held", and_(Debate.status != "cancelled", Debate.ends_at <= now))


def _planned(now: dt.datetime):
    """SQL: the debate is planned: neither held nor cancelled."""
    return and_(not_(_held(now)), Debate.status != "cancelled")


def _elections(municipality: Municipality) -> tuple[list[Election], dict[int, Edition]]:
    """The elections with an edition or debates here (newest first), and election id -> edition here."""
    editions = {e.election_id: e for e in db.session.scalars(
        select(Edition).where(Edition.municipality_id == municipality.id).options(joinedload(Edition.election)))}
    found = {e.election.id: e.election for e in editions.values()}
    for election in db.session.scalars(select(Election).where(Election.id.in_(
            select(Debate.election_id).where(Debate.municipality_id == municipality.id)))):
        found.setdefault(election.id, election)
    return sorted(found.values(), key=lambda e: (e.date, e.id), reverse=True), editions


def default_election(elections: list[Election], today: dt.date) -> Election | None:
    """The upcoming one (today's included, the nearest first), else the newest."""
    upcoming = [e for e in elections if e.date >= today]
    if upcoming:
        return min(upcoming, key=lambda e: (e.date, e.id))
    return elections[0] if elections else None


def _sections(municipality: Municipality,
              election: Election | None) -> tuple[list[TopicSection], int, list[PoliticalParty]]:
    local = inputs.matrix(level="local", municipality_id=municipality.id)
    rows, support = {}, {}
    if election is not None:
        here = dict(municipality_id=municipality.id, election_id=election.id)
        rows, support = links.positions_by_topic(**here), links.party_support(**here)
    sections, others = [], 0
    for matrix_row in local.rows:
        topic = matrix_row.topic
        stances = {party.id: local.cells[(topic.id, party.id)] for party in local.parties
                   if (topic.id, party.id) in local.cells}
        positions = rows.get(topic.id, [])
        if not positions and not stances:
            others += 1
            continue
        section = TopicSection(topic, matrix_row.depth, matrix_row.parent_title, stances=stances)
        for row in positions:
            if (row.statement_key, row.party_name) not in section.cells:
                section.cells[(row.statement_key, row.party_name)] = row
            if not section.statements or section.statements[-1].key != row.statement_key:
                section.statements.append(StatementLine(row.statement_key, row.statement_title, row.supports))
            if row.party_name not in section.parties:
                section.parties.append(row.party_name)
                section.support[row.party_name] = support[(topic.id, row.party_id)]
        sections.append(section)
    return sections, others, local.parties


def _coordinators(municipality: Municipality) -> list[CoordinatorLine]:
    query = (select(Assignment).join(Application, Assignment.application_id == Application.id)
             .where(Assignment.municipality_id == municipality.id)
             .options(contains_eager(Assignment.application))
             .order_by(Assignment.is_lead.desc(), func.lower(Application.name), Application.id))
    return [CoordinatorLine(a.application.name, a.application.status, a.is_lead, a.application_id)
            for a in db.session.scalars(query)]


def _debates(municipality: Municipality, election: Election | None, now: dt.datetime) -> list[DebateLine]:
    query = (select(Debate, _held(now), _planned(now)).where(Debate.municipality_id == municipality.id)
             .options(joinedload(Debate.venue)).order_by(Debate.starts_at, Debate.id))
    if election is not None:
        query = query.where(Debate.election_id == election.id)
    rows = db.session.execute(query).all()
    linked: dict[int, list[Topic]] = defaultdict(list)
    if rows:
        for debate_id, topic in db.session.execute(
                select(topic_debate.c.debate_id, Topic).join(Topic, Topic.id == topic_debate.c.topic_id)
                .where(topic_debate.c.debate_id.in_([row[0].id for row in rows])).order_by(Topic.title, Topic.id)):
            linked[debate_id].append(topic)
    return [DebateLine(d, linked.get(d.id, []), bool(held), bool(planned)) for d, held, planned in rows]


def build_dossier(municipality: Municipality, *, election_slug: str | None = None,
                  today: dt.date | None = None) -> Dossier:
    """The dossier for the election with this slug (one with an edition or debates here; another one:
    ValidationFailed naming the field ``verkiezing``), or without a slug for the default one
    (``default_election``)."""
    today = today or local_today()
    now = utcnow()
    elections, editions = _elections(municipality)
    if election_slug:
        election = next((e for e in elections if e.slug == election_slug), None)
        if election is None:
            raise ValidationFailed([Problem(str(_l("Election")), str(_l(
                "%(municipality)s has no edition or debate for this election; choose one from the list.",
                municipality=municipality.name)), "verkiezing")])
    else:
        election = default_election(elections, today)
    edition = editions.get(election.id) if election is not None else None
    sections, others, parties = _sections(municipality, election)
    return Dossier(
        municipality=municipality, elections=elections, election=election, edition=edition,
        sections=sections, other_topics=others, parties=parties,
        open_steps=inputs.open_steps(today, municipality_id=municipality.id, include_undated=True),
        coordinators=_coordinators(municipality), debates=_debates(municipality, election, now),
        figures=lobby_figures.municipality_figures(municipality),
        statistics=statistics.edition_statistics(edition.id) if edition is not None else None,
        today=today, generated_at=now)


# --- the JSON export ---------------------------------------------------------------------------------------------

def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value is not None else None


def _election(election: Election | None) -> dict | None:
    if election is None:
        return None
    return {"slug": election.slug, "name": election.name, "date": _day(election.date)}


def _topic(section: TopicSection, parties: list[PoliticalParty]) -> dict:
    topic = section.topic
    return {
        "id": topic.id, "title": topic.title, "parent_id": topic.parent_id,
        "status": {"name": topic.status.name, "name_en": topic.status.name_en, "closed": topic.status.closed},
        "priority": topic.priority, "scope": topic.scope, "ask": topic.ask,
        "statements": [{"key": s.key, "title": s.title, "supports": s.supports} for s in section.statements],
        "positions": [{"statement_key": s.key, "party": party, "position": row.position,
                       "supports_ask": row.supports_ask, "explanation": row.explanation}
                      for s in section.statements for party in section.parties
                      if (row := section.cell(s.key, party)) is not None],
        "local_stances": [{"party_id": party.id, "party": party.name, "stance": section.stance(party),
                           "given_on": _day(latest.given_on) if (latest := section.stances.get(party.id)) else None,
                           "kind": latest.kind if latest else None} for party in parties],
    }


def as_json(dossier: Dossier) -> dict:
    """The dossier as the JSON document described in the module's docstring."""
    m = dossier.municipality
    stats = dossier.statistics
    return {
        "format": FORMAT,
        "generated_at": _moment(dossier.generated_at),
        "municipality": {"code": m.code, "name": m.name, "province": m.province},
        "election": _election(dossier.election),
        "elections": [_election(e) for e in dossier.elections],
        "edition": {"id": dossier.edition.id, "status": dossier.edition.status} if dossier.edition else None,
        "topics": [_topic(section, dossier.parties) for section in dossier.sections],
        "local_parties": [{"id": p.id, "name": p.name, "abbreviation": p.abbreviation, "active": p.active}
                          for p in dossier.parties],
        "open_steps": [{"input_id": s.id, "topic_id": s.topic_id, "topic": s.topic.title, "party": s.party.name,
                        "next_step": s.next_step, "due": _day(s.next_step_due),
                        "overdue": inputs.is_overdue(s, dossier.today),
                        "given_by": s.given_by.name if s.given_by else None} for s in dossier.open_steps],
        "coordinators": [{"name": c.name, "status": c.status, "lead": c.lead} for c in dossier.coordinators],
        "debates": [{"id": d.debate.id, "title": d.debate.title, "kind": d.debate.kind, "status": d.debate.status,
                     "starts_at": _moment(d.debate.starts_at), "ends_at": _moment(d.debate.ends_at),
                     "venue": d.debate.venue.name if d.debate.venue else None, "held": d.held,
                     "topics": [t.id for t in d.topics]} for d in dossier.debates],
        "figures": [{"key": kind.key, "name": kind.name, "name_en": kind.name_en, "unit": kind.unit,
                     "decimals": kind.decimals,
                     "values": [{"year": f.year, "value": f.value, "source": f.source} for f in found]}
                    for kind, found in dossier.figures],
        "answer_statistics": None if stats is None else {
            "edition_id": stats.edition_id, "responses": stats.responses,
            "statements": [{"key": key, "title": title, "counts": counts} for key, title, counts in stats.statements],
            "days": [{"date": _day(day), "count": count} for day, count in stats.days],
        },
    }


# --- the list of dossiers ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DossierLine:
    municipality: Municipality
    coordinator: bool  # an active coordinator
    planned: int
    held: int
    edition_status: str | None
    topics_with_input: int  # topics with input to a local party here


def provinces() -> list[str]:
    return list(db.session.scalars(select(Municipality.province).distinct().order_by(Municipality.province)))


def dossier_lines(*, search: str = "", province: str = "", election: Election | None = None) -> list[DossierLine]:
    """Every municipality (or those whose name or code contains ``search``, in ``province``), by name, with
    the state of its dossier for ``election``. Five queries, whatever the number of municipalities."""
    query = select(Municipality).order_by(Municipality.name, Municipality.code)
    needle = search.strip().lower()
    if needle:
        query = query.where(or_(func.lower(Municipality.name).contains(needle, autoescape=True),
                                func.lower(Municipality.code).contains(needle, autoescape=True)))
    if province:
        query = query.where(Municipality.province == province)
    places = list(db.session.scalars(query))
    if not places:
        return []
    active = active_municipality_ids()
    now = utcnow()
    planned, held = {}, {}
    editions = {}
    if election is not None:
        for municipality_id, n_planned, n_held in db.session.execute(
                select(Debate.municipality_id, func.sum(case((_planned(now), 1), else_=0)),
                       func.sum(case((_held(now), 1), else_=0)))
                .where(Debate.election_id == election.id).group_by(Debate.municipality_id)):
            planned[municipality_id], held[municipality_id] = int(n_planned or 0), int(n_held or 0)
        editions = dict(db.session.execute(select(Edition.municipality_id, Edition.status)
                                           .where(Edition.election_id == election.id)).all())
    with_input = dict(db.session.execute(
        select(PoliticalParty.municipality_id, func.count(func.distinct(PartyInput.topic_id)))
        .join(PartyInput, PartyInput.party_id == PoliticalParty.id)
        .where(PoliticalParty.municipality_id.is_not(None)).group_by(PoliticalParty.municipality_id)).all())
    return [DossierLine(m, m.id in active, planned.get(m.id, 0), held.get(m.id, 0), editions.get(m.id),
                        with_input.get(m.id, 0)) for m in places]

"""The lobby's home page: topics by status, overdue next steps, where most parties support our ask per topic,
and coverage per province (coordinators, debates, Cultuurwijzer editions); the charts as server-rendered SVG
(``charts.py``) beside the same numbers in tables.

The election: the upcoming one (``debates.scheduling.upcoming_election``: the next, else the most recent) for
the debates, the editions and the support per topic. A fixed number of queries whatever the number of topics,
editions or municipalities: the support of every topic comes from one aggregate query
(``links.support_summaries``), the coverage from four.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.coordinators.coverage import active_municipality_ids
from campaign.core.models import Election, Municipality
from campaign.cultuurwijzer.models import Edition
from campaign.debates.models import Debate
from campaign.debates.scheduling import upcoming_election
from campaign.extensions import db
from campaign.lobby import inputs, links, topics
from campaign.lobby.charts import BarChart
from campaign.lobby.labels import own_name
from campaign.lobby.links import MunicipalitySupport
from campaign.lobby.models import PartyInput, Topic, TopicStatement

# Per topic: the municipalities where at least this share of the parties support our ask, at most this many.
MAJORITY = 0.5
TOP = 5


@dataclass(frozen=True)
class TopicSupport:
    topic: Topic
    leaders: list[MunicipalitySupport]  # share >= MAJORITY, the highest first, at most TOP
    editions: int  # editions with one of the topic's statements
    majority: int  # of those, editions where at least MAJORITY of the parties support our ask


@dataclass(frozen=True)
class ProvinceLine:
    province: str
    municipalities: int
    with_coordinator: int
    with_debate: int
    with_edition: int


@dataclass
class Dashboard:
    election: Election | None
    status_chart: BarChart
    overdue: list[PartyInput]
    support: list[TopicSupport]
    provinces: list[ProvinceLine]
    coverage_chart: BarChart

    @property
    def totals(self) -> ProvinceLine:
        return ProvinceLine("", *(sum(getattr(p, name) for p in self.provinces)
                                  for name in ("municipalities", "with_coordinator", "with_debate",
                                               "with_edition")))


def status_chart() -> BarChart:
    chart = BarChart(id="chart-status", title=_("Topics by status"),
                     description=_("The number of topics, sub-topics included, in each status of the workflow."),
                     label_header=_("Status"), series=[_("Topics")])
    for status, count in topics.status_counts():
        chart.add(own_name(status) + (f" ({_('closed')})" if status.closed else ""), count)
    return chart


def support_per_topic(election: Election | None) -> list[TopicSupport]:
    """Topics with linked statements (by title), each with the published editions of the election where most
    parties support our ask (``links.support_summaries``: two queries for all topics)."""
    summaries = links.support_summaries(election_id=election.id if election is not None else None)
    result = []
    for topic in db.session.scalars(select(Topic).where(Topic.id.in_(select(TopicStatement.topic_id)))
                                    .order_by(Topic.title, Topic.id)):
        summary = summaries.get(topic.id, [])
        majority = [s for s in summary if s.parties and s.share >= MAJORITY]
        result.append(TopicSupport(topic, majority[:TOP], len(summary), len(majority)))
    return result


def coverage(election: Election | None) -> list[ProvinceLine]:
    """Per province (alphabetically): municipalities, and how many have an active coordinator, a debate in the
    election (planned or held: any but cancelled) and a published edition of it."""
    places = db.session.execute(select(Municipality.id, Municipality.province)
                                .order_by(Municipality.province)).all()
    active = active_municipality_ids()
    debates, editions = set(), set()
    if election is not None:
        debates = set(db.session.scalars(select(Debate.municipality_id).where(
            Debate.election_id == election.id, Debate.status != "cancelled").distinct()))
        editions = set(db.session.scalars(select(Edition.municipality_id).where(
            Edition.election_id == election.id, Edition.status == "published")))
    lines: dict[str, list[int]] = {}
    for municipality_id, province in places:
        counts = lines.setdefault(province, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += municipality_id in active
        counts[2] += municipality_id in debates
        counts[3] += municipality_id in editions
    return [ProvinceLine(province, *counts) for province, counts in lines.items()]


def coverage_chart(lines: list[ProvinceLine]) -> BarChart:
    chart = BarChart(id="chart-coverage", title=_("Coverage per province"),
                     description=_("Per province: the number of municipalities, and how many of them have an "
                                   "active coordinator, a debate and a published Cultuurwijzer edition."),
                     label_header=_("Province"),
                     series=[_("Municipalities"), _("With an active coordinator"), _("With a debate"),
                             _("With a published edition")])
    for line in lines:
        chart.add(line.province, line.municipalities, line.with_coordinator, line.with_debate, line.with_edition)
    return chart


def build_dashboard(today: dt.date, election: Election | None = None) -> Dashboard:
    """The dashboard for ``election`` (default: the upcoming one, else the most recent)."""
    election = election or upcoming_election()
    provinces = coverage(election)
    return Dashboard(election=election, status_chart=status_chart(),
                     overdue=inputs.open_steps(today, overdue_only=True),
                     support=support_per_topic(election), provinces=provinces,
                     coverage_chart=coverage_chart(provinces))

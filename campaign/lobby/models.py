"""Lobby: agenda topics, the input given to parties, links to Cultuurwijzer statements and debates, local figures
per municipality, and the anonymous Cultuurwijzer answer statistics.

Thin models, no rules: the rules live in ``topics.py`` (topics, sub-topics, the status workflow, tags, the
timeline), ``inputs.py`` (parties, input given, stances, next steps, the topics x parties matrix), ``links.py``
(topics <-> statements and debates, parties' positions on a topic's statements), ``figures.py`` (local figures
imported from CSV), ``dossier.py`` (one municipality on one page), ``dashboard.py`` and ``charts.py``, and
``campaign/cultuurwijzer/statistics.py`` (the opt-in answer counts).

A topic links to Cultuurwijzer statements by statement *key*: editions are made from one shared set of
statements, so ``muziekles-basisschool`` is the same statement in Utrecht and in Tilburg, and a link made once
serves every edition, also the ones imported later.

The answer statistics are counts, never records: per edition and statement how many shared answers were agree,
neutral, disagree or skip, and per edition how many shared on each day. No answer set, IP address or time finer
than a day is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, SmallInteger, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.models import Municipality, User, utcnow
from campaign.extensions import db


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


TOPIC_SCOPES = ("national", "municipal")
# 1 is the highest priority: lists sort by it ascending.
PRIORITIES = (1, 2, 3)
PARTY_LEVELS = ("national", "local")
INPUT_KINDS = ("letter", "meeting", "manifesto", "debate_contribution", "other")
STANCES = ("supportive", "neutral", "opposed", "unknown")
# Which Cultuurwijzer answer on a linked statement supports our ask.
SUPPORTING_ANSWERS = ("agree", "disagree")
UPDATE_KINDS = ("note", "status")
TALLY_ANSWERS = ("agree", "neutral", "disagree", "skip")

# The workflow a fresh installation starts with: (Dutch name, English name, closed). The team may rename,
# reorder, add and remove statuses (``topics.py``).
DEFAULT_STATUSES = (
    ("Gesignaleerd", "Signalled", False),
    ("Geagendeerd", "On the agenda", False),
    ("Input gegeven", "Input given", False),
    ("Toezegging", "Commitment", False),
    ("Resultaat", "Result", True),
)

# The local figures a fresh installation collects: (key, Dutch name, English name, unit, decimals).
DEFAULT_FIGURE_KINDS = (
    ("muziekschool-leerlingen", "Leerlingen lokale muziekschool", "Pupils at the local music school", "", 0),
    ("cultuureducatie-budget-per-inwoner", "Gemeentelijk budget cultuureducatie per inwoner",
     "Municipal culture-education budget per inhabitant", "€", 2),
)


class TopicStatus(db.Model):
    """One step of the team's status workflow, in the order of ``position``. A closed status (a result, or a
    topic dropped) ends a topic's work: it counts as done in the sub-topic progress."""

    __tablename__ = "topic_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # Shown to readers of the English interface; the Dutch name when empty.
    name_en: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    closed: Mapped[bool] = mapped_column(default=False)


topic_tag = Table(
    "topic_tag",
    db.metadata,
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)

topic_debate = Table(
    "topic_debate",
    db.metadata,
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Column("debate_id", ForeignKey("debate.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Topic(db.Model):
    """An agenda topic of the lobby team; a topic with a parent is a sub-topic (one level deep)."""

    __tablename__ = "topic"
    __table_args__ = (
        CheckConstraint(_in("scope", TOPIC_SCOPES), name="scope"),
        CheckConstraint("priority IN (1, 2, 3)", name="priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # What we ask of parties and governments.
    ask: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(SmallInteger, default=2)
    scope: Mapped[str] = mapped_column(String(10), default="municipal")
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    status_id: Mapped[int] = mapped_column(ForeignKey("topic_status.id"), index=True)
    # Order among its siblings (sub-topics of one parent).
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    parent: Mapped[Optional["Topic"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Topic"]] = relationship(back_populates="parent", order_by="(Topic.position, Topic.id)",
                                                   cascade="all, delete-orphan")
    status: Mapped[TopicStatus] = relationship()
    owner: Mapped[Optional[User]] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=topic_tag, order_by=Tag.name)
    updates: Mapped[list["TopicUpdate"]] = relationship(
        back_populates="topic", cascade="all, delete-orphan",
        order_by="(TopicUpdate.happened_on.desc(), TopicUpdate.id.desc())")
    statements: Mapped[list["TopicStatement"]] = relationship(back_populates="topic", cascade="all, delete-orphan",
                                                              order_by="TopicStatement.statement_key")
    inputs: Mapped[list["PartyInput"]] = relationship(back_populates="topic", cascade="all, delete-orphan",
                                                      order_by="(PartyInput.given_on.desc(), PartyInput.id.desc())")
    debates = relationship("Debate", secondary=topic_debate, order_by="Debate.starts_at")

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.title!r}>"


class TopicUpdate(db.Model):
    """One dated entry of a topic's timeline: a note of the team, or a status change (written by the app)."""

    __tablename__ = "topic_update"
    __table_args__ = (CheckConstraint(_in("kind", UPDATE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(10), default="note")
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="updates")
    author: Mapped[Optional[User]] = relationship()


class TopicStatement(db.Model):
    """A topic served by a Cultuurwijzer statement, in every edition that has a statement with this key.
    ``supports``: the answer (agree or disagree) that supports our ask."""

    __tablename__ = "topic_statement"
    __table_args__ = (CheckConstraint(_in("supports", SUPPORTING_ANSWERS), name="supports"),)

    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    statement_key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    supports: Mapped[str] = mapped_column(String(10), default="agree")

    topic: Mapped[Topic] = relationship(back_populates="statements")


class PoliticalParty(db.Model):
    """A party the lobby gives input to: a national party, or a local party (or local branch) in one
    municipality. Kept apart from the Cultuurwijzer's per-edition parties, which are the lists on one ballot."""

    __tablename__ = "political_party"
    __table_args__ = (
        CheckConstraint(_in("level", PARTY_LEVELS), name="level"),
        CheckConstraint("(level = 'local') = (municipality_id IS NOT NULL)", name="local_has_municipality"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    abbreviation: Mapped[str] = mapped_column(String(30), default="")
    level: Mapped[str] = mapped_column(String(10))
    municipality_id: Mapped[Optional[int]] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"),
                                                           index=True)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    municipality: Mapped[Optional[Municipality]] = relationship()

    def __repr__(self) -> str:
        return f"<PoliticalParty {self.name}>"


class PartyInput(db.Model):
    """Input given to one party on one topic, the party's response and stance, and the next step."""

    __tablename__ = "party_input"
    __table_args__ = (
        CheckConstraint(_in("kind", INPUT_KINDS), name="kind"),
        CheckConstraint(_in("stance", STANCES), name="stance"),
        Index("ix_party_input_party_topic", "party_id", "topic_id"),
        Index("ix_party_input_open_step", "next_step_due", "next_step_done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("political_party.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[dt.date]
    given_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text, default="")  # what we gave: the letter's point, the meeting
    response: Mapped[str] = mapped_column(Text, default="")
    stance: Mapped[str] = mapped_column(String(12), default="unknown")
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_step_due: Mapped[Optional[dt.date]]
    next_step_done_on: Mapped[Optional[dt.date]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="inputs")
    party: Mapped[PoliticalParty] = relationship()
    given_by: Mapped[Optional[User]] = relationship()


# --- local figures -------------------------------------------------------------------------------------------

class FigureKind(db.Model):
    """A kind of local figure the team collects, e.g. pupils at the local music school; ``key`` names it in
    the CSV files."""

    __tablename__ = "figure_kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(30), default="")  # "pupils", "€ per inhabitant"
    decimals: Mapped[int] = mapped_column(SmallInteger, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class LocalFigure(db.Model):
    __tablename__ = "local_figure"
    __table_args__ = (UniqueConstraint("municipality_id", "kind_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    kind_id: Mapped[int] = mapped_column(ForeignKey("figure_kind.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship()
    kind: Mapped[FigureKind] = relationship()


# --- anonymous Cultuurwijzer answer statistics (opt-in) -----------------------------------------------------

class AnswerTally(db.Model):
    """How many citizens who chose to share gave this answer to this statement of this edition."""

    __tablename__ = "answer_tally"
    __table_args__ = (CheckConstraint(_in("answer", TALLY_ANSWERS), name="answer"),)

    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    statement_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    answer: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class AnswerDay(db.Model):
    """How many citizens shared their answers for this edition on this (Dutch) day."""

    __tablename__ = "answer_day"

    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)

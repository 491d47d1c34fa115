"""Local campaign coordinators: applications and the pipeline, assignment, training, workspace, support.

Thin models, no rules: the rules live in ``recruitment.py``, ``pipeline.py``, ``assignment.py``,
``training.py``, ``workspace.py``, ``knowledge.py``, ``inbox.py`` and ``privacy.py``.

A coordinator is one ``Application`` all the way: the person applies, is verified, screened, accepted,
trained and active in the same row, so the history of a person is the history of one object. From
acceptance on, the application has a staff account (``user_id``, role coordinator) for the workspace.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.models import Municipality, Organisation, User, utcnow
from campaign.extensions import db

# The pipeline. Which moves are allowed is a rule: see pipeline.TRANSITIONS.
APPLICATION_STATUSES = ("applied", "verified", "in_conversation", "accepted", "in_training", "active",
                        "stopped", "rejected", "withdrawn")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


application_municipality = Table(
    "application_municipality",
    db.metadata,
    Column("application_id", ForeignKey("coordinator_application.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True),
)


class Application(db.Model):
    """A volunteer who applied to be a coordinator, from application to the end of their work."""

    __tablename__ = "coordinator_application"
    __table_args__ = (
        CheckConstraint(_in("status", APPLICATION_STATUSES), name="status"),
        Index("ix_coordinator_application_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    motivation: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    # The language the person used to apply: every mail to them is in it.
    language: Mapped[str] = mapped_column(String(5), default="nl")
    # Consent to processing, as the text stood when they gave it (COORDINATOR_CONSENT_VERSION).
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Double opt-in: only the SHA-256 of the mailed token is kept; it expires.
    verification_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    verification_expires_at: Mapped[Optional[dt.datetime]]
    verified_at: Mapped[Optional[dt.datetime]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The last status the person was mailed about: staff may move first and notify later.
    notified_status: Mapped[Optional[str]] = mapped_column(String(20))
    # Internal screening notes (never shown to the applicant, included in their data export).
    notes: Mapped[str] = mapped_column(Text, default="")
    # The coordinator's account for the workspace, made on acceptance.
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                   unique=True)
    anonymised_at: Mapped[Optional[dt.datetime]]

    municipalities: Mapped[list[Municipality]] = relationship(secondary=application_municipality,
                                                               order_by=Municipality.name)
    organisation: Mapped[Optional[Organisation]] = relationship()
    user: Mapped[Optional[User]] = relationship()
    assignments: Mapped[list["Assignment"]] = relationship(back_populates="application",
                                                           cascade="all, delete-orphan")

    @property
    def awaits_notification(self) -> bool:
        return self.anonymised_at is None and self.status != "applied" and self.notified_status != self.status

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"


class Assignment(db.Model):
    """A coordinator working for a municipality; at most one lead per municipality (a partial unique index)."""

    __tablename__ = "coordinator_assignment"
    __table_args__ = (
        UniqueConstraint("application_id", "municipality_id", name="uq_assignment_person_place"),
        Index("uq_assignment_one_lead", "municipality_id", unique=True,
              sqlite_where=text("is_lead = 1"), postgresql_where=text("is_lead")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("coordinator_application.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="assignments")
    municipality: Mapped[Municipality] = relationship()


class RecruitmentTarget(db.Model):
    """How many municipalities of a province should have an active coordinator."""

    __tablename__ = "recruitment_target"
    __table_args__ = (CheckConstraint("target >= 0", name="target_not_negative"),)

    province: Mapped[str] = mapped_column(String(60), primary_key=True)
    target: Mapped[int] = mapped_column(default=0)


# --- training ------------------------------------------------------------------------------------------------

SESSION_MODES = ("online", "location")
ENROLMENT_STATUSES = ("enrolled", "waitlisted", "cancelled")


class TrainingModule(db.Model):
    __tablename__ = "training_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    goals: Mapped[str] = mapped_column(Text, default="")
    # Materials: one per line, "title | URL" or plain text.
    materials: Mapped[str] = mapped_column(Text, default="")
    # Required modules must all be completed before a coordinator becomes active.
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list["TrainingSession"]] = relationship(back_populates="module",
                                                             order_by="TrainingSession.starts_at",
                                                             cascade="all, delete-orphan")


class TrainingSession(db.Model):
    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint(_in("mode", SESSION_MODES), name="mode"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("training_module.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)  # naive UTC, like every timestamp
    ends_at: Mapped[dt.datetime]
    mode: Mapped[str] = mapped_column(String(10), default="online")
    # An address for a session at a location; the meeting link for an online one.
    location: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column(default=12)
    trainer: Mapped[str] = mapped_column(String(120), default="")
    cancelled_at: Mapped[Optional[dt.datetime]]
    # The revision calendars compare (iCalendar SEQUENCE): raised by every change of time or place and by the
    # cancellation, so that a calendar that imported an earlier file replaces its copy.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    module: Mapped[TrainingModule] = relationship(back_populates="sessions")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="session", order_by="Enrolment.id",
                                                         cascade="all, delete-orphan")


class Enrolment(db.Model):
    """A seat in a session, or a place on its waitlist (in order of joining it: ``created_at``, then id)."""

    __tablename__ = "training_enrolment"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id", name="uq_enrolment_once"),
        CheckConstraint(_in("status", ENROLMENT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("coordinator_application.id", ondelete="CASCADE"),
                                                index=True)
    status: Mapped[str] = mapped_column(String(12), default="enrolled")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # None until the trainer records it.
    attended: Mapped[Optional[bool]]
    reminded_at: Mapped[Optional[dt.datetime]]

    session: Mapped[TrainingSession] = relationship(back_populates="enrolments")
    application: Mapped[Application] = relationship()


class Completion(db.Model):
    """A module completed by a coordinator (by attending a session, or recorded by staff)."""

    __tablename__ = "training_completion"

    application_id: Mapped[int] = mapped_column(ForeignKey("coordinator_application.id", ondelete="CASCADE"),
                                                primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("training_module.id", ondelete="CASCADE"), primary_key=True)
    completed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("training_session.id", ondelete="SET NULL"))

    module: Mapped[TrainingModule] = relationship()


# --- workspace ---------------------------------------------------------------------------------------------

class ChecklistItem(db.Model):
    """A step of the local campaign, the same for every coordinator (kept by the team)."""

    __tablename__ = "checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class ChecklistDone(db.Model):
    __tablename__ = "checklist_done"

    application_id: Mapped[int] = mapped_column(ForeignKey("coordinator_application.id", ondelete="CASCADE"),
                                                primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id", ondelete="CASCADE"), primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- knowledge base and question inbox ---------------------------------------------------------------------

ARTICLE_AUDIENCES = ("public", "coordinators")
QUESTION_STATUSES = ("open", "answered")


class Article(db.Model):
    """A knowledge-base / FAQ item: public, or for coordinators only."""

    __tablename__ = "knowledge_article"
    __table_args__ = (CheckConstraint(_in("audience", ARTICLE_AUDIENCES), name="audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(80), default="")
    audience: Mapped[str] = mapped_column(String(12), default="public")
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Question(db.Model):
    """A question to the campaign team, from a coordinator (signed in) or anyone else (public form)."""

    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint(_in("status", QUESTION_STATUSES), name="status"),
        # The queue: open questions, member organisations first, then oldest first.
        Index("ix_question_queue", "status", "from_member", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    # Whether the asker spoke for a member organisation when asking (the queue's first key).
    from_member: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    municipality_id: Mapped[Optional[int]] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    consent_version: Mapped[Optional[str]] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[Optional[dt.datetime]]
    answered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    organisation: Mapped[Optional[Organisation]] = relationship()
    municipality: Mapped[Optional[Municipality]] = relationship()
    user: Mapped[Optional[User]] = relationship(foreign_keys=[user_id])
    answered_by: Mapped[Optional[User]] = relationship(foreign_keys=[answered_by_id])


class AnswerTemplate(db.Model):
    """A reusable answer to a recurring question."""

    __tablename__ = "answer_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

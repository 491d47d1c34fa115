"""Cultuurwijzer tables: an edition (municipality x election) with statements, parties and positions.

Statement and party ``key`` values are the stable string ids from the data files; the API exposes those.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.models import Election, Municipality, User, utcnow
from campaign.extensions import db

EDITION_STATUSES = ("draft", "open", "review", "published", "archived")
# A party's own set of positions: invited by link, saved as a draft, submitted, then accepted by an editor
# or returned to the party with a comment.
SUBMISSION_STATUSES = ("not_invited", "invited", "draft", "submitted", "returned", "accepted")
POSITION_VALUES = {"agree": 1, "neutral": 0, "disagree": -1}
POSITION_NAMES = {v: k for k, v in POSITION_VALUES.items()}


class Edition(db.Model):
    __tablename__ = "edition"
    __table_args__ = (
        UniqueConstraint("election_id", "municipality_id"),
        CheckConstraint("status IN ('draft', 'open', 'review', 'published', 'archived')", name="status"),
    )

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    demo: Mapped[bool] = mapped_column(default=False)
    notice: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every content change: part of the ETag and the key of the compiled-edition cache.
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # Parties submit before this moment (naive UTC) while the edition is open.
    deadline: Mapped[Optional[dt.datetime]]
    # Set when an editor publishes despite missing positions (they are then flagged on the result page).
    missing_accepted: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[Optional[dt.datetime]]

    election: Mapped[Election] = relationship()
    municipality: Mapped[Municipality] = relationship()
    statements: Mapped[list["Statement"]] = relationship(
        back_populates="edition", order_by="Statement.sort_order", cascade="all, delete-orphan"
    )
    parties: Mapped[list["Party"]] = relationship(
        back_populates="edition",
        # Parties without a list number last, the same on SQLite and PostgreSQL.
        order_by=lambda: (Party.list_number.is_(None), Party.list_number, Party.id),
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Edition {self.id} {self.status}>"


class Statement(db.Model):
    __tablename__ = "statement"
    __table_args__ = (UniqueConstraint("edition_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    sort_order: Mapped[int]
    theme: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    background: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[Edition] = relationship(back_populates="statements")


class Party(db.Model):
    __tablename__ = "party"
    __table_args__ = (
        UniqueConstraint("edition_id", "key"),
        CheckConstraint("submission_status IN ('not_invited', 'invited', 'draft', 'submitted', 'returned', "
                        "'accepted')", name="submission_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    list_number: Mapped[Optional[int]]
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    submission_status: Mapped[str] = mapped_column(String(20), default="not_invited")
    # The editor's comment when a set is returned; the party sees it above its form.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[Optional[dt.datetime]]
    reviewed_at: Mapped[Optional[dt.datetime]]

    edition: Mapped[Edition] = relationship(back_populates="parties")
    positions: Mapped[list["Position"]] = relationship(back_populates="party", cascade="all, delete-orphan")
    links: Mapped[list["PartyLink"]] = relationship(back_populates="party", cascade="all, delete-orphan",
                                                    order_by="PartyLink.id")


class Position(db.Model):
    """A party's stance on one statement; ``value`` is +1 agree, 0 neutral, -1 disagree, NULL none given."""

    __tablename__ = "position"
    __table_args__ = (CheckConstraint("value IN (-1, 0, 1)", name="value"),)

    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[Optional[int]] = mapped_column(SmallInteger)
    explanation: Mapped[str] = mapped_column(Text, default="")

    party: Mapped[Party] = relationship(back_populates="positions")
    statement: Mapped[Statement] = relationship()


class PartyLink(db.Model):
    """A party representative's personal link. Only a hash of its token is stored; it expires and can be
    revoked, and sending a new link revokes the old one."""

    __tablename__ = "party_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[Optional[dt.datetime]]
    last_used_at: Mapped[Optional[dt.datetime]]

    party: Mapped[Party] = relationship(back_populates="links")
    created_by: Mapped[Optional[User]] = relationship()

    def state(self, now: dt.datetime | None = None) -> str:
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "valid"

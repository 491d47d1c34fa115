"""The data spine every module hangs off: Election -> Municipality."""

from __future__ import annotations

import datetime as dt
import re

from typing import Any, Optional

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db


def utcnow() -> dt.datetime:
    """Naive UTC, as stored in every timestamp column (rendered in Europe/Amsterdam by Babel)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# CBS municipality code as published: "GM" + four digits, e.g. GM0344.
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")


class Election(db.Model):
    __tablename__ = "election"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date]

    def __repr__(self) -> str:
        return f"<Election {self.slug}>"


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    province: Mapped[str] = mapped_column(String(60))

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


# --- staff accounts ----------------------------------------------------------------------------------------

ROLES = ("admin", "editor", "coordinator")

user_municipality = Table(
    "user_municipality",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """A staff account. Coordinators are scoped to their municipalities; admins may do everything."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('admin', 'editor', 'coordinator')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    # NULL until the person chooses a password through the link mailed to them.
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login session id: bumping it (password change, deactivation) signs out every session.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[Optional[dt.datetime]]

    municipalities: Mapped[list[Municipality]] = relationship(secondary=user_municipality,
                                                               order_by=Municipality.name)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


# --- audit log ---------------------------------------------------------------------------------------------

class AuditEntry(db.Model):
    """Who changed what, when, with the values before and after. Never updated, never deleted by the app."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Kept as text so the entry still reads right after the account is gone, or for a party link.
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80))
    # The object this one belongs to (an edition for its statements), so an overview shows both.
    parent_type: Mapped[Optional[str]] = mapped_column(String(40))
    parent_id: Mapped[Optional[str]] = mapped_column(String(80), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    after: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    actor: Mapped[Optional[User]] = relationship()


# --- organisations -----------------------------------------------------------------------------------------

ORGANISATION_KINDS = ("music_school", "arts_centre", "folk_university", "support_organisation", "partner")


class Organisation(db.Model):
    """A member organisation of the branch (music school, arts centre, folk university, provincial support
    organisation) or a partner (library, theatre, pop venue, museum). Shared by coordinators, debates and lobby:
    "municipalities with members" are the municipalities of member organisations."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("kind IN ('music_school', 'arts_centre', 'folk_university', 'support_organisation', "
                        "'partner')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    member: Mapped[bool] = mapped_column(default=True)
    municipality_id: Mapped[Optional[int]] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"),
                                                           index=True)
    email: Mapped[Optional[str]] = mapped_column(String(254))

    municipality: Mapped[Optional[Municipality]] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"

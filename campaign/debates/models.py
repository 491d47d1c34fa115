"""Debates in member venues: venues, debates, invited parties, registrations.

Thin models, no rules: the rules live in ``venues.py`` (venues, offers, availability, closures),
``scheduling.py`` (debates and their status), ``conflicts.py`` (what clashes with what), ``slots.py`` (free
slots, best first), ``invitations.py`` (parties' answers), ``registration.py`` (seats, waitlist, cancellation,
check-in) and ``privacy.py`` (purging registrants after the event).

Times are naive UTC like everywhere else. Every interval is half-open, ``[start, end)``: a debate that ends
at 21:00 and one that starts at 21:00 in the same hall do not overlap.

A venue is booked by every debate that is confirmed, published or held; on PostgreSQL an exclusion
constraint (``ex_debate_venue_booking``, migration 0005) refuses a second booking that overlaps in time, so two
concurrent saves can never both win; on SQLite the booking functions take the database's write lock first
(``campaign.core.locking``), which serialises them.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.models import Election, Municipality, Organisation, User, utcnow
from campaign.extensions import db


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


VENUE_STATUSES = ("offered", "active", "declined", "withdrawn")
DEBATE_KINDS = ("lijsttrekkersdebat", "mayors_debate", "public_debate", "other")
DEBATE_STATUSES = ("draft", "confirmed", "published", "held", "cancelled")
# The statuses in which a debate holds its venue (the exclusion constraint's WHERE clause says the same).
BOOKING_STATUSES = ("confirmed", "published", "held")
INVITATION_STATUSES = ("invited", "confirmed", "declined")
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")


class Venue(db.Model):
    """A hall of a member organisation (or partner) that is open for debates.

    A venue contact may offer one through the public form (status ``offered``); the campaign team accepts
    (``active``) or declines it. Only active venues are scheduled and suggested."""

    __tablename__ = "venue"
    __table_args__ = (
        CheckConstraint(_in("status", VENUE_STATUSES), name="status"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"),
                                                           index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))  # street and number
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int]
    step_free: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    accessible_toilet: Mapped[bool] = mapped_column(default=False)
    # Free text for visitors: parking, public transport, which entrance is step-free.
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    # The venue's contact (who offered it); personal data, shown to staff only.
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # The language the contact used; mail to them is in it.
    language: Mapped[str] = mapped_column(String(5), default="nl")
    notes: Mapped[str] = mapped_column(Text, default="")  # internal
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Optional[Organisation]] = relationship()
    municipality: Mapped[Municipality] = relationship()
    windows: Mapped[list["VenueWindow"]] = relationship(back_populates="venue", cascade="all, delete-orphan",
                                                        order_by="(VenueWindow.weekday, VenueWindow.opens)")
    closures: Mapped[list["VenueClosure"]] = relationship(back_populates="venue", cascade="all, delete-orphan",
                                                          order_by="VenueClosure.first_day")

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name}>"


class VenueWindow(db.Model):
    """A weekly availability window in local (Dutch) time, e.g. Tuesday 19:00-23:00, optionally only between
    two dates. A venue without windows is available at any time (except its closures). ``closes`` may be
    00:00, meaning midnight at the end of the day."""

    __tablename__ = "venue_window"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # Monday 0 ... Sunday 6
    opens: Mapped[dt.time]
    closes: Mapped[dt.time]
    valid_from: Mapped[Optional[dt.date]]
    valid_until: Mapped[Optional[dt.date]]  # inclusive

    venue: Mapped[Venue] = relationship(back_populates="windows")


class VenueClosure(db.Model):
    """Days the venue is closed (holidays, renovation), first and last day inclusive, in local time."""

    __tablename__ = "venue_closure"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[dt.date]
    last_day: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(String(200), default="")

    venue: Mapped[Venue] = relationship(back_populates="closures")


class Debate(db.Model):
    """One debate: what, where, when, who; draft -> confirmed -> published -> held, or cancelled.

    ``capacity`` is the number of seats for registration (at most the venue's capacity); ``expected_audience``
    is the organiser's estimate, checked against the venue. ``sequence`` is the calendar revision (SEQUENCE in
    the iCalendar files): it goes up with every new time or place and with a cancellation."""

    __tablename__ = "debate"
    __table_args__ = (
        CheckConstraint(_in("status", DEBATE_STATUSES), name="status"),
        CheckConstraint(_in("kind", DEBATE_KINDS), name="kind"),
        CheckConstraint("ends_at > starts_at", name="times"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("max_seats_per_registration >= 1", name="max_seats"),
        Index("ix_debate_venue_time", "venue_id", "starts_at"),
        Index("ix_debate_status_time", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    doors_open_at: Mapped[Optional[dt.datetime]]
    moderator: Mapped[str] = mapped_column(String(120), default="")
    coordinator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                          index=True)
    expected_audience: Mapped[Optional[int]]
    capacity: Mapped[int] = mapped_column(default=0)
    max_seats_per_registration: Mapped[int] = mapped_column(default=4)
    registration_open: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[Optional[dt.datetime]]
    # Set when registrants' personal data were removed (event + DEBATE_REGISTRATION_RETENTION_DAYS).
    purged_at: Mapped[Optional[dt.datetime]]

    election: Mapped[Election] = relationship()
    municipality: Mapped[Municipality] = relationship()
    venue: Mapped[Venue] = relationship()
    coordinator: Mapped[Optional[User]] = relationship()
    topics: Mapped[list["DebateTopic"]] = relationship(back_populates="debate", cascade="all, delete-orphan",
                                                       order_by="DebateTopic.position")
    invitations: Mapped[list["Invitation"]] = relationship(back_populates="debate", cascade="all, delete-orphan",
                                                           order_by="Invitation.id")
    registrations: Mapped[list["Registration"]] = relationship(back_populates="debate",
                                                               cascade="all, delete-orphan",
                                                               order_by="Registration.id")

    @property
    def occupied_from(self) -> dt.datetime:
        """The venue is in use from the doors opening (or the start) until the end."""
        return self.doors_open_at or self.starts_at

    def __repr__(self) -> str:
        return f"<Debate {self.id} {self.status} {self.title!r}>"


class DebateTopic(db.Model):
    """One item of a debate's agenda (e.g. "Music lessons in primary schools"), in order."""

    __tablename__ = "debate_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("debate.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))

    debate: Mapped[Debate] = relationship(back_populates="topics")


class Invitation(db.Model):
    """A party (or, at a mayors' debate, a mayor) invited to a debate. The party answers through a personal
    link (only the SHA-256 of its token is kept), confirming with the name of its speaker or declining."""

    __tablename__ = "debate_invitation"
    __table_args__ = (CheckConstraint(_in("status", INVITATION_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("debate.id", ondelete="CASCADE"), index=True)
    # The Cultuurwijzer party of this municipality and election, when there is one.
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id", ondelete="SET NULL"))
    party_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[str] = mapped_column(String(20), default="invited")
    speaker_name: Mapped[str] = mapped_column(String(120), default="")
    speaker_role: Mapped[str] = mapped_column(String(120), default="")  # e.g. "lijsttrekker"
    message: Mapped[str] = mapped_column(Text, default="")  # the party's note to the organiser
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[Optional[dt.datetime]]
    invited_at: Mapped[Optional[dt.datetime]]  # when the link was last mailed
    responded_at: Mapped[Optional[dt.datetime]]

    debate: Mapped[Debate] = relationship(back_populates="invitations")


class Registration(db.Model):
    """A member of the public with one or more seats, or on the waitlist.

    The waitlist is in arrival order (``id``). Only the SHA-256 of the cancellation token is kept. Name and
    email are removed after the event plus the retention period (``privacy.py``); the counts stay."""

    __tablename__ = "debate_registration"
    __table_args__ = (
        CheckConstraint(_in("status", REGISTRATION_STATUSES), name="status"),
        CheckConstraint("seats >= 1", name="seats"),
        Index("ix_debate_registration_debate_status", "debate_id", "status", "id"),
        # One live registration per address and debate.
        Index("uq_debate_registration_email", "debate_id", "email", unique=True,
              sqlite_where=text("status != 'cancelled' AND email != ''"),
              postgresql_where=text("status != 'cancelled' AND email != ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("debate.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))  # stored lower-cased
    seats: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[Optional[dt.datetime]]
    cancelled_at: Mapped[Optional[dt.datetime]]
    checked_in_at: Mapped[Optional[dt.datetime]]
    reminded_at: Mapped[Optional[dt.datetime]]

    debate: Mapped[Debate] = relationship(back_populates="registrations")

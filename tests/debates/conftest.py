"""Factories for the debate tests (Indico style): ``venues.create(...)``, ``debates.create(...)``, changing only
what a test names. They store rows directly, as a finished state; tests of the rules call the domain
functions themselves."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from campaign.core.models import Election, utcnow

_numbers = itertools.count(1)


def local_evening(days_ahead: int, hour: int = 20, minute: int = 0) -> dt.datetime:
    """A naive-UTC moment ``days_ahead`` days from now at ``hour``:``minute`` Dutch time."""
    from zoneinfo import ZoneInfo

    day = (dt.datetime.now(ZoneInfo("Europe/Amsterdam")) + dt.timedelta(days=days_ahead)).date()
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Europe/Amsterdam"))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


@pytest.fixture()
def election(db_session):
    """A (fictional) election 90 days from now."""
    found = Election(slug="test-2027", name="Testverkiezing (fictief)",
                     date=(utcnow() + dt.timedelta(days=90)).date())
    db_session.add(found)
    db_session.commit()
    return found


class VenueFactory:
    def __init__(self, session, places):
        self.session, self.places = session, places

    def create(self, municipality: str = "GM0344", *, name: str | None = None, capacity: int = 100,
               status: str = "active", windows=(), closures=(), **changes):
        """``windows``: (weekday, "19:00", "23:00") tuples; ``closures``: (first_day, last_day) date pairs."""
        from campaign.debates.models import Venue, VenueClosure, VenueWindow

        number = next(_numbers)
        venue = Venue(municipality=self.places[municipality], name=name or f"Zaal {number}",
                      street=f"Muziekstraat {number}", postcode="3511 AA",
                      city=self.places[municipality].name, capacity=capacity, status=status,
                      contact_name="Vera Zaal", contact_email=f"zaal{number}@example.org", **changes)
        for weekday, opens, closes in windows:
            venue.windows.append(VenueWindow(weekday=weekday, opens=dt.time.fromisoformat(opens),
                                             closes=dt.time.fromisoformat(closes)))
        for first_day, last_day in closures:
            venue.closures.append(VenueClosure(first_day=first_day, last_day=last_day))
        self.session.add(venue)
        self.session.commit()
        return venue


class DebateFactory:
    def __init__(self, session, venues, election):
        self.session, self.venues, self.election = session, venues, election

    def create(self, status: str = "published", *, venue=None, starts_at: dt.datetime | None = None,
               hours: float = 2, capacity: int | None = None, parties=(), **changes):
        """A debate in ``venue`` (a new one in Utrecht by default) ten days from now at 20:00, Dutch time.
        ``parties``: (party name, speaker name, status) tuples for invitations."""
        from campaign.debates.models import Debate, Invitation

        venue = venue or self.venues.create()
        starts_at = starts_at or local_evening(10)
        debate = Debate(kind=changes.pop("kind", "lijsttrekkersdebat"),
                        title=changes.pop("title", f"Debat {next(_numbers)}"),
                        election=changes.pop("election", self.election), municipality=venue.municipality,
                        venue=venue, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours),
                        capacity=venue.capacity if capacity is None else capacity, status=status, **changes)
        if status in ("published", "held") or (status == "cancelled" and "published_at" not in changes):
            debate.published_at = debate.published_at or utcnow()
        for party_name, speaker, answer in parties:
            debate.invitations.append(Invitation(party_name=party_name, speaker_name=speaker, status=answer))
        self.session.add(debate)
        self.session.commit()
        return debate


@pytest.fixture()
def venues(db_session, places):
    return VenueFactory(db_session, places)


@pytest.fixture()
def debates(db_session, venues, election):
    return DebateFactory(db_session, venues, election)

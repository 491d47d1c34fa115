"""Debates as iCalendar (RFC 5545): one file per debate (download, confirmation and reminder mails) and a
feed per municipality that calendar apps subscribe to.

A debate keeps one UID for its life; its SEQUENCE (``Debate.sequence``) goes up with every new time or place
and with a cancellation, so a calendar that imported an earlier file replaces it, and a file with
STATUS:CANCELLED takes the debate off the reader's agenda.
"""

from __future__ import annotations

from typing import Iterable

from flask_babel import gettext as _
from icalendar import Calendar, Event

from campaign.core.calendar import server_host, utc
from campaign.core.models import utcnow
from campaign.debates.models import Debate
from campaign.debates.venues import address

PRODID = "-//Campagnekit//Debates//NL"


def debate_uid(debate: Debate) -> str:
    return f"debate-{debate.id}@{server_host()}"


def venue_address(debate: Debate) -> str:
    """Where the debate is: the venue's name and address."""
    return f"{debate.venue.name}, {address(debate.venue)}"


def debate_event(debate: Debate, url: str | None = None) -> Event:
    """The debate as one VEVENT; ``url`` (its public page) is added when given."""
    event = Event()
    event.add("uid", debate_uid(debate))
    event.add("dtstamp", utc(utcnow()))
    event.add("dtstart", utc(debate.starts_at))
    event.add("dtend", utc(debate.ends_at))
    event.add("summary", debate.title)
    event.add("location", venue_address(debate))
    description = [debate.description.strip()] if debate.description.strip() else []
    if debate.doors_open_at:
        from flask_babel import format_time

        description.append(_("Doors open at %(time)s.", time=format_time(debate.doors_open_at, "HH:mm")))
    if debate.moderator:
        description.append(_("Moderator: %(name)s", name=debate.moderator))
    if url:
        description.append(url)
        event.add("url", url)
    if description:
        event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if debate.status == "cancelled" else "CONFIRMED")
    event.add("sequence", debate.sequence or 0)
    return event


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def debate_calendar(debate: Debate, url: str | None = None) -> bytes:
    """One debate as a file to import (or to attach to a mail)."""
    calendar = _calendar()
    calendar.add_component(debate_event(debate, url))
    return calendar.to_ical()


def feed(debates: Iterable[tuple[Debate, str | None]], name: str) -> bytes:
    """A subscribable feed of (debate, url) pairs, e.g. every published debate of one municipality."""
    calendar = _calendar(name)
    for debate, url in debates:
        calendar.add_component(debate_event(debate, url))
    return calendar.to_ical()

"""A training session as an iCalendar file (RFC 5545), for the enrolment and reminder mails and the download.

One VEVENT per file, with times in UTC (every calendar converts them to the reader's zone) and a UID that
stays the same for the session's life, and a SEQUENCE that goes up with every change of time or place: a
calendar that imported the enrolment mail's file updates that event from the change mail's or reminder's file,
and a file with STATUS:CANCELLED (and a higher SEQUENCE) takes it off the agenda.
"""

from __future__ import annotations

from flask_babel import gettext as _
from icalendar import Calendar, Event

from campaign.core.calendar import server_host, utc as _utc
from campaign.core.models import utcnow
from campaign.coordinators.models import TrainingSession

PRODID = "-//Campagnekit//Coordinator training//NL"


def session_uid(session: TrainingSession) -> str:
    return f"training-session-{session.id}@{server_host()}"


def session_calendar(session: TrainingSession, url: str | None = None) -> bytes:
    """The session as a VCALENDAR with one VEVENT; ``url`` (e.g. the workspace's training page) is added."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", _utc(utcnow()))
    event.add("dtstart", _utc(session.starts_at))
    event.add("dtend", _utc(session.ends_at))
    event.add("summary", session.module.title)
    if session.location:
        event.add("location", session.location)
    description = [session.module.goals.strip()] if session.module.goals.strip() else []
    if session.trainer:
        description.append(_("Trainer: %(name)s", name=session.trainer))
    if session.mode == "online" and session.location:
        description.append(_("Meeting link: %(link)s", link=session.location))
    if url:
        description.append(url)
        event.add("url", url)
    if description:
        event.add("description", "\n\n".join(description))
    if session.cancelled_at is not None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    # A changed session (new time or place, cancelled) must replace the copy a calendar already has: the
    # session's revision number goes up with every such change (see training.update_session, cancel_session).
    event.add("sequence", session.sequence or 0)
    calendar.add_component(event)
    return calendar.to_ical()

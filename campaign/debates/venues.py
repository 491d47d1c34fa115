"""Venues: the halls of member organisations (and partners) that are open for debates.

The rules:
- Staff add and change venues: coordinators in their own municipalities, the campaign team everywhere. A venue
  that staff add is active at once.
- A venue contact offers a venue through the public form (``offer_venue``). It waits, status ``offered``, until
  the campaign team accepts it (active, linked to an existing organisation, a new one or none) or declines it;
  the contact gets a receipt at once and the team's answer later, in the language they used. A declined offer
  keeps no contact details.
- Weekly availability windows are in local (Dutch) time; ``closes`` 00:00 means midnight at the end of the day;
  a window may hold only between two dates. Windows of one weekday do not overlap. A venue without windows is
  available at any time. Closures are whole days, first and last inclusive, and do not overlap either. The
  conflict checks and slot suggestions read both (``conflicts.py``, ``slots.py``).
- Withdrawing takes a venue out of use; it is refused while debates are still planned there.

Every change is recorded in the audit log with ids, codes, statuses and counts: never the contact's name,
address or phone, nor free text (which may hold them). Mail goes out after the commit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign.core.accounts import normalise_email
from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.forms import year_problems
from campaign.core.i18n import to_local_input
from campaign.core.labels import action_labels
from campaign.core.locking import lock_row
from campaign.core.mail import queue_template
from campaign.core.models import MUNICIPALITY_CODE, Municipality, Organisation, User, utcnow
from campaign.coordinators import organisations as organisation_domain
from campaign.coordinators.recruitment import MAX_PHONE, PHONE
from campaign.debates.common import may_schedule_in, scope_venues
from campaign.debates.models import VENUE_STATUSES, Debate, Venue, VenueClosure, VenueWindow
from campaign.extensions import db

action_labels.update({
    "venue.create": _l("Venue added"),
    "venue.update": _l("Venue changed"),
    "venue.offer": _l("Venue offered through the public form"),
    "venue.accept": _l("Venue offer accepted"),
    "venue.decline": _l("Venue offer declined"),
    "venue.withdraw": _l("Venue withdrawn"),
    "venue_window.add": _l("Availability window added"),
    "venue_window.remove": _l("Availability window removed"),
    "venue_closure.add": _l("Closure added"),
    "venue_closure.remove": _l("Closure removed"),
})

PUBLIC_ACTOR = Actor.system("venue contact (public form)")

# Limits (the forms use the same numbers; the columns hold at least as much).
MAX_NAME = 200
MAX_STREET = 200
MAX_CITY = 120
MAX_CAPACITY = 5000  # more is a typing mistake for the halls of member organisations
MAX_ACCESSIBILITY_NOTES = 2000
MAX_NOTES = 4000
MAX_CONTACT_NAME = 120
MAX_REASON = 200  # of a closure
MAX_MESSAGE = 2000  # a contact's message, a reason for declining

# Dutch postcode: four digits (not starting with 0), two letters; stored as "1234 AB".
POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
POSTCODE_MESSAGE = _l("Enter a Dutch postcode: four digits and two letters, like 3511 AB.")
MIDNIGHT = dt.time(0, 0)
MINUTES_PER_DAY = 24 * 60

STATUS_LABELS = {
    "offered": _l("offered, awaiting review"),
    "active": _l("active"),
    "declined": lazy_pgettext("venue offer status", "declined"),
    "withdrawn": _l("withdrawn"),
}
assert set(STATUS_LABELS) == set(VENUE_STATUSES)

WEEKDAY_LABELS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
                  _l("Sunday"))

# (attribute, what a visitor reads when the venue has it, when it has not)
ACCESSIBILITY = (
    ("step_free", _l("Step-free access"), _l("No step-free access")),
    ("hearing_loop", _l("Hearing loop"), _l("No hearing loop")),
    ("accessible_toilet", _l("Accessible toilet"), _l("No accessible toilet")),
)

FIELD_LABELS = {
    "name": _l("Name of the venue"),
    "street": _l("Street and number"),
    "postcode": _l("Postcode"),
    "city": _l("Place"),
    "municipality": _l("Municipality"),
    "capacity": _l("Capacity"),
    "accessibility_notes": _l("Accessibility notes"),
    "organisation": _l("Organisation"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact's email address"),
    "contact_phone": _l("Contact's phone number"),
    "notes": _l("Internal notes"),
    "weekday": _l("Day of the week"),
    "opens": _l("Opens"),
    "closes": _l("Closes"),
    "valid_from": _l("From"),
    "valid_until": _l("Until"),
    "first_day": _l("First day"),
    "last_day": _l("Last day"),
    "reason": _l("Reason"),
    "organisation_name": _l("Organisation"),
    "availability": _l("Availability"),
    "message": _l("Message"),
    "consent": _l("Consent"),
}


def _problem(field: str, message) -> Problem:
    return Problem(str(FIELD_LABELS.get(field, field)), str(message), field)


def _refuse(message, field: str = "") -> ValidationFailed:
    return ValidationFailed([Problem(str(_l("Venue")), str(message), field)])


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def weekday_label(weekday: int) -> str:
    return str(WEEKDAY_LABELS[weekday]) if 0 <= weekday <= 6 else str(weekday)


def describe_accessibility(venue: Venue) -> list[str]:
    """What the venue has and has not, in the reader's language: ["Step-free access", "No hearing loop", ...].
    (The free-text ``accessibility_notes`` come on top of these.)"""
    return [str(has if getattr(venue, name) else has_not) for name, has, has_not in ACCESSIBILITY]


def address(venue: Venue) -> str:
    return f"{venue.street}, {venue.postcode} {venue.city}"


def window_text(window: VenueWindow) -> str:
    """"Tuesday 19:00–23:00" and, when it holds only for a while, the dates (in the reader's language)."""
    text = f"{weekday_label(window.weekday)} {window.opens:%H:%M}–{window.closes:%H:%M}"
    if window.valid_from and window.valid_until:
        return text + " " + _("(%(first)s to %(last)s)", first=format_date(window.valid_from, "medium"),
                              last=format_date(window.valid_until, "medium"))
    if window.valid_from:
        return text + " " + _("(from %(first)s)", first=format_date(window.valid_from, "medium"))
    if window.valid_until:
        return text + " " + _("(until %(last)s)", last=format_date(window.valid_until, "medium"))
    return text


# --- reading ---------------------------------------------------------------------------------------------------

def venues_for(user: User, *, municipality: Municipality | None = None,
               statuses: tuple[str, ...] | None = None) -> list[Venue]:
    """The venues the user may see, by municipality and name (one query, with their places and organisations)."""
    query = scope_venues(select(Venue), user).join(Venue.municipality) \
        .options(selectinload(Venue.municipality), selectinload(Venue.organisation))
    if municipality is not None:
        query = query.where(Venue.municipality_id == municipality.id)
    if statuses is not None:
        query = query.where(Venue.status.in_(statuses))
    return list(db.session.scalars(query.order_by(Municipality.name, Venue.name, Venue.id)))


def offers_awaiting_review(user: User, *, municipality: Municipality | None = None) -> list[Venue]:
    """Offered venues, the oldest offer first."""
    offers = venues_for(user, municipality=municipality, statuses=("offered",))
    return sorted(offers, key=lambda v: (v.created_at, v.id))


def upcoming_debates(venue: Venue, now: dt.datetime | None = None) -> list[Debate]:
    """The debates planned in the venue that have not ended yet (also drafts and cancelled ones), soonest first,
    with their municipalities (one query for the list on the venue's page)."""
    return list(db.session.scalars(select(Debate).where(Debate.venue_id == venue.id, Debate.ends_at > (now or utcnow()))
                                   .options(selectinload(Debate.municipality)).order_by(Debate.starts_at, Debate.id)))


def planned_debate_count(venue: Venue, now: dt.datetime | None = None) -> int:
    """Debates still to come in the venue that are not cancelled (they would lose their venue)."""
    return db.session.scalar(select(func.count(Debate.id)).where(
        Debate.venue_id == venue.id, Debate.ends_at > (now or utcnow()), Debate.status != "cancelled")) or 0


def debates_during(venue: Venue, first_day: dt.date, last_day: dt.date) -> list[Debate]:
    """The planned (not cancelled) debates in the venue that start on one of these local days."""
    found = upcoming_debates(venue)
    return [d for d in found if d.status != "cancelled"
            and first_day <= to_local_input(d.starts_at).date() <= last_day]


# --- checking what people typed --------------------------------------------------------------------------------

def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


@dataclass
class VenueFields:
    """The checked and cleaned values of a venue form."""

    name: str
    street: str
    postcode: str
    city: str
    municipality: Municipality | None
    capacity: int
    step_free: bool
    hearing_loop: bool
    accessible_toilet: bool
    accessibility_notes: str
    organisation: Organisation | None
    contact_name: str
    contact_email: str
    contact_phone: str
    language: str
    notes: str

    def apply_to(self, venue: Venue) -> None:
        for name in ("name", "street", "postcode", "city", "municipality", "capacity", "step_free", "hearing_loop",
                     "accessible_toilet", "accessibility_notes", "organisation", "contact_name", "contact_email",
                     "contact_phone", "language", "notes"):
            setattr(venue, name, getattr(self, name))


def normalise_postcode(value: str) -> str | None:
    """"3511aa", "3511 AA" -> "3511 AA"; None when it is not a Dutch postcode."""
    match = POSTCODE.match((value or "").strip())
    return f"{match.group(1)} {match.group(2).upper()}" if match else None


def _municipality(code: str, problems: list[Problem]) -> Municipality | None:
    code = (code or "").strip().upper()
    if not code:
        problems.append(_problem("municipality", _l("Choose the municipality the venue is in.")))
        return None
    found = db.session.scalar(select(Municipality).where(Municipality.code == code)) \
        if MUNICIPALITY_CODE.match(code) else None
    if found is None:
        problems.append(_problem("municipality", _l(
            "%(code)s is not a known municipality code (CBS code, such as GM0344).", code=code)))
    return found


def _capacity(value, problems: list[Problem]) -> int:
    try:
        capacity = int(value)
    except (TypeError, ValueError):
        problems.append(_problem("capacity", _l("Give the number of seats as a whole number.")))
        return 0
    if not 1 <= capacity <= MAX_CAPACITY:
        problems.append(_problem("capacity", _l("Give a number of seats between 1 and %(max)d.", max=MAX_CAPACITY)))
    return capacity


def _contact(name: str, email: str, phone: str, problems: list[Problem], *, required: bool) -> tuple[str, str, str]:
    name, email, phone = _text(name), normalise_email(email or ""), _text(phone)
    problems += text_problems(name, FIELD_LABELS["contact_name"], "contact_name", limit=MAX_CONTACT_NAME,
                              missing=_l("Enter your name.") if required else None)
    problems += email_problems(email, FIELD_LABELS["contact_email"], "contact_email",
                               missing=_l("Enter your email address.") if required else None)
    if phone and (len(phone) > MAX_PHONE or not PHONE.match(phone)):
        problems.append(_problem("contact_phone", _l(
            "Enter a phone number with digits only (spaces, + and - allowed), or leave it empty.")))
    return name, email, phone


def _language(value: str) -> str:
    return value if value in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _checked(actor: Actor, *, name: str, street: str, postcode: str, city: str, municipality_code: str, capacity,
             step_free: bool = False, hearing_loop: bool = False, accessible_toilet: bool = False,
             accessibility_notes: str = "", organisation_id: int | None = None, contact_name: str = "",
             contact_email: str = "", contact_phone: str = "", language: str = "nl", notes: str = "",
             contact_required: bool = False) -> VenueFields:
    """Every problem with a venue's values at once (naming the field), or the cleaned values."""
    name, street, city = _text(name), _text(street), _text(city)
    accessibility_notes, notes = _text(accessibility_notes), _text(notes)
    problems = text_problems(name, FIELD_LABELS["name"], "name", limit=MAX_NAME,
                             missing=_l("Enter the name of the venue."))
    problems += text_problems(street, FIELD_LABELS["street"], "street", limit=MAX_STREET,
                              missing=_l("Enter the street and number."))
    clean_postcode = normalise_postcode(postcode)
    if clean_postcode is None:
        problems.append(_problem("postcode", POSTCODE_MESSAGE))
    problems += text_problems(city, FIELD_LABELS["city"], "city", limit=MAX_CITY, missing=_l("Enter the place."))
    municipality = _municipality(municipality_code, problems)
    if municipality is not None and actor.user is not None and not may_schedule_in(actor.user, municipality):
        problems.append(_problem("municipality", _l("You can only add venues in your own municipalities.")))
    seats = _capacity(capacity, problems)
    problems += text_problems(accessibility_notes, FIELD_LABELS["accessibility_notes"], "accessibility_notes",
                              limit=MAX_ACCESSIBILITY_NOTES)
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            problems.append(_problem("organisation", _l("Choose one of the organisations offered, or none.")))
    contact = _contact(contact_name, contact_email, contact_phone, problems, required=contact_required)
    problems += text_problems(notes, FIELD_LABELS["notes"], "notes", limit=MAX_NOTES)
    if problems:
        raise ValidationFailed(problems)
    return VenueFields(name, street, clean_postcode, city, municipality, seats, bool(step_free), bool(hearing_loop),
                       bool(accessible_toilet), accessibility_notes, organisation, *contact, _language(language),
                       notes)


def _state(venue: Venue) -> dict:
    """What the audit log keeps of a venue: no contact details, and of free text only whether there is some."""
    state = snapshot(venue, ("name", "postcode", "capacity", "step_free", "hearing_loop", "accessible_toilet",
                             "status", "organisation_id"))
    state["municipality"] = venue.municipality.code if venue.municipality else None
    state["accessibility_notes"] = bool(venue.accessibility_notes)
    state["contact"] = bool(venue.contact_email or venue.contact_name or venue.contact_phone)
    return state


# --- staff: venues ---------------------------------------------------------------------------------------------

def create_venue(actor: Actor, **fields) -> Venue:
    """A venue added by staff: active at once. ``fields``: name, street, postcode, city, municipality_code,
    capacity, step_free, hearing_loop, accessible_toilet, accessibility_notes, organisation_id, contact_name,
    contact_email, contact_phone, language, notes."""
    values = _checked(actor, **fields)
    venue = Venue(status="active")
    values.apply_to(venue)
    db.session.add(venue)
    db.session.flush()
    record(actor, "venue.create", "venue", venue.id, after=_state(venue), only_changes=False)
    return venue


def update_venue(actor: Actor, venue: Venue, **fields) -> Venue:
    """The same fields as ``create_venue``; the status stays (see accept, decline, withdraw)."""
    values = _checked(actor, **fields)
    before = _state(venue)
    values.apply_to(venue)
    record(actor, "venue.update", "venue", venue.id, before=before, after=_state(venue))
    return venue


def _planned_debates_problem(venue: Venue) -> Problem | None:
    planned = planned_debate_count(venue)
    if not planned:
        return None
    return Problem(str(_l("Venue")), str(_l(
        "Debates are still planned in this venue (%(num)d); move or cancel them first.", num=planned)))


def withdraw(actor: Actor, venue: Venue) -> None:
    """Take an offered or active venue out of use; refused while debates are planned there (the venue row is
    locked, so no debate is booked into it meanwhile by a booking that locks it too)."""
    venue = lock_row(Venue, venue.id)
    if venue.status not in ("offered", "active"):
        raise _refuse(_l("This venue is %(status)s already.", status=status_label(venue.status)))
    problem = _planned_debates_problem(venue)
    if problem is not None:
        raise ValidationFailed([problem])
    before = venue.status
    venue.status = "withdrawn"
    record(actor, "venue.withdraw", "venue", venue.id, before={"status": before}, after={"status": "withdrawn"},
           only_changes=False)


# --- staff: availability windows and closures ------------------------------------------------------------------

def _minutes(value: dt.time, *, end: bool = False) -> int:
    """Minutes since the start of the day; a window that closes at 00:00 closes at the end of the day."""
    if end and value == MIDNIGHT:
        return MINUTES_PER_DAY
    return value.hour * 60 + value.minute


def _periods_overlap(a_from, a_until, b_from, b_until) -> bool:
    """Two date ranges (inclusive; None is open-ended) share a day."""
    return (a_from is None or b_until is None or a_from <= b_until) and \
        (b_from is None or a_until is None or b_from <= a_until)


def _plausible(day: dt.date | None, field: str, problems: list[Problem]) -> None:
    problems += year_problems(day, FIELD_LABELS.get(field, field), field)


def _existing(model, venue: Venue) -> list:
    """The venue's windows or closures as they are now, with the venue locked: of two overlapping ones added at
    once, the second sees the first."""
    lock_row(Venue, venue.id)
    return list(db.session.scalars(select(model).where(model.venue_id == venue.id)))


def _add_item(actor: Actor, venue: Venue, item, collection: str, kind: str, state):
    getattr(venue, collection).append(item)
    db.session.flush()
    record(actor, f"{kind}.add", kind, item.id, after=state(item), parent=("venue", venue.id), only_changes=False)
    return item


def _remove_item(actor: Actor, item, collection: str, kind: str, state) -> None:
    venue = item.venue
    record(actor, f"{kind}.remove", kind, item.id, before=state(item), parent=("venue", venue.id),
           only_changes=False)
    getattr(venue, collection).remove(item)
    db.session.flush()


def _window_state(window: VenueWindow) -> dict:
    return {"weekday": window.weekday, "opens": f"{window.opens:%H:%M}", "closes": f"{window.closes:%H:%M}",
            "valid_from": window.valid_from.isoformat() if window.valid_from else None,
            "valid_until": window.valid_until.isoformat() if window.valid_until else None}


def add_window(actor: Actor, venue: Venue, *, weekday: int, opens: dt.time | None, closes: dt.time | None,
               valid_from: dt.date | None = None, valid_until: dt.date | None = None) -> VenueWindow:
    """A weekly window, e.g. Tuesday 19:00-23:00 (local time); ``closes`` 00:00 is midnight."""
    problems: list[Problem] = []
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        problems.append(_problem("weekday", _l("Choose a day of the week.")))
    if opens is None:
        problems.append(_problem("opens", _l("Give the time the venue opens, like 19:00.")))
    if closes is None:
        problems.append(_problem("closes", _l("Give the time the venue closes, like 23:00 (00:00 is midnight).")))
    if opens is not None and closes is not None and _minutes(opens) >= _minutes(closes, end=True):
        problems.append(_problem("closes", _l(
            "The venue must close after it opens, on the same day (00:00 is midnight). For a night that runs past "
            "midnight, add a second window for the next day.")))
    _plausible(valid_from, "valid_from", problems)
    _plausible(valid_until, "valid_until", problems)
    if valid_from and valid_until and valid_until < valid_from:
        problems.append(_problem("valid_until", _l("The last date comes on or after the first.")))
    if not problems:
        for other in _existing(VenueWindow, venue):
            if other.weekday == weekday and _periods_overlap(valid_from, valid_until, other.valid_from,
                                                             other.valid_until) \
                    and _minutes(opens) < _minutes(other.closes, end=True) \
                    and _minutes(other.opens) < _minutes(closes, end=True):
                problems.append(_problem("opens", _l("This overlaps the window %(window)s; change or remove that "
                                                     "one instead.", window=window_text(other))))
                break
    if problems:
        raise ValidationFailed(problems)
    window = VenueWindow(weekday=weekday, opens=opens, closes=closes, valid_from=valid_from, valid_until=valid_until)
    return _add_item(actor, venue, window, "windows", "venue_window", _window_state)


def remove_window(actor: Actor, window: VenueWindow) -> None:
    _remove_item(actor, window, "windows", "venue_window", _window_state)


def _closure_state(closure: VenueClosure) -> dict:
    # Of the reason (free text) only whether there is one, like every free text of a venue.
    return {"first_day": closure.first_day.isoformat(), "last_day": closure.last_day.isoformat(),
            "reason": bool(closure.reason)}


def add_closure(actor: Actor, venue: Venue, *, first_day: dt.date | None, last_day: dt.date | None,
                reason: str = "") -> VenueClosure:
    """Days the venue is closed, first and last inclusive (local dates)."""
    reason = _text(reason)
    problems: list[Problem] = []
    if first_day is None:
        problems.append(_problem("first_day", _l("Give the first day of the closure.")))
    if last_day is None:
        problems.append(_problem("last_day", _l("Give the last day of the closure (the same day for one day).")))
    _plausible(first_day, "first_day", problems)
    _plausible(last_day, "last_day", problems)
    if first_day and last_day and last_day < first_day:
        problems.append(_problem("last_day", _l("The last day comes on or after the first day.")))
    problems += text_problems(reason, FIELD_LABELS["reason"], "reason", limit=MAX_REASON)
    if not problems:
        for other in _existing(VenueClosure, venue):
            if _periods_overlap(first_day, last_day, other.first_day, other.last_day):
                problems.append(_problem("first_day", _l(
                    "This overlaps the closure from %(first)s to %(last)s; change or remove that one instead.",
                    first=other.first_day.isoformat(), last=other.last_day.isoformat())))
                break
    if problems:
        raise ValidationFailed(problems)
    closure = VenueClosure(first_day=first_day, last_day=last_day, reason=reason)
    return _add_item(actor, venue, closure, "closures", "venue_closure", _closure_state)


def remove_closure(actor: Actor, closure: VenueClosure) -> None:
    _remove_item(actor, closure, "closures", "venue_closure", _closure_state)


# --- the public offer ------------------------------------------------------------------------------------------

def _offer_labels() -> tuple[str, str, str]:
    return _("Organisation (from the offer)"), _("Availability (from the offer)"), _("Message (from the offer)")


def _offer_notes(organisation_name: str, availability: str, message: str) -> str:
    """What the contact wrote besides the venue's facts, as internal notes in the team's (default) language; the
    first line names the organisation, for ``offered_organisation_name``."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        organisation_label, availability_label, message_label = _offer_labels()
    parts = []
    if organisation_name:
        parts.append(f"{organisation_label}: {organisation_name}")
    if availability:
        parts.append(f"{availability_label}:\n{availability}")
    if message:
        parts.append(f"{message_label}:\n{message}")
    return "\n\n".join(parts)


def offered_organisation_name(venue: Venue) -> str:
    """The organisation the contact named on the offer form ("" if none), read back from the notes."""
    first_line = (venue.notes or "").split("\n", 1)[0]
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            prefix = _offer_labels()[0] + ": "
        if first_line.startswith(prefix):
            return first_line[len(prefix):].strip()
    return ""


def suggested_organisation(venue: Venue) -> Organisation | None:
    """An existing organisation with the name the contact gave (ignoring case), for the team to confirm."""
    name = offered_organisation_name(venue)
    if not name:
        return None
    return db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower())
                             .order_by(Organisation.id).limit(1))


def campaign_team() -> list[User]:
    """Who hears of a new offer: the active accounts of the campaign team (editors and administrators)."""
    return list(db.session.scalars(select(User).where(User.active, User.role.in_(("editor", "admin")))
                                   .order_by(User.id)))


def offer_venue(*, name: str, street: str, postcode: str, city: str, municipality_code: str, capacity,
                step_free: bool = False, hearing_loop: bool = False, accessible_toilet: bool = False,
                accessibility_notes: str = "", organisation_name: str = "", availability: str = "",
                message: str = "", contact_name: str, contact_email: str, contact_phone: str = "",
                consent: bool, language: str) -> Venue:
    """A venue offered through the public form: stored as ``offered``; the contact gets a receipt in their
    language, every member of the campaign team a notice with a link to review it. Raises ValidationFailed,
    naming the fields, before writing anything."""
    organisation_name, availability, message = _text(organisation_name), _text(availability), _text(message)
    extra = text_problems(organisation_name, FIELD_LABELS["organisation_name"], "organisation_name",
                          limit=organisation_domain.MAX_NAME)
    extra += text_problems(availability, FIELD_LABELS["availability"], "availability", limit=MAX_MESSAGE)
    extra += text_problems(message, FIELD_LABELS["message"], "message", limit=MAX_MESSAGE)
    if not consent:
        extra.append(_problem("consent", _l("We can only handle your offer when you agree to this.")))
    try:
        values = _checked(PUBLIC_ACTOR, name=name, street=street, postcode=postcode, city=city,
                          municipality_code=municipality_code, capacity=capacity, step_free=step_free,
                          hearing_loop=hearing_loop, accessible_toilet=accessible_toilet,
                          accessibility_notes=accessibility_notes, contact_name=contact_name,
                          contact_email=contact_email, contact_phone=contact_phone, language=language,
                          contact_required=True)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.problems + extra) from None
    if extra:
        raise ValidationFailed(extra)
    values.notes = _offer_notes(organisation_name, availability, message)
    venue = Venue(status="offered")
    values.apply_to(venue)
    db.session.add(venue)
    db.session.flush()
    record(PUBLIC_ACTOR, "venue.offer", "venue", venue.id, after=_state(venue), only_changes=False)
    with force_locale(venue.language):
        queue_template(venue.contact_email, "venue_offer_received", venue=venue,
                       accessibility=describe_accessibility(venue), organisation_name=organisation_name)
    link = url_for("debates_admin.venue", venue_id=venue.id, _external=True)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # staff have no language of their own
        for member in campaign_team():
            queue_template(member.email, "venue_offer_notice", venue=venue, link=link,
                           organisation_name=organisation_name)
    return venue


# --- the team's answer to an offer -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NewOrganisation:
    """An organisation to create while accepting an offer (in the venue's municipality)."""

    name: str
    kind: str
    member: bool


# The organisations domain names its fields name and kind; the accept form calls them this.
_NEW_ORGANISATION_FIELDS = {"name": "organisation_name", "kind": "organisation_kind"}


def _locked_offer(venue: Venue) -> Venue:
    """The venue, locked (so that two answers to one offer cannot both go out), if it is still offered."""
    venue = lock_row(Venue, venue.id)
    if venue.status != "offered":
        raise _refuse(_l("Only an offered venue can be accepted or declined; this one is %(status)s.",
                         status=status_label(venue.status)))
    return venue


def accept_offer(actor: Actor, venue: Venue, *, organisation_id: int | None = None,
                 new_organisation: NewOrganisation | None = None) -> Venue:
    """offered -> active, linked to an existing organisation, a new one (created in the venue's municipality) or
    none; the contact is mailed in their language."""
    venue = _locked_offer(venue)
    before = _state(venue)
    if new_organisation is not None:
        try:
            organisation = organisation_domain.create_organisation(
                actor, name=new_organisation.name, kind=new_organisation.kind, member=new_organisation.member,
                municipality_code=venue.municipality.code)
        except ValidationFailed as exc:
            raise ValidationFailed([Problem(p.location, p.message, _NEW_ORGANISATION_FIELDS.get(p.field, p.field))
                                    for p in exc.problems]) from None
        venue.organisation = organisation
    elif organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            raise ValidationFailed([_problem("organisation", _l("Choose one of the organisations offered, or none."))])
        venue.organisation = organisation
    venue.status = "active"
    record(actor, "venue.accept", "venue", venue.id, before=before, after=_state(venue))
    if venue.contact_email:
        with force_locale(venue.language):
            queue_template(venue.contact_email, "venue_offer_accepted", venue=venue)
    return venue


def decline_offer(actor: Actor, venue: Venue, *, reason: str = "") -> Venue:
    """offered -> declined; the contact is mailed (with the reason, if given) in their language, and then their
    details are removed: a declined offer has no further use for them."""
    reason = _text(reason)
    problems = text_problems(reason, _l("Reason"), "decline_reason", limit=MAX_MESSAGE)
    if problems:
        raise ValidationFailed(problems)
    venue = _locked_offer(venue)
    before = _state(venue)
    if venue.contact_email:
        with force_locale(venue.language):
            queue_template(venue.contact_email, "venue_offer_declined", venue=venue, reason=reason)
    venue.status = "declined"
    venue.contact_name = venue.contact_email = venue.contact_phone = ""
    record(actor, "venue.decline", "venue", venue.id, before=before, after=_state(venue))
    return venue

"""Fictional demo data for the debates (`campaign demo`): an election a few months from today, venues of the
demo organisations, published debates open for registration (a mayors' debate on arts and culture among them)
with invited parties and topics, and a draft that clashes with a published debate, for the back office to show.

Every name, address, party and person below is invented, and the titles say so. The debates are made through
the domain functions (``venues``, ``scheduling``, ``invitations``), as the campaign team would; the parties'
answers are written as a finished state (nobody is mailed). Loaded once; running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.i18n import from_local_input, to_local_input
from campaign.core.models import Election, Municipality, Organisation, User, utcnow
from campaign.debates import invitations, scheduling, venues
from campaign.extensions import db

ACTOR = Actor.system("campaign demo")
DEMO = "(demo, fictief)"
ELECTION_SLUG = "demo-debatten"

# name, organisation (from the coordinators' demo), street, postcode, place, municipality, seats,
# step-free, hearing loop, accessible toilet, notes
VENUES = (
    ("Muziekschool De Notenbalk, grote zaal", "Muziekschool De Notenbalk (fictief)", "Notenbalk 1", "3511 AA",
     "Utrecht", "GM0344", 120, True, True, True, "Ingang aan het plein, zonder drempels. Fietsenstalling bij de deur."),
    ("Muziekschool De Notenbalk, kamerzaal", "Muziekschool De Notenbalk (fictief)", "Notenbalk 1", "3511 AA",
     "Utrecht", "GM0344", 45, True, False, True, "Op de eerste verdieping; er is een lift."),
    ("Kunstcentrum Het Atelier, theaterzaal", "Kunstcentrum Het Atelier (fictief)", "Atelierlaan 12", "5038 AB",
     "Tilburg", "GM0855", 200, True, True, True, ""),
    ("Bibliotheek De Boekenbrug, leeszaal", "Bibliotheek De Boekenbrug (fictief)", "Boekenbrug 3", "9711 CD",
     "Groningen", "GM0014", 60, False, True, False, "Twee treden bij de ingang; een oprijplaat is op aanvraag."),
)

PARTIES = (("Partij voor de Muziek (fictief)", "Anna Akkoord (fictief)", "lijsttrekker"),
           ("Lokaal Cultuurbelang (fictief)", "Bram Balans (fictief)", "raadslid"),
           ("Stadspartij Podium (fictief)", None, None),
           ("Groen Atelier (fictief)", "", None))
TOPICS = ("Muziekles op elke basisschool", "Betaalbare lessen bij het centrum voor de kunsten",
          "Oefenruimte voor amateurs en jonge bands")


def _evening(now: dt.datetime, days_ahead: int) -> dt.datetime:
    """20:00 Dutch time on a weekday about ``days_ahead`` days after ``now`` (Saturday and Sunday move to Monday),
    as stored (naive UTC)."""
    day = to_local_input(now).date() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return from_local_input(dt.datetime.combine(day, dt.time(20)))


def election_day(today: dt.date) -> dt.date:
    """A Wednesday about four months from today (Dutch municipal elections are on a Wednesday)."""
    day = today + dt.timedelta(days=120)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def _venue(row, organisations):
    name, organisation, street, postcode, city, code, seats, step_free, loop, toilet, notes = row
    found = organisations.get(organisation)
    venue = venues.create_venue(
        ACTOR, name=f"{name} {DEMO}", street=street, postcode=postcode, city=city, municipality_code=code,
        capacity=seats, step_free=step_free, hearing_loop=loop, accessible_toilet=toilet, accessibility_notes=notes,
        organisation_id=found.id if found else None, contact_name="Demo Zaalbeheerder (fictief)",
        contact_email=f"zaal-{code.lower()}@demo.invalid")
    for weekday in range(5):  # weekday evenings
        venues.add_window(ACTOR, venue, weekday=weekday, opens=dt.time(18, 30), closes=dt.time(23, 30))
    return venue


def _debate(election, venue, now, *, kind, title, days_ahead, description, coordinator=None, topics=TOPICS,
            moderator="Demo Gespreksleider (fictief)", publish=True):
    starts_at = _evening(now, days_ahead)
    debate = scheduling.create_debate(
        ACTOR, kind=kind, title=f"{title} {DEMO}", description=description, election_id=election.id,
        municipality_id=venue.municipality_id, venue_id=venue.id, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2), doors_open_at=starts_at - dt.timedelta(minutes=30),
        moderator=moderator, coordinator_id=coordinator.id if coordinator else None,
        expected_audience=venue.capacity * 3 // 4, topics=list(topics))
    if publish:
        scheduling.confirm(ACTOR, debate)
        scheduling.publish(ACTOR, debate)
    return debate


def _invite(debate, parties, now: dt.datetime) -> None:
    """Invite the (fictional) parties; their answers as a finished state: confirmed with a speaker, declined
    (speaker ""), or no answer yet (speaker None)."""
    for number, (name, speaker, role) in enumerate(parties, start=1):
        invitation = invitations.invite(ACTOR, debate, name, f"partij{number}@demo.invalid")
        invitation.invited_at = now - dt.timedelta(days=7)
        if speaker is not None:
            invitation.status = "confirmed" if speaker else "declined"
            invitation.speaker_name, invitation.speaker_role = speaker, role or ""
            invitation.responded_at = now - dt.timedelta(days=3)


def load_demo(now: dt.datetime | None = None) -> bool:
    """Add the fictional debates demo data; False when it is there already."""
    if db.session.scalar(select(Election.id).where(Election.slug == ELECTION_SLUG)) is not None:
        return False
    now = now or utcnow()
    places = {m.code: m for m in db.session.scalars(select(Municipality))}
    if not all(code in places for code in ("GM0344", "GM0855", "GM0014")):
        return False  # the demo municipalities are loaded first (`campaign demo` does)
    election = Election(slug=ELECTION_SLUG, name=f"Gemeenteraadsverkiezingen {DEMO}",
                        date=election_day(now.date()))
    db.session.add(election)
    db.session.flush()
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    utrecht_hall, utrecht_room, tilburg, groningen = (_venue(row, organisations) for row in VENUES)
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@demo.invalid",
                                                       User.role == "coordinator"))
    if coordinator is not None and not any(m.code == "GM0344" for m in coordinator.municipalities):
        coordinator = None

    lead = _debate(election, utrecht_hall, now, kind="lijsttrekkersdebat", title="Lijsttrekkersdebat kunst en cultuur",
                   days_ahead=21, coordinator=coordinator,
                   description="De lijsttrekkers van Utrecht in debat over muziekles, het centrum voor de kunsten "
                               "en oefenruimte. Dit is een demodebat: partijen, sprekers en zaal zijn verzonnen.")
    _invite(lead, PARTIES, now)
    mayors = _debate(election, utrecht_room, now, kind="mayors_debate",
                     title="Burgemeestersdebat over kunst en cultuur", days_ahead=35, coordinator=coordinator,
                     description="Burgemeesters uit de regio over de plek van kunst- en cultuureducatie in hun "
                                 "gemeente. Dit is een demodebat: alle namen zijn verzonnen.",
                     topics=("Een lokale infrastructuur voor cultuureducatie", "Samenwerking tussen gemeenten"),
                     moderator="Demo Dagvoorzitter (fictief)")
    _invite(mayors, (("Burgemeester van Demostad (fictief)", "Demo Burgemeester (fictief)", "burgemeester"),
                     ("Burgemeester van Voorbeelddorp (fictief)", None, None)), now)
    public = _debate(election, tilburg, now, kind="public_debate", title="Publiek debat: cultuur in de wijk",
                     days_ahead=28, description="Bewoners, makers en lokale partijen in gesprek over cultuur in de "
                                                "wijk. Dit is een demodebat: alle namen zijn verzonnen.")
    _invite(public, PARTIES[:3], now)
    north = _debate(election, groningen, now, kind="lijsttrekkersdebat", title="Lijsttrekkersdebat Groningen",
                    days_ahead=42, description="Een demodebat in de bibliotheek: alle namen zijn verzonnen.")
    _invite(north, PARTIES[1:], now)
    # A draft in the hall the lead candidates' debate has booked, on the same evening: the back office shows
    # the clash, and refuses to confirm it until it moves.
    _debate(election, utrecht_hall, now, kind="public_debate", title="Jongerendebat over cultuur (concept)",
            days_ahead=21, coordinator=coordinator, publish=False,
            description="Een concept dat botst met het lijsttrekkersdebat in dezelfde zaal. Dit is een "
                        "demodebat: alle namen zijn verzonnen.", topics=("Cultuur voor jongeren",))
    db.session.commit()
    return True

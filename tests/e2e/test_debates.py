"""Open-venue debates in a real browser: scheduling with a conflict, the public agenda, registration with a
waitlist, a cancellation that promotes the next in line, and check-in at the door.

A coordinator for Utrecht schedules a debate in a venue that is already booked at that time: the conflict
appears beside the form as they type (htmx), with its level. The draft is saved; its review page will not
let it be confirmed and says why. The coordinator moves it to another (small) venue, sees the conflict go,
confirms and publishes it. The public agenda, the municipality's agenda and the debate page show it (venue,
accessibility, the parties' answers, registration, schema.org Event markup). The first citizen takes both
seats for registration, the second lands on the waitlist; the first cancels through the personal link in their
mail, and the second moves up and is mailed. The coordinator's check-in list shows them with a seat, and on
the day of the debate checks them in at the door (htmx). Without JavaScript the debate form still checks and
saves, and shows the conflicts after the save.

Everything runs in Dutch, the default: labels, headings, messages and mail subjects are looked up in the app's
own Dutch catalogue (``nl``), so the test holds both before and after the debate texts are translated.

axe-core checks the agenda, the municipality's agenda, the debate page and its registration form with a
problem shown. axe is injected as an inline script, which the Content Security Policy forbids, so it runs in a
second context with the CSP bypassed while the citizens' own pages keep the CSP guard.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.debates.conftest import local_evening
from tests.e2e.conftest import TEST_MUNICIPALITY, assert_no_axe_violations
from tests.e2e.test_coordinators import axe_check, heading, mails_to, named, only_mail
from tests.e2e.test_editorial import expect_flash
from tests.factories import Mailbox

CODE = TEST_MUNICIPALITY
MUNICIPALITY = "Utrecht"
DAYS_AHEAD = 14
COORDINATOR = {"email": "debates-coordinator-e2e@example.org", "name": "Dirk Debatcoördinator (e2e)",
               "password": "e2e debates horse battery"}
ELECTION = "Gemeenteraadsverkiezingen (fictief, e2e)"
TITLE = "Cultuurdebat Utrecht (e2e)"
BOOKED_TITLE = "Lijsttrekkersdebat Muziekschool (e2e)"
SPEAKER = "Anna Alfa (fictief)"
SEATS = 2


@dataclass(frozen=True)
class Citizen:
    name: str
    email: str


FIRST = Citizen("Fenna Eerste (fictief)", "fenna.eerste.e2e@example.org")
SECOND = Citizen("Wim Wachtlijst (fictief)", "wim.wachtlijst.e2e@example.org")


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postcode: str
    capacity: int


BOOKED_VENUE = Venue("Muziekschool Domstad, grote zaal (e2e)", "Voorbeeldstraat 1", "3511 AA", 120)
SMALL_VENUE = Venue("Bibliotheek Oudegracht, leeszaal (e2e)", "Verzonnenlaan 2", "3512 BB", 30)


@dataclass(frozen=True)
class World:
    election_id: int
    booked_debate_id: int


def local_input(days_ahead: int, hour: int, minute: int = 0) -> str:
    """What a datetime-local input holds for ``days_ahead`` days from now at ``hour``:``minute`` Dutch time
    (the same moment as ``local_evening``)."""
    day = (dt.datetime.now(ZoneInfo("Europe/Amsterdam")) + dt.timedelta(days=days_ahead)).date()
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


# --- setup in the database ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(live_server) -> World:
    """A coordinator for Utrecht, an election in two months, two active venues in Utrecht and a confirmed
    debate in the big one, 14 days from now from 20:00 to 22:00, made through the domain functions."""
    from sqlalchemy import select

    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.core.models import Election, Municipality, utcnow
    from campaign.debates import scheduling, venues
    from campaign.extensions import db

    actor = Actor.system("e2e")
    with live_server.app.app_context():
        utrecht = db.session.scalar(select(Municipality).where(Municipality.code == CODE))
        assert utrecht is not None and utrecht.name == MUNICIPALITY
        create_user(actor, role="coordinator", municipality_codes=[CODE], **COORDINATOR)
        election = Election(slug="e2e-debates", name=ELECTION, date=(utcnow() + dt.timedelta(days=60)).date())
        db.session.add(election)
        made = {}
        for venue, extra in ((BOOKED_VENUE, {"step_free": True, "hearing_loop": True, "accessible_toilet": True}),
                             (SMALL_VENUE, {"step_free": True, "hearing_loop": False, "accessible_toilet": True,
                                            "accessibility_notes": "Ingang zonder drempel aan de zijkant (fictief)."})):
            made[venue] = venues.create_venue(actor, name=venue.name, street=venue.street, postcode=venue.postcode,
                                              city=MUNICIPALITY, municipality_code=CODE, capacity=venue.capacity,
                                              contact_name="Zeger Zaal (fictief)",
                                              contact_email="zaal.e2e@example.org", **extra)
        db.session.flush()
        starts = local_evening(DAYS_AHEAD, 20)
        booked = scheduling.create_debate(actor, kind="lijsttrekkersdebat", title=BOOKED_TITLE,
                                          election_id=election.id, municipality_id=utrecht.id,
                                          venue_id=made[BOOKED_VENUE].id, starts_at=starts,
                                          ends_at=starts + dt.timedelta(hours=2))
        scheduling.confirm(actor, booked)
        db.session.commit()
        return World(election_id=election.id, booked_debate_id=booked.id)


class Dutch:
    """``nl(msgid, **values)`` and ``nl.n(singular, plural, num, **values)``: the text the Dutch pages show for
    an English msgid (the app's catalogue)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, msgid: str, **values) -> str:
        from flask_babel import gettext

        with self.app.test_request_context(), self._dutch():
            return gettext(msgid, **values)

    def n(self, singular: str, plural: str, num: int, **values) -> str:
        from flask_babel import ngettext

        with self.app.test_request_context(), self._dutch():
            return ngettext(singular, plural, num, **values)

    @staticmethod
    def _dutch():
        from flask_babel import force_locale

        return force_locale("nl")


@pytest.fixture()
def nl(live_server) -> Dutch:
    return Dutch(live_server.app)


# --- small helpers ------------------------------------------------------------------------------------------

def venue_option(nl, venue: Venue) -> str:
    return nl.n("%(venue)s, %(municipality)s (%(num)d person)", "%(venue)s, %(municipality)s (%(num)d people)",
                venue.capacity, venue=venue.name, municipality=MUNICIPALITY)


def conflict(page, level: str, code: str):
    return page.locator(f"#conflicts li.conflict-{level}[data-code='{code}']")


def personal_link(live_server, message) -> str:
    links = [link for link in Mailbox(live_server.app.config["MAIL_FILE_DIR"]).links(message)
             if "/debatten/aanmelding/" in link]
    assert len(links) == 1, f"expected one personal link in {message['Subject']!r}, found {links}"
    return links[0]


def calendar_of(message) -> str:
    """The unfolded text of the mail's one iCalendar attachment."""
    files = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(files) == 1, f"expected one calendar file in {message['Subject']!r}, found {len(files)}"
    assert files[0].get_filename().endswith(".ics")
    content = files[0].get_content()
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return text.replace("\r\n ", "").replace("\n ", "")


def sign_in(page, nl, account: dict = COORDINATOR) -> None:
    page.goto("/beheer/inloggen")
    page.get_by_label(nl("Email address"), exact=True).fill(account["email"])
    page.get_by_label(nl("Password"), exact=True).fill(account["password"])
    page.get_by_role("button", name=nl("Sign in"), exact=True).click()
    expect(page.get_by_role("button", name=nl("Sign out"))).to_be_visible()


def fill_debate(page, nl, *, venue: Venue, starts: str, ends: str, title: str = TITLE) -> None:
    """The debate form, as the coordinator fills it in (the venue last: that is where a conflict shows)."""
    page.get_by_label(nl("Kind of debate"), exact=True).select_option(label=nl("Debate of the lead candidates"))
    page.get_by_label(nl("Title"), exact=True).fill(title)
    page.get_by_label(nl("Description"), exact=True).fill(
        "De lokale lijsttrekkers over muziekles, bibliotheken en cultuureducatie (fictief).")
    page.get_by_label(nl("Agenda topics"), exact=True).fill("Muziekles voor ieder kind\nDe bibliotheek in de wijk")
    page.get_by_label(nl("Election"), exact=True).select_option(label=ELECTION)
    page.get_by_label(nl("Municipality"), exact=True).select_option(label=f"{MUNICIPALITY} ({MUNICIPALITY})")
    page.get_by_label(nl("Starts"), exact=True).fill(starts)
    page.get_by_label(nl("Ends"), exact=True).fill(ends)
    page.get_by_label(nl("Seats for registration"), exact=True).fill(str(SEATS))
    page.get_by_label(nl("Venue"), exact=True).select_option(label=venue_option(nl, venue))


# --- 1. the coordinator schedules, meets a conflict, resolves it and publishes -----------------------------

def schedule_with_conflict(page, nl) -> int:
    """A new debate overlapping the booked one in the same venue: the conflict shows inline (htmx), the draft
    is saved anyway and shows it too. Returns the debate's id."""
    page.get_by_role("navigation", name=nl("Back office")).get_by_role("link", name=nl("Debates"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Debates"))
    page.get_by_role("link", name=nl("Schedule a debate"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Schedule a debate"))
    panel = page.locator("#conflicts")
    expect(panel).to_contain_text(nl("Choose a venue, a start and an end to check for conflicts."))
    page.evaluate("() => { window.__samePage = true; }")  # gone if the browser loads a new page
    fill_debate(page, nl, venue=BOOKED_VENUE, starts=local_input(DAYS_AHEAD, 19, 30),
                ends=local_input(DAYS_AHEAD, 21, 30))
    booked = conflict(page, "blocking", "venue_booked")
    expect(booked).to_be_visible()
    expect(booked.locator(".conflict-level")).to_have_text(nl("Blocks publishing") + ":")
    expect(booked).to_contain_text(BOOKED_VENUE.name)
    expect(booked).to_contain_text(BOOKED_TITLE)
    expect(panel).to_contain_text(nl("A conflict that blocks publishing must be resolved before the debate can be "
                                     "confirmed or published. Warnings and notes are for you to weigh."))
    assert page.evaluate("() => window.__samePage === true"), "htmx should swap the conflict list, not reload"

    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/beheer/debatten/\d+$"))
    expect_flash(page, nl("Debate saved as a draft. Invite the parties, then confirm the debate to book the venue."))
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("main .status").first).to_have_text(nl("draft"))
    expect(conflict(page, "blocking", "venue_booked")).to_contain_text(BOOKED_TITLE)
    return int(re.search(r"/(\d+)$", page.url).group(1))


def review_blocked(page, nl) -> None:
    """The review page will not confirm (let alone publish) the draft, and says why."""
    page.get_by_role("link", name=nl("Review and publish"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Review before publishing: %(title)s", title=TITLE))
    expect(page.get_by_role("heading", level=3, name=re.compile(re.escape(nl("Blocks publishing"))))).to_be_visible()
    expect(page.locator("li.conflict-blocking[data-code='venue_booked']")).to_contain_text(BOOKED_TITLE)
    reason = nl("Confirming is not possible while a conflict blocks it (see above).")
    button = page.get_by_role("button", name=nl("Confirm and book the venue"), exact=True)
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_description(reason)
    expect(page.get_by_text(reason, exact=True)).to_be_visible()


def resolve_and_publish(page, nl, debate_id: int) -> None:
    """Another venue at the same time: the conflict goes (as the coordinator edits, and after the save);
    confirm, review (nothing left) and publish."""
    page.get_by_role("link", name=nl("Edit the debate"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Edit debate: %(title)s", title=TITLE))
    expect(conflict(page, "blocking", "venue_booked")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/beheer/debatten/controleren")) as checked:
        page.get_by_label(nl("Venue"), exact=True).select_option(label=venue_option(nl, SMALL_VENUE))
    assert checked.value.status == 200 and checked.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#conflicts .no-conflicts")).to_have_text(nl("No conflicts found."))
    expect(page.locator("#conflicts li.conflict")).to_have_count(0)
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/beheer/debatten/{debate_id}$"))
    expect_flash(page, nl("Debate saved."))
    expect(page.locator("#conflicts .no-conflicts")).to_have_text(nl("No conflicts found."))

    page.get_by_role("button", name=nl("Confirm and book the venue"), exact=True).click()
    expect_flash(page, nl("Debate confirmed: the venue is booked. Review it and publish it when the parties have "
                          "answered."))
    expect(page.locator("main .status").first).to_have_text(nl("confirmed"))
    page.get_by_role("link", name=nl("Review and publish"), exact=True).click()
    expect(page.locator(".review-conflicts .no-conflicts")).to_have_text(nl("No conflicts found."))
    page.get_by_role("button", name=nl("Publish"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/beheer/debatten/{debate_id}$"))
    expect_flash(page, nl("Debate published: it is on the public agenda."))
    expect(page.locator("main .status").first).to_have_text(nl("published"))


def parties_answer(live_server, debate_id: int) -> None:
    """Two parties invited; one confirms with its speaker through its personal link (the invitation pages have
    tests of their own), the other has not answered yet."""
    from flask import url_for

    from campaign.core.audit import Actor
    from campaign.debates import invitations
    from campaign.debates.models import Debate
    from campaign.extensions import db

    actor = Actor.system("e2e")
    tokens = []

    def link(token: str) -> str:
        tokens.append(token)
        return url_for("debates.invitation", token=token, _external=True)

    with live_server.app.test_request_context():
        debate = db.session.get(Debate, debate_id)
        alfa = invitations.invite(actor, debate, party_name="Alfa Partij", contact_email="alfa.e2e@example.org")
        invitations.invite(actor, debate, party_name="Beta Beweging", contact_email="beta.e2e@example.org")
        invitations.send_link(actor, alfa, link)
        invitations.respond(tokens[0], "confirmed", speaker_name=SPEAKER)
        db.session.commit()


# --- 2. the public pages ------------------------------------------------------------------------------------

def agenda_lists_debate(page, axe_page, nl) -> None:
    page.goto("/debatten/")
    expect(heading(page)).to_have_text(nl("Debates on arts and culture"))
    item = page.locator("li.agenda-item").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(item).to_contain_text(SMALL_VENUE.name)
    expect(page.get_by_role("link", name=BOOKED_TITLE)).to_have_count(0)  # confirmed, not published
    axe_page.goto("/debatten/")
    expect(heading(axe_page)).to_be_visible()
    assert_no_axe_violations(axe_page, "the agenda")

    item.get_by_role("link", name=nl("Debates in %(municipality)s", municipality=MUNICIPALITY)).click()
    expect(page).to_have_url(re.compile(rf"/debatten/gemeente/{CODE}$"))
    expect(heading(page)).to_have_text(nl("Debates in %(municipality)s", municipality=MUNICIPALITY))
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    axe_page.goto(f"/debatten/gemeente/{CODE}")
    expect(heading(axe_page)).to_be_visible()
    assert_no_axe_violations(axe_page, "the municipality's agenda")
    page.get_by_role("link", name=TITLE, exact=True).click()


def debate_page_shows_all(page, axe_page, nl, debate_id: int) -> None:
    expect(page).to_have_url(re.compile(rf"/debatten/{debate_id}$"))
    expect(heading(page)).to_have_text(TITLE)
    facts = page.locator("dl.debate-facts")
    expect(facts).to_contain_text(SMALL_VENUE.name)
    expect(facts).to_contain_text(f"{SMALL_VENUE.street}, {SMALL_VENUE.postcode} {MUNICIPALITY}")
    access = page.get_by_role("region", name=nl("Accessibility"))
    expect(access.get_by_role("listitem")).to_have_text(
        [nl("Step-free access"), nl("No hearing loop"), nl("Accessible toilet")])
    expect(access).to_contain_text("Ingang zonder drempel aan de zijkant (fictief).")
    parties = page.get_by_role("region", name=nl("Invited parties"))
    expect(parties.get_by_role("listitem")).to_have_count(2)
    alfa = parties.get_by_role("listitem").filter(has_text="Alfa Partij")
    expect(alfa).to_contain_text(nl("takes part"))
    expect(alfa).to_contain_text(nl("speaker: %(name)s", name=SPEAKER))
    expect(parties.get_by_role("listitem").filter(has_text="Beta Beweging")).to_contain_text(
        nl("invited, no answer yet"))
    registration = page.get_by_role("region", name=nl("Registration"))
    expect(registration.locator(".registration-state")).to_contain_text(
        nl.n("%(num)d seat left", "%(num)d seats left", SEATS))

    # schema.org Event markup, for search engines (a data block: the CSP guard must not trip over it).
    event = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert event["@type"] == "Event" and event["name"] == TITLE
    assert event["location"]["name"] == SMALL_VENUE.name
    assert [p["name"] for p in event.get("performer", [])] == [SPEAKER]

    axe_page.goto(f"/debatten/{debate_id}")
    expect(heading(axe_page)).to_have_text(TITLE)
    assert_no_axe_violations(axe_page, "the debate page")
    # The registration form with a problem named, as someone sees it who forgets their name (htmx swap).
    form = axe_page.get_by_role("region", name=nl("Registration"))
    form.get_by_label(nl("Email address"), exact=True).fill("zonder.naam.e2e@example.org")
    with axe_page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name=nl("Register"), exact=True).click()
    assert posted.value.status == 422
    expect(axe_page.locator("#name-error")).to_have_text(nl("Enter your name."))
    expect(axe_page.get_by_label(nl("Email address"), exact=True)).to_have_value("zonder.naam.e2e@example.org")
    assert_no_axe_violations(axe_page, "the registration form with a problem")


# --- 3. registration, waitlist, cancellation ----------------------------------------------------------------

def register(page, nl, debate_id: int, citizen: Citizen, seats: int, *, button: str) -> None:
    page.goto(f"/debatten/{debate_id}")
    section = page.get_by_role("region", name=nl("Registration"))
    section.get_by_label(nl("Name"), exact=True).fill(citizen.name)
    section.get_by_label(nl("Email address"), exact=True).fill(citizen.email)
    section.get_by_label(nl("Number of seats"), exact=True).fill(str(seats))
    section.get_by_role("button", name=button, exact=True).click()


def first_takes_every_seat(page, axe_page, live_server, nl, debate_id: int) -> str:
    """Returns the personal link from the confirmation mail."""
    register(page, nl, debate_id, FIRST, SEATS, button=nl("Register"))
    expect(page).to_have_url(re.compile(rf"/debatten/{debate_id}/aangemeld$"))
    expect(heading(page)).to_have_text(nl("You are registered"))
    expect(page.locator(".lead")).to_contain_text(nl("You have a seat."))
    axe_check(axe_page, f"/debatten/{debate_id}/aangemeld", "you are registered")
    mail = only_mail(live_server, FIRST.email, nl("You are registered: %(title)s", title=TITLE))
    assert nl.n("Your seat is reserved:", "Your %(num)d seats are reserved:", SEATS) in Mailbox.body(mail)
    calendar = calendar_of(mail)
    assert "BEGIN:VEVENT" in calendar and f"SUMMARY:{TITLE}" in calendar
    return personal_link(live_server, mail)


def second_waits(page, axe_page, live_server, nl, debate_id: int) -> str:
    """Past capacity: the waitlist (the page and the mail say so). Returns the personal link."""
    page.goto(f"/debatten/{debate_id}")
    section = page.get_by_role("region", name=nl("Registration"))
    expect(section.locator(".registration-state")).to_contain_text(nl("Fully booked."))
    axe_check(axe_page, f"/debatten/{debate_id}", "the debate page, fully booked")
    register(page, nl, debate_id, SECOND, 1, button=nl("Join the waitlist"))
    expect(page).to_have_url(re.compile(rf"/debatten/{debate_id}/wachtlijst$"))
    expect(heading(page)).to_have_text(nl("You are on the waitlist"))
    expect(page.locator(".lead")).to_contain_text(nl("The debate is full: you are on the waitlist."))
    axe_check(axe_page, f"/debatten/{debate_id}/wachtlijst", "you are on the waitlist")
    mail = only_mail(live_server, SECOND.email, nl("On the waitlist: %(title)s", title=TITLE))
    assert nl("This debate is full. You are number %(n)d on the waitlist:", n=1) in Mailbox.body(mail)
    assert not list(mail.iter_attachments()), "no calendar file before there is a seat"
    return personal_link(live_server, mail)


def first_cancels(page, axe_page, live_server, nl, link: str) -> None:
    """Through the personal link, with the confirmation step. (Opening the link changes nothing, so axe may
    open it too.)"""
    page.goto(link)
    expect(heading(page)).to_have_text(nl("Your registration for %(title)s", title=TITLE))
    expect(page.locator("dl.facts")).to_contain_text(nl("You have a seat."))
    axe_check(axe_page, link, "the personal registration page")
    axe_check(axe_page, link + "?annuleren=1", "the question whether to cancel")
    page.get_by_role("link", name=nl("Cancel my registration"), exact=True).click()
    question = page.get_by_role("region", name=nl("Cancel your registration?"))
    expect(question).to_be_visible()
    question.get_by_role("button", name=nl("Yes, cancel my registration"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Your registration has been cancelled"))
    axe_check(axe_page, link, "the cancelled registration")
    only_mail(live_server, FIRST.email, nl("Registration cancelled: %(title)s", title=TITLE))


def second_moves_up(page, live_server, nl, link: str) -> None:
    mail = only_mail(live_server, SECOND.email, nl("A seat came free: you are registered for %(title)s",
                                                   title=TITLE))
    assert f"SUMMARY:{TITLE}" in calendar_of(mail)
    page.goto(link)
    expect(page.locator("dl.facts")).to_contain_text(nl("You have a seat."))


# --- 4. at the door -----------------------------------------------------------------------------------------

def the_debate_begins(live_server, debate_id: int) -> None:
    """The clock is the only thing faked: the debate started a minute ago (check-in opens on its day)."""
    from campaign.core.models import utcnow
    from campaign.debates.models import Debate
    from campaign.extensions import db

    now = utcnow().replace(microsecond=0)
    with live_server.app.app_context():
        debate = db.session.get(Debate, debate_id)
        debate.starts_at, debate.ends_at = now - dt.timedelta(minutes=1), now + dt.timedelta(hours=2)
        db.session.commit()


def check_in(page, live_server, nl, debate_id: int) -> None:
    page.goto(f"/beheer/debatten/{debate_id}")
    page.get_by_role("link", name=nl("Check-in list"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Registrations and check-in"))
    seated = page.get_by_role("region", name=re.compile("^" + re.escape(nl("With a seat"))))
    expect(seated.get_by_role("rowheader")).to_have_text([SECOND.name])
    expect(page.get_by_role("region", name=re.compile("^" + re.escape(nl("Waitlist"))))).to_contain_text(
        nl("Nobody is waiting."))
    expect(page.get_by_text(nl("Check-in opens on the day of the debate."))).to_be_visible()
    expect(seated.get_by_role("button")).to_have_count(0)

    the_debate_begins(live_server, debate_id)
    page.reload()
    row = seated.get_by_role("row").filter(has=page.get_by_role("rowheader", name=SECOND.name, exact=True))
    expect(row.locator(".check-in-no")).to_have_text(nl("not yet"))
    page.evaluate("() => { window.__samePage = true; }")
    with page.expect_response(lambda r: r.url.endswith("/inchecken")) as door:
        row.get_by_role("button", name=named(nl("Check in"), SECOND.name)).click()
    assert door.value.status == 200, f"check-in failed: HTTP {door.value.status}"
    assert door.value.request.headers.get("hx-request") == "true", "check-in should go through htmx"
    expect(row.get_by_role("status")).to_have_text(nl("Checked in: %(name)s.", name=SECOND.name))
    expect(row.locator(".check-in-yes")).to_be_visible()
    expect(row.get_by_role("button", name=named(nl("Undo check-in"), SECOND.name))).to_be_visible()
    assert page.evaluate("() => window.__samePage === true"), "htmx should swap the row, not reload the page"
    page.reload()
    summary = page.get_by_role("region", name=nl("Registrations"))
    expect(summary).to_contain_text(nl("%(checked)d of %(taken)d seats", checked=1, taken=1))


# --- the round trip -----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_debate_scheduled_published_and_filled(new_context, live_server, world, nl):
    # 1. The coordinator schedules, meets the conflict, resolves it and publishes (JavaScript on).
    coordinator = new_context().new_page()
    sign_in(coordinator, nl)
    debate_id = schedule_with_conflict(coordinator, nl)
    review_blocked(coordinator, nl)
    parties_answer(live_server, debate_id)
    resolve_and_publish(coordinator, nl, debate_id)

    # 2. The public pages; axe looks along in a second context.
    citizen = new_context().new_page()
    axe_page = new_context(bypass_csp=True).new_page()
    agenda_lists_debate(citizen, axe_page, nl)
    debate_page_shows_all(citizen, axe_page, nl, debate_id)

    # 3. Both seats taken, the next one waits; a cancellation moves them up.
    first_link = first_takes_every_seat(citizen, axe_page, live_server, nl, debate_id)
    second = new_context().new_page()
    second_link = second_waits(second, axe_page, live_server, nl, debate_id)
    assert not [m for m in mails_to(live_server, SECOND.email)
                if m["Subject"] == nl("A seat came free: you are registered for %(title)s", title=TITLE)]
    first_cancels(citizen, axe_page, live_server, nl, first_link)
    second_moves_up(second, live_server, nl, second_link)

    # 4. At the door.
    check_in(coordinator, live_server, nl, debate_id)


@pytest.mark.e2e
def test_debate_form_without_javascript(new_context, world, nl):
    """The same form works as plain posts: "Check for conflicts" brings the form back with the list, "Save"
    saves the draft and its page shows the conflict."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, nl)
    page.goto("/beheer/debatten/nieuw")
    fill_debate(page, nl, venue=BOOKED_VENUE, starts=local_input(DAYS_AHEAD, 21), ends=local_input(DAYS_AHEAD, 23),
                title="Debat zonder JavaScript (e2e)")
    page.get_by_label(nl("Coordinator"), exact=True).select_option(label=nl("Nobody yet"))
    expect(page.locator("#conflicts")).to_contain_text(nl("Choose a venue, a start and an end to check for "
                                                          "conflicts."))
    page.get_by_role("button", name=nl("Check for conflicts"), exact=True).click()
    expect(conflict(page, "blocking", "venue_booked")).to_contain_text(BOOKED_TITLE)
    expect(page.get_by_label(nl("Title"), exact=True)).to_have_value("Debat zonder JavaScript (e2e)")

    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/beheer/debatten/\d+$"))
    expect_flash(page, nl("Debate saved as a draft. Invite the parties, then confirm the debate to book the venue."))
    expect(conflict(page, "blocking", "venue_booked")).to_contain_text(BOOKED_TITLE)

"""Venues: staff add and change them within their scope, with availability windows and closures; a venue contact
offers one through the public form and the campaign team accepts or declines it; withdrawal."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, Organisation
from campaign.debates import venues
from campaign.debates.models import Venue, VenueClosure, VenueWindow
from tests.conftest import limited_app
from tests.debates.conftest import local_evening
from tests.helpers import csrf_token, post_form, statements

LIST = "/beheer/debatten/zalen"
NEW = LIST + "/nieuw"
OFFER = "/debatten/zaal-aanbieden"
DONE = OFFER + "/bedankt"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def generous_form_limit(app, monkeypatch):
    """The shared app counts every POST of the session against one client address (the limit itself is tested on
    an app of its own below)."""
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "1000 per minute")


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client


@pytest.fixture()
def editor(english, users, places):
    users.login(english, users.create("editor", email="team@example.org"))
    return english


@pytest.fixture()
def coordinator(english, users, places):
    users.login(english, users.create("coordinator", municipalities=["GM0344"], email="coco@example.org"))
    return english


def text(response) -> str:
    return response.get_data(as_text=True)


def venue_data(**changes) -> dict:
    data = {"name": "Muziekschool De Toonladder", "street": "Lange Nieuwstraat 4", "postcode": "3512pn",
            "city": "Utrecht", "municipality": "GM0344", "capacity": "120", "step_free": "y", "hearing_loop": "",
            "accessible_toilet": "y", "accessibility_notes": "Step-free entrance at the side.", "organisation": "",
            "contact_name": "Vera Zaal", "contact_email": "vera@toonladder.example", "contact_phone": "030 1234567",
            "language": "en", "notes": "Key at the desk."}
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, "")}


def offer_data(**changes) -> dict:
    data = {"name": "Bibliotheek Zeist, theaterzaal", "street": "Markt 1", "postcode": "3701 JZ", "city": "Zeist",
            "municipality": "GM0355", "capacity": "80", "hearing_loop": "y",
            "accessibility_notes": "Lift next to the desk.", "organisation_name": "Bibliotheek Zeist",
            "availability": "Weekday evenings", "contact_name": "Ruud Boek", "contact_email": "Ruud@Bieb.example",
            "contact_phone": "", "message": "Coffee is on us.", "consent": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, "")}


def venue_path(venue) -> str:
    return f"{LIST}/{venue.id}"


def count(db_session) -> int:
    return db_session.scalar(select(func.count(Venue.id)))


def offer(client, **changes):
    return post_form(client, OFFER, offer_data(**changes), token_from=OFFER)


# --- staff: adding and changing venues -------------------------------------------------------------------------

def test_staff_add_a_venue_and_find_it_in_the_list(editor, db_session):
    response = post_form(editor, NEW, venue_data(), token_from=NEW)
    venue = db_session.scalar(select(Venue))
    assert response.status_code == 302 and response.location == venue_path(venue)
    assert (venue.status, venue.postcode, venue.capacity, venue.municipality.code) == ("active", "3512 PN", 120,
                                                                                       "GM0344")
    assert (venue.step_free, venue.hearing_loop, venue.accessible_toilet) == (True, False, True)
    page = text(editor.get(venue_path(venue)))
    assert "Lange Nieuwstraat 4, 3512 PN Utrecht" in page and "120 seats" in page
    assert "Step-free access" in page and "No hearing loop" in page and "vera@toonladder.example" in page
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "venue.create"))
    assert entry.after["municipality"] == "GM0344" and entry.after["capacity"] == 120
    assert "Vera" not in repr(entry.after) and "vera@" not in repr(entry.after) and "1234567" not in repr(entry.after)
    assert "Venue added" in page  # the history, as people read it
    listing = text(editor.get(LIST))
    assert "Muziekschool De Toonladder" in listing and "step-free, accessible toilet" in listing


@pytest.mark.parametrize("fields, field, message", [
    ({"capacity": "0"}, "capacity", "Give a number of seats between 1 and 5000."),
    ({"capacity": "50000"}, "capacity", "Give a number of seats between 1 and 5000."),
    ({"capacity": "veel"}, "capacity", "Not a valid integer value."),
    ({"postcode": "35121 PN"}, "postcode", "Enter a Dutch postcode: four digits and two letters"),
    ({"postcode": "0123 AB"}, "postcode", "Enter a Dutch postcode"),
    ({"municipality": "GM9999"}, "municipality", "Not a valid choice"),
    ({"name": "  "}, "name", "Enter the name of the venue."),
    ({"contact_email": "not-an-address"}, "contact_email", "Enter a valid email address"),
    ({"contact_phone": "call me"}, "contact_phone", "Enter a phone number with digits only"),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_saved(editor, db_session, fields, field, message):
    response = post_form(editor, NEW, venue_data(**fields), token_from=NEW)
    assert response.status_code == 422
    page = text(response)
    assert message in page and f'id="{field}-error"' in page
    assert count(db_session) == 0


def test_the_domain_checks_everything_itself(app, db_session, places):
    with pytest.raises(ValidationFailed) as caught:
        venues.create_venue(Actor.system("tests"), name="", street="x", postcode="1234", city="Utrecht",
                            municipality_code="GM9999", capacity=0, contact_email="nope")
    assert {p.field for p in caught.value.problems} == {"name", "postcode", "municipality", "capacity",
                                                        "contact_email"}
    db_session.rollback()
    assert count(db_session) == 0


def test_edit_a_venue_records_what_changed(editor, db_session, venues_factory):
    venue = venues_factory.create(capacity=100)
    path = venue_path(venue) + "/bewerken"
    form = text(editor.get(path))
    assert 'value="3511 AA"' in form and 'value="100"' in form
    response = post_form(editor, path, venue_data(capacity="150", municipality="GM0355", city="Zeist"),
                         token_from=path)
    assert response.status_code == 302 and response.location == venue_path(venue)
    db_session.refresh(venue)
    assert (venue.capacity, venue.municipality.code, venue.status) == (150, "GM0355", "active")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "venue.update"))
    assert entry.before["capacity"] == 100 and entry.after["capacity"] == 150
    assert entry.after["municipality"] == "GM0355"


@pytest.fixture()
def venues_factory(venues):
    """The debate tests' venue factory, under a name that does not hide the ``venues`` domain module here."""
    return venues


def test_a_coordinator_works_only_in_their_own_municipalities(coordinator, db_session, venues_factory):
    mine = venues_factory.create("GM0344", name="Zaal in Utrecht")
    other = venues_factory.create("GM0355", name="Zaal in Zeist")
    listing = text(coordinator.get(LIST))
    assert "Zaal in Utrecht" in listing and "Zaal in Zeist" not in listing
    assert coordinator.get(venue_path(mine)).status_code == 200
    assert coordinator.get(venue_path(other)).status_code == 404
    assert coordinator.get(venue_path(other) + "/bewerken").status_code == 404
    form = text(coordinator.get(NEW))
    assert "GM0344" in form and "GM0355" not in form  # only their municipality is offered
    response = post_form(coordinator, NEW, venue_data(municipality="GM0355"), token_from=NEW)
    assert response.status_code == 422 and count(db_session) == 2
    assert post_form(coordinator, NEW, venue_data(), token_from=NEW).status_code == 302
    # Moving a venue out of their scope is refused by the domain, too.
    with pytest.raises(ValidationFailed) as caught:
        venues.update_venue(Actor.of(_user(db_session, "coco@example.org")), mine, name="Zaal", street="Straat 1",
                            postcode="3511 AA", city="Zeist", municipality_code="GM0355", capacity=10)
    assert [p.field for p in caught.value.problems] == ["municipality"]


def _user(db_session, email):
    from campaign.core.models import User

    return db_session.scalar(select(User).where(User.email == email))


def test_the_list_filters_by_municipality_and_status(editor, venues_factory):
    venues_factory.create("GM0344", name="Actieve zaal Utrecht")
    venues_factory.create("GM0355", name="Actieve zaal Zeist")
    venues_factory.create("GM0344", name="Ingetrokken zaal", status="withdrawn")
    default = text(editor.get(LIST))
    assert "Actieve zaal Utrecht" in default and "Actieve zaal Zeist" in default and "Ingetrokken zaal" not in default
    utrecht = text(editor.get(LIST + "?gemeente=GM0344"))
    assert "Actieve zaal Utrecht" in utrecht and "Actieve zaal Zeist" not in utrecht
    withdrawn = text(editor.get(LIST + "?status=withdrawn"))
    assert "Ingetrokken zaal" in withdrawn and "Actieve zaal Utrecht" not in withdrawn
    everything = text(editor.get(LIST + "?status=all&gemeente=nonsense"))
    assert all(name in everything for name in ("Actieve zaal Utrecht", "Actieve zaal Zeist", "Ingetrokken zaal"))


def test_describe_accessibility_says_what_there_is_and_what_not(app, db_session, venues_factory):
    from flask_babel import force_locale

    venue = venues_factory.create(step_free=True, hearing_loop=False, accessible_toilet=True)
    with app.test_request_context(), force_locale("en"):
        assert venues.describe_accessibility(venue) == ["Step-free access", "No hearing loop", "Accessible toilet"]


# --- availability windows and closures -------------------------------------------------------------------------

def add_window(client, venue, headers=None, **fields):
    data = {"weekday": "1", "opens": "19:00", "closes": "23:00"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return post_form(client, venue_path(venue) + "/tijden", data, token_from=venue_path(venue), headers=headers)


def test_windows_are_added_and_removed_without_javascript(editor, db_session, venues_factory):
    venue = venues_factory.create()
    response = add_window(editor, venue)
    assert response.status_code == 302 and response.location == venue_path(venue) + "#venue-windows"
    assert add_window(editor, venue, weekday="4", opens="20:00", closes="00:00", valid_from="2030-01-01",
                      valid_until="2030-03-31").status_code == 302
    page = text(editor.get(venue_path(venue)))
    assert "Tuesday 19:00–23:00" in page and "Friday 20:00–00:00" in page and "Availability window added" in page
    window = db_session.scalar(select(VenueWindow).where(VenueWindow.weekday == 4))
    assert (window.closes, window.valid_until) == (dt.time(0, 0), dt.date(2030, 3, 31))
    response = post_form(editor, f"{LIST}/tijden/{window.id}/verwijderen", token_from=venue_path(venue))
    assert response.status_code == 302
    assert "Friday 20:00" not in text(editor.get(venue_path(venue)))
    actions = [e.action for e in db_session.scalars(select(AuditEntry).where(AuditEntry.parent_id == str(venue.id)))]
    assert actions.count("venue_window.add") == 2 and actions.count("venue_window.remove") == 1


def test_with_htmx_only_the_list_comes_back(editor, db_session, venues_factory):
    venue = venues_factory.create()
    response = add_window(editor, venue, headers=HTMX)
    body = text(response)
    assert response.status_code == 200 and "<html" not in body and "Tuesday 19:00–23:00" in body
    assert "Availability window added." in body and response.vary.as_set() >= {"hx-request"}
    refused = add_window(editor, venue, headers=HTMX, opens="22:00", closes="23:30")
    assert refused.status_code == 422 and "<html" not in text(refused) and "overlaps" in text(refused)
    window = db_session.scalar(select(VenueWindow))
    removed = post_form(editor, f"{LIST}/tijden/{window.id}/verwijderen", token_from=venue_path(venue),
                        headers=HTMX)
    assert removed.status_code == 200 and "No windows: available at any time." in text(removed)


@pytest.mark.parametrize("fields, field, message", [
    ({"opens": "23:00", "closes": "19:00"}, "closes", "The venue must close after it opens"),
    ({"opens": "19:00", "closes": "19:00"}, "closes", "The venue must close after it opens"),
    ({"closes": ""}, "closes", "Give the time the venue closes"),
    ({"weekday": "7"}, "weekday", "Not a valid choice"),
    ({"valid_from": "2030-02-01", "valid_until": "2030-01-01"}, "valid_until", "The last date comes on or after"),
    ({"valid_from": "0001-01-01"}, "valid_from", "Give a date between the years 2000 and 2100."),
])
def test_bad_windows_are_refused(editor, db_session, venues_factory, fields, field, message):
    venue = venues_factory.create()
    response = add_window(editor, venue, **fields)
    assert response.status_code == 422
    assert message in text(response) and f'id="{field}-error"' in text(response)
    assert db_session.scalar(select(func.count(VenueWindow.id))) == 0


def test_overlapping_windows_are_refused_unless_their_dates_differ(editor, db_session, venues_factory):
    venue = venues_factory.create(windows=[(1, "19:00", "23:00")])
    assert add_window(editor, venue, opens="22:00", closes="00:00").status_code == 422
    assert add_window(editor, venue, opens="23:00", closes="00:00").status_code == 302  # half-open: they touch
    # A window that only holds in 2031 next to one that only holds in 2030.
    assert add_window(editor, venue, weekday="2", valid_until="2030-12-31").status_code == 302
    assert add_window(editor, venue, weekday="2", valid_from="2031-01-01").status_code == 302
    assert add_window(editor, venue, weekday="2", valid_from="2030-12-31").status_code == 422


def add_closure(client, venue, **fields):
    data = {"first_day": "2030-07-20", "last_day": "2030-08-31", "reason": "summer holiday"}
    data.update(fields)
    return post_form(client, venue_path(venue) + "/sluitingen", {k: v for k, v in data.items() if v is not None},
                     token_from=venue_path(venue))


def test_closures_are_added_checked_and_removed(editor, db_session, venues_factory):
    venue = venues_factory.create()
    assert add_closure(editor, venue).status_code == 302
    page = text(editor.get(venue_path(venue)))
    assert "Jul 20, 2030 to Aug 31, 2030" in page and "summer holiday" in page
    backwards = add_closure(editor, venue, first_day="2031-01-10", last_day="2031-01-09")
    assert backwards.status_code == 422 and "The last day comes on or after the first day." in text(backwards)
    overlapping = add_closure(editor, venue, first_day="2030-08-31", last_day="2030-09-02")
    assert overlapping.status_code == 422 and "overlaps the closure from 2030-07-20 to 2030-08-31" in text(overlapping)
    assert add_closure(editor, venue, first_day="2030-09-01", last_day="2030-09-01", reason="").status_code == 302
    assert db_session.scalar(select(func.count(VenueClosure.id))) == 2
    closure = db_session.scalar(select(VenueClosure).order_by(VenueClosure.first_day))
    assert post_form(editor, f"{LIST}/sluitingen/{closure.id}/verwijderen",
                     token_from=venue_path(venue)).status_code == 302
    assert "(summer holiday)" not in text(editor.get(venue_path(venue)))
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "venue_closure.remove"))
    assert entry.parent_id == str(venue.id) and entry.before["first_day"] == "2030-07-20"
    assert "summer holiday" not in repr(entry.before)  # free text stays out of the audit log


def test_a_closure_over_a_planned_debate_is_pointed_out(editor, db_session, debates):
    debate = debates.create("confirmed", starts_at=local_evening(10))
    day = (dt.datetime.now(ZoneInfo("Europe/Amsterdam")) + dt.timedelta(days=10)).date()
    nothing_then = (day + dt.timedelta(days=1)).isoformat()
    response = add_closure(editor, debate.venue, first_day=nothing_then, last_day=nothing_then)
    assert response.status_code == 302
    page = text(editor.get(venue_path(debate.venue)))
    assert "Closure added." in page and "Note:" not in page
    response = add_closure(editor, debate.venue, first_day=day.isoformat(), last_day=day.isoformat())
    assert response.status_code == 302
    assert "Note: 1 debate is planned on these days." in text(editor.get(venue_path(debate.venue)))


# --- the public offer ------------------------------------------------------------------------------------------

def test_offer_a_venue_and_the_team_hears_of_it(english, users, places, mailbox, db_session):
    users.create("editor", email="team@example.org")
    users.create("coordinator", municipalities=["GM0355"], email="coco@example.org")
    form = english.get(OFFER)
    assert form.status_code == 200 and "I agree that the campaign team stores" in text(form)
    response = offer(english)
    assert response.status_code == 302 and response.location == DONE
    assert "Thank you for your offer" in text(english.get(DONE))
    venue = db_session.scalar(select(Venue))
    assert (venue.status, venue.municipality.code, venue.contact_email, venue.language) == (
        "offered", "GM0355", "ruud@bieb.example", "en")
    assert venue.hearing_loop and not venue.step_free
    assert "Bibliotheek Zeist" in venue.notes and "Weekday evenings" in venue.notes and "Coffee" in venue.notes
    sent = {m["To"]: m for m in mailbox.messages()}
    assert set(sent) == {"ruud@bieb.example", "team@example.org"}  # not the coordinator
    receipt = mailbox.body(sent["ruud@bieb.example"])
    assert "We have received your venue offer" in sent["ruud@bieb.example"]["Subject"]
    assert "Hello Ruud Boek" in receipt and "No step-free access, Hearing loop" in receipt
    notice = sent["team@example.org"]
    assert "Nieuwe aangeboden zaal om te beoordelen" in notice["Subject"]
    assert mailbox.links(notice) == [f"http://cultuurwijzer.test{venue_path(venue)}"]
    assert "Ruud" not in mailbox.body(notice) and "ruud@" not in mailbox.body(notice)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "venue.offer"))
    assert entry.actor_label == "venue contact (public form)" and "ruud" not in repr(entry.after).lower()


def test_bad_offers_are_refused_naming_the_field(english, places, mailbox, db_session):
    response = offer(english, consent=None, postcode="Zeist", capacity="0", contact_email="ruud")
    page = text(response)
    assert response.status_code == 422 and "Your offer has not been sent yet" in page
    for message in ("We can only handle your offer when you agree to this.", "Enter a Dutch postcode",
                    "Give a number of seats between 1 and 5000.", "Enter a valid email address"):
        assert message in page
    assert count(db_session) == 0 and mailbox.messages() == []


def test_the_domain_checks_an_offer_itself(app, db_session, places):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            venues.offer_venue(name="Zaal", street="Markt 1", postcode="3701 JZ", city="Zeist",
                               municipality_code="GM0355", capacity=10, contact_name="", contact_email="",
                               consent=False, message="x" * 3000, language="en")
    assert {p.field for p in caught.value.problems} == {"contact_name", "contact_email", "consent", "message"}
    assert count(db_session) == 0


def test_the_honeypot_stores_and_sends_nothing(client, places, mailbox, db_session):
    response = offer(client, website="https://spam.example")
    assert response.status_code == 302 and response.location == DONE
    assert count(db_session) == 0 and mailbox.messages() == []


def test_the_offer_form_is_rate_limited(tmp_path):
    client = limited_app(tmp_path, PUBLIC_FORM_RATE_LIMIT="2 per minute").test_client()
    token = csrf_token(client, OFFER)
    codes = [client.post(OFFER, data={**offer_data(name=f"Zaal {i}"), "csrf_token": token}).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    assert client.get(OFFER).status_code == 200


# --- the team's answer -----------------------------------------------------------------------------------------

@pytest.fixture()
def offered(english, places, db_session):
    """A venue offered through the form (in English), by a client that is signed in afterwards."""
    assert offer(english).status_code == 302
    return db_session.scalar(select(Venue))


def test_offers_awaiting_review_come_first_in_the_list(offered, editor, venues_factory):
    venues_factory.create(name="Gewone zaal")
    listing = text(editor.get(LIST))
    assert "Offers awaiting review" in listing
    assert listing.index("Bibliotheek Zeist, theaterzaal") < listing.index("Gewone zaal")


def test_accept_an_offer_with_the_organisation_it_names(offered, editor, db_session, mailbox):
    library = Organisation(name="bibliotheek zeist", kind="partner", member=False)
    db_session.add(library)
    db_session.commit()
    page = text(editor.get(venue_path(offered)))
    assert "Offer awaiting review" in page and f'<option selected value="{library.id}">' in page
    mailbox.clear()
    response = post_form(editor, venue_path(offered) + "/accepteren", {"organisation": str(library.id)},
                         token_from=venue_path(offered))
    assert response.status_code == 302
    db_session.refresh(offered)
    assert (offered.status, offered.organisation_id) == ("active", library.id)
    [mail] = mailbox.messages()
    assert mail["To"] == "ruud@bieb.example" and "Your venue is on our list" in mail["Subject"]
    assert "The coordinator of Zeist can now schedule debates in it" in mailbox.body(mail)
    again = post_form(editor, venue_path(offered) + "/accepteren", {"organisation": ""},
                      token_from=venue_path(offered))
    assert again.status_code == 422 and "Only an offered venue can be accepted or declined" in text(again)


def test_accept_an_offer_as_a_new_organisation(offered, editor, db_session):
    page = text(editor.get(venue_path(offered)))
    assert 'value="Bibliotheek Zeist"' in page  # the name from the offer, ready to add
    missing = post_form(editor, venue_path(offered) + "/accepteren", {"organisation": "new", "organisation_name": "",
                                                                      "organisation_kind": "partner"},
                        token_from=venue_path(offered))
    assert missing.status_code == 422 and "Enter the organisation&#39;s name." in text(missing)
    assert db_session.scalar(select(Venue)).status == "offered"
    response = post_form(editor, venue_path(offered) + "/accepteren",
                         {"organisation": "new", "organisation_name": "Bibliotheek Zeist",
                          "organisation_kind": "partner"}, token_from=venue_path(offered))
    assert response.status_code == 302
    organisation = db_session.scalar(select(Organisation))
    assert (organisation.name, organisation.kind, organisation.member, organisation.municipality.code) == (
        "Bibliotheek Zeist", "partner", False, "GM0355")
    assert db_session.scalar(select(Venue)).organisation_id == organisation.id


def test_decline_an_offer_mails_the_reason_and_forgets_the_contact(offered, editor, db_session, mailbox):
    mailbox.clear()
    response = post_form(editor, venue_path(offered) + "/afwijzen", {"decline_reason": "The hall is too small."},
                         token_from=venue_path(offered))
    assert response.status_code == 302
    [mail] = mailbox.messages()
    assert mail["To"] == "ruud@bieb.example" and "Hello Ruud Boek" in mailbox.body(mail)
    assert "The hall is too small." in mailbox.body(mail)
    db_session.refresh(offered)
    assert (offered.status, offered.contact_name, offered.contact_email) == ("declined", "", "")
    page = text(editor.get(venue_path(offered)))
    assert "Venue offer declined" in page and "ruud@" not in page


def test_only_the_campaign_team_answers_offers(offered, english, users, db_session):
    users.login(english, users.create("coordinator", municipalities=["GM0355"]))
    page = text(english.get(venue_path(offered)))
    assert "The campaign team accepts or declines offers." in page and "Accept the offer" not in page
    assert post_form(english, venue_path(offered) + "/accepteren", token_from=venue_path(offered)).status_code == 403
    assert post_form(english, venue_path(offered) + "/afwijzen", token_from=venue_path(offered)).status_code == 403
    assert db_session.scalar(select(Venue)).status == "offered"


# --- withdrawal and the venue's debates ------------------------------------------------------------------------

def test_the_venue_page_lists_its_debates_in_a_fixed_number_of_queries(editor, db_session, debates, places):
    venue = debates.create("confirmed", starts_at=local_evening(10)).venue
    path = venue_path(venue)
    with statements() as one:
        assert editor.get(path).status_code == 200
    for days, code in ((12, "GM0355"), (14, "GM0014"), (16, "GM0855")):  # other municipalities use the hall too
        debate = debates.create("draft", venue=venue, starts_at=local_evening(days))
        debate.municipality = places[code]
    db_session.commit()
    with statements() as four:
        page = text(editor.get(path))
    assert all(places[code].name in page for code in ("GM0355", "GM0014", "GM0855"))
    assert len(four) == len(one)


def test_withdrawal_waits_until_no_debate_is_planned(editor, db_session, debates):
    debate = debates.create("published", title="Lijsttrekkersdebat Utrecht")
    venue = debate.venue
    page = text(editor.get(venue_path(venue)))
    assert "Lijsttrekkersdebat Utrecht" in page
    refused = post_form(editor, venue_path(venue) + "/intrekken", token_from=venue_path(venue))
    assert refused.status_code == 422
    assert "Debates are still planned in this venue (1); move or cancel them first." in text(refused)
    debate.status = "cancelled"
    db_session.commit()
    assert post_form(editor, venue_path(venue) + "/intrekken", token_from=venue_path(venue)).status_code == 302
    db_session.refresh(venue)
    assert venue.status == "withdrawn"
    again = post_form(editor, venue_path(venue) + "/intrekken", token_from=venue_path(venue))
    assert again.status_code == 422 and "This venue is withdrawn already." in text(again)

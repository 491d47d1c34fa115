"""The public agenda, the debate pages and their calendar files, as a visitor meets them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from icalendar import Calendar

from tests.debates.conftest import local_evening
from tests.helpers import statements


def html(response) -> str:
    return response.get_data(as_text=True)


def titles(response) -> list[str]:
    """The debate titles of an agenda page, in the order shown."""
    return re.findall(r'<h2 id="debate-\d+-title"><a [^>]+>([^<]+)</a>', html(response))


def json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html(response), re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


# --- who sees what -------------------------------------------------------------------------------------------

def test_the_agenda_shows_published_held_and_cancelled_debates_but_no_drafts(client, debates):
    debates.create("published", title="Open debat")
    debates.create("held", title="Geweest debat", starts_at=local_evening(-3))
    debates.create("cancelled", title="Afgelast debat", cancel_reason="De zaal is onder water gelopen.")
    debates.create("draft", title="Concept debat")
    debates.create("confirmed", title="Bevestigd debat")
    debates.create("cancelled", title="Nooit gepubliceerd", published_at=None)

    response = client.get("/debatten/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    shown = titles(response)
    assert set(shown) == {"Open debat", "Geweest debat", "Afgelast debat"}
    page = html(response)
    assert "<strong>Cancelled</strong>" in page
    assert "3 debates found" in page


def test_upcoming_debates_come_first_soonest_first_then_past_ones_latest_first(client, debates):
    debates.create(title="Over een maand", starts_at=local_evening(30))
    debates.create("held", title="Vorige week", starts_at=local_evening(-7))
    debates.create(title="Morgen", starts_at=local_evening(1))
    debates.create("held", title="Gisteren", starts_at=local_evening(-1))
    assert titles(client.get("/debatten/")) == ["Morgen", "Over een maand", "Gisteren", "Vorige week"]


def test_filters_by_date_kind_and_municipality(client, debates, venues):
    zeist = venues.create("GM0355", name="Theater Zeist")
    debates.create(title="Utrecht in december", starts_at=local_evening(10))
    debates.create(title="Utrecht later", starts_at=local_evening(40), kind="mayors_debate")
    debates.create(title="Zeist", venue=zeist, starts_at=local_evening(12))
    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=12)).isoformat()

    assert titles(client.get(f"/debatten/?date_from={day}&date_to={day}")) == ["Utrecht in december"]
    assert titles(client.get(f"/debatten/?date_from={day}&date_to={later}")) == ["Utrecht in december", "Zeist"]
    assert titles(client.get("/debatten/?kind=mayors_debate")) == ["Utrecht later"]
    assert titles(client.get("/debatten/?municipality=GM0355")) == ["Zeist"]
    assert titles(client.get("/debatten/gemeente/GM0355")) == ["Zeist"]
    assert titles(client.get("/debatten/gemeente/gm0344?kind=mayors_debate")) == ["Utrecht later"]


def test_the_municipality_filter_offers_only_places_with_debates(client, debates, places):
    debates.create(title="Utrecht")
    page = html(client.get("/debatten/"))
    assert '<option value="GM0344">Utrecht</option>' in page
    assert "GM0014" not in page  # Groningen has no debate


@pytest.mark.parametrize("query, field", [
    ("date_from=morgen", "date_from"),
    ("date_from={today}&date_to={yesterday}", "date_to"),
    ("kind=quiz", "kind"),
    ("municipality=GM9999", "municipality"),
    ("date_from=0001-01-01", "date_from"),
])
def test_a_bad_filter_answers_422_naming_it_and_the_rest_still_works(client, debates, query, field):
    debates.create(title="Open debat")
    today = dt.date.today()
    query = query.format(today=today.isoformat(), yesterday=(today - dt.timedelta(days=1)).isoformat())
    response = client.get(f"/debatten/?{query}")
    assert response.status_code == 422
    page = html(response)
    assert f'id="{field}-error"' in page
    assert titles(response) == ["Open debat"]


def test_htmx_gets_only_the_list_and_the_page_says_it_varies(client, debates):
    debates.create(title="Open debat")
    response = client.get("/debatten/?kind=lijsttrekkersdebat", headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page and "Open debat" in page and "<form" not in page
    assert "HX-Request" in response.headers["Vary"]


def test_the_agenda_is_paginated(client, debates, venues):
    venue = venues.create(capacity=50)
    for day in range(1, 24):
        debates.create(title=f"Debat dag {day:02d}", venue=venue, starts_at=local_evening(day))
    first = client.get("/debatten/")
    assert len(titles(first)) == 20 and titles(first)[0] == "Debat dag 01"
    assert "page=2" in html(first)
    second = client.get("/debatten/?page=2")
    assert titles(second) == ["Debat dag 21", "Debat dag 22", "Debat dag 23"]
    assert titles(client.get("/debatten/?page=99")) == titles(second)  # past the end: the last page
    assert client.get("/debatten/?page=abc").status_code == 200


def test_the_agenda_loads_venues_and_municipalities_in_one_query(app, db_session, debates, venues):
    from campaign.debates.agenda import AgendaFilter, agenda

    for code in ("GM0344", "GM0355", "GM0014", "GM0855"):
        debates.create(venue=venues.create(code))
    db_session.expire_all()
    with statements() as ran:
        page = agenda(AgendaFilter())
        names = [(d.venue.name, d.municipality.name) for d in page.debates]
    assert len(names) == 4
    assert len(ran) <= 3  # the count, the page with venue and municipality, the Cultuurwijzer check


def test_unknown_municipality_or_debate_answers_404(client, debates):
    draft = debates.create("draft")
    confirmed = debates.create("confirmed")
    for url in ("/debatten/gemeente/GM9999", "/debatten/gemeente/utrecht", f"/debatten/{draft.id}",
                f"/debatten/{confirmed.id}", f"/debatten/{draft.id}.ics", "/debatten/999999",
                "/debatten/gemeente/GM9999.ics"):
        assert client.get(url).status_code == 404, url


def test_public_pages_set_no_session_cookie_and_may_be_cached_briefly(client, debates):
    debate = debates.create(title="Open debat")
    for url in ("/debatten/", "/debatten/gemeente/GM0344", "/debatten/gemeente/GM0344.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie")), url
        assert response.cache_control.public and 0 < response.cache_control.max_age <= 300, url
    # the debate page holds the registration form, whose token belongs to this visitor: kept by their browser only
    page = client.get(f"/debatten/{debate.id}")
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    assert page.cache_control.private and page.cache_control.no_cache and not page.cache_control.public


# --- the debate page -----------------------------------------------------------------------------------------

def test_the_debate_page_shows_venue_times_parties_and_topics(client, debates, venues, db_session):
    from campaign.debates.models import DebateTopic

    venue = venues.create(name="Muziekschool De Notenbalk", step_free=True, hearing_loop=False,
                          accessibility_notes="Ingang via het plein.")
    starts = local_evening(10, 20)
    debate = debates.create(
        venue=venue, starts_at=starts, doors_open_at=starts - dt.timedelta(minutes=30), moderator="Mo de Rator",
        title="Lijsttrekkersdebat cultuur", description="Over muziekles en bibliotheken.",
        parties=[("Partij Zonder Antwoord", "", "invited"), ("Partij Nee", "", "declined"),
                 ("Partij Ja", "Jet Spreker", "confirmed")])
    debate.topics.append(DebateTopic(position=1, title="Muziekles op school"))
    db_session.commit()

    page = html(client.get(f"/debatten/{debate.id}", headers={"Accept-Language": "en"}))
    assert "Muziekschool De Notenbalk" in page and venue.street in page and "3511 AA" in page
    assert "20:00" in page and "19:30" in page  # starts, doors open (Dutch time)
    assert "Mo de Rator" in page and "Over muziekles en bibliotheken." in page
    assert "Muziekles op school" in page and "Ingang via het plein." in page
    parties = re.findall(r'class="debate-party debate-party-(\w+)">\s*<strong>([^<]+)</strong>', page)
    assert parties == [("confirmed", "Partij Ja"), ("invited", "Partij Zonder Antwoord"), ("declined", "Partij Nee")]
    assert "Jet Spreker" in page
    assert "declined" in page  # in words, not by colour only
    assert f'/debatten/{debate.id}.ics' in page


def test_the_debate_page_links_the_cultuurwijzer_only_when_one_is_published(client, debates, editions):
    debate = debates.create()
    assert "/cultuurwijzer/GM0344" not in html(client.get(f"/debatten/{debate.id}"))
    editions.create()  # a published edition of Utrecht
    assert "/cultuurwijzer/GM0344" in html(client.get(f"/debatten/{debate.id}"))
    assert "/cultuurwijzer/GM0344" in html(client.get("/debatten/gemeente/GM0344"))
    assert "/cultuurwijzer/GM0344" in html(client.get("/debatten/"))


def test_a_cancelled_debate_says_so_and_offers_no_registration(client, debates):
    debate = debates.create("cancelled", cancel_reason="De zaal is onder water gelopen.")
    response = client.get(f"/debatten/{debate.id}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = html(response)
    assert "This debate has been cancelled." in page and "De zaal is onder water gelopen." in page
    assert 'id="debate-registration"' not in page
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_json_ld_describes_the_event(client, debates, venues):
    venue = venues.create(name="Bibliotheek De Boekenbrug")
    venue.street, venue.postcode = "Boekstraat 1", "3511 AB"
    starts = local_evening(10, 20)
    debate = debates.create(venue=venue, starts_at=starts, title="Debat over cultuur",
                            parties=[("Partij Ja", "Jet Spreker", "confirmed"), ("Partij Nee", "", "declined")])
    data = json_ld(client.get(f"/debatten/{debate.id}"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Debat over cultuur"
    start = dt.datetime.fromisoformat(data["startDate"])
    assert start.utcoffset() is not None and start.hour == 20
    assert start.astimezone(dt.timezone.utc).replace(tzinfo=None) == starts
    assert dt.datetime.fromisoformat(data["endDate"]) - start == dt.timedelta(hours=2)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == "Bibliotheek De Boekenbrug"
    address = data["location"]["address"]
    assert address["@type"] == "PostalAddress" and address["streetAddress"] == "Boekstraat 1"
    assert address["postalCode"] == "3511 AB" and address["addressLocality"] == "Utrecht"
    assert data["organizer"]["name"]
    assert [p["name"] for p in data["performer"]] == ["Jet Spreker"]
    assert data["offers"]["url"].endswith(f"/debatten/{debate.id}#debate-registration")
    assert data["isAccessibleForFree"] is True


def test_json_ld_says_rescheduled_after_a_change_of_time(client, debates):
    debate = debates.create(sequence=1)
    assert json_ld(client.get(f"/debatten/{debate.id}"))["eventStatus"] == "https://schema.org/EventRescheduled"


def test_json_ld_cannot_break_out_of_its_script_block(client, debates):
    debate = debates.create(title="</script><script>alert(1)</script>")
    page = html(client.get(f"/debatten/{debate.id}"))
    assert "<script>alert(1)" not in page
    assert json_ld(client.get(f"/debatten/{debate.id}"))["name"] == "</script><script>alert(1)</script>"


# --- calendar files ------------------------------------------------------------------------------------------

def test_the_debate_calendar_file_has_the_uid_sequence_and_times(client, debates):
    starts = local_evening(10, 20)
    debate = debates.create(starts_at=starts, sequence=2, title="Debat in de agenda")
    response = client.get(f"/debatten/{debate.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["UID"]) == f"debate-{debate.id}@cultuurwijzer.test"
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("DTSTART") == starts.replace(tzinfo=dt.timezone.utc)
    assert event.decoded("DTEND") == (starts + dt.timedelta(hours=2)).replace(tzinfo=dt.timezone.utc)
    assert str(event["SUMMARY"]) == "Debat in de agenda"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(f"/debatten/{debate.id}")


def test_the_municipality_feed_holds_every_public_debate_of_the_municipality(client, debates, venues):
    open_debate = debates.create(title="Open")
    cancelled = debates.create("cancelled", title="Afgelast", sequence=1)
    debates.create("draft", title="Concept")
    debates.create(title="Zeist", venue=venues.create("GM0355"))
    response = client.get("/debatten/gemeente/GM0344.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert "Utrecht" in str(calendar["X-WR-CALNAME"])
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Open", "Afgelast"}
    assert str(events["Open"]["UID"]) == f"debate-{open_debate.id}@cultuurwijzer.test"
    assert str(events["Afgelast"]["STATUS"]) == "CANCELLED" and int(events["Afgelast"]["SEQUENCE"]) == 1
    assert str(events["Afgelast"]["UID"]) == f"debate-{cancelled.id}@cultuurwijzer.test"

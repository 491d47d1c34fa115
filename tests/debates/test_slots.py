"""Slot suggestions: free venue slots on a half-hour grid inside the venues' windows (evenings without windows),
blocked slots left out, ranked by warnings, capacity fit and date; one load for the whole range; the search page
and its "schedule this" link."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from campaign.core.errors import ValidationFailed
from campaign.debates import slots
from campaign.extensions import db
from tests.debates.conftest import local_evening
from tests.helpers import csrf_token, statements

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = dt.timedelta(hours=1)
ADMIN = "/beheer/debatten"


def local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(AMSTERDAM).replace(tzinfo=None)


def day(days_ahead: int) -> dt.date:
    return local(local_evening(days_ahead, 12)).date()


def next_weekday(weekday: int, weeks: int = 1) -> int:
    """Days ahead to a coming weekday (Monday 0), at least ``weeks`` weeks from now."""
    today = dt.datetime.now(AMSTERDAM).date()
    return (weekday - today.weekday()) % 7 + 7 * weeks


def test_a_venue_without_windows_gets_evening_slots_on_the_half_hour(places, venues, election):
    venue = venues.create(capacity=100)
    found = slots.suggest(places["GM0344"], 120, [], day(10), day(10), limit=50)
    assert [local(s.starts_at).time() for s in found] == [dt.time(19)]  # one per venue and day: the best start
    assert found[0].venue.id == venue.id and found[0].ends_at - found[0].starts_at == 2 * HOUR
    assert found[0].conflicts == []


def test_the_grid_stays_inside_the_window_and_a_booking_moves_the_start(places, venues, debates, election):
    weekday = next_weekday(1)  # a Tuesday
    venue = venues.create(windows=[(1, "18:45", "22:30")])
    found = slots.suggest(places["GM0344"], 90, [], day(weekday), day(weekday))
    assert [local(s.starts_at).time() for s in found] == [dt.time(19)]  # 18:45 is not on the grid
    # 19:00-21:00 booked: 19:00-20:30 and 20:00-21:30 clash, 21:00 is right after it (changeover warning)
    debates.create("confirmed", venue=venue, starts_at=local_evening(weekday, 19), hours=2)
    candidates = slots.suggest(places["GM0344"], 90, [], day(weekday), day(weekday))
    assert [local(s.starts_at).time() for s in candidates] == [dt.time(21)]
    assert [c.code for c in candidates[0].conflicts] == ["venue_changeover"]
    assert local(candidates[0].ends_at).time() == dt.time(22, 30)  # ends exactly when the window closes


def test_fewer_warnings_then_the_smallest_venue_that_fits_then_the_earliest(places, venues, debates, election):
    big = venues.create(capacity=800, name="Grote schouwburg")
    fits = venues.create(capacity=80, name="Muziekschool")
    small = venues.create(capacity=40, name="Bibliotheekzaal")
    found = slots.suggest(places["GM0344"], 120, [], day(10), day(11), expected_audience=60)
    order = [(s.venue.name, local(s.starts_at).date()) for s in found]
    assert order == [("Muziekschool", day(10)), ("Muziekschool", day(11)), ("Grote schouwburg", day(10)),
                     ("Grote schouwburg", day(11)), ("Bibliotheekzaal", day(10)), ("Bibliotheekzaal", day(11))]
    assert [c.code for c in found[-1].conflicts] == ["audience_above_capacity"]
    # the party already has a debate in the municipality that evening: a warning, so that day goes last
    debates.create("published", venue=big, starts_at=local_evening(10, 19, 30),
                   parties=[("Stadspartij", "", "confirmed")])
    found = slots.suggest(places["GM0344"], 120, ["Stadspartij"], day(10), day(11), expected_audience=60)
    assert [(s.venue.name, local(s.starts_at).date()) for s in found][:2] == [("Muziekschool", day(11)),
                                                                             ("Grote schouwburg", day(11))]
    assert all(s.warnings for s in found if local(s.starts_at).date() == day(10))
    assert fits.id and small.id


def test_only_active_venues_of_the_municipality_and_nothing_after_election_day(places, venues, debates, election):
    venues.create(status="offered")
    venues.create("GM0355")
    assert slots.suggest(places["GM0344"], 120, [], day(10), day(12)) == []
    venue = venues.create()
    election.date = day(11)
    db.session.commit()
    found = slots.suggest(places["GM0344"], 120, [], day(10), day(12))
    assert [local(s.starts_at).date() for s in found] == [day(10), day(11)]
    assert [c.code for c in found[1].conflicts] == ["election_day"]
    assert venue.id


def test_the_limit_and_no_slots_in_the_past(places, venues, election):
    venues.create()
    venues.create()
    assert len(slots.suggest(places["GM0344"], 60, [], day(3), day(20), limit=5)) == 5
    now = local_evening(10, 21)
    found = slots.suggest(places["GM0344"], 60, [], day(10), day(10), now=now)
    assert found and all(s.starts_at >= now for s in found)


@pytest.mark.parametrize("duration, first, last, field", [
    (10, 10, 11, "duration"),
    (120, 11, 10, "date_to"),
    (120, 1, 100, "date_to"),
])
def test_bad_searches_name_the_field(places, venues, duration, first, last, field):
    with pytest.raises(ValidationFailed) as caught:
        slots.suggest(places["GM0344"], duration, [], day(first), day(last))
    assert [p.field for p in caught.value.problems] == [field]


def test_one_load_for_the_whole_range(places, venues, debates, election):
    for number in range(5):
        venue = venues.create(windows=[(d, "09:00", "23:00") for d in range(7)])
        debates.create("published", venue=venue, starts_at=local_evening(5 + number, 19))
    with statements() as ran:
        found = slots.suggest(places["GM0344"], 60, ["Stadspartij"], day(3), day(30), limit=1000)
    assert len(found) == 5 * 28  # every venue, every day, thousands of candidates checked
    assert len(ran) <= 10, [" ".join(s.split())[:90] for s in ran]


# --- the search page -----------------------------------------------------------------------------------------

def test_the_search_page_suggests_and_schedule_this_opens_the_editor_prefilled(client, users, places, venues,
                                                                              election):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    venues.create(name="Muziekschool De Toonladder", capacity=90)
    page = client.get(f"{ADMIN}/ruimte-zoeken")
    assert page.status_code == 200 and 'selected value="GM0344"' in page.get_data(as_text=True)
    response = client.get(f"{ADMIN}/ruimte-zoeken", query_string={
        "municipality": "GM0344", "duration": "120", "date_from": day(10).isoformat(),
        "date_to": day(10).isoformat(), "expected_audience": "70", "parties": "Stadspartij"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Muziekschool De Toonladder" in html
    link = html.split('class="button" href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith(f"{ADMIN}/nieuw?")
    editor = client.get(link).get_data(as_text=True)
    assert f'value="{day(10).isoformat()}T19:00"' in editor and f'value="{day(10).isoformat()}T21:00"' in editor
    assert 'value="70"' in editor and "selected" in editor.split('id="venue_id"')[1].split("</select>")[0]
    assert csrf_token(client, link)


def test_the_search_page_refuses_other_municipalities_and_bad_dates(client, users, places, venues):
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    response = client.get(f"{ADMIN}/ruimte-zoeken", query_string={
        "municipality": "GM0355", "duration": "120", "date_from": day(10).isoformat(), "date_to": day(11).isoformat()})
    assert response.status_code == 422 and 'id="municipality-error"' in response.get_data(as_text=True)
    response = client.get(f"{ADMIN}/ruimte-zoeken", query_string={
        "municipality": "GM0344", "duration": "120", "date_from": day(10).isoformat(), "date_to": day(5).isoformat()})
    assert response.status_code == 422 and 'id="date_to-error"' in response.get_data(as_text=True)

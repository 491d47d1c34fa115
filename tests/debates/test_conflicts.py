"""Conflict checks: every check with intervals that touch (no overlap), overlap by one minute, and fall just
inside and just outside the buffers (VENUE_BUFFER_MINUTES 30, TRAVEL_BUFFER_MINUTES 60 by default)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from campaign.debates.conflicts import Candidate, ConflictChecker, conflicts_for
from campaign.extensions import db
from tests.debates.conftest import local_evening
from tests.helpers import statements

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def buffers(app, monkeypatch):
    monkeypatch.setitem(app.config, "VENUE_BUFFER_MINUTES", 30)
    monkeypatch.setitem(app.config, "TRAVEL_BUFFER_MINUTES", 60)


@pytest.fixture(params=["one", "wide"])
def check(request):
    """``conflicts_for`` (loads just around the candidate), or a checker loaded for a whole week around it (as the
    slot search uses one): the same answers."""
    if request.param == "one":
        return conflicts_for

    def wide(candidate):
        return ConflictChecker(candidate.starts_at - 3 * 24 * HOUR, candidate.ends_at + 3 * 24 * HOUR,
                               venue_ids=[candidate.venue_id]).check(candidate)

    return wide


def codes(conflicts) -> list[tuple[str, str]]:
    return [(c.level, c.code) for c in conflicts]


def candidate(venue, starts_at, ends_at=None, **changes) -> Candidate:
    return Candidate(venue_id=venue.id, starts_at=starts_at, ends_at=ends_at or starts_at + 2 * HOUR,
                     municipality_id=venue.municipality_id, **changes)


def on_weekday(weekday: int, hour: int, minute: int = 0, weeks: int = 2) -> dt.datetime:
    """Naive UTC of a local time on a coming weekday (Monday 0), at least ``weeks`` weeks ahead."""
    today = dt.datetime.now(AMSTERDAM).date()
    return local_evening((weekday - today.weekday()) % 7 + 7 * weeks, hour, minute)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(AMSTERDAM).date()


# --- the venue booked twice ----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["confirmed", "published", "held"])
def test_a_booking_blocks_an_overlap_of_one_minute_but_not_a_debate_that_starts_when_it_ends(debates, status, check):
    booked = debates.create(status, starts_at=local_evening(10, 19), hours=2)  # 19:00-21:00
    venue = booked.venue

    overlap = check(candidate(venue, booked.ends_at - MINUTE))
    assert ("blocking", "venue_booked") in codes(overlap)
    assert overlap[0].other_debate_id == booked.id
    assert booked.title in str(overlap[0].message) and venue.name in str(overlap[0].message)

    touching = check(candidate(venue, booked.ends_at))
    assert "venue_booked" not in [c.code for c in touching]
    before = check(candidate(venue, booked.starts_at - 2 * HOUR, booked.starts_at))
    assert "venue_booked" not in [c.code for c in before]


def test_a_long_booking_that_began_hours_earlier_still_blocks_among_many_short_ones(debates, check):
    """The checker looks only at debates that can come near a candidate (sorted by start); one that began long
    before the candidate, with many short debates in between, must still be found."""
    marathon = debates.create("confirmed", starts_at=local_evening(10, 10), hours=11)  # 10:00-21:00
    for hour in (11, 13, 15):  # short debates elsewhere that start after the long one
        debates.create("confirmed", starts_at=local_evening(10, hour), hours=1)
    late = check(candidate(marathon.venue, local_evening(10, 20)))  # 20:00-22:00: the last hour overlaps
    assert ("blocking", "venue_booked") in codes(late) and late[0].other_debate_id == marathon.id
    assert "venue_booked" not in [c.code for c in check(candidate(marathon.venue, marathon.ends_at))]


def test_the_changeover_buffer_warns_inside_it_and_not_from_its_end(debates, check):
    booked = debates.create("confirmed", starts_at=local_evening(10, 19), hours=2)
    venue = booked.venue
    assert codes(check(candidate(venue, booked.ends_at))) == [("warning", "venue_changeover")]
    assert codes(check(candidate(venue, booked.ends_at + 29 * MINUTE))) == [("warning", "venue_changeover")]
    assert check(candidate(venue, booked.ends_at + 30 * MINUTE)) == []
    # and on the other side: ending 29 minutes before the booking starts
    early = booked.starts_at - 29 * MINUTE
    assert codes(check(candidate(venue, early - 2 * HOUR, early))) == [("warning", "venue_changeover")]
    assert check(candidate(venue, booked.starts_at - 150 * MINUTE, booked.starts_at - 30 * MINUTE)) == []


def test_the_doors_opening_counts_as_occupied(debates, check):
    booked = debates.create("published", starts_at=local_evening(10, 19), hours=2)  # ends 21:00
    venue = booked.venue
    start = booked.ends_at + 45 * MINUTE
    assert ("blocking", "venue_booked") in codes(check(candidate(venue, start,
                                                                         doors_open_at=booked.ends_at - MINUTE)))
    touching = check(candidate(venue, start, doors_open_at=booked.ends_at))
    assert codes(touching) == [("warning", "venue_changeover")]
    # the other debate's doors count too
    booked.doors_open_at = booked.starts_at - 30 * MINUTE
    db.session.commit()
    assert ("blocking", "venue_booked") in codes(check(candidate(
        venue, booked.starts_at - 2 * HOUR - 29 * MINUTE, booked.starts_at - 29 * MINUTE)))


def test_a_draft_in_the_same_hall_is_a_warning_and_near_it_a_notice(debates):
    draft = debates.create("draft", starts_at=local_evening(10, 19), hours=2)
    venue = draft.venue
    assert codes(conflicts_for(candidate(venue, draft.ends_at - MINUTE))) == [("warning", "venue_planned")]
    assert codes(conflicts_for(candidate(venue, draft.ends_at + 10 * MINUTE))) == [("notice", "venue_changeover")]


def test_cancelled_debates_never_conflict(debates):
    cancelled = debates.create("cancelled", starts_at=local_evening(10, 19), hours=2,
                               parties=[("Partij A", "Jan de Vries", "confirmed")])
    venue = cancelled.venue
    assert conflicts_for(candidate(venue, cancelled.starts_at, invited=(("Partij A", "Jan de Vries"),))) == []
    booked = debates.create("confirmed", venue=venue, starts_at=local_evening(11, 19))
    assert conflicts_for(candidate(venue, booked.starts_at, status="cancelled")) == []


def test_a_saved_debate_does_not_conflict_with_itself(debates):
    booked = debates.create("confirmed", starts_at=local_evening(10, 19), parties=[("Partij A", "Jan", "confirmed")])
    assert conflicts_for(booked) == []


# --- availability windows and closures ----------------------------------------------------------------------

def test_outside_every_window_is_a_warning(venues, check):
    venue = venues.create(windows=[(1, "19:00", "23:00")])  # Tuesdays
    start = on_weekday(1, 19)
    assert check(candidate(venue, start, start + 4 * HOUR)) == []
    assert codes(check(candidate(venue, start - MINUTE))) == [("warning", "outside_hours")]
    assert codes(check(candidate(venue, start + 2 * HOUR, start + 4 * HOUR + MINUTE))) == \
        [("warning", "outside_hours")]
    assert codes(check(candidate(venue, on_weekday(2, 19)))) == [("warning", "outside_hours")]  # Wednesday
    # doors opening before the window opens
    assert codes(check(candidate(venue, start + 30 * MINUTE, doors_open_at=start - MINUTE))) == \
        [("warning", "outside_hours")]


def test_a_window_closing_at_midnight_runs_to_the_end_of_the_day(venues):
    venue = venues.create(windows=[(4, "20:00", "00:00")])  # Fridays
    start = on_weekday(4, 22)
    assert conflicts_for(candidate(venue, start, start + 2 * HOUR)) == []
    assert codes(conflicts_for(candidate(venue, start, start + 2 * HOUR + MINUTE))) == [("warning", "outside_hours")]


def test_windows_apply_only_between_their_dates(venues):
    from campaign.debates.models import VenueWindow

    start = on_weekday(1, 19)
    venue = venues.create()
    venue.windows.append(VenueWindow(weekday=1, opens=dt.time(19), closes=dt.time(23),
                                     valid_until=local_day(start) - dt.timedelta(days=1)))
    db.session.commit()
    assert codes(conflicts_for(candidate(venue, start))) == [("warning", "outside_hours")]
    venue.windows[0].valid_until = local_day(start)  # inclusive
    db.session.commit()
    assert conflicts_for(candidate(venue, start)) == []
    venue.windows[0].valid_from = local_day(start) + dt.timedelta(days=1)
    venue.windows[0].valid_until = None
    db.session.commit()
    assert codes(conflicts_for(candidate(venue, start))) == [("warning", "outside_hours")]


def test_a_venue_without_windows_is_available_at_any_time(venues):
    venue = venues.create()
    assert conflicts_for(candidate(venue, local_evening(10, 9))) == []


def test_a_closure_day_is_a_warning_and_the_day_after_is_not(venues, check):
    start = local_evening(12, 20)
    day = local_day(start)
    venue = venues.create(closures=[(day - dt.timedelta(days=3), day)])
    found = check(candidate(venue, start))
    assert codes(found) == [("warning", "venue_closed")]
    assert venue.name in str(found[0].message)
    other = venues.create(closures=[(day - dt.timedelta(days=3), day - dt.timedelta(days=1))])
    assert check(candidate(other, start)) == []
    # a debate that runs past midnight into a closure day
    late = venues.create(closures=[(day + dt.timedelta(days=1), day + dt.timedelta(days=1))])
    assert check(candidate(late, local_evening(12, 22), local_evening(13, 0))) == []
    assert codes(check(candidate(late, local_evening(12, 22), local_evening(13, 0, 1)))) == \
        [("warning", "venue_closed")]


# --- people in two places ------------------------------------------------------------------------------------

def test_the_same_speaker_within_the_travel_buffer(debates, venues, check):
    other = debates.create("published", starts_at=local_evening(10, 19), hours=2,
                           parties=[("Partij A", "Jan de Vries", "confirmed")])
    venue = venues.create("GM0355")  # elsewhere, so that only the speaker counts
    speaker = (("Partij B", "  jan  DE vries "),)
    for start in (other.ends_at - MINUTE, other.ends_at, other.ends_at + 59 * MINUTE):
        found = check(candidate(venue, start, invited=speaker))
        assert codes(found) == [("warning", "speaker_elsewhere")], start
        assert "jan  DE vries".strip() in str(found[0].message) and other.venue.name in str(found[0].message)
    assert check(candidate(venue, other.ends_at + 60 * MINUTE, invited=speaker)) == []
    assert check(candidate(venue, other.starts_at - 3 * HOUR, other.starts_at - HOUR, invited=speaker)) == []
    assert codes(check(candidate(venue, other.starts_at - 3 * HOUR, other.starts_at - 59 * MINUTE,
                                         invited=speaker))) == [("warning", "speaker_elsewhere")]


def test_without_a_travel_buffer_touching_is_fine_and_one_minute_overlap_is_not(app, monkeypatch, debates, venues,
                                                                               check):
    monkeypatch.setitem(app.config, "TRAVEL_BUFFER_MINUTES", 0)
    other = debates.create("published", starts_at=local_evening(10, 19), parties=[("A", "Jan de Vries", "confirmed")])
    venue = venues.create("GM0355")
    assert check(candidate(venue, other.ends_at, invited=(("B", "Jan de Vries"),))) == []
    assert codes(check(candidate(venue, other.ends_at - MINUTE, invited=(("B", "Jan de Vries"),)))) == \
        [("warning", "speaker_elsewhere")]


def test_a_speaker_in_a_draft_is_a_notice_and_a_declined_invitation_no_conflict(debates, venues):
    debates.create("draft", starts_at=local_evening(10, 19), parties=[("A", "Jan de Vries", "invited")])
    debates.create("published", starts_at=local_evening(10, 19), parties=[("A", "Piet Bakker", "declined")])
    venue = venues.create("GM0355")
    found = conflicts_for(candidate(venue, local_evening(10, 20), invited=(("B", "Jan de Vries"),
                                                                         ("C", "Piet Bakker"))))
    assert codes(found) == [("notice", "speaker_elsewhere")]


def test_the_same_party_in_the_same_municipality(debates, venues, check):
    other = debates.create("confirmed", starts_at=local_evening(10, 19), parties=[("Stadspartij", "", "invited")])
    here = venues.create("GM0344")
    found = check(candidate(here, other.ends_at + 59 * MINUTE, invited=(("stadspartij ", ""),)))
    assert codes(found) == [("warning", "party_elsewhere")]
    assert "stadspartij" in str(found[0].message)
    assert check(candidate(here, other.ends_at + 60 * MINUTE, invited=(("Stadspartij", ""),))) == []
    # the same name in another municipality is another local party
    assert check(candidate(venues.create("GM0355"), other.ends_at, invited=(("Stadspartij", ""),))) == []
    # both name their speaker, and they differ: the party sends two people
    other.invitations[0].speaker_name = "Anna"
    db.session.commit()
    assert check(candidate(here, other.ends_at, invited=(("Stadspartij", "Bert"),))) == []
    assert codes(check(candidate(here, other.ends_at, invited=(("Stadspartij", ""),)))) == \
        [("warning", "party_elsewhere")]


def test_a_party_in_a_draft_is_a_notice(debates, venues):
    other = debates.create("draft", starts_at=local_evening(10, 19), parties=[("Stadspartij", "", "invited")])
    assert codes(conflicts_for(candidate(venues.create(), other.starts_at, invited=(("Stadspartij", ""),)))) == \
        [("notice", "party_elsewhere")]


def test_the_coordinator_in_two_places(debates, venues, users, check):
    coordinator = users.create("coordinator", municipalities=["GM0344"], name="Carla Coördinator")
    other = debates.create("published", starts_at=local_evening(10, 19), coordinator_id=coordinator.id)
    venue = venues.create()
    found = check(candidate(venue, other.ends_at + 59 * MINUTE, coordinator_id=coordinator.id))
    assert codes(found) == [("warning", "coordinator_elsewhere")]
    assert "Carla Coördinator" in str(found[0].message)
    assert check(candidate(venue, other.ends_at + 60 * MINUTE, coordinator_id=coordinator.id)) == []
    assert check(candidate(venue, other.starts_at, coordinator_id=coordinator.id + 1000)) == []


# --- capacity and election day -------------------------------------------------------------------------------

def test_capacity_below_the_expected_audience_warns_and_too_many_seats_block(venues):
    venue = venues.create(capacity=80)
    start = local_evening(10, 20)
    assert conflicts_for(candidate(venue, start, expected_audience=80, capacity=80)) == []
    assert codes(conflicts_for(candidate(venue, start, expected_audience=81))) == \
        [("warning", "audience_above_capacity")]
    assert codes(conflicts_for(candidate(venue, start, capacity=81))) == [("blocking", "seats_above_capacity")]
    # the number of people a venue holds is counted in words that fit it (ngettext)
    from flask_babel import force_locale

    cupboard = venues.create(capacity=1, name="Bezemkast")
    with force_locale("en"):
        assert [str(c.message) for c in conflicts_for(candidate(cupboard, start, expected_audience=5, capacity=2))] == [
            "2 seats are offered for registration, but Bezemkast holds 1 person.",
            "Bezemkast holds 1 person; 5 are expected."]
        assert str(conflicts_for(candidate(venue, start, expected_audience=81))[0].message) == \
            f"{venue.name} holds 80 people; 81 are expected."


def test_election_day_is_a_notice_and_the_day_after_blocks(venues):
    venue = venues.create()
    start = local_evening(10, 20)
    day = local_day(start)
    assert conflicts_for(candidate(venue, start, election_date=day + dt.timedelta(days=1))) == []
    assert codes(conflicts_for(candidate(venue, start, election_date=day))) == [("notice", "election_day")]
    assert codes(conflicts_for(candidate(venue, start, election_date=day - dt.timedelta(days=1)))) == \
        [("blocking", "after_election")]
    # local dates: 00:30 Dutch time is still the previous day in UTC
    assert codes(conflicts_for(candidate(venue, local_evening(11, 0, 30), election_date=day))) == \
        [("blocking", "after_election")]


def test_blocking_conflicts_come_first(debates):
    booked = debates.create("confirmed", starts_at=local_evening(10, 19))
    found = conflicts_for(candidate(booked.venue, booked.starts_at + HOUR, expected_audience=1000))
    assert [c.level for c in found] == ["blocking", "warning"]


def test_messages_are_escaped_in_pages_and_follow_the_readers_language(app, debates):
    booked = debates.create("confirmed", starts_at=local_evening(10, 19), title="<b>Debat</b> & meer")
    found = conflicts_for(candidate(booked.venue, booked.starts_at))
    message = found[0].message
    assert not hasattr(message, "__html__")
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context():
        html = render_template_string("{{ m }}", m=message)
        assert "&lt;b&gt;Debat&lt;/b&gt; &amp; meer" in html
        with force_locale("en"):
            english = str(message)
        with force_locale("nl"):
            dutch = str(message)
    assert english != dutch and "<b>Debat</b>" in english


# --- one load for many candidates ----------------------------------------------------------------------------

def test_the_checker_loads_once_and_checks_hundreds_of_candidates_without_queries(debates, venues):
    venue = venues.create(windows=[(d, "09:00", "23:00") for d in range(7)], closures=[])
    for day in range(3, 9):
        debates.create("published", venue=venue, starts_at=local_evening(day, 19),
                       parties=[("Stadspartij", f"Spreker {day}", "confirmed")])
    start, end = local_evening(2, 0), local_evening(10, 0)
    checker = ConflictChecker(start, end, venue_ids=[venue.id])
    with statements() as ran:
        results = [checker.check(candidate(venue, start + n * 30 * MINUTE, invited=(("Stadspartij", ""),)))
                   for n in range(300)]
    assert ran == []
    assert sum(1 for r in results if any(c.code == "venue_booked" for c in r)) > 0
    assert sum(1 for r in results if not r) > 0

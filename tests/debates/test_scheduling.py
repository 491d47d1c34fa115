"""Scheduling: creating and changing debates, the status workflow with its conflict checks, bookings refused by
the database, the mails about a new time or a cancellation, and the back-office pages (editor, inline conflict
check, review, status buttons, list, workspace panel)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from icalendar import Calendar
from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.i18n import to_local_input
from campaign.core.models import AuditEntry, utcnow
from campaign.debates import scheduling
from campaign.debates.models import Debate, Registration
from campaign.extensions import db
from tests.debates.conftest import local_evening
from tests.helpers import csrf_token, post_form

STAFF = Actor.system("tests")
ADMIN = "/beheer/debatten"
HOUR = dt.timedelta(hours=1)


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client


def fields(venue, election, **changes) -> dict:
    start = changes.pop("starts_at", None) or local_evening(10, 20)
    values = dict(kind="lijsttrekkersdebat", title="Lijsttrekkersdebat over cultuuronderwijs", election_id=election.id,
                  municipality_id=venue.municipality_id, venue_id=venue.id, starts_at=start, ends_at=start + 2 * HOUR)
    values.update(changes)
    return values


def refusal(change) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught, force_locale("en"):
        change()
    db.session.rollback()
    return caught.value


def problem_fields(exc: ValidationFailed) -> set[str]:
    return {p.field for p in exc.problems}


def register(debate, name="Rita Register", email=None, seats=1, status="confirmed", language="nl"):
    registration = Registration(debate=debate, name=name, email=email or f"{name.split()[0].lower()}@example.org",
                                seats=seats, status=status, language=language)
    db.session.add(registration)
    db.session.commit()
    return registration


def calendar_of(message) -> Calendar | None:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    if not parts:
        return None
    content = parts[0].get_content()
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def events(calendar):
    return [c for c in calendar.walk() if c.name == "VEVENT"]


# --- create and change ---------------------------------------------------------------------------------------

def test_a_new_debate_is_a_draft_with_its_topics_in_order_and_an_audit_entry_without_texts(venues, election):
    venue = venues.create(capacity=120)
    debate = scheduling.create_debate(STAFF, **fields(venue, election, moderator="Mia Moderator",
                                                      topics=["Muziekles op school", "  ", "Btw op lessen"]))
    db.session.commit()
    assert debate.status == "draft" and debate.sequence == 0
    assert debate.capacity == 120  # the venue's, when not given
    assert [t.title for t in debate.topics] == ["Muziekles op school", "Btw op lessen"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "debate.create"))
    assert entry.after["status"] == "draft" and entry.after["venue_id"] == venue.id and entry.after["topics"] == 2
    assert "Mia" not in str(entry.after) and "Lijsttrekkersdebat" not in str(entry.after)


@pytest.mark.parametrize("change, field", [
    ({"title": "  "}, "title"),
    ({"kind": "borrel"}, "kind"),
    ({"election_id": 999_999}, "election_id"),
    ({"municipality_id": None}, "municipality_id"),
    ({"venue_id": 999_999}, "venue_id"),
    ({"ends_at": local_evening(10, 20)}, "ends_at"),  # = the start
    ({"ends_at": local_evening(11, 20)}, "ends_at"),  # a day later: a typing mistake
    ({"doors_open_at": local_evening(10, 20, 1)}, "doors_open_at"),
    ({"doors_open_at": local_evening(10, 16, 59)}, "doors_open_at"),
    ({"capacity": 101}, "capacity"),
    ({"capacity": -1}, "capacity"),
    ({"max_seats_per_registration": 0}, "max_seats_per_registration"),
    ({"max_seats_per_registration": 21}, "max_seats_per_registration"),
    ({"expected_audience": -5}, "expected_audience"),
    ({"topics": ["x" * 201]}, "topics"),
    ({"moderator": "m" * 121}, "moderator"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(venues, election, change, field):
    venue = venues.create(capacity=100)
    exc = refusal(lambda: scheduling.create_debate(STAFF, **fields(venue, election, starts_at=local_evening(10, 20),
                                                                   **change)))
    assert problem_fields(exc) == {field}
    assert db.session.scalar(select(Debate)) is None


def test_doors_may_open_at_the_start_and_seats_may_be_zero(venues, election):
    venue = venues.create(capacity=100)
    start = local_evening(10, 20)
    debate = scheduling.create_debate(STAFF, **fields(venue, election, starts_at=start, doors_open_at=start,
                                                      capacity=0, max_seats_per_registration=20))
    assert debate.doors_open_at == start and debate.capacity == 0


def test_a_venue_that_is_not_active_cannot_be_chosen(venues, election):
    offered = venues.create(status="offered")
    assert problem_fields(refusal(lambda: scheduling.create_debate(STAFF, **fields(offered, election)))) == \
        {"venue_id"}


def test_a_coordinator_schedules_only_in_their_own_municipalities(venues, election, users, places):
    coordinator = users.create("coordinator", municipalities=["GM0344"])
    elsewhere = venues.create("GM0355")
    exc = refusal(lambda: scheduling.create_debate(Actor.of(coordinator), **fields(elsewhere, election)))
    assert problem_fields(exc) == {"municipality_id"}
    # a venue elsewhere may be used for a debate of their own municipality
    debate = scheduling.create_debate(Actor.of(coordinator), **fields(elsewhere, election,
                                                                      municipality_id=places["GM0344"].id,
                                                                      coordinator_id=coordinator.id))
    assert debate.coordinator_id == coordinator.id
    other = users.create("coordinator", municipalities=["GM0014"])
    exc = refusal(lambda: scheduling.create_debate(STAFF, **fields(venues.create(), election,
                                                                   coordinator_id=other.id)))
    assert problem_fields(exc) == {"coordinator_id"}


def test_a_title_change_is_not_news_but_a_new_time_raises_the_sequence_and_is_mailed(debates, mailbox):
    debate = debates.create("published", starts_at=local_evening(10, 20),
                            parties=[("Stadspartij", "Jan de Vries", "confirmed"), ("Dorpslijst", "", "invited"),
                                     ("Groen", "", "declined")])
    for invitation, address in zip(debate.invitations, ("stad@example.org", "dorp@example.org", "groen@example.org")):
        invitation.contact_email = address
        invitation.invited_at = utcnow()
    seat = register(debate, "Rita Register", seats=2)
    waiting = register(debate, "Wim Wachter", status="waitlisted", language="en")
    register(debate, "Cees Cancelled", status="cancelled")

    result = scheduling.update_debate(STAFF, debate, title="Een andere titel")
    db.session.commit()
    assert debate.sequence == 0 and result.told == 0 and mailbox.messages() == []

    new_start = local_evening(11, 19, 30)
    result = scheduling.update_debate(STAFF, debate, starts_at=new_start, ends_at=new_start + 2 * HOUR)
    db.session.commit()
    assert debate.sequence == 1 and result.told == 3
    messages = {m["To"]: m for m in mailbox.messages()}
    assert set(messages) == {seat.email, waiting.email, "stad@example.org"}
    assert "Een andere titel" in messages[seat.email]["Subject"]
    calendar = calendar_of(messages[seat.email])
    event = events(calendar)[0]
    assert event.decoded("dtstart").replace(tzinfo=None) == new_start and int(event["sequence"]) == 1
    assert calendar_of(messages["stad@example.org"]) is not None
    assert calendar_of(messages[waiting.email]) is None  # no seat: nothing for the agenda yet
    assert "waitlist" in mailbox.body(messages[waiting.email])  # in their language, also the earlier time:
    assert "8:00\u202fPM" in mailbox.body(messages[waiting.email]) or "8:00 PM" in mailbox.body(messages[waiting.email])
    assert to_local_input(local_evening(10, 20)).strftime("%H:%M") in mailbox.body(messages[seat.email])  # "was"


def test_a_new_venue_is_mailed_with_the_old_and_new_address(debates, venues, mailbox):
    debate = debates.create("published")
    register(debate, "Rita Register")
    hall = venues.create(name="Theater De Nieuwe Zaal", capacity=200)
    scheduling.update_debate(STAFF, debate, venue_id=hall.id)
    db.session.commit()
    assert debate.venue.name == "Theater De Nieuwe Zaal" and debate.sequence == 1
    body = mailbox.body(mailbox.messages()[0])
    assert "Theater De Nieuwe Zaal" in body and "Muziekstraat" in body


def test_a_booked_debate_cannot_move_onto_another_booking(debates):
    first = debates.create("confirmed", starts_at=local_evening(10, 19))  # 19:00-21:00
    second = debates.create("confirmed", venue=first.venue, starts_at=local_evening(10, 21))  # touching: fine
    exc = refusal(lambda: scheduling.update_debate(STAFF, second, starts_at=local_evening(10, 20, 59),
                                                   ends_at=local_evening(10, 23)))
    assert problem_fields(exc) == {"venue_id"} and first.title in str(exc)
    assert db.session.get(Debate, second.id).starts_at == local_evening(10, 21)
    # a draft may be planned there (it is a warning until it is confirmed)
    draft = debates.create("draft", venue=first.venue, starts_at=local_evening(12, 19))
    scheduling.update_debate(STAFF, draft, starts_at=local_evening(10, 20), ends_at=local_evening(10, 22))
    db.session.commit()


@pytest.mark.parametrize("venue_id", [None, 999_999])
def test_a_booked_debate_without_a_venue_is_refused_naming_the_field(debates, venue_id):
    """Moving a booked debate locks the venue it moves to first; no venue, or one that does not exist, is for the
    checks to name (not a server error)."""
    booked = debates.create("confirmed", starts_at=local_evening(10, 19))
    exc = refusal(lambda: scheduling.update_debate(STAFF, booked, venue_id=venue_id))
    assert problem_fields(exc) == {"venue_id"}
    assert db.session.get(Debate, booked.id).venue_id is not None


def test_a_booked_debate_cannot_move_after_election_day_but_a_draft_may(debates, election):
    booked = debates.create("published")
    late = local_evening(92, 20)
    exc = refusal(lambda: scheduling.update_debate(STAFF, booked, starts_at=late, ends_at=late + 2 * HOUR))
    assert "election" in str(exc)
    assert db.session.get(Debate, booked.id).starts_at == local_evening(10, 20)
    draft = debates.create("draft")
    scheduling.update_debate(STAFF, draft, starts_at=late, ends_at=late + 2 * HOUR)
    db.session.commit()
    assert db.session.get(Debate, draft.id).starts_at == late


def test_fewer_seats_than_are_taken_is_refused_and_more_seats_go_to_the_waitlist(debates, mailbox):
    debate = debates.create("published", capacity=3)
    register(debate, "Anna Aanwezig", seats=3)
    waiting = register(debate, "Wim Wachter", seats=2, status="waitlisted")
    assert problem_fields(refusal(lambda: scheduling.update_debate(STAFF, debate, capacity=2))) == {"capacity"}
    result = scheduling.update_debate(STAFF, db.session.get(Debate, debate.id), capacity=5)
    db.session.commit()
    assert [r.id for r in result.promoted] == [waiting.id]
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    assert [m["To"] for m in mailbox.messages()] == [waiting.email]
    # more seats and a new time at once: who moves up gets one mail (with the new time), the others the change
    late = register(debate, "Lotte Laat", status="waitlisted")
    mailbox.clear()
    new_start = local_evening(11, 20)
    result = scheduling.update_debate(STAFF, db.session.get(Debate, debate.id), capacity=6, starts_at=new_start,
                                      ends_at=new_start + 2 * HOUR)
    db.session.commit()
    assert [r.id for r in result.promoted] == [late.id] and result.told == 2
    assert sorted(m["To"] for m in mailbox.messages()) == ["anna@example.org", late.email, waiting.email]


def test_a_cancelled_debate_cannot_be_changed(debates):
    debate = debates.create("cancelled")
    assert refusal(lambda: scheduling.update_debate(STAFF, debate, title="Nieuw")).problems


# --- status --------------------------------------------------------------------------------------------------

def test_confirm_books_the_venue_unless_a_blocking_conflict_exists(debates, election):
    booked = debates.create("published", starts_at=local_evening(10, 19))
    overlapping = debates.create("draft", venue=booked.venue, starts_at=local_evening(10, 20, 59))
    exc = refusal(lambda: scheduling.confirm(STAFF, overlapping))
    assert booked.title in str(exc)
    assert db.session.get(Debate, overlapping.id).status == "draft"

    after_election = debates.create("draft", starts_at=local_evening(92, 20))
    assert "election" in str(refusal(lambda: scheduling.confirm(STAFF, after_election)))

    fine = debates.create("draft", venue=booked.venue, starts_at=local_evening(10, 21, 30), expected_audience=500)
    scheduling.confirm(STAFF, fine)  # warnings (changeover, audience) do not block
    db.session.commit()
    assert db.session.get(Debate, fine.id).status == "confirmed"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "debate.confirm"))
    assert entry.before == {"status": "draft", "sequence": 0} and entry.after["status"] == "confirmed"
    assert refusal(lambda: scheduling.confirm(STAFF, fine)).problems  # confirmed already


def test_a_venue_that_was_withdrawn_is_not_booked(debates):
    debate = debates.create("draft")
    debate.venue.status = "withdrawn"
    db.session.commit()
    assert problem_fields(refusal(lambda: scheduling.confirm(STAFF, debate))) == {"venue_id"}
    assert db.session.get(Debate, debate.id).status == "draft"


def test_only_a_draft_is_confirmed_and_only_a_confirmed_debate_published(debates):
    confirmed = debates.create("confirmed")
    assert refusal(lambda: scheduling.confirm(STAFF, confirmed)).problems
    draft = debates.create("draft")
    assert refusal(lambda: scheduling.publish(STAFF, draft)).problems


def test_publish_sets_the_publication_time_and_is_refused_while_a_conflict_blocks(debates):
    debate = debates.create("confirmed", capacity=100)
    debate.venue.capacity = 80  # the venue was found to hold fewer people
    db.session.commit()
    exc = refusal(lambda: scheduling.publish(STAFF, debate))
    assert "80" in str(exc)
    assert db.session.get(Debate, debate.id).published_at is None
    debate = db.session.get(Debate, debate.id)
    scheduling.update_debate(STAFF, debate, capacity=80)
    scheduling.publish(STAFF, debate)
    db.session.commit()
    assert debate.status == "published" and debate.published_at is not None


def test_a_debate_that_is_over_is_not_published(debates):
    debate = debates.create("confirmed", starts_at=utcnow() - 3 * HOUR)
    assert refusal(lambda: scheduling.publish(STAFF, debate)).problems


def test_unpublish_only_while_nobody_registered(debates):
    debate = debates.create("published")
    scheduling.unpublish(STAFF, debate)
    db.session.commit()
    assert debate.status == "confirmed" and debate.published_at is None
    scheduling.publish(STAFF, debate)
    register(debate)
    assert refusal(lambda: scheduling.unpublish(STAFF, debate)).problems
    assert db.session.get(Debate, debate.id).status == "published"


def test_held_only_after_the_end_and_the_daily_command_marks_every_past_debate(debates):
    upcoming = debates.create("published")
    assert refusal(lambda: scheduling.mark_held(STAFF, upcoming)).problems
    past = debates.create("published", starts_at=utcnow() - 3 * HOUR, hours=2)
    also_past = debates.create("published", starts_at=utcnow() - 50 * HOUR)
    not_published = debates.create("confirmed", starts_at=utcnow() - 50 * HOUR)
    assert scheduling.mark_past_held(STAFF) == 2
    db.session.commit()
    assert [db.session.get(Debate, d.id).status for d in (upcoming, past, also_past, not_published)] == \
        ["published", "held", "held", "confirmed"]
    assert scheduling.mark_past_held(STAFF) == 0


def test_cancel_needs_a_reason_mails_everyone_and_frees_the_venue(debates, mailbox):
    debate = debates.create("published", parties=[("Stadspartij", "Jan", "confirmed"), ("Dorpslijst", "", "invited"),
                                                  ("Nooit", "", "invited")])
    debate.invitations[0].contact_email, debate.invitations[1].contact_email = "stad@example.org", "dorp@example.org"
    debate.invitations[1].invited_at = utcnow()
    debate.invitations[2].contact_email = "nooit@example.org"  # never sent its invitation: not mailed
    seat = register(debate, "Rita Register")
    waiting = register(debate, "Wim Wachter", status="waitlisted")
    assert problem_fields(refusal(lambda: scheduling.cancel(STAFF, debate, "  "))) == {"reason"}

    assert scheduling.cancel(STAFF, debate, "De zaal is onder water gelopen.") == 4
    db.session.commit()
    assert debate.status == "cancelled" and debate.sequence == 1
    messages = {m["To"]: m for m in mailbox.messages()}
    assert set(messages) == {seat.email, waiting.email, "stad@example.org", "dorp@example.org"}
    assert "onder water" in mailbox.body(messages[seat.email])
    assert str(events(calendar_of(messages[seat.email]))[0]["status"]) == "CANCELLED"
    assert calendar_of(messages["stad@example.org"]) is not None
    assert calendar_of(messages[waiting.email]) is None and calendar_of(messages["dorp@example.org"]) is None
    # the venue is free again
    again = debates.create("draft", venue=debate.venue, starts_at=debate.starts_at)
    scheduling.confirm(STAFF, again)
    db.session.commit()
    assert refusal(lambda: scheduling.cancel(STAFF, debate, "nog eens")).problems
    # a debate that is over is cancelled (put right) without mailing anybody
    over = debates.create("published", starts_at=local_evening(-2))
    register(over, "Piet Voorbij")
    mailbox.clear()
    assert scheduling.cancel(STAFF, over, "Achteraf: het ging niet door.") == 0
    db.session.commit()
    assert over.status == "cancelled" and mailbox.messages() == []


def test_the_database_refuses_an_overlapping_booking_that_slipped_past_the_check(debates, monkeypatch, app):
    """PostgreSQL's exclusion constraint is the backstop: with the checks switched off, the flush is refused and
    the same problem is shown; the transaction stays usable."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite serialises writers instead)")
    booked = debates.create("confirmed", starts_at=local_evening(10, 19))
    draft = debates.create("draft", venue=booked.venue, starts_at=local_evening(10, 20))
    monkeypatch.setattr(scheduling, "_refuse_overlap", lambda *args: None)
    monkeypatch.setattr(scheduling, "_refuse_blocking", lambda *args: None)
    with pytest.raises(ValidationFailed) as caught:
        scheduling.confirm(STAFF, draft)
    assert caught.value.problems[0].field == "venue_id" and booked.title in str(caught.value)
    assert db.session.scalar(select(Debate.status).where(Debate.id == booked.id)) == "confirmed"  # still usable
    db.session.rollback()
    assert db.session.get(Debate, draft.id).status == "draft"


# --- the back-office pages -----------------------------------------------------------------------------------

@pytest.fixture()
def coordinator(users, client, places):
    user = users.create("coordinator", municipalities=["GM0344"], name="Carla Coördinator")
    users.login(client, user)
    return user


def form_data(venue, election, start: dt.datetime, **changes) -> dict:
    local = to_local_input(start)
    data = {"kind": "public_debate", "title": "Debat over muziekles", "election_id": election.id,
            "municipality_id": venue.municipality_id, "venue_id": venue.id,
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + 2 * HOUR).strftime("%Y-%m-%dT%H:%M"), "max_seats_per_registration": "4",
            "registration_open": "y", "topics": "Muziekles op school\nBtw op lessen", "capacity": ""}
    data.update(changes)
    return data


def test_a_coordinator_schedules_sees_a_conflict_resolves_it_and_publishes(english, coordinator, debates, venues,
                                                                          election, db_session):
    venue = venues.create(capacity=150, name="Muziekschool De Toonladder")
    booked = debates.create("published", venue=venue, starts_at=local_evening(10, 19), title="Het andere debat")
    assert english.get(f"{ADMIN}/nieuw").status_code == 200

    # htmx checks the fields as they change: the list beside the form, without the page around it
    response = english.post(f"{ADMIN}/controleren", data={**form_data(venue, election, local_evening(10, 20)),
                                                          "csrf_token": csrf_token(english, f"{ADMIN}/nieuw")},
                            headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Het andere debat" in html and "Blocks publishing" in html

    # saved as a draft all the same (a draft may clash); the debate page lists the conflict
    response = post_form(english, f"{ADMIN}/nieuw", form_data(venue, election, local_evening(10, 20)),
                         token_from=f"{ADMIN}/nieuw")
    assert response.status_code == 302
    debate = db_session.scalar(select(Debate).where(Debate.title == "Debat over muziekles"))
    assert debate.coordinator_id is None and [t.title for t in debate.topics] == ["Muziekles op school",
                                                                                  "Btw op lessen"]
    page = english.get(response.location).get_data(as_text=True)
    assert "Het andere debat" in page and "Blocks publishing" in page

    # confirming is refused, naming the other debate
    response = post_form(english, f"{ADMIN}/{debate.id}/bevestigen", token_from=f"{ADMIN}/{debate.id}")
    assert response.status_code == 422 and "Het andere debat" in response.get_data(as_text=True)

    # resolved: a later start
    edit = f"{ADMIN}/{debate.id}/bewerken"
    response = post_form(english, edit, form_data(venue, election, local_evening(10, 21, 30),
                                                  debate_id=str(debate.id)), token_from=edit)
    assert response.status_code == 302
    assert post_form(english, f"{ADMIN}/{debate.id}/bevestigen", token_from=f"{ADMIN}/{debate.id}").status_code == 302
    review = english.get(f"{ADMIN}/{debate.id}/controle").get_data(as_text=True)
    assert "disabled" not in review and "Changeover" not in review
    response = post_form(english, f"{ADMIN}/{debate.id}/publiceren", token_from=f"{ADMIN}/{debate.id}/controle")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Debate, debate.id).status == "published"
    assert booked.id != debate.id


def test_the_check_without_javascript_shows_the_form_again_with_the_conflicts(english, coordinator, debates,
                                                                             election):
    booked = debates.create("confirmed", starts_at=local_evening(10, 19), title="Het andere debat")
    response = post_form(english, f"{ADMIN}/controleren", form_data(booked.venue, election, local_evening(10, 20)),
                         token_from=f"{ADMIN}/nieuw")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and 'action="/beheer/debatten/nieuw"' in html
    assert "Het andere debat" in html and 'value="Debat over muziekles"' in html


def test_the_check_of_a_saved_debate_leaves_the_debate_itself_out(english, coordinator, debates, election, venues):
    debate = debates.create("confirmed", starts_at=local_evening(10, 19))
    theirs = debates.create("draft", venue=venues.create("GM0355"))
    token = csrf_token(english, f"{ADMIN}/{debate.id}/bewerken")
    data = {**form_data(debate.venue, election, debate.starts_at), "csrf_token": token}
    for debate_id, expected in ((str(debate.id), 200), ("9" * 30, 200), (str(theirs.id), 404)):
        response = english.post(f"{ADMIN}/controleren", data={**data, "debate_id": debate_id},
                                headers={"HX-Request": "true"})
        assert response.status_code == expected
    response = english.post(f"{ADMIN}/controleren", data={**data, "debate_id": str(debate.id)},
                            headers={"HX-Request": "true"})
    assert "No conflicts found." in response.get_data(as_text=True)
    response = english.post(f"{ADMIN}/controleren", data=data, headers={"HX-Request": "true"})  # as a new one
    assert debate.title in response.get_data(as_text=True)


def test_a_prefilled_time_in_a_year_no_form_accepts_is_left_out_not_a_server_error(english, coordinator, venues,
                                                                                    election):
    """The slot search's "schedule this" link fills in the editor from the query string, where anything can be
    typed; the conflict check beside the form cannot reckon with year 1 or 9999 (a window past midnight)."""
    venue = venues.create(windows=[(weekday, "18:00", "00:00") for weekday in range(7)])
    for start, end in (("9999-12-31T20:00", "9999-12-31T22:00"), ("0001-01-01T00:30", "0001-01-01T02:00")):
        response = english.get(f"{ADMIN}/nieuw", query_string={"venue": venue.id, "municipality": "GM0344",
                                                               "starts_at": start, "ends_at": end})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and f'value="{start}"' not in html and f'value="{end}"' not in html


def test_the_editor_names_bad_fields_and_saves_nothing(english, coordinator, venues, election, db_session):
    venue = venues.create(capacity=50)
    response = post_form(english, f"{ADMIN}/nieuw", form_data(venue, election, local_evening(10, 20), title=""),
                         token_from=f"{ADMIN}/nieuw")
    assert response.status_code == 422 and 'id="title-error"' in response.get_data(as_text=True)
    # the form lets it through, the domain names it
    response = post_form(english, f"{ADMIN}/nieuw", form_data(venue, election, local_evening(10, 20), capacity="60"),
                         token_from=f"{ADMIN}/nieuw")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="capacity-error"' in html and "At most 50" in html
    assert f"{venue.name}, Utrecht (50 people)" in html  # the venue's choice
    response = post_form(english, f"{ADMIN}/nieuw", form_data(venue, election, local_evening(10, 20),
                                                              starts_at="0001-01-01T20:00"),
                         token_from=f"{ADMIN}/nieuw")
    assert response.status_code == 422 and 'id="starts_at-error"' in response.get_data(as_text=True)
    # an id no column holds is no choice (not a database error)
    for field in ("venue_id", "election_id", "municipality_id"):
        data = form_data(venue, election, local_evening(10, 20), **{field: "9" * 30})
        response = post_form(english, f"{ADMIN}/nieuw", data, token_from=f"{ADMIN}/nieuw")
        assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True), field
        assert post_form(english, f"{ADMIN}/controleren", data, token_from=f"{ADMIN}/nieuw").status_code == 200
    assert db_session.scalar(select(Debate)) is None


def test_review_shows_what_blocks_and_disables_publishing(english, coordinator, debates):
    debate = debates.create("confirmed", capacity=10)
    debate.venue.capacity = 5
    db.session.commit()
    html = english.get(f"{ADMIN}/{debate.id}/controle").get_data(as_text=True)
    assert "Blocks publishing" in html and 'disabled aria-describedby="publish-blocked"' in html
    assert f'action="{ADMIN}/{debate.id}/publiceren"' not in html
    response = post_form(english, f"{ADMIN}/{debate.id}/publiceren", token_from=f"{ADMIN}/{debate.id}")
    assert response.status_code == 422 and "The debate was not published" in response.get_data(as_text=True)


def test_cancel_from_the_debate_page(english, coordinator, debates, db_session):
    debate = debates.create("published")
    page = f"{ADMIN}/{debate.id}"
    response = post_form(english, f"{page}/annuleren", {"reason": ""}, token_from=page)
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    response = post_form(english, f"{page}/annuleren", {"reason": "Te weinig partijen."}, token_from=page)
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Debate, debate.id).status == "cancelled"
    html = english.get(page).get_data(as_text=True)
    assert "Te weinig partijen." in html and f"{page}/bewerken" not in html
    assert english.get(f"{page}/bewerken").status_code == 302
    # once more: refused, saying why (the status, not the reason typed)
    response = post_form(english, f"{page}/annuleren", {"reason": "Nog eens."}, token_from=page)
    assert response.status_code == 422
    assert "This debate is cancelled; it can no longer be cancelled." in response.get_data(as_text=True)


def test_a_coordinator_sees_only_their_own_municipalities(english, coordinator, debates, venues):
    mine = debates.create("draft", title="Debat in Utrecht")
    theirs = debates.create("draft", venue=venues.create("GM0355"), title="Debat in Zeist")
    listing = english.get(f"{ADMIN}/").get_data(as_text=True)
    assert "Debat in Utrecht" in listing and "Debat in Zeist" not in listing
    assert english.get(f"{ADMIN}/{theirs.id}").status_code == 404
    assert post_form(english, f"{ADMIN}/{theirs.id}/bevestigen", token_from=f"{ADMIN}/{mine.id}").status_code == 404
    assert db.session.get(Debate, theirs.id).status == "draft"


def test_the_conflicts_link_only_to_debates_the_reader_may_open(english, coordinator, debates, places, db_session):
    mine = debates.create("draft", title="Mijn debat")
    ours = debates.create("draft", venue=mine.venue, title="Ons andere debat")  # the same hall, the same evening
    theirs = debates.create("confirmed", venue=mine.venue, starts_at=mine.starts_at + HOUR, title="Hun debat")
    theirs.municipality = places["GM0355"]  # a debate of Zeist in a hall of Utrecht
    db_session.commit()
    page = english.get(f"{ADMIN}/{mine.id}").get_data(as_text=True)
    assert "Ons andere debat" in page and "Hun debat" in page
    assert f'href="{ADMIN}/{ours.id}"' in page and f'href="{ADMIN}/{theirs.id}"' not in page


def test_the_list_filters_by_status_and_time(english, coordinator, debates):
    debates.create("draft", title="Concept-debat")
    debates.create("published", title="Gepubliceerd debat")
    debates.create("held", starts_at=utcnow() - 50 * HOUR, title="Gehouden debat")
    upcoming = english.get(f"{ADMIN}/").get_data(as_text=True)
    assert "Concept-debat" in upcoming and "Gepubliceerd debat" in upcoming and "Gehouden debat" not in upcoming
    drafts = english.get(f"{ADMIN}/?status=draft&when=all").get_data(as_text=True)
    assert "Concept-debat" in drafts and "Gepubliceerd debat" not in drafts
    past = english.get(f"{ADMIN}/?when=past").get_data(as_text=True)
    assert "Gehouden debat" in past and "Concept-debat" not in past
    assert english.get(f"{ADMIN}/?status=nonsense").status_code == 422


def test_the_workspace_lists_the_coordinators_upcoming_debates(english, coordinator, debates, venues):
    debates.create("confirmed", title="Mijn debat")
    debates.create("cancelled", title="Afgelast debat")
    debates.create("published", venue=venues.create("GM0014"), title="Debat in Groningen")
    debates.create("draft", venue=venues.create("GM0855"), title="Debat in Tilburg", coordinator=coordinator)
    html = english.get("/werkplek/").get_data(as_text=True)
    assert "Your debates" in html and "Mijn debat" in html
    assert "Afgelast debat" not in html and "Debat in Groningen" not in html
    assert "Debat in Tilburg" in html  # elsewhere, but they coordinate it
    assert f'href="{ADMIN}/nieuw"' in html

"""Registration for debates: seats and the waitlist, moving up, the personal link, closed debates, one
registration per address, reminders, check-in at the door, the lists (screen, print, CSV) and the purge."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, utcnow
from campaign.core.security import token_hash
from campaign.coordinators.privacy_cli import purge_command
from campaign.coordinators.training_cli import send_reminders_command
from campaign.debates import registration
from campaign.debates.models import Debate, Registration
from campaign.debates.privacy import purge_registrations

from tests.conftest import limited_app
from tests.debates.conftest import DebateFactory, VenueFactory, local_evening
from tests.factories import create_places
from tests.helpers import csrf_token, post_form

STAFF = Actor.system("tests")
LINK = re.compile(r"https?://[^/\s]+(/debatten/aanmelding/[\w-]+)")


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def english(client):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client


def sign_up(debate, name="Sanne de Vries", email="sanne@example.org", seats=1, language="en", **changes):
    """Register through the domain function and commit (so the mail goes out), as the views do."""
    from campaign.extensions import db

    found = registration.register(debate, name=name, email=email, seats=seats, language=language, **changes)
    db.session.commit()
    return found


def calendar_of(message) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert parts[0].get_filename() == "debate.ics"
    content = parts[0].get_content()
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def mails_to(mailbox, address: str) -> list:
    return [m for m in mailbox.messages() if m["To"] == address]


def link_path(mailbox, message) -> str:
    match = LINK.search(mailbox.body(message))
    assert match, mailbox.body(message)
    return match.group(1)


# --- seats and the waitlist ----------------------------------------------------------------------------------

def test_seats_until_full_then_the_waitlist_all_or_nothing_and_in_order(debates, db_session):
    debate = debates.create(capacity=5)
    first = sign_up(debate, email="a@example.org", seats=3)
    too_many = sign_up(debate, email="b@example.org", seats=3)  # 2 seats are free: no partial seats
    small = sign_up(debate, email="c@example.org", seats=2)  # would fit, but does not pass the one waiting
    assert (first.status, too_many.status, small.status) == ("confirmed", "waitlisted", "waitlisted")
    counts = registration.counts([debate.id])[debate.id]
    assert (counts.confirmed_seats, counts.waitlisted_seats, counts.free_seats, counts.seats_left) == (3, 5, 2, 0)
    assert [r.id for r in registration.waitlist(debate)] == [too_many.id, small.id]
    assert registration.waitlist_position(small) == 2


def test_the_confirmation_mail_has_the_personal_link_and_the_calendar_file_in_the_registrants_language(
        debates, mailbox, db_session):
    debate = debates.create(title="Cultuurdebat Utrecht", capacity=2)
    seated = sign_up(debate, name="Anna", email="anna@example.org", seats=2, language="en")
    waiting = sign_up(debate, name="Bram", email="bram@example.org", language="nl")

    (confirmation,) = mails_to(mailbox, "anna@example.org")
    assert confirmation["Subject"] == "You are registered: Cultuurdebat Utrecht"
    body = mailbox.body(confirmation)
    assert "Your 2 seats are reserved" in body and debate.venue.name in body
    event = calendar_of(confirmation).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Cultuurdebat Utrecht"
    assert event.decoded("DTSTART") == debate.starts_at.replace(tzinfo=dt.timezone.utc)
    token = link_path(mailbox, confirmation).rsplit("/", 1)[1]
    assert seated.token_hash == token_hash(token)  # only the hash is stored

    (notice,) = mails_to(mailbox, "bram@example.org")
    assert mailbox.body(notice).startswith("Hallo Bram,")  # Bram registered in Dutch
    assert not list(notice.iter_attachments())
    assert link_path(mailbox, notice) != link_path(mailbox, confirmation)
    assert waiting.status == "waitlisted"


def test_a_cancellation_moves_the_waitlist_up_in_order_with_mail_and_calendar_file(debates, mailbox, db_session):
    debate = debates.create(capacity=4)
    a = sign_up(debate, email="a@example.org", seats=2)
    b = sign_up(debate, email="b@example.org", seats=2)
    c = sign_up(debate, email="c@example.org", seats=3)
    d = sign_up(debate, email="d@example.org", seats=1)
    assert (c.status, d.status) == ("waitlisted", "waitlisted")
    mailbox.clear()

    # Two seats free: the first in line needs three and waits; the one behind does not pass.
    assert registration.cancel(a) == []
    db_session.commit()
    assert (c.status, d.status) == ("waitlisted", "waitlisted")
    assert [m["Subject"] for m in mailbox.messages()] == [f"Registration cancelled: {debate.title}"]
    mailbox.clear()

    promoted = registration.cancel(b)
    db_session.commit()
    assert [r.id for r in promoted] == [c.id, d.id]
    assert (c.status, d.status) == ("confirmed", "confirmed") and c.promoted_at is not None
    assert registration.counts([debate.id])[debate.id].confirmed_seats == 4
    for person in (c, d):
        (mail,) = mails_to(mailbox, person.email)
        assert mail["Subject"].startswith("A seat came free")
        assert calendar_of(mail).walk("VEVENT")[0]["UID"] == f"debate-{debate.id}@cultuurwijzer.test"
    moves = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.promote")
                               .order_by(AuditEntry.id)).all()
    assert [e.object_id for e in moves] == [str(c.id), str(d.id)]
    assert all("@" not in str(e.after) for e in moves)


def test_a_waitlisted_registration_that_leaves_lets_the_ones_behind_it_move_up(debates, db_session):
    debate = debates.create(capacity=3)
    sign_up(debate, email="a@example.org", seats=2)
    big = sign_up(debate, email="b@example.org", seats=3)
    small = sign_up(debate, email="c@example.org", seats=1)
    assert registration.cancel(big) == [small]
    assert small.status == "confirmed"


def test_a_larger_capacity_fills_free_seats_from_the_waitlist(debates, mailbox, db_session):
    debate = debates.create(capacity=1)
    sign_up(debate, email="a@example.org")
    waiting = sign_up(debate, email="b@example.org", seats=2)
    debate.capacity = 3
    promoted = registration.fill_free_seats(debate, actor=STAFF)
    db_session.commit()
    assert promoted == [waiting] and waiting.status == "confirmed"
    assert mails_to(mailbox, "b@example.org")[-1]["Subject"].startswith("A seat came free")


@pytest.mark.parametrize("case", ["started", "cancelled"])
def test_nobody_moves_up_for_a_debate_that_has_started_or_was_cancelled(debates, db_session, case):
    debate = debates.create(capacity=1)
    seated = sign_up(debate, email="a@example.org")
    waiting = sign_up(debate, email="b@example.org")
    if case == "cancelled":
        debate.status = "cancelled"
        db_session.commit()
        assert registration.cancel(seated) == []
    else:  # a seat given up after the start (the organiser's list) goes to nobody
        debate.capacity = 2
        db_session.commit()
        assert registration.fill_free_seats(debate, actor=STAFF, now=debate.starts_at + dt.timedelta(minutes=1)) == []
    assert waiting.status == "waitlisted"


# --- closed, bad input, one per address ----------------------------------------------------------------------

@pytest.mark.parametrize("case", ["draft", "closed_by_organiser", "started", "cancelled", "held"])
def test_no_registration_when_registration_is_closed(debates, db_session, mailbox, case):
    debate = {
        "draft": lambda: debates.create("confirmed"),
        "closed_by_organiser": lambda: debates.create(registration_open=False),
        "started": lambda: debates.create(starts_at=utcnow() - dt.timedelta(minutes=5)),
        "cancelled": lambda: debates.create("cancelled"),
        "held": lambda: debates.create("held", starts_at=local_evening(-2)),
    }[case]()
    with pytest.raises(registration.RegistrationClosed) as closed:
        registration.register(debate, name="Sanne", email="sanne@example.org", seats=1, language="en")
    assert closed.value.message
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0
    assert mailbox.messages() == []


def test_bad_input_names_each_field_and_writes_nothing(debates, db_session):
    debate = debates.create(max_seats_per_registration=4)
    with pytest.raises(ValidationFailed) as failed:
        registration.register(debate, name="  ", email="not-an-address", seats=5, language="en")
    assert {p.field for p in failed.value.problems} == {"name", "email", "seats"}
    assert "van 1 tot en met 4" in next(p.message for p in failed.value.problems if p.field == "seats")
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0


def test_one_live_registration_per_address_and_a_new_one_after_cancelling(debates, db_session):
    debate = debates.create()
    first = sign_up(debate, email="Sanne@Example.org")
    assert first.email == "sanne@example.org"
    with pytest.raises(ValidationFailed) as failed:
        registration.register(debate, name="Sanne", email="sanne@example.ORG ", seats=1, language="en")
    (problem,) = failed.value.problems
    assert problem.field == "email" and "al aangemeld" in problem.message
    db_session.rollback()
    registration.cancel(first)
    db_session.commit()
    again = sign_up(debate, email="sanne@example.org")
    assert again.status == "confirmed" and again.id != first.id
    other = sign_up(debates.create(), email="sanne@example.org")  # another debate is another registration
    assert other.status == "confirmed"


# --- the public form -----------------------------------------------------------------------------------------

def register_form(client, debate, **changes):
    data = {"name": "Sanne de Vries", "email": "sanne@example.org", "seats": "1", **changes}
    path = f"/debatten/{debate.id}"
    return post_form(client, f"{path}/aanmelden", {k: v for k, v in data.items() if v is not None}, token_from=path)


def test_the_form_registers_and_says_so_in_words(english, debates, mailbox, db_session):
    debate = debates.create(capacity=2, title="Debat in de bibliotheek")
    page = html(english.get(f"/debatten/{debate.id}"))
    assert "2 seats left" in page and 'action="/debatten/%d/aanmelden"' % debate.id in page

    response = register_form(english, debate, seats="2")
    assert response.status_code == 302 and response.location == f"/debatten/{debate.id}/aangemeld"
    assert "You have a seat." in html(english.get(response.location))
    assert "Fully booked." in html(english.get(f"/debatten/{debate.id}"))

    waiting = register_form(english, debate, email="second@example.org")
    assert waiting.location == f"/debatten/{debate.id}/wachtlijst"
    assert "you are on the waitlist" in html(english.get(waiting.location))
    stored = db_session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [(r.status, r.seats, r.language) for r in stored] == [("confirmed", 2, "en"), ("waitlisted", 1, "en")]
    assert len(mailbox.messages()) == 2


def test_a_form_with_problems_comes_back_on_the_debate_page_with_422(english, debates, db_session):
    debate = debates.create(max_seats_per_registration=3)
    response = register_form(english, debate, name="", email="nope", seats="9")
    assert response.status_code == 422
    page = html(response)
    assert debate.title in page  # the debate page itself
    assert "Enter your name." in page and "Enter a valid email address" in page
    assert "Choose a number of seats from 1 to 3." in page
    assert 'value="nope"' in page  # what was typed stays
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0

    sign_up(debate, email="taken@example.org")
    again = register_form(english, debate, email="taken@example.org")
    assert again.status_code == 422 and "already registered for this debate" in html(again)


def test_htmx_gets_the_section_back_or_a_redirect(english, debates, db_session):
    debate = debates.create()
    token = csrf_token(english, f"/debatten/{debate.id}")
    path = f"/debatten/{debate.id}/aanmelden"
    bad = english.post(path, data={"csrf_token": token, "name": "", "email": "x@example.org", "seats": "1"},
                       headers={"HX-Request": "true"})
    assert bad.status_code == 422
    assert '<section id="registration"' in html(bad) and "<html" not in html(bad)
    assert "Enter your name." in html(bad)
    good = english.post(path, data={"csrf_token": token, "name": "Sanne", "email": "x@example.org", "seats": "1"},
                        headers={"HX-Request": "true"})
    assert good.status_code == 200 and good.headers["HX-Redirect"] == f"/debatten/{debate.id}/aangemeld"


def test_a_closed_debate_shows_why_and_refuses_the_form(english, debates, db_session):
    debate = debates.create()
    token = csrf_token(english, f"/debatten/{debate.id}")
    debate.registration_open = False
    db_session.commit()
    page = html(english.get(f"/debatten/{debate.id}"))
    assert "Registration is closed." in page and "The organiser has closed registration" in page
    assert "/aanmelden" not in page
    response = english.post(f"/debatten/{debate.id}/aanmelden",
                            data={"csrf_token": token, "name": "Sanne", "email": "s@example.org", "seats": "1"})
    assert response.status_code == 409 and "The organiser has closed registration" in html(response)
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0


def test_waitlist_only_when_seats_are_free_but_people_wait(english, debates, db_session):
    debate = debates.create(capacity=3)
    first = sign_up(debate, email="a@example.org", seats=2)
    sign_up(debate, email="b@example.org", seats=2)  # waits
    sign_up(debate, email="c@example.org", seats=1)  # one seat is free, but b is first in line
    page = html(english.get(f"/debatten/{debate.id}"))
    assert "Waitlist only." in page and "Join the waitlist" in page
    registration.cancel(first)  # b moves up, and c behind it
    db_session.commit()
    page = html(english.get(f"/debatten/{debate.id}"))
    assert "Fully booked." in page and "Waitlist only." not in page


def test_the_honeypot_stores_and_sends_nothing(client, debates, mailbox, db_session):
    debate = debates.create()
    response = register_form(client, debate, website="https://spam.example")
    assert response.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0 and mailbox.messages() == []


def test_unpublished_debates_have_no_form(client, debates, db_session):
    draft, published = debates.create("draft"), debates.create()
    token = csrf_token(client, f"/debatten/{published.id}")
    response = client.post(f"/debatten/{draft.id}/aanmelden",
                           data={"csrf_token": token, "name": "Sanne", "email": "s@example.org", "seats": "1"})
    assert response.status_code == 404
    assert client.get(f"/debatten/{draft.id}/aangemeld").status_code == 404
    assert db_session.scalar(select(func.count()).select_from(Registration)) == 0


@pytest.fixture()
def strict_app(tmp_path):
    application = limited_app(tmp_path, DEBATE_REGISTRATION_RATE_LIMIT="2 per minute")
    with application.app_context():
        from campaign.core.models import Election
        from campaign.extensions import db

        election = Election(slug="limit-2027", name="Limiet", date=(utcnow() + dt.timedelta(days=90)).date())
        db.session.add(election)
        debate = DebateFactory(db.session, VenueFactory(db.session, create_places(db.session)), election).create()
        application.config["TEST_DEBATE_ID"] = debate.id
    return application


def test_the_form_is_rate_limited(strict_app):
    client = strict_app.test_client()
    debate_id = strict_app.config["TEST_DEBATE_ID"]
    token = csrf_token(client, f"/debatten/{debate_id}")
    codes = [client.post(f"/debatten/{debate_id}/aanmelden", data={
        "csrf_token": token, "name": "Sanne", "email": f"p{i}@example.org", "seats": "1"}).status_code
        for i in range(3)]
    assert codes == [302, 302, 429]
    assert client.get(f"/debatten/{debate_id}").status_code == 200  # reading the page is not limited


# --- the personal link ---------------------------------------------------------------------------------------

def test_the_personal_link_shows_the_registration_and_cancels_it_once(english, debates, mailbox, db_session):
    debate = debates.create(capacity=1, title="Debat met link")
    seated = sign_up(debate, name="Anna", email="anna@example.org")
    waiting = sign_up(debate, name="Bram", email="bram@example.org")
    path = link_path(mailbox, mails_to(mailbox, "anna@example.org")[0])
    waiting_path = link_path(mailbox, mails_to(mailbox, "bram@example.org")[0])
    mailbox.clear()

    page = english.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert "Anna" in html(page) and "You have a seat." in html(page)
    assert "You are number 1 on the waitlist." in html(english.get(waiting_path))
    confirm = html(english.get(path + "?annuleren=1"))
    assert "Cancel your registration?" in confirm and "Yes, cancel my registration" in confirm
    assert db_session.get(Registration, seated.id).status == "confirmed"  # looking changes nothing

    response = post_form(english, path, token_from=path + "?annuleren=1")
    assert response.status_code == 302 and response.location == path
    after = english.get(path)
    assert "Your registration has been cancelled" in html(after)
    db_session.expire_all()
    assert (db_session.get(Registration, seated.id).status, db_session.get(Registration, waiting.id).status) == \
        ("cancelled", "confirmed")
    assert sorted(m["To"] for m in mailbox.messages()) == ["anna@example.org", "bram@example.org"]

    again = post_form(english, path)  # a second click: nothing more happens
    assert again.status_code == 200 and "Your registration has been cancelled" in html(again)
    assert len(mailbox.messages()) == 2
    cancels = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "registration.cancel")
    assert db_session.scalar(cancels) == 1


def test_an_unknown_link_is_404_and_a_started_debate_cannot_be_cancelled(english, debates, mailbox, db_session):
    assert english.get("/debatten/aanmelding/not-a-real-token").status_code == 404
    assert post_form(english, "/debatten/aanmelding/not-a-real-token").status_code == 404
    debate = debates.create()
    seated = sign_up(debate)
    path = link_path(mailbox, mailbox.messages()[0])
    token = csrf_token(english, path + "?annuleren=1")
    debate.starts_at = utcnow() - dt.timedelta(minutes=1)
    db_session.commit()
    assert "Cancel my registration" not in html(english.get(path))
    response = english.post(path, data={"csrf_token": token})
    assert response.status_code == 422 and "can no longer be cancelled" in html(response)
    db_session.expire_all()
    assert db_session.get(Registration, seated.id).status == "confirmed"


# --- reminders -----------------------------------------------------------------------------------------------

def test_reminders_go_once_to_seats_only_with_the_calendar_file(app, debates, venues, mailbox, db_session):
    soon = debates.create(capacity=1, starts_at=utcnow() + dt.timedelta(hours=20), title="Morgen debat")
    later = debates.create(starts_at=utcnow() + dt.timedelta(hours=40))
    seated = sign_up(soon, email="seat@example.org")
    sign_up(soon, email="waiting@example.org")
    gone = sign_up(later, email="gone@example.org")
    sign_up(later, email="later@example.org")
    registration.cancel(gone)
    db_session.commit()
    mailbox.clear()

    assert [r.id for r in registration.due_reminders(24)] == [seated.id]
    runner = app.test_cli_runner()
    dry = runner.invoke(send_reminders_command, ["--dry-run"])
    assert "1 herinnering zou worden verstuurd voor debatten die binnen 24 uur beginnen" in dry.output, dry.output
    assert mailbox.messages() == []

    result = runner.invoke(send_reminders_command, [])
    assert result.exit_code == 0 and "1 herinnering verstuurd voor debatten" in result.output, result.output
    (reminder,) = mailbox.messages()
    assert reminder["To"] == "seat@example.org" and reminder["Subject"].startswith("Reminder: Morgen debat")
    assert str(calendar_of(reminder).walk("VEVENT")[0]["SUMMARY"]) == "Morgen debat"
    again = runner.invoke(send_reminders_command, [])
    assert "0 herinneringen verstuurd voor debatten" in again.output
    assert len(mailbox.messages()) == 1
    wider = runner.invoke(send_reminders_command, ["--debate-hours", "48", "--dry-run"])
    assert "1 herinnering zou worden verstuurd voor debatten die binnen 48 uur beginnen" in wider.output  # not the cancelled one


# --- the back office: check-in list, check-in, CSV, print ----------------------------------------------------

@pytest.fixture()
def tonight(debates):
    """A debate in Utrecht with three seats and a waitlist that began a minute ago (so check-in is open at any
    time of day the tests run: people registered while it was still to come)."""
    debate = debates.create(capacity=3, starts_at=local_evening(1), title="Vanavond")
    sign_up(debate, name="Zoë Zwart", email="zoe@example.org")
    sign_up(debate, name="anna Appel", email="anna@example.org")
    sign_up(debate, name="=HYPERLINK(\"http://evil.example\")", email="evil@example.org")
    sign_up(debate, name="Wim Wachter", email="wim@example.org", seats=2)
    debate.starts_at = utcnow() - dt.timedelta(minutes=1)
    debate.ends_at = debate.starts_at + dt.timedelta(hours=2)
    debates.session.commit()
    return debate


def staff(client, users, municipality="GM0344", role="coordinator"):
    user = users.create(role, municipalities=[municipality])
    users.login(client, user)
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return user


def test_the_check_in_list_seats_alphabetically_then_the_waitlist_with_a_search(client, users, tonight):
    staff(client, users)
    page = html(client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen"))
    names = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert names == ["=HYPERLINK(&#34;http://evil.example&#34;)", "anna Appel", "Zoë Zwart"]
    assert page.index("Zoë Zwart") < page.index("Wim Wachter")  # the waitlist below
    assert "3 of 3" in page and "2 seats" in page
    found = html(client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen?q=ANNA"))
    assert "anna Appel" in found and "Zoë Zwart" not in found
    fragment = client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen?q=wim", headers={"HX-Request": "true"})
    assert "<html" not in html(fragment) and "Wim Wachter" in html(fragment) and "anna Appel" not in html(fragment)


def test_check_in_without_javascript_and_with_htmx_and_undo(client, users, tonight, db_session):
    staff(client, users)
    anna = db_session.scalar(select(Registration).where(Registration.email == "anna@example.org"))
    wim = db_session.scalar(select(Registration).where(Registration.email == "wim@example.org"))
    base = f"/beheer/debatten/{tonight.id}/aanmeldingen"
    list_token = csrf_token(client, base)

    response = client.post(f"{base}/{anna.id}/inchecken", data={"csrf_token": list_token})
    assert response.status_code == 302 and response.location == f"{base}#registration-{anna.id}"
    db_session.expire_all()
    assert db_session.get(Registration, anna.id).checked_in_at is not None
    assert "1 of 3 seats" in html(client.get(base))
    again = client.post(f"{base}/{anna.id}/inchecken", data={"csrf_token": list_token},
                        headers={"HX-Request": "true"})
    assert again.status_code == 422 and "Already checked in." in html(again)

    row = client.post(f"{base}/{anna.id}/inchecken-ongedaan", data={"csrf_token": list_token},
                      headers={"HX-Request": "true"})
    assert row.status_code == 200 and html(row).lstrip().startswith(f'<tr id="registration-{anna.id}"')
    assert "not yet" in html(row) and "Check-in undone: anna Appel." in html(row)
    twice = client.post(f"{base}/{anna.id}/inchecken-ongedaan", data={"csrf_token": list_token},
                        headers={"HX-Request": "true"})
    assert twice.status_code == 422 and "has not been checked in" in html(twice)

    waiting = client.post(f"{base}/{wim.id}/inchecken", data={"csrf_token": list_token})
    assert waiting.status_code == 422 and "Only registrations with a seat can be checked in" in html(waiting)
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(anna.id),
                                                                 AuditEntry.object_type == "debate_registration")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["registration.create", "registration.check_in", "registration.undo_check_in"]


def test_check_in_opens_on_the_day_of_the_debate(client, users, debates, db_session):
    debate = debates.create(starts_at=local_evening(3))
    seated = sign_up(debate)
    staff(client, users)
    base = f"/beheer/debatten/{debate.id}/aanmeldingen"
    assert "Check-in opens on the day of the debate." in html(client.get(base))
    response = post_form(client, f"{base}/{seated.id}/inchecken", token_from=base)
    assert response.status_code == 422
    with pytest.raises(ValidationFailed):
        registration.check_in(STAFF, seated, now=debate.starts_at - dt.timedelta(days=1))
    registration.check_in(STAFF, seated, now=debate.starts_at - dt.timedelta(hours=1))
    assert seated.checked_in_at is not None


def test_other_municipalities_and_other_debates_are_not_found(client, users, tonight, debates, venues, db_session):
    staff(client, users, municipality="GM0014")
    assert client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen").status_code == 404
    assert client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen.csv").status_code == 404
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    other = debates.create(starts_at=utcnow() - dt.timedelta(minutes=1))
    anna = db_session.scalar(select(Registration).where(Registration.email == "anna@example.org"))
    base = f"/beheer/debatten/{other.id}/aanmeldingen"
    assert post_form(client, f"{base}/{anna.id}/inchecken", token_from=base).status_code == 404


def test_the_csv_is_for_dutch_excel_and_never_a_formula(client, users, tonight):
    staff(client, users)
    response = client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Name", "Email address", "Seats", "Status"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil.example\")", "anna Appel", "Zoë Zwart",
                                        "Wim Wachter"]
    assert rows[-1][3:5] == ["on the waitlist", "1"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_printable_list_has_tick_boxes(client, users, tonight):
    staff(client, users)
    page = html(client.get(f"/beheer/debatten/{tonight.id}/aanmeldingen/afdrukken"))
    assert page.count('class="tick-box"') == 4  # three seats and one on the waitlist
    assert "Zoë Zwart" in page and "@example.org" not in page  # no addresses on paper


def test_the_summary_on_the_debate_page(app, users, tonight):
    from flask import render_template
    from flask_login import login_user

    with app.test_request_context("/beheer/debatten/", headers={"Accept-Language": "en"}):
        login_user(users.create("editor"))
        page = render_template("debates/admin/_registrations_summary.html", debate=tonight)
        tonight.starts_at = utcnow() + dt.timedelta(hours=1)
        later = render_template("debates/admin/_registrations_summary.html", debate=tonight)
    assert "3 of 3" in page and "2 seats" in page and "0 of 3 seats" in page
    assert f"/beheer/debatten/{tonight.id}/aanmeldingen.csv" in page
    # It says why nobody can register, as the public page does; "open" only while people can.
    assert "registration is closed" in page and ">open<" not in page and ">open<" in later


# --- the purge -----------------------------------------------------------------------------------------------

def test_the_purge_empties_names_addresses_and_links_after_the_retention_and_keeps_the_numbers(
        app, debates, mailbox, db_session):
    old = debates.create("held", starts_at=local_evening(-40), capacity=1)
    recent = debates.create("held", starts_at=local_evening(-5))
    for debate in (old, recent):
        debate.status = "published"  # registered while it was open
        debate.starts_at, debate.ends_at = local_evening(5), local_evening(5) + dt.timedelta(hours=2)
    db_session.commit()
    sign_up(old, name="Oud Persoon", email="oud@example.org")
    sign_up(old, name="Wachtend Persoon", email="wacht@example.org")
    sign_up(recent, name="Nieuw Persoon", email="nieuw@example.org")
    path = link_path(mailbox, mails_to(mailbox, "oud@example.org")[0])
    old.starts_at, old.ends_at, old.status = local_evening(-40), local_evening(-40) + dt.timedelta(hours=2), "held"
    recent.starts_at, recent.ends_at, recent.status = local_evening(-5), local_evening(-5) + dt.timedelta(hours=2), \
        "held"
    db_session.commit()

    dry = purge_registrations(utcnow(), dry_run=True)
    assert (dry.debates, dry.registrations) == ([old.id], 2)
    runner = app.test_cli_runner()
    output = runner.invoke(purge_command, []).output
    assert "Aanmelders van debatten die meer dan 30 dagen geleden zijn afgelopen: 2 " in output and str(old.id) in output
    assert "Persoon" not in output and "@" not in output
    db_session.expire_all()
    emptied = db_session.scalars(select(Registration).where(Registration.debate_id == old.id)).all()
    assert {(r.name, r.email, r.token_hash) for r in emptied} == {("", "", None)}
    assert sorted(r.status for r in emptied) == ["confirmed", "waitlisted"]
    assert registration.counts([old.id])[old.id].confirmed_seats == 1
    assert db_session.get(Debate, old.id).purged_at is not None
    kept = db_session.scalar(select(Registration).where(Registration.debate_id == recent.id))
    assert kept.email == "nieuw@example.org" and db_session.get(Debate, recent.id).purged_at is None
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.purge")).one()
    assert entry.after == {"debates": 1, "registrations": 2}
    assert app.test_client().get(path).status_code == 404  # the link opens nothing any more
    assert purge_registrations(utcnow()).debates == []  # once

"""Recruitment: the public application form, double opt-in by email, spam protection, and the overview."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from campaign.core.errors import ValidationFailed
from campaign.core.models import AuditEntry, Organisation, utcnow
from campaign.core.security import token_hash
from campaign.coordinators import recruitment
from campaign.coordinators.models import Application
from tests.conftest import limited_app
from tests.helpers import csrf_token, post_form

FORM = "/coordinatoren/GM0344"


@pytest.fixture(autouse=True)
def generous_form_limit(app, monkeypatch):
    """The shared app counts every POST of the session against one client address: raise its limit here
    (the limit itself is tested on an app of its own below)."""
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "1000 per minute")


def form_data(**changes) -> dict:
    data = {
        "name": "Sanne de Vries", "email": "sanne@example.org", "phone": "06 12345678",
        "municipalities": ["GM0344"], "organisation": "",
        "motivation": "Muziekles hoort bij elke wijk.", "availability": "Twee avonden per week.",
        "experience": "", "consent": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def apply(client, path: str = FORM, **changes):
    return post_form(client, path, form_data(**changes), token_from=path)


def count(db_session) -> int:
    return db_session.scalar(select(func.count(Application.id)))


def path_of(url: str) -> str:
    return urlsplit(url).path


def text(response) -> str:
    return response.get_data(as_text=True)


def test_apply_verify_by_post_and_get_the_confirmation(english, client, places, mailbox, db_session):
    response = apply(client, municipalities=["GM0344", "GM0355"])
    assert response.status_code == 302 and response.location == "/coordinatoren/GM0344/verstuurd"
    page = client.get(response.location)
    assert page.status_code == 200 and "Check your inbox" in text(page)

    application = db_session.scalar(select(Application))
    assert application.status == "applied" and application.language == "en"
    assert application.consent_version == "2026-1"
    assert abs(application.consent_at - utcnow()) < dt.timedelta(minutes=1)
    assert [m.code for m in application.municipalities] == ["GM0344", "GM0355"]  # Utrecht, Zeist
    assert application.phone == "06 12345678" and application.organisation is None

    [mail] = mailbox.messages()
    assert mail["To"] == "sanne@example.org" and "Confirm your application" in mail["Subject"]
    assert "72 hours" in mailbox.body(mail) and "Utrecht, Zeist" in mailbox.body(mail)
    [link] = mailbox.links(mail)
    token = path_of(link).rsplit("/", 1)[1]
    assert application.verification_hash == token_hash(token)  # the token itself is not kept
    assert token not in str(db_session.execute(select(Application.__table__)).all())
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "application.create"))
    assert entry.actor_label == "applicant (public form)"
    assert "sanne" not in str(entry.after).lower() and "Sanne" not in entry.summary

    mailbox.clear()
    page = client.get(path_of(link))
    assert page.status_code == 200 and "Confirm my application" in text(page)
    response = post_form(client, path_of(link), token_from=path_of(link))
    assert response.status_code == 302
    assert "application is confirmed" in text(client.get(response.location))
    db_session.expire_all()
    application = db_session.get(Application, application.id)
    assert application.status == "verified" and application.verified_at is not None
    assert application.verification_hash is None and application.verification_expires_at is None
    [confirmation] = mailbox.messages()
    assert confirmation["To"] == "sanne@example.org"
    assert confirmation["Subject"] == "Your application as culture coordinator is confirmed"  # in English
    actions = set(db_session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "application")))
    assert {"application.create", "application.move", "application.verify", "application.notify"} <= actions


def submit_and_get_link(client, mailbox, **changes) -> str:
    mailbox.clear()
    assert apply(client, **changes).status_code == 302
    [link] = mailbox.links(mailbox.messages()[-1])
    return path_of(link)


def test_opening_the_link_changes_nothing(client, places, mailbox, db_session):
    """Mail scanners fetch links: a GET shows the button, only the POST verifies."""
    link = submit_and_get_link(client, mailbox)
    mailbox.clear()
    for _ in range(2):
        assert client.get(link).status_code == 200
    db_session.expire_all()
    application = db_session.scalar(select(Application))
    assert application.status == "applied" and application.verification_hash is not None
    assert mailbox.messages() == []


def test_a_link_works_once(english, client, places, mailbox, db_session):
    link = submit_and_get_link(client, mailbox)
    assert post_form(client, link, token_from=link).status_code == 302
    again = client.get(link)
    assert again.status_code == 404 and "works only once" in text(again)
    token = csrf_token(client, FORM)
    assert client.post(link, data={"csrf_token": token}).status_code == 404
    assert client.get("/coordinatoren/bevestigen/not-a-real-token").status_code == 404


def test_an_expired_link_is_refused_and_the_application_stays_unverified(english, client, places, mailbox,
                                                                        db_session):
    link = submit_and_get_link(client, mailbox)
    token = csrf_token(client, FORM)
    application = db_session.scalar(select(Application))
    application.verification_expires_at = utcnow() - dt.timedelta(minutes=1)
    db_session.commit()
    mailbox.clear()
    for response in (client.get(link), client.post(link, data={"csrf_token": token})):
        assert response.status_code == 410
        assert "expired" in text(response) and 'href="/coordinatoren/GM0344"' in text(response)
    db_session.expire_all()
    assert db_session.get(Application, application.id).status == "applied"
    assert mailbox.messages() == []


@pytest.mark.parametrize("changes, field, message", [
    ({"consent": None}, "consent", "only handle your application with your consent"),
    ({"municipalities": None}, "municipalities", "Choose at least one municipality"),
    ({"email": "sanne-at-example"}, "email", "Enter a valid email address"),
    ({"motivation": "x" * (recruitment.MAX_MOTIVATION + 1)}, "motivation", "2000"),
    ({"name": "  "}, "name", "Enter your name"),
    ({"municipalities": ["GM0855"]}, "municipalities", "not a valid choice"),  # Tilburg: another province
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(english, client, places, mailbox, db_session,
                                                                     changes, field, message):
    response = apply(client, **changes)
    assert response.status_code == 422
    html = text(response)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'href="#{field}' in html  # the summary at the top links to the field
    assert count(db_session) == 0 and mailbox.messages() == []
    assert 'value="Sanne de Vries"' in html or field == "name"  # what was typed is kept


def test_the_domain_checks_everything_itself(app, places, db_session):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(ValidationFailed) as caught:
            recruitment.submit_application(
                name="", email="nope", phone="call me", municipality_codes=["GM9999"], organisation_id=-1,
                motivation="", availability="x" * 5000, experience="", consent=False, language="en",
                now=utcnow())
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "email", "phone", "municipalities", "organisation", "motivation", "availability",
                      "consent"}
    assert count(db_session) == 0


def test_unknown_municipality_is_404(client, places):
    assert client.get("/coordinatoren/GM9999").status_code == 404
    assert client.get("/coordinatoren/GM9999/verstuurd").status_code == 404


def test_the_form_offers_the_province_and_the_member_organisations(english, client, places, db_session):
    db_session.add_all([Organisation(name="Muziekschool Zeist", kind="music_school", member=True),
                        Organisation(name="Bibliotheek Utrecht", kind="partner", member=False),
                        Organisation(name="Centrum voor de Kunsten", kind="arts_centre", member=True)])
    db_session.commit()
    html = text(client.get("/coordinatoren/gm0344"))
    assert "<h1>Become a culture coordinator in Utrecht</h1>" in html
    assert re.search(r'<input checked[^>]*value="GM0344"', html)
    assert re.search(r'<input [^>]*value="GM0355"', html) and 'value="GM0855"' not in html
    organisations = re.findall(r'<option[^>]*>([^<]*)</option>', html)
    assert organisations == ["None / not through an organisation", "Centrum voor de Kunsten", "Muziekschool Zeist"]
    assert "180 days" in html and "72 hours" in html  # retention stated next to the consent
    member = db_session.scalar(select(Organisation).where(Organisation.name == "Muziekschool Zeist"))
    assert apply(client, organisation=str(member.id)).status_code == 302
    assert db_session.scalar(select(Application)).organisation_id == member.id
    partner = db_session.scalar(select(Organisation).where(Organisation.member.is_(False)))
    assert apply(client, email="other@example.org", organisation=str(partner.id)).status_code == 422


def test_the_honeypot_stores_and_sends_nothing(client, places, mailbox, db_session):
    response = apply(client, website="https://spam.example")
    assert response.status_code == 302 and response.location == "/coordinatoren/GM0344/verstuurd"
    assert count(db_session) == 0 and mailbox.messages() == []


@pytest.fixture()
def strict_app(tmp_path):
    return limited_app(tmp_path, PUBLIC_FORM_RATE_LIMIT="2 per minute")


def test_the_form_is_rate_limited(strict_app):
    client = strict_app.test_client()
    token = csrf_token(client, FORM)
    codes = [client.post(FORM, data={**form_data(email=f"p{i}@example.org"), "csrf_token": token}).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    assert client.get(FORM).status_code == 200  # reading the form is not limited


def test_a_known_address_gets_no_second_row_and_the_same_page(client, places, mailbox, db_session):
    first = apply(client)
    first_page = text(client.get(first.location))
    assert count(db_session) == 1

    # Not verified yet: the same row is updated, with a new link; the old link stops working.
    old_link = path_of(mailbox.links(mailbox.messages()[-1])[0])
    mailbox.clear()
    second = apply(client, email="Sanne@Example.org ", municipalities=["GM0355"], name="Sanne")
    assert second.location == first.location and text(client.get(second.location)) == first_page
    assert count(db_session) == 1
    application = db_session.scalar(select(Application))
    assert application.name == "Sanne" and [m.code for m in application.municipalities] == ["GM0355"]
    assert client.get(old_link).status_code == 404
    [mail] = mailbox.messages()
    new_link = path_of(mailbox.links(mail)[0])
    assert new_link != old_link
    assert post_form(client, new_link, token_from=new_link).status_code == 302

    # Verified: nothing is added or changed; the address gets a note instead of a link.
    mailbox.clear()
    third = apply(client, name="Somebody Else")
    assert third.location == first.location and text(client.get(third.location)) == first_page
    assert count(db_session) == 1
    db_session.expire_all()
    application = db_session.scalar(select(Application))
    assert application.name == "Sanne" and application.status == "verified"
    [note] = mailbox.messages()
    assert note["To"] == "sanne@example.org" and mailbox.links(note) == []


def test_a_closed_application_does_not_stop_a_new_one(client, applications, mailbox, db_session):
    applications.create("withdrawn", email="sanne@example.org")
    assert apply(client).status_code == 302
    assert count(db_session) == 2
    [mail] = mailbox.messages()
    assert len(mailbox.links(mail)) == 1


def test_the_overview_shows_where_we_still_look(english, client, applications, db_session):
    applications.create("active", municipalities=["GM0344"])
    applications.create("verified", municipalities=["GM0355"])  # applied for, but not yet active
    html = text(client.get("/coordinatoren/"))
    assert "<h1>Become a culture coordinator</h1>" in html
    provinces = re.findall(r"<h3 [^>]*>([^<]*)</h3>", html)
    assert provinces == ["Groningen", "Noord-Brabant", "Utrecht"]

    def status_of(code: str) -> str:
        item = re.search(rf'<li class="(\w+)">\s*<a href="/coordinatoren/{code}">[^<]*</a>\s*<span[^>]*>([^<]*)',
                         html)
        assert item, code
        return item.group(2)

    assert status_of("GM0344") == "has a coordinator"
    assert status_of("GM0355") == "looking for a coordinator"
    assert status_of("GM0014") == "looking for a coordinator"
    assert "1 municipality still looking for a coordinator" in html  # Utrecht: Zeist only

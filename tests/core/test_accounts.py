"""Staff accounts: sign-in, sign-out, password reset by mail, rate limits, cookies, CSRF, mail after commit."""

import re

import pytest
from flask_babel import force_locale

from campaign.core import accounts
from campaign.core.audit import Actor
from campaign.core.mail import queue_mail
from campaign.core.models import AuditEntry, User
from tests.conftest import make_app, migrate
from tests.factories import UserFactory
from tests.helpers import csrf_token, post_form

PASSWORD = UserFactory.PASSWORD  # what users.create gives every account


def login(client, email, password=PASSWORD, **extra):
    return post_form(client, "/beheer/inloggen", {"email": email, "password": password, **extra})


def test_sign_in_with_the_form_and_out_again(client, users):
    editor = users.create("editor", email="Eva@Example.org")
    response = client.get("/beheer/")
    assert response.status_code == 302 and response.location.startswith("/beheer/inloggen?next=")

    response = login(client, "eva@example.org")  # the address is matched without regard to case
    assert response.status_code == 302 and response.location == "/beheer/"
    page = client.get("/beheer/")
    assert page.status_code == 200 and editor.name in page.get_data(as_text=True)

    response = post_form(client, "/beheer/uitloggen", token_from="/beheer/")
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 302


def test_a_wrong_password_or_unknown_address_gets_the_same_answer(client, users):
    users.create("editor", email="eva@example.org")
    wrong = login(client, "eva@example.org", "not the password")
    unknown = login(client, "nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "Het e-mailadres of wachtwoord is onjuist." in response.get_data(as_text=True)  # Dutch by default
    assert client.get("/beheer/").status_code == 302


def test_sign_in_in_english(client, users):
    users.create("editor", email="eva@example.org")
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    response = login(client, "eva@example.org", "nope")
    assert "The email address or password is incorrect." in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in(client, users):
    users.create("editor", email="old@example.org", active=False)
    assert login(client, "old@example.org").status_code == 401


def test_only_local_next_targets(client, users):
    users.create("editor", email="eva@example.org")
    response = post_form(client, "/beheer/inloggen?next=https://evil.example/", {"email": "eva@example.org",
                                                                                  "password": PASSWORD})
    assert response.location == "/beheer/"


def test_session_cookie_is_httponly_samesite_and_secure(client, users):
    users.create("editor", email="eva@example.org")
    response = login(client, "eva@example.org")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_a_post_without_csrf_token_is_refused_with_a_clear_page(client, users):
    editor = users.create("editor")
    users.login(client, editor)
    response = client.post("/beheer/uitloggen")
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 200  # still signed in


def test_htmx_requests_carry_the_token_in_a_header(client, users):
    editor = users.create("editor")
    users.login(client, editor)
    html = client.get("/beheer/").get_data(as_text=True)
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html).group(1)
    response = client.post("/beheer/uitloggen", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 302


def test_citizen_pages_set_no_session_cookie(client, editions):
    editions.create()
    response = client.get("/cultuurwijzer/GM0344")
    assert not any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))


def test_password_reset_by_mail_works_once(client, users, mailbox, db_session):
    user = users.create("editor", email="eva@example.org")
    response = post_form(client, "/beheer/wachtwoord-vergeten", {"email": "eva@example.org"},
                         token_from="/beheer/wachtwoord-vergeten")
    assert response.status_code == 200
    [message] = mailbox.messages()
    assert message["To"] == "eva@example.org"
    [link] = mailbox.links(message)
    path = link.replace("http://cultuurwijzer.test", "")

    form = client.get(path)
    assert form.status_code == 200
    response = post_form(client, path, {"password": "a brand new secret", "confirm": "a brand new secret"},
                         token_from=path)
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200  # signed in by the reset

    other = client.application.test_client()
    assert login(other, "eva@example.org").status_code == 401
    assert login(other, "eva@example.org", "a brand new secret").status_code == 302
    again = client.get(path)
    assert again.status_code == 410 and "gebruikt" in again.get_data(as_text=True)
    entries = db_session.query(AuditEntry).filter_by(object_type="user", object_id=str(user.id),
                                                     action="user.password").count()
    assert entries == 1


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailbox):
    response = post_form(client, "/beheer/wachtwoord-vergeten", {"email": "nobody@example.org"},
                         token_from="/beheer/wachtwoord-vergeten")
    assert response.status_code == 200 and "nobody@example.org" in response.get_data(as_text=True)
    assert mailbox.messages() == []


def test_a_deactivated_account_gets_the_same_answer_and_no_link(client, users, mailbox):
    users.create("editor", email="old@example.org", active=False)
    response = post_form(client, "/beheer/wachtwoord-vergeten", {"email": "old@example.org"},
                         token_from="/beheer/wachtwoord-vergeten")
    assert response.status_code == 200 and "old@example.org" in response.get_data(as_text=True)
    assert mailbox.messages() == []


def test_an_admin_sends_a_new_password_link(client, users, mailbox):
    admin, editor = users.create("admin"), users.create("editor", email="eva@example.org")
    users.login(client, admin)
    path = f"/beheer/gebruikers/{editor.id}"
    response = post_form(client, f"{path}/wachtwoordlink", token_from=path, follow_redirects=True)
    assert response.status_code == 200 and "eva@example.org" in response.get_data(as_text=True)
    [message] = mailbox.messages()
    assert message["To"] == "eva@example.org"
    [link] = mailbox.links(message)
    assert client.get(link.replace("http://cultuurwijzer.test", "")).status_code == 200  # a working link


def test_links_an_admin_sends_are_dutch_and_one_asked_for_comes_in_the_page_language(client, users, mailbox):
    """Staff have no language of their own: what an admin has sent goes out in the default language."""
    admin, editor = users.create("admin"), users.create("editor", email="eva@example.org")
    users.login(client, admin)
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    path = f"/beheer/gebruikers/{editor.id}"
    assert post_form(client, f"{path}/wachtwoordlink", token_from=path).status_code == 302
    assert post_form(client, "/beheer/gebruikers/nieuw", {"email": "new@example.org", "name": "Nieuw",
                                                         "role": "editor"},
                     token_from="/beheer/gebruikers/nieuw").status_code == 302
    reset, invitation = mailbox.messages()
    assert reset["Subject"] == "Kies een nieuw wachtwoord voor de beheeromgeving van de Cultuurwijzer"
    assert "Kies je wachtwoord" in mailbox.body(invitation)
    mailbox.clear()
    assert post_form(client, "/beheer/wachtwoord-vergeten", {"email": "eva@example.org"},
                     token_from="/beheer/wachtwoord-vergeten").status_code == 200
    [asked] = mailbox.messages()
    assert asked["Subject"] == "Choose a new password for the Cultuurwijzer back office"


def test_reset_links_expire(app, client, users):
    user = users.create("editor")
    with app.test_request_context():
        token = accounts.reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/beheer/wachtwoord/{token}")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 24 * 3600
    assert response.status_code == 410 and "verlopen" in response.get_data(as_text=True)


def test_a_too_short_new_password_names_the_field(client, users, mailbox):
    user = users.create("editor")
    with client.application.test_request_context():
        token = accounts.reset_token(user)
    path = f"/beheer/wachtwoord/{token}"
    response = post_form(client, path, {"password": "short", "confirm": "short"}, token_from=path)
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)


def test_changing_the_password_signs_out_other_sessions(client, users, db_session):
    user = users.create("editor")
    users.login(client, user)
    assert client.get("/beheer/").status_code == 200
    accounts.set_password(Actor.system(), user, "another long password")
    db_session.commit()
    assert client.get("/beheer/").status_code == 302


@pytest.fixture()
def strict_app(tmp_path):
    """An app with a small sign-in limit, on its own SQLite database."""
    application = make_app("sqlite:///" + str(tmp_path / "limits.sqlite3"), LOGIN_RATE_LIMIT="3 per minute",
                           RATELIMIT_STORAGE_URI="memory://")
    migrate(application)
    return application


def test_sign_in_is_rate_limited(strict_app):
    client = strict_app.test_client()
    token = csrf_token(client)
    codes = [client.post("/beheer/inloggen", data={"email": "x@example.org", "password": "wrong",
                                                   "csrf_token": token}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "Retry-After" in client.post("/beheer/inloggen", data={"csrf_token": token}).headers
    assert client.get("/beheer/inloggen").status_code == 200  # reading the form is not limited


def test_mail_goes_out_only_after_commit(app, db_session, mailbox):
    queue_mail("a@example.org", "rolled back", "never sent")
    db_session.rollback()
    assert mailbox.messages() == []

    queue_mail("b@example.org", "committed", "sent")
    db_session.add(User(email="x@example.org", name="X", role="editor"))
    assert mailbox.messages() == []  # queued, not sent, while the transaction is open
    db_session.commit()
    [message] = mailbox.messages()
    assert message["Subject"] == "committed" and message["To"] == "b@example.org"


def test_a_failing_change_sends_no_mail(client, users, mailbox, db_session):
    """An account invitation whose save fails (address taken) sends nothing."""
    admin = users.create("admin")
    users.create("editor", email="taken@example.org")
    users.login(client, admin)
    response = post_form(client, "/beheer/gebruikers/nieuw",
                         {"email": "taken@example.org", "name": "Dup", "role": "editor"},
                         token_from="/beheer/gebruikers/nieuw")
    assert response.status_code == 422 and "bestaat al" in response.get_data(as_text=True)
    assert mailbox.messages() == []


def test_admin_creates_a_coordinator_who_sets_a_password(client, users, mailbox, db_session, editions):
    editions.create()  # brings municipality GM0344
    admin = users.create("admin")
    users.login(client, admin)
    response = post_form(client, "/beheer/gebruikers/nieuw",
                         {"email": "Co@Example.org", "name": "Coco", "role": "coordinator",
                          "municipalities": ["GM0344"]}, token_from="/beheer/gebruikers/nieuw")
    assert response.status_code == 302
    user = accounts.find_user("co@example.org")
    assert user.role == "coordinator" and [m.code for m in user.municipalities] == ["GM0344"]
    assert user.password_hash is None
    [message] = mailbox.messages()
    assert "Kies je wachtwoord" in mailbox.body(message)  # in Dutch, the default
    assert len(mailbox.links(message)) == 1
    page = client.get(f"/beheer/gebruikers/{user.id}").get_data(as_text=True)
    assert "user.create" in page and "GM0344" in page  # the audit log on the object


def test_an_admin_cannot_demote_themselves(client, users):
    admin = users.create("admin")
    users.login(client, admin)
    path = f"/beheer/gebruikers/{admin.id}"
    response = post_form(client, path, {"name": admin.name, "role": "editor", "active": "y"}, token_from=path)
    assert response.status_code == 422


def test_create_user_on_the_command_line(app, db_session):
    runner = app.test_cli_runner()
    with force_locale("en"):
        result = runner.invoke(args=["create-user", "cli@example.org", "--name", "Cli", "--role", "admin",
                                     "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    user = accounts.find_user("cli@example.org")
    assert user.role == "admin" and accounts.authenticate("cli@example.org", "long enough password") is not None
    with force_locale("en"):
        again = runner.invoke(args=["create-user", "cli@example.org", "--name", "Cli", "--role", "admin",
                                    "--password", "long enough password"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_coordinator_sees_only_their_own_municipalities(client, users, editions, db_session):
    from campaign.core.models import Municipality

    editions.create()  # Utrecht, GM0344
    db_session.add(Municipality(code="GM0014", name="Groningen", province="Groningen"))
    db_session.commit()
    users.login(client, users.create("coordinator", municipalities=["GM0014"]))
    page = client.get("/beheer/").get_data(as_text=True)
    assert "/cultuurwijzer/GM0014" in page and "/cultuurwijzer/GM0344" not in page
    assert "/beheer/cultuurwijzer/edities" not in page  # no editorial links

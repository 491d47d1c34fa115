"""The foundation: factory and settings, languages, error pages, security headers."""

import pytest

from campaign import create_app


def test_factory_takes_a_dict_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "env.sqlite3"))
    monkeypatch.setenv("FLASK_PUBLIC_CACHE_SECONDS", "60")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["PUBLIC_CACHE_SECONDS"] == 60
    overridden = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert overridden.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    from campaign.config import load_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(str(tmp_path))
    assert len(first) == 64
    assert load_secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_secret_key(str(tmp_path)) == "from-env"


def test_dutch_is_the_default_and_accept_language_is_honoured(client):
    assert '<html lang="nl">' in client.get("/cultuurwijzer/").get_data(as_text=True)
    english = client.get("/cultuurwijzer/", headers={"Accept-Language": "en-US,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    german = client.get("/cultuurwijzer/", headers={"Accept-Language": "de-DE"})
    assert '<html lang="nl">' in german.get_data(as_text=True)


def test_the_language_switch_is_remembered_in_a_cookie(client):
    response = client.get("/taal/en?next=/cultuurwijzer/methode")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cultuurwijzer/methode"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/cultuurwijzer/methode", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "How the match is calculated" in page
    client.get("/taal/nl")
    assert "Zo wordt de overeenkomst berekend" in client.get("/cultuurwijzer/methode").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil"])
def test_the_language_switch_never_redirects_to_another_host(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.headers["Location"] == "/cultuurwijzer/"


def test_unknown_language_is_404(client):
    assert client.get("/taal/de").status_code == 404


def test_404_page_in_both_languages(client):
    dutch = client.get("/bestaat-niet")
    assert dutch.status_code == 404
    assert "Pagina niet gevonden" in dutch.get_data(as_text=True)
    english = client.get("/bestaat-niet", headers={"Accept-Language": "en"})
    assert "Page not found" in english.get_data(as_text=True)


def test_500_page_in_both_languages_without_details(tmp_path):
    from tests.conftest import make_app

    app = make_app("sqlite:///" + str(tmp_path / "x.sqlite3"), TESTING=False)

    @app.get("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    dutch = client.get("/__boom")
    assert dutch.status_code == 500
    text = dutch.get_data(as_text=True)
    assert "Er ging iets mis" in text and "secret internals" not in text
    english = client.get("/__boom", headers={"Accept-Language": "en"})
    assert "Something went wrong" in english.get_data(as_text=True)


def test_422_page_in_both_languages(client, editions):
    editions.create()
    dutch = client.get("/cultuurwijzer/GM0344/resultaat?a.muziekles=perhaps")
    assert dutch.status_code == 422 and "Dit advies kan niet worden berekend" in dutch.get_data(as_text=True)
    english = client.get("/cultuurwijzer/GM0344/resultaat?a.muziekles=perhaps", headers={"Accept-Language": "en"})
    assert "Cannot calculate this advice" in english.get_data(as_text=True)


def test_security_headers_on_every_response(client):
    for url in ("/cultuurwijzer/", "/bestaat-niet", "/api/v1/editions", "/beheer/inloggen"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_htmx_is_served_from_the_npm_install(client):
    response = client.get("/vendor/htmx.min.js")
    assert response.status_code == 200 and b"htmx" in response.data[:2000]
    assert client.get("/vendor/other.js").status_code == 404


def test_health(client):
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_a_nul_byte_in_a_form_or_query_is_refused_with_a_clear_page_and_nothing_stored(client, db_session):
    """PostgreSQL cannot store NUL in text: without the check the public question form would answer 500."""
    from sqlalchemy import func, select

    from campaign.coordinators.models import Question
    from tests.helpers import post_form

    form = {"name": "Nul\x00Byte", "email": "nul@example.org", "subject": "Vraag", "body": "Mag dit?",
            "consent": "y"}
    response = post_form(client, "/vragen/nieuw", form, token_from="/vragen/nieuw")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Dit formulier bevat een teken dat niet kan worden opgeslagen (een NUL-byte)." in text
    assert db_session.scalar(select(func.count(Question.id))) == 0

    english = client.get("/kennisbank", query_string={"q": "debat\x00"}, headers={"Accept-Language": "en"})
    assert english.status_code == 400
    assert "This form contains a character that cannot be stored (a NUL byte)." in english.get_data(as_text=True)
    assert client.get("/kennisbank", query_string={"q": "debat"}).status_code == 200

    form["name"] = "Geen Nul"
    assert post_form(client, "/vragen/nieuw", form, token_from="/vragen/nieuw").status_code == 302
    assert db_session.scalar(select(func.count(Question.id))) == 1


def test_an_id_too_large_for_the_database_is_not_found(client, users):
    huge = "99999999999999999999999"
    assert client.get(f"/kennisbank/{huge}").status_code == 404
    assert client.get(f"/kennisbank/{2**31}").status_code == 404
    users.login(client, users.create("editor"))
    response = client.get(f"/beheer/coordinatoren/aanmeldingen/{huge}")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.get_data(as_text=True)
    assert client.get(f"/beheer/coordinatoren/aanmeldingen/{2**31 - 1}").status_code == 404  # in range, unknown
    # Ids in the query string are bounded the same way: a page that takes one ignores one it cannot hold.
    assert client.get(f"/beheer/cultuurwijzer/edities/nieuw?election={huge}").status_code == 200


def test_a_template_id_too_large_for_the_database_is_ignored(client, users, db_session):
    from campaign.coordinators.models import Question

    question = Question(name="Vrager", email="vrager@example.org", subject="Zaal", body="Welke zaal?")
    db_session.add(question)
    db_session.commit()
    users.login(client, users.create("editor"))
    response = client.get(f"/beheer/coordinatoren/vragen/{question.id}?template=99999999999999999999999")
    assert response.status_code == 200 and "Welke zaal?" in response.get_data(as_text=True)

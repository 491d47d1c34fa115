"""Shared fixtures: the app on SQLite and on a throwaway PostgreSQL cluster, and factories.

Every test that takes ``app`` (or ``client``/``db_session``) runs once per database in
CAMPAIGN_TEST_DATABASES (default "sqlite,postgresql"). The PostgreSQL cluster is made with initdb under
/tmp (trust auth, loopback only, fsync off), started once per session and removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db as _db

from tests.factories import ApplicationFactory, EditionFactory, Mailbox, UserFactory, create_places, edition_document
from tests.pgcluster import ThrowawayPostgres

DATABASES = [d.strip() for d in os.environ.get("CAMPAIGN_TEST_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def postgres():
    server = ThrowawayPostgres().start()
    yield server
    server.stop()


def make_app(database_url: str, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SERVER_NAME": "cultuurwijzer.test",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": extra.pop("MAIL_FILE_DIR", None) or tempfile.mkdtemp(prefix="campaign-mail-"),
        # Generous, so tests can sign in often; tests of the limit itself make an app with a small one.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PUBLIC_FORM_RATE_LIMIT": "1000 per minute",
        "DEBATE_REGISTRATION_RATE_LIMIT": "1000 per minute",
        "ANSWER_STATS_RATE_LIMIT": "1000 per minute",
        "QUALITY_SIMULATIONS": 20_000,
    }
    config.update(extra)
    return create_app(config)


def limited_app(tmp_path, **limits):
    """A migrated app of its own (SQLite under ``tmp_path``, with the test places) whose rate limits are the
    ones given, e.g. ``PUBLIC_FORM_RATE_LIMIT="2 per minute"``, for tests of the limits themselves."""
    application = make_app("sqlite:///" + str(tmp_path / "limits.sqlite3"), RATELIMIT_STORAGE_URI="memory://",
                           MAIL_FILE_DIR=str(tmp_path / "mail"), **limits)
    migrate(application)
    with application.app_context():
        create_places(_db.session)
    return application


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))


@pytest.fixture(scope="session", params=DATABASES)
def app(request, tmp_path_factory):
    backend = request.param
    if backend == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")
    elif backend == "postgresql":
        url = request.getfixturevalue("postgres").create_database("campaign_test")
    else:
        raise ValueError(f"unknown test database {backend!r}")
    application = make_app(url)
    migrate(application)
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db_session(app):
    """An app context with an empty database; every row written is removed afterwards."""
    with app.app_context():
        yield _db.session
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture()
def client(app, db_session):
    return app.test_client()


@pytest.fixture()
def editions(db_session):
    """Factory: ``editions.create(...)`` stores a small valid edition; keyword arguments change it."""
    return EditionFactory(db_session)


def count_rows(session, table: str) -> int:
    return session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


@pytest.fixture()
def mailbox(app, db_session):
    """The messages the app sent (file backend), emptied before each test."""
    box = Mailbox(app.config["MAIL_FILE_DIR"])
    box.clear()
    return box


@pytest.fixture()
def users(db_session):
    """Factory: ``users.create(role="editor")`` stores an account; ``users.login(client, user)`` signs it in."""
    return UserFactory(db_session)


@pytest.fixture()
def open_edition(editions, db_session):
    """The mini edition (alfa, beta, gamma; four statements), open for parties with a deadline in a week,
    every party with a contact address and its positions wiped, as a freshly made edition would be."""
    from campaign.core.models import utcnow

    edition = editions.create(edition_document(status="open"))
    edition.deadline = utcnow() + dt.timedelta(days=7)
    for party in edition.parties:
        party.positions.clear()
        party.contact_email = f"{party.key}@example.org"
        party.submission_status = "not_invited"
    db_session.commit()
    return edition


@pytest.fixture()
def party_links(app, open_edition, db_session):
    """party key -> token of a freshly issued personal link (mails are sent, as in real use)."""
    from campaign.core.audit import Actor
    from campaign.cultuurwijzer.submissions import issue_link

    tokens = {}
    for party in open_edition.parties:
        issue_link(Actor.system("tests"), party, lambda token, key=party.key: tokens.setdefault(key, token))
    db_session.commit()
    return tokens


@pytest.fixture()
def places(db_session):
    """code -> Municipality: Utrecht and Zeist (province Utrecht), Groningen, Tilburg (Noord-Brabant)."""
    return create_places(db_session)


@pytest.fixture()
def applications(db_session, places):
    """Factory: ``applications.create("active", municipalities=["GM0344"])`` walks an application through
    the pipeline (with its account and assignments) to the status asked for."""
    return ApplicationFactory(db_session)

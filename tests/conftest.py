"""Shared fixtures: the app on SQLite and on a throwaway PostgreSQL cluster, and factories.

Every test that takes ``app`` (or ``client``/``db_session``) runs once per database in
CAMPAIGN_TEST_DATABASES (default "sqlite,postgresql"). The PostgreSQL cluster is made with initdb under
/tmp (trust auth, loopback only, fsync off), started once per session and removed afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db as _db

from tests.factories import EditionFactory, Mailbox, UserFactory
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
        "MAIL_FILE_DIR": extra.pop("MAIL_FILE_DIR", None) or _mail_dir(),
        # Generous, so tests can sign in often; tests of the limit itself make an app with a small one.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "QUALITY_SIMULATIONS": 20_000,
    }
    config.update(extra)
    return create_app(config)


def _mail_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="campaign-mail-")


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

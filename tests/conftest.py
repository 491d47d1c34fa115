"""Shared fixtures: the app on SQLite and on a throwaway PostgreSQL cluster, and factories.

Every test that takes ``app`` (or ``client``/``db_session``) runs once per database in
CAMPAIGN_TEST_DATABASES (default "sqlite,postgresql"). The PostgreSQL cluster is made with initdb under
/tmp (trust auth, loopback only, fsync off), started once per session and removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db as _db

from tests.factories import EditionFactory

DATABASES = [d.strip() for d in os.environ.get("CAMPAIGN_TEST_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL is not installed: run `make test` (it installs Debian's postgresql)")


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, run as the `postgres` user when we are root."""

    def __init__(self):
        self.bindir = _pg_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="campaign-pg-", dir="/tmp"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(self.as_user + [str(self.bindir / args[0]), *args[1:]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir)

    def start(self) -> "ThrowawayPostgres":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


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
    }
    config.update(extra)
    return create_app(config)


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
    application.config["TEST_BACKEND"] = backend
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


@pytest.fixture()
def backend(app) -> str:
    return app.config["TEST_BACKEND"]


def count_rows(session, table: str) -> int:
    return session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()

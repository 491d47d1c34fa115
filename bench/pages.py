"""Shared by the back-office page benchmarks (``coordinators.py``, ``lobby.py``): a fresh, migrated database
per run, and pages timed in-process with their SQL statements counted."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass


@contextmanager
def fresh_app(backend: str, prefix: str):
    """A migrated app on a new SQLite file or a throwaway PostgreSQL cluster, gone afterwards."""
    from campaign.extensions import db
    from tests.conftest import make_app, migrate

    server = None
    if backend == "sqlite":
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix=prefix), "bench.sqlite3")
    else:
        from tests.pgcluster import ThrowawayPostgres

        server = ThrowawayPostgres().start()
        url = server.create_database("bench")
    try:
        app = make_app(url, SERVER_NAME=None)
        migrate(app)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        if server is not None:
            server.stop()


@dataclass(frozen=True)
class Timing:
    median: float  # ms
    p95: float  # ms
    statements: int  # SQL statements per request (the most of any request)


def time_pages(app, pages: dict[str, tuple[str | None, str]], repeat: int) -> dict[str, Timing]:
    """Each page (label -> (session user id or None for a visitor, path)) requested ``repeat`` times after two
    warm-up requests; SystemExit when one does not answer 200."""
    from tests.helpers import statements

    results = {}
    with app.app_context():
        for label, (user_id, path) in pages.items():
            client = app.test_client()
            if user_id:
                with client.session_transaction() as session:
                    session["_user_id"] = user_id
                    session["_fresh"] = True
            times, counts = [], []
            for _ in range(repeat + 2):  # the first two warm caches up
                with statements() as ran:
                    started = time.perf_counter()
                    response = client.get(path, headers={"Accept-Language": "nl"})
                    elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
                times.append(elapsed * 1000)
                counts.append(len(ran))
            measured = sorted(times[2:])
            p95 = measured[min(len(measured) - 1, round(0.95 * (len(measured) - 1)))]
            results[label] = Timing(statistics.median(measured), p95, max(counts[2:]))
    return results

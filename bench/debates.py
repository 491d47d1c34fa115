"""Debates at campaign scale: registrations over HTTP (gunicorn), conflict checks and slot suggestions.

1. **Registrations over HTTP.** For each backend a fresh database with published debates (seats for half of
   the registrations, so both the confirmed and the waitlist path run), gunicorn on 127.0.0.1 (sync workers,
   rate limits off with RATELIMIT_ENABLED=0, mail to files) with 1 and with 4 workers; a stdlib load generator
   (threads, one connection per request) POSTs N registrations to ``/api/v1/debates/<id>/registrations`` with
   a fixed number of clients in a closed loop, all for one debate (they take turns on its row lock) and spread
   over 8 debates. It prints registrations per second, p50/p95 latency and the CPU used, and checks the result:
   every answer 201, exactly the capacity confirmed, the rest waitlisted in id order, no address twice.
2. **Conflict checks and slot suggestions** (in-process, no HTTP): a municipality with 20 venues and 300
   existing debates over one month; the time ``conflicts_for`` takes for one debate and ``slots.suggest``
   takes for a whole month, with the SQL statements each runs, and the same suggestions computed naively
   (one query per candidate slot) for comparison.

    .venv/bin/python bench/debates.py [--backend sqlite|postgresql|both] [--registrations 500] [--clients 8]

The load clients run on the same 2 cores as the server: the figures are a lower bound. The script exits with
status 1 when an answer or a count is wrong. The helpers at the top (``start_server``, ``burst``,
``closed_loop``, ``seed_debate``) are shared with tests/debates/test_load.py.
"""

from __future__ import annotations

import os
import sys

# bench/ holds an http.py: drop this folder from the import path, or ``import http`` finds it.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
ROOT = os.path.dirname(_HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from bench.http import Gunicorn, pct  # noqa: E402
from bench.machine import busy_row, machine_busy, print_report  # noqa: E402

REQUEST_TIMEOUT = 120.0  # seconds for one request, queueing included


# --- shared with tests/debates/test_load.py ----------------------------------------------------------------

@contextlib.contextmanager
def start_server(database_url: str, workdir: str, *, workers: int, mail_dir: str):
    """gunicorn (sync workers) on a free port of 127.0.0.1 against ``database_url``, rate limits off, mail
    into ``mail_dir``; stopped (master and workers) when the block ends."""
    saved = {key: os.environ.get(key) for key in ("RATELIMIT_ENABLED", "MAIL_BACKEND", "MAIL_FILE_DIR")}
    os.environ.update(RATELIMIT_ENABLED="0", MAIL_BACKEND="file", MAIL_FILE_DIR=mail_dir)
    try:
        server = Gunicorn(database_url, workdir, workers)  # its environment: ours, plus the database
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@dataclass
class Answer:
    """One request's outcome. ``status`` is the HTTP status, or 0 when the request failed (see ``error``)."""

    index: int
    status: int
    body: dict | None
    headers: dict
    started: float
    finished: float
    error: str = ""

    @property
    def latency(self) -> float:
        return self.finished - self.started


def request(port: int, method: str, path: str, *, index: int = 0, payload=None, headers=None) -> Answer:
    """One request on its own connection; the JSON body parsed when there is one."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        data = None if payload is None else json.dumps(payload).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        finished = time.monotonic()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = {"text": raw[:300].decode(errors="replace")}
        return Answer(index, response.status, body, dict(response.getheaders()), started, finished)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(index, 0, None, {}, started, time.monotonic(), f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def registration(index: int, prefix: str = "load") -> dict:
    """The JSON body of the index-th registration: a distinct (fictional) person, one seat."""
    return {"name": f"Bezoeker {index} (fictief)", "email": f"{prefix}{index}@example.org", "seats": 1}


def registrations_path(debate_id: int) -> str:
    return f"/api/v1/debates/{debate_id}/registrations"


def burst(port: int, path: str, payloads: list[dict]) -> list[Answer]:
    """POST every payload at once: one thread per request, all released together by a barrier."""
    barrier = threading.Barrier(len(payloads))
    answers: list[Answer | None] = [None] * len(payloads)

    def one(index: int) -> None:
        barrier.wait()
        answers[index] = request(port, "POST", path, index=index, payload=payloads[index])

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 10)
    return [a or Answer(i, 0, None, {}, 0.0, 0.0, "no answer in time") for i, a in enumerate(answers)]


def closed_loop(port: int, jobs: list[tuple[str, dict]], clients: int) -> tuple[list[Answer], float]:
    """``clients`` threads, each POSTing the next (path, payload) job as soon as its previous request is
    answered; returns the answers and the wall time from the first request to the last answer."""
    counter = itertools.count()
    answers: list[Answer | None] = [None] * len(jobs)
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        barrier.wait()
        for index in iter(lambda: next(counter), None):
            if index >= len(jobs):
                return
            path, payload = jobs[index]
            answers[index] = request(port, "POST", path, index=index, payload=payload)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT * 4)
    return [a or Answer(i, 0, None, {}, 0.0, 0.0, "no answer") for i, a in enumerate(answers)], \
        time.monotonic() - started


def new_database(backend: str, workdir: str, name: str, postgres=None) -> str:
    """A fresh, empty database URL: an SQLite file in ``workdir`` or a new database in ``postgres``."""
    if backend == "sqlite":
        return "sqlite:///" + os.path.join(workdir, f"{name}.sqlite3")
    return postgres.create_database(name)


@contextlib.contextmanager
def workplace(backend: str, prefix: str):
    """A temporary folder, and for PostgreSQL a throwaway cluster to make databases in; both removed after."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    postgres = None
    try:
        if backend == "postgresql":
            from tests.pgcluster import ThrowawayPostgres

            postgres = ThrowawayPostgres().start()
        yield workdir, postgres
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def migrated_app(database_url: str, mail_dir: str):
    """The app as the tests make it, on a migrated database."""
    from tests.conftest import make_app, migrate

    app = make_app(database_url, SERVER_NAME=None, MAIL_FILE_DIR=mail_dir)
    migrate(app)
    return app


@contextlib.contextmanager
def factories(app):
    """Inside an app context: the ``(venues, debates)`` factories of tests/debates/conftest.py, on the test
    places (Utrecht GM0344 and others) and a fictional election 90 days ahead."""
    from sqlalchemy import select

    from campaign.core.models import Election, utcnow
    from campaign.extensions import db
    from tests.debates.conftest import DebateFactory, VenueFactory
    from tests.factories import create_places

    with app.app_context():
        places = create_places(db.session)
        election = db.session.scalar(select(Election).where(Election.slug == "load-2027"))
        if election is None:
            election = Election(slug="load-2027", name="Lastverkiezing (fictief)",
                                date=(utcnow() + dt.timedelta(days=90)).date())
            db.session.add(election)
            db.session.commit()
        venues = VenueFactory(db.session, places)
        try:
            yield venues, DebateFactory(db.session, venues, election)
        finally:
            db.session.remove()


def seed_debate(app, *, capacity: int) -> int:
    """A venue in Utrecht and one published debate there, ten days ahead, with ``capacity`` seats and open
    registration (at most 4 seats a registration); returns the debate's id."""
    with factories(app) as (venues, debates):
        venue = venues.create(capacity=max(capacity, 100))
        return debates.create("published", venue=venue, capacity=capacity, max_seats_per_registration=4).id


def stored_registrations(app, debate_id: int) -> list:
    """(id, email, seats, status, created_at) of every registration of the debate, by id."""
    from sqlalchemy import select

    from campaign.debates.models import Registration
    from campaign.extensions import db

    with app.app_context():
        rows = db.session.execute(
            select(Registration.id, Registration.email, Registration.seats, Registration.status,
                   Registration.created_at).where(Registration.debate_id == debate_id).order_by(Registration.id)
        ).all()
        db.session.remove()
        return rows


def order_problems(rows, capacity: int) -> list[str]:
    """What is wrong with the stored registrations of a one-seat-each run: exactly ``capacity`` confirmed
    seats, the rest waitlisted, every confirmed id below every waitlisted one, creation times rising with
    the id, no address twice."""
    problems = []
    confirmed = [r for r in rows if r.status == "confirmed"]
    waitlisted = [r for r in rows if r.status == "waitlisted"]
    if sum(r.seats for r in confirmed) != capacity:
        problems.append(f"{sum(r.seats for r in confirmed)} confirmed seats stored, expected {capacity}")
    if len(confirmed) + len(waitlisted) != len(rows):
        problems.append(f"{len(rows) - len(confirmed) - len(waitlisted)} rows neither confirmed nor waitlisted")
    if confirmed and waitlisted and max(r.id for r in confirmed) > min(r.id for r in waitlisted):
        problems.append("a waitlisted registration arrived before a confirmed one (ids out of order)")
    if any(b.created_at < a.created_at for a, b in zip(rows, rows[1:])):
        problems.append("creation times do not rise with the id")
    if len({r.email for r in rows}) != len(rows):
        problems.append("an address is stored twice")
    return problems


def answer_problems(answers: list[Answer]) -> list[str]:
    """Answers that are not 201 with a confirmed/waitlisted status and an id (at most five named)."""
    wrong = [a for a in answers
             if a.status != 201 or not a.body or a.body.get("status") not in ("confirmed", "waitlisted")]
    return [f"request {a.index}: {a.status or a.error} {json.dumps(a.body)[:200] if a.body else ''}"
            for a in wrong[:5]] + ([f"... {len(wrong) - 5} more"] if len(wrong) > 5 else [])


# --- 1. registrations over HTTP ----------------------------------------------------------------------------

def run_registrations(backend: str, workdir: str, *, workers: int, debates: int, registrations: int,
                      clients: int, postgres=None) -> tuple[float, list[tuple[str, str]], list[str]]:
    """One server with ``workers`` workers on a fresh database: a short warm-up on another debate, then
    ``registrations`` POSTs from ``clients`` closed-loop clients, taking turns over ``debates`` debates (each
    with seats for half of its registrations). Returns registrations per second, report rows and problems."""
    from bench.http import process_cpu

    name = f"bench_w{workers}_d{debates}"
    url = new_database(backend, workdir, name, postgres)
    mail_dir = os.path.join(workdir, f"mail-{name}")
    app = migrated_app(url, mail_dir)
    capacity = registrations // debates // 2
    warmup_debate = seed_debate(app, capacity=10)
    debate_ids = [seed_debate(app, capacity=capacity) for _ in range(debates)]
    jobs = [(registrations_path(debate_ids[i % debates]), registration(i)) for i in range(registrations)]
    with start_server(url, workdir, workers=workers, mail_dir=mail_dir) as server:
        warm, _ = closed_loop(server.port, [(registrations_path(warmup_debate), registration(i, "warm"))
                                            for i in range(8 * workers)], clients)
        problems = answer_problems(warm)
        cpu0, clients0 = process_cpu(server.pids()), process_cpu([os.getpid()])
        answers, wall = closed_loop(server.port, jobs, clients)
        cores = (process_cpu(server.pids()) - cpu0) / wall
        client_cores = (process_cpu([os.getpid()]) - clients0) / wall
        if answer_problems(answers):
            problems += answer_problems(answers) + [server.tail()]
    for debate_id in debate_ids:
        rows = stored_registrations(app, debate_id)
        problems += order_problems(rows, capacity)
        sent = sum(path == registrations_path(debate_id) for path, _payload in jobs)
        if len(rows) != sent:
            problems.append(f"debate {debate_id}: {len(rows)} registrations stored, {sent} sent")
    from campaign.extensions import db

    with app.app_context():
        db.engine.dispose()
    latencies = [a.latency * 1000 for a in answers if a.status == 201]
    rate = registrations / wall
    report = [
        (f"{workers} worker{'s' if workers > 1 else ''}, {debates} debate{'s' if debates > 1 else ''}",
         f"{rate:7.1f} registrations/s   ({registrations} in {wall:.2f} s; half confirmed, half waitlisted)"),
        ("  latency p50 / p95 / max", f"{pct(latencies, .5):7.1f} / {pct(latencies, .95):.1f} / "
                                       f"{max(latencies):.1f} ms" if latencies else "-"),
        ("  CPU cores: gunicorn / load clients", f"{cores:7.2f} / {client_cores:.2f}"),
    ]
    return rate, report, problems


def bench_registrations(backend: str, args) -> tuple[list[tuple[str, str]], list[str]]:
    """1 and 4 workers, all registrations for one debate (they take turns on its lock) and spread over 8."""
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    with workplace(backend, f"bench-debates-{backend}-") as (workdir, postgres):
        for debates in (1, 8):
            rates = {}
            for workers in (1, 4):
                rates[workers], report, found = run_registrations(
                    backend, workdir, workers=workers, debates=debates, registrations=args.registrations,
                    clients=args.clients, postgres=postgres)
                rows += report
                problems += [f"{workers} workers, {debates} debates: {p}" for p in found]
            rows.append((f"  4 workers / 1 worker, {debates} debate{'s' if debates > 1 else ''}",
                         f"{rates[4] / rates[1]:7.2f}x"))
    return rows, problems


# --- 2. conflict checks and slot suggestions ---------------------------------------------------------------

PARTIES = ("Stadspartij (fictief)", "Groen Links Voor (fictief)", "Liberaal Lokaal (fictief)",
           "Sociaal Samen (fictief)", "Christelijk Midden (fictief)", "Dorpsbelang (fictief)",
           "Ouderen Eerst (fictief)", "Jong & Stad (fictief)")


def build_month(app, *, venues: int = 20, debates: int = 300, days: int = 30, seed: int = 2026) -> dict:
    """``venues`` venues in Utrecht (a third with opening hours, a few with a closure) and ``debates`` debates
    over ``days`` days from two weeks ahead (a fifth drafts, the rest booked), each with 2 to 4 invited parties
    and their speakers, never two bookings of one venue on one evening. Returns what the measurements need."""
    import random

    from campaign.debates.models import Invitation
    from tests.debates.conftest import local_evening

    rng = random.Random(seed)
    ahead = 14
    first_day = dt.date.today() + dt.timedelta(days=ahead)
    with factories(app) as (venue_factory, debate_factory):
        halls = [venue_factory.create(
            capacity=rng.choice((40, 80, 120, 150, 200, 300, 600)),
            windows=[(weekday, "19:00", "23:30") for weekday in range(1, 6)] if number % 3 == 0 else [],
            closures=[(first_day + dt.timedelta(days=10), first_day + dt.timedelta(days=12))] if number % 7 == 0
            else []) for number in range(venues)]
        ids = []
        for hall, day in rng.sample([(hall, day) for hall in halls for day in range(days)], debates):
            debate = debate_factory.create(rng.choices(("draft", "confirmed", "published"), (2, 3, 5))[0],
                                           venue=hall, capacity=40,
                                           starts_at=local_evening(ahead + day, 20, rng.choice((0, 30))))
            for party in rng.sample(PARTIES, rng.randint(2, 4)):
                debate.invitations.append(Invitation(party_name=party, status="confirmed",
                                                     speaker_name=f"Spreker {rng.randint(1, 3)} van {party}"))
            ids.append(debate.id)
        debate_factory.session.commit()
        return {"first_day": first_day, "last_day": first_day + dt.timedelta(days=days - 1), "debates": ids}


class PerCandidate:
    """The naive way, for comparison: every candidate slot loads its own bookings (``conflicts_for``), i.e.
    a few queries per candidate instead of a few for the whole range. Same rules, so the same suggestions."""

    def __init__(self, start, end, **options):
        pass

    @staticmethod
    def check(candidate):
        from campaign.debates.conflicts import conflicts_for

        return conflicts_for(candidate)


def timed(function, repeat: int) -> tuple[float, int, object]:
    """Median wall time (ms) of ``repeat`` calls after one warm-up, the statements of one call, its result."""
    from campaign.extensions import db
    from tests.helpers import statements as counting_statements

    result = function()
    times = []
    for _ in range(repeat):
        db.session.expire_all()  # as in a fresh request: nothing cached in the session
        with counting_statements() as statements:
            started = time.perf_counter()
            result = function()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(statements), result


def bench_conflicts(backend: str, args) -> tuple[list[tuple[str, str]], list[str]]:
    from unittest import mock

    from sqlalchemy import select

    from campaign.core.models import Municipality
    from campaign.debates import conflicts, slots
    from campaign.debates.models import Debate
    from campaign.extensions import db

    with workplace(backend, f"bench-conflicts-{backend}-") as (workdir, postgres):
        app = migrated_app(new_database(backend, workdir, "bench_conflicts", postgres),
                           os.path.join(workdir, "mail"))
        built = build_month(app, venues=args.venues, debates=args.debates)
        rows: list[tuple[str, str]] = []
        problems: list[str] = []
        with app.test_request_context(headers={"Accept-Language": "nl"}):
            utrecht = db.session.scalar(select(Municipality).where(Municipality.code == "GM0344"))
            one = db.session.get(Debate, built["debates"][len(built["debates"]) // 2])
            ms, statements, found = timed(lambda: [str(c.message) for c in conflicts.conflicts_for(one)],
                                          args.repeat)
            rows.append(("conflicts of one debate", f"{ms:8.2f} ms   {statements} SQL statements, "
                                                     f"{len(found)} conflicts"))

            candidates = []
            real_check = conflicts.ConflictChecker.check

            def counted(self, candidate):
                candidates.append(1)
                return real_check(self, candidate)

            def month():
                return [(s.venue.id, s.starts_at, len(s.conflicts)) for s in slots.suggest(
                    utrecht, 120, PARTIES[:4], built["first_day"], built["last_day"], expected_audience=150)]

            with mock.patch.object(conflicts.ConflictChecker, "check", counted):
                month()
            ms_fast, statements_fast, fast = timed(month, args.repeat)
            rows.append(("slot suggestions, one month", f"{ms_fast:8.1f} ms   {statements_fast} SQL statements, "
                                                         f"{len(candidates)} candidate slots checked"))
            with mock.patch.object(slots, "ConflictChecker", PerCandidate):
                ms_naive, statements_naive, naive = timed(month, max(1, args.repeat // 5))
            rows.append(("  the same, one query set per candidate", f"{ms_naive:8.1f} ms   "
                                                                     f"{statements_naive} SQL statements"))
            rows.append(("  one checker for the range: speed-up", f"{ms_naive / ms_fast:8.1f}x"))
            if naive != fast:
                problems.append("the naive suggestions differ from slots.suggest's")
            if not fast:
                problems.append("no suggestions at all")
        with app.app_context():
            db.engine.dispose()
        return rows, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--registrations", type=int, default=500, help="registrations per run (default 500)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--venues", type=int, default=20)
    parser.add_argument("--debates", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15, help="timed repeats of the in-process figures")
    parser.add_argument("--skip-http", action="store_true", help="only the conflict checks and slot suggestions")
    args = parser.parse_args()
    busy = machine_busy()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    failures = []
    for backend in backends:
        rows = [busy_row(busy)] if backend == backends[0] else []
        if not args.skip_http:
            found_rows, found = bench_registrations(backend, args)
            rows += [("", ""), (f"registrations over HTTP, {args.registrations} by {args.clients} clients", "")]
            rows += found_rows
            failures += [f"{backend}: {p}" for p in found]
        found_rows, found = bench_conflicts(backend, args)
        rows += [("", ""), (f"{args.venues} venues, {args.debates} debates in a month (in-process)", "")] + found_rows
        failures += [f"{backend}: {p}" for p in found]
        print_report(f"\n{backend} ({os.cpu_count()} cores)", rows)
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

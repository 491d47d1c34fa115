"""Reliability over real HTTP: concurrent registrations and venue bookings against gunicorn.

For each database in CAMPAIGN_TEST_DATABASES a fresh database (an SQLite file, or a new database in the
session's throwaway PostgreSQL cluster) is migrated and served by gunicorn with several sync workers on a free
port of 127.0.0.1, rate limits off (RATELIMIT_ENABLED=0) and mail into files. Then:

* 200 people register for a 50-seat debate at the same moment (one thread each, released by a barrier):
  every answer is 201, exactly 50 seats are confirmed and the rest waitlisted in arrival order (the order in
  which the server took the debate's lock: ids), nobody twice, one mail each (the confirmed ones with the
  calendar file);
* several organisers book one venue for overlapping times at the same moment: confirming overlapping drafts
  (over HTTP, one signed-in coordinator per browser, and in parallel processes calling ``scheduling.confirm``)
  and moving booked debates to one slot (``scheduling.update_debate``): exactly one wins, the others are
  refused with a reason (422 over HTTP), never a 500. On PostgreSQL also below the application: plain
  UPDATEs from parallel connections, and the exclusion constraint lets exactly one through.

The registration rate limit is tested in-process: 429 with Retry-After once it is reached, for the API and the
form, and nothing with RATELIMIT_ENABLED=0 (the gunicorn runs above rely on that setting as well: 200
registrations from one address would otherwise be refused).

The load generator and the server helpers are shared with the benchmark (bench/debates.py).
"""

from __future__ import annotations

import collections
import datetime as dt
import html
import http.client
import json
import subprocess
import sys
import threading
from http.cookies import SimpleCookie
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from flask import Flask, url_for

from bench.debates import (
    answer_problems,
    burst,
    factories,
    migrated_app,
    new_database,
    order_problems,
    registration,
    registrations_path,
    request,
    seed_debate,
    start_server,
    stored_registrations,
)
from bench.http import Gunicorn
from tests.conftest import DATABASES, ROOT, make_app, migrate
from tests.debates.conftest import local_evening
from tests.factories import Mailbox, UserFactory
from tests.helpers import TOKEN, csrf_token

WORKERS = 4
SEATS = 50
REGISTRANTS = 200


@dataclass
class Served:
    backend: str
    url: str
    app: Flask
    server: Gunicorn
    mail_dir: str

    @property
    def port(self) -> int:
        return self.server.port

    def log(self) -> str:
        return "\ngunicorn's log:\n" + self.server.tail()


@pytest.fixture(scope="module", params=DATABASES)
def served(request, tmp_path_factory):
    """A migrated database of its own, served by gunicorn with WORKERS sync workers."""
    from campaign.extensions import db

    backend = request.param
    workdir = tmp_path_factory.mktemp(f"load-{backend}")
    postgres = request.getfixturevalue("postgres") if backend == "postgresql" else None
    url = new_database(backend, str(workdir), "campaign_load", postgres)
    mail_dir = str(workdir / "mail")
    app = migrated_app(url, mail_dir)
    try:
        with start_server(url, str(workdir), workers=WORKERS, mail_dir=mail_dir) as server:
            yield Served(backend, url, app, server, mail_dir)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_200_people_register_for_50_seats_at_once(served):
    debate_id = seed_debate(served.app, capacity=SEATS)
    Mailbox(served.mail_dir).clear()

    answers = burst(served.port, registrations_path(debate_id), [registration(i) for i in range(REGISTRANTS)])

    assert answer_problems(answers) == [], served.log()
    statuses = collections.Counter(a.body["status"] for a in answers)
    assert statuses == {"confirmed": SEATS, "waitlisted": REGISTRANTS - SEATS}
    answered = {a.body["id"]: a.body["status"] for a in answers}
    assert len(answered) == REGISTRANTS, "two answers name the same registration"

    rows = stored_registrations(served.app, debate_id)
    assert len(rows) == REGISTRANTS
    assert order_problems(rows, SEATS) == []
    assert {r.id: r.status for r in rows} == answered  # what each person was told is what was stored
    assert {r.email for r in rows} == {registration(i)["email"] for i in range(REGISTRANTS)}

    # The public figures agree.
    listed = request(served.port, "GET", "/api/v1/debates")
    assert listed.status == 200
    mine = [d for d in listed.body["debates"] if d["id"] == debate_id]
    assert mine and (mine[0]["confirmed"], mine[0]["waitlisted"]) == (SEATS, REGISTRANTS - SEATS)

    # One mail per person; the confirmed get the calendar file, the waitlisted do not.
    mails = collections.defaultdict(list)
    for message in Mailbox(served.mail_dir).messages():
        mails[message["To"].addresses[0].addr_spec].append(message)
    status_of = {r.email: r.status for r in rows}
    assert {address: len(found) for address, found in mails.items()} == {address: 1 for address in status_of}
    with_calendar = {address for address, (message,) in mails.items()
                     if any(part.get_content_type() == "text/calendar" for part in message.iter_attachments())}
    assert with_calendar == {address for address, status in status_of.items() if status == "confirmed"}


# --- one venue, overlapping debates, confirmed at the same moment ------------------------------------------

CONTENDERS = 4

# Runs in its own process: loads the debate, says "ready", waits for "go" on stdin, then books the venue for it
# (``confirm``, or ``move`` a confirmed debate to the given start and end) and prints the outcome as JSON: won,
# refused with the problems, or the exception that escaped.
CONTENDER = r"""
import datetime as dt, json, sys
from tests.conftest import make_app
from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.extensions import db

url, mail_dir, action, debate_id, *times = sys.argv[1:]
app = make_app(url, SERVER_NAME=None, MAIL_FILE_DIR=mail_dir)
with app.app_context():
    from campaign.debates import scheduling
    from campaign.debates.models import Debate

    debate = db.session.get(Debate, int(debate_id))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        if action == "confirm":
            scheduling.confirm(Actor.system("load test"), debate)
        else:
            starts_at, ends_at = (dt.datetime.fromisoformat(t) for t in times)
            scheduling.update_debate(Actor.system("load test"), debate, starts_at=starts_at, ends_at=ends_at)
        db.session.commit()
        outcome = {"won": True}
    except ValidationFailed as exc:
        db.session.rollback()
        outcome = {"won": False, "problems": [str(p) for p in exc.problems]}
    except Exception as exc:
        db.session.rollback()
        outcome = {"won": False, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(outcome), flush=True)
"""


def contend(served, action: str, debate_ids: list[int], *times: str) -> list[dict]:
    """One process per debate, each doing ``action``, released together; their outcomes in the same order."""
    processes = [subprocess.Popen([sys.executable, "-c", CONTENDER, served.url, served.mail_dir, action, str(i),
                                   *times], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for i in debate_ids]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        for process in processes:  # as close together as a parent can release them
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        return outcomes
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def debates_in_one_venue(app, status: str, starts: list[dt.datetime]) -> list[int]:
    """A venue and a debate (two hours, status ``status``) in it at each of ``starts``; their ids."""
    with factories(app) as (venues, debates):
        venue = venues.create(capacity=120)
        return [debates.create(status, venue=venue, capacity=100, starts_at=start).id for start in starts]


def statuses_and_starts(app, debate_ids: list[int]) -> dict[int, tuple[str, dt.datetime]]:
    from sqlalchemy import select

    from campaign.debates.models import Debate
    from campaign.extensions import db

    with app.app_context():
        found = {i: (status, start) for i, status, start in db.session.execute(
            select(Debate.id, Debate.status, Debate.starts_at).where(Debate.id.in_(debate_ids))).all()}
        db.session.remove()
        return found


def exactly_one_won(outcomes: list[dict]) -> int:
    """The index of the only winner; the others were refused with a reason, nothing else went wrong."""
    assert [o for o in outcomes if "error" in o] == []
    assert sum(o["won"] for o in outcomes) == 1, outcomes
    assert all(o["problems"] for o in outcomes if not o["won"])
    return [o["won"] for o in outcomes].index(True)


def test_overlapping_drafts_confirmed_at_once_only_one_books_the_venue(served):
    first = local_evening(20, 19)
    # Two hours each, starting 20 minutes apart: every pair overlaps.
    debate_ids = debates_in_one_venue(served.app, "draft",
                                      [first + dt.timedelta(minutes=20 * i) for i in range(CONTENDERS)])
    winner = debate_ids[exactly_one_won(contend(served, "confirm", debate_ids))]
    found = statuses_and_starts(served.app, debate_ids)
    assert {i: status for i, (status, _start) in found.items()} == {
        i: "confirmed" if i == winner else "draft" for i in debate_ids}


def test_booked_debates_moved_to_one_slot_at_once_only_one_gets_it(served):
    # Confirmed on four different evenings, then all moved to the same one.
    debate_ids = debates_in_one_venue(served.app, "confirmed",
                                      [local_evening(30 + i, 20) for i in range(CONTENDERS)])
    target = local_evening(40, 20)
    outcomes = contend(served, "move", debate_ids, target.isoformat(), (target + dt.timedelta(hours=2)).isoformat())
    winner = debate_ids[exactly_one_won(outcomes)]
    found = statuses_and_starts(served.app, debate_ids)
    assert [i for i, (_status, start) in found.items() if start == target] == [winner]
    assert {status for status, _start in found.values()} == {"confirmed"}


def test_postgresql_itself_refuses_overlapping_bookings_written_at_once(served):
    """Below the application: plain UPDATEs from parallel connections, without the venue's lock or any check in
    Python. The exclusion constraint ex_debate_venue_booking lets exactly one through."""
    if served.backend != "postgresql":
        pytest.skip("SQLite has no exclusion constraint; its writes are serialised (the tests above)")
    import psycopg

    first = local_evening(60, 19)
    debate_ids = debates_in_one_venue(served.app, "draft",
                                      [first + dt.timedelta(minutes=20 * i) for i in range(CONTENDERS)])
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list = [None] * CONTENDERS

    def book(index: int) -> None:
        with psycopg.connect(served.url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            barrier.wait()
            try:
                conn.execute("UPDATE debate SET status = 'confirmed' WHERE id = %s", (debate_ids[index],))
                conn.commit()
                outcomes[index] = "won"
            except psycopg.errors.ExclusionViolation:
                conn.rollback()
                outcomes[index] = "refused"

    threads = [threading.Thread(target=book, args=(i,)) for i in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["refused"] * (CONTENDERS - 1) + ["won"]
    statuses = statuses_and_starts(served.app, debate_ids)
    assert sorted(status for status, _start in statuses.values()) == ["confirmed"] + ["draft"] * (CONTENDERS - 1)


class Browser:
    """One person's browser over http.client, with its own cookies (the session cookie is marked Secure, so a
    standard cookie jar would not send it back over plain HTTP)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, page text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
            body = None
            if form is not None:
                body = urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.msg.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", text
        finally:
            conn.close()

    def token(self, path: str) -> str:
        match = TOKEN.search(self.send("GET", path)[2])
        assert match, f"no csrf_token on {path}"
        return match.group(1) or match.group(2)

    def sign_in(self, email: str) -> None:
        status, location, _text = self.send("POST", "/beheer/inloggen", {
            "email": email, "password": UserFactory.PASSWORD, "csrf_token": self.token("/beheer/inloggen")})
        assert status == 302, f"signing in as {email}: {status}"


def coordinators(app, count: int, tag: str) -> list[str]:
    """``count`` coordinators of Utrecht (where the debates are); their addresses."""
    from campaign.extensions import db

    with app.app_context():
        factory = UserFactory(db.session)
        emails = [factory.create("coordinator", email=f"{tag}{i}@example.org", municipalities=["GM0344"]).email
                  for i in range(count)]
        db.session.remove()
        return emails


def test_overlapping_drafts_confirmed_at_once_over_http_only_one_wins(served):
    first = local_evening(50, 19)
    debate_ids = debates_in_one_venue(served.app, "draft",
                                      [first + dt.timedelta(minutes=20 * i) for i in range(CONTENDERS)])
    browsers = []
    for email in coordinators(served.app, CONTENDERS, "race"):
        browser = Browser(served.port)
        browser.sign_in(email)
        browsers.append(browser)
    with served.app.test_request_context():
        pages = [url_for("debates_admin.debate", debate_id=i) for i in debate_ids]
        buttons = [url_for("debates_admin.confirm", debate_id=i) for i in debate_ids]
    tokens = [browser.token(page) for browser, page in zip(browsers, pages)]
    barrier = threading.Barrier(CONTENDERS)
    answers: list = [None] * CONTENDERS

    def press(index: int) -> None:
        barrier.wait()
        answers[index] = browsers[index].send("POST", buttons[index], {"csrf_token": tokens[index]})

    threads = [threading.Thread(target=press, args=(i,)) for i in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    codes = [answer[0] for answer in answers]
    assert sorted(codes) == [302] + [422] * (CONTENDERS - 1), served.log()
    winner = codes.index(302)
    assert answers[winner][1].endswith(pages[winner])
    statuses = statuses_and_starts(served.app, debate_ids)
    assert {i: status for i, (status, _start) in statuses.items()} == {
        i: "confirmed" if i == debate_ids[winner] else "draft" for i in debate_ids}
    with served.app.app_context():
        from campaign.debates.models import Debate
        from campaign.extensions import db

        title = db.session.get(Debate, debate_ids[winner]).title
        db.session.remove()
    for code, _location, text in answers:
        if code == 422:  # the refusal names the debate that booked the venue
            assert html.escape(title, quote=False) in text


# --- the rate limit ---------------------------------------------------------------------------------------

@pytest.fixture()
def limited(tmp_path):
    """An app (SQLite) whose registrations are limited to 2 a minute per client, and a debate in it."""
    from campaign.extensions import db, limiter

    app = make_app("sqlite:///" + str(tmp_path / "limits.sqlite3"), DEBATE_REGISTRATION_RATE_LIMIT="2 per minute",
                   RATELIMIT_STORAGE_URI="memory://", MAIL_FILE_DIR=str(tmp_path / "mail"))
    migrate(app)
    debate_id = seed_debate(app, capacity=SEATS)
    yield app, debate_id
    limiter.enabled = True  # the limiter is one object for every app in this process: leave it on
    with app.app_context():
        db.engine.dispose()


def test_registrations_are_rate_limited_with_retry_after(limited):
    app, debate_id = limited
    client = app.test_client()
    answers = [client.post(registrations_path(debate_id), json=registration(i)) for i in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2].headers["Retry-After"]) > 0
    assert client.get("/api/v1/debates").status_code == 200  # reading is not limited


def test_the_registration_form_is_rate_limited_too(limited):
    app, debate_id = limited
    client = app.test_client()
    page = f"/debatten/{debate_id}"
    token = csrf_token(client, page)
    codes = [client.post(f"{page}/aanmelden", data={**registration(i), "csrf_token": token}).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
    assert client.get(page).status_code == 200


def test_ratelimit_enabled_0_turns_the_limit_off(limited, tmp_path, monkeypatch):
    _app, debate_id = limited
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")  # as an operator sets it for a load test
    app = make_app("sqlite:///" + str(tmp_path / "limits.sqlite3"), DEBATE_REGISTRATION_RATE_LIMIT="2 per minute",
                   MAIL_FILE_DIR=str(tmp_path / "mail"))
    client = app.test_client()
    answers = [client.post(registrations_path(debate_id), json=registration(i)) for i in range(5)]
    assert [a.status_code for a in answers] == [201] * 5

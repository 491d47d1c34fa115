"""HTTP benchmark of the citizen advice, served by gunicorn (2 sync workers) on SQLite and PostgreSQL.

For each backend: a fresh database, ``campaign demo`` into it, gunicorn on 127.0.0.1 (free port, 2 workers,
no access log), then a stdlib-only load generator (several client processes, each with its own
``http.client`` connection) replays whole citizen advices for a fixed time after a warm-up:

* ``cold``: GET /cultuurwijzer/<code> (Accept-Language: nl), every stylesheet and script the page links
  to (as a browser with an empty cache does), then GET the result URL built from the page's form (one
  random answer per statement, a few ``important``, every party ticked, as the browser submits it);
* ``warm``: the same without the static files (they are cacheable for a year);
* ``ceiling``: GET /healthz only (one ``SELECT 1``): what the same server does on a trivial route.

Every response must be 200; the script exits with status 1 (and says why) otherwise. The client processes
run on the same 2 cores as the server and take CPU from it: the figures are a lower bound for a server
with the machine to itself. Finally, in-process (Flask test client, no HTTP), it counts the SQL queries
and the server time per request kind.

    .venv/bin/python bench/http.py [--backend sqlite|postgresql|both] [--duration 10] [--warmup 2] [--clients 3]
"""

from __future__ import annotations

import os
import sys

# This file is called http.py: drop its folder from the import path, or ``import http.client`` finds us.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
ROOT = os.path.dirname(_HERE)
sys.path.insert(0, ROOT)

import argparse  # noqa: E402
import glob  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from urllib.parse import urlencode, urlsplit  # noqa: E402

from bench.machine import machine_busy, machine_cpu  # noqa: E402

BIN = os.path.join(ROOT, ".venv", "bin")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "mini-edition.json")
SECRET_KEY = "bench-secret-key-not-for-production"
HEADERS = {
    "Accept-Language": "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 campaign-bench",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "identity",
}
ANSWER_CHOICES = ("agree", "neutral", "disagree", "skip")
MAX_ITERATIONS = 1_000_000  # per client and phase; the phase's end time stops it long before
HARD_LIMIT_SECONDS = 280  # the whole script, whatever happens


# --- the page's form and assets ---------------------------------------------------------------------------

class PageParser(HTMLParser):
    """Stylesheets, scripts and the advice form (action, hidden fields, radio groups, checkboxes)."""

    def __init__(self):
        super().__init__()
        self.statics: list[str] = []
        self.action: str | None = None
        self.hidden: list[tuple[str, str]] = []
        self.radios: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.statics.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.statics.append(a["src"])
        elif tag == "form" and a.get("action", "").rstrip("/").endswith("/resultaat"):
            self.action, self._in_form = a["action"], True
        elif tag == "input" and self._in_form and a.get("name"):
            kind = a.get("type", "text")
            if kind == "hidden":
                self.hidden.append((a["name"], a.get("value", "")))
            elif kind == "radio":
                self.radios.setdefault(a["name"], []).append(a.get("value", ""))
            elif kind == "checkbox":
                self.checkboxes.setdefault(a["name"], []).append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def advice_plan(code: str, page: str) -> dict:
    """What a client needs to replay an advice for one municipality, from its statement page."""
    parser = PageParser()
    parser.feed(page)
    if not parser.action or not parser.radios:
        raise RuntimeError(f"/cultuurwijzer/{code}: no advice form with statements found in the page")
    for name, values in parser.radios.items():
        if not name.startswith("a.") or not set(ANSWER_CHOICES) <= set(values):
            raise RuntimeError(f"/cultuurwijzer/{code}: unexpected radio group {name!r} {values}")
    return {
        "code": code,
        "page": f"/cultuurwijzer/{code}",
        "action": urlsplit(parser.action).path,
        "hidden": parser.hidden,
        "statements": list(parser.radios),
        "important": parser.checkboxes.get("important", []),
        "parties": parser.checkboxes.get("party", []),
        "statics": [urlsplit(s)._replace(scheme="", netloc="").geturl() for s in parser.statics],
    }


def result_url(plan: dict, rng: random.Random) -> str:
    """The URL the browser opens on submit: fields in document order, answers random, all parties ticked."""
    answers = [rng.choice(ANSWER_CHOICES) for _ in plan["statements"]]
    if all(a == "skip" for a in answers):  # an all-skipped advice is a 422 by design
        answers[rng.randrange(len(answers))] = rng.choice(ANSWER_CHOICES[:3])
    pairs = list(plan["hidden"])
    pairs += list(zip(plan["statements"], answers))
    marked = rng.sample(plan["important"], k=min(len(plan["important"]), rng.randint(0, 3)))
    pairs += [("important", key) for key in plan["important"] if key in marked]
    pairs += [("party", key) for key in plan["parties"]]
    return plan["action"] + "?" + urlencode(pairs)


# --- the load generator (runs in client processes) -------------------------------------------------------

def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def client(job: dict) -> dict:
    """One client process: replay advices (or /healthz) from start_at until end_at; measure after warm_end."""
    rng = random.Random(job["seed"])
    conn = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=15)
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    error_count = requests = advices = 0
    sizes: dict[str, list[int]] = {}  # kind: [bytes, responses]
    warm_end, end_at = job["warm_end"], job["end_at"]
    time.sleep(max(0.0, job["start_at"] - time.monotonic()))

    def fetch(kind: str, path: str) -> bool:
        nonlocal error_count, requests
        started = time.monotonic()
        try:
            status, size = _get(conn, path)
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            status, size = f"{type(exc).__name__}: {exc}", 0
        finished = time.monotonic()
        if started >= warm_end and finished <= end_at:
            requests += 1
            latencies.setdefault(kind, []).append(finished - started)
            total = sizes.setdefault(kind, [0, 0])
            total[0] += size
            total[1] += 1
        if status != 200:
            error_count += 1
            if len(errors) < 5:
                errors.append(f"{kind} {path[:120]}: {status}")
            return False
        return True

    cpu_at_warm_end = None
    for _ in range(MAX_ITERATIONS):
        started = time.monotonic()
        if started >= end_at:
            break
        if cpu_at_warm_end is None and started >= warm_end:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu_at_warm_end = usage.ru_utime + usage.ru_stime
        if job["phase"] == "ceiling":
            fetch("healthz", "/healthz")
            continue
        plan = rng.choice(job["plans"])
        ok = fetch("statement page", plan["page"])
        if job["phase"] == "cold":
            for path in plan["statics"]:
                ok = fetch("static file", path) and ok
        ok = fetch("result page", result_url(plan, rng)) and ok
        finished = time.monotonic()
        if ok and started >= warm_end and finished <= end_at:
            advices += 1
            latencies.setdefault("advice", []).append(finished - started)
    conn.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - (cpu_at_warm_end or 0.0)
    return {"latencies": latencies, "errors": errors, "error_count": error_count, "requests": requests,
            "advices": advices, "sizes": sizes, "cpu": cpu}


def process_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (those that still exist)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run_phase(phase: str, port: int, plans: list[dict], clients: int, warmup: float, duration: float,
              seed: int, server_pids: list[int]) -> dict:
    start_at = time.monotonic() + 0.5  # time for the pool to fork
    warm_end = start_at + warmup
    end_at = warm_end + duration
    jobs = [{"phase": phase, "port": port, "plans": plans, "seed": seed * 1000 + i, "start_at": start_at,
             "warm_end": warm_end, "end_at": end_at} for i in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        pending = pool.map_async(client, jobs)
        # CPU over the measured window only: sample at its start and end while the clients run.
        time.sleep(max(0.0, warm_end - time.monotonic()))
        busy0, total0, server0, wall0 = *machine_cpu(), process_cpu(server_pids), time.monotonic()
        time.sleep(max(0.0, end_at - time.monotonic()))
        busy1, total1, server1, wall = *machine_cpu(), process_cpu(server_pids), time.monotonic() - wall0
        results = pending.get(timeout=60)
    merged: dict = {"phase": phase, "duration": duration, "latencies": {}, "errors": [], "error_count": 0,
                    "requests": 0, "advices": 0, "sizes": {}, "cores": (total1 - total0) / wall,
                    "cpu_machine": (busy1 - busy0) / wall, "cpu_server": (server1 - server0) / wall,
                    "cpu_clients": sum(r["cpu"] for r in results) / wall}
    for r in results:
        for kind, values in r["latencies"].items():
            merged["latencies"].setdefault(kind, []).extend(values)
        merged["errors"] += r["errors"]
        for kind, (size, count) in r["sizes"].items():
            total = merged["sizes"].setdefault(kind, [0, 0])
            total[0] += size
            total[1] += count
        for key in ("error_count", "requests", "advices"):
            merged[key] += r[key]
    return merged


# --- server and database -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def campaign(env: dict, *args: str) -> str:
    done = subprocess.run([os.path.join(BIN, "campaign"), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"campaign {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def fetch_json(port: int, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        status, body = _get_body(conn, path)
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    return json.loads(body)


def _get_body(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    return response.status, response.read()


class Gunicorn:
    def __init__(self, database_url: str, workdir: str, workers: int):
        self.port = free_port()
        self.log = os.path.join(workdir, "gunicorn.log")
        env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY)
        self.command = [os.path.join(BIN, "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
                        "--error-logfile", self.log, "--log-level", "warning", "campaign:create_app()"]
        self.process = subprocess.Popen(self.command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    if _get_body(conn, "/healthz")[0] == 200:
                        return
                finally:
                    conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not healthy after {timeout:.0f} s:\n{self.tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as fh:
                return [self.process.pid] + [int(p) for p in fh.read().split()]
        except OSError:
            return [self.process.pid]

    def tail(self) -> str:
        try:
            with open(self.log, encoding="utf-8", errors="replace") as fh:
                return "".join(fh.readlines()[-30:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


# --- in-process: SQL queries and server time per request ---------------------------------------------------

def in_process_profile(database_url: str, plans: list[dict]) -> list[tuple[str, int, int, float]]:
    """(kind, queries on first request, queries per request after, server ms per request) via the test client."""
    from sqlalchemy import event

    from campaign import create_app
    from campaign.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    client = app.test_client()
    rng = random.Random(7)
    plan = plans[0]
    kinds = [("statement page", lambda: plan["page"]),
             ("result page", lambda: result_url(plan, rng)),
             ("static file", lambda: plan["statics"][0] if plan["statics"] else "/healthz"),
             ("healthz", lambda: "/healthz")]
    counted = [0]
    rows = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        counted[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for kind, path in kinds:
            counted[0] = 0
            response = client.get(path(), headers=HEADERS)
            response.close()
            first = counted[0]
            if response.status_code != 200:
                raise RuntimeError(f"in-process {kind}: {response.status_code}")
            counted[0] = 0
            reps, budget_end = 0, time.perf_counter() + 1.5
            started = time.perf_counter()
            while reps < 300 and time.perf_counter() < budget_end:
                client.get(path(), headers=HEADERS).close()
                reps += 1
            elapsed = time.perf_counter() - started
            rows.append((kind, first, round(counted[0] / reps), 1000 * elapsed / reps))
    finally:
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            db.engine.dispose()
    return rows


# --- report -------------------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return f"p50 {1000 * pct(values, 0.50):7.1f} ms   p95 {1000 * pct(values, 0.95):7.1f} ms   n={len(values)}"


def cpu(phase: dict) -> str:
    """Where the machine's cores went during the measured part of the phase, in cores."""
    other = phase["cpu_machine"] - phase["cpu_server"] - phase["cpu_clients"]
    return (f"CPU (cores of {phase['cores']:.1f}): gunicorn {phase['cpu_server']:.2f}, "
            f"load clients {phase['cpu_clients']:.2f}, rest {max(other, 0):.2f} (database server, other processes)")


def report(backend: str, setup: dict, phases: dict[str, dict], profile, clients: int) -> list[str]:
    lines = [f"== {backend}: gunicorn 2 sync workers, {clients} client processes on the same "
             f"{os.cpu_count()} cores (clients take CPU from the server) =="]
    lines.append(f"  data: {setup['editions']} published edition(s) from {setup['source']}; "
                 f"{setup['statements']} statements x {setup['parties']} parties, "
                 f"{len(setup['statics'])} static files per page")
    ceiling = phases["ceiling"]
    ceiling_rps = ceiling["requests"] / ceiling["duration"]
    for name, label in (("cold", "cold browser (statics fetched every advice)"),
                        ("warm", "warm browser (statics cached)")):
        phase = phases.get(name)
        if not phase:
            continue
        rps = phase["requests"] / phase["duration"]
        aps = phase["advices"] / phase["duration"]
        per_advice = phase["requests"] / max(phase["advices"], 1)
        lines.append(f"  {label}, {phase['duration']:.0f} s:")
        lines.append(f"    completed advices/s   {aps:8.1f}   ({per_advice:.0f} requests per advice)")
        lines.append(f"    requests/s            {rps:8.1f}   = {rps / ceiling_rps:.0%} of the /healthz ceiling")
        lines.append(f"    full advice           {ms(phase['latencies'].get('advice', []))}")
        for kind in ("statement page", "static file", "result page"):
            if kind in phase["latencies"]:
                size, count = phase["sizes"].get(kind, (0, 0))
                lines.append(f"    {kind:<20}  {ms(phase['latencies'][kind])}   ({size / max(count, 1) / 1024:.1f} KiB avg)")
        lines.append(f"    one advice costs as much server time as {ceiling_rps / max(aps, 1e-9):.0f} /healthz requests")
        lines.append(f"    {cpu(phase)}")
    lines.append(f"  ceiling, GET /healthz, {ceiling['duration']:.0f} s:")
    lines.append(f"    requests/s            {ceiling_rps:8.1f}")
    lines.append(f"    healthz               {ms(ceiling['latencies'].get('healthz', []))}")
    lines.append(f"    {cpu(ceiling)}")
    errors = sum(p["error_count"] for p in phases.values())
    lines.append(f"  non-200 responses: {errors}")
    if profile:
        lines.append("  in-process (Flask test client, one thread, no HTTP): SQL queries and server time")
        for kind, first, steady, millis in profile:
            lines.append(f"    {kind:<20}  {first} queries first time, {steady} after; {millis:6.2f} ms per request")
    return lines


# --- one backend ----------------------------------------------------------------------------------------------

def run_backend(backend: str, args) -> tuple[list[str], int]:
    workdir = tempfile.mkdtemp(prefix=f"campaign-bench-{backend}-")
    pg = server = None
    try:
        if backend == "sqlite":
            url = "sqlite:///" + os.path.join(workdir, "campaign.sqlite3")
        else:
            from tests.pgcluster import ThrowawayPostgres

            pg = ThrowawayPostgres().start()
            url = pg.create_database("campaign_bench")
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET_KEY)
        demo_files = sorted(glob.glob(os.path.join(ROOT, "data", "parties", "*.json")))
        campaign(env, "demo")
        source = f"`campaign demo` ({len(demo_files)} files in data/parties)"
        if not demo_files:
            campaign(env, "import-edition", FIXTURE)
            source = "tests/fixtures/mini-edition.json (data/parties has no JSON files)"
        server = Gunicorn(url, workdir, workers=2)
        server.wait_ready()
        editions = fetch_json(server.port, "/api/v1/editions")["editions"]
        if not editions:
            campaign(env, "import-edition", FIXTURE)
            source = "tests/fixtures/mini-edition.json (`campaign demo` published nothing)"
            editions = fetch_json(server.port, "/api/v1/editions")["editions"]
        codes = sorted({e["municipality_code"] for e in editions})
        if not codes:
            raise RuntimeError("no published edition to benchmark")
        plans = []
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            for code in codes:
                status, body = _get_body(conn, f"/cultuurwijzer/{code}")
                if status != 200:
                    raise RuntimeError(f"GET /cultuurwijzer/{code}: {status}")
                plans.append(advice_plan(code, body.decode("utf-8")))
        finally:
            conn.close()
        setup = {"editions": len(editions), "source": source, "statics": plans[0]["statics"],
                 "statements": "/".join(sorted({str(len(p["statements"])) for p in plans})),
                 "parties": "/".join(sorted({str(len(p["parties"])) for p in plans}))}
        phases = {}
        for i, phase in enumerate(("cold", "warm", "ceiling")):
            if phase == "warm" and args.no_warm:
                continue
            phases[phase] = run_phase(phase, server.port, plans, args.clients, args.warmup, args.duration,
                                      seed=args.seed + i, server_pids=server.pids())
        server.stop()
        profile = None
        if not args.no_profile:  # in a child process: this one stays free of Flask, numpy and their threads
            with multiprocessing.get_context("fork").Pool(1) as pool:
                profile = pool.apply_async(in_process_profile, (url, plans)).get(timeout=90)
        lines = report(backend, setup, phases, profile, args.clients)
        errors = sum(p["error_count"] for p in phases.values())
        if errors:
            lines.append(f"  FAIL: {errors} responses were not 200, e.g.:")
            lines += [f"    {e}" for p in phases.values() for e in p["errors"][:5]]
            lines.append("  gunicorn log tail:\n" + server.tail())
        return lines, errors
    finally:
        if server is not None:
            server.stop()
        if pg is not None:
            pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _too_long(_signum, _frame):
    raise TimeoutError(f"the benchmark took more than {HARD_LIMIT_SECONDS} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per phase (max 30)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each phase")
    parser.add_argument("--clients", type=int, default=3, help="client processes (default 3)")
    parser.add_argument("--seed", type=int, default=20260318)
    parser.add_argument("--no-warm", action="store_true", help="skip the warm-browser phase")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process query count")
    args = parser.parse_args()
    args.duration = min(max(args.duration, 1.0), 30.0)
    args.warmup = min(max(args.warmup, 0.0), 10.0)
    args.clients = min(max(args.clients, 1), 16)

    signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(HARD_LIMIT_SECONDS)
    started = time.monotonic()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    busy = machine_busy()
    print(f"Cultuurwijzer over HTTP: {os.cpu_count()} CPUs, {busy:.0%} busy in the second before the start; "
          f"{args.clients} client processes, {args.warmup:g} s warm-up + {args.duration:g} s per phase"
          + ("  (the machine is busy: figures will be low)" if busy > 0.1 else ""), flush=True)
    failures = 0
    try:
        for backend in backends:
            lines, errors = run_backend(backend, args)
            failures += errors
            print("\n".join(lines), flush=True)
    finally:
        signal.alarm(0)
    print(f"(total {time.monotonic() - started:.0f} s)")
    if failures:
        print(f"FAIL: {failures} responses were not 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

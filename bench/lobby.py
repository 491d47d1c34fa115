"""The lobby's read pages at campaign scale, on SQLite and PostgreSQL: the dashboard, one municipality's dossier
and its JSON export (and the list of municipalities).

A fresh database per backend, filled with fictional data at two sizes:

* full: 342 municipalities in 12 provinces; 100 published Cultuurwijzer editions of one election, each with 20
  statements and 8 parties with a position on every statement; 30 topics (a third of them sub-topics) each
  linked to 1-3 statements; 10 national and 300 local parties; 400 inputs (a quarter with an open next step, some
  overdue); 2 figure kinds x 3 years for every municipality; 200 debates with their lobby topics; 200 active
  coordinators; 600 shared answers for the dossier's edition;
* small: a tenth of the editions, topics, inputs, debates and coordinators (the same 342 municipalities).

Then, in-process (Flask test client, signed in as an editor, no HTTP), each page is requested a number of times
and the script prints per page the median and p95 server time and the SQL statements per request at both sizes,
and the ratio full/small of the medians. The statement counts must not grow with the data (no query per topic,
edition, party or debate). Exits with status 1 if a page does not answer 200 or its statement count grows.

    .venv/bin/python bench/lobby.py [--backend sqlite|postgresql|both] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys

# bench/ holds an http.py: drop this folder from the import path, or ``import http`` (werkzeug) finds it.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
ROOT = os.path.dirname(_HERE)
sys.path.insert(0, ROOT)

from bench.machine import busy_row, machine_busy, print_report  # noqa: E402
from bench.pages import Timing, fresh_app, time_pages  # noqa: E402

PROVINCES = ("Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
             "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland")
FULL = {"editions": 100, "topics": 30, "inputs": 400, "debates": 200, "coordinators": 200}
SMALL = {name: max(count // 10, 1) for name, count in FULL.items()}
STATEMENTS, PARTIES = 20, 8
DOSSIER = "GM0001"  # the municipality whose dossier is timed: an edition, parties, input, debates, figures


def build(app, size: dict, seed: int = 2026) -> str:
    """Fill the database; returns the editor's session id."""
    from campaign.coordinators.models import Application, Assignment
    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.core.models import Election, Municipality, utcnow
    from campaign.cultuurwijzer.models import Edition, Party, Position, Statement
    from campaign.debates.models import Debate, Venue
    from campaign.extensions import db
    from campaign.lobby.defaults import ensure_defaults
    from campaign.lobby.models import (
        AnswerDay,
        AnswerTally,
        FigureKind,
        LocalFigure,
        PartyInput,
        PoliticalParty,
        Topic,
        TopicStatement,
        TopicStatus,
    )

    rng = random.Random(seed)
    now = utcnow()
    today = now.date()
    with app.app_context():
        ensure_defaults()
        election = Election(slug="bench2026", name="Benchverkiezing (fictief)", date=today + dt.timedelta(days=60))
        db.session.add(election)
        places = [Municipality(code=f"GM{i:04d}", name=f"Gemeente {i} (fictief)", province=PROVINCES[i % 12])
                  for i in range(1, 343)]
        db.session.add_all(places)
        db.session.flush()
        editor = create_user(Actor.system("bench"), email="editor@bench.invalid", name="Bench", role="editor")

        # Cultuurwijzer editions: the first ``editions`` municipalities.
        keys = [f"stelling-{n:02d}" for n in range(STATEMENTS)]
        with_edition = places[:size["editions"]]
        for m in with_edition:
            edition = Edition(id=f"bench2026-{m.code.lower()}", election=election, municipality=m,
                              status="published", published_at=now)
            db.session.add(edition)
            statements = [Statement(edition=edition, key=key, sort_order=n, theme="Cultuur",
                                    title=f"Stelling {n} (fictief)", text="Fictieve stelling.")
                          for n, key in enumerate(keys)]
            parties = [Party(edition=edition, key=f"partij-{p}", name=f"Partij {p} (fictief)", list_number=p + 1)
                       for p in range(PARTIES)]
            db.session.add_all(statements + parties)
            db.session.flush()
            db.session.add_all(Position(party_id=party.id, statement_id=statement.id,
                                        value=rng.choice((-1, 0, 1)), explanation="Fictief.")
                               for party in parties for statement in statements)
        db.session.flush()

        # Topics: a third of them sub-topics, each linked to 1-3 statements.
        statuses = list(db.session.scalars(db.select(TopicStatus).order_by(TopicStatus.position)))
        topics: list[Topic] = []
        for n in range(size["topics"]):
            parent = rng.choice(topics[:max(len(topics) // 3, 1)]) if n % 3 == 2 and topics else None
            topic = Topic(title=f"Onderwerp {n} (fictief)", ask="Een fictieve vraag.", status=rng.choice(statuses),
                          parent=parent, priority=rng.choice((1, 2, 3)))
            for key in rng.sample(keys, rng.randint(1, 3)):
                topic.statements.append(TopicStatement(statement_key=key, supports=rng.choice(("agree", "disagree"))))
            topics.append(topic)
        db.session.add_all(topics)

        # Parties and input: 10 national, 3 local in each municipality with an edition (300 at full size).
        national = [PoliticalParty(name=f"Landelijk {n} (fictief)", level="national") for n in range(10)]
        local = [PoliticalParty(name=f"Lokaal {n} {m.code} (fictief)", level="local", municipality=m)
                 for m in places[:100] for n in range(3)]
        db.session.add_all(national + local)
        db.session.flush()
        dossier_parties = [p for p in local if p.municipality_id == places[0].id]
        for n in range(size["inputs"]):
            party = dossier_parties[n % 3] if n % 10 == 0 else rng.choice(national + local)
            open_step = n % 4 == 0
            db.session.add(PartyInput(
                topic=rng.choice(topics), party=party, kind=rng.choice(("letter", "meeting", "manifesto")),
                given_on=today - dt.timedelta(days=rng.randint(1, 200)), given_by_id=editor.id,
                stance=rng.choice(("supportive", "neutral", "opposed", "unknown")), summary="Fictief.",
                next_step="Nabellen (fictief)" if open_step else "",
                next_step_due=today + dt.timedelta(days=rng.randint(-30, 30)) if open_step else None))

        # Figures: every municipality, both kinds, three years.
        kinds = list(db.session.scalars(db.select(FigureKind)))
        db.session.add_all(LocalFigure(municipality_id=m.id, kind_id=kind.id, year=year,
                                       value=rng.uniform(10, 2000), source="Bench (fictief)")
                           for m in places for kind in kinds for year in (2022, 2023, 2024))

        # Debates (the dossier's municipality always has a few) with their lobby topics.
        venues = {}
        for n in range(size["debates"]):
            m = places[0] if n < 4 else rng.choice(places)
            venue = venues.get(m.id)
            if venue is None:
                venue = venues[m.id] = Venue(municipality=m, name=f"Zaal {m.code} (fictief)", street="Straat 1",
                                             postcode="1234 AB", city=m.name, capacity=200)
            # One debate a day: no two share a venue's evening (PostgreSQL refuses a double booking).
            starts = now.replace(hour=18, minute=0, second=0, microsecond=0) + dt.timedelta(days=n - 20)
            debate = Debate(kind="lijsttrekkersdebat", title=f"Debat {n} (fictief)", election=election,
                            municipality=m, venue=venue, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                            capacity=150, status=rng.choice(("draft", "confirmed", "published", "held",
                                                             "cancelled")))
            db.session.add(debate)
            for topic in rng.sample(topics, min(2, len(topics))):
                topic.debates.append(debate)

        # Active coordinators, one lead per municipality.
        for n, m in enumerate(places[:size["coordinators"]]):
            db.session.add(Application(name=f"Coördinator {n} (fictief)", email=f"c{n}@bench.invalid",
                                       status="active", consent_version="bench", consent_at=now,
                                       motivation="Fictief.", assignments=[Assignment(municipality=m,
                                                                                      is_lead=True)]))

        # Shared answers for the dossier's edition (above the minimum).
        edition_id = f"bench2026-{places[0].code.lower()}"
        db.session.add_all(AnswerDay(edition_id=edition_id, day=today - dt.timedelta(days=d), count=20)
                           for d in range(30))
        db.session.add_all(AnswerTally(edition_id=edition_id, statement_key=key, answer=answer,
                                       count=rng.randint(50, 250))
                           for key in keys for answer in ("agree", "neutral", "disagree", "skip"))
        db.session.commit()
        return editor.get_id()


def measure(app, editor: str, repeat: int) -> dict[str, Timing]:
    return time_pages(app, {
        "dashboard": (editor, "/beheer/lobby/"),
        f"dossier {DOSSIER}": (editor, f"/beheer/lobby/gemeenten/{DOSSIER}"),
        f"dossier {DOSSIER} JSON": (editor, f"/beheer/lobby/gemeenten/{DOSSIER}.json"),
        "municipality list (342)": (editor, "/beheer/lobby/gemeenten"),
    }, repeat)


def run_backend(backend: str, repeat: int) -> tuple[bool, list[tuple[str, str]]]:
    reports = {}
    for name, size in (("small", SMALL), ("full", FULL)):
        with fresh_app(backend, "bench-lobby-") as app:
            reports[name] = measure(app, build(app, size), repeat)
    ok = True
    rows = []
    for label in reports["full"]:
        small, full = reports["small"][label], reports["full"][label]
        m1, q1, m2, p2, q2 = small.median, small.statements, full.median, full.p95, full.statements
        grows = q2 > q1
        ok &= not grows
        rows.append((label, f"median {m2:7.1f} ms   p95 {p2:7.1f} ms   {q2:3d} SQL   "
                            f"(small: {m1:6.1f} ms, {q1:3d} SQL; full/small {m2 / m1:4.1f}x)"
                     + ("  <- SQL count grows with the data" if grows else "")))
    html, data = reports["full"][f"dossier {DOSSIER}"].median, reports["full"][f"dossier {DOSSIER} JSON"].median
    rows.append(("dossier JSON / HTML", f"{data / html:.2f}x the time of the page"))
    return ok, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    busy = machine_busy()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    ok = True
    for backend in backends:
        passed, rows = run_backend(backend, args.repeat)
        ok &= passed
        header = [busy_row(busy), ("", "")] if backend == backends[0] else []
        full = ", ".join(f"{v} {k}" for k, v in FULL.items())
        print_report(f"\nLobby pages on {backend} ({os.cpu_count()} cores; full: {full}; small: a tenth)",
                     header + rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The campaign team's coordinator pages at campaign scale, on SQLite and PostgreSQL.

A fresh database per backend with 342 fictional municipalities in 12 provinces (the size of the Netherlands),
120 member organisations, one edition per municipality for a third of them, and N fictional applications spread
over every pipeline status (accepted and later ones assigned, a lead per municipality). Then, in-process (Flask
test client, signed in as an editor, no HTTP), each page is requested a number of times and the script prints
the median server time and the number of SQL statements per request:

* the board (every status), the board filtered on one province, the board for a coordinator (scoped);
* one application's page; the coverage overview; the public recruitment overview.

It runs for N = 300 and N = 3000 and prints the ratio of the medians: the query counts must not grow with N
(no query per card or per municipality; selectinload's batches of 500 ids add a few), the time grows with the
rows rendered. Exits with status 1 if a page does not answer 200 or a query count grows with N.

    .venv/bin/python bench/coordinators.py [--backend sqlite|postgresql|both] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import random
import sys

# bench/ holds an http.py: drop this folder from the import path, or ``import http`` (werkzeug) finds it.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
ROOT = os.path.dirname(_HERE)
sys.path.insert(0, ROOT)

from bench.machine import machine_busy  # noqa: E402
from bench.pages import Timing, fresh_app, time_pages  # noqa: E402

PROVINCES = ("Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
             "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland")
STATUS_WEIGHTS = {"applied": 5, "verified": 15, "in_conversation": 10, "accepted": 8, "in_training": 12,
                  "active": 30, "stopped": 5, "rejected": 10, "withdrawn": 5}


def build(app, applications: int, seed: int = 2026) -> dict:
    """Fill the database; returns ids the pages need."""
    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.core.models import Election, Municipality, Organisation, utcnow
    from campaign.coordinators.models import Application, Assignment
    from campaign.cultuurwijzer.models import Edition
    from campaign.extensions import db

    rng = random.Random(seed)
    with app.app_context():
        election = Election(slug="bench2026", name="Benchverkiezing (fictief)", date=utcnow().date())
        db.session.add(election)
        places = [Municipality(code=f"GM{i:04d}", name=f"Gemeente {i} (fictief)", province=PROVINCES[i % 12])
                  for i in range(1, 343)]
        db.session.add_all(places)
        db.session.flush()
        db.session.add_all(Organisation(name=f"Lid {i} (fictief)", kind="music_school", member=True,
                                        municipality=rng.choice(places)) for i in range(120))
        db.session.add_all(Edition(id=f"bench2026-{m.code.lower()}", election=election, municipality=m,
                                   status="published") for m in places[::3])
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        leads = set()
        now = utcnow()
        for i in range(applications):
            status = rng.choices(statuses, weights)[0]
            place = rng.choice(places)
            application = Application(name=f"Vrijwilliger {i} (fictief)", email=f"v{i}@bench.invalid",
                                      status=status, consent_version="bench", consent_at=now,
                                      municipalities=[place], motivation="fictief")
            if status in ("accepted", "in_training", "active"):
                lead = place.id not in leads
                leads.add(place.id)
                application.assignments.append(Assignment(municipality=place, is_lead=lead))
            db.session.add(application)
        db.session.flush()
        editor = create_user(Actor.system("bench"), email="editor@bench.invalid", name="Bench", role="editor")
        coordinator = create_user(Actor.system("bench"), email="coordinator@bench.invalid", name="Bench C",
                                  role="coordinator", municipality_codes=[p.code for p in places[:3]])
        db.session.commit()
        some = db.session.scalar(db.select(Application.id).where(Application.status == "active").limit(1))
        return {"editor": editor.get_id(), "coordinator": coordinator.get_id(), "application": some}


def measure(app, ids: dict, repeat: int) -> dict[str, Timing]:
    return time_pages(app, {
        "board": (ids["editor"], "/beheer/coordinatoren/"),
        "board, one province": (ids["editor"], "/beheer/coordinatoren/?province=Utrecht"),
        "board, coordinator": (ids["coordinator"], "/beheer/coordinatoren/"),
        "application page": (ids["editor"], f"/beheer/coordinatoren/aanmeldingen/{ids['application']}"),
        "coverage": (ids["editor"], "/beheer/coordinatoren/dekking"),
        "recruitment overview (public)": (None, "/coordinatoren/"),
    }, repeat)


def run_backend(backend: str, sizes: list[int], repeat: int) -> bool:
    reports = {}
    for size in sizes:
        with fresh_app(backend, "bench-co-") as app:
            reports[size] = measure(app, build(app, size), repeat)
    small, large = sizes
    # selectinload fetches related rows in batches of 500 ids: a few statements more for more rows is that,
    # one statement per card or per municipality would be hundreds.
    allowed_growth = 2 * -(-large // 500)
    ok = True
    print(f"\n{backend}: median server time per request (ms) and SQL statements, {small} vs {large} applications")
    print(f"  {'page':32} {'ms @' + str(small):>10} {'ms @' + str(large):>10} {'ratio':>6} "
          f"{'SQL @' + str(small):>9} {'SQL @' + str(large):>9}")
    for label in reports[small]:
        (t1, q1), (t2, q2) = [(r[label].median, r[label].statements) for r in (reports[small], reports[large])]
        grows = q2 > q1 + allowed_growth
        flag = "  <- query count grows with the data" if grows else ""
        ok &= not grows
        print(f"  {label:32} {t1:10.1f} {t2:10.1f} {t2 / t1:6.1f} {q1:9d} {q2:9d}{flag}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {machine_busy():.0%} busy before the run")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    ok = all([run_backend(b, [300, 3000], args.repeat) for b in backends])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

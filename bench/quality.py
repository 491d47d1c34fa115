"""Benchmark of the Cultuurwijzer quality check on one core.

Times ``quality.check_quality`` with 1,000,000 simulations (1,000,000 random citizens and 1,000,000 near the
parties, every one scored by ``matching.score_batch``) on two editions the size of the Utrecht demo:

* a fictional edition of 25 statements x 8 parties (positions in {-1, 0, 1}, ~3% no position), fixed seed;
* the Utrecht demo edition itself (data/parties/gr2026-gm0344-utrecht.json, 24 statements x 8 parties).

Prints the time of the whole check (best of 3) and the simulated citizens scored per second. Exits with
status 1 when two runs with the same seed give different reports.

BLAS/OpenMP thread pools are limited to one thread (set below before numpy is imported): the figures are
for one core.

    .venv/bin/python bench/quality.py [--simulations N] [--seed N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: one core

import sys  # noqa: E402

# Our folder also holds http.py: take it off the import path, or the standard library's http (which Flask
# imports) would be shadowed by it. The repository root goes on instead, for ``campaign``.
_HERE = os.path.dirname(os.path.realpath(__file__))
_ROOT = os.path.dirname(_HERE)
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
sys.path.insert(0, _ROOT)

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench.machine import busy_row, machine_busy, print_report  # noqa: E402
from campaign.cultuurwijzer.editions import read_edition_file  # noqa: E402
from campaign.cultuurwijzer.quality import check_quality  # noqa: E402

STATEMENTS, PARTIES, NO_POSITION = 25, 8, 0.03
UTRECHT = os.path.join(_ROOT, "data", "parties", "gr2026-gm0344-utrecht.json")
AIM_SECONDS = 2.0  # for 1M random + 1M near citizens: about a second per million


def fictional_edition(seed: int) -> tuple[np.ndarray, list[str], list[str]]:
    rng = np.random.default_rng(seed)
    positions = rng.integers(-1, 2, size=(PARTIES, STATEMENTS)).astype(np.float64)
    positions[rng.random(positions.shape) < NO_POSITION] = np.nan
    return positions, [f"p{i}" for i in range(PARTIES)], [f"s{j}" for j in range(STATEMENTS)]


def utrecht_edition() -> tuple[np.ndarray, list[str], list[str]]:
    data = read_edition_file(UTRECHT)
    statements = [s.id for s in data.statements]
    positions = np.full((len(data.parties), len(statements)), np.nan)
    for i, party in enumerate(data.parties):
        for j, key in enumerate(statements):
            value = party.positions.get(key, (None, ""))[0]
            if value is not None:
                positions[i, j] = value
    return positions, [p.id for p in data.parties], statements


def same_report(a, b) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in (
        (a.uniform.first, b.uniform.first), (a.uniform.first_alone, b.uniform.first_alone),
        (a.near.first, b.near.first), (a.near.first_alone, b.near.first_alone), (a.near_own, b.near_own)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    busy = machine_busy()
    editions = [("fictional", fictional_edition(args.seed)), ("Utrecht demo", utrecht_edition())]
    citizens = 2 * args.simulations
    rows = [
        ("simulations", f"{args.simulations:,} random + {args.simulations:,} near the parties, seed {args.seed}"),
        ("machine", f"{os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}, "
                    f"BLAS/OpenMP threads = 1"),
        busy_row(busy),
    ]
    deterministic = True
    for name, (positions, parties, statements) in editions:
        runs, reports = [], []
        for _ in range(3):
            started = time.perf_counter()
            reports.append(check_quality(positions, parties, statements, simulations=args.simulations,
                                         seed=args.seed))
            runs.append(time.perf_counter() - started)
        best = min(runs)
        deterministic &= same_report(reports[0], reports[-1])
        rows += [
            ("", ""),
            (f"{name}", f"{positions.shape[1]} statements x {positions.shape[0]} parties"),
            ("  check_quality", f"{best:8.3f} s  (best of 3: {', '.join(f'{r:.3f}' for r in runs)})"),
            ("  simulated citizens/s", f"{citizens / best:14,.0f}"),
            (f"  aim: under {AIM_SECONDS:.0f} s for 2M citizens",
             ("met" if best * 2_000_000 / citizens < AIM_SECONDS else "MISSED")
             + ("" if citizens == 2_000_000 else f" (extrapolated from {citizens:,})")),
        ]
    rows.append(("same seed, same report", str(deterministic)))
    print_report("Cultuurwijzer quality check, one core", rows)
    if not deterministic:
        print("FAIL: two runs with the same seed gave different reports", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

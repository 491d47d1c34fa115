"""Benchmark of the Cultuurwijzer matching engine on one core.

A fictional edition of 30 statements x 15 parties (positions in {-1, 0, 1}, ~3% no position) and
1,000,000 simulated citizens (answers in {-1, 0, 1}, ~15% skipped, ~20% marked important), fixed seed.

Prints the time ``matching.score_batch`` takes for all of them (best of 3), the citizen-party scores per
second, and the ratio to a plain-Python loop of the same method on a sample of 20,000 citizens (its speed
per citizen extrapolated). Exits with status 1 when the plain loop and ``score_batch`` disagree on the
sample, or ``score_citizen`` disagrees with either.

BLAS/OpenMP thread pools are limited to one thread (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS,
MKL_NUM_THREADS = 1, set below before numpy is imported): the figures are for one core.

    .venv/bin/python bench/engine.py [--citizens N] [--sample N] [--seed N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: one core

import sys  # noqa: E402

# Our folder also holds http.py: take it off the import path, or the standard library's http (which Flask
# imports) would be shadowed by it. The repository root goes on instead, for ``campaign``.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
sys.path.insert(0, os.path.dirname(_HERE))

import argparse  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench.machine import busy_row, machine_busy, print_report, threads  # noqa: E402
from campaign.cultuurwijzer import matching  # noqa: E402

STATEMENTS, PARTIES = 30, 15
NO_POSITION, SKIPPED, IMPORTANT = 0.03, 0.15, 0.20
AIM_SECONDS, AIM_RATIO = 1.0, 100.0
PLAIN_BUDGET_SECONDS = 60.0  # the plain loop stops early (and extrapolates) if it takes longer than this
SINGLE_COUNT, SINGLE_BUDGET_SECONDS = 20_000, 20.0


def make_edition(rng: np.random.Generator) -> np.ndarray:
    positions = rng.integers(-1, 2, size=(PARTIES, STATEMENTS)).astype(np.float64)
    positions[rng.random(positions.shape) < NO_POSITION] = np.nan
    return positions


def make_citizens(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    answers = rng.integers(-1, 2, size=(n, STATEMENTS)).astype(np.float64)
    answers[rng.random(answers.shape) < SKIPPED] = np.nan
    important = rng.random(answers.shape) < IMPORTANT
    return answers, important


def plain_scores(positions: list[list[float | None]], answers: list[list[float | None]],
                 important: list[list[bool]], deadline: float) -> list[list[float]]:
    """The method written out in plain Python, one citizen, party and statement at a time.

    points = weight * (2 - |a - p|), a skipped statement is left out, a missing position earns 0 points
    but its maximum counts; score = 100 * points / maximum. Stops at ``deadline`` (perf_counter time).
    """
    out = []
    for a_row, i_row in zip(answers, important):
        if time.perf_counter() > deadline:
            break
        scores = []
        for p_row in positions:
            points = maximum = 0.0
            for a, imp, p in zip(a_row, i_row, p_row):
                if a is None:
                    continue
                weight = 2.0 if imp else 1.0
                maximum += 2.0 * weight
                if p is not None:
                    points += weight * (2.0 - abs(a - p))
            scores.append(100.0 * points / maximum if maximum else math.nan)
        out.append(scores)
    return out


def to_lists(array: np.ndarray) -> list[list[float | None]]:
    return [[None if v != v else v for v in row] for row in array.tolist()]


def max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    both_nan = np.isnan(a) & np.isnan(b)
    if (np.isnan(a) != np.isnan(b)).any():
        return math.inf
    return float(np.abs(np.where(both_nan, 0.0, a - b)).max(initial=0.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="citizens for the plain-Python loop")
    parser.add_argument("--seed", type=int, default=20260318)
    args = parser.parse_args()

    busy = machine_busy()
    rng = np.random.default_rng(args.seed)
    positions = make_edition(rng)
    answers, important = make_citizens(rng, args.citizens)
    n = args.citizens
    sample = min(args.sample, n)

    # --- score_batch, all citizens, best of 3 ---
    runs = []
    batch = None
    for _ in range(3):
        started = time.perf_counter()
        batch = matching.score_batch(positions, answers, important)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    batch_rate = n / best  # citizens per second

    # --- plain Python on the sample ---
    p_list = to_lists(positions)
    a_list = to_lists(answers[:sample])
    i_list = important[:sample].tolist()
    started = time.perf_counter()
    plain = plain_scores(p_list, a_list, i_list, started + PLAIN_BUDGET_SECONDS)
    plain_seconds = time.perf_counter() - started
    plain_done = len(plain)
    plain_rate = plain_done / plain_seconds
    plain = np.array(plain, dtype=np.float64).reshape(plain_done, PARTIES)

    # --- score_citizen, one at a time (what a result page does) ---
    single_n = min(SINGLE_COUNT, n)
    single = np.empty((single_n, PARTIES))
    deadline = time.perf_counter() + SINGLE_BUDGET_SECONDS
    started = time.perf_counter()
    single_done = 0
    for k in range(single_n):
        if time.perf_counter() > deadline:
            break
        single[k] = matching.score_citizen(positions, answers[k], important[k]).scores
        single_done += 1
    single_seconds = time.perf_counter() - started
    single = single[:single_done]

    # --- agreement ---
    diff_plain = max_abs_diff(plain, batch[:plain_done])
    exact_plain = bool(np.array_equal(plain, batch[:plain_done], equal_nan=True))
    diff_single = max_abs_diff(single, batch[:single_done])
    agree = diff_plain < 1e-9 and diff_single < 1e-9

    ratio = batch_rate / plain_rate
    rows = [
        ("edition", f"{STATEMENTS} statements x {PARTIES} parties, {NO_POSITION:.0%} no position"),
        ("citizens", f"{n:,} ({SKIPPED:.0%} skipped, {IMPORTANT:.0%} important), seed {args.seed}"),
        ("machine", f"{os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}, "
                    f"BLAS/OpenMP threads = 1 (threads in this process: {threads()})"),
        busy_row(busy),
        ("", ""),
        ("score_batch, all citizens", f"{best:8.3f} s  (best of 3: {', '.join(f'{r:.3f}' for r in runs)})"),
        ("  citizen-party scores/s", f"{n * PARTIES / best:14,.0f}"),
        ("  citizens/s", f"{batch_rate:14,.0f}"),
        ("plain Python loop", f"{plain_seconds:8.3f} s for {plain_done:,} citizens"),
        ("  citizen-party scores/s", f"{plain_rate * PARTIES:14,.0f}"),
        ("  extrapolated to all", f"{n / plain_rate:8.1f} s"),
        ("score_citizen, one by one", f"{single_seconds / max(single_done, 1) * 1e6:8.1f} us per citizen "
                                      f"({single_done:,} citizens)"),
        ("", ""),
        ("speed-up batch / plain", f"{ratio:8.0f} x"),
        ("speed-up batch / single", f"{batch_rate * single_seconds / max(single_done, 1):8.0f} x"),
        ("agreement plain vs batch", f"max |diff| = {diff_plain:.3g}, exactly equal: {exact_plain}"),
        ("agreement single vs batch", f"max |diff| = {diff_single:.3g}"),
        ("aim: 1M under 1 s", ("met" if best * 1_000_000 / n < AIM_SECONDS else "MISSED")
                              + ("" if n == 1_000_000 else f" (extrapolated from {n:,})")),
        ("aim: >= 100x plain loop", "met" if ratio >= AIM_RATIO else "MISSED"),
    ]
    print_report("Cultuurwijzer matching engine, one core", rows)
    if not agree:
        print("FAIL: the plain loop, score_citizen and score_batch do not agree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

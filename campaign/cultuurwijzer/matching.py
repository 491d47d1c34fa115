"""The Cultuurwijzer matching engine: pure numpy, no Flask.

The method (docs/method.md has it in full, with a worked example):

* answers and positions are coded agree = +1, neutral = 0, disagree = -1; a skipped statement is NaN in
  the answers and is left out; a party that gave no position has NaN there;
* the weight of an answered statement is 2 when the citizen marked it extra important, else 1;
* per answered statement a party earns ``weight * (2 - |answer - position|)`` points out of a maximum of
  ``weight * 2``; a party without a position there earns 0 points, but the maximum still counts;
* score = 100 * sum(points) / sum(maximum); equal scores share a rank (1, 1, 3).

``score_citizen`` scores one citizen directly from that formula. ``score_batch`` scores many at once with
one matrix product: for a, p in {-1, 0, +1},

    2 - |a - p| = 1 + a*p + (1 - a^2)(1 - p^2)

which is bilinear, so the points of every citizen for every party are ``X @ F`` with citizen features
X = [w, w*a, w*(1 - a^2)] and party features F = [m, m*p, m*(1 - p^2)] (m = 1 where a position exists).
Both functions return the same numbers (the tests check that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AGREE, NEUTRAL, DISAGREE = 1.0, 0.0, -1.0
SKIP = np.nan
IMPORTANT_WEIGHT = 2.0


class NothingAnswered(ValueError):
    """Raised when a citizen skipped every statement: there is nothing to compare."""


@dataclass(frozen=True)
class Match:
    """One citizen's result: per party the points earned, the shared maximum, the score and the rank.

    ``earned`` and ``possible`` break the points down per statement (0 where the citizen skipped), so an
    explanation shows exactly the numbers the score was computed from.
    """

    earned: np.ndarray  # (parties, statements) points per statement
    possible: np.ndarray  # (statements,) maximum per statement
    points: np.ndarray  # (parties,)
    maximum: float
    scores: np.ndarray  # (parties,) percentage, 0..100
    ranks: np.ndarray  # (parties,) 1-based competition ranks


def _weights(answers: np.ndarray, important: np.ndarray | None) -> np.ndarray:
    answered = ~np.isnan(answers)
    if important is None:
        weights = np.ones(answers.shape, dtype=np.float64)
    else:
        weights = np.where(np.asarray(important, dtype=bool), IMPORTANT_WEIGHT, 1.0)
    return np.where(answered, weights, 0.0)


def competition_ranks(points: np.ndarray) -> np.ndarray:
    """Rank 1 for the most points; equal points share a rank and the next rank skips (1, 1, 3)."""
    points = np.asarray(points, dtype=np.float64)
    # 1 + how many parties scored strictly more: O(P^2), and P is at most a few dozen.
    return 1 + (points[None, :] > points[:, None]).sum(axis=1)


def score_citizen(positions: np.ndarray, answers: np.ndarray, important: np.ndarray | None = None) -> Match:
    """Score one citizen against every party.

    positions: (parties, statements), values in {-1, 0, 1} or NaN (no position).
    answers: (statements,), values in {-1, 0, 1} or NaN (skipped).
    important: (statements,) booleans, or None.
    """
    positions = np.asarray(positions, dtype=np.float64)
    answers = np.asarray(answers, dtype=np.float64)
    if positions.ndim != 2 or answers.shape != (positions.shape[1],):
        raise ValueError("answers must have one value per statement")
    weights = _weights(answers, important)
    if not (weights > 0).any():
        raise NothingAnswered("no statement was answered")
    with np.errstate(invalid="ignore"):  # NaN - NaN where skipped or no position: earns nothing
        agreement = 2.0 - np.abs(answers[None, :] - positions)
    earned = np.where(np.isnan(agreement), 0.0, agreement) * weights[None, :]
    possible = 2.0 * weights
    points = earned.sum(axis=1)
    maximum = float(possible.sum())
    scores = 100.0 * points / maximum
    return Match(earned=earned, possible=possible, points=points, maximum=maximum, scores=scores,
                 ranks=competition_ranks(points))


def party_features(positions: np.ndarray) -> np.ndarray:
    """(3 * statements, parties) float32 matrix F of the bilinear form (see the module docstring)."""
    positions = np.asarray(positions, dtype=np.float64)
    present = ~np.isnan(positions)
    p = np.where(present, positions, 0.0)
    m = present.astype(np.float64)
    return np.concatenate([m, m * p, m * (1.0 - p * p)], axis=1).T.astype(np.float32)


def score_batch(
    positions: np.ndarray,
    answers: np.ndarray,
    important: np.ndarray | None = None,
    *,
    chunk_size: int = 4096,
) -> np.ndarray:
    """Scores of many citizens at once: (citizens, parties) percentages.

    answers: (citizens, statements) in {-1, 0, 1} or NaN; important: same shape, booleans, or None.
    A citizen who answered nothing gets NaN scores. Points are whole numbers, so float32 products are
    exact; the division happens in float64 exactly as in ``score_citizen``. Work goes in cache-sized chunks
    through one preallocated feature buffer.
    """
    positions = np.asarray(positions, dtype=np.float64)
    answers = np.asarray(answers)
    n, s = answers.shape
    if s != positions.shape[1]:
        raise ValueError("answers must have one column per statement")
    if important is not None:
        important = np.asarray(important, dtype=bool)
    features = party_features(positions)
    out = np.empty((n, positions.shape[0]), dtype=np.float64)
    x = np.empty((min(chunk_size, max(n, 1)), 3 * s), dtype=np.float32)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        rows = stop - start
        a = answers[start:stop].astype(np.float32)  # our own copy: safe to change in place
        w, wa, wz = x[:rows, :s], x[:rows, s:2 * s], x[:rows, 2 * s:]
        answered = ~np.isnan(a)
        if important is None:
            np.copyto(w, answered)
        else:
            np.add(important[start:stop], np.float32(1.0), out=w)  # 2 where important, else 1
            w *= answered
        np.nan_to_num(a, copy=False, nan=0.0)
        np.multiply(w, a, out=wa)  # w * a
        np.multiply(a, a, out=wz)
        np.subtract(np.float32(1.0), wz, out=wz)
        wz *= w  # w * (1 - a^2)
        points = (x[:rows] @ features).astype(np.float64)
        maximum = 2.0 * w.sum(axis=1, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:stop] = 100.0 * points / maximum[:, None]
        out[start:stop][maximum == 0] = np.nan
    return out

"""The Cultuurwijzer quality check before publishing: pure numpy, no Flask.

Three figures (docs/method.md, "Quality check", says the same for editors):

* **agreement**: for every two parties, the share of the statements on which both gave a position where
  they gave the same one. Two parties with the same position on every statement, and no position on the
  same statements, get the same score from every citizen: nobody can tell them apart, so they are flagged.
* **separation**: for every statement, the share of all party pairs whose positions on it differ ("no
  position" counts as a position of its own: it earns different points too). 1 means every two parties
  differ there, 0 means every party took the same stance, so the statement changes nobody's ranking: it is
  flagged.
* **first places**: citizens are simulated and scored with the engine (``matching.score_batch``):
  ``simulations`` citizens answering uniformly at random (agree / neutral / disagree, no skips, no extra
  weight), and ``simulations`` citizens *near* the parties, split evenly over them, who copy a party's
  positions but give a uniformly random answer with probability ``noise`` per statement (and wherever the
  party gave no position). For each party: the share of citizens for whom it ranks first (a shared first
  place counts for every party in it), and the share for whom it ranks first alone. A party that ranks
  first in neither simulation is flagged as never first; a party that ranks first only together with
  another is flagged too, unless it is already flagged as identical to another party (which explains it).
  The near simulation includes the citizens who copy a party exactly, so "never first" is a strong sign.

Citizens are generated and scored in chunks, so memory stays small for any number of them, and a seeded
generator makes the report the same every time for the same positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from campaign.cultuurwijzer import matching

CHUNK = 65_536  # citizens generated and scored at once
NOISE = 0.2  # chance that a citizen near a party answers a statement at random
POSITION_CODES = (1.0, 0.0, -1.0)  # agree, neutral, disagree; then "no position"


@dataclass(frozen=True)
class FirstPlaces:
    """One simulation: per party, how often it ranks first."""

    citizens: int
    first: np.ndarray  # (parties,) share of citizens for whom the party ranks first, alone or shared
    first_alone: np.ndarray  # (parties,) share for whom it ranks first and no other party has as many points


@dataclass(frozen=True)
class QualityReport:
    party_keys: tuple[str, ...]
    statement_keys: tuple[str, ...]
    shared: np.ndarray  # (parties, parties) statements on which both parties gave a position
    agreement: np.ndarray  # (parties, parties) share 0..1 of those with the same position; NaN if none
    identical: tuple[tuple[str, str], ...]  # party pairs that no citizen can tell apart
    position_counts: np.ndarray  # (statements, 4) parties that agree, are neutral, disagree, gave none
    separation: np.ndarray  # (statements,) share 0..1 of party pairs that differ; NaN with fewer than 2 parties
    not_separating: tuple[str, ...]  # statements on which every party took the same stance
    noise: float
    uniform: FirstPlaces
    near: FirstPlaces
    near_own: np.ndarray  # (parties,) share of the citizens simulated near a party for whom it ranks first
    never_first: tuple[str, ...]  # parties first in neither simulation
    only_shared_first: tuple[str, ...]  # parties first only together with another (identical ones left out)

    @property
    def warnings(self) -> int:
        return len(self.identical) + len(self.not_separating) + len(self.never_first) + len(self.only_shared_first)


def _codes(positions: np.ndarray) -> np.ndarray:
    """Positions as small integers, "no position" a value of its own: 0 agree, 1 neutral, 2 disagree, 3 none."""
    codes = np.full(positions.shape, len(POSITION_CODES), dtype=np.int8)
    for code, value in enumerate(POSITION_CODES):
        codes[positions == value] = code
    return codes


def agreement_matrix(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(shared, agreement): statements both parties took a position on, and the share of those with the same one."""
    codes = _codes(positions)
    onehot = [(codes == code).astype(np.int64) for code in range(len(POSITION_CODES))]
    given = sum(onehot)
    shared = given @ given.T
    same = sum(o @ o.T for o in onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(shared > 0, same / shared, np.nan)
    return shared, agreement


def count_first_places(positions: np.ndarray, answers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per party, of these citizens: how many rank it first (alone or shared), and how many first alone.

    answers: (citizens, statements), every statement answered (in {-1, 0, 1}), scored by
    ``matching.score_batch``. Every citizen has the same maximum for all parties, so equal points give
    exactly equal scores and a shared first place is exact.
    """
    scores = matching.score_batch(positions, answers)
    top = scores == scores.max(axis=1, keepdims=True)
    alone = top[top.sum(axis=1) == 1]
    return top.sum(axis=0), alone.sum(axis=0)


def _uniform_citizens(rng: np.random.Generator, n: int, statements: int) -> np.ndarray:
    return rng.integers(-1, 2, size=(n, statements), dtype=np.int8)


def _near_citizens(rng: np.random.Generator, n: int, party: np.ndarray, noise: float) -> np.ndarray:
    """Copies of one party's positions, each answer replaced by a random one with probability ``noise``
    (always where the party gave no position)."""
    answers = _uniform_citizens(rng, n, party.size)
    keep = ~np.isnan(party) & (rng.random(answers.shape, dtype=np.float32) >= noise)
    np.copyto(answers, np.nan_to_num(party).astype(np.int8), where=keep)
    return answers


def _chunks(n: int):
    for start in range(0, n, CHUNK):
        yield min(CHUNK, n - start)


def check_quality(positions: np.ndarray, party_keys, statement_keys, *, simulations: int, seed: int = 2026,
                  noise: float = NOISE) -> QualityReport:
    """The quality report of one edition.

    positions: (parties, statements) in {-1, 0, 1} or NaN (no position), rows in ``party_keys`` order and
    columns in ``statement_keys`` order; at least one of each. ``simulations`` citizens are simulated
    uniformly at random and as many near the parties (see the module docstring); ``seed`` makes it
    reproducible.
    """
    positions = np.asarray(positions, dtype=np.float64)
    party_keys, statement_keys = tuple(party_keys), tuple(statement_keys)
    if positions.shape != (len(party_keys), len(statement_keys)) or 0 in positions.shape:
        raise ValueError("positions must be (parties, statements) with at least one of each")
    if simulations < 1:
        raise ValueError("simulate at least one citizen")
    n_parties, n_statements = positions.shape

    shared, agreement = agreement_matrix(positions)
    codes = _codes(positions)
    equal = (codes[:, None, :] == codes[None, :, :]).all(axis=2)
    identical = tuple((party_keys[i], party_keys[j]) for i, j in zip(*np.nonzero(np.triu(equal, k=1))))

    counts = np.stack([(codes == code).sum(axis=0) for code in range(len(POSITION_CODES) + 1)], axis=1)
    pairs = n_parties * (n_parties - 1) // 2
    same_pairs = (counts * (counts - 1) // 2).sum(axis=1)
    separation = (pairs - same_pairs) / pairs if pairs else np.full(n_statements, np.nan)
    not_separating = tuple(key for key, value in zip(statement_keys, separation) if value == 0)

    rng = np.random.default_rng(seed)
    first, alone = np.zeros((2, n_parties), dtype=np.int64), np.zeros((2, n_parties), dtype=np.int64)
    for size in _chunks(simulations):
        top, top_alone = count_first_places(positions, _uniform_citizens(rng, size, n_statements))
        first[0] += top
        alone[0] += top_alone
    near_counts = np.full(n_parties, simulations // n_parties)
    near_counts[:simulations % n_parties] += 1
    own = np.zeros(n_parties, dtype=np.int64)
    for i, n in enumerate(near_counts):
        for size in _chunks(n):
            top, top_alone = count_first_places(positions, _near_citizens(rng, size, positions[i], noise))
            first[1] += top
            alone[1] += top_alone
            own[i] += top[i]

    in_identical_pair = {key for pair in identical for key in pair}
    never_first = tuple(key for key, f in zip(party_keys, first.T) if not f.any())
    only_shared_first = tuple(key for key, f, a in zip(party_keys, first.T, alone.T)
                              if f.any() and not a.any() and key not in in_identical_pair)
    with np.errstate(invalid="ignore", divide="ignore"):  # fewer citizens than parties: some got none
        near_own = np.where(near_counts > 0, own / near_counts, np.nan)
    return QualityReport(
        party_keys=party_keys,
        statement_keys=statement_keys,
        shared=shared,
        agreement=agreement,
        identical=identical,
        position_counts=counts,
        separation=separation,
        not_separating=not_separating,
        noise=noise,
        uniform=FirstPlaces(simulations, first[0] / simulations, alone[0] / simulations),
        near=FirstPlaces(simulations, first[1] / simulations, alone[1] / simulations),
        near_own=near_own,
        never_first=never_first,
        only_shared_first=only_shared_first,
    )

"""The matching engine against hand-worked examples, and batch == single."""

import numpy as np
import pytest

from campaign.cultuurwijzer.matching import NothingAnswered, competition_ranks, score_batch, score_citizen

NAN = np.nan


def test_identical_answers_score_100_and_opposite_score_0():
    positions = np.array([[1, -1, 0, 1], [-1, 1, 0, -1]], dtype=float)
    answers = np.array([1, -1, 0, 1], dtype=float)
    match = score_citizen(positions, answers)
    assert match.scores[0] == 100.0
    # Opposite on the three non-neutral statements (0 points each), both neutral on the third (2 of 2 points).
    assert match.points[1] == 2.0 and match.maximum == 8.0
    opposite = score_citizen(np.array([[1, -1, 1]], dtype=float), np.array([-1, 1, -1], dtype=float))
    assert opposite.scores[0] == 0.0


def test_all_neutral_party_scores_exactly_50_for_a_citizen_taking_sides():
    positions = np.zeros((1, 25))
    rng = np.random.default_rng(7)
    answers = rng.choice([-1.0, 1.0], size=25)
    important = rng.random(25) < 0.3
    assert score_citizen(positions, answers, important).scores[0] == 50.0


def test_weights_double_the_points_of_important_statements():
    # Citizen: agree, agree. Party: agree, disagree.
    positions = np.array([[1, -1]], dtype=float)
    answers = np.array([1, 1], dtype=float)
    plain = score_citizen(positions, answers)
    assert (plain.points[0], plain.maximum) == (2.0, 4.0)  # 50 %
    first_important = score_citizen(positions, answers, np.array([True, False]))
    assert (first_important.points[0], first_important.maximum) == (4.0, 6.0)
    assert first_important.scores[0] == pytest.approx(66.6667, abs=1e-4)
    second_important = score_citizen(positions, answers, np.array([False, True]))
    assert second_important.scores[0] == pytest.approx(100 * 2 / 6)


def test_skipped_statements_are_left_out_even_when_marked_important():
    positions = np.array([[1, -1, 1]], dtype=float)
    answers = np.array([1, NAN, 1], dtype=float)
    assert score_citizen(positions, answers).scores[0] == 100.0
    marked = score_citizen(positions, answers, np.array([False, True, False]))
    assert (marked.points[0], marked.maximum) == (4.0, 4.0)


def test_missing_position_earns_nothing_but_the_maximum_counts():
    positions = np.array([[1, NAN], [1, 1]], dtype=float)
    answers = np.array([1, 1], dtype=float)
    match = score_citizen(positions, answers)
    assert match.points.tolist() == [2.0, 4.0]
    assert match.scores[0] == 50.0


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks(np.array([4.0, 4.0, 2.0, 5.0])).tolist() == [2, 2, 4, 1]
    assert competition_ranks(np.array([3.0, 3.0, 1.0])).tolist() == [1, 1, 3]
    positions = np.array([[1, 0], [0, 1], [-1, -1]], dtype=float)
    match = score_citizen(positions, np.array([1.0, 1.0]))
    assert match.ranks.tolist() == [1, 1, 3]


def test_the_worked_example_of_the_method_page():
    # docs/method.md: agree (important), disagree, skip against parties A, B, C.
    positions = np.array([[1, 1, -1], [0, -1, 1], [-1, NAN, 1]], dtype=float)
    match = score_citizen(positions, np.array([1, -1, NAN]), np.array([True, False, False]))
    assert match.points.tolist() == [4.0, 4.0, 0.0]
    assert match.maximum == 6.0
    assert match.ranks.tolist() == [1, 1, 3]
    assert round(match.scores[0], 1) == 66.7


def test_nothing_answered_is_refused():
    with pytest.raises(NothingAnswered):
        score_citizen(np.array([[1.0, 0.0]]), np.array([NAN, NAN]))


def test_batch_gives_the_same_numbers_as_single():
    rng = np.random.default_rng(2026)
    positions = rng.integers(-1, 2, size=(12, 30)).astype(float)
    positions[rng.random(positions.shape) < 0.05] = NAN
    answers = rng.integers(-1, 3, size=(3000, 30)).astype(float)
    answers[answers == 2] = NAN
    important = rng.random(answers.shape) < 0.2
    answers[0] = NAN  # a citizen who answered nothing
    batch = score_batch(positions, answers, important, chunk_size=777)
    assert np.isnan(batch[0]).all()
    for i in range(1, len(answers)):
        single = score_citizen(positions, answers[i], important[i])
        assert np.array_equal(batch[i], single.scores), i


def test_batch_without_weights_equals_single_without_weights():
    rng = np.random.default_rng(1)
    positions = rng.integers(-1, 2, size=(5, 8)).astype(float)
    answers = rng.integers(-1, 2, size=(50, 8)).astype(float)
    batch = score_batch(positions, answers)
    for i in range(50):
        assert np.array_equal(batch[i], score_citizen(positions, answers[i]).scores)


def test_points_per_statement_add_up_to_the_score():
    # Party A of the worked example: 4 points on statement 1 (important), 0 on 2, nothing on the skipped 3.
    positions = np.array([[1, 1, -1], [-1, NAN, 1]], dtype=float)
    match = score_citizen(positions, np.array([1, -1, NAN]), np.array([True, False, True]))
    assert match.earned.tolist() == [[4.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert match.possible.tolist() == [4.0, 2.0, 0.0]
    assert match.earned.sum(axis=1).tolist() == match.points.tolist()
    assert match.possible.sum() == match.maximum

"""The quality check: hand-checkable editions for each figure and flag, the engine's own ranks, and the page."""

from urllib.parse import urlsplit

import numpy as np
import pytest
from flask import url_for

from campaign.cultuurwijzer.backoffice import quality_views
from campaign.cultuurwijzer.matching import score_citizen
from campaign.cultuurwijzer.quality import check_quality, count_first_places
from tests.factories import edition_document

NAN = np.nan
SIMULATIONS = 20_000


def report_of(rows, *, simulations=SIMULATIONS, **kwargs):
    positions = np.array(rows, dtype=float)
    parties = "abcdefgh"[:positions.shape[0]]
    statements = [f"s{j}" for j in range(positions.shape[1])]
    return check_quality(positions, parties, statements, simulations=simulations, **kwargs)


def random_edition(seed=5, parties=8, statements=25):
    rng = np.random.default_rng(seed)
    positions = rng.integers(-1, 2, size=(parties, statements)).astype(float)
    positions[rng.random(positions.shape) < 0.05] = NAN
    return positions


def test_agreement_counts_only_statements_both_parties_took_a_position_on():
    report = report_of([[1, 1, 0, NAN], [1, -1, 0, 1], [NAN, NAN, NAN, NAN]])
    assert report.shared[0, 1] == 3
    assert report.agreement[0, 1] == report.agreement[1, 0] == pytest.approx(2 / 3)
    assert report.agreement[0, 0] == 1.0
    assert report.shared[0, 2] == 0 and np.isnan(report.agreement[0, 2])


def test_identical_parties_are_flagged_but_the_same_positions_with_a_gap_are_not_identical():
    report = report_of([[1, 0, -1], [1, 0, -1], [-1, 0, 1], [1, NAN, -1]])
    assert report.identical == (("a", "b"),)
    assert report.agreement[0, 3] == 1.0  # same wherever both took a position, but d gave none on s1
    # a and b always tie, so neither is ever first alone: explained by the identical flag, not flagged twice.
    assert report.uniform.first_alone[0] == report.uniform.first_alone[1] == 0
    assert report.uniform.first[0] == report.uniform.first[1] > 0
    assert report.only_shared_first == ()
    # d earns nothing on s1, where a's neutral earns at least 1 point: d is always behind a.
    assert report.never_first == ("d",)


def test_a_dominated_party_can_never_rank_first():
    # On every statement a and b together earn 2 points whatever the answer, so one of them earns at least
    # 2 of 4: c (no positions) earns 0 and is never first; d (neutral, then none) earns at most 2 and only
    # ties, e.g. with a citizen answering neutral twice.
    report = report_of([[1, 1], [-1, -1], [NAN, NAN], [0, NAN]])
    assert report.never_first == ("c",)
    assert report.only_shared_first == ("d",)
    assert report.uniform.first[2] == report.near.first[2] == 0
    assert report.uniform.first[3] > 0 and report.uniform.first_alone[3] == 0
    assert report.warnings == 2


def test_a_statement_on_which_every_party_takes_the_same_stance_separates_nothing():
    report = report_of([[1, 1, NAN], [1, -1, NAN], [1, 0, NAN]])
    assert report.not_separating == ("s0", "s2")
    assert report.separation.tolist() == [0.0, 1.0, 0.0]
    assert report.position_counts.tolist() == [[3, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 3]]


def test_separation_is_the_share_of_party_pairs_that_differ():
    # s0: all four differ (6 of 6 pairs); s1: agree, disagree, none, none: only c-d are the same (5 of 6).
    report = report_of([[1, 1], [-1, -1], [NAN, NAN], [0, NAN]])
    assert report.separation.tolist() == [1.0, pytest.approx(5 / 6)]


def test_shares_add_up_sensibly():
    report = check_quality(random_edition(), "abcdefgh", [f"s{j}" for j in range(25)], simulations=SIMULATIONS)
    for sim in (report.uniform, report.near):
        assert sim.citizens == SIMULATIONS
        assert ((0 <= sim.first_alone) & (sim.first_alone <= sim.first) & (sim.first <= 1)).all()
        # Every citizen has at least one first place, and at most one party first alone.
        assert sim.first_alone.sum() <= 1 + 1e-9 and sim.first.sum() >= 1 - 1e-9
    assert ((0 <= report.near_own) & (report.near_own <= 1)).all()


def test_citizens_who_copy_a_party_exactly_rank_it_first_alone():
    # No noise and distinct parties with a position everywhere: everyone near a party has it first, alone.
    report = report_of([[1, 1, 0], [1, -1, 0], [-1, 0, 1], [0, 0, 0]], simulations=4_000, noise=0.0)
    assert report.near_own.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert report.near.first_alone.tolist() == [0.25, 0.25, 0.25, 0.25]


def test_the_same_seed_gives_the_same_report():
    positions = random_edition()
    keys, statements = "abcdefgh", [f"s{j}" for j in range(25)]
    first = check_quality(positions, keys, statements, simulations=SIMULATIONS, seed=1)
    again = check_quality(positions, keys, statements, simulations=SIMULATIONS, seed=1)
    other = check_quality(positions, keys, statements, simulations=SIMULATIONS, seed=2)
    for a, b in ((first.uniform, again.uniform), (first.near, again.near)):
        assert np.array_equal(a.first, b.first) and np.array_equal(a.first_alone, b.first_alone)
    assert np.array_equal(first.near_own, again.near_own)
    assert not np.array_equal(first.uniform.first, other.uniform.first)


def test_first_places_are_the_engines_own_rank_one():
    positions = random_edition(seed=11, parties=6, statements=12)
    positions[1] = positions[0]  # a tie on every citizen's first place that involves them
    rng = np.random.default_rng(3)
    answers = rng.integers(-1, 2, size=(200, 12)).astype(float)
    total_first, total_alone = count_first_places(positions, answers)
    expected_first, expected_alone = np.zeros(6, int), np.zeros(6, int)
    for row in answers:
        first = score_citizen(positions, row).ranks == 1
        expected_first += first
        expected_alone += first & (first.sum() == 1)
        assert count_first_places(positions, row[None, :])[0].tolist() == first.astype(int).tolist()
    assert total_first.tolist() == expected_first.tolist()
    assert total_alone.tolist() == expected_alone.tolist()


def test_an_empty_edition_is_refused():
    with pytest.raises(ValueError):
        check_quality(np.empty((0, 3)), [], ["s0", "s1", "s2"], simulations=10)
    with pytest.raises(ValueError):
        check_quality(np.empty((2, 0)), ["a", "b"], [], simulations=10)


# --- the page ----------------------------------------------------------------------------------------------

URL = "/beheer/cultuurwijzer/edities/test2026-gm0344/kwaliteit"
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture()
def twin_parties(editions):
    """A draft edition in which Beta Beweging copies Alfa Partij's positions on every statement."""
    document = edition_document()
    alfa, beta = document["parties"][:2]
    beta["positions"] = {key: dict(value) for key, value in alfa["positions"].items()}
    return editions.create(document, status="draft")


def test_an_editor_sees_the_flags_heat_map_and_tables_of_a_draft(app, client, editor, twin_parties):
    response = client.get(URL, headers=ENGLISH)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Alfa Partij and Beta Beweging take the same position on every statement" in html
    assert '<svg class="heatmap" role="img" aria-labelledby="heatmap-title heatmap-desc"' in html
    assert "Agreement between the parties (the numbers of the heat map)" in html
    assert "20,000 citizens answer every statement at random" in html
    with app.test_request_context():
        assert f'href="{url_for("cw_admin.edition", edition_id=twin_parties.id)}"' in html


def test_a_reload_reuses_the_report(client, users, twin_parties, monkeypatch):
    calls = []
    monkeypatch.setattr(quality_views, "check_quality", lambda *a, **k: calls.append(1) or check_quality(*a, **k))
    users.login(client, users.create("admin"))
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200
    assert len(calls) == 1


def test_an_edition_without_warnings_says_so(client, editor, editions):
    editions.create(status="draft")
    html = client.get(URL, headers=ENGLISH).get_data(as_text=True)
    assert "No warnings" in html and "take the same position" not in html


def test_only_editors_may_see_the_quality_check(client, users, twin_parties):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and urlsplit(anonymous.location).path == "/beheer/inloggen"
    users.login(client, users.create("coordinator", municipalities=["GM0344"]))
    assert client.get(URL).status_code == 403


def test_an_unknown_edition_is_404(client, editor):
    assert client.get("/beheer/cultuurwijzer/edities/nope/kwaliteit").status_code == 404


def test_an_edition_without_parties_has_nothing_to_check(client, editor, editions, db_session):
    edition = editions.create(status="draft")  # a file needs parties; an edition in the making has none yet
    edition.parties.clear()
    db_session.commit()
    response = client.get(URL, headers=ENGLISH)
    assert response.status_code == 200
    assert "there is nothing to check" in response.get_data(as_text=True)

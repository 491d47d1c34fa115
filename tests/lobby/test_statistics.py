"""The anonymous answer statistics for the lobby team: hidden below ANSWER_STATS_MIN_RESPONSES (page, CSV and the
dossier's partial, without the exact number), shown and downloadable from it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask import render_template
from flask_babel import force_locale

EDITION = "test2026-gm0344"
STATS = "/beheer/lobby/statistieken"
CSV = f"/beheer/lobby/statistieken/{EDITION}.csv"


@pytest.fixture()
def shared(editions, db_session):
    """``shared(answer_lists)``: one share per list of (statement key, answer); on two days."""
    from campaign.cultuurwijzer import advice, statistics
    from campaign.cultuurwijzer.views import URL_FIELDS

    editions.create()
    edition = advice.published_edition(edition_id=EDITION)

    def share(answer_lists):
        for number, answers in enumerate(answer_lists):
            checked = advice.check_answers(edition, dict(answers), [], None, URL_FIELDS)
            statistics.share_answers(edition, checked, day=dt.date(2026, 3, 10 + number % 2))
        db_session.commit()

    return share


def thirty(extra: int = 0):
    """30 + extra shares: muziekles 20 agree, 5 neutral, 5 disagree (+ extra agree); cultuurpas answered by
    the first ten only (disagree); the rest skipped."""
    lists = []
    for number in range(30 + extra):
        answer = "agree" if number < 20 or number >= 30 else ("neutral" if number < 25 else "disagree")
        answers = [("muziekles", answer)]
        if number < 10:
            answers.append(("cultuurpas", "disagree"))
        lists.append(answers)
    return lists


def test_below_the_minimum_nothing_is_shown_nor_downloadable(app, english, editor, shared, db_session):
    from campaign.cultuurwijzer.statistics import edition_statistics

    shared(thirty()[:29])
    assert edition_statistics(EDITION) is None
    page = english.get(STATS).get_data(as_text=True)
    assert "Utrecht" in page and "fewer than 30 responses" in page
    table = page[page.index("<table"):page.index("</table>")]
    assert "29" not in table  # not even the exact number
    assert f"{EDITION}.csv" not in page
    response = english.get(CSV)
    assert response.status_code == 404
    assert "Fewer than 30 citizens have shared their answers" in response.get_data(as_text=True)
    assert english.get(CSV + "?per=dag").status_code == 404


def test_from_the_minimum_the_counts_are_there(app, editor, shared, db_session):
    from campaign.cultuurwijzer.statistics import edition_statistics

    shared(thirty(extra=2))
    stats = edition_statistics(EDITION)
    assert stats.responses == 32
    assert [key for key, _title, _counts in stats.statements] == ["muziekles", "cultuurpas", "oefenruimte",
                                                                  "bezuiniging"]
    assert stats.statements[0][2] == {"agree": 22, "neutral": 5, "disagree": 5, "skip": 0}
    assert stats.statements[1][2] == {"agree": 0, "neutral": 0, "disagree": 10, "skip": 22}
    assert stats.statements[2][2] == {"agree": 0, "neutral": 0, "disagree": 0, "skip": 32}
    assert stats.days == [(dt.date(2026, 3, 10), 16), (dt.date(2026, 3, 11), 16)]


def test_the_minimum_is_a_setting(app, shared, db_session, monkeypatch):
    from campaign.cultuurwijzer.statistics import edition_statistics

    shared(thirty()[:3])
    monkeypatch.setitem(app.config, "ANSWER_STATS_MIN_RESPONSES", 3)
    assert edition_statistics(EDITION).responses == 3
    monkeypatch.setitem(app.config, "ANSWER_STATS_MIN_RESPONSES", 4)
    assert edition_statistics(EDITION) is None


def test_the_overview_and_both_csv_files(english, editor, shared, db_session):
    shared(thirty(extra=2))
    page = english.get(STATS).get_data(as_text=True)
    assert "enough responses" in page and "32 responses" in page and "Testverkiezing 2026" in page
    response = english.get(CSV)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert f'filename="{EDITION}-answers.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["statement"] for row in rows] == ["muziekles", "cultuurpas", "oefenruimte", "bezuiniging"]
    first = rows[0]
    assert (first["agree"], first["neutral"], first["disagree"], first["skip"], first["answered"]) == \
        ("22", "5", "5", "0", "32")
    assert (first["agree_percent"], first["neutral_percent"], first["disagree_percent"]) == ("68.8", "15.6", "15.6")
    assert rows[1]["disagree_percent"] == "100.0" and rows[1]["answered"] == "10"
    assert rows[2]["answered"] == "0" and rows[2]["agree_percent"] == ""  # nobody answered: no percentage
    per_day = list(csv.reader(io.StringIO(english.get(CSV + "?per=dag").get_data(as_text=True))))
    assert per_day == [["day", "responses"], ["2026-03-10", "16"], ["2026-03-11", "16"]]


def test_an_edition_nobody_shared_for_is_not_listed(english, editor, editions, db_session):
    editions.create()
    assert "Nobody has shared their answers yet." in english.get(STATS).get_data(as_text=True)
    assert english.get(CSV).status_code == 404
    assert english.get("/beheer/lobby/statistieken/nope.csv").status_code == 404


def render_partial(app, stats):
    from campaign.cultuurwijzer.models import Edition
    from campaign.extensions import db

    with app.test_request_context("/"), force_locale("en"):
        return render_template("lobby/_answer_statistics.html", edition=db.session.get(Edition, EDITION), stats=stats)


def test_the_dossier_partial_shows_the_table_or_the_notice(app, shared, db_session):
    from campaign.cultuurwijzer.statistics import edition_statistics

    shared(thirty()[:29])
    hidden = render_partial(app, edition_statistics(EDITION))
    assert "The counts are shown from 30 responses." in hidden and "<table" not in hidden and ".csv" not in hidden

    shared(thirty()[:3])
    html = render_partial(app, edition_statistics(EDITION))
    assert "32 citizens shared their answers anonymously" in html
    assert "<caption" in html and '<th scope="row">' in html
    assert "(71.9%)" in html  # muziekles: 23 of 32 agree
    assert 'aria-hidden="true"' in html  # the bars repeat the numbers for the eye only
    assert f'href="{CSV}"' in html and f'href="{CSV}?per=dag"' in html

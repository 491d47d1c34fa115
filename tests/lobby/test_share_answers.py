"""The citizen's opt-in on the result page: "share my answers anonymously for research".

Nothing is sent without pressing the button; pressing it adds one to the counts of every statement's answer and
to the day's count, in one transaction, correct when many share at once; nothing else is written (no audit entry,
no cookie); bots (honeypot) and floods (rate limit) are kept out; bad answers get the result page's 422.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from campaign.extensions import db as _db
from tests.conftest import count_rows, limited_app
from tests.factories import EditionFactory, edition_document

EDITION = "test2026-gm0344"
RESULT = "/cultuurwijzer/GM0344/resultaat"
SHARE = "/cultuurwijzer/GM0344/delen"
ANSWERS = {"a.muziekles": "agree", "a.cultuurpas": "disagree", "a.oefenruimte": "neutral"}  # bezuiniging: none
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def generous_limit(app, monkeypatch):
    """The tests share from one address many times; the limit itself has a test of its own below."""
    monkeypatch.setitem(app.config, "ANSWER_STATS_RATE_LIMIT", "1000 per minute")


@pytest.fixture()
def published(editions):
    return editions.create()


def tallies(session) -> dict[tuple[str, str], int]:
    from campaign.lobby.models import AnswerTally

    return {(t.statement_key, t.answer): t.count for t in session.scalars(
        select(AnswerTally).where(AnswerTally.edition_id == EDITION).execution_options(populate_existing=True))}


def days(session) -> dict[dt.date, int]:
    from campaign.lobby.models import AnswerDay

    return {d.day: d.count for d in session.scalars(
        select(AnswerDay).where(AnswerDay.edition_id == EDITION).execution_options(populate_existing=True))}


def share_form(html: str) -> str:
    """The opt-in form's action (the share URL with the answers), as a browser would post it."""
    match = re.search(r'<form method="post" action="([^"]+)">', html)
    assert match, "no share form on the page"
    return unescape(match.group(1))


def test_the_result_page_explains_and_asks_but_sends_nothing(client, published, db_session):
    response = client.get(f"{RESULT}?{urlencode(ANSWERS)}", headers=ENGLISH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Share your answers anonymously for research" in html
    assert "We do not store your set of answers, your IP address, the time (only the day)" in html
    assert "at least 30 people" in html
    assert 'name="csrf_token"' not in html and 'name="website"' in html
    action = share_form(html)
    assert urlsplit(action).path == SHARE
    assert parse_qs(urlsplit(action).query) == {key: [value] for key, value in ANSWERS.items()}
    assert "Set-Cookie" not in response.headers
    assert tallies(db_session) == {} and days(db_session) == {}


def test_sharing_counts_every_statement_once_and_thanks_instead_of_asking_again(client, published, db_session):
    from campaign.core.i18n import local_today

    page = client.get(f"{RESULT}?{urlencode(ANSWERS)}", headers=ENGLISH).get_data(as_text=True)
    response = client.post(share_form(page), data={"website": ""}, headers=ENGLISH)
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    target = urlsplit(response.location)
    assert target.path == RESULT and target.fragment == "delen"
    assert parse_qs(target.query) == {**{key: [value] for key, value in ANSWERS.items()}, "gedeeld": ["1"]}
    assert tallies(db_session) == {("muziekles", "agree"): 1, ("cultuurpas", "disagree"): 1,
                                   ("oefenruimte", "neutral"): 1, ("bezuiniging", "skip"): 1}
    assert days(db_session) == {local_today(): 1}

    thanked = client.get(response.location, headers=ENGLISH)
    html = thanked.get_data(as_text=True)
    assert thanked.status_code == 200 and "Set-Cookie" not in thanked.headers
    assert "Thank you. Your answers have been added to the anonymous counts." in html
    assert "Share my answers anonymously" not in html  # the button is gone
    # The flag stays out of the link to share and the link to change the answers.
    share_url = re.search(r'id="share-url"[^>]*value="([^"]+)"', html).group(1)
    assert "gedeeld" not in share_url and "a.muziekles=agree" in unescape(share_url)
    assert "gedeeld" not in re.search(r'href="(/cultuurwijzer/GM0344\?[^"]*)"', html).group(1)

    client.post(share_form(page), data={"website": ""})
    assert tallies(db_session)[("muziekles", "agree")] == 2 and days(db_session) == {local_today(): 2}


def test_a_share_writes_only_the_counts(app, client, published, db_session):
    """No answer set, no audit entry, nothing else: only answer_tally and answer_day change."""
    tables = [t.name for t in _db.metadata.sorted_tables]
    before = {name: count_rows(db_session, name) for name in tables}
    client.post(f"{SHARE}?{urlencode(ANSWERS)}")
    client.post(f"{SHARE}?{urlencode({'a.muziekles': 'disagree'})}")
    after = {name: count_rows(db_session, name) for name in tables}
    changed = {name for name in tables if before[name] != after[name]}
    assert changed == {"answer_tally", "answer_day"}
    assert after["audit_entry"] == before["audit_entry"]
    # Two shares on one day: one day row; the per-statement rows hold counts, never who gave them.
    assert after["answer_day"] == 1
    assert tallies(db_session)[("bezuiniging", "skip")] == 2


def test_an_advice_of_an_earlier_edition_counts_for_that_edition(client, editions, db_session):
    editions.create()
    newer = edition_document(id="test2027-gm0344", election={"slug": "test2027", "name": "Testverkiezing 2027",
                                                            "date": "2027-03-17"})
    editions.create(newer)
    response = client.post(f"{SHARE}?{urlencode(ANSWERS | {'editie': EDITION})}")
    assert response.status_code == 303 and "editie=" + EDITION in response.location
    assert tallies(db_session)[("muziekles", "agree")] == 1
    response = client.post(f"{SHARE}?{urlencode(ANSWERS)}")  # without editie: the newest edition
    assert tallies(db_session)[("muziekles", "agree")] == 1
    from campaign.lobby.models import AnswerDay

    assert db_session.scalar(select(AnswerDay.count).where(AnswerDay.edition_id == "test2027-gm0344")) == 1


def test_the_honeypot_thanks_a_bot_and_counts_nothing(client, published, db_session):
    response = client.post(f"{SHARE}?{urlencode(ANSWERS)}", data={"website": "http://spam.example"})
    assert response.status_code == 303 and "gedeeld=1" in response.location
    assert tallies(db_session) == {} and days(db_session) == {}


@pytest.mark.parametrize("query, text", [
    ({"a.muziekles": "maybe"}, "must be agree, neutral, disagree or skip"),
    ({"a.nope": "agree"}, "unknown statement id"),
    ({"a.muziekles": "skip"}, "answer at least one statement"),
    ({}, "answer at least one statement"),
])
def test_bad_answers_get_the_result_pages_422_and_count_nothing(client, published, db_session, query, text):
    response = client.post(f"{SHARE}?{urlencode(query)}", headers=ENGLISH)
    assert response.status_code == 422
    assert text in unescape(response.get_data(as_text=True))
    assert "Set-Cookie" not in response.headers
    assert tallies(db_session) == {}


def test_only_published_editions_take_shares(client, editions, db_session):
    editions.create(status="review")
    assert client.post(f"{SHARE}?{urlencode(ANSWERS)}").status_code == 404
    assert client.post(f"/cultuurwijzer/GM9999/delen?{urlencode(ANSWERS)}").status_code == 404
    assert client.post(f"{SHARE}?{urlencode(ANSWERS | {'editie': 'nope'})}").status_code == 404
    assert tallies(db_session) == {}


def test_simultaneous_shares_lose_no_count(app, published, db_session):
    """Many citizens at the same moment, each in their own transaction: the database adds them all up."""
    from campaign.cultuurwijzer import advice, statistics
    from campaign.cultuurwijzer.views import URL_FIELDS

    people, rounds = 8, 5
    barrier = threading.Barrier(people)
    failures: list[BaseException] = []

    def share(person: int) -> None:
        try:
            with app.app_context():
                edition = advice.published_edition(edition_id=EDITION)
                answer = ("agree", "neutral", "disagree")[person % 3]
                answers = advice.check_answers(edition, {"muziekles": answer}, [], None, URL_FIELDS)
                barrier.wait(timeout=30)
                for _round in range(rounds):
                    statistics.share_answers(edition, answers, day=dt.date(2026, 3, 1 + person % 2))
                    _db.session.commit()
                _db.session.remove()
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=share, args=(person,)) for person in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    counts = tallies(db_session)
    assert counts[("muziekles", "agree")] == 3 * rounds  # persons 0, 3, 6
    assert counts[("muziekles", "neutral")] == 3 * rounds  # 1, 4, 7
    assert counts[("muziekles", "disagree")] == 2 * rounds  # 2, 5
    assert counts[("cultuurpas", "skip")] == people * rounds
    assert days(db_session) == {dt.date(2026, 3, 1): 4 * rounds, dt.date(2026, 3, 2): 4 * rounds}


def test_the_rate_limit_refuses_a_flood(tmp_path):
    app = limited_app(tmp_path, ANSWER_STATS_RATE_LIMIT="2 per minute")
    with app.app_context():
        EditionFactory(_db.session).create()
    client = app.test_client()
    url = f"{SHARE}?{urlencode(ANSWERS)}"
    assert [client.post(url).status_code for _ in range(3)] == [303, 303, 429]
    with app.app_context():
        assert tallies(_db.session)[("muziekles", "agree")] == 2

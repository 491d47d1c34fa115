"""The debates' demo data (`campaign demo`): fictional, dated from today, published debates that take
registrations, a draft with a conflict for the back office, and loaded only once."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.conftest import count_rows
from tests.core.test_cli import invoke

# Real Dutch parties: the demo must never name one.
REAL_PARTIES = ("VVD", "PVV", "CDA", "D66", "GroenLinks", "PvdA", "SP", "ChristenUnie", "SGP", "Partij voor de Dieren",
                "BBB", "BoerBurgerBeweging", "JA21", "Volt", "DENK", "Forum voor Democratie", "50PLUS",
                "Nieuw Sociaal Contract", "Leefbaar")


def test_the_demo_holds_published_fictional_debates_dated_from_today(app, db_session, client):
    from campaign.core.models import Election, utcnow
    from campaign.debates.conflicts import blocking, conflicts_for
    from campaign.debates.models import Debate, Invitation, Venue

    result = invoke(app, "demo")
    assert result.exit_code == 0, result.output
    assert "Debates:" in result.output

    election = db_session.scalar(select(Election).where(Election.slug == "demo-debatten"))
    today = utcnow().date()
    assert today + dt.timedelta(days=90) <= election.date <= today + dt.timedelta(days=150)
    assert election.date.weekday() == 2 and "fictief" in election.name

    debates = db_session.scalars(select(Debate).where(Debate.election_id == election.id)).all()
    published = [d for d in debates if d.status == "published"]
    assert len(published) >= 3
    assert any(d.kind == "mayors_debate" for d in published)
    assert all(d.registration_open and d.capacity > 0 and today < d.starts_at.date() < election.date
               for d in published)
    assert all("(demo, fictief)" in d.title and "verzonnen" in d.description for d in debates)
    assert all(d.topics for d in debates)

    venues = db_session.scalars(select(Venue)).all()
    assert venues and all("fictief" in v.name and v.contact_email.endswith("@demo.invalid") for v in venues)
    parties = db_session.scalars(select(Invitation)).all()
    assert {p.status for p in parties} == {"confirmed", "declined", "invited"}
    for invitation in parties:
        assert "(fictief)" in invitation.party_name
        assert not any(re.search(rf"\b{re.escape(real)}\b", invitation.party_name) for real in REAL_PARTIES)
        assert invitation.speaker_name == "" or "(fictief)" in invitation.speaker_name

    (draft,) = [d for d in debates if d.status == "draft"]
    assert [c.code for c in blocking(conflicts_for(draft))]  # the clash the back office shows

    agenda = client.get("/debatten/").get_data(as_text=True)
    assert all(d.title in agenda for d in published) and draft.title not in agenda
    seat = client.post(f"/api/v1/debates/{published[0].id}/registrations",
                       json={"name": "Demo Bezoeker", "email": "bezoeker@example.org", "seats": 1})
    assert seat.status_code == 201 and seat.get_json()["status"] == "confirmed"


def test_running_the_demo_twice_changes_nothing(app, db_session):
    assert invoke(app, "demo").exit_code == 0
    tables = ("election", "venue", "venue_window", "debate", "debate_topic", "debate_invitation", "audit_entry")
    counts = {t: count_rows(db_session, t) for t in tables}
    second = invoke(app, "demo")
    assert second.exit_code == 0 and "Debates:" not in second.output
    assert {t: count_rows(db_session, t) for t in tables} == counts


def test_the_demo_is_dated_from_the_moment_it_is_given(places, db_session):
    """``load_demo(now)`` dates everything from ``now``, the debates too: weekday evenings at 20:00 Dutch time,
    three weeks or more after it."""
    from campaign.core.i18n import to_local_input
    from campaign.core.models import utcnow
    from campaign.debates.demo import load_demo
    from campaign.debates.models import Debate

    now = utcnow() + dt.timedelta(days=60)
    assert load_demo(now)
    starts = db_session.scalars(select(Debate.starts_at)).all()
    assert len(starts) == 5
    assert all(start - now >= dt.timedelta(days=20) for start in starts)
    assert {(to_local_input(start).time(), to_local_input(start).weekday() < 5) for start in starts} == {
        (dt.time(20), True)}

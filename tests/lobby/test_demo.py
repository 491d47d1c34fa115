"""The lobby's demo data (`campaign demo`): fictional parties only, topics linked to the demo statements and
debates, input with an overdue next step, local figures, answer counts above the threshold; loaded once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.core.test_cli import invoke
from tests.debates.test_demo import REAL_PARTIES


def test_the_demo_holds_a_fictional_lobby_and_loads_once(app, db_session):
    from campaign.core.i18n import local_today
    from campaign.lobby.models import AnswerDay, LocalFigure, PartyInput, PoliticalParty, Topic

    result = invoke(app, "demo")
    assert result.exit_code == 0, result.output
    assert "Lobby:" in result.output

    parties = db_session.scalars(select(PoliticalParty)).all()
    assert {p.level for p in parties} == {"national", "local"}
    for party in parties:
        assert party.name.endswith("(fictief)")
        assert not any(re.search(rf"\b{re.escape(real)}\b", party.name) for real in REAL_PARTIES)

    topics = db_session.scalars(select(Topic).where(Topic.parent_id.is_(None))).all()
    assert len(topics) == 5 and any(t.children for t in topics)
    assert any(t.statements for t in topics) and any(t.debates for t in topics)
    inputs = db_session.scalars(select(PartyInput)).all()
    assert {i.stance for i in inputs} >= {"supportive", "neutral", "opposed"}
    assert any(i.next_step_due and i.next_step_due < local_today() for i in inputs)  # one is overdue
    assert all(f.source.endswith("(fictief)") for f in db_session.scalars(select(LocalFigure)))
    shared = db_session.scalar(select(func.sum(AnswerDay.count)))
    assert shared >= app.config["ANSWER_STATS_MIN_RESPONSES"]

    again = invoke(app, "demo")
    assert again.exit_code == 0 and "Lobby:" not in again.output
    assert db_session.scalar(select(func.count()).select_from(Topic)) == 9

"""Who may use the routes of parties, input, next steps and the matrix (see tests/core/test_access_matrix.py), and
the real objects their URLs name: a local party in Utrecht with one input on the topic of
tests/lobby/access_topics.py, whose next step is open and due."""

from __future__ import annotations

import datetime as dt

ACCESS = {
    "lobby.parties": "editor",
    "lobby.new_party": "editor",
    "lobby.party": "editor",
    "lobby.edit_party": "editor",
    "lobby.delete_party": "editor",
    "lobby.new_input": "editor",
    "lobby.edit_input": "editor",
    "lobby.complete_step": "editor",
    "lobby.delete_input": "editor",
    "lobby.matrix": "editor",
    "lobby.matrix_csv": "editor",
    "lobby.next_steps": "editor",
}

PARTY = "Lokaal Cultuurbelang (fictief)"


def _input(db_session):
    """The input (made once per test): to the party, on the topic, supportive, with an open next step."""
    from sqlalchemy import select

    from campaign.lobby.models import PartyInput, PoliticalParty
    from tests.factories import create_places
    from tests.lobby.access_topics import _topic

    topic = _topic(db_session)
    found = db_session.scalar(select(PartyInput).join(PoliticalParty).where(PoliticalParty.name == PARTY))
    if found is None:
        party = PoliticalParty(name=PARTY, level="local", municipality=create_places(db_session)["GM0344"])
        found = PartyInput(topic=topic, party=party, kind="meeting", given_on=dt.date(2026, 1, 20),
                           stance="supportive", next_step="Cijfers nasturen", next_step_due=dt.date(2026, 2, 1))
        db_session.add(found)
        db_session.commit()
    return found


URL_VALUES = {
    "party_id": lambda db_session: _input(db_session).party_id,
    "input_id": lambda db_session: _input(db_session).id,
}

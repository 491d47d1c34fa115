"""Who may use the topic and status-workflow routes (see tests/core/test_access_matrix.py), and the real objects
their URLs name: one topic with a sub-topic, a note on its timeline, a tag and a link to the statement
``muziekles``, so that the other parts' routes under a topic find something to show."""

from __future__ import annotations

import datetime as dt

ACCESS = {
    "lobby.topics": "editor",
    "lobby.new_topic": "editor",
    "lobby.topic": "editor",
    "lobby.edit_topic": "editor",
    "lobby.topic_status": "editor",
    "lobby.add_update": "editor",
    "lobby.delete_update": "editor",
    "lobby.delete_topic": "editor",
    "lobby.move_topic": "editor",
    "lobby.statuses": "editor",
    "lobby.edit_status": "editor",
    "lobby.move_status": "editor",
    "lobby.delete_status": "editor",
}

TITLE = "Btw op cultuureducatie (fictief)"


def _topic(db_session):
    """The topic (made once per test): status Geagendeerd, a sub-topic, a note, tag "btw", statement muziekles."""
    from sqlalchemy import select

    from campaign.lobby.defaults import ensure_defaults
    from campaign.lobby.models import Tag, Topic, TopicStatement, TopicStatus, TopicUpdate

    found = db_session.scalar(select(Topic).where(Topic.title == TITLE))
    if found is None:
        ensure_defaults()
        status = db_session.scalar(select(TopicStatus).order_by(TopicStatus.position).offset(1).limit(1))
        found = Topic(title=TITLE, ask="Geen btw-verhoging op lessen.", status=status, scope="national",
                      tags=[db_session.scalar(select(Tag).where(Tag.name == "btw")) or Tag(name="btw")])
        found.children.append(Topic(title="Btw: muziekles (fictief)", status=status))
        found.statements.append(TopicStatement(statement_key="muziekles", supports="agree"))
        found.updates.append(TopicUpdate(happened_on=dt.date(2026, 1, 15), kind="note", text="Brief verstuurd."))
        db_session.add(found)
        db_session.commit()
    return found


def _status(db_session):
    """The last status of the default workflow (no topic has it)."""
    from sqlalchemy import select

    from campaign.lobby.models import TopicStatus

    _topic(db_session)
    return db_session.scalar(select(TopicStatus).order_by(TopicStatus.position.desc()).limit(1))


URL_VALUES = {
    "topic_id": lambda db_session: _topic(db_session).id,
    "update_id": lambda db_session: _topic(db_session).updates[0].id,
    "status_id": lambda db_session: _status(db_session).id,
}

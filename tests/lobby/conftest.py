"""Factories for the lobby tests (Indico style): ``topics.create(...)``, ``lobby_parties.create(...)``,
``party_inputs.create(...)``, changing only what a test names. They store rows directly, as a finished state;
tests of the rules call the domain functions themselves.

The default status workflow (Gesignaleerd, Geagendeerd, Input gegeven, Toezegging, Resultaat: closed) and the
two default figure kinds (``muziekschool-leerlingen``, ``cultuureducatie-budget-per-inwoner``) exist in every
lobby test (fixture ``lobby_defaults``, used by the factories).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

# The debate factories (``election``, ``venues.create``, ``debates.create``) serve the lobby's links and dossier.
from tests.debates.conftest import debates, election, venues  # noqa: F401

_numbers = itertools.count(1)


@pytest.fixture()
def english(client):
    """The test client, reading the English interface (the language cookie)."""
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client


@pytest.fixture()
def editor(client, users):
    """A member of the lobby team (role editor), signed in on ``client``. Some test files narrow this."""
    user = users.create("editor", name="Lotte Lobby")
    users.login(client, user)
    return user


@pytest.fixture()
def lobby_defaults(db_session):
    """name -> TopicStatus of the default workflow (the figure kinds exist too)."""
    from campaign.lobby.defaults import ensure_defaults
    from campaign.lobby.models import TopicStatus

    ensure_defaults()
    db_session.commit()
    return {s.name: s for s in db_session.scalars(select(TopicStatus).order_by(TopicStatus.position))}


class TopicFactory:
    def __init__(self, session, statuses):
        self.session, self.statuses = session, statuses

    def create(self, title: str | None = None, *, status: str = "Gesignaleerd", parent=None, tags=(),
               statements=(), debates=(), **changes):
        """``status``: a status name; ``tags``: tag names; ``statements``: statement keys, or (key, supports)
        pairs; ``debates``: Debate rows."""
        from campaign.lobby.models import Tag, Topic, TopicStatement

        topic = Topic(title=title or f"Onderwerp {next(_numbers)}", status=self.statuses[status], parent=parent,
                      **changes)
        with self.session.no_autoflush:
            for name in tags:
                tag = self.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
                topic.tags.append(tag)
        for link in statements:
            key, supports = (link, "agree") if isinstance(link, str) else link
            topic.statements.append(TopicStatement(statement_key=key, supports=supports))
        topic.debates.extend(debates)
        self.session.add(topic)
        self.session.commit()
        return topic


@pytest.fixture()
def topics(db_session, lobby_defaults):
    """Factory: ``topics.create("Btw op lessen", status="Geagendeerd", statements=["muziekles"])``."""
    return TopicFactory(db_session, lobby_defaults)


class PartyFactory:
    def __init__(self, session, places):
        self.session, self.places = session, places

    def create(self, name: str | None = None, *, municipality: str | None = "GM0344", **changes):
        """A local party in ``municipality`` (a CBS code), or a national party with ``municipality=None``."""
        from campaign.lobby.models import PoliticalParty

        party = PoliticalParty(name=name or f"Partij {next(_numbers)} (fictief)",
                               level="local" if municipality else "national",
                               municipality=self.places[municipality] if municipality else None, **changes)
        self.session.add(party)
        self.session.commit()
        return party


@pytest.fixture()
def lobby_parties(db_session, places):
    """Factory: ``lobby_parties.create("Lokaal Belang", municipality="GM0344")``; ``municipality=None``: national."""
    return PartyFactory(db_session, places)


class InputFactory:
    def __init__(self, session):
        self.session = session

    def create(self, topic, party, *, stance: str = "unknown", given_on: dt.date | None = None,
               kind: str = "letter", **changes):
        from campaign.lobby.models import PartyInput

        row = PartyInput(topic=topic, party=party, kind=kind, stance=stance,
                         given_on=given_on or dt.date.today(), **changes)
        self.session.add(row)
        self.session.commit()
        return row


@pytest.fixture()
def party_inputs(db_session):
    """Factory: ``party_inputs.create(topic, party, stance="supportive", next_step_due=date)``."""
    return InputFactory(db_session)

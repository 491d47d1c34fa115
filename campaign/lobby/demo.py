"""Fictional demo data for the lobby (`campaign demo`): the five overarching topics of the issue with sub-topics,
tags and a timeline, linked to the demo editions' statements and the demo debates; invented national and local
parties with the input given to them, their stances and next steps (one overdue); local figures for the demo
municipalities; and invented answer counts for the Utrecht demo edition, so that the statistics show.

Every party, person, figure and count below is invented, and the names say so ("fictief"). The national
parties are not real parties, and no position is attributed to a real party. Rows are written as a finished
state. Loaded once; running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from campaign.core.i18n import local_today
from campaign.core.models import Municipality, User
from campaign.cultuurwijzer.models import Edition
from campaign.debates.models import Debate
from campaign.extensions import db
from campaign.lobby.defaults import ensure_defaults
from campaign.lobby.models import (
    AnswerDay,
    AnswerTally,
    FigureKind,
    LocalFigure,
    PartyInput,
    PoliticalParty,
    Tag,
    Topic,
    TopicStatement,
    TopicStatus,
    TopicUpdate,
)

FICTIONAL = "(fictief)"

# title, status (position in the default workflow), priority, scope, tags, ask, linked statement keys
# (key, supporting answer), sub-topics (title, status position)
TOPICS = (
    ("Geen bezuinigingen op cultuureducatie", 2, 1, "municipal", ("begroting", "gemeente"),
     "Houd het budget voor kunst- en cultuureducatie in de gemeentebegroting minstens op het huidige niveau.",
     (("cultuur-buiten-bezuinigingen", "agree"), ("subsidie-centrum-kunsten", "agree")),
     (("Begrotingsbehandeling in de demo-gemeenten volgen", 2), ("Rekenvoorbeeld per inwoner delen", 4))),
    ("Geen btw-verhoging op lessen", 3, 1, "national", ("btw", "landelijk"),
     "Laat lessen in muziek, dans, theater en beeldende kunst voor volwassenen onder het lage btw-tarief vallen.",
     (("btw-lessen-volwassenen", "agree"),), ()),
    ("Giftenaftrek voor cultuur behouden", 1, 2, "national", ("belasting", "landelijk"),
     "Behoud de extra aftrek voor giften aan culturele instellingen.", (), ()),
    ("Aansluiting tussen onderwijs en beroepspraktijk", 1, 2, "municipal", ("onderwijs",),
     "Zorg dat vakdocenten en kunstenaars samen lesgeven en dat de opleiding aansluit op de praktijk.",
     (("muziekles-basisschool", "agree"), ("combinatiefunctionaris-cultuur", "agree")),
     (("Vakdocenten muziek op de basisschool", 1), ("Stages bij centra voor de kunsten", 0))),
    ("Een lokale infrastructuur voor buitenschoolse cultuureducatie", 0, 1, "municipal",
     ("gemeente", "infrastructuur"),
     "Elke gemeente heeft een centrum voor de kunsten of muziekschool binnen fietsafstand, met een meerjarige "
     "afspraak over de financiering.",
     (("lokaal-cultuurfonds", "agree"), ("huur-repetitieruimtes", "agree")), ()),
)

NATIONAL_PARTIES = (("Landelijke Cultuurpartij", "LCP"), ("Nationale Rekenpartij", "NRP"),
                    ("Beweging Morgen", "BM"))
# Local parties in the demo municipalities (the names of the demo editions' fictional parties).
LOCAL_PARTIES = (("GM0344", "Cultuur Centraal"), ("GM0344", "Nuchter Rekenen"), ("GM0344", "Groene Stad Nu"),
                 ("GM0855", "Partij van de Buurt"), ("GM0014", "Generatie Morgen"))

# topic index, party (name), kind, days ago, stance, summary, response, next step, due in days (negative: past)
INPUTS = (
    (0, "Cultuur Centraal", "meeting", 30, "supportive", "Gesprek met de fractie over de cultuurbegroting.",
     "De fractie dient een amendement in tegen de bezuiniging.", "Amendementstekst nalezen", 7),
    (0, "Nuchter Rekenen", "letter", 25, "opposed", "Brief met het rekenvoorbeeld per inwoner.",
     "De fractie houdt vast aan de taakstelling.", "Vervolggesprek aanvragen", -3),
    (0, "Groene Stad Nu", "manifesto", 40, "neutral", "Tekstvoorstel voor het verkiezingsprogramma.",
     "Wordt meegenomen in de programmacommissie.", "", None),
    (1, "Landelijke Cultuurpartij", "letter", 14, "supportive", "Brief aan de woordvoerder cultuur.",
     "Steunt het lage tarief voor alle lessen.", "", None),
    (1, "Nationale Rekenpartij", "meeting", 10, "unknown", "Rondetafelgesprek in de Tweede Kamer (fictief).",
     "", "Antwoord op de vragen uit het gesprek sturen", 5),
    (3, "Partij van de Buurt", "debate_contribution", 5, "supportive",
     "Bijdrage aan het publieke debat over cultuur in de wijk.", "Noemt vakdocenten muziek een speerpunt.", "",
     None),
    (4, "Generatie Morgen", "meeting", 12, "neutral", "Werkbezoek aan de bibliotheek.",
     "Wil eerst weten wat een infrastructuur kost.", "Kostenraming sturen", -1),
)

# figure key -> municipality code -> (year, value) pairs; invented numbers
FIGURES = {
    "muziekschool-leerlingen": {"GM0344": ((2024, 2310), (2025, 2245)), "GM0855": ((2024, 1480), (2025, 1512)),
                                "GM0014": ((2025, 1190),)},
    "cultuureducatie-budget-per-inwoner": {"GM0344": ((2024, 14.2), (2025, 13.75)),
                                           "GM0855": ((2025, 11.4),), "GM0014": ((2025, 12.9),)},
}
SOURCE = "Demogegevens, verzonnen voor de demo (fictief)"


def _parties(places: dict[str, Municipality]) -> dict[str, PoliticalParty]:
    parties = {}
    for name, abbreviation in NATIONAL_PARTIES:
        parties[name] = PoliticalParty(name=f"{name} {FICTIONAL}", abbreviation=abbreviation, level="national")
    for code, name in LOCAL_PARTIES:
        if code in places:
            parties[name] = PoliticalParty(name=f"{name} {FICTIONAL}", level="local", municipality=places[code])
    db.session.add_all(parties.values())
    return parties


def _topics(statuses: list[TopicStatus], owner: User | None, today: dt.date) -> list[Topic]:
    tags: dict[str, Tag] = {}
    made = []
    for position, (title, step, priority, scope, tag_names, ask, links, subtopics) in enumerate(TOPICS):
        topic = Topic(title=title, status=statuses[step], priority=priority, scope=scope, ask=ask, owner=owner,
                      position=position, description=f"Demo-onderwerp {FICTIONAL}: alle namen en cijfers zijn verzonnen.",
                      tags=[tags.setdefault(name, Tag(name=name)) for name in tag_names])
        topic.statements = [TopicStatement(statement_key=key, supports=supports) for key, supports in links]
        for sub_position, (sub_title, sub_step) in enumerate(subtopics):
            topic.children.append(Topic(title=sub_title, status=statuses[sub_step], priority=priority, scope=scope,
                                        owner=owner, position=sub_position))
        topic.updates.append(TopicUpdate(happened_on=today - dt.timedelta(days=45), kind="note",
                                         text="Onderwerp opgenomen in de lobbyagenda (demo)."))
        made.append(topic)
    db.session.add_all(made)
    return made


def _answer_counts(edition: Edition, today: dt.date) -> None:
    """Invented counts for 120 shared answer sets over the past ten days (a fixed seed: the same every time)."""
    rng = random.Random(2026)
    days = [today - dt.timedelta(days=n) for n in range(10)]
    per_day = [12] * 10
    for day, count in zip(days, per_day):
        db.session.add(AnswerDay(edition_id=edition.id, day=day, count=count))
    total = sum(per_day)
    for statement in edition.statements:
        agree = rng.randint(total // 3, total * 2 // 3)
        disagree = rng.randint(0, total - agree)
        neutral = rng.randint(0, total - agree - disagree)
        skip = total - agree - disagree - neutral
        for answer, count in (("agree", agree), ("neutral", neutral), ("disagree", disagree), ("skip", skip)):
            db.session.add(AnswerTally(edition_id=edition.id, statement_key=statement.key, answer=answer,
                                       count=count))


def load_demo(today: dt.date | None = None) -> bool:
    """Add the fictional lobby demo data; False when there are topics already."""
    if db.session.scalar(select(Topic.id).limit(1)) is not None:
        return False
    today = today or local_today()
    ensure_defaults()
    statuses = list(db.session.scalars(select(TopicStatus).order_by(TopicStatus.position)))
    places = {m.code: m for m in db.session.scalars(select(Municipality))}
    owner = db.session.scalar(select(User).where(User.email == "redactie@demo.invalid"))
    topics = _topics(statuses, owner, today)
    parties = _parties(places)
    for index, party, kind, days_ago, stance, summary, response, step, due in INPUTS:
        if party in parties:
            db.session.add(PartyInput(
                topic=topics[index], party=parties[party], kind=kind, given_on=today - dt.timedelta(days=days_ago),
                given_by=owner, stance=stance, summary=summary, response=response, next_step=step,
                next_step_due=None if due is None else today + dt.timedelta(days=due)))
    kinds = {k.key: k for k in db.session.scalars(select(FigureKind))}
    for key, per_place in FIGURES.items():
        for code, values in per_place.items():
            if key in kinds and code in places:
                db.session.add_all(LocalFigure(municipality=places[code], kind=kinds[key], year=year, value=value,
                                               source=SOURCE) for year, value in values)
    # The demo debates on arts and culture serve the infrastructure and education topics.
    for debate in db.session.scalars(select(Debate).where(Debate.kind.in_(("mayors_debate", "lijsttrekkersdebat")))):
        topics[4 if debate.kind == "mayors_debate" else 3].debates.append(debate)
    utrecht = db.session.scalar(select(Edition).where(Edition.demo.is_(True), Edition.status == "published")
                                .join(Edition.municipality).where(Municipality.code == "GM0344"))
    if utrecht is not None:
        _answer_counts(utrecht, today)
    db.session.commit()
    return True

"""The worked example on the public method page, computed by the real engine (not typed in by hand)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from flask_babel import lazy_gettext as _l

from campaign.cultuurwijzer.advice import (
    Answers,
    CompiledEdition,
    PartyInfo,
    StatementInfo,
    compute_advice,
)

NAN = np.nan


def example_edition() -> CompiledEdition:
    statements = (
        StatementInfo("muziekles", 1, str(_l("Education")), str(_l("Music lessons in every primary school")), "", ""),
        StatementInfo("cultuurpas", 2, str(_l("Access")), str(_l("A culture pass for low-income families")), "", ""),
        StatementInfo("oefenruimte", 3, str(_l("Amateur arts")), str(_l("Lower rents for amateur arts rooms")), "", ""),
    )
    parties = (PartyInfo("a", str(_l("Party A")), 1), PartyInfo("b", str(_l("Party B")), 2),
               PartyInfo("c", str(_l("Party C")), 3))
    positions = np.array([[1, 1, -1], [0, -1, 1], [-1, NAN, 1]], dtype=float)
    return CompiledEdition(
        id="example", revision=1, version="example", status="published", municipality_code="GM0000",
        municipality="", province="", election_slug="", election="", election_date=dt.date(2026, 3, 18),
        demo=True, notice="", statements=statements, parties=parties, positions=positions,
        explanations=(("",) * 3,) * 3,
    )


EXAMPLE_ANSWERS = Answers(
    answers={"muziekles": "agree", "cultuurpas": "disagree", "oefenruimte": "skip"},
    important=frozenset({"muziekles"}),
    parties=None,
)


def worked_example():
    return compute_advice(example_edition(), EXAMPLE_ANSWERS)

"""What a lobby starts with: the default status workflow and kinds of local figures.

Migration 0006 inserts both into a fresh database; ``ensure_defaults`` does the same for a database that has
none (the demo, tests, a team that removed everything), and never touches what the team configured.
"""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.lobby.models import DEFAULT_FIGURE_KINDS, DEFAULT_STATUSES, FigureKind, TopicStatus


def ensure_defaults() -> bool:
    """Add the default statuses / figure kinds where there are none; True when something was added. The caller
    commits."""
    added = False
    if not db.session.scalar(select(func.count()).select_from(TopicStatus)):
        db.session.add_all(TopicStatus(name=name, name_en=name_en, position=position, closed=closed)
                           for position, (name, name_en, closed) in enumerate(DEFAULT_STATUSES))
        added = True
    if not db.session.scalar(select(func.count()).select_from(FigureKind)):
        db.session.add_all(FigureKind(key=key, name=name, name_en=name_en, unit=unit, decimals=decimals,
                                      position=position)
                           for position, (key, name, name_en, unit, decimals) in enumerate(DEFAULT_FIGURE_KINDS))
        added = True
    if added:
        db.session.flush()
    return added

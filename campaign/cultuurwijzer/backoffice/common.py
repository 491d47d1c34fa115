"""Helpers shared by the back-office views."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.cultuurwijzer.models import Edition, Party, Statement
from campaign.extensions import db


def load_edition(edition_id: str) -> Edition:
    return db.get_or_404(Edition, edition_id)


def load_positions(edition: Edition) -> None:
    """Load every party's positions in one query (a page that counts or lists them per party)."""
    db.session.scalars(select(Edition).where(Edition.id == edition.id)
                       .options(selectinload(Edition.parties).selectinload(Party.positions))).one()


def load_statement(edition: Edition, key: str) -> Statement:
    return db.one_or_404(select(Statement).where(Statement.edition_id == edition.id, Statement.key == key))


def load_party(edition: Edition, key: str) -> Party:
    return db.one_or_404(select(Party).where(Party.edition_id == edition.id, Party.key == key))

"""Helpers shared by the lobby views: who may use them, and loading rows by URL.

The lobby is the work of the lobby team: role editor (and admins). Coordinators and the public get 403 and the
sign-in page, as everywhere in the back office.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from campaign.core.access import role_required
from campaign.core.models import Municipality
from campaign.extensions import db

lobby_team = role_required("editor")


def get_or_404(model, row_id):
    return db.session.get(model, row_id) or abort(404)


def municipality_or_404(code: str) -> Municipality:
    """The municipality with this CBS code (any case), or 404."""
    return db.session.scalar(select(Municipality).where(Municipality.code == code.upper()[:6])) or abort(404)

"""A party representative's own form, reached through the personal link the editors sent."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("party", __name__, url_prefix="/partij")

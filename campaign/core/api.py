"""What every JSON API of ours answers alike: errors as ``{"error": {"message", "fields"}}``."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from campaign.core.errors import ValidationFailed


def error(status: int, message: str, fields: dict | None = None):
    return jsonify(error={"message": message, "fields": fields or {}}), status


def problems_response(exc: ValidationFailed):
    """422 with one entry per field (``answers.<id>``, ``email``, ``body``…), several problems of one field
    joined with "; "."""
    fields: dict[str, str] = {}
    for p in exc.problems:
        fields[p.location] = f"{fields[p.location]}; {p.message}" if p.location in fields else p.message
    message = _("invalid request: %(problems)s", problems="; ".join(f"{k}: {v}" for k, v in fields.items()))
    return error(422, message, fields)

"""Helpers shared by the lobby views: who may use them, and CSV downloads.

The lobby is the work of the lobby team: role editor (and admins). Coordinators and the public get 403 and the
sign-in page, as everywhere in the back office.
"""

from __future__ import annotations

from flask import Response, make_response

from campaign.core.access import role_required

lobby_team = role_required("editor")


def csv_download(body: str, filename: str, *, private: bool = True) -> Response:
    """``body`` as a CSV attachment named ``filename``; ``private``: never stored by a cache (the team's data)."""
    response = make_response(body.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response

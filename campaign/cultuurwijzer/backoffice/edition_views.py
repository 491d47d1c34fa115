"""Editions in the browser: list, create, content, lifecycle, parties' links and review."""

from __future__ import annotations

from flask import render_template

from campaign.core.access import role_required
from campaign.cultuurwijzer import editorial
from campaign.cultuurwijzer.backoffice import bp


@bp.get("/edities")
@role_required("editor")
def editions():
    return render_template("cultuurwijzer/admin/editions.html", grouped=editorial.editions_by_status())

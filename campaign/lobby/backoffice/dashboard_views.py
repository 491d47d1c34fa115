"""The lobby's home page (``dashboard.py`` gathers it)."""

from __future__ import annotations

from flask import render_template

from campaign.core.i18n import local_today
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import lobby_team
from campaign.lobby.dashboard import MAJORITY, TOP, build_dashboard


@lobby.get("/")
@lobby_team
def dashboard():
    today = local_today()
    return render_template("lobby/dashboard.html", board=build_dashboard(today), today=today,
                           majority=round(MAJORITY * 100), top=TOP)

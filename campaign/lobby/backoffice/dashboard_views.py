"""(being written: the dashboard)"""

from flask import render_template

from campaign.lobby.blueprints import lobby
from campaign.lobby.common import lobby_team


@lobby.get("/")
@lobby_team
def dashboard():
    return render_template("lobby/dashboard.html")

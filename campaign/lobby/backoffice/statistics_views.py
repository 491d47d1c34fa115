"""The anonymous Cultuurwijzer answer statistics in the back office (/beheer/lobby/statistieken): the editions
citizens shared answers for, and the counts of one edition as CSV, only once it has enough responses."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from campaign.cultuurwijzer import statistics as domain
from campaign.cultuurwijzer.models import Edition
from campaign.extensions import db
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import csv_download, lobby_team

PER_DAY = "dag"


@lobby.get("/statistieken")
@lobby_team
def statistics():
    return render_template("lobby/statistics/index.html", editions=domain.editions_with_statistics(),
                           minimum=domain.minimum_responses())


@lobby.get("/statistieken/<edition_id>.csv")
@lobby_team
def statistics_csv(edition_id: str):
    """Per statement the counts and percentages; ``?per=dag``: the number of responses per day."""
    edition = db.get_or_404(Edition, edition_id)
    stats = domain.edition_statistics(edition.id)
    if stats is None:
        abort(404, description=_("Fewer than %(num)d citizens have shared their answers for this edition; its "
                                 "statistics stay hidden until then.", num=domain.minimum_responses()))
    if request.args.get("per") == PER_DAY:
        body, name = domain.days_csv(stats), f"{edition.id}-answers-per-day.csv"
    else:
        body, name = domain.statements_csv(stats), f"{edition.id}-answers.csv"
    return csv_download(body, name)

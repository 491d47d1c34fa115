"""The lobby's home page (``dashboard.py`` gathers it), for the upcoming election or one chosen with
``?verkiezing=<slug>``."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.i18n import local_today
from campaign.core.models import Election
from campaign.extensions import db
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import lobby_team
from campaign.lobby.dashboard import MAJORITY, TOP, build_dashboard
from campaign.lobby.dossier_forms import ElectionForm


@lobby.get("/")
@lobby_team
def dashboard():
    today = local_today()
    elections = list(db.session.scalars(select(Election).order_by(Election.date.desc())))
    form = ElectionForm(request.args)
    form.offer(elections)
    form.verkiezing.description = _("Debates, editions and positions of this election are counted.")
    chosen = next((e for e in elections if e.slug == form.verkiezing.data), None)
    status = 200
    if form.verkiezing.data and chosen is None:
        form.verkiezing.errors = [_("Choose an election from the list.")]
        status = 422
    board = build_dashboard(today, chosen)
    form.verkiezing.data = board.election.slug if board.election else None
    return render_template("lobby/dashboard.html", board=board, today=today, form=form,
                           majority=round(MAJORITY * 100), top=TOP), status

"""The dossier per municipality: the list (search, province filter), one dossier as a printable page, and the
same dossier as a JSON download. Read-only pages for the lobby team; the data come from ``dossier.py``."""

from __future__ import annotations

import json

from flask import Response, render_template, request
from flask_babel import gettext as _

from campaign.core.municipalities import load_municipality
from campaign.core.api import error
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status
from campaign.core.htmx import render_page_or_block
from campaign.debates.scheduling import upcoming_election
from campaign.lobby import dossier as domain
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import lobby_team
from campaign.lobby.dossier_forms import DossierFilterForm, ElectionForm

LIST = "lobby/dossier/list.html"


@lobby.get("/gemeenten")
@lobby_team
def dossiers():
    form = DossierFilterForm(request.args)
    form.provincie.choices = choices([("", _("Every province"))] + [(p, p) for p in domain.provinces()])
    valid = form.validate()
    election = upcoming_election()
    lines = domain.dossier_lines(search="" if form.q.errors else form.q.data or "",
                                 province="" if form.provincie.errors else form.provincie.data or "",
                                 election=election)
    response = render_page_or_block(LIST, "results", form=form, lines=lines, election=election,
                                    filtered=bool(form.q.data or form.provincie.data))
    response.status_code = 200 if valid else 422
    return response


def _dossier(code: str) -> tuple[domain.Dossier, ElectionForm]:
    """The dossier for the election asked for (``?verkiezing=<slug>``); an election without data here: the
    default one, with the problem on the form."""
    municipality = load_municipality(code)
    form = ElectionForm(request.args)
    try:
        found = domain.build_dossier(municipality, election_slug=form.verkiezing.data or None)
    except ValidationFailed as exc:
        apply_problems(form, exc)
        found = domain.build_dossier(municipality)
    form.offer(found.elections)
    form.verkiezing.data = found.election.slug if found.election else None
    return found, form


@lobby.get("/gemeenten/<code>")
@lobby_team
def dossier(code: str):
    found, form = _dossier(code)
    return render_template("lobby/dossier/dossier.html", dossier=found, form=form), form_status(form)


@lobby.get("/gemeenten/<code>.json")
@lobby_team
def dossier_json(code: str):
    found, form = _dossier(code)
    if form.errors:
        return error(422, "; ".join(form.verkiezing.errors), {"verkiezing": "; ".join(form.verkiezing.errors)})
    body = json.dumps(domain.as_json(found), ensure_ascii=False, indent=2)
    suffix = f"-{found.election.slug}" if found.election else ""
    return Response(body + "\n", mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="dossier-{found.municipality.code.lower()}{suffix}.json"',
        "Cache-Control": "no-store"})

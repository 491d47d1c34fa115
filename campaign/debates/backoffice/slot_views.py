"""Finding a free venue: the slot search (a GET form, so a search can be bookmarked and shared) and its
suggestions, each with a link that opens the debate editor filled in."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask_babel import gettext as _

from campaign.core.access import staff_required
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status
from campaign.core.i18n import to_local_input
from campaign.core.models import utcnow
from campaign.coordinators.training import when_text
from campaign.debates import slots
from campaign.debates.blueprints import debates_admin as bp
from campaign.debates.common import my_municipalities
from campaign.debates.debate_forms import SlotForm


def schedule_link_values(suggestion: slots.Suggestion, municipality_code: str, expected_audience) -> dict:
    """The query string of "schedule this": the editor's fields in Dutch local time."""
    values = {"venue": suggestion.venue.id, "municipality": municipality_code,
              "starts_at": to_local_input(suggestion.starts_at).isoformat(timespec="minutes"),
              "ends_at": to_local_input(suggestion.ends_at).isoformat(timespec="minutes")}
    if expected_audience is not None:
        values["expected_audience"] = expected_audience
    return values


# The endpoint is "slots" (the URL map of the debate module); the function has another name so as not to hide the
# ``slots`` module.
@bp.get("/ruimte-zoeken", endpoint="slots")
@staff_required
def slots_page():
    places = my_municipalities()
    searched = "municipality" in request.args
    form = SlotForm(request.args if searched else None)
    form.municipality.choices = choices([("", _("Choose a municipality"))] + [(m.code, m.name) for m in places])
    if not searched:
        today = to_local_input(utcnow()).date()  # Dutch
        form.date_from.data, form.date_to.data = today + dt.timedelta(days=7), today + dt.timedelta(days=21)
        if len(places) == 1:
            form.municipality.data = places[0].code
    suggestions = None
    if searched and form.validate():
        municipality = next((m for m in places if m.code == form.municipality.data), None)
        if municipality is None:
            form.municipality.errors = list(form.municipality.errors) + [_("Choose one of your municipalities.")]
        else:
            try:
                suggestions = slots.suggest(municipality, form.duration.data, form.party_list(), form.date_from.data,
                                            form.date_to.data, expected_audience=form.expected_audience.data)
            except ValidationFailed as exc:
                apply_problems(form, exc)
    page = render_template("debates/admin/slots.html", form=form, suggestions=suggestions,
                           link_values=schedule_link_values, when_text=when_text)
    return page, form_status(form) if searched else 200


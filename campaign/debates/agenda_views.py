"""The public agenda (nationally and per municipality), the debate pages and their calendar files.

Anonymous and the same for everybody, so these pages set no session cookie and may be kept briefly by
browsers and proxies; a page that carries a form token (the registration form on the debate page) is kept
by the visitor's own browser only.
"""

from __future__ import annotations

from flask import Response, current_app, g, render_template, request, session, url_for
from flask_babel import gettext as _

from campaign.core.forms import choices
from campaign.core.htmx import render_page_or_block
from campaign.core.models import Municipality
from campaign.core.municipalities import load_municipality
from campaign.debates import agenda as domain
from campaign.debates.agenda_forms import AgendaFilterForm
from campaign.debates.blueprints import debates as bp
from campaign.debates.calendar import debate_calendar, feed
from campaign.debates.common import public_debate
from campaign.debates.venues import address, describe_accessibility

# Seconds a browser or proxy may keep a public agenda page: brief, since seats and cancellations change.
CACHE_SECONDS = 60
MAX_PAGE = 10_000


def _public(response: Response) -> Response:
    """Briefly cacheable for everybody, unless the page holds a form token (tied to the visitor's session):
    then for the visitor's own browser only."""
    if session.modified or current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = min(CACHE_SECONDS, current_app.config["PUBLIC_CACHE_SECONDS"])
    response.vary.update(["Accept-Language", "Cookie"])
    return response


def _filters(form: AgendaFilterForm, municipalities: dict[str, Municipality] | None) -> domain.AgendaFilter:
    """The valid filters of a submitted form; a field with a problem is left out (the page names it)."""
    form.validate()

    def value(field):
        return None if field.errors else (field.data or None)

    municipality = None
    if municipalities is not None:
        municipality = municipalities.get(value(form.municipality) or "")
    return domain.AgendaFilter(date_from=value(form.date_from), date_to=value(form.date_to),
                               kind=value(form.kind), municipality=municipality)


def _page_number() -> int:
    page = request.args.get("page", type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def _list_page(template: str, form: AgendaFilterForm, filters: domain.AgendaFilter, **context):
    result = domain.agenda(filters, page=_page_number())
    args = {f.name: request.args[f.name] for f in form if request.args.get(f.name)}

    def page_url(number: int) -> str:
        return url_for(request.endpoint, **request.view_args, **args, page=number)

    response = render_page_or_block(template, "results", form=form, result=result, page_url=page_url, **context)
    if form.errors:
        response.status_code = 422
    return _public(response)


@bp.get("/")
def agenda():
    municipalities = {m.code: m for m in domain.municipalities_with_debates()}
    form = AgendaFilterForm(formdata=request.args)
    form.municipality.choices = choices([("", _("Every municipality"))] +
                                       [(code, m.name) for code, m in municipalities.items()])
    return _list_page("debates/public/agenda.html", form, _filters(form, municipalities))


@bp.get("/gemeente/<code>")
def municipality_agenda(code: str):
    municipality = load_municipality(code)
    form = AgendaFilterForm(formdata=request.args)
    del form.municipality
    filters = _filters(form, None)
    filters = domain.AgendaFilter(filters.date_from, filters.date_to, filters.kind, municipality)
    return _list_page("debates/public/municipality.html", form, filters, municipality=municipality,
                      has_cultuurwijzer=bool(domain.with_cultuurwijzer([municipality.id])))


@bp.get("/gemeente/<code>.ics")
def municipality_feed(code: str):
    municipality = load_municipality(code)
    body = feed([(d, url_for("debates.debate", debate_id=d.id, _external=True))
                 for d in domain.municipality_debates(municipality)],
                _("Debates in %(municipality)s", municipality=municipality.name))
    return _public(Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="debatten-{municipality.code.lower()}.ics"'}))


@bp.get("/<int:debate_id>")
def debate(debate_id: int):
    found = public_debate(debate_id)
    url = url_for("debates.debate", debate_id=found.id, _external=True)
    json_ld = domain.event_json_ld(
        found, url=url, registration_url=f"{url}#debate-registration",
        organizer_url=url_for("debates.agenda", _external=True))
    response = Response(render_template(
        "debates/public/debate.html", debate=found, invitations=domain.public_invitations(found),
        accessibility=describe_accessibility(found.venue), venue_address=address(found.venue), json_ld=json_ld,
        has_cultuurwijzer=bool(domain.with_cultuurwijzer([found.municipality_id]))))
    return _public(response)


@bp.get("/<int:debate_id>.ics")
def debate_ics(debate_id: int):
    found = public_debate(debate_id)
    body = debate_calendar(found, url_for("debates.debate", debate_id=found.id, _external=True))
    return _public(Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="debat-{found.id}.ics"'}))

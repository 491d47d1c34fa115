"""A topic's links in the back office (/beheer/lobby/onderwerpen/<id>/...): the statements it is linked to (the
picker of every statement key, /stellingen), the parties' positions on them in every municipality
(/standpunten, also as CSV) and the debates it is on the agenda of (/debatten).

For the lobby team (editors and admins). Every action is a plain form post and redirect; htmx only searches the
picker and filters the positions in place.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.core.access import current_actor
from campaign.core.forms import choices, form_status, save_form
from campaign.core.htmx import render_page_or_block
from campaign.cultuurwijzer import editorial
from campaign.debates.common import my_municipalities
from campaign.debates.models import Debate
from campaign.extensions import db
from campaign.lobby import links as domain
from campaign.lobby.blueprints import lobby as bp
from campaign.lobby.common import csv_download, lobby_team
from campaign.lobby.link_forms import (
    SUPPORTS_CHOICES,
    SUPPORTS_PREFIX,
    DebateFilterForm,
    LinkDebateForm,
    PositionFilterForm,
    StatementLinksForm,
    StatementSearchForm,
)
from campaign.lobby.models import Topic, TopicStatement

STATEMENTS = "lobby/links/statements.html"
POSITIONS = "lobby/links/positions.html"
DEBATES = "lobby/links/debates.html"
# The topic's page (templates/lobby/topics/_links.html) shows its links; so may the dossier and dashboard.
bp.add_app_template_global(domain.topic_links, "lobby_topic_links")


def _topic(topic_id: int) -> Topic:
    return db.get_or_404(Topic, topic_id)


# --- statements ------------------------------------------------------------------------------------------------

def _statements_page(topic: Topic, form: StatementLinksForm, *, chosen: dict[str, str] | None = None):
    search = StatementSearchForm(request.args)
    query = search.q.data if search.validate() else ""
    linked = domain.linked_statements(topic)
    linked_keys = {link.key for link in linked}
    catalogue = [entry for entry in domain.statement_catalogue(query or "") if entry.key not in linked_keys]
    response = render_page_or_block(
        STATEMENTS, "picker", topic=topic, form=form, search=search, linked=linked, catalogue=catalogue,
        chosen=chosen or {}, serves=domain.topics_by_statement_key(e.key for e in catalogue),
        supports_choices=SUPPORTS_CHOICES, supports_prefix=SUPPORTS_PREFIX)
    response.status_code = form_status(form) if form.is_submitted() else 422 if search.errors else 200
    return response


@bp.route("/onderwerpen/<int:topic_id>/stellingen", methods=["GET", "POST"])
@lobby_team
def topic_statements(topic_id: int):
    topic = _topic(topic_id)
    form = StatementLinksForm()
    if form.validate_on_submit():
        chosen = form.links(request.form)
        saved = save_form(
            form, lambda: domain.link_statements(current_actor(), topic, chosen),
            lambda keys: ngettext("%(num)d statement linked or changed.", "%(num)d statements linked or changed.",
                                  len(keys)) if keys else _("Nothing changed: these statements were linked already."),
            url_for(".topic_statements", topic_id=topic_id))
        if saved:
            return saved
        return _statements_page(_topic(topic_id), form, chosen=chosen)
    return _statements_page(topic, form, chosen=form.links(request.form) if form.is_submitted() else None)


@bp.post("/onderwerpen/<int:topic_id>/stellingen/<key>/ontkoppelen")
@lobby_team
def unlink_statement(topic_id: int, key: str):
    topic = _topic(topic_id)
    link = db.session.get(TopicStatement, (topic.id, key)) or abort(404)
    domain.unlink_statement(current_actor(), link)
    db.session.commit()
    flash(_("Statement %(key)s unlinked.", key=key))
    return redirect(url_for(".topic_statements", topic_id=topic_id))


# --- positions -------------------------------------------------------------------------------------------------

def _position_filters(form: PositionFilterForm) -> dict:
    """The valid filters as ``topic_positions`` takes them (an invalid one counts as "any")."""
    elections = editorial.elections()
    form.verkiezing.choices = choices([("", _("Every election"))] + [(str(e.id), e.name) for e in elections])
    form.validate()
    election = next((e for e in elections if not form.verkiezing.errors and str(e.id) == form.verkiezing.data), None)
    return dict(published_only=form.show.data != "all" or bool(form.show.errors),
                search="" if form.gemeente.errors else form.gemeente.data or "",
                election_id=election.id if election else None)


@bp.get("/onderwerpen/<int:topic_id>/standpunten")
@lobby_team
def topic_positions(topic_id: int):
    topic = _topic(topic_id)
    form = PositionFilterForm(request.args)
    filters = _position_filters(form)
    rows = domain.topic_positions(topic, **filters)
    response = render_page_or_block(POSITIONS, "results", topic=topic, form=form,
                                    grouped=domain.positions_by_statement(rows),
                                    support=domain.support_by_municipality(topic, **filters),
                                    linked=domain.linked_statements(topic),
                                    supports_ask_labels=domain.SUPPORTS_ASK_LABELS,
                                    csv_url=url_for(".topic_positions_csv", topic_id=topic.id, **request.args))
    response.status_code = 422 if form.errors else 200
    return response


@bp.get("/onderwerpen/<int:topic_id>/standpunten.csv")
@lobby_team
def topic_positions_csv(topic_id: int):
    topic = _topic(topic_id)
    rows = domain.topic_positions(topic, **_position_filters(PositionFilterForm(request.args)))
    return csv_download(domain.positions_csv(rows), f"standpunten-onderwerp-{topic.id}.csv")


# --- debates ---------------------------------------------------------------------------------------------------

def _debates_page(topic: Topic, form: LinkDebateForm):
    places = my_municipalities()  # every one: the lobby team are editors
    filters = DebateFilterForm(request.args)
    filters.gemeente.choices = choices([("", _("Every municipality"))] + [(m.code, m.name) for m in places])
    filters.validate()
    municipality = next((m for m in places if m.code == filters.gemeente.data), None)
    return render_template(DEBATES, topic=topic, form=form, filters=filters, municipality=municipality,
                           linked=domain.linked_debates(topic),
                           choices=domain.debate_choices(topic, municipality_id=municipality.id if municipality
                                                         else None)), form_status(form)


@bp.route("/onderwerpen/<int:topic_id>/debatten", methods=["GET", "POST"])
@lobby_team
def topic_debates(topic_id: int):
    topic = _topic(topic_id)
    form = LinkDebateForm()
    if form.validate_on_submit():
        debate = db.get_or_404(Debate, int(form.debate.data))
        saved = save_form(form, lambda: domain.link_debate(current_actor(), topic, debate),
                          lambda linked: _("Debate “%(title)s” linked.", title=debate.title) if linked
                          else _("This debate was linked already."),
                          url_for(".topic_debates", topic_id=topic_id, **request.args))
        if saved:
            return saved
    return _debates_page(topic, form)


@bp.post("/onderwerpen/<int:topic_id>/debatten/<int:debate_id>/ontkoppelen")
@lobby_team
def unlink_debate(topic_id: int, debate_id: int):
    topic = _topic(topic_id)
    debate = db.get_or_404(Debate, debate_id)
    if not domain.unlink_debate(current_actor(), topic, debate):
        abort(404)  # not linked to this topic
    db.session.commit()
    flash(_("Debate “%(title)s” unlinked.", title=debate.title))
    return redirect(url_for(".topic_debates", topic_id=topic_id))

"""Topics in the back office (/beheer/lobby/onderwerpen): the list with its filters, adding and changing topics
and sub-topics, a topic's page with the status change, the timeline and what the other parts add to it
(the input given to parties, the linked statements and debates), and the team's status workflow (/statussen).

For the lobby team (editors and admins). Every action is a plain form post and redirect; htmx only filters the
list in place and moves sub-topics and statuses without reloading the page.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.core.access import current_actor
from campaign.core.audit import history
from campaign.core.converters import id_arg, optional_id
from campaign.core.forms import choices, form_status, run_change, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.i18n import local_today
from campaign.extensions import db
from campaign.lobby import topics as domain
from campaign.lobby.blueprints import lobby as bp
from campaign.lobby.common import lobby_team
from campaign.lobby.labels import own_name
from campaign.lobby.models import Topic, TopicStatus, TopicUpdate
from campaign.lobby.topic_forms import NOBODY, NoteForm, StatusChangeForm, StatusForm, TopicFilterForm, TopicForm

LIST = "lobby/topics/topics.html"
TOPIC = "lobby/topics/topic.html"
STATUSES = "lobby/topics/statuses.html"
OFFSETS = {"up": -1, "down": 1}

# For the dashboard and the dossier too: a topic's progress with its sub-topics done, and a timeline entry's
# status change in the reader's language.
bp.add_app_template_global(domain.topic_progress, "lobby_topic_progress")
bp.add_app_template_global(domain.status_change, "lobby_status_change")


def _topic_url(topic: Topic, anchor: str = "") -> str:
    return url_for("lobby.topic", topic_id=topic.id) + anchor


def _offset() -> int:
    offset = OFFSETS.get(request.form.get("direction", ""))
    if offset is None:
        abort(422, _("Choose up or down."))
    return offset


# --- the list ----------------------------------------------------------------------------------------------------

def _filter(form: TopicFilterForm) -> domain.TopicFilter:
    """The form's valid choices as the domain's filter (an invalid one counts as "any")."""
    def valid(field):
        return field.data if not field.errors else ""

    owner = valid(form.owner)
    return domain.TopicFilter(
        status_id=optional_id(valid(form.status)), scope=valid(form.scope),
        priority=optional_id(valid(form.priority)),
        owner_id=0 if owner == NOBODY else optional_id(owner), tag=valid(form.tag), search=valid(form.q) or "",
        sort=valid(form.sort) or "priority")


@bp.get("/onderwerpen")
@lobby_team
def topics():
    workflow, owners, tags = domain.statuses(), domain.owners(), domain.all_tags()
    form = TopicFilterForm(request.args)
    form.status.choices = choices([("", _("Every status"))] + [(str(s.id), own_name(s)) for s in workflow])
    form.owner.choices = choices([("", _("Anybody")), (NOBODY, _("Nobody"))] + [(str(u.id), u.name)
                                                                              for u in owners])
    form.tag.choices = choices([("", _("Every tag"))] + [(t.name, t.name) for t in tags])
    valid = form.validate()
    chosen = _filter(form)
    rows = domain.find_topics(chosen)
    response = render_page_or_block(LIST, "results", form=form, rows=rows, filtered=chosen.active,
                                    steps=domain.status_steps(workflow),
                                    closed={s.id for s in workflow if s.closed}, last_changed=domain.last_changed)
    response.status_code = 200 if valid else 422
    return response


# --- adding and changing -----------------------------------------------------------------------------------------

def _topic_form(topic: Topic | None = None, parent: Topic | None = None) -> tuple[TopicForm, list[TopicStatus]]:
    workflow = domain.statuses()
    form = TopicForm(obj=topic) if topic is not None else TopicForm()
    form.status_id.choices = choices([(s.id, own_name(s)) for s in workflow])
    owners = domain.owners()
    if topic is not None and topic.owner is not None and topic.owner not in owners:
        owners.append(topic.owner)
    form.owner_id.choices = choices([("", _("Nobody"))] + [(u.id, u.name) for u in owners])
    form.parent_id.choices = choices([("", _("None: a topic of its own"))] +
                                     [(t.id, t.title) for t in domain.parent_candidates(topic)])
    if not form.is_submitted():
        if topic is not None:
            form.tags.data = ", ".join(sorted((t.name for t in topic.tags), key=str.casefold))
        else:
            form.status_id.data = workflow[0].id if workflow else None
            if parent is not None:
                form.parent_id.data, form.scope.data = parent.id, parent.scope
                form.priority.data, form.owner_id.data = parent.priority, parent.owner_id
    return form, workflow


def _topic_fields(form: TopicForm) -> dict:
    return dict(title=form.title.data or "", description=form.description.data or "", ask=form.ask.data or "",
                priority=form.priority.data, scope=form.scope.data, owner_id=form.owner_id.data,
                status_id=form.status_id.data, parent_id=form.parent_id.data, tags=form.tags.data or "")


def _form_page(form: TopicForm, workflow, topic: Topic | None = None, parent: Topic | None = None):
    return render_template("lobby/topics/topic_form.html", form=form, topic=topic, parent=parent,
                           workflow=workflow), form_status(form)


@bp.route("/onderwerpen/nieuw", methods=["GET", "POST"])
@lobby_team
def new_topic():
    """A new topic; ``?parent=<id>`` makes it a sub-topic of that topic (the parent's page links here)."""
    parent = db.session.get(Topic, request.args.get("parent", type=id_arg) or 0)
    parent = parent if parent is not None and parent.parent_id is None else None
    form, workflow = _topic_form(parent=parent)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_topic(current_actor(), **_topic_fields(form)),
                          lambda t: _("Topic “%(title)s” added.", title=t.title), _topic_url)
        if saved:
            return saved
    return _form_page(form, workflow, parent=parent)


@bp.route("/onderwerpen/<int:topic_id>/bewerken", methods=["GET", "POST"])
@lobby_team
def edit_topic(topic_id: int):
    topic = db.get_or_404(Topic, topic_id)
    form, workflow = _topic_form(topic)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_topic(current_actor(), topic, **_topic_fields(form)),
                          _("Topic saved."), _topic_url(topic))
        if saved:
            return saved
        topic = db.get_or_404(Topic, topic_id)  # as it is after the rollback
    return _form_page(form, workflow, topic)


# --- the topic's page --------------------------------------------------------------------------------------------

def _status_form(topic: Topic, workflow, form: StatusChangeForm | None = None) -> StatusChangeForm:
    form = form or StatusChangeForm(formdata=None, changed_on=local_today())
    form.status_id.choices = choices([(s.id, own_name(s)) for s in workflow])
    if form.status_id.data is None:
        later = [s for s in workflow if s.position > topic.status.position]
        form.status_id.data = later[0].id if later else topic.status_id
    return form


def _topic_page(topic: Topic, *, status: int = 200, block: str | None = None, problems=(),
                status_form: StatusChangeForm | None = None, note_form: NoteForm | None = None):
    workflow = domain.statuses()
    steps, closed = domain.status_steps(workflow), {s.id for s in workflow if s.closed}
    context = dict(
        topic=topic, workflow=workflow, steps=steps, closed=closed, problems=list(problems),
        progress=domain.topic_progress(topic, steps, closed), removal=domain.what_goes_with(topic),
        status_form=_status_form(topic, workflow, status_form),
        note_form=note_form or NoteForm(formdata=None, happened_on=local_today()),
        history=history("topic", topic.id))
    if block is not None:
        return render_page_or_block(TOPIC, block, **context), status
    return render_template(TOPIC, **context), status


@bp.get("/onderwerpen/<int:topic_id>")
@lobby_team
def topic(topic_id: int):
    return _topic_page(db.get_or_404(Topic, topic_id))


def _page_change(topic_id: int, form, change, message, anchor: str, form_name: str):
    """A form on the topic's page: saved, back to the page at ``anchor``; refused, the page with the form's
    problems (422)."""
    topic = db.get_or_404(Topic, topic_id)
    if form.validate():
        saved = save_form(form, lambda: change(topic), message, _topic_url(topic, anchor))
        if saved:
            return saved
        topic = db.get_or_404(Topic, topic_id)
    return _topic_page(topic, status=422, **{form_name: form})


@bp.post("/onderwerpen/<int:topic_id>/status")
@lobby_team
def topic_status(topic_id: int):
    form = StatusChangeForm()
    form.status_id.choices = choices([(s.id, own_name(s)) for s in domain.statuses()])
    return _page_change(topic_id, form, lambda t: domain.change_status(
        current_actor(), t, status_id=form.status_id.data, changed_on=form.changed_on.data,
        note=form.note.data or ""),
        lambda entry: _("Status changed to “%(status)s”.", status=own_name(entry.topic.status)), "#timeline",
        "status_form")


@bp.post("/onderwerpen/<int:topic_id>/tijdlijn")
@lobby_team
def add_update(topic_id: int):
    form = NoteForm()
    return _page_change(topic_id, form, lambda t: domain.add_update(
        current_actor(), t, happened_on=form.happened_on.data, text=form.text.data or ""),
        _("Note added to the timeline."), "#timeline", "note_form")


@bp.post("/onderwerpen/<int:topic_id>/tijdlijn/<int:update_id>/verwijderen")
@lobby_team
def delete_update(topic_id: int, update_id: int):
    topic = db.get_or_404(Topic, topic_id)
    entry = db.get_or_404(TopicUpdate, update_id)
    if entry.topic_id != topic.id:
        abort(404)
    return run_change(lambda: domain.delete_update(current_actor(), entry), _("Note removed from the timeline."),
                      _topic_url(topic, "#timeline"),
                      lambda problems: _topic_page(db.get_or_404(Topic, topic_id), status=422, problems=problems))


@bp.post("/onderwerpen/<int:topic_id>/verwijderen")
@lobby_team
def delete_topic(topic_id: int):
    topic = db.get_or_404(Topic, topic_id)
    title, parent = topic.title, topic.parent
    target = _topic_url(parent, "#subtopics") if parent is not None else url_for("lobby.topics")
    return run_change(lambda: domain.delete_topic(current_actor(), topic),
                      lambda gone: _removed_message(title, gone), target,
                      lambda problems: _topic_page(db.get_or_404(Topic, topic_id), status=422, problems=problems))


def _removed_message(title: str, gone: domain.Removal) -> str:
    parts = [_("Topic “%(title)s” removed.", title=title)]
    if gone.subtopics:
        parts.append(ngettext("%(num)d sub-topic went with it.", "%(num)d sub-topics went with it.",
                              gone.subtopics))
    if gone.inputs:
        parts.append(ngettext("%(num)d record of input to a party went with it.",
                              "%(num)d records of input to parties went with it.", gone.inputs))
    return " ".join(parts)


@bp.post("/onderwerpen/<int:topic_id>/verplaatsen")
@lobby_team
def move_topic(topic_id: int):
    """A sub-topic up or down among its siblings; back to the parent's page (with htmx only its list)."""
    topic = db.get_or_404(Topic, topic_id)
    offset = _offset()
    parent = topic.parent or abort(404)
    domain.move_topic(current_actor(), topic, offset)
    db.session.commit()
    if is_htmx():
        return _topic_page(parent, block="subtopics")
    return redirect(_topic_url(parent, "#subtopics"))


# --- the status workflow -----------------------------------------------------------------------------------------

def _statuses_page(form: StatusForm, *, status: int = 200, problems=(), block: str | None = None):
    context = dict(form=form, counts=domain.status_counts(), problems=list(problems))
    if block is not None:
        return render_page_or_block(STATUSES, block, **context), status
    return render_template(STATUSES, **context), status


def _status_fields(form: StatusForm) -> dict:
    return dict(name=form.name.data or "", name_en=form.name_en.data or "", description=form.description.data or "",
                closed=form.closed.data)


STATUSES_URL = "lobby.statuses"


@bp.route("/statussen", methods=["GET", "POST"])
@lobby_team
def statuses():
    """The workflow in order, a form to add a status at the end, and (when there is none) the default workflow
    to start from."""
    if request.method == "POST" and request.form.get("action") == "restore":
        return run_change(lambda: domain.restore_default_statuses(current_actor()),
                          lambda added: ngettext("%(num)d status added.", "%(num)d statuses added.", len(added)),
                          url_for(STATUSES_URL), lambda problems: _statuses_page(StatusForm(), status=422,
                                                                                 problems=problems))
    form = StatusForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_status(current_actor(), **_status_fields(form)),
                          lambda s: _("Status “%(name)s” added.", name=s.name), url_for(STATUSES_URL) + "#workflow")
        if saved:
            return saved
    return _statuses_page(form, status=form_status(form))


@bp.route("/statussen/<int:status_id>", methods=["GET", "POST"])
@lobby_team
def edit_status(status_id: int):
    status = db.get_or_404(TopicStatus, status_id)
    form = StatusForm(obj=status)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_status(current_actor(), status, **_status_fields(form)),
                          _("Status saved."), url_for(STATUSES_URL) + "#workflow")
        if saved:
            return saved
        status = db.get_or_404(TopicStatus, status_id)
    return render_template("lobby/topics/status_form.html", status=status, form=form,
                           used=domain.topics_with_status(status),
                           history=history("topic_status", status.id)), form_status(form)


@bp.post("/statussen/<int:status_id>/verplaatsen")
@lobby_team
def move_status(status_id: int):
    status = db.get_or_404(TopicStatus, status_id)
    domain.move_status(current_actor(), status, _offset())
    db.session.commit()
    if is_htmx():
        return _statuses_page(StatusForm(formdata=None), block="workflow")
    return redirect(url_for(STATUSES_URL) + "#workflow")


@bp.post("/statussen/<int:status_id>/verwijderen")
@lobby_team
def delete_status(status_id: int):
    status = db.get_or_404(TopicStatus, status_id)
    name = own_name(status)
    return run_change(lambda: domain.delete_status(current_actor(), status),
                      _("Status “%(name)s” removed.", name=name), url_for(STATUSES_URL) + "#workflow",
                      lambda problems: _statuses_page(StatusForm(formdata=None), status=422, problems=problems))

"""The team's side of the workspace: the campaign checklist, the knowledge base, the question queue and the
answer templates. Routes on ``blueprints.co_admin`` (/beheer/coordinatoren); editors and admins only."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _

from campaign.core.access import current_actor, role_required
from campaign.core.audit import history
from campaign.core.converters import id_arg
from campaign.core.forms import form_status, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.models import utcnow
from campaign.coordinators import inbox, knowledge, workspace
from campaign.coordinators.blueprints import co_admin as bp
from campaign.coordinators.models import AnswerTemplate, Article, ChecklistItem, Question
from campaign.coordinators.support_forms import AnswerForm, AnswerTemplateForm, ArticleForm, ChecklistItemForm
from campaign.extensions import db

EDITOR = "editor"


# --- checklist ------------------------------------------------------------------------------------------------

CHECKLIST = "coordinators/admin/checklist.html"


def _checklist_page(form, status: int = 200):
    return render_page_or_block(CHECKLIST, "items", items=workspace.checklist_items(), form=form), status


@bp.route("/checklist", methods=["GET", "POST"])
@role_required(EDITOR)
def checklist():
    """The list in order, and a form to add a step at the end."""
    form = ChecklistItemForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: workspace.add_item(current_actor(), title=form.title.data,
                                                           description=form.description.data or ""),
                          _("Step added."), url_for("co_admin.checklist") + "#checklist-items")
        if saved:
            return saved
    return _checklist_page(form, form_status(form))


@bp.route("/checklist/<int:item_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_checklist_item(item_id: int):
    item = db.get_or_404(ChecklistItem, item_id)
    form = ChecklistItemForm(obj=item)
    if form.validate_on_submit():
        saved = save_form(form, lambda: workspace.update_item(current_actor(), item, title=form.title.data,
                                                              description=form.description.data or ""),
                          _("Step saved."), url_for("co_admin.checklist") + "#checklist-items")
        if saved:
            return saved
    return render_template("coordinators/admin/checklist_item.html", item=item, form=form,
                           history=history("checklist_item", item.id)), form_status(form)


@bp.post("/checklist/<int:item_id>/verwijderen")
@role_required(EDITOR)
def delete_checklist_item(item_id: int):
    workspace.delete_item(current_actor(), db.get_or_404(ChecklistItem, item_id))
    db.session.commit()
    flash(_("Step removed."))
    return redirect(url_for("co_admin.checklist") + "#checklist-items")


@bp.post("/checklist/<int:item_id>/verplaatsen")
@role_required(EDITOR)
def move_checklist_item(item_id: int):
    """Up or down one place. Without JavaScript a plain form post and redirect; with htmx only the list."""
    item = db.get_or_404(ChecklistItem, item_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(422, _("Choose up or down."))
    workspace.move_item(current_actor(), item, offset)
    db.session.commit()
    if is_htmx():
        return _checklist_page(ChecklistItemForm(formdata=None))
    return redirect(url_for("co_admin.checklist") + "#checklist-items")


# --- knowledge base -------------------------------------------------------------------------------------------

@bp.get("/kennisbank")
@role_required(EDITOR)
def articles():
    return render_template("coordinators/admin/articles.html", articles=knowledge.all_articles(),
                           audience_label=knowledge.audience_label)


def _article_page(form, article=None):
    return render_template("coordinators/admin/article_form.html", form=form, article=article,
                           topics=knowledge.topics(),
                           history=history("article", article.id) if article else []), form_status(form)


def _article_change(form, article):
    return lambda: knowledge.save_article(current_actor(), article, title=form.title.data, body=form.body.data,
                                          topic=form.topic.data or "", audience=form.audience.data,
                                          published=form.published.data)


@bp.route("/kennisbank/nieuw", methods=["GET", "POST"])
@role_required(EDITOR)
def new_article():
    form = ArticleForm()
    if form.validate_on_submit():
        saved = save_form(form, _article_change(form, None), _("Item added to the knowledge base."),
                          url_for("co_admin.articles"))
        if saved:
            return saved
    return _article_page(form)


@bp.route("/kennisbank/<int:article_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_article(article_id: int):
    article = db.get_or_404(Article, article_id)
    form = ArticleForm(obj=article)
    if form.validate_on_submit():
        saved = save_form(form, _article_change(form, article), _("Item saved."), url_for("co_admin.articles"))
        if saved:
            return saved
    return _article_page(form, article)


@bp.post("/kennisbank/<int:article_id>/verwijderen")
@role_required(EDITOR)
def delete_article(article_id: int):
    knowledge.delete_article(current_actor(), db.get_or_404(Article, article_id))
    db.session.commit()
    flash(_("Item removed from the knowledge base."))
    return redirect(url_for("co_admin.articles"))


# --- question queue -------------------------------------------------------------------------------------------

def age(moment) -> str:
    """How long a question has waited, in words: "40 minutes", "5 hours", then in days ("12 days", not
    "2 weeks"), so that the queue compares at a glance."""
    waited = max(utcnow() - moment, dt.timedelta(0))
    if waited >= dt.timedelta(days=1):
        return format_timedelta(dt.timedelta(days=waited.days), granularity="day", threshold=100000)
    return format_timedelta(waited, granularity="minute", threshold=1)


@bp.get("/vragen")
@role_required(EDITOR)
def questions():
    status = "answered" if request.args.get("status") == "answered" else "open"
    return render_template("coordinators/admin/questions.html", status=status, questions=inbox.queue(status),
                           counts=inbox.counts(), age=age)


def _chosen_template() -> AnswerTemplate | None:
    template_id = request.args.get("template", type=id_arg)
    return db.session.get(AnswerTemplate, template_id) if template_id else None


@bp.route("/vragen/<int:question_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def question(question_id: int):
    """The question and the answer form. ``?template=<id>`` fills the answer with a template's text: htmx asks
    for the answer field alone when the select changes; without JavaScript "Use template" reloads the page."""
    question = db.get_or_404(Question, question_id)
    chosen = _chosen_template() if request.method == "GET" else None
    form = AnswerForm(data={"answer": chosen.body} if chosen else None)
    if form.validate_on_submit():
        saved = save_form(form, lambda: inbox.answer(current_actor(), question, form.answer.data),
                          _("The answer has been sent."), url_for("co_admin.questions"))
        if saved:
            return saved
    return render_page_or_block("coordinators/admin/question.html", "answer_field", question=question, form=form,
                                templates=inbox.answer_templates(), chosen=chosen, age=age,
                                history=history("question", question.id)), form_status(form)


# --- answer templates -----------------------------------------------------------------------------------------

@bp.route("/antwoordsjablonen", methods=["GET", "POST"])
@role_required(EDITOR)
def answer_templates():
    form = AnswerTemplateForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: inbox.save_template(current_actor(), None, title=form.title.data,
                                                            body=form.body.data),
                          _("Template added."), url_for("co_admin.answer_templates"))
        if saved:
            return saved
    return render_template("coordinators/admin/answer_templates.html", templates=inbox.answer_templates(),
                           form=form), form_status(form)


@bp.route("/antwoordsjablonen/<int:template_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def edit_answer_template(template_id: int):
    template = db.get_or_404(AnswerTemplate, template_id)
    form = AnswerTemplateForm(obj=template)
    if form.validate_on_submit():
        saved = save_form(form, lambda: inbox.save_template(current_actor(), template, title=form.title.data,
                                                            body=form.body.data),
                          _("Template saved."), url_for("co_admin.answer_templates"))
        if saved:
            return saved
    return render_template("coordinators/admin/answer_template_form.html", template=template, form=form,
                           history=history("answer_template", template.id)), form_status(form)


@bp.post("/antwoordsjablonen/<int:template_id>/verwijderen")
@role_required(EDITOR)
def delete_answer_template(template_id: int):
    inbox.delete_template(current_actor(), db.get_or_404(AnswerTemplate, template_id))
    db.session.commit()
    flash(_("Template removed."))
    return redirect(url_for("co_admin.answer_templates"))

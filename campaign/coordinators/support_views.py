"""Public support pages: the knowledge base (/kennisbank) and the question form (/vragen).

Only published items for everyone appear here; coordinator-only items are not found by search nor by id.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status, public_form_limit
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.i18n import current_language
from campaign.core.models import Municipality, Organisation
from campaign.coordinators import inbox, knowledge
from campaign.coordinators.blueprints import support as bp
from campaign.core.municipalities import load_municipality
from campaign.coordinators.organisations import organisations
from campaign.coordinators.support_forms import PublicQuestionForm
from campaign.extensions import db, limiter

PUBLIC_FORM = Actor.system("public question form")

# Plain-text knowledge-base answers as paragraphs (templates/coordinators/support/_knowledge.html).
bp.add_app_template_global(knowledge.paragraphs, "knowledge_paragraphs")


@bp.get("/kennisbank", endpoint="knowledge")
def knowledge_base():
    result = knowledge.search(request.args.get("q", ""), coordinators=False)
    return render_page_or_block("coordinators/support/knowledge.html", "results", result=result,
                                fragment=is_htmx())


@bp.get("/kennisbank/<int:article_id>")
def article(article_id: int):
    found = knowledge.load_visible(article_id, coordinators=False) or abort(404)
    return render_template("coordinators/support/article.html", article=found)


def _choices(form: PublicQuestionForm) -> None:
    form.organisation.choices = choices([("", _("None, or not on behalf of a member organisation"))] +
                                        [(str(o.id), o.name) for o in organisations(member=True)])
    form.municipality.choices = choices([("", _("Not about one municipality"))] + [
        (m.code, m.name) for m in db.session.scalars(select(Municipality).order_by(Municipality.name))])
    days = current_app.config["QUESTION_RETENTION_DAYS"]
    form.consent.label.text = _("I agree that the campaign team stores my question and my details to answer it. "
                                "They are deleted %(days)d days after the answer.", days=days)


@bp.route("/vragen/nieuw", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def ask():
    form = PublicQuestionForm()
    _choices(form)
    if form.validate_on_submit():
        if form.caught_spam():
            return redirect(url_for("support.ask_thanks"))  # a bot: it learns nothing, nothing is stored
        organisation = db.session.get(Organisation, int(form.organisation.data)) if form.organisation.data else None
        municipality = load_municipality(form.municipality.data) if form.municipality.data else None
        try:
            inbox.ask(PUBLIC_FORM, inbox.Asker(form.name.data, form.email.data, organisation=organisation),
                      subject=form.subject.data, body=form.body.data, municipality=municipality,
                      language=current_language(),
                      consent_version=current_app.config["COORDINATOR_CONSENT_VERSION"])
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
        else:
            db.session.commit()
            return redirect(url_for("support.ask_thanks"))
    return render_template("coordinators/support/ask.html", form=form), form_status(form)


@bp.get("/vragen/bedankt")
def ask_thanks():
    return render_template("coordinators/support/ask_thanks.html")

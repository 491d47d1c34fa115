"""The signed-in coordinator's workspace: home (checklist, municipalities, materials), knowledge base, questions.

Routes on ``blueprints.workspace`` (/werkplek). Staff may open them; what they show is the signed-in person's
own: their municipalities, their ticks, their questions. A staff member without a coordinator record gets an
explanation instead of a checklist.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.core.access import current_actor, staff_required
from campaign.core.forms import choices, form_status, save_form
from campaign.core.htmx import is_htmx, render_page_or_block
from campaign.core.i18n import current_language
from campaign.coordinators import inbox, knowledge, workspace
from campaign.coordinators.blueprints import workspace as bp
from campaign.coordinators.common import application_of
from campaign.coordinators.models import Article, ChecklistItem
from campaign.coordinators.support_forms import QuestionForm
from campaign.extensions import db

HOME = "coordinators/workspace/home.html"


def _home_context(application):
    return {
        "application": application,
        "places": workspace.places_of(current_user, application),
        "checklist": workspace.checklist_for(application) if application is not None else None,
        "materials": workspace.materials(),
        "coordinator_articles": knowledge.coordinator_articles(),
    }


@bp.get("/")
@staff_required
def home():
    return render_template(HOME, **_home_context(application_of(current_user)))


@bp.post("/checklist/<int:item_id>")
@staff_required
def toggle_item(item_id: int):
    """Tick a step off (``done=1``) or undo that (no ``done``). htmx swaps the checklist; without it, a redirect."""
    item = db.get_or_404(ChecklistItem, item_id)
    application = application_of(current_user)
    if application is None:
        flash(_("Only coordinators have a campaign checklist."))
        return redirect(url_for("workspace.home"))
    workspace.set_done(current_actor(), application, item, request.form.get("done") == "1")
    db.session.commit()
    if is_htmx():  # only the checklist: the rest of the page has not changed
        return render_page_or_block(HOME, "checklist", checklist=workspace.checklist_for(application))
    return redirect(url_for("workspace.home") + "#checklist")


# --- knowledge base -------------------------------------------------------------------------------------------

@bp.get("/kennisbank", endpoint="knowledge")
@staff_required
def knowledge_base():
    result = knowledge.search(request.args.get("q", ""), coordinators=True)
    return render_page_or_block("coordinators/workspace/knowledge.html", "results", result=result,
                                fragment=is_htmx())


@bp.get("/kennisbank/<int:article_id>")
@staff_required
def article(article_id: int):
    found: Article = knowledge.load_visible(article_id, coordinators=True) or abort(404)
    return render_template("coordinators/workspace/article.html", article=found)


# --- questions ------------------------------------------------------------------------------------------------

def _municipality_choices(form: QuestionForm) -> None:
    form.municipality.choices = choices([("", _("Not about one municipality"))] +
                                        [(m.code, m.name) for m in current_user.municipalities])


@bp.route("/vragen", methods=["GET", "POST"])
@staff_required
def questions():
    """Ask the team a question (name, address and organisation come from the account) and read the answers."""
    application = application_of(current_user)
    form = QuestionForm()
    _municipality_choices(form)
    if form.validate_on_submit():
        municipality = next((m for m in current_user.municipalities if m.code == form.municipality.data), None)
        # A coordinator's question falls under the consent they gave when applying.
        asker = inbox.Asker(current_user.name, current_user.email,
                            organisation=application.organisation if application else None,
                            user=current_user._get_current_object())
        saved = save_form(form, lambda: inbox.ask(current_actor(), asker, subject=form.subject.data,
                                                  body=form.body.data, municipality=municipality,
                                                  language=current_language()),
                          _("Your question has been sent. You will find the answer here and in your mail."),
                          url_for("workspace.questions"))
        if saved:
            return saved
    return render_template("coordinators/workspace/questions.html", form=form, application=application,
                           questions=inbox.questions_of(current_user),
                           retention_days=current_app.config["QUESTION_RETENTION_DAYS"]), form_status(form)


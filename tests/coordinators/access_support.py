"""Access table of the workspace, knowledge base and question inbox (read by tests/core/test_access_matrix.py)."""

from __future__ import annotations

ACCESS = {
    # The workspace: every signed-in staff member; what it shows is their own.
    "workspace.home": "staff",
    "workspace.toggle_item": "staff",
    "workspace.knowledge": "staff",
    "workspace.article": "staff",
    "workspace.questions": "staff",
    # The team's side.
    "co_admin.checklist": "editor",
    "co_admin.edit_checklist_item": "editor",
    "co_admin.delete_checklist_item": "editor",
    "co_admin.move_checklist_item": "editor",
    "co_admin.articles": "editor",
    "co_admin.new_article": "editor",
    "co_admin.edit_article": "editor",
    "co_admin.delete_article": "editor",
    "co_admin.questions": "editor",
    "co_admin.question": "editor",
    "co_admin.answer_templates": "editor",
    "co_admin.edit_answer_template": "editor",
    "co_admin.delete_answer_template": "editor",
}


def _item(db_session) -> int:
    from campaign.coordinators.models import ChecklistItem

    item = ChecklistItem(title="Maak kennis met de lokale leden", position=0)
    db_session.add(item)
    db_session.commit()
    return item.id


def _article(db_session) -> int:
    from campaign.coordinators.models import Article

    article = Article(title="Welke zaal kan ik gebruiken?", body="Vraag het campagneteam.", topic="Debat",
                      audience="coordinators", published=True)
    db_session.add(article)
    db_session.commit()
    return article.id


def _question(db_session) -> int:
    from campaign.coordinators.models import Question

    question = Question(name="Vrager", email="vrager@example.org", subject="Zaal", body="Welke zaal?")
    db_session.add(question)
    db_session.commit()
    return question.id


def _template(db_session) -> int:
    from campaign.coordinators.models import AnswerTemplate

    template = AnswerTemplate(title="Zaal zoeken", body="Dank je voor je vraag.")
    db_session.add(template)
    db_session.commit()
    return template.id


URL_VALUES = {"item_id": _item, "article_id": _article, "question_id": _question, "template_id": _template}

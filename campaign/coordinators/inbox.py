"""The question inbox: anyone asks (the public form, or a coordinator from the workspace), the team answers.

The queue puts questions from member organisations first, then the oldest first (``from_member`` is fixed
when the question comes in, so a later change to the organisation does not reorder answered history).
Answering stores the answer, marks the question answered and mails the asker in the language they asked in.
Answer templates are starting texts for recurring questions.

Audit entries name questions by id and status only: the asker's name and address stay out of the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.mail import queue_template
from campaign.core.models import Municipality, Organisation, User, utcnow
from campaign.coordinators.models import AnswerTemplate, Question
from campaign.extensions import db

MAX_NAME = 120
MAX_SUBJECT = 200
MAX_BODY = 5000
MAX_ANSWER = 10000
MAX_TEMPLATE_TITLE = 200


# --- asking ----------------------------------------------------------------------------------------------------

@dataclass
class Asker:
    name: str
    email: str
    organisation: Organisation | None = None
    user: User | None = None


def ask(actor: Actor, asker: Asker, *, subject: str, body: str, municipality: Municipality | None = None,
        language: str = "nl", consent_version: str | None = None) -> Question:
    """Store a new, open question. ``from_member`` follows the organisation the asker speaks for."""
    name, email = (asker.name or "").strip(), (asker.email or "").strip()
    subject, body = (subject or "").strip(), (body or "").replace("\r\n", "\n").strip()
    problems = text_problems(name, _l("Name"), "name", limit=MAX_NAME, missing=_l("Fill in your name."))
    problems += email_problems(email, _l("Email address"), "email",
                               missing=_l("Fill in a valid email address; we send the answer there."))
    problems += text_problems(subject, _l("Subject"), "subject", limit=MAX_SUBJECT, missing=_l("Fill in a subject."))
    problems += text_problems(body, _l("Your question"), "body", limit=MAX_BODY, missing=_l("Write your question."))
    if problems:
        raise ValidationFailed(problems)
    organisation = asker.organisation
    question = Question(name=name, email=email, organisation=organisation,
                        from_member=bool(organisation is not None and organisation.member),
                        user_id=asker.user.id if asker.user is not None else None, municipality=municipality,
                        subject=subject, body=body, language=language, consent_version=consent_version,
                        status="open")
    db.session.add(question)
    db.session.flush()
    record(actor, "question.create", "question", question.id,
           after={"status": "open", "from_member": question.from_member,
                  "organisation": organisation.id if organisation else None,
                  "from_account": question.user_id is not None},
           only_changes=False)
    return question


def questions_of(user: User) -> list[Question]:
    """The questions someone asked from their account, newest first."""
    return list(db.session.scalars(select(Question).where(Question.user_id == user.id)
                                   .order_by(Question.created_at.desc(), Question.id.desc())))


# --- the team's queue -------------------------------------------------------------------------------------------

def queue(status: str = "open") -> list[Question]:
    """Open questions: member organisations first, then oldest first. Answered: the latest answer first. With
    the organisations, municipalities and answerers the list shows (a query each, however long the list)."""
    query = select(Question).where(Question.status == status).options(
        selectinload(Question.organisation), selectinload(Question.municipality), selectinload(Question.answered_by))
    if status == "open":
        query = query.order_by(Question.from_member.desc(), Question.created_at, Question.id)
    else:
        query = query.order_by(Question.answered_at.desc(), Question.id.desc())
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    rows = db.session.execute(select(Question.status, func.count()).group_by(Question.status))
    found = {"open": 0, "answered": 0}
    found.update({status: number for status, number in rows})
    return found


def answer(actor: Actor, question: Question, text: str) -> None:
    """Store the answer, mark the question answered and mail the asker in their language."""
    text = (text or "").replace("\r\n", "\n").strip()
    if question.status == "answered":
        raise ValidationFailed([Problem(str(_l("Answer")), str(_l("This question has already been answered.")))])
    problems = text_problems(text, _l("Answer"), "answer", limit=MAX_ANSWER, missing=_l("Write the answer."))
    if problems:
        raise ValidationFailed(problems)
    question.answer = text
    question.status = "answered"
    question.answered_at = utcnow()
    question.answered_by = actor.user
    with force_locale(question.language):
        queue_template(question.email, "question_answered", question=question,
                       retention_days=current_app.config["QUESTION_RETENTION_DAYS"])
    record(actor, "question.answer", "question", question.id, before={"status": "open"},
           after={"status": "answered"}, only_changes=False)


# --- answer templates -------------------------------------------------------------------------------------------

def answer_templates() -> list[AnswerTemplate]:
    return list(db.session.scalars(select(AnswerTemplate).order_by(AnswerTemplate.title, AnswerTemplate.id)))


def save_template(actor: Actor, template: AnswerTemplate | None, *, title: str, body: str) -> AnswerTemplate:
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    problems = text_problems(title, _l("Name"), "title", limit=MAX_TEMPLATE_TITLE,
                             missing=_l("Give the template a name."))
    problems += text_problems(body, _l("Text"), "body", limit=MAX_ANSWER, missing=_l("Write the text of the answer."))
    if problems:
        raise ValidationFailed(problems)
    if template is None:
        template = AnswerTemplate(title=title, body=body)
        db.session.add(template)
        db.session.flush()
        record(actor, "answer_template.create", "answer_template", template.id, after={"title": title},
               only_changes=False)
        return template
    before = snapshot(template, ("title",)) | {"text_changed": False}
    changed_text = template.body != body
    template.title, template.body = title, body
    record(actor, "answer_template.update", "answer_template", template.id, before=before,
           after={"title": title, "text_changed": changed_text})
    return template


def delete_template(actor: Actor, template: AnswerTemplate) -> None:
    record(actor, "answer_template.delete", "answer_template", template.id, before={"title": template.title},
           only_changes=False)
    db.session.delete(template)
    db.session.flush()

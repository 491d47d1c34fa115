"""Forms of the workspace, the knowledge base and the question inbox: the boundary for HTML input.

The domain functions (workspace.py, knowledge.py, inbox.py) check the same rules again, so that nothing
reaches the database that a form alone would have let through.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from campaign.core.errors import MAX_EMAIL
from campaign.core.forms import PublicForm, choices
from campaign.coordinators import inbox, knowledge, workspace
from campaign.coordinators.knowledge import AUDIENCE_LABELS


class ChecklistItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=workspace.MAX_TITLE)],
                        description=_l("One step of the local campaign, e.g. “Plan a debate”."))
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=workspace.MAX_DESCRIPTION)])


class ArticleForm(FlaskForm):
    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=knowledge.MAX_TITLE)],
                        description=_l("As people ask it, e.g. “How much time does it take?”."))
    body = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=knowledge.MAX_BODY)],
                         description=_l("Plain text. Leave an empty line between paragraphs; web addresses "
                                        "become links."))
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=knowledge.MAX_TOPIC)],
                        description=_l("Items are grouped by topic."))
    audience = SelectField(_l("Who may read it"), choices=choices(AUDIENCE_LABELS.items()), default="public",
                           validators=[InputRequired()])
    published = BooleanField(_l("Published"), default=True)


class QuestionForm(FlaskForm):
    """What every asker fills in; the public form adds who they are (``PublicQuestionForm``)."""

    municipality = SelectField(_l("Municipality (optional)"), choices=[], validate_choice=True,
                               validators=[Optional()])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=inbox.MAX_SUBJECT)])
    body = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(max=inbox.MAX_BODY)])


class PublicQuestionForm(QuestionForm, PublicForm):
    """The public form: who is asking, their consent, and the honeypot of every PublicForm."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=inbox.MAX_NAME)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(check_deliverability=False),
                                                        Length(max=MAX_EMAIL)],
                       description=_l("We send the answer to this address."),
                       render_kw={"autocomplete": "email"})
    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=True, validators=[Optional()],
                               description=_l("Questions from member organisations are answered first."))
    # The label states the retention period, which comes from the configuration (set by the view).
    consent = BooleanField(_l("I agree"), validators=[DataRequired(_l("We can only answer when you agree to this."))])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=inbox.MAX_ANSWER)],
                           description=_l("Mailed to the asker, below their question."))


class AnswerTemplateForm(FlaskForm):
    title = StringField(_l("Name"), validators=[DataRequired(), Length(max=inbox.MAX_TEMPLATE_TITLE)],
                        description=_l("For yourselves, e.g. “Finding a venue”."))
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=inbox.MAX_ANSWER)])

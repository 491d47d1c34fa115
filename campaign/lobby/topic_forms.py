"""Forms of the topic pages (the boundary for HTML input; ``topics.py`` checks everything again).

Field names are the domain's argument names, so that a problem the domain names lands beside its field. The
choices that come from the database (statuses, owners, parent topics, tags) are filled in by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.core.converters import optional_id
from campaign.core.forms import choices, plausible_year
from campaign.lobby import topics as rules
from campaign.lobby.labels import priority_labels, scope_labels
from campaign.lobby.models import PRIORITIES, TOPIC_SCOPES

PRIORITY_CHOICES = [(p, priority_labels[p]) for p in PRIORITIES]
SCOPE_CHOICES = [(s, scope_labels[s]) for s in TOPIC_SCOPES]


class TopicForm(FlaskForm):
    title = StringField(_l("Title"), filters=STRIP, validators=[
        DataRequired(_l("Give the topic a title.")), Length(max=rules.MAX_TITLE, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_TEXT, message=TOO_LONG)],
        description=_l("What the topic is about, and why it matters."), render_kw={"rows": 4})
    ask = TextAreaField(_l("Our ask"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_TEXT, message=TOO_LONG)],
        description=_l("What we ask of parties and governments, in one or two sentences."), render_kw={"rows": 3})
    status_id = SelectField(_l("Status"), coerce=optional_id, choices=[], validate_choice=False)
    priority = SelectField(_l("Priority"), coerce=int, choices=choices(PRIORITY_CHOICES), default=2,
                           validators=[InputRequired(_l("Choose high, normal or low."))])
    scope = SelectField(_l("Scope"), choices=choices(SCOPE_CHOICES), default="municipal",
                        validators=[InputRequired(_l("Choose national or municipal."))],
                        description=_l("National: for national parties and the government; municipal: for local "
                                       "parties and councils."))
    owner_id = SelectField(_l("Owner"), coerce=optional_id, choices=[], validate_choice=False,
                           description=_l("The member of the lobby team who keeps the topic moving."))
    parent_id = SelectField(_l("Sub-topic of"), coerce=optional_id, choices=[], validate_choice=False,
                            description=_l("Sub-topics go one level deep; their progress rolls up into the topic."))
    tags = StringField(_l("Tags"), filters=STRIP, validators=[Optional(), Length(max=2000, message=TOO_LONG)],
                       description=_l("Separated by commas, e.g. “btw, onderwijs”. At most %(n)d characters each.",
                                      n=rules.MAX_TAG))


class StatusChangeForm(FlaskForm):
    """The topic page's small form: a new status, when, and why."""

    status_id = SelectField(_l("New status"), coerce=optional_id, choices=[], validate_choice=False)
    changed_on = DateField(_l("Date"), validators=[InputRequired(_l("Give the date.")), plausible_year])
    note = TextAreaField(_l("Note (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_NOTE, message=TOO_LONG)], render_kw={"rows": 2},
        description=_l("E.g. what was agreed, or who said so."))


class NoteForm(FlaskForm):
    """A note on the timeline."""

    happened_on = DateField(_l("Date"), validators=[InputRequired(_l("Give the date.")), plausible_year])
    text = TextAreaField(_l("Note"), filters=STRIP, validators=[
        DataRequired(_l("Write the note.")), Length(max=rules.MAX_NOTE, message=TOO_LONG)], render_kw={"rows": 3})


class StatusForm(FlaskForm):
    """A status of the workflow."""

    name = StringField(_l("Name"), filters=STRIP, validators=[
        DataRequired(_l("Give the status a name.")), Length(max=rules.MAX_STATUS_NAME, message=TOO_LONG)],
        description=_l("In Dutch, e.g. “Geagendeerd”."))
    name_en = StringField(_l("English name (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_STATUS_NAME, message=TOO_LONG)],
        description=_l("Shown to readers of the English pages; the Dutch name when empty."))
    description = TextAreaField(_l("Description (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_STATUS_DESCRIPTION, message=TOO_LONG)], render_kw={"rows": 2},
        description=_l("When a topic has this status."))
    closed = BooleanField(_l("Closed: the work on a topic ends here (a result, or dropped)"))


SORT_CHOICES = [("priority", _l("Priority, then title")), ("title", _l("Title")),
                ("updated", _l("Last changed first"))]
NOBODY = "0"


class TopicFilterForm(FlaskForm):
    """A GET form (no CSRF): the list's filters, also in the URL."""

    class Meta:
        csrf = False

    q = StringField(_l("Title contains"), filters=STRIP, validators=[Optional(), Length(max=200)],
                    render_kw={"type": "search"})
    status = SelectField(_l("Status"), validators=[Optional()], choices=[])
    scope = SelectField(_l("Scope"), validators=[Optional()],
                        choices=choices([("", _l("Every scope"))] + SCOPE_CHOICES))
    priority = SelectField(_l("Priority"), validators=[Optional()],
                           choices=choices([("", _l("Every priority"))] + [(str(p), label)
                                                                          for p, label in PRIORITY_CHOICES]))
    owner = SelectField(_l("Owner"), validators=[Optional()], choices=[])
    tag = SelectField(_l("Tag"), validators=[Optional()], choices=[])
    sort = SelectField(_l("Sort by"), validators=[Optional()], choices=choices(SORT_CHOICES), default="priority")

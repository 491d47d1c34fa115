"""Flask-WTF forms of the Cultuurwijzer back office: the boundary for HTML input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.cultuurwijzer.editions import MAX_LIST_NUMBER, MAX_TITLE


class NewEditionForm(FlaskForm):
    election = SelectField(_l("Election"), coerce=int, validators=[InputRequired()])
    municipality = SelectField(_l("Municipality"), validators=[InputRequired()],
                               description=_l("Only municipalities without an edition for this election."))


class SettingsForm(FlaskForm):
    deadline = DateTimeLocalField(_l("Deadline for the parties"), validators=[Optional()],
                                  description=_l("Dutch time. Parties can change their positions until then."))
    notice = TextAreaField(_l("Notice shown above the statements"), validators=[Optional(), Length(max=1000)])


class StatusForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])
    deadline = DateTimeLocalField(_l("Deadline for the parties"), validators=[Optional()])
    accept_missing = BooleanField(_l("Publish with the missing positions; they are flagged on the result page"))


class StatementForm(FlaskForm):
    theme = StringField(_l("Theme"), validators=[DataRequired(), Length(max=80)],
                        description=_l("A word or two, e.g. “Music lessons”."))
    title = StringField(_l("Short title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    text = TextAreaField(_l("Statement"), validators=[DataRequired(), Length(max=1000)],
                         description=_l("One clear claim that a party can agree or disagree with."))
    background = TextAreaField(_l("Background explanation"), validators=[Optional(), Length(max=4000)],
                               description=_l("Neutral facts that help a voter understand the statement."))


class PartyForm(FlaskForm):
    name = StringField(_l("Party name"), validators=[DataRequired(), Length(max=120)])
    list_number = IntegerField(_l("List number"), validators=[Optional(), NumberRange(min=1, max=MAX_LIST_NUMBER)],
                               render_kw={"inputmode": "numeric"})
    contact_email = EmailField(_l("Contact address"), validators=[Optional(), Length(max=254)],
                               description=_l("The personal link for entering positions is sent here."),
                               render_kw={"autocomplete": "off"})


class ReviewForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the party"), validators=[Optional(), Length(max=2000)],
                            description=_l("Needed when you send the positions back; the party sees it above its form."))


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("An edition file (.json) or a CSV of positions (.csv), at most 2 MB."))


class ConfirmForm(FlaskForm):
    content = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])

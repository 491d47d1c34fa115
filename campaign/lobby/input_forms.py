"""Forms of the party and input pages (the boundary for HTML input; ``inputs.py`` checks everything again).

The choices of parties and team members depend on the data; the views fill them in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.core.converters import optional_id
from campaign.core.forms import choices, plausible_year
from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.lobby import inputs as rules
from campaign.lobby.labels import input_kind_labels, level_labels, stance_labels


class PartyForm(FlaskForm):
    name = StringField(_l("Name"), filters=STRIP, validators=[
        DataRequired(_l("Enter the name of the party.")), Length(max=rules.MAX_NAME, message=TOO_LONG)])
    abbreviation = StringField(_l("Abbreviation (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_ABBREVIATION, message=TOO_LONG)], render_kw={"size": 12})
    level = SelectField(_l("Level"), choices=choices(level_labels.items()), default="national")
    municipality = StringField(_l("Municipality (local parties)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_NAME, message=TOO_LONG)],
        description=_l("Type the name or CBS code (such as GM0344) and choose from the list. Leave it empty for a "
                       "national party."),
        render_kw={"list": "municipality-options", "autocomplete": "off"})
    notes = TextAreaField(_l("Notes (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_NOTES, message=TOO_LONG)],
        description=_l("For the team: who our contacts are, what matters to the party."), render_kw={"rows": 4})
    active = BooleanField(_l("Active (offered when input is logged)"), default=True)


class InputForm(FlaskForm):
    party = SelectField(_l("Party"), coerce=optional_id, choices=[], validate_choice=False,
                        validators=[InputRequired(_l("Choose the party the input went to."))])
    kind = SelectField(_l("Kind of input"), choices=choices(input_kind_labels.items()), default="letter")
    given_on = DateField(_l("Date given"), validators=[InputRequired(_l("Give the date the input was given.")),
                                                       plausible_year])
    given_by = SelectField(_l("Given by"), coerce=optional_id, choices=[], validate_choice=False,
                           validators=[Optional()])
    summary = TextAreaField(_l("What we gave"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_TEXT, message=TOO_LONG)],
        description=_l("The point of the letter, what was said in the meeting, the text we contributed."),
        render_kw={"rows": 4})
    response = TextAreaField(_l("The party's response (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_TEXT, message=TOO_LONG)], render_kw={"rows": 3})
    stance = SelectField(_l("The party's stance"), choices=choices(stance_labels.items()), default="unknown",
                         description=_l("The latest input's stance is the party's current stance on the topic."))
    next_step = TextAreaField(_l("Next step (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_STEP, message=TOO_LONG)],
        description=_l("E.g. “send our figures to the party's spokesperson”."), render_kw={"rows": 2})
    next_step_due = DateField(_l("Due date (optional)"), validators=[Optional(), plausible_year],
                              description=_l("Needs a next step. Open steps are listed under Next steps."))


class EditInputForm(InputForm):
    next_step_done_on = DateField(_l("Next step done on"), validators=[Optional(), plausible_year],
                                  description=_l("Empty while the step is open."))


class CompleteStepForm(FlaskForm):
    done_on = DateField(_l("Done on"), validators=[Optional(), plausible_year],
                        description=_l("Empty: today."))

"""Forms of the training pages: modules, sessions, attendance and completions (the boundary for HTML input)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.coordinators.training import MAX_LOCATION, MAX_TITLE, MAX_TRAINER, MODE_LABELS
from campaign.core.forms import DATETIME_FORMATS, LOCAL_DATETIME_HINT, choices, plausible_year


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=4000)],
                          description=_l("What a coordinator can do after this module."))
    materials = TextAreaField(_l("Materials"), validators=[Optional(), Length(max=4000)],
                              description=_l("One per line: “title | https://…” for a link, or plain text."))
    required = BooleanField(_l("Required: a coordinator becomes active only after completing every required "
                               "module"))
    position = IntegerField(_l("Position in the list"), validators=[Optional(), NumberRange(min=0, max=999)],
                            description=_l("Lower numbers come first. Leave empty to add the module at the end."))


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired(), plausible_year],
                                   description=LOCAL_DATETIME_HINT, format=DATETIME_FORMATS)
    ends_at = DateTimeLocalField(_l("Ends"), validators=[InputRequired(), plausible_year],
                                 description=LOCAL_DATETIME_HINT, format=DATETIME_FORMATS)
    mode = RadioField(_l("Form"), choices=choices(MODE_LABELS.items()), default="online",
                      validators=[InputRequired()])
    location = StringField(_l("Location or meeting link"), validators=[Optional(), Length(max=MAX_LOCATION)],
                           description=_l("The address of the location, or the link to the online meeting."))
    capacity = IntegerField(_l("Capacity"), default=12,
                            validators=[InputRequired(), NumberRange(min=1, max=1000,
                                                                     message=_l("At least 1 seat, at most 1000."))],
                            description=_l("Seats; whoever enrols after that goes on the waitlist."))
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=MAX_TRAINER)])


class AttendanceForm(FlaskForm):
    attended = RadioField(_l("Attended"), choices=choices([("yes", _l("yes")), ("no", _l("no"))]),
                          validators=[InputRequired()])

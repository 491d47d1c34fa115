"""Forms of the campaign team's pipeline board, application page, coverage and organisations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.core.forms import choices
from campaign.core.models import ORGANISATION_KINDS
from campaign.coordinators.models import APPLICATION_STATUSES
from campaign.coordinators.organisations import KIND_LABELS, MAX_NAME
from campaign.coordinators.pipeline import STATUS_LABELS

MAX_MESSAGE = 2000
MAX_NOTES = 10_000


class BoardFilterForm(FlaskForm):
    """A GET form (no CSRF): the board's filters, also in the URL so a filtered board can be shared."""

    class Meta:
        csrf = False

    province = SelectField(_l("Province"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=choices([("", _l("Every status in the pipeline"))]
                                         + [(s, STATUS_LABELS[s]) for s in APPLICATION_STATUSES]))
    q = SearchField(_l("Name or email address"), validators=[Optional(), Length(max=100)])


class MoveForm(FlaskForm):
    # Every status is a valid choice here: the pipeline refuses the moves that are not allowed, naming the
    # ones that are (the page offers only those).
    target = SelectField(_l("New status"), validators=[InputRequired()],
                         choices=choices((s, STATUS_LABELS[s]) for s in APPLICATION_STATUSES))
    notify = BooleanField(_l("Mail the applicant"))
    message = TextAreaField(_l("Personal message in the mail (optional)"),
                            validators=[Optional(), Length(max=MAX_MESSAGE)])
    next = HiddenField()
    view = HiddenField()
    # The board's filters, so an htmx request can re-render the same board.
    province = HiddenField()
    status = HiddenField()
    q = HiddenField()


class NotifyForm(FlaskForm):
    message = TextAreaField(_l("Personal message in the mail (optional)"),
                            validators=[Optional(), Length(max=MAX_MESSAGE)])


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Internal notes"), validators=[Optional(), Length(max=MAX_NOTES)],
                          description=_l("For the campaign team only; never shown to the applicant, but included "
                                         "when they ask for their data."))


class AssignForm(FlaskForm):
    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    lead = BooleanField(_l("Lead coordinator for this municipality"))


class TargetForm(FlaskForm):
    province = HiddenField(validators=[DataRequired()])
    target = IntegerField(_l("Target"), validators=[InputRequired(), NumberRange(min=0)])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    kind = SelectField(_l("Kind"), choices=choices((k, KIND_LABELS[k]) for k in ORGANISATION_KINDS))
    member = BooleanField(_l("Member of the branch organisation"), default=True)
    municipality = SelectField(_l("Municipality"), validators=[Optional()], validate_choice=False,
                               description=_l("Where the organisation works; counts for the coverage overview."))
    email = StringField(_l("Email address (optional)"), validators=[Optional(), Length(max=254)])

"""The public application form (the boundary for HTML input; ``recruitment.submit_application`` checks again)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.core.errors import MAX_EMAIL
from campaign.core.forms import PublicForm, choices
from campaign.coordinators import recruitment as rules

NO_ORGANISATION = ""
TOO_LONG = _l("At most %(max)d characters (now %(length)d).")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


class CheckboxesField(SelectMultipleField):
    """A set of checkboxes (rendered in the template inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(PublicForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter your name.")), Length(max=rules.MAX_NAME, message=TOO_LONG)],
        filters=STRIP, render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=MAX_EMAIL, message=TOO_LONG)], filters=STRIP,
        description=_l("We send a link to this address; your application counts once you have clicked it."),
        render_kw={"autocomplete": "email"})
    phone = StringField(_l("Phone number (optional)"), validators=[
        Optional(), Length(max=rules.MAX_PHONE, message=TOO_LONG),
        Regexp(rules.PHONE, message=_l("Enter a phone number with digits only (spaces, + and - allowed), "
                                       "or leave it empty."))], filters=STRIP,
        render_kw={"autocomplete": "tel", "type": "tel"})
    municipalities = CheckboxesField(_l("Municipalities"), validators=[
        DataRequired(_l("Choose at least one municipality."))],
        description=_l("Where would you like to be active? You may choose more than one."))
    organisation = SelectField(_l("Organisation"), validators=[Optional()],
                               description=_l("Do you apply through a member organisation?"))
    motivation = TextAreaField(_l("Motivation"), validators=[
        DataRequired(_l("Tell us briefly why you would like to do this.")),
        Length(max=rules.MAX_MOTIVATION, message=TOO_LONG)],
        description=_l("Why would you like to be a culture coordinator?"), render_kw={"rows": 5})
    availability = TextAreaField(_l("Availability"), validators=[
        DataRequired(_l("Tell us roughly how much time you have.")),
        Length(max=rules.MAX_AVAILABILITY, message=TOO_LONG)],
        description=_l("Roughly how much time do you have until election day, and when?"),
        render_kw={"rows": 3})
    experience = TextAreaField(_l("Experience (optional)"), validators=[
        Optional(), Length(max=rules.MAX_EXPERIENCE, message=TOO_LONG)],
        description=_l("For example in local politics, culture education, organising events. "
                       "No experience is needed: we train you."),
        render_kw={"rows": 4})
    consent = BooleanField(_l("Consent"), validators=[
        DataRequired(_l("We can only handle your application with your consent."))])

    def __init__(self, *args, municipality_choices, organisation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities.choices = choices(municipality_choices)
        self.organisation.choices = choices([(NO_ORGANISATION, _l("None / not through an organisation"))]
                                            + organisation_choices)

    @property
    def organisation_id(self) -> int | None:
        value = self.organisation.data
        return int(value) if value and value != NO_ORGANISATION else None


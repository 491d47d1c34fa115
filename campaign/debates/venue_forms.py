"""Forms of the venue pages (the boundary for HTML input; ``venues.py`` checks everything again).

The choices of municipalities and organisations depend on who is signed in; the views fill them in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField,
                     TimeField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from campaign.core.converters import optional_id
from campaign.core.errors import MAX_EMAIL
from campaign.core.forms import PublicForm, choices, plausible_year
from campaign.coordinators.organisations import KIND_LABELS, MAX_NAME as MAX_ORGANISATION_NAME
from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.core.i18n import LANGUAGE_NAMES
from campaign.debates import venues as rules

NO_ORGANISATION = ""
NEW_ORGANISATION = "new"
CAPACITY_RANGE = NumberRange(min=1, max=rules.MAX_CAPACITY,
                             message=_l("Give a number of seats between 1 and %(max)d.", max=rules.MAX_CAPACITY))


class VenueFacts:
    """The fields that staff and the public form share: the venue itself and its accessibility."""

    name = StringField(_l("Name of the venue"), filters=STRIP, validators=[
        DataRequired(_l("Enter the name of the venue.")), Length(max=rules.MAX_NAME, message=TOO_LONG)],
        description=_l("E.g. “Muziekschool De Toonladder, grote zaal”."))
    street = StringField(_l("Street and number"), filters=STRIP, validators=[
        DataRequired(_l("Enter the street and number.")), Length(max=rules.MAX_STREET, message=TOO_LONG)],
        render_kw={"autocomplete": "address-line1"})
    postcode = StringField(_l("Postcode"), filters=STRIP, validators=[
        DataRequired(_l("Enter the postcode.")), Regexp(rules.POSTCODE, message=rules.POSTCODE_MESSAGE)],
                           description=_l("Four digits and two letters, like 3511 AB."),
                           render_kw={"autocomplete": "postal-code", "size": 8})
    city = StringField(_l("Place"), filters=STRIP, validators=[
        DataRequired(_l("Enter the place.")), Length(max=rules.MAX_CITY, message=TOO_LONG)],
        render_kw={"autocomplete": "address-level2"})
    municipality = SelectField(_l("Municipality"), choices=[], validators=[
        DataRequired(_l("Choose the municipality the venue is in."))])
    capacity = IntegerField(_l("Capacity"), validators=[
        InputRequired(_l("Give the number of seats as a whole number.")), CAPACITY_RANGE],
        description=_l("Seats for the audience in the debate set-up."))
    step_free = BooleanField(_l("Step-free access (no steps, or a ramp or lift to the hall)"))
    hearing_loop = BooleanField(_l("Hearing loop in the hall"))
    accessible_toilet = BooleanField(_l("Accessible toilet"))
    accessibility_notes = TextAreaField(_l("Accessibility notes"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_ACCESSIBILITY_NOTES, message=TOO_LONG)],
        description=_l("For visitors: which entrance is step-free, parking, public transport."),
        render_kw={"rows": 3})


class VenueForm(VenueFacts, FlaskForm):
    """Staff add or change a venue."""

    organisation = SelectField(_l("Organisation"), choices=[], validators=[Optional()],
                               description=_l("The member organisation or partner whose venue this is."))
    contact_name = StringField(_l("Contact person"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_CONTACT_NAME, message=TOO_LONG)])
    contact_email = EmailField(_l("Contact's email address"), filters=STRIP, validators=[
        Optional(), Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=MAX_EMAIL, message=TOO_LONG)])
    contact_phone = StringField(_l("Contact's phone number"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_PHONE, message=TOO_LONG)], render_kw={"type": "tel"})
    language = SelectField(_l("Contact's language"), choices=choices(LANGUAGE_NAMES.items()), default="nl",
                           description=_l("Mail to the contact is in this language."))
    notes = TextAreaField(_l("Internal notes"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_NOTES, message=TOO_LONG)],
        description=_l("For staff only: arrangements, keys, costs."), render_kw={"rows": 4})

    @property
    def organisation_id(self) -> int | None:
        return optional_id(self.organisation.data)


class WindowForm(FlaskForm):
    weekday = SelectField(_l("Day of the week"), coerce=int,
                          choices=choices(enumerate(rules.WEEKDAY_LABELS)),
                          validators=[InputRequired(_l("Choose a day of the week."))])
    opens = TimeField(_l("Opens"), validators=[InputRequired(_l("Give the time the venue opens, like 19:00."))])
    closes = TimeField(_l("Closes"), validators=[
        InputRequired(_l("Give the time the venue closes, like 23:00 (00:00 is midnight)."))],
        description=_l("00:00 is midnight."))
    valid_from = DateField(_l("From (optional)"), validators=[Optional(), plausible_year],
                           description=_l("Leave empty when the window always holds."))
    valid_until = DateField(_l("Until (optional)"), validators=[Optional(), plausible_year],
                            description=_l("The last day the window holds."))


class ClosureForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[InputRequired(_l("Give the first day of the closure.")),
                                                       plausible_year])
    last_day = DateField(_l("Last day"), validators=[
        InputRequired(_l("Give the last day of the closure (the same day for one day).")), plausible_year])
    reason = StringField(_l("Reason (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_REASON, message=TOO_LONG)],
        description=_l("E.g. “summer holiday”, “renovation”."))


class AcceptForm(FlaskForm):
    """Accept an offer: link it to an existing organisation, a new one, or none."""

    organisation = SelectField(_l("Organisation"), choices=[], validators=[Optional()])
    organisation_name = StringField(_l("Name of the new organisation"), filters=STRIP, validators=[
        Optional(), Length(max=MAX_ORGANISATION_NAME, message=TOO_LONG)])
    organisation_kind = SelectField(_l("Kind of the new organisation"), choices=choices(KIND_LABELS.items()),
                                    default="partner")
    organisation_member = BooleanField(_l("The new organisation is a member of the branch organisation"))

    @property
    def organisation_id(self) -> int | None:
        return optional_id(self.organisation.data)

    @property
    def creates_organisation(self) -> bool:
        return self.organisation.data == NEW_ORGANISATION


class DeclineForm(FlaskForm):
    decline_reason = TextAreaField(_l("Reason (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_MESSAGE, message=TOO_LONG)],
        description=_l("Mailed to the contact. Their details are removed afterwards."), render_kw={"rows": 3})


class OfferForm(VenueFacts, PublicForm):
    """The public offer form: the venue, who offers it, and their consent."""

    organisation_name = StringField(_l("Organisation (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=MAX_ORGANISATION_NAME, message=TOO_LONG)],
        description=_l("The music school, arts centre, library or theatre whose venue this is."),
        render_kw={"autocomplete": "organization"})
    availability = TextAreaField(_l("When is the venue available? (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_MESSAGE, message=TOO_LONG)],
        description=_l("E.g. “weekday evenings from 19:00, not in the spring holiday”."), render_kw={"rows": 3})
    contact_name = StringField(_l("Your name"), filters=STRIP, validators=[
        DataRequired(_l("Enter your name.")), Length(max=rules.MAX_CONTACT_NAME, message=TOO_LONG)],
        render_kw={"autocomplete": "name"})
    contact_email = EmailField(_l("Your email address"), filters=STRIP, validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=MAX_EMAIL, message=TOO_LONG)],
        description=_l("We send a receipt and our answer to this address."), render_kw={"autocomplete": "email"})
    contact_phone = StringField(_l("Your phone number (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_PHONE, message=TOO_LONG)], render_kw={"autocomplete": "tel", "type": "tel"})
    message = TextAreaField(_l("Anything else we should know? (optional)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_MESSAGE, message=TOO_LONG)], render_kw={"rows": 3})
    consent = BooleanField(_l("Consent"), validators=[
        DataRequired(_l("We can only handle your offer when you agree to this."))])

"""Forms of the debate pages: the debate editor, the list's filters, cancellation and the slot search (the
boundary for HTML input; ``scheduling.py`` and ``slots.py`` check everything again).

Field names are the domain's argument names, so that a problem the domain names lands beside its field. The
choices (elections, municipalities, venues, coordinators) depend on who is signed in; the views fill them in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.core.converters import optional_id
from campaign.core.forms import DATETIME_FORMATS, LOCAL_DATETIME_HINT, choices, plausible_year
from campaign.debates import scheduling, slots
from campaign.debates.labels import KIND_LABELS, STATUS_LABELS
from campaign.debates.models import DEBATE_KINDS, DEBATE_STATUSES


class DebateForm(FlaskForm):
    kind = SelectField(_l("Kind of debate"), choices=choices((k, KIND_LABELS[k]) for k in DEBATE_KINDS),
                       validators=[InputRequired()])
    title = StringField(_l("Title"), filters=STRIP, validators=[
        DataRequired(_l("Give the debate a title.")), Length(max=scheduling.MAX_TITLE, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), filters=STRIP, validators=[
        Optional(), Length(max=scheduling.MAX_DESCRIPTION, message=TOO_LONG)],
        description=_l("For the public agenda: what the debate is about and for whom."), render_kw={"rows": 4})
    election_id = SelectField(_l("Election"), coerce=optional_id, choices=[], validate_choice=False)
    municipality_id = SelectField(_l("Municipality"), coerce=optional_id, choices=[], validate_choice=False)
    venue_id = SelectField(_l("Venue"), coerce=optional_id, choices=[], validate_choice=False,
                           description=_l("Active venues, by municipality, with the number of people they hold."))
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired(), plausible_year],
                                   description=LOCAL_DATETIME_HINT, format=DATETIME_FORMATS)
    ends_at = DateTimeLocalField(_l("Ends"), validators=[InputRequired(), plausible_year],
                                 description=LOCAL_DATETIME_HINT, format=DATETIME_FORMATS)
    doors_open_at = DateTimeLocalField(_l("Doors open"), validators=[Optional(), plausible_year], format=DATETIME_FORMATS,
                                       description=_l("Optional. The venue is booked from this moment on."))
    moderator = StringField(_l("Moderator"), filters=STRIP, validators=[
        Optional(), Length(max=scheduling.MAX_MODERATOR, message=TOO_LONG)])
    coordinator_id = SelectField(_l("Coordinator"), coerce=optional_id, choices=[], validate_choice=False)
    topics = TextAreaField(_l("Agenda topics"), filters=STRIP, validators=[Optional(), Length(max=5000)],
                           description=_l("One per line, in the order of the debate."), render_kw={"rows": 4})
    expected_audience = IntegerField(_l("Expected audience"), validators=[
        Optional(), NumberRange(min=0, max=scheduling.MAX_AUDIENCE)],
        description=_l("Your estimate; checked against the size of the venue."))
    capacity = IntegerField(_l("Seats for registration"), validators=[
        Optional(), NumberRange(min=0, max=100_000)],
        description=_l("At most what the venue holds; leave empty for all of it. Whoever registers after that "
                       "goes on the waitlist."))
    max_seats_per_registration = IntegerField(_l("Seats per registration"), default=4, validators=[
        InputRequired(), NumberRange(min=1, max=scheduling.MAX_SEATS_PER_REGISTRATION)])
    registration_open = BooleanField(_l("Registration open once the debate is published"), default=True)
    # Set when an existing debate is edited, so that the conflict check leaves the debate itself out.
    debate_id = HiddenField()

    def topic_list(self) -> list[str]:
        return [line.strip() for line in (self.topics.data or "").splitlines() if line.strip()]


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=STRIP, validators=[
        DataRequired(_l("Say why the debate is cancelled; the people who registered read it.")),
        Length(max=scheduling.MAX_REASON, message=TOO_LONG)], render_kw={"rows": 3},
        description=_l("Shown on the public page and in the mail to everyone registered and every party invited."))


WHEN_CHOICES = choices([("upcoming", _l("Upcoming")), ("past", _l("Past")), ("all", _l("All dates"))])


class DebateFilterForm(FlaskForm):
    """A GET form (no CSRF): the list's filters, also in the URL."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=choices([("", _l("Every status"))] + [(s, STATUS_LABELS[s])
                                                                       for s in DEBATE_STATUSES]))
    municipality = SelectField(_l("Municipality"), validators=[Optional()], choices=[])
    when = SelectField(_l("When"), validators=[Optional()], choices=WHEN_CHOICES, default="upcoming")


DURATION_CHOICES = choices([(60, _l("1 hour")), (90, _l("1.5 hours")), (120, _l("2 hours")),
                            (150, _l("2.5 hours")), (180, _l("3 hours"))])


class SlotForm(FlaskForm):
    """A GET form (no CSRF): the slot search."""

    class Meta:
        csrf = False

    municipality = SelectField(_l("Municipality"), validators=[DataRequired(_l("Choose a municipality."))],
                               choices=[])
    duration = SelectField(_l("Duration"), coerce=int, choices=DURATION_CHOICES, default=120,
                           validators=[InputRequired()])
    parties = TextAreaField(_l("Parties to invite"), filters=STRIP, validators=[Optional(), Length(max=2000)],
                            description=_l("One per line. Their other debates in the municipality count as "
                                           "conflicts."), render_kw={"rows": 3})
    date_from = DateField(_l("From"), validators=[InputRequired(_l("Give the first day.")), plausible_year])
    date_to = DateField(_l("To"), validators=[InputRequired(_l("Give the last day.")), plausible_year],
                        description=_l("At most %(n)d days after the first.", n=slots.MAX_DAYS - 1))
    expected_audience = IntegerField(_l("Expected audience"), validators=[Optional(), NumberRange(min=0)],
                                     description=_l("Venues that hold everyone come first, the smallest first."))

    def party_list(self) -> list[str]:
        return [line.strip() for line in (self.parties.data or "").splitlines() if line.strip()]

"""The public registration form (the boundary for HTML input; ``registration.register`` checks again, also
the number of seats against the debate's own limit)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from campaign.core.errors import MAX_EMAIL
from campaign.core.forms import PublicForm
from campaign.coordinators.recruitment import MAX_NAME
from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG


class RegistrationForm(PublicForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter your name.")), Length(max=MAX_NAME, message=TOO_LONG)],
        filters=STRIP, render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=MAX_EMAIL, message=TOO_LONG)], filters=STRIP,
        description=_l("We mail the confirmation there, with a link to cancel if you cannot come."),
        render_kw={"autocomplete": "email"})
    seats = IntegerField(_l("Number of seats"), default=1)

    def __init__(self, *args, max_seats: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats.validators = [InputRequired(_l("Enter a number of seats.")), NumberRange(
            min=1, max=max_seats, message=_l("Choose a number of seats from 1 to %(max)d."))]
        self.seats.render_kw = {"inputmode": "numeric", "min": 1, "max": max_seats}

"""Forms for sign-in, password reset and accounts, plus helpers shared by every back-office form."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from campaign.core.accounts import MIN_PASSWORD_LENGTH
from campaign.core.errors import Problem, ValidationFailed
from campaign.extensions import db

# Date and time fields: the hint under a datetime-local field, the formats it accepts (the browser's control sends
# "2026-02-10T19:30"; typed values may use a space), and the years a date may have (a year outside them is a typing
# mistake, and year 1 cannot even be converted to UTC).
LOCAL_DATETIME_HINT = _l("Dutch time, e.g. 2026-02-10 19:30.")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
FIRST_YEAR, LAST_YEAR = 2000, 2100


OUT_OF_YEARS = _l("Give a date between the years %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)


def in_plausible_years(day) -> bool:
    """A date or datetime between FIRST_YEAR and LAST_YEAR; None passes (whether one is required is the caller's)."""
    return day is None or FIRST_YEAR <= day.year <= LAST_YEAR


def year_problems(day, label, field: str) -> list[Problem]:
    """The domain layer's ``plausible_year``: a problem naming the field when the date is outside the years."""
    return [] if in_plausible_years(day) else [Problem(str(label), str(OUT_OF_YEARS), field)]


def plausible_year(form, field) -> None:
    if not in_plausible_years(field.data):
        raise ValidationError(OUT_OF_YEARS)


def apply_problems(form: FlaskForm, exc: ValidationFailed) -> None:
    """Show a domain function's problems beside the fields they name; the rest above the form."""
    for problem in exc.problems:
        field = getattr(form, problem.field, None) if problem.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [problem.message]
        else:
            form.form_errors.append(problem.display)


def save_form(form: FlaskForm, change, message, target):
    """Run one change from a valid form: commit, flash and redirect; or roll back, put its problems on the form
    and return None (the view then shows the form again, with ``form_status``).

    ``message`` and ``target`` (a URL) may also be functions of what ``change`` returned, e.g. a new object."""
    try:
        result = change()
    except ValidationFailed as exc:
        db.session.rollback()
        apply_problems(form, exc)
        return None
    db.session.commit()
    flash(message(result) if callable(message) else message)
    return redirect(target(result) if callable(target) else target)


def run_change(change, message, target: str, refused):
    """One change from a button (no form to show problems beside): commit, flash ``message`` (or
    ``message(result)``) and redirect to ``target``; or roll back and return ``refused(problems)``, the page
    again with the domain's reasons. ``save_form`` is the same for a form."""
    try:
        result = change()
    except ValidationFailed as exc:
        db.session.rollback()
        return refused(exc.problems)
    db.session.commit()
    flash(message(result) if callable(message) else message)
    return redirect(target)


def form_status(form: FlaskForm) -> int:
    """The status of a page that shows a form: 422 when it shows problems (beside a field or above it)."""
    return 422 if form.errors or form.form_errors else 200


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a SelectField (WTForms no longer takes plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def role_choices():
    return choices([("editor", _l("Editor")), ("coordinator", _l("Coordinator")), ("admin", _l("Administrator"))])


class PublicForm(FlaskForm):
    """A form anyone may send: with a honeypot field that people never see and spam bots fill in.

    Together with a rate limit on the view (``public_form_limit``) this stops most form spam without a
    CAPTCHA, which would load a third party's code and shut out people who use a screen reader."""

    website = StringField(_l("Leave this field empty"), validators=[Optional()],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})

    def caught_spam(self) -> bool:
        return bool((self.website.data or "").strip())


def configured_limit(setting: str):
    """A Flask-Limiter limit read from the app's setting of this name when a request comes in (so tests and
    deployments can set it)."""

    def limit() -> str:
        from flask import current_app

        return current_app.config[setting]

    limit.__name__ = f"{setting.lower()}_limit"
    return limit


# The public forms: coordinator applications and questions, the venue offer.
public_form_limit = configured_limit("PUBLIC_FORM_RATE_LIMIT")


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(check_deliverability=False),
                                                        Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
                             description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class UserForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(check_deliverability=False),
                                                        Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=True)
    municipalities = SelectMultipleField(
        _l("Municipalities"), validators=[Optional()],
        description=_l("Coordinators see only these municipalities."))
    active = BooleanField(_l("Account active"), default=True)

"""Back-office entrance: sign in and out, password reset, the staff home page, and accounts (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import select

from campaign.core import accounts
from campaign.core.access import current_actor, role_required, staff_required
from campaign.core.audit import Actor, history
from campaign.core.errors import ValidationFailed
from campaign.core.forms import ForgotPasswordForm, LoginForm, NewPasswordForm, UserForm, apply_problems
from campaign.core.mail import queue_template
from campaign.core.models import Municipality, User
from campaign.core.views import safe_next
from campaign.extensions import db, limiter, login

bp = Blueprint("auth", __name__, url_prefix="/beheer")


@login.user_loader
def _load_user(session_id: str):
    return accounts.load_session_user(session_id)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_page():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), "auth.home"))
        form.form_errors.append(_("The email address or password is incorrect."))
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/uitloggen")
def logout():
    logout_user()
    flash(_("You have been signed out."))
    return redirect(url_for("auth.login_page"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        if user is not None and user.active:
            _queue_password_mail(user, "password_reset")
            db.session.commit()
        # The same answer whether or not the address is known: no account enumeration.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.is_submitted() else 200


def _queue_password_mail(user: User, template: str) -> None:
    link = url_for("auth.reset_password", token=accounts.reset_token(user), _external=True)
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    queue_template(user.email, template, user=user, link=link, hours=hours)


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    check = accounts.check_reset_token(token)
    if check.user is None:
        return render_template("auth/reset_invalid.html", problem=check.problem), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(Actor.of(check.user), check.user, form.password.data)
        except ValidationFailed as exc:
            apply_problems(form, exc)
        else:
            db.session.commit()
            login_user(check.user)
            flash(_("Your new password is set and you are signed in."))
            return redirect(url_for("auth.home"))
    return render_template("auth/reset.html", form=form, user=check.user), 422 if form.errors else 200


@bp.get("/")
@staff_required
def home():
    return render_template("backoffice/home.html")


# --- accounts (admins) -------------------------------------------------------------------------------------

def _municipality_choices():
    return [(m.code, f"{m.name} ({m.code})")
            for m in db.session.scalars(select(Municipality).order_by(Municipality.name))]


@bp.get("/gebruikers")
@role_required("admin")
def users():
    people = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("auth/users.html", users=people)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = UserForm()
    form.municipalities.choices = _municipality_choices()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(current_actor(), email=form.email.data, name=form.name.data, role=form.role.data,
                                        municipality_codes=form.municipalities.data)
        except ValidationFailed as exc:
            apply_problems(form, exc)
        else:
            _queue_password_mail(user, "account_invitation")
            db.session.commit()
            flash(_("Account created; %(email)s has been sent a link to choose a password.", email=user.email))
            return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template("auth/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.municipalities.choices = _municipality_choices()
    if request.method == "GET":
        form.municipalities.data = [m.code for m in user.municipalities]
    del form.email  # the address is the account's identity; make a new account for a new address
    if form.validate_on_submit():
        try:
            accounts.update_user(current_actor(), user, name=form.name.data, role=form.role.data, active=form.active.data,
                                 municipality_codes=form.municipalities.data)
        except ValidationFailed as exc:
            apply_problems(form, exc)
        else:
            db.session.commit()
            flash(_("Account saved."))
            return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template("auth/user_form.html", form=form, user=user, history=history("user", user.id)), \
        422 if form.errors else 200


@bp.post("/gebruikers/<int:user_id>/wachtwoordlink")
@role_required("admin")
def send_password_link(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    _queue_password_mail(user, "password_reset")
    db.session.commit()
    flash(_("A link to choose a new password has been sent to %(email)s.", email=user.email))
    return redirect(url_for("auth.edit_user", user_id=user.id))

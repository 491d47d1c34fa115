"""Back-office entrance: sign in and out, password reset, the staff home page, and accounts (admins)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import select

from campaign.core import accounts
from campaign.core.access import current_actor, role_required, staff_required
from campaign.core.audit import Actor, history
from campaign.core.forms import (
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    UserForm,
    choices,
    configured_limit,
    form_status,
    save_form,
)
from campaign.core.models import Municipality, User
from campaign.core.views import safe_next
from campaign.extensions import db, limiter, login

bp = Blueprint("auth", __name__, url_prefix="/beheer")


@login.user_loader
def _load_user(session_id: str):
    return accounts.load_session_user(session_id)


_login_limit = configured_limit("LOGIN_RATE_LIMIT")


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
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address is known: no account enumeration.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), form_status(form)


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    check = accounts.check_reset_token(token)
    if check.user is None:
        return render_template("auth/reset_invalid.html", problem=check.problem), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: accounts.set_password(Actor.of(check.user), check.user, form.password.data),
                          _("Your new password is set and you are signed in."), url_for("auth.home"))
        if saved:
            login_user(check.user)  # after the commit: the session carries the new session version
            return saved
    return render_template("auth/reset.html", form=form, user=check.user), form_status(form)


@bp.get("/")
@staff_required
def home():
    return render_template("backoffice/home.html")


# --- accounts (admins) -------------------------------------------------------------------------------------

def _municipality_choices():
    return choices((m.code, f"{m.name} ({m.code})")
                   for m in db.session.scalars(select(Municipality).order_by(Municipality.name)))


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
        saved = save_form(
            form, lambda: accounts.invite_user(current_actor(), email=form.email.data, name=form.name.data,
                                               role=form.role.data, municipality_codes=form.municipalities.data),
            lambda user: _("Account created; %(email)s has been sent a link to choose a password.", email=user.email),
            lambda user: url_for("auth.edit_user", user_id=user.id))
        if saved:
            return saved
    return render_template("auth/user_form.html", form=form, user=None), form_status(form)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.municipalities.choices = _municipality_choices()
    if request.method == "GET":
        form.municipalities.data = [m.code for m in user.municipalities]
    del form.email  # the address is the account's identity; make a new account for a new address
    if form.validate_on_submit():
        saved = save_form(
            form, lambda: accounts.update_user(current_actor(), user, name=form.name.data, role=form.role.data,
                                               active=form.active.data, municipality_codes=form.municipalities.data),
            _("Account saved."), url_for("auth.edit_user", user_id=user.id))
        if saved:
            return saved
    return render_template("auth/user_form.html", form=form, user=user, history=history("user", user.id)), \
        form_status(form)


@bp.post("/gebruikers/<int:user_id>/wachtwoordlink")
@role_required("admin")
def send_password_link(user_id: int):
    user = db.get_or_404(User, user_id)
    accounts.send_password_link(user)
    db.session.commit()
    flash(_("A link to choose a new password has been sent to %(email)s.", email=user.email))
    return redirect(url_for("auth.edit_user", user_id=user.id))

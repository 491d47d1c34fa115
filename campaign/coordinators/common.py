"""Helpers shared by the coordinator views: who may see which applications, whose workspace this is, and one
change from a button."""

from __future__ import annotations

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import Select, select

from campaign.core.models import User
from campaign.coordinators.models import APPLICATION_STATUSES, Application, application_municipality
from campaign.extensions import db


# Unverified applications: a stranger may have typed somebody else's address, and until its owner confirms
# it the application is the campaign team's business only.
TEAM_ONLY_STATUSES = ("applied",)


def visible_statuses(user: User) -> tuple[str, ...]:
    """The statuses of the applications the user may see: every one for editors and admins, for a
    coordinator all but TEAM_ONLY_STATUSES."""
    if user.has_role("editor"):
        return APPLICATION_STATUSES
    return tuple(s for s in APPLICATION_STATUSES if s not in TEAM_ONLY_STATUSES)


def scope_applications(query: Select, user: User) -> Select:
    """Editors and admins see every application; a coordinator only those for their own municipalities, and
    never one in TEAM_ONLY_STATUSES."""
    if user.has_role("editor"):
        return query
    mine = [m.id for m in user.municipalities]
    in_mine = select(application_municipality.c.application_id).where(
        application_municipality.c.municipality_id.in_(mine))
    return query.where(Application.id.in_(in_mine), Application.status.not_in(TEAM_ONLY_STATUSES))


def load_application(application_id: int) -> Application:
    """The application, or 404 when it does not exist or is outside the signed-in user's scope."""
    query = scope_applications(select(Application).where(Application.id == application_id),
                               current_user._get_current_object())
    return db.session.scalar(query) or abort(404)


def application_of(user: User) -> Application | None:
    """The coordinator record behind an account (None for staff who never applied)."""
    return db.session.scalar(select(Application).where(Application.user_id == user.id))


def language_of(user: User) -> str:
    """The language to mail a staff member in: the one they applied in, as a coordinator; else the default."""
    application = application_of(user)
    if application is not None and application.language in current_app.config["LANGUAGES"]:
        return application.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]



"""Who may do what in the back office.

Roles, from most to least: admin (everything), editor (editorial and lobby team), coordinator (scoped to
their own municipalities). Party representatives have no account: they use a personal link (see
``campaign.cultuurwijzer.submissions``).
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from campaign.core.audit import Actor
from campaign.extensions import login


def role_required(*roles: str):
    """Anonymous visitors go to the sign-in page; a signed-in user without the role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    return role_required("editor", "coordinator")(view)


def current_actor() -> Actor:
    """The signed-in user, as domain functions record them in the audit log."""
    return Actor.of(current_user._get_current_object())

"""Staff accounts: creating and changing them, signing in, and password reset by signed, expiring token (mailed
as a link: an invitation for a new account, a reset on request).

Passwords are hashed with scrypt (Werkzeug's default KDF). A reset token carries the account's session
version, and setting a password bumps it, so a token works once and every older session is signed out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.mail import queue_template
from campaign.core.models import ROLES, Municipality, User, utcnow
from campaign.extensions import db

MIN_PASSWORD_LENGTH = 10
USER_FIELDS = ("email", "name", "role", "active", "municipality_codes")
# Compared against when the address is unknown, so a wrong address costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


def normalise_email(address: str) -> str:
    return address.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _user_state(user: User) -> dict:
    state = snapshot(user, ("email", "name", "role", "active"))
    state["municipality_codes"] = [m.code for m in user.municipalities]
    return state


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed([Problem(field, str(_l("must be at least %(n)d characters long",
                                                       n=MIN_PASSWORD_LENGTH)), field)])


def _municipalities(codes: list[str]) -> list[Municipality]:
    found = list(db.session.scalars(select(Municipality).where(Municipality.code.in_(codes))))
    missing = sorted(set(codes) - {m.code for m in found})
    if missing:
        raise ValidationFailed([Problem("municipalities", str(_l("unknown municipality code(s): %(codes)s",
                                                                  codes=", ".join(missing))), "municipalities")])
    return found


def _person_problems(*, name: str, role: str) -> list[Problem]:
    """What is wrong with the name and role of an account (new or changed)."""
    problems = []
    if role not in ROLES:
        problems.append(Problem("role", str(_l("must be one of %(roles)s", roles=", ".join(ROLES))), "role"))
    if not name.strip():
        problems.append(Problem("name", str(_l("must not be empty")), "name"))
    return problems


def create_user(actor: Actor, *, email: str, name: str, role: str, password: str | None = None,
                municipality_codes: list[str] | None = None) -> User:
    email = normalise_email(email)
    problems = [Problem("email", str(_l("an account with this address already exists")), "email")] \
        if find_user(email) is not None else []
    problems += _person_problems(name=name, role=role)
    if problems:
        raise ValidationFailed(problems)
    if password is not None:
        check_password_rules(password)
    places = _municipalities(municipality_codes or [])
    user = User(email=email, name=name.strip(), role=role,
                password_hash=generate_password_hash(password) if password else None)
    user.municipalities = places
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, after=_user_state(user), only_changes=False)
    return user


def invite_user(actor: Actor, *, email: str, name: str, role: str, municipality_codes: list[str]) -> User:
    """An account made in the back office: without a password, and its owner is mailed a link to choose one."""
    user = create_user(actor, email=email, name=name, role=role, municipality_codes=municipality_codes)
    send_password_link(user, "account_invitation")
    return user


def update_user(actor: Actor, user: User, *, name: str, role: str, active: bool,
                municipality_codes: list[str]) -> None:
    problems = _person_problems(name=name, role=role)
    if problems:
        raise ValidationFailed(problems)
    if actor.user is not None and actor.user.id == user.id and (role != user.role or not active):
        raise ValidationFailed([Problem("role", str(_l("you cannot change your own role or deactivate yourself")),
                                        "role")])
    places = _municipalities(municipality_codes)  # checked before anything changes
    before = _user_state(user)
    user.name, user.role = name.strip(), role
    if user.active and not active:
        user.session_version += 1  # signs the person out everywhere
    user.active = active
    user.municipalities = places
    record(actor, "user.update", "user", user.id, before=before, after=_user_state(user))


def set_password(actor: Actor, user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    record(actor, "user.password", "user", user.id)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None (same time spent either way)."""
    user = find_user(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: ``<id>:<session version>``; an old version means signed out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


# --- password reset ------------------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "v": user.session_version})


def password_link(user: User) -> dict:
    """What a mail needs to let the person choose a password: ``link`` (signed, single use) and the ``hours`` it
    works; every mail template that offers one takes these two names."""
    return {"link": url_for("auth.reset_password", token=reset_token(user), _external=True),
            "hours": current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600}


def _queue_password_link(user: User, template: str) -> None:
    queue_template(user.email, template, user=user, **password_link(user))


def send_password_link(user: User, template: str = "password_reset") -> None:
    """An admin has the person mailed a link to choose a (new) password; it goes out when the transaction
    commits. In the default language, whatever the admin reads: staff have no language of their own."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        _queue_password_link(user, template)


def request_password_reset(email: str) -> None:
    """Someone asks for a new password: an active account with this address gets the link, nobody else, in the
    language of the page they asked on. The caller answers the same either way (no account enumeration)."""
    user = find_user(email)
    if user is not None and user.active:
        _queue_password_link(user, "password_reset")


@dataclass
class TokenCheck:
    user: User | None
    problem: str = ""  # "expired" or "invalid"


def check_reset_token(token: str) -> TokenCheck:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        return TokenCheck(None, "expired")
    except BadSignature:
        return TokenCheck(None, "invalid")
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or user.session_version != data.get("v"):
        return TokenCheck(None, "invalid")  # used already, or the account changed since
    return TokenCheck(user)

"""The coordinator pipeline: which moves are allowed, and what each move does.

applied → verified → in conversation → accepted → in training → active → stopped, with rejected and
withdrawn as ways out. "verified" is reached only through the email link (``recruitment.verify``); every
other move is a staff decision through ``move``, recorded in the audit log. Mail to the person is optional
per move (``notify=False`` lets staff move first and notify later with ``notify_once``).

What a move does besides the status:
- accepted: the person gets a coordinator account (no password yet) and is assigned to the municipalities
  they applied for, as lead where the municipality has none. The acceptance mail carries the link to choose
  a password.
- active: only when every required training module is completed (``missing_required_modules``).
- stopped, rejected, withdrawn: assignments end, training seats still to come are given up and the account
  is deactivated (signed out everywhere). Erasure (``withdraw_for_erasure``) ends any application this way.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from campaign.core import accounts
from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.mail import queue_template
from campaign.core.models import utcnow
from campaign.coordinators.assignment import ASSIGNABLE_STATUSES, assign, end_assignments
from campaign.coordinators.models import Application, Completion, Enrolment, TrainingModule, TrainingSession
from campaign.extensions import db

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "applied": ("verified", "withdrawn"),
    "verified": ("in_conversation", "rejected", "withdrawn"),
    "in_conversation": ("accepted", "rejected", "withdrawn"),
    "accepted": ("in_training", "withdrawn"),
    "in_training": ("active", "withdrawn", "stopped"),
    "active": ("stopped",),
    "stopped": ("active",),  # a coordinator who comes back
    "rejected": (),
    "withdrawn": (),
}
# Reached only by the person themself through the email link.
SELF_SERVICE = {"verified"}
# The statuses in which a person counts as a coordinator: assignable to a municipality, with an account.
COORDINATOR_STATUSES = ASSIGNABLE_STATUSES
CLOSED_STATUSES = ("stopped", "rejected", "withdrawn")
# The way through the pipeline without detours; rejected and withdrawn leave it.
MAIN_LINE = ("verified", "in_conversation", "accepted", "in_training", "active", "stopped")

STATUS_LABELS = {
    "applied": _l("applied (email not verified)"),
    "verified": _l("verified"),
    "in_conversation": _l("in conversation"),
    # With a context: a party's accepted positions are "geaccepteerd", an accepted coordinator "aangenomen".
    "accepted": lazy_pgettext("application status", "accepted"),
    "in_training": _l("in training"),
    "active": _l("active"),
    "stopped": _l("stopped"),
    "rejected": _l("rejected"),
    "withdrawn": _l("withdrawn"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def path_to(status: str) -> list[str]:
    """The moves that bring a new ("applied") application to ``status``: along the main line, or for rejected
    and withdrawn out of it right after verification. Demo and test data walk these (``demo.walk_to``)."""
    if status == "applied":
        return []
    if status in MAIN_LINE:
        return list(MAIN_LINE[:MAIN_LINE.index(status) + 1])
    if status in TRANSITIONS["verified"]:
        return ["verified", status]
    raise ValueError(f"no path to {status!r}")


def staff_targets(application: Application) -> tuple[str, ...]:
    """The moves staff may make from the application's status (the form offers exactly these)."""
    return tuple(t for t in TRANSITIONS[application.status] if t not in SELF_SERVICE)


def missing_required_modules(application: Application) -> list[TrainingModule]:
    done = select(Completion.module_id).where(Completion.application_id == application.id)
    return list(db.session.scalars(select(TrainingModule).where(TrainingModule.required,
                                                                TrainingModule.id.not_in(done))
                                   .order_by(TrainingModule.position, TrainingModule.id)))


def _refuse(message) -> ValidationFailed:
    return ValidationFailed([Problem(str(_l("Status")), str(message), "target")])


def check_move(application: Application, target: str, *, by_staff: bool = True) -> None:
    if application.anonymised_at is not None:
        raise _refuse(_l("This application has been anonymised; it cannot move any more."))
    allowed = staff_targets(application) if by_staff else TRANSITIONS[application.status]
    if target not in allowed:
        raise _refuse(_l("An application that is %(current)s cannot become %(target)s. Possible: %(allowed)s.",
                         current=status_label(application.status), target=status_label(target),
                         allowed=", ".join(status_label(t) for t in allowed) or _l("none")))
    if target == "active":
        missing = missing_required_modules(application)
        if missing:
            raise _refuse(_l("Not all required training modules are completed yet: %(modules)s.",
                             modules=", ".join(m.title for m in missing)))


def set_status(actor: Actor, application: Application, target: str, *, by_staff: bool = True,
               summary: str = "") -> None:
    """Change the status after ``check_move`` and record it; the side effects of the new status follow."""
    check_move(application, target, by_staff=by_staff)
    _change_status(actor, application, target, summary=summary)


def _change_status(actor: Actor, application: Application, target: str, *, summary: str = "") -> None:
    before = application.status
    application.status = target
    application.status_changed_at = utcnow()
    if target == "accepted" or (target == "active" and before == "stopped"):
        # On acceptance, and for a coordinator who comes back: account open, places assigned (again).
        _make_account(actor, application)
        _assign_places(actor, application)
    elif target in CLOSED_STATUSES:
        end_assignments(actor, application)
        _give_up_seats(actor, application)
        user = application.user
        # A staff member who also coordinated keeps their own account; a coordinator's account is closed.
        if user is not None and user.role == "coordinator" and user.active:
            user.active = False
            user.session_version += 1  # signed out everywhere
    record(actor, "application.move", "application", application.id, summary=summary,
           before={"status": before}, after={"status": target})


def withdraw_for_erasure(actor: Actor, application: Application, *, summary: str) -> bool:
    """Erasure ends an application still in progress as withdrawn, with the effects of any closing move, also
    where the pipeline offers no such move (an active coordinator stops rather than withdraws). A closed
    application keeps its status. True if it moved."""
    if application.status in CLOSED_STATUSES:
        end_assignments(actor, application)
        _give_up_seats(actor, application)
        return False
    _change_status(actor, application, "withdrawn", summary=summary)
    return True


def move(actor: Actor, application: Application, target: str, *, notify: bool, message: str = "") -> None:
    """A staff move; with ``notify`` the person gets the mail for the new status (with ``message`` in it)."""
    set_status(actor, application, target)
    if notify:
        send_notification(actor, application, message=message)


def send_notification(actor: Actor, application: Application, *, message: str = "") -> None:
    """Mail the person about their current status (also later, after a move without mail)."""
    if application.anonymised_at is not None or application.status == "applied":
        raise _refuse(_l("There is nothing to notify for this application."))
    message = message.strip()
    way_in = {"link": None, "hours": None}
    if application.status in COORDINATOR_STATUSES and application.user is not None \
            and not application.user.password_hash:  # every mail carries the way in until a password is set
        way_in = accounts.password_link(application.user)
    with force_locale(application.language):
        queue_template(application.email, f"coordinator_{application.status}", application=application,
                       message=message, **way_in)
    application.notified_status = application.status
    record(actor, "application.notify", "application", application.id,
           after={"status": application.status, "message": bool(message)}, only_changes=False)


def notify_once(actor: Actor, application: Application, *, message: str = "") -> bool:
    """Mail the person about their current status, unless they already had that mail: a form sent twice (a
    double click, a second tab) mails only once. False when there was nothing left to send."""
    if not application.awaits_notification:
        return False
    send_notification(actor, application, message=message)
    return True


def _assign_places(actor: Actor, application: Application) -> None:
    """Assign the municipalities applied for, as lead where a municipality has none."""
    for municipality in application.municipalities:
        assign(actor, application, municipality, lead=None)


def _give_up_seats(actor: Actor, application: Application) -> None:
    """Free the training seats and waitlist places of someone who leaves (sessions still to come)."""
    from campaign.coordinators.training import cancel_enrolment  # training builds on this module

    upcoming = db.session.scalars(select(Enrolment).join(TrainingSession).where(
        Enrolment.application_id == application.id, Enrolment.status != "cancelled",
        TrainingSession.starts_at > utcnow(), TrainingSession.cancelled_at.is_(None)))
    for enrolment in list(upcoming):
        cancel_enrolment(actor, enrolment)


def _make_account(actor: Actor, application: Application) -> None:
    if application.user is not None:
        if application.user.role == "coordinator":
            application.user.active = True
        return
    existing = accounts.find_user(application.email)
    if existing is not None:
        other = db.session.scalar(select(Application).where(Application.user_id == existing.id))
        if other is not None and other.status not in CLOSED_STATUSES and other.anonymised_at is None:
            raise _refuse(_l("The account %(email)s already belongs to application #%(id)d.",
                             email=existing.email, id=other.id))
        if other is not None:
            other.user = None  # a volunteer who comes back: the new application takes over the account
            db.session.flush()
        if existing.role == "coordinator":
            existing.active = True  # a staff account that was switched off stays off
        application.user = existing  # a staff member who also coordinates keeps their account
        return
    application.user = accounts.create_user(actor, email=application.email, name=application.name,
                                            role="coordinator")

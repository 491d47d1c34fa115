"""Personal data of volunteers and askers: export per person, erasure (anonymisation), and the purge.

What we hold on a person is found by their email address (case-insensitive): their applications (with
everything hanging off them: municipalities, assignments, training, checklist, status history), the
questions they asked, and their staff account (with the audit entries they made as actor).

- ``export_person``: all of it as one JSON-safe dict, for a request for access (GDPR art. 15/20).
- ``erase_person``: anonymises all of it in the caller's transaction (art. 17). The rows stay, so the
  aggregate facts stay true (how many applied, who became active where, which modules were completed);
  what identifies the person is emptied or replaced by a placeholder, also in the audit log.
- ``purge``: ``campaign purge`` (for cron) deletes what has outlived its retention period: rejected and
  withdrawn applications, unverified applications whose link expired, and answered questions.

docs/privacy.md describes the same for the team and for the privacy statement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, and_, cast, delete, func, or_, select

from campaign.core import accounts
from campaign.core.audit import Actor, history, record
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.labels import action_labels
from campaign.core.models import AuditEntry, User, utcnow
from campaign.coordinators import pipeline
from campaign.coordinators.models import (
    Application,
    Assignment,
    ChecklistDone,
    ChecklistItem,
    Completion,
    Enrolment,
    Question,
)
from campaign.extensions import db

PLACEHOLDER = "(anonymised)"
REMOVED_TEXT = "(removed)"
EXPLANATION = _l(
    "This file contains all personal data the campaign team holds on this email address: applications to "
    "become a local campaign coordinator (with the municipalities, assignments, training, checklist and the "
    "history of the application), questions asked to the team, and the staff account with the changes made "
    "with it. Staff members appear by role only. All times are in UTC. To have these data corrected or "
    "erased, reply to the campaign team.")
ERASE_SUMMARY = _l("Erasure on request")


def normalise_email(address: str | None) -> str:
    """``accounts.normalise_email``, also for a form field that came without a value."""
    return accounts.normalise_email(address or "")


def _when(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) moment as ISO 8601 with its zone."""
    return value.isoformat() + "Z" if value is not None else None


# --- finding what we hold ------------------------------------------------------------------------------------

@dataclass
class Holdings:
    """The rows that carry one person's data."""

    email: str
    applications: list[Application] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    users: list[User] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.applications or self.questions or self.users)


def find_person(email: str) -> Holdings:
    """Everything held on the address, case-insensitive (anonymised rows no longer carry it)."""
    address = normalise_email(email)
    held = Holdings(address)
    if not address:
        return held
    held.applications = list(db.session.scalars(
        select(Application).where(func.lower(Application.email) == address).order_by(Application.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(func.lower(User.email) == address))}
    for application in held.applications:
        if application.user is not None:
            users.setdefault(application.user.id, application.user)
    held.users = [users[k] for k in sorted(users)]
    asked = func.lower(Question.email) == address
    if users:
        asked = or_(asked, Question.user_id.in_(list(users)))
    held.questions = list(db.session.scalars(select(Question).where(asked).order_by(Question.id)))
    return held


def _count(model, column, ids: list[int]) -> int:
    if not ids:
        return 0
    return db.session.scalar(select(func.count()).select_from(model).where(column.in_(ids))) or 0


def summary(email: str) -> dict[str, int]:
    """How many rows of each kind are held on the address (for the data-subject request page)."""
    held = find_person(email)
    ids = [a.id for a in held.applications]
    user_ids = [u.id for u in held.users]
    return {
        "applications": len(held.applications),
        "assignments": _count(Assignment, Assignment.application_id, ids),
        "enrolments": _count(Enrolment, Enrolment.application_id, ids),
        "completions": _count(Completion, Completion.application_id, ids),
        "checklist": _count(ChecklistDone, ChecklistDone.application_id, ids),
        "questions": len(held.questions),
        "accounts": len(held.users),
        "audit_entries": _count(AuditEntry, AuditEntry.actor_id, user_ids),
    }


# --- export ------------------------------------------------------------------------------------------------------

def _actor_role(entry: AuditEntry, own_user_ids: set[int]) -> str:
    """Who made a change, without naming staff: the person themself, the campaign team, or the system."""
    if entry.actor_id is not None and entry.actor_id in own_user_ids:
        return "you"
    if entry.actor_id is not None:
        return "campaign team"
    return "system"


def _history(application: Application, own_user_ids: set[int]) -> list[dict[str, Any]]:
    return [{
        "at": _when(e.at),
        "action": e.action,
        "description": str(action_labels.get(e.action, e.action)),
        "by": _actor_role(e, own_user_ids),
        "before": e.before,
        "after": e.after,
    } for e in reversed(history("application", application.id))]


def _application(application: Application, own_user_ids: set[int]) -> dict[str, Any]:
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.application_id == application.id)
                                    .order_by(Enrolment.id))
    completions = db.session.scalars(select(Completion).where(Completion.application_id == application.id)
                                     .order_by(Completion.completed_at))
    ticks = db.session.execute(
        select(ChecklistDone, ChecklistItem.title).join(ChecklistItem, ChecklistItem.id == ChecklistDone.item_id)
        .where(ChecklistDone.application_id == application.id).order_by(ChecklistDone.done_at))
    return {
        "id": application.id,
        "status": application.status,
        "status_label": pipeline.status_label(application.status),
        "name": application.name,
        "email": application.email,
        "phone": application.phone,
        "organisation": application.organisation.name if application.organisation else None,
        "motivation": application.motivation,
        "availability": application.availability,
        "experience": application.experience,
        "language": application.language,
        "consent_version": application.consent_version,
        "consent_at": _when(application.consent_at),
        "created_at": _when(application.created_at),
        "verified_at": _when(application.verified_at),
        "verification_link_expires_at": _when(application.verification_expires_at),
        "status_changed_at": _when(application.status_changed_at),
        "notified_status": application.notified_status,
        "notes": application.notes,
        "anonymised_at": _when(application.anonymised_at),
        "municipalities_applied_for": [{"code": m.code, "name": m.name} for m in application.municipalities],
        "assignments": [{"municipality": a.municipality.code, "municipality_name": a.municipality.name,
                         "lead": a.is_lead, "assigned_at": _when(a.assigned_at)}
                        for a in sorted(application.assignments, key=lambda a: a.id or 0)],
        "status_history": _history(application, own_user_ids),
        "training_enrolments": [{
            "session_id": e.session_id,
            "module": e.session.module.title,
            "starts_at": _when(e.session.starts_at),
            "ends_at": _when(e.session.ends_at),
            "mode": e.session.mode,
            "location": e.session.location,
            "status": e.status,
            "enrolled_at": _when(e.created_at),
            "attended": e.attended,
            "reminded_at": _when(e.reminded_at),
        } for e in enrolments],
        "training_completions": [{"module": c.module.title, "completed_at": _when(c.completed_at),
                                  "session_id": c.session_id} for c in completions],
        "checklist_done": [{"item": title, "done_at": _when(done.done_at)} for done, title in ticks],
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "name": question.name,
        "email": question.email,
        "organisation": question.organisation.name if question.organisation else None,
        "asked_for_member_organisation": question.from_member,
        "municipality": question.municipality.code if question.municipality else None,
        "subject": question.subject,
        "question": question.body,
        "language": question.language,
        "consent_version": question.consent_version,
        "status": question.status,
        "asked_at": _when(question.created_at),
        "answer": question.answer,
        "answered_at": _when(question.answered_at),
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "municipalities": [{"code": m.code, "name": m.name} for m in user.municipalities],
        "created_at": _when(user.created_at),
        "last_login_at": _when(user.last_login_at),
    }


def _actions_of(users: list[User]) -> list[dict[str, Any]]:
    if not users:
        return []
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id.in_([u.id for u in users]))
                                 .order_by(AuditEntry.id))
    return [{"at": _when(e.at), "action": e.action, "description": str(action_labels.get(e.action, e.action)),
             "object": e.object_type, "object_id": e.object_id} for e in entries]


def export_person(email: str) -> dict[str, Any] | None:
    """Everything held on the person with this address, JSON-safe; None when nothing is held."""
    held = find_person(email)
    if held.empty:
        return None
    own = {u.id for u in held.users}
    return {
        "email": held.email,
        "exported_at": _when(utcnow()),
        "explanation": str(EXPLANATION),
        "applications": [_application(a, own) for a in held.applications],
        "questions": [_question(q) for q in held.questions],
        "accounts": [_account(u) for u in held.users],
        "changes_made_with_account": _actions_of(held.users),
    }


# --- erasure -----------------------------------------------------------------------------------------------------

def _refuse(message, field_name: str = "email") -> ValidationFailed:
    return ValidationFailed([Problem(str(_l("Email address")), str(message), field_name)])


def _replacer(emails: Iterable[str], names: Iterable[str]):
    """A function that replaces the addresses and names (whole words, any case) in a text by the placeholder."""
    patterns = [re.escape(e) for e in sorted(set(emails), key=len, reverse=True) if e]
    patterns += [r"(?<!\w)" + re.escape(n) + r"(?!\w)"
                 for n in sorted(set(names), key=len, reverse=True) if n and n != PLACEHOLDER and len(n) > 1]
    if not patterns:
        return lambda text: text
    pattern = re.compile("|".join(patterns), re.IGNORECASE)
    return lambda text: pattern.sub(PLACEHOLDER, text) if isinstance(text, str) else text


def _scrub_value(value: Any, replace) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_scrub_value(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, replace) for k, v in value.items()}
    return value


def _scrub_audit(*, objects: dict[str, list[int]], user_ids: list[int], emails: set[str], names: set[str],
                 by_address: bool) -> int:
    """Rewrite the audit entries that may name the person: those about their objects, those they made (the
    actor becomes "anonymised account #id"), and with ``by_address`` any entry mentioning the address.
    Returns how many entries changed. (The only case in which the app changes an audit entry.)"""
    conditions = []
    for object_type, ids in objects.items():
        if ids:
            keys = [str(i) for i in ids]
            conditions.append(and_(AuditEntry.object_type == object_type, AuditEntry.object_id.in_(keys)))
            conditions.append(and_(AuditEntry.parent_type == object_type, AuditEntry.parent_id.in_(keys)))
    if user_ids:
        conditions.append(AuditEntry.actor_id.in_(user_ids))
    if by_address:
        for address in emails:
            for column in (AuditEntry.actor_label, AuditEntry.summary, cast(AuditEntry.before, Text),
                           cast(AuditEntry.after, Text)):
                conditions.append(func.lower(column).contains(address, autoescape=True))
    if not conditions:
        return 0
    replace = _replacer(emails, names)
    changed = 0
    for entry in db.session.scalars(select(AuditEntry).where(or_(*conditions))):
        label = (f"anonymised account #{entry.actor_id}" if entry.actor_id in user_ids
                 else replace(entry.actor_label))
        summary_text = replace(entry.summary or "")
        before, after = _scrub_value(entry.before, replace), _scrub_value(entry.after, replace)
        if (label, summary_text, before, after) != (entry.actor_label, entry.summary, entry.before, entry.after):
            entry.actor_label, entry.summary, entry.before, entry.after = label, summary_text, before, after
            changed += 1
    return changed


def _anonymise_account(user: User) -> None:
    if user.active:  # (closing the application may have done this already)
        user.active = False
        user.session_version += 1  # signed out everywhere
    user.name = PLACEHOLDER
    user.email = f"anonymised-user-{user.id}@invalid"
    user.password_hash = None
    user.municipalities = []


def _anonymise_application(application: Application, now: dt.datetime) -> None:
    application.name = PLACEHOLDER
    application.email = f"anonymised-{application.id}@invalid"
    application.phone = None
    application.motivation = application.availability = application.experience = application.notes = ""
    application.verification_hash = None
    application.verification_expires_at = None
    application.anonymised_at = now


def _anonymise_question(question: Question) -> None:
    question.name = PLACEHOLDER
    question.email = f"anonymised-question-{question.id}@invalid"
    question.subject = PLACEHOLDER
    question.body = REMOVED_TEXT
    if question.answer:
        question.answer = REMOVED_TEXT


def erase_person(actor: Actor, email: str) -> dict[str, int]:
    """Anonymise everything held on the address (in the caller's transaction); the counts of what changed.

    Refused (nothing changed) when nothing is held, when the actor would erase their own account, and
    when a non-admin would erase the account of an editor or administrator."""
    held = find_person(email)
    if not held.email:
        raise _refuse(_l("Enter the email address of the person."))
    if held.empty:
        raise _refuse(_l("Nothing is held on this address."))
    for user in held.users:
        if actor.user is not None and actor.user.id == user.id:
            raise _refuse(_l("You cannot erase your own account; ask another editor."))
        if user.role != "coordinator" and actor.user is not None and not actor.user.has_role("admin"):
            raise _refuse(_l("Only an administrator can erase the account of an editor or administrator."))

    now = utcnow()
    emails = {held.email} | {normalise_email(a.email) for a in held.applications} \
        | {normalise_email(q.email) for q in held.questions} | {normalise_email(u.email) for u in held.users}
    names = {a.name for a in held.applications} | {q.name for q in held.questions} | {u.name for u in held.users}
    counts = dict.fromkeys(("applications", "withdrawn", "assignments_ended", "enrolments_removed", "questions",
                            "accounts", "audit_entries_rewritten"), 0)
    for application in held.applications:
        counts["assignments_ended"] += len(application.assignments)
        counts["withdrawn"] += pipeline.withdraw_for_erasure(actor, application, summary=str(ERASE_SUMMARY))
        # Seats still to come were given back (the waitlist moved up); the rows go.
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.application_id == application.id)).all()
        for enrolment in enrolments:
            db.session.delete(enrolment)
        counts["enrolments_removed"] += len(enrolments)
        _anonymise_application(application, now)
        counts["applications"] += 1
    for question in held.questions:
        _anonymise_question(question)
        counts["questions"] += 1
    for user in held.users:
        _anonymise_account(user)
        counts["accounts"] += 1
    db.session.flush()
    counts["audit_entries_rewritten"] = _scrub_audit(
        objects={"application": [a.id for a in held.applications], "question": [q.id for q in held.questions],
                 "user": [u.id for u in held.users]},
        user_ids=[u.id for u in held.users], emails=emails, names=names, by_address=True)
    record(actor, "person.erase", "privacy", "erase", after=dict(counts))
    return counts


# --- purge -------------------------------------------------------------------------------------------------------

PURGE_ACTOR = Actor.system("campaign purge")


@dataclass
class PurgeReport:
    """What the purge removed (or, for a dry run, would remove): ids only, never names or addresses."""

    now: dt.datetime
    dry_run: bool
    closed_applications: list[int] = field(default_factory=list)  # rejected / withdrawn, past retention
    unverified_applications: list[int] = field(default_factory=list)  # verification link expired
    questions: list[int] = field(default_factory=list)  # answered, past retention
    accounts: list[int] = field(default_factory=list)  # coordinator accounts anonymised with their application

    @property
    def counts(self) -> dict[str, int]:
        return {"closed_applications": len(self.closed_applications),
                "unverified_applications": len(self.unverified_applications),
                "questions": len(self.questions), "accounts": len(self.accounts)}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge_candidates(now: dt.datetime) -> tuple[list[Application], list[Application], list[Question]]:
    config = current_app.config
    closed_before = now - dt.timedelta(days=config["APPLICATION_RETENTION_DAYS"])
    created_before = now - dt.timedelta(hours=config["VERIFICATION_MAX_AGE_HOURS"])
    answered_before = now - dt.timedelta(days=config["QUESTION_RETENTION_DAYS"])
    closed = list(db.session.scalars(select(Application).where(
        Application.status.in_(("rejected", "withdrawn")), Application.status_changed_at < closed_before)
        .order_by(Application.id)))
    unverified = list(db.session.scalars(select(Application).where(
        Application.status == "applied",
        or_(Application.verification_expires_at < now,
            and_(Application.verification_expires_at.is_(None), Application.created_at < created_before)))
        .order_by(Application.id)))
    questions = list(db.session.scalars(select(Question).where(
        Question.status == "answered", Question.answered_at < answered_before).order_by(Question.id)))
    return closed, unverified, questions


def _account_goes_with(application: Application) -> User | None:
    """The coordinator account made for this application goes too (a staff member's own account stays)."""
    user = application.user
    if user is None or user.role != "coordinator" or user.active:
        return None
    return user


def purge(now: dt.datetime | None = None, dry_run: bool = False, *, actor: Actor = PURGE_ACTOR) -> PurgeReport:
    """Delete what has outlived its retention period (in the caller's transaction); with ``dry_run`` only
    report it. ``now`` is naive UTC."""
    now = now or utcnow()
    closed, unverified, questions = purge_candidates(now)
    applications = closed + unverified
    accounts = [u for u in (_account_goes_with(a) for a in applications) if u is not None]
    report = PurgeReport(now, dry_run, [a.id for a in closed], [a.id for a in unverified],
                         [q.id for q in questions], [u.id for u in accounts])
    if dry_run or not report.total:
        return report

    ids = [a.id for a in applications]
    emails = {normalise_email(a.email) for a in applications} | {normalise_email(u.email) for u in accounts}
    names = {a.name for a in applications} | {u.name for u in accounts}
    # Only the entries about the removed rows and those made with the removed accounts: the same address may
    # still belong to a newer application or a staff member.
    _scrub_audit(objects={"application": ids, "question": report.questions, "user": report.accounts},
                 user_ids=report.accounts, emails=emails, names=names, by_address=False)
    for user in accounts:
        _anonymise_account(user)
    for model in (Enrolment, Completion, ChecklistDone, Assignment):
        db.session.execute(delete(model).where(model.application_id.in_(ids)),
                           execution_options={"synchronize_session": False})
    for application in applications:
        db.session.expire(application, ["assignments"])
        db.session.delete(application)
    for question in questions:
        db.session.delete(question)
    db.session.flush()
    record(actor, "privacy.purge", "privacy", "purge", after=report.counts)
    return report

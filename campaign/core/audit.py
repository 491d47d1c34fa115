"""The audit log: every back-office change records who, when, what, and the values before and after.

Domain functions call ``record`` in the same transaction as the change, so the entry exists exactly when
the change does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import or_, select

from campaign.core.models import AuditEntry, User
from campaign.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who does something: a signed-in user, a party through its personal link, or the system (CLI)."""

    label: str
    user: User | None = None

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(label=f"{user.name} <{user.email}>", user=user)

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(label=label)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of an object as JSON-safe values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, from both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(actor: Actor, action: str, object_type: str, object_id: Any, *, summary: str = "",
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           parent: tuple[str, Any] | None = None, only_changes: bool = True) -> AuditEntry | None:
    """Add an entry to the session. With ``only_changes``, unchanged values are left out, and an update
    that changed nothing writes no entry at all."""
    if only_changes and before is not None and after is not None:
        before, after = changed(before, after)
        if not after and not before:
            return None
    entry = AuditEntry(
        actor_id=actor.user.id if actor.user is not None else None,
        actor_label=actor.label[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        parent_type=parent[0] if parent else None,
        parent_id=str(parent[1]) if parent else None,
        summary=summary,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def history(object_type: str, object_id: Any, *, with_children: bool = True, parent: tuple[str, Any] | None = None,
            limit: int = 200) -> list[AuditEntry]:
    """Newest first: the object's own entries and, with ``with_children``, those of objects under it.

    ``parent`` narrows the search for objects whose id is unique only under their parent (a party's key
    within its edition)."""
    oid = str(object_id)
    condition = (AuditEntry.object_type == object_type) & (AuditEntry.object_id == oid)
    if parent is not None:
        condition &= (AuditEntry.parent_type == parent[0]) & (AuditEntry.parent_id == str(parent[1]))
    if with_children:
        condition = or_(condition, (AuditEntry.parent_type == object_type) & (AuditEntry.parent_id == oid))
    return list(db.session.scalars(select(AuditEntry).where(condition).order_by(AuditEntry.id.desc()).limit(limit)))

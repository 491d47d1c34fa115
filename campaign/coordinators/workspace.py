"""The coordinator's workspace: the campaign checklist, their municipalities and their materials.

The checklist is one list for every coordinator, kept by the team (``add_item``, ``update_item``,
``delete_item``, ``move_item``); each coordinator ticks off their own steps (``set_done``), and sees only
their own ticks. Every change is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import ValidationFailed, text_problems
from campaign.core.models import Municipality, User
from campaign.coordinators import training
from campaign.coordinators.models import Application, ChecklistDone, ChecklistItem
from campaign.cultuurwijzer.models import Edition
from campaign.extensions import db

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
ITEM_FIELDS = ("title", "description", "position")


# --- the checklist, as the team keeps it ----------------------------------------------------------------------

def checklist_items() -> list[ChecklistItem]:
    return list(db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.position, ChecklistItem.id)))


def _clean_item(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    problems = text_problems(title, _l("Title"), "title", limit=MAX_TITLE, missing=_l("Give the step a title."))
    problems += text_problems(description, _l("Explanation"), "description", limit=MAX_DESCRIPTION)
    if problems:
        raise ValidationFailed(problems)
    return title, description


def add_item(actor: Actor, *, title: str, description: str = "") -> ChecklistItem:
    """A new step at the end of the list."""
    title, description = _clean_item(title, description)
    last = db.session.scalar(select(func.max(ChecklistItem.position)))
    item = ChecklistItem(title=title, description=description, position=(last if last is not None else -1) + 1)
    db.session.add(item)
    db.session.flush()
    record(actor, "checklist.create", "checklist_item", item.id, after=snapshot(item, ITEM_FIELDS),
           only_changes=False)
    return item


def update_item(actor: Actor, item: ChecklistItem, *, title: str, description: str = "") -> None:
    title, description = _clean_item(title, description)
    before = snapshot(item, ITEM_FIELDS)
    item.title, item.description = title, description
    record(actor, "checklist.update", "checklist_item", item.id, before=before, after=snapshot(item, ITEM_FIELDS))


def delete_item(actor: Actor, item: ChecklistItem) -> None:
    """Remove a step; the coordinators' ticks on it go with it."""
    record(actor, "checklist.delete", "checklist_item", item.id, before=snapshot(item, ITEM_FIELDS),
           only_changes=False)
    db.session.execute(ChecklistDone.__table__.delete().where(ChecklistDone.item_id == item.id))
    db.session.delete(item)
    db.session.flush()


def move_item(actor: Actor, item: ChecklistItem, offset: int) -> None:
    """One place up (-1) or down (+1); at either end nothing changes. Positions are renumbered 0..n-1."""
    items = checklist_items()
    index = items.index(item)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    before = item.position
    for position, each in enumerate(items):
        each.position = position
    record(actor, "checklist.move", "checklist_item", item.id, before={"position": before},
           after={"position": item.position})


# --- one coordinator's progress ---------------------------------------------------------------------------------

@dataclass
class Step:
    item: ChecklistItem
    done: bool


@dataclass
class Checklist:
    steps: list[Step]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)


def checklist_for(application: Application) -> Checklist:
    """Every step, each marked with whether this coordinator (and only they) ticked it off."""
    done = set(db.session.scalars(select(ChecklistDone.item_id).where(
        ChecklistDone.application_id == application.id)))
    return Checklist([Step(item, item.id in done) for item in checklist_items()])


def set_done(actor: Actor, application: Application, item: ChecklistItem, done: bool) -> bool:
    """Tick a step off (or undo that) for one coordinator. Saying the same twice changes nothing; returns
    whether anything changed."""
    row = db.session.get(ChecklistDone, (application.id, item.id))
    if done == (row is not None):
        return False
    if done:
        db.session.add(ChecklistDone(application_id=application.id, item_id=item.id))
    else:
        db.session.delete(row)
    db.session.flush()
    record(actor, "checklist.done" if done else "checklist.undone", "application", application.id,
           after={"checklist_item": item.id, "done": done}, only_changes=False)
    return True


# --- municipalities and materials ------------------------------------------------------------------------------

@dataclass
class Place:
    municipality: Municipality
    lead: bool
    # The municipality's code when a published Cultuurwijzer exists for it, else None.
    cultuurwijzer_code: str | None


def places_of(user: User, application: Application | None) -> list[Place]:
    """The municipalities the account is scoped to (its assignments), with lead and Cultuurwijzer."""
    municipalities = list(user.municipalities)
    leads = {a.municipality_id for a in application.assignments if a.is_lead} if application else set()
    published = set(db.session.scalars(select(Edition.municipality_id).where(
        Edition.municipality_id.in_([m.id for m in municipalities]), Edition.status == "published")))
    return [Place(m, m.id in leads, m.code if m.id in published else None) for m in municipalities]


@dataclass
class Material:
    title: str
    url: str | None
    source: str  # the training module it belongs to


def materials() -> list[Material]:
    """Every training module's materials, in module order, read as the training pages read them
    (``training.parse_materials``: only web addresses become links)."""
    return [Material(m.title, m.url, module.title)
            for module in training.modules() for m in training.parse_materials(module.materials)]

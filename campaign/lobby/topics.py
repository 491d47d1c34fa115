"""Topics of the lobby agenda: sub-topics and their progress, the team's status workflow, tags and the timeline.

The rules:
- A topic has a title (required), a description, our ask, a priority, an owner (an active member of the lobby
  team: role editor or admin; or nobody), a scope (national or municipal), tags and a status.
- Sub-topics go one level deep: a sub-topic cannot have sub-topics of its own, and a topic with sub-topics cannot
  become a sub-topic. Sub-topics keep an order among their siblings (``move_topic``).
- Progress (``progress``): a topic's own progress is its status's step in the workflow, from 0 (the first status)
  to 1 (the last), and 1 for a closed status (a result, or dropped); a topic with sub-topics shows the mean of
  its sub-topics' progress.
- Tags are entered as one comma-separated text: trimmed, blanks dropped, duplicates merged whatever their case;
  an existing tag is reused whatever its case. A tag that no topic uses any more is removed.
- The status workflow belongs to the team: statuses are added, renamed, described, marked closed, reordered and
  removed; a status in use and the last status cannot be removed. Names are unique, whatever their case.
- A change of status writes a dated entry of kind "status" to the topic's timeline (``status_change`` reads it
  back: the names are stored in both languages, so the entry reads right in either, also after the status is
  renamed or removed) and sets ``status_changed_at``. The team adds notes to the timeline and may remove them;
  status entries stay.

Every change is recorded in the audit log, in the same transaction, with ids, statuses and counts.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems
from campaign.core.forms import year_problems
from campaign.core.i18n import current_language, from_local_input, local_today
from campaign.core.labels import action_labels
from campaign.core.models import User, utcnow
from campaign.extensions import db
from campaign.lobby.defaults import ensure_defaults
from campaign.lobby.models import PRIORITIES, TOPIC_SCOPES, Tag, Topic, TopicStatus, TopicUpdate, topic_tag

action_labels.update({
    "lobby.topic.create": _l("Lobby topic added"),
    "lobby.topic.update": _l("Lobby topic changed"),
    "lobby.topic.move": _l("Sub-topic moved"),
    "lobby.topic.delete": _l("Lobby topic removed"),
    "lobby.topic.status": _l("Lobby topic's status changed"),
    "lobby.update.add": _l("Timeline note added"),
    "lobby.update.delete": _l("Timeline note removed"),
    "lobby.status.create": _l("Topic status added"),
    "lobby.status.update": _l("Topic status changed"),
    "lobby.status.move": _l("Topic status moved"),
    "lobby.status.delete": _l("Topic status removed"),
})

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_TAG = 40
MAX_TAGS = 20
MAX_STATUS_NAME = 80
MAX_STATUS_DESCRIPTION = 2000
MAX_NOTE = 5000
OWNER_ROLES = ("editor", "admin")
TOPIC_FIELDS = ("title", "description", "ask", "priority", "scope", "owner_id", "status_id", "parent_id", "tags")
STATUS_FIELDS = ("name", "name_en", "description", "closed", "position")
UPDATE_FIELDS = ("topic_id", "happened_on", "kind")


def _problem(label, message, field: str = "") -> Problem:
    return Problem(str(label), str(message), field)


def _topic_snapshot(topic: Topic) -> dict:
    values = snapshot(topic, TOPIC_FIELDS[:-1])
    values["tags"] = sorted(t.name for t in topic.tags)
    return values


# --- the workflow and progress (read by the dashboard and the dossier) ---------------------------------------

def statuses() -> list[TopicStatus]:
    """The workflow in order."""
    return list(db.session.scalars(select(TopicStatus).order_by(TopicStatus.position, TopicStatus.id)))


def status_steps(workflow: list[TopicStatus] | None = None) -> dict[int, float]:
    """status id -> the progress a topic in that status has made: its step in the workflow from 0 (first) to 1
    (last), and 1 for a closed status."""
    workflow = statuses() if workflow is None else workflow
    last = len(workflow) - 1
    return {s.id: 1.0 if s.closed else (index / last if last > 0 else 0.0) for index, s in enumerate(workflow)}


def progress(topic: Topic, steps: dict[int, float] | None = None) -> float:
    """How far a topic has come, 0..1: its status's step in the workflow (1 when closed); a topic with
    sub-topics: the mean of its sub-topics'. Pass ``steps`` (``status_steps()``) when computing many."""
    steps = status_steps() if steps is None else steps
    if topic.children:
        return sum(steps.get(child.status_id, 0.0) for child in topic.children) / len(topic.children)
    return steps.get(topic.status_id, 0.0)


@dataclass(frozen=True)
class Progress:
    """A topic's progress for a page: ``value`` 0..1, and for a topic with sub-topics how many are done (in a
    closed status) of how many."""

    value: float
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(self.value * 100)


def topic_progress(topic: Topic, steps: dict[int, float] | None = None,
                   closed: set[int] | None = None) -> Progress:
    """``progress`` with the count of sub-topics done; ``closed``: the ids of the closed statuses."""
    steps = status_steps() if steps is None else steps
    closed = {s.id for s in statuses() if s.closed} if closed is None else closed
    done = sum(1 for child in topic.children if child.status_id in closed)
    return Progress(progress(topic, steps), done, len(topic.children))


def status_counts() -> list[tuple[TopicStatus, int]]:
    """Every status in workflow order with the number of topics in it, sub-topics included."""
    counts = dict(db.session.execute(select(Topic.status_id, func.count()).group_by(Topic.status_id)).all())
    return [(status, counts.get(status.id, 0)) for status in statuses()]


# --- tags --------------------------------------------------------------------------------------------------------

def parse_tags(text: str) -> list[str]:
    """A comma-separated text as tag names: trimmed (inner spaces collapsed), blanks dropped, duplicates
    merged whatever their case (the first spelling wins). Too long or too many: ValidationFailed."""
    names: dict[str, str] = {}
    for part in (text or "").split(","):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    problems = [_problem(_l("Tags"), _l("“%(tag)s” is too long: a tag has at most %(n)d characters.",
                                        tag=name[:MAX_TAG] + "…", n=MAX_TAG), "tags")
                for name in names.values() if len(name) > MAX_TAG]
    if len(names) > MAX_TAGS:
        problems.append(_problem(_l("Tags"), _l("At most %(n)d tags.", n=MAX_TAGS), "tags"))
    if problems:
        raise ValidationFailed(problems)
    return list(names.values())


def _tag_rows(names: list[str]) -> list[Tag]:
    """The tags of these names: existing ones reused whatever their case, new ones added."""
    if not names:
        return []
    existing = {t.name.casefold(): t for t in all_tags()}  # (few; SQLite's lower() knows only ASCII)
    rows = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = existing[name.casefold()] = Tag(name=name)
            db.session.add(tag)
        rows.append(tag)
    return rows


def remove_unused_tags() -> int:
    """Remove the tags no topic uses; how many went."""
    db.session.flush()
    used = select(topic_tag.c.tag_id)
    unused = list(db.session.scalars(select(Tag).where(Tag.id.not_in(used))))
    for tag in unused:
        db.session.delete(tag)
    db.session.flush()
    return len(unused)


def all_tags() -> list[Tag]:
    return sorted(db.session.scalars(select(Tag)), key=lambda t: t.name.casefold())


def find_tag(name: str) -> Tag | None:
    """The tag of this name, whatever its case."""
    name = " ".join((name or "").split()).casefold()
    return next((t for t in all_tags() if t.name.casefold() == name), None)


# --- topics ------------------------------------------------------------------------------------------------------

def owners() -> list[User]:
    """Who may own a topic: active members of the lobby team, by name."""
    return sorted(db.session.scalars(select(User).where(User.active, User.role.in_(OWNER_ROLES))),
                  key=lambda u: u.name.casefold())


def parent_candidates(topic: Topic | None = None) -> list[Topic]:
    """The topics that may take ``topic`` (or a new topic) as a sub-topic: top-level topics other than itself,
    by title; none when ``topic`` has sub-topics of its own."""
    if topic is not None and topic.children:
        return []
    query = select(Topic).where(Topic.parent_id.is_(None)).order_by(func.lower(Topic.title), Topic.id)
    if topic is not None and topic.id is not None:
        query = query.where(Topic.id != topic.id)
    return list(db.session.scalars(query))


def _clean_topic(topic: Topic | None, values: dict) -> dict:
    """The values stripped and checked (every problem at once, each naming its field); the status, parent and
    owner as rows, the tags as names."""
    values = dict(values)
    problems: list[Problem] = []
    for name in ("title", "description", "ask"):
        values[name] = (values.get(name) or "").strip()
    problems += text_problems(values["title"], _l("Title"), "title", limit=MAX_TITLE,
                              missing=_l("Give the topic a title."))
    problems += text_problems(values["description"], _l("Description"), "description", limit=MAX_TEXT)
    problems += text_problems(values["ask"], _l("Our ask"), "ask", limit=MAX_TEXT)
    if values.get("priority") not in PRIORITIES:
        problems.append(_problem(_l("Priority"), _l("Choose high, normal or low."), "priority"))
    if values.get("scope") not in TOPIC_SCOPES:
        problems.append(_problem(_l("Scope"), _l("Choose national or municipal."), "scope"))
    status_id = values.get("status_id")
    values["status"] = db.session.get(TopicStatus, status_id) if status_id is not None else None
    if values["status"] is None:
        problems.append(_problem(_l("Status"), _l("Choose a status.") if statuses() else _l(
            "There are no statuses yet: set up the status workflow first."), "status_id"))
    values["owner"] = _owner(topic, values.get("owner_id"), problems)
    values["parent"] = _parent(topic, values.get("parent_id"), problems)
    try:
        values["tags"] = parse_tags(values.get("tags") or "")
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    return values


def _owner(topic: Topic | None, owner_id: int | None, problems: list[Problem]) -> User | None:
    if owner_id is None:
        return None
    owner = db.session.get(User, owner_id)
    if owner is not None and topic is not None and topic.owner_id == owner.id:
        return owner  # the current owner stays, also when their account has since been closed
    if owner is None or not owner.active or owner.role not in OWNER_ROLES:
        problems.append(_problem(_l("Owner"), _l("Choose an active member of the lobby team, or nobody."),
                                 "owner_id"))
        return None
    return owner


def _parent(topic: Topic | None, parent_id: int | None, problems: list[Problem]) -> Topic | None:
    if parent_id is None:
        return None
    parent = db.session.get(Topic, parent_id)
    label = _l("Sub-topic of")
    if parent is None:
        problems.append(_problem(label, _l("That topic does not exist (any more)."), "parent_id"))
    elif topic is not None and parent.id == topic.id:
        problems.append(_problem(label, _l("A topic cannot be a sub-topic of itself."), "parent_id"))
    elif parent.parent_id is not None:
        problems.append(_problem(label, _l("“%(title)s” is a sub-topic itself; sub-topics go one level deep.",
                                           title=parent.title), "parent_id"))
    elif topic is not None and topic.children:
        problems.append(_problem(label, _l("This topic has sub-topics of its own, so it cannot become a "
                                           "sub-topic."), "parent_id"))
    else:
        return parent
    return None


def _next_position(parent: Topic | None) -> int:
    if parent is None:
        return 0
    last = db.session.scalar(select(func.max(Topic.position)).where(Topic.parent_id == parent.id))
    return (last if last is not None else -1) + 1


def _status_entry(actor: Actor, topic: Topic, old: TopicStatus | None, new: TopicStatus, on: dt.date,
                  note: str = "") -> TopicUpdate:
    """The timeline entry of a status change, and ``status_changed_at``: now when it happened today, else noon
    (Dutch time) of the day it happened."""
    entry = TopicUpdate(topic=topic, happened_on=on, kind="status", author=actor.user,
                        text=json.dumps({"from": _status_names(old), "to": _status_names(new), "note": note},
                                        ensure_ascii=False))
    db.session.add(entry)
    topic.status_changed_at = utcnow() if on >= local_today() else from_local_input(
        dt.datetime.combine(on, dt.time(12)))
    return entry


def _status_names(status: TopicStatus | None) -> dict | None:
    return None if status is None else {"id": status.id, "name": status.name, "name_en": status.name_en}


def create_topic(actor: Actor, *, title: str, description: str = "", ask: str = "", priority: int = 2,
                 scope: str = "municipal", owner_id: int | None = None, status_id: int | None = None,
                 parent_id: int | None = None, tags: str = "") -> Topic:
    """A new topic (a sub-topic with ``parent_id``: last among its siblings); its first status is the first
    entry of its timeline."""
    values = _clean_topic(None, dict(title=title, description=description, ask=ask, priority=priority,
                                     scope=scope, owner_id=owner_id, status_id=status_id, parent_id=parent_id,
                                     tags=tags))
    topic = Topic(title=values["title"], description=values["description"], ask=values["ask"],
                  priority=values["priority"], scope=values["scope"], owner=values["owner"],
                  status=values["status"], parent=values["parent"], position=_next_position(values["parent"]),
                  tags=_tag_rows(values["tags"]))
    db.session.add(topic)
    _status_entry(actor, topic, None, values["status"], local_today())
    db.session.flush()
    record(actor, "lobby.topic.create", "topic", topic.id, after=_topic_snapshot(topic), only_changes=False,
           parent=("topic", topic.parent_id) if topic.parent_id else None)
    return topic


def update_topic(actor: Actor, topic: Topic, *, title: str, description: str = "", ask: str = "",
                 priority: int = 2, scope: str = "municipal", owner_id: int | None = None,
                 status_id: int | None = None, parent_id: int | None = None, tags: str = "") -> Topic:
    """Change a topic; a new status is written to the timeline (dated today), as ``change_status`` does; a new
    parent puts it last among its new siblings."""
    values = _clean_topic(topic, dict(title=title, description=description, ask=ask, priority=priority,
                                      scope=scope, owner_id=owner_id, status_id=status_id, parent_id=parent_id,
                                      tags=tags))
    before = _topic_snapshot(topic)
    old_status, old_parent = topic.status, topic.parent
    topic.title, topic.description, topic.ask = values["title"], values["description"], values["ask"]
    topic.priority, topic.scope, topic.owner = values["priority"], values["scope"], values["owner"]
    if values["parent"] is not old_parent:
        topic.position = _next_position(values["parent"])
        topic.parent = values["parent"]
        if old_parent is not None:
            db.session.flush()
            _renumber(old_parent)
    topic.tags = _tag_rows(values["tags"])
    if values["status"] is not old_status:
        topic.status = values["status"]
        _status_entry(actor, topic, old_status, values["status"], local_today())
    db.session.flush()  # (the ids of a new status, parent and owner are set on flush)
    after = _topic_snapshot(topic)
    if after != before:
        topic.updated_at = utcnow()
    record(actor, "lobby.topic.update", "topic", topic.id, before=before, after=after,
           parent=("topic", topic.parent_id) if topic.parent_id else None)
    remove_unused_tags()
    return topic


@dataclass(frozen=True)
class Removal:
    """What goes with a topic when it is removed."""

    subtopics: int
    inputs: int
    updates: int
    statements: int


def what_goes_with(topic: Topic) -> Removal:
    family = [topic, *topic.children]
    return Removal(subtopics=len(topic.children), inputs=sum(len(t.inputs) for t in family),
                   updates=sum(len(t.updates) for t in family), statements=sum(len(t.statements) for t in family))


def delete_topic(actor: Actor, topic: Topic) -> Removal:
    """Remove a topic with its sub-topics, their input to parties, timelines and links; tags no other topic
    uses go too."""
    gone = what_goes_with(topic)
    parent = topic.parent
    record(actor, "lobby.topic.delete", "topic", topic.id, only_changes=False,
           parent=("topic", parent.id) if parent else None,
           before={**_topic_snapshot(topic), "subtopics": [t.id for t in topic.children], "inputs": gone.inputs,
                   "updates": gone.updates, "statements": gone.statements})
    if parent is not None:
        parent.children.remove(topic)
    db.session.delete(topic)
    db.session.flush()
    if parent is not None:
        _renumber(parent)
    remove_unused_tags()
    return gone


def _renumber(parent: Topic) -> None:
    for position, child in enumerate(sorted(parent.children, key=lambda t: (t.position, t.id))):
        child.position = position


def move_topic(actor: Actor, topic: Topic, offset: int) -> bool:
    """A sub-topic one place up (-1) or down (+1) among its siblings; False at either end (or for a top-level
    topic, whose place the list's sort decides)."""
    parent = topic.parent
    if parent is None:
        return False
    order = _move(sorted(parent.children, key=lambda t: (t.position, t.id)), topic, offset)
    if order is None:
        return False
    record(actor, "lobby.topic.move", "topic", topic.id, parent=("topic", parent.id), before={"order": order[0]},
           after={"order": order[1]}, only_changes=False)
    return True


def _move(ordered: list, row, offset: int) -> tuple[list[int], list[int]] | None:
    """Move ``row`` one place up (-1) or down (+1) in ``ordered`` and number the positions 0..n-1: the ids in
    order before and after; None (and nothing changed) at either end."""
    index = ordered.index(row)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(ordered):
        return None
    before = [each.id for each in ordered]
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    return before, [each.id for each in ordered]


# --- status changes and the timeline -----------------------------------------------------------------------------

def _date_problems(on: dt.date | None, label, field: str) -> list[Problem]:
    if on is None:
        return [_problem(label, _l("Give the date."), field)]
    return year_problems(on, label, field)


def change_status(actor: Actor, topic: Topic, *, status_id: int | None, changed_on: dt.date | None = None,
                  note: str = "") -> TopicUpdate:
    """Give the topic a new status: a dated timeline entry ("Status: A → B", with the note) and
    ``status_changed_at``."""
    on = local_today() if changed_on is None else changed_on
    note = (note or "").strip()
    status = db.session.get(TopicStatus, status_id) if status_id is not None else None
    problems = _date_problems(on, _l("Date"), "changed_on")
    problems += text_problems(note, _l("Note"), "note", limit=MAX_NOTE)
    if status is None:
        problems.append(_problem(_l("New status"), _l("Choose a status."), "status_id"))
    elif status.id == topic.status_id:
        problems.append(_problem(_l("New status"), _l("The topic has this status already."), "status_id"))
    if problems:
        raise ValidationFailed(problems)
    old = topic.status
    topic.status = status
    topic.updated_at = utcnow()
    entry = _status_entry(actor, topic, old, status, on, note)
    db.session.flush()
    record(actor, "lobby.topic.status", "topic", topic.id, before={"status_id": old.id},
           after={"status_id": status.id, "happened_on": on.isoformat(), "update_id": entry.id},
           parent=("topic", topic.parent_id) if topic.parent_id else None, only_changes=False)
    return entry


def add_update(actor: Actor, topic: Topic, *, happened_on: dt.date | None, text: str) -> TopicUpdate:
    """A dated note on the topic's timeline."""
    text = (text or "").strip()
    problems = _date_problems(happened_on, _l("Date"), "happened_on")
    problems += text_problems(text, _l("Note"), "text", limit=MAX_NOTE, missing=_l("Write the note."))
    if problems:
        raise ValidationFailed(problems)
    entry = TopicUpdate(topic=topic, happened_on=happened_on, kind="note", text=text, author=actor.user)
    db.session.add(entry)
    topic.updated_at = utcnow()
    db.session.flush()
    record(actor, "lobby.update.add", "topic_update", entry.id, parent=("topic", topic.id),
           after=snapshot(entry, UPDATE_FIELDS), only_changes=False)
    return entry


def delete_update(actor: Actor, entry: TopicUpdate) -> None:
    """Remove a note from the timeline; status changes stay (the next change corrects a wrong one)."""
    if entry.kind != "note":
        raise ValidationFailed([_problem(_l("Timeline"), _l(
            "Status changes stay in the timeline; change the status again to correct one."))])
    topic = entry.topic
    record(actor, "lobby.update.delete", "topic_update", entry.id, parent=("topic", topic.id),
           before=snapshot(entry, UPDATE_FIELDS), only_changes=False)
    topic.updates.remove(entry)
    db.session.delete(entry)
    db.session.flush()


@dataclass(frozen=True)
class StatusChange:
    """A status entry of the timeline as read back: the names in the reader's language (as they were then)."""

    old: str | None
    new: str
    note: str


def _name_then(names: dict | None) -> str | None:
    if not names:
        return None
    if current_language() == "en" and names.get("name_en"):
        return names["name_en"]
    return names["name"]


def status_change(entry: TopicUpdate) -> StatusChange | None:
    """A status entry's change, or None for a note (or an entry not written by the app)."""
    if entry.kind != "status":
        return None
    try:
        data = json.loads(entry.text)
        return StatusChange(_name_then(data.get("from")), _name_then(data["to"]), data.get("note") or "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


# --- the list ----------------------------------------------------------------------------------------------------

@dataclass
class TopicFilter:
    """The list's filters; None or "" means any. ``owner_id`` 0 means nobody."""

    status_id: int | None = None
    scope: str = ""
    priority: int | None = None
    owner_id: int | None = None
    tag: str = ""
    search: str = ""
    sort: str = "priority"

    @property
    def active(self) -> bool:
        return any((self.status_id, self.scope, self.priority, self.owner_id is not None, self.tag, self.search))


@dataclass
class TopicRow:
    """One top-level topic of the list with the sub-topics shown under it; ``matches``: whether the topic itself
    matches the filter (it may be shown only for its sub-topics)."""

    topic: Topic
    children: list[Topic]
    matches: bool


def _conditions(f: TopicFilter) -> list:
    conditions = []
    if f.status_id:
        conditions.append(Topic.status_id == f.status_id)
    if f.scope:
        conditions.append(Topic.scope == f.scope)
    if f.priority:
        conditions.append(Topic.priority == f.priority)
    if f.owner_id is not None:
        conditions.append(Topic.owner_id.is_(None) if f.owner_id == 0 else Topic.owner_id == f.owner_id)
    if f.tag:
        tag = find_tag(f.tag)
        conditions.append(Topic.tags.any(Tag.id == tag.id) if tag else false())
    if f.search:
        conditions.append(func.lower(Topic.title).contains(f.search.strip().lower(), autoescape=True))
    return conditions


def _row_loads() -> tuple:
    """What a row of the list shows, loaded for every row at once."""
    return joinedload(Topic.status), joinedload(Topic.owner), selectinload(Topic.tags)


def find_topics(f: TopicFilter | None = None) -> list[TopicRow]:
    """Top-level topics with their sub-topics, filtered: a topic shows when it or one of its sub-topics matches,
    with the sub-topics that match. In a fixed number of queries, however many topics there are."""
    f = f or TopicFilter()
    matched: set[int] | None = None
    parent_ids: set[int] = set()
    if f.active:
        found = db.session.execute(select(Topic.id, Topic.parent_id).where(*_conditions(f))).all()
        matched = {row.id for row in found}
        parent_ids = {row.parent_id for row in found if row.parent_id is not None}
        if not matched:
            return []
    query = select(Topic).where(Topic.parent_id.is_(None)).options(
        *_row_loads(), selectinload(Topic.children).options(*_row_loads(), selectinload(Topic.children)))
    if matched is not None:
        query = query.where(or_(Topic.id.in_(matched), Topic.id.in_(parent_ids)))
    if f.sort == "title":
        query = query.order_by(func.lower(Topic.title), Topic.id)
    elif f.sort == "updated":
        query = query.order_by(Topic.updated_at.desc(), Topic.id)
    else:
        query = query.order_by(Topic.priority, func.lower(Topic.title), Topic.id)
    rows = []
    for topic in db.session.scalars(query):
        children = list(topic.children) if matched is None else [c for c in topic.children if c.id in matched]
        rows.append(TopicRow(topic, children, matched is None or topic.id in matched))
    return rows


def last_changed(topic: Topic) -> dt.datetime:
    """When the topic last changed: an edit, a status change or a note."""
    return max(topic.updated_at, topic.status_changed_at)


# --- the status workflow -----------------------------------------------------------------------------------------

def topics_with_status(status: TopicStatus) -> int:
    return db.session.scalar(select(func.count()).select_from(Topic).where(Topic.status_id == status.id)) or 0


def _clean_status(status: TopicStatus | None, name: str, name_en: str, description: str) -> tuple[str, str, str]:
    name, name_en = " ".join((name or "").split()), " ".join((name_en or "").split())
    description = (description or "").strip()
    problems = text_problems(name, _l("Name"), "name", limit=MAX_STATUS_NAME, missing=_l("Give the status a name."))
    problems += text_problems(name_en, _l("English name"), "name_en", limit=MAX_STATUS_NAME)
    problems += text_problems(description, _l("Description"), "description", limit=MAX_STATUS_DESCRIPTION)
    others = [s for s in statuses() if s is not status]
    if name and any(name.casefold() == s.name.casefold() for s in others):
        problems.append(_problem(_l("Name"), _l("There is a status with this name already."), "name"))
    if name_en and any(name_en.casefold() == (s.name_en or "").casefold() for s in others):
        problems.append(_problem(_l("English name"), _l("There is a status with this English name already."),
                                 "name_en"))
    if problems:
        raise ValidationFailed(problems)
    return name, name_en, description


def create_status(actor: Actor, *, name: str, name_en: str = "", description: str = "",
                  closed: bool = False) -> TopicStatus:
    """A new status at the end of the workflow."""
    name, name_en, description = _clean_status(None, name, name_en, description)
    last = db.session.scalar(select(func.max(TopicStatus.position)))
    status = TopicStatus(name=name, name_en=name_en, description=description, closed=bool(closed),
                         position=(last if last is not None else -1) + 1)
    db.session.add(status)
    db.session.flush()
    record(actor, "lobby.status.create", "topic_status", status.id, after=snapshot(status, STATUS_FIELDS),
           only_changes=False)
    return status


def update_status(actor: Actor, status: TopicStatus, *, name: str, name_en: str = "", description: str = "",
                  closed: bool = False) -> TopicStatus:
    name, name_en, description = _clean_status(status, name, name_en, description)
    before = snapshot(status, STATUS_FIELDS)
    status.name, status.name_en, status.description, status.closed = name, name_en, description, bool(closed)
    record(actor, "lobby.status.update", "topic_status", status.id, before=before,
           after=snapshot(status, STATUS_FIELDS))
    return status


def move_status(actor: Actor, status: TopicStatus, offset: int) -> bool:
    """One place up (-1) or down (+1) in the workflow; False at either end. Positions become 0..n-1."""
    order = _move(statuses(), status, offset)
    if order is None:
        return False
    record(actor, "lobby.status.move", "topic_status", status.id, before={"order": order[0]},
           after={"order": order[1]}, only_changes=False)
    return True


def delete_status(actor: Actor, status: TopicStatus) -> None:
    """Remove a status nobody uses; the last status stays (every topic needs one)."""
    used = topics_with_status(status)
    if used:
        raise ValidationFailed([_problem(status.name, lazy_ngettext(
            "%(num)d topic has this status; give it another status first.",
            "%(num)d topics have this status; give them another status first.", used))])
    if len(statuses()) <= 1:
        raise ValidationFailed([_problem(status.name, _l("The last status cannot be removed: every topic needs "
                                                         "a status."))])
    record(actor, "lobby.status.delete", "topic_status", status.id, before=snapshot(status, STATUS_FIELDS),
           only_changes=False)
    db.session.delete(status)
    db.session.flush()
    for position, each in enumerate(statuses()):
        each.position = position


def restore_default_statuses(actor: Actor) -> list[TopicStatus]:
    """The default workflow, when the team has no status at all (else nothing changes); the statuses added."""
    if statuses():
        return []
    ensure_defaults()
    added = statuses()
    for status in added:
        record(actor, "lobby.status.create", "topic_status", status.id, after=snapshot(status, STATUS_FIELDS),
               only_changes=False, summary=str(_l("the default workflow")))
    return added

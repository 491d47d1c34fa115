"""Coverage: where the campaign has a reason to be (members, a Cultuurwijzer edition) and an active coordinator.

Per province: how many municipalities there are, how many have member organisations, a Cultuurwijzer
edition (any edition of the newest election: an edition in the making is a reason to recruit too), an
active coordinator; the recruitment target and the progress towards it (municipalities with an active
coordinator against the target); and the municipalities that still need a coordinator (members or an
edition, but no active coordinator).

Computed from five queries whatever the number of municipalities: the municipalities, and the ids of those
with members, with an edition and with an active coordinator, and the targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.core.audit import Actor, record
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.models import Election, Municipality, Organisation
from campaign.coordinators.assignment import active_assignments
from campaign.coordinators.models import Assignment, RecruitmentTarget
from campaign.cultuurwijzer.models import Edition
from campaign.extensions import db


@dataclass
class ProvinceCoverage:
    province: str
    municipalities: int = 0
    with_members: int = 0
    with_edition: int = 0
    with_active: int = 0
    target: int = 0
    still_needed: list[Municipality] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return self.target > 0 and self.with_active >= self.target

    @property
    def progress_value(self) -> int:
        """For a <progress max=target>: never beyond the target."""
        return min(self.with_active, self.target)


def _ids(query) -> set[int]:
    return set(db.session.scalars(query))


def newest_election() -> Election | None:
    return db.session.scalar(select(Election).order_by(Election.date.desc(), Election.id.desc()).limit(1))


def active_municipality_ids() -> set[int]:
    return _ids(active_assignments(Assignment.municipality_id).distinct())


def coverage() -> list[ProvinceCoverage]:
    """Every province with at least one municipality, alphabetically."""
    municipalities = list(db.session.scalars(select(Municipality).order_by(Municipality.province, Municipality.name)))
    members = _ids(select(Organisation.municipality_id).where(Organisation.member,
                                                              Organisation.municipality_id.is_not(None)).distinct())
    election = newest_election()
    editions = _ids(select(Edition.municipality_id).where(Edition.election_id == election.id)) if election else set()
    active = active_municipality_ids()
    targets = {t.province: t.target for t in db.session.scalars(select(RecruitmentTarget))}

    result: dict[str, ProvinceCoverage] = {}
    for m in municipalities:
        row = result.setdefault(m.province, ProvinceCoverage(m.province, target=targets.get(m.province, 0)))
        row.municipalities += 1
        row.with_members += m.id in members
        row.with_edition += m.id in editions
        row.with_active += m.id in active
        if (m.id in members or m.id in editions) and m.id not in active:
            row.still_needed.append(m)
    return list(result.values())


def _problem(message) -> ValidationFailed:
    return ValidationFailed([Problem(str(_l("Target")), str(message), "target")])


def set_target(actor: Actor, province: str, target: int | None) -> RecruitmentTarget:
    """Set how many municipalities of a province should have an active coordinator (0 up to all of them)."""
    count = db.session.scalar(select(func.count(Municipality.id)).where(Municipality.province == province)) or 0
    if count == 0:
        raise ValidationFailed([Problem(str(_l("Province")), str(_l("There is no province called %(name)s.",
                                                                    name=province)), "province")])
    if target is None or target < 0 or target > count:
        raise _problem(_l("Enter a whole number from 0 to %(count)d (the number of municipalities in %(province)s).",
                          count=count, province=province))
    row = db.session.get(RecruitmentTarget, province)
    before = row.target if row is not None else None
    if row is None:
        row = RecruitmentTarget(province=province, target=target)
        db.session.add(row)
    else:
        row.target = target
    record(actor, "recruitment_target.set", "recruitment_target", province,
           before={"target": before}, after={"target": target})
    return row

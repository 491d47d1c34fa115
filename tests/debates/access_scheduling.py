"""Who may use the scheduling routes (see tests/core/test_access_matrix.py): the campaign team and coordinators
(a coordinator only for the debates of their own municipalities: others answer 404)."""

from __future__ import annotations

ACCESS = {
    "debates_admin.index": "staff",
    "debates_admin.new": "staff",
    "debates_admin.debate": "staff",
    "debates_admin.edit": "staff",
    "debates_admin.check": "staff",
    "debates_admin.review": "staff",
    "debates_admin.confirm": "staff",
    "debates_admin.publish": "staff",
    "debates_admin.unpublish": "staff",
    "debates_admin.mark_held": "staff",
    "debates_admin.cancel": "staff",
    "debates_admin.slots": "staff",
}


def _debate(db_session) -> int:
    """A draft debate in Utrecht (GM0344) in an active venue there, ten days ahead at 20:00; the first such one if
    it exists already."""
    import datetime as dt

    from sqlalchemy import select

    from campaign.core.models import Election, utcnow
    from campaign.debates.models import Debate, Venue
    from tests.factories import create_places

    places = create_places(db_session)
    found = db_session.scalar(select(Debate).where(Debate.municipality_id == places["GM0344"].id,
                                                   Debate.status == "draft").order_by(Debate.id))
    if found is not None:
        return found.id
    election = db_session.scalar(select(Election).order_by(Election.id)) or Election(
        slug="access-2027", name="Toegangsverkiezing (fictief)", date=(utcnow() + dt.timedelta(days=90)).date())
    venue = db_session.scalar(select(Venue).where(Venue.municipality_id == places["GM0344"].id,
                                                  Venue.status == "active").order_by(Venue.id)) or Venue(
        municipality=places["GM0344"], name="Muziekschool Utrecht, kleine zaal", street="Lucasbolwerk 1",
        postcode="3512 EG", city="Utrecht", capacity=80, status="active")
    starts_at = (utcnow() + dt.timedelta(days=10)).replace(hour=19, minute=0, second=0, microsecond=0)
    debate = Debate(kind="public_debate", title="Debat over cultuuronderwijs (toegangstest)", election=election,
                    municipality=places["GM0344"], venue=venue, starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2), capacity=50, status="draft")
    db_session.add(debate)
    db_session.commit()
    return debate.id


URL_VALUES = {"debate_id": _debate}

"""Who may use the venue routes (see tests/core/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

ACCESS = {
    "debates_admin.venues": "staff",
    "debates_admin.new_venue": "staff",
    "debates_admin.venue": "staff",
    "debates_admin.edit_venue": "staff",
    "debates_admin.add_window": "staff",
    "debates_admin.remove_window": "staff",
    "debates_admin.add_closure": "staff",
    "debates_admin.remove_closure": "staff",
    "debates_admin.accept_venue": "editor",
    "debates_admin.decline_venue": "editor",
    "debates_admin.withdraw_venue": "staff",
}


def _venue(db_session):
    """An active venue in Utrecht (GM0344), with a window and a closure; the first one there if any exists."""
    from sqlalchemy import select

    from campaign.debates.models import Venue, VenueClosure, VenueWindow
    from tests.factories import create_places

    places = create_places(db_session)
    found = db_session.scalar(select(Venue).where(Venue.municipality_id == places["GM0344"].id).order_by(Venue.id))
    if found is None:
        found = Venue(municipality=places["GM0344"], name="Muziekschool Utrecht, grote zaal", street="Lucasbolwerk 1",
                      postcode="3512 EG", city="Utrecht", capacity=150, status="active")
        db_session.add(found)
    if not found.windows:
        found.windows.append(VenueWindow(weekday=1, opens=dt.time(19), closes=dt.time(23)))
    if not found.closures:
        found.closures.append(VenueClosure(first_day=dt.date(2030, 7, 20), last_day=dt.date(2030, 8, 31),
                                           reason="zomervakantie"))
    db_session.commit()
    return found


URL_VALUES = {
    "venue_id": lambda db_session: _venue(db_session).id,
    "window_id": lambda db_session: _venue(db_session).windows[0].id,
    "closure_id": lambda db_session: _venue(db_session).closures[0].id,
}

"""Who may use the registration routes (see tests/core/test_access_matrix.py): the campaign team and
coordinators (a coordinator only for the debates of their own municipalities: others answer 404)."""

from __future__ import annotations

ACCESS = {
    "debates_admin.registrations": "staff",
    "debates_admin.registrations_csv": "staff",
    "debates_admin.registrations_print": "staff",
    "debates_admin.check_in": "staff",
    "debates_admin.undo_check_in": "staff",
}


def _registration(db_session) -> int:
    """A registration with a seat for the debate that ``debate_id`` names; the first one if it exists."""
    from campaign.debates.models import Debate, Registration
    from tests.debates.access_scheduling import _debate

    debate = db_session.get(Debate, _debate(db_session))
    if not debate.registrations:
        debate.registrations.append(Registration(name="Toegang Test", email="toegang@example.org", seats=2,
                                                 status="confirmed"))
        db_session.commit()
    return debate.registrations[0].id


URL_VALUES = {"registration_id": _registration}

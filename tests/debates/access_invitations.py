"""Who may use the invitation routes (see tests/core/test_access_matrix.py): the campaign team and coordinators
(a coordinator only for the debates of their own municipalities: others answer 404)."""

from __future__ import annotations

ACCESS = {
    "debates_admin.invitations": "staff",
    "debates_admin.add_invitation": "staff",
    "debates_admin.send_invitation": "staff",
    "debates_admin.remove_invitation": "staff",
}


def _invitation(db_session) -> int:
    """An invitation (with an address) to the debate that ``debate_id`` names; the first one if it exists."""
    from campaign.debates.models import Debate, Invitation
    from tests.debates.access_scheduling import _debate

    debate = db_session.get(Debate, _debate(db_session))
    if not debate.invitations:
        debate.invitations.append(Invitation(party_name="Alfa Partij (fictief)", contact_email="alfa@example.org"))
        db_session.commit()
    return debate.invitations[0].id


URL_VALUES = {"invitation_id": _invitation}

"""Who may use the pipeline board, application page, coverage and organisation routes
(see tests/core/test_access_matrix.py): coordinators may look (scoped), only editors and admins change."""

ACCESS = {
    "co_admin.board": "staff",
    "co_admin.application": "staff",
    "co_admin.move": "editor",
    "co_admin.notify": "editor",
    "co_admin.notes": "editor",
    "co_admin.assign": "editor",
    "co_admin.make_lead": "editor",
    "co_admin.end_assignment": "editor",
    "co_admin.coverage": "staff",
    "co_admin.set_target": "editor",
    "co_admin.organisations": "editor",
    "co_admin.new_organisation": "editor",
    "co_admin.edit_organisation": "editor",
}


def _application(db_session) -> int:
    """An accepted coordinator, lead in Utrecht (GM0344), so every assignment route has something to act on."""
    from tests.factories import ApplicationFactory

    return ApplicationFactory(db_session).create("accepted", municipalities=["GM0344"],
                                                 email="access-pipeline@example.org").id


def _code(db_session) -> str:
    from tests.factories import create_places

    create_places(db_session)
    return "GM0344"


def _organisation(db_session) -> int:
    from campaign.core.models import Organisation

    organisation = Organisation(name="Muziekschool Toegang", kind="music_school", member=True)
    db_session.add(organisation)
    db_session.commit()
    return organisation.id


URL_VALUES = {"application_id": _application, "code": _code, "organisation_id": _organisation}

"""Who may use the personal-data routes (see tests/core/test_access_matrix.py): editors and admins only."""

ACCESS = {
    "co_admin.privacy": "editor",
    "co_admin.export_person": "editor",
    "co_admin.erase_person": "editor",
    "co_admin.export_application": "editor",
    "co_admin.erase_application": "editor",
}


def _application(db_session) -> int:
    from tests.factories import ApplicationFactory

    return ApplicationFactory(db_session).create("verified", municipalities=["GM0344"]).id


URL_VALUES = {"application_id": _application}

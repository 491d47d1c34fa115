"""Who may use the training routes (see tests/core/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

ACCESS = {
    "co_admin.training": "editor",
    "co_admin.new_training_module": "editor",
    "co_admin.edit_training_module": "editor",
    "co_admin.new_training_session": "editor",
    "co_admin.edit_training_session": "editor",
    "co_admin.training_session": "editor",
    "co_admin.cancel_training_session": "editor",
    "co_admin.training_attendance": "editor",
    "co_admin.training_cancel_enrolment": "editor",
    "co_admin.training_record": "editor",
    "co_admin.training_complete": "editor",
    "co_admin.training_undo_completion": "editor",
    # The coordinator's own pages; staff without a coordinator record get an explanation.
    "workspace.training": "staff",
    "workspace.enrol": "staff",
    "workspace.cancel_enrolment": "staff",
    "workspace.session_ics": "staff",
}


def _session(db_session):
    from sqlalchemy import select

    from campaign.core.models import utcnow
    from campaign.coordinators.models import TrainingModule, TrainingSession

    found = db_session.scalar(select(TrainingSession).order_by(TrainingSession.id))
    if found is not None:
        return found
    module = TrainingModule(title="Lokaal lobbyen", required=True)
    start = utcnow() + dt.timedelta(days=7)
    session = TrainingSession(module=module, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=5)
    db_session.add(session)
    db_session.commit()
    return session


def _enrolment_id(db_session):
    from campaign.core.audit import Actor
    from campaign.coordinators.training import enrol

    from tests.factories import ApplicationFactory

    session = _session(db_session)
    if session.enrolments:
        return session.enrolments[0].id
    application = ApplicationFactory(db_session).create("in_training", email="trainee@example.org")
    enrolment = enrol(Actor.system("tests"), session, application)
    db_session.commit()
    return enrolment.id


def _application_id(db_session):
    from sqlalchemy import select

    from campaign.coordinators.models import Application

    found = db_session.scalar(select(Application).order_by(Application.id))
    if found is not None:
        return found.id
    from tests.factories import ApplicationFactory

    return ApplicationFactory(db_session).create("in_training", email="record@example.org").id


URL_VALUES = {
    "module_id": lambda db_session: _session(db_session).module_id,
    "session_id": lambda db_session: _session(db_session).id,
    "enrolment_id": _enrolment_id,
    "application_id": _application_id,
}

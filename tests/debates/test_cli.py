"""The debate commands for cron: marking ended debates as held."""

from __future__ import annotations

import datetime as dt

from campaign.cli import mark_debates_held_command
from campaign.core.models import utcnow
from tests.debates.conftest import local_evening


def test_mark_debates_held_marks_only_ended_published_debates(app, debates, db_session):
    ended = debates.create("published", starts_at=utcnow() - dt.timedelta(hours=3), hours=2)
    running = debates.create("published", starts_at=utcnow() - dt.timedelta(hours=1), hours=2)
    upcoming = debates.create("published", starts_at=local_evening(5))
    draft_in_past = debates.create("draft", starts_at=utcnow() - dt.timedelta(days=2))
    ids = [d.id for d in (ended, running, upcoming, draft_in_past)]

    result = app.test_cli_runner().invoke(mark_debates_held_command, [])
    assert result.exit_code == 0, result.output
    assert result.output.strip() in ("1 debat als gehouden gemarkeerd.", "1 debate marked as held.")

    db_session.expire_all()
    from campaign.debates.models import Debate

    assert [db_session.get(Debate, i).status for i in ids] == ["held", "published", "published", "draft"]
    again = app.test_cli_runner().invoke(mark_debates_held_command, [])
    assert again.output.strip() in ("0 debatten als gehouden gemarkeerd.", "0 debates marked as held.")

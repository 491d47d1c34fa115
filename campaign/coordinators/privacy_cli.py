"""``campaign purge [--dry-run]``: remove personal data past its retention period (run it daily from cron).

The output names ids and numbers only, never names or addresses, so a cron mail or a log may keep it.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from campaign.core.models import utcnow
from campaign.extensions import db


def _ids(ids: list[int]) -> str:
    return " ({})".format(_("ids %(ids)s", ids=", ".join(str(i) for i in ids))) if ids else ""


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only report what would be removed; change nothing.")
@with_appcontext
def purge_command(dry_run: bool):
    """Remove rejected, withdrawn and unverified applications, answered questions and debate registrants'
    names and addresses past their retention."""
    from campaign.coordinators.privacy import purge
    from campaign.debates.privacy import purge_registrations

    now = utcnow()
    report = purge(now, dry_run=dry_run)
    registrations = purge_registrations(now, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    config = current_app.config
    removed = _("would be removed") if dry_run else _("removed")
    anonymised = _("would be anonymised") if dry_run else _("anonymised")
    lines = [
        (_("Rejected or withdrawn applications older than %(days)d days", days=config["APPLICATION_RETENTION_DAYS"]),
         report.closed_applications, removed),
        (_("Unverified applications whose verification link expired"), report.unverified_applications, removed),
        (_("Answered questions older than %(days)d days", days=config["QUESTION_RETENTION_DAYS"]),
         report.questions, removed),
        (_("Accounts of removed coordinators"), report.accounts, anonymised),
    ]
    if dry_run:
        click.echo(_("Dry run: nothing is changed."))
    for label, ids, verb in lines:
        click.echo(f"{label}: {len(ids)} {verb}{_ids(ids)}")
    debates = registrations.debates
    label = _("Registrants of debates that ended more than %(days)d days ago",
              days=config["DEBATE_REGISTRATION_RETENTION_DAYS"])
    where = " ({})".format(_("debate ids %(ids)s", ids=", ".join(str(i) for i in debates))) if debates else ""
    click.echo(f"{label}: {registrations.registrations} {anonymised}{where}")

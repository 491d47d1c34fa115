"""``campaign send-reminders``: mail people with a seat in a training session or a debate that starts soon
(for cron; one line serves both).

Each person is reminded once per session or debate (``reminded_at``), so running the command every hour, or
twice by accident, sends nothing twice. A session moved to a new time reminds again.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext

from campaign.core.audit import Actor
from campaign.coordinators import training
from campaign.extensions import db


@click.command("send-reminders")
@click.option("--hours", type=click.IntRange(min=1), default=None,
              help="Remind for sessions starting within this many hours (default: REMINDER_HOURS_BEFORE, 48).")
@click.option("--debate-hours", type=click.IntRange(min=1), default=None,
              help="Remind registrants of debates starting within this many hours (default: "
                   "DEBATE_REMINDER_HOURS_BEFORE, 24).")
@click.option("--dry-run", is_flag=True, help="Only say how many reminders would go out; send and change nothing.")
@with_appcontext
def send_reminders_command(hours: int | None, debate_hours: int | None, dry_run: bool):
    """Mail a reminder with a calendar file to everyone with a seat in a training session or a debate starting
    soon."""
    from campaign.debates import registration

    hours = hours or current_app.config["REMINDER_HOURS_BEFORE"]
    debate_hours = debate_hours or current_app.config["DEBATE_REMINDER_HOURS_BEFORE"]
    if dry_run:
        count = len(training.due_reminders(hours))
        debate_count = len(registration.due_reminders(debate_hours))
        db.session.rollback()
        click.echo(ngettext("%(num)d reminder would be sent for sessions starting within %(hours)d hours (dry run: "
                            "nothing sent).", "%(num)d reminders would be sent for sessions starting within "
                            "%(hours)d hours (dry run: nothing sent).", count, hours=hours))
        click.echo(ngettext("%(num)d reminder would be sent for debates starting within %(hours)d hours (dry run: "
                            "nothing sent).", "%(num)d reminders would be sent for debates starting within "
                            "%(hours)d hours (dry run: nothing sent).", debate_count, hours=debate_hours))
        return
    actor = Actor.system("send-reminders")
    count = training.send_reminders(actor, hours=hours)
    debate_count = registration.send_reminders(actor, debate_hours)
    db.session.commit()
    click.echo(ngettext("%(num)d reminder sent for sessions starting within %(hours)d hours.",
                        "%(num)d reminders sent for sessions starting within %(hours)d hours.", count, hours=hours))
    click.echo(ngettext("%(num)d reminder sent for debates starting within %(hours)d hours.",
                        "%(num)d reminders sent for debates starting within %(hours)d hours.", debate_count,
                        hours=debate_hours))

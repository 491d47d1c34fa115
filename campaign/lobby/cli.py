"""``campaign import-figures FILE``: import local figures from a CSV, as the upload on /beheer/lobby/cijfers does
(all-or-nothing; exit status 1 naming every bad line)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from campaign.core.audit import Actor
from campaign.core.errors import ValidationFailed
from campaign.extensions import db


@click.command("import-figures")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_figures_command(path: Path):
    """Import local figures from a CSV (municipality_code,figure,year,value,source); all-or-nothing."""
    from campaign.cli import _fail
    from campaign.lobby.figures import MAX_BYTES, import_figures, import_summary, parse_figures_csv

    with path.open("rb") as file:
        raw = file.read(MAX_BYTES + 1)
    try:
        result = import_figures(Actor.system("import-figures"), parse_figures_csv(raw, path.name), path.name)
    except ValidationFailed as exc:
        db.session.rollback()
        _fail(exc, path.name)
    db.session.commit()
    click.echo(_("%(file)s imported: %(summary)s.", file=path.name, summary=import_summary(result)))

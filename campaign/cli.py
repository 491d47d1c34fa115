"""The ``campaign`` command: Flask's own commands plus ours (init-db, demo, import/export)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.config import PROJECT_ROOT
from campaign.core.errors import ValidationFailed

DEMO_MUNICIPALITIES = PROJECT_ROOT / "data" / "municipalities.csv"
DEMO_EDITIONS = PROJECT_ROOT / "data" / "parties"


def _report(exc: ValidationFailed, source: str) -> None:
    """Every problem of one input, under a line saying that nothing of it was written."""
    click.echo(click.style(_("%(source)s: nothing was imported:", source=source), fg="red"), err=True)
    for problem in exc.problems:
        click.echo(f"  {problem}", err=True)


def _fail(exc: ValidationFailed, source: str) -> None:
    _report(exc, source)
    sys.exit(1)


def _upgrade() -> None:
    from flask_migrate import upgrade

    upgrade(directory=str(PROJECT_ROOT / "migrations"))


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or migrate the database schema to the newest revision."""
    _upgrade()
    click.echo(_("Database at head: %(url)s", url=current_app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]))


@click.command("import-municipalities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_municipalities_command(path: Path):
    """Import municipalities from a CSV in CBS's layout (GemeentecodeGM;Gemeentenaam;...;Provincienaam)."""
    from campaign.core.municipalities import import_municipalities, parse_municipalities_csv

    try:
        rows = parse_municipalities_csv(path.read_text(encoding="utf-8-sig"), source=path.name)
    except ValidationFailed as exc:
        _fail(exc, path.name)
    created, updated = import_municipalities(rows)
    click.echo(_("%(count)d municipalities: %(created)d new, %(updated)d updated.", count=len(rows),
                 created=created, updated=updated))


@click.command("import-edition")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--status", type=click.Choice(["draft", "open", "review", "published", "archived"]),
              help="Override the status given in the file (default: the file's, else published).")
@with_appcontext
def import_edition_command(paths: tuple[Path, ...], status: str | None):
    """Import Cultuurwijzer edition file(s); each file is all-or-nothing."""
    from campaign.cultuurwijzer.editions import import_edition_file

    failed = False
    for path in paths:
        try:
            edition, changed = import_edition_file(path, status=status)
        except ValidationFailed as exc:
            _report(exc, path.name)
            failed = True
            continue
        state = _("revision %(number)d", number=edition.revision) if changed else _("unchanged")
        click.echo(_("%(file)s: edition %(id)s (%(status)s, %(statements)d statements, %(parties)d parties), "
                     "%(state)s.", file=path.name, id=edition.id, status=edition.status,
                     statements=len(edition.statements), parties=len(edition.parties), state=state))
    if failed:
        sys.exit(1)


@click.command("export-edition")
@click.argument("edition_ids", nargs=-1)
@click.option("--all", "export_all", is_flag=True, help="Export every edition.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="A file (one edition) or a directory (several); default: standard output.")
@with_appcontext
def export_edition_command(edition_ids: tuple[str, ...], export_all: bool, output: Path | None):
    """Write editions in the data/parties format (what import-edition reads)."""
    from campaign.cultuurwijzer.editions import dump_edition
    from campaign.cultuurwijzer.models import Edition
    from campaign.extensions import db

    if export_all:
        editions = list(db.session.scalars(select(Edition).order_by(Edition.id)))
    else:
        if not edition_ids:
            raise click.UsageError(_("name one or more edition ids, or --all"))
        editions = []
        for edition_id in edition_ids:
            edition = db.session.get(Edition, edition_id)
            if edition is None:
                raise click.BadParameter(_("no edition %(id)r", id=edition_id), param_hint="EDITION_IDS")
            editions.append(edition)
    if output is None:
        for edition in editions:
            click.echo(dump_edition(edition), nl=False)
    elif len(editions) == 1 and not output.is_dir() and output.suffix == ".json":
        output.write_text(dump_edition(editions[0]), encoding="utf-8")
        click.echo(_("Wrote %(path)s", path=output))
    else:
        output.mkdir(parents=True, exist_ok=True)
        for edition in editions:
            target = output / f"{edition.id}.json"
            target.write_text(dump_edition(edition), encoding="utf-8")
            click.echo(_("Wrote %(path)s", path=target))


@click.command("demo")
@with_appcontext
def demo_command():
    """Migrate, then load the fictional demo data (municipalities and editions). Running it twice changes nothing."""
    from campaign.core.municipalities import import_municipalities, parse_municipalities_csv
    from campaign.cultuurwijzer.editions import import_edition_file

    _upgrade()
    rows = parse_municipalities_csv(DEMO_MUNICIPALITIES.read_text(encoding="utf-8-sig"),
                                    source=DEMO_MUNICIPALITIES.name)
    created, updated = import_municipalities(rows)
    click.echo(_("%(count)d municipalities: %(created)d new, %(updated)d updated.", count=len(rows),
                 created=created, updated=updated))
    for path in sorted(DEMO_EDITIONS.glob("*.json")):
        try:
            edition, changed = import_edition_file(path)
        except ValidationFailed as exc:
            _fail(exc, path.name)
        state = _("loaded") if changed else _("unchanged")
        click.echo(_("Edition %(id)s: %(state)s (fictional demo data).", id=edition.id, state=state))


def register_commands(app) -> None:
    for command in (init_db_command, import_municipalities_command, import_edition_command,
                    export_edition_command, demo_command):
        app.cli.add_command(command)


def main() -> None:
    from campaign import create_app

    FlaskGroup(create_app=create_app, help="Campagnekit command line.")()

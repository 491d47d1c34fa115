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
from campaign.core.models import ROLES

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


def _load_municipalities(path: Path) -> None:
    """Upsert the municipalities of a CBS-layout CSV and say how many; exits 1 naming every bad line."""
    from campaign.core.municipalities import import_municipalities, parse_municipalities_csv

    try:
        rows = parse_municipalities_csv(path.read_text(encoding="utf-8-sig"), source=path.name)
    except ValidationFailed as exc:
        _fail(exc, path.name)
    created, updated = import_municipalities(rows)
    click.echo(_("%(count)d municipalities: %(created)d new, %(updated)d updated.", count=len(rows),
                 created=created, updated=updated))


@click.command("import-municipalities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_municipalities_command(path: Path):
    """Import municipalities from a CSV in CBS's layout (GemeentecodeGM;Gemeentenaam;...;Provincienaam)."""
    _load_municipalities(path)


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
    from campaign.cultuurwijzer.editions import import_edition_file

    _upgrade()
    _load_municipalities(DEMO_MUNICIPALITIES)
    for path in sorted(DEMO_EDITIONS.glob("*.json")):
        try:
            edition, changed = import_edition_file(path)
        except ValidationFailed as exc:
            _fail(exc, path.name)
        state = _("loaded") if changed else _("unchanged")
        click.echo(_("Edition %(id)s: %(state)s (fictional demo data).", id=edition.id, state=state))
    _demo_accounts()
    from campaign.coordinators.demo import load_demo

    if load_demo():
        click.echo(_("Coordinators: fictional organisations, applications, training, checklist and knowledge base loaded."))
    from campaign.debates.demo import load_demo as load_debates_demo

    if load_debates_demo():
        click.echo(_("Debates: a fictional election, venues, published debates with invited parties and a draft "
                     "with a conflict loaded."))
    from campaign.lobby.demo import load_demo as load_lobby_demo

    if load_lobby_demo():
        click.echo(_("Lobby: fictional topics, parties, input with stances and next steps, local figures and answer "
                     "counts loaded."))


# Fictional accounts for trying the back office; `campaign demo` is for demo databases only.
DEMO_PASSWORD = "demo-wachtwoord"
DEMO_ACCOUNTS = (
    ("beheer@demo.invalid", "Demo Beheerder", "admin", ()),
    ("redactie@demo.invalid", "Demo Redacteur", "editor", ()),
    ("coordinator@demo.invalid", "Demo Coördinator", "coordinator", ("GM0344",)),
)


def _demo_accounts() -> None:
    from campaign.core.accounts import create_user, find_user
    from campaign.core.audit import Actor
    from campaign.extensions import db

    for email, name, role, municipalities in DEMO_ACCOUNTS:
        if find_user(email) is None:
            create_user(Actor.system("campaign demo"), email=email, name=name, role=role, password=DEMO_PASSWORD,
                        municipality_codes=list(municipalities))
    db.session.commit()
    click.echo(_("Demo accounts (password %(password)s): %(emails)s", password=DEMO_PASSWORD,
                 emails=", ".join(email for email, *_rest in DEMO_ACCOUNTS)))


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name, shown in the audit log.")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for when left out (not echoed).")
@click.option("--municipality", "municipalities", multiple=True, metavar="GM0000",
              help="A coordinator's municipality (repeat the option for more).")
@with_appcontext
def create_user_command(email: str, name: str, role: str, password: str, municipalities: tuple[str, ...]):
    """Create a staff account (the first admin, for instance)."""
    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.extensions import db

    try:
        user = create_user(Actor.system("command line"), email=email, name=name, role=role, password=password,
                           municipality_codes=list(municipalities))
    except ValidationFailed as exc:  # raised before anything is written
        _fail(exc, email)
    db.session.commit()
    click.echo(_("Account %(email)s created with role %(role)s.", email=user.email, role=role))


@click.command("mark-debates-held")
@with_appcontext
def mark_debates_held_command():
    """Mark every published debate that has ended as held (for cron, e.g. nightly)."""
    from flask_babel import ngettext

    from campaign.core.audit import Actor
    from campaign.debates.scheduling import mark_past_held
    from campaign.extensions import db

    count = mark_past_held(Actor.system("mark-debates-held"))
    db.session.commit()
    click.echo(ngettext("%(num)d debate marked as held.", "%(num)d debates marked as held.", count))


def register_commands(app) -> None:
    from campaign.coordinators.privacy_cli import purge_command
    from campaign.coordinators.training_cli import send_reminders_command
    from campaign.lobby.cli import import_figures_command

    for command in (init_db_command, import_municipalities_command, import_edition_command,
                    export_edition_command, demo_command, create_user_command, purge_command,
                    send_reminders_command, mark_debates_held_command, import_figures_command):
        app.cli.add_command(command)


def main() -> None:
    from campaign import create_app

    FlaskGroup(create_app=create_app, help="Campagnekit command line.")()

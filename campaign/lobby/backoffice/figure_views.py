"""Local figures in the back office (/beheer/lobby/cijfers): the kinds of figures the team collects, adding and
changing them, importing figures from a CSV (all-or-nothing, every problem by line and column) and an example
file to start from. The figures themselves show in each municipality's dossier."""

from __future__ import annotations

from pathlib import PurePath

from flask import render_template, url_for
from flask_babel import gettext as _

from campaign.core.access import current_actor
from campaign.core.audit import history
from campaign.core.forms import form_status, run_change, save_form
from campaign.extensions import db
from campaign.lobby import figures as domain
from campaign.lobby.blueprints import lobby
from campaign.lobby.common import csv_download, lobby_team
from campaign.lobby.figure_forms import FigureKindForm, FiguresUploadForm
from campaign.lobby.labels import own_name
from campaign.lobby.models import FigureKind

FIGURES = "lobby/figures/figures.html"
KIND_FORM = "lobby/figures/kind_form.html"

# For the dossier's figures (templates/lobby/_figures.html): a value with its kind's decimals and unit.
lobby.add_app_template_global(domain.format_figure, "lobby_figure_value")


def _figures_page(form: FiguresUploadForm | None = None, problems=(), status: int = 200):
    return render_template(FIGURES, kinds=domain.figure_kinds(), counts=domain.figure_counts(),
                           form=form or FiguresUploadForm(formdata=None), problems=list(problems),
                           max_lines=domain.MAX_LINES), status


@lobby.get("/cijfers")
@lobby_team
def figures():
    return _figures_page()


@lobby.post("/cijfers/importeren")
@lobby_team
def import_figures():
    form = FiguresUploadForm()
    if not form.validate_on_submit():
        return _figures_page(form, status=422)
    upload = form.file.data
    source = PurePath((upload.filename or "").replace("\\", "/")).name or "upload.csv"
    raw = upload.read(domain.MAX_BYTES + 1)

    def change():
        return domain.import_figures(current_actor(), domain.parse_figures_csv(raw, source), source)

    return run_change(change, lambda result: _("%(file)s imported: %(summary)s.", file=source,
                                               summary=domain.import_summary(result)),
                      url_for("lobby.figures"), lambda problems: _figures_page(form, problems, 422))


@lobby.get("/cijfers/voorbeeld.csv")
@lobby_team
def figures_example():
    return csv_download(domain.example_csv(), "lokale-cijfers-voorbeeld.csv", private=False)


def _kind_fields(form: FigureKindForm) -> dict:
    return {name: getattr(form, name).data for name in domain.KIND_FIELDS}


def _kind_page(form: FigureKindForm, kind: FigureKind | None = None):
    entries = history("figure_kind", kind.id) if kind is not None else []
    return render_template(KIND_FORM, form=form, kind=kind, history=entries), form_status(form)


@lobby.route("/cijfers/soorten/nieuw", methods=["GET", "POST"])
@lobby_team
def new_figure_kind():
    form = FigureKindForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.create_figure_kind(current_actor(), **_kind_fields(form)),
                          lambda kind: _("%(name)s added.", name=own_name(kind)), url_for("lobby.figures"))
        if saved:
            return saved
    return _kind_page(form)


@lobby.route("/cijfers/soorten/<int:kind_id>", methods=["GET", "POST"])
@lobby_team
def edit_figure_kind(kind_id: int):
    kind = db.get_or_404(FigureKind, kind_id)
    form = FigureKindForm(obj=kind)
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.update_figure_kind(current_actor(), kind, **_kind_fields(form)),
                          _("Saved."), url_for("lobby.figures"))
        if saved:
            return saved
    return _kind_page(form, kind)

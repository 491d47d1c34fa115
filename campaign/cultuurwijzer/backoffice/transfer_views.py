"""Import and export in the browser: upload, preview every change or every problem, confirm, download.

The preview page carries the uploaded file back (compressed, base64) in a hidden field; confirming checks
it again and applies it all-or-nothing, so nothing is kept on the server between the two steps.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from campaign.core.access import current_actor, role_required
from campaign.core.errors import ValidationFailed
from campaign.core.forms import form_status
from campaign.cultuurwijzer import transfer
from campaign.cultuurwijzer.backoffice import bp
from campaign.cultuurwijzer.backoffice.common import load_edition
from campaign.cultuurwijzer.editions import dump_edition
from campaign.cultuurwijzer.forms import ConfirmForm, UploadForm
from campaign.cultuurwijzer.models import Edition
from campaign.extensions import db


def pack(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode("ascii")


def unpack(text: str) -> bytes:
    """The uploaded bytes back from the hidden field; never more than an upload may hold."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(base64.urlsafe_b64decode(text), current_app.config["MAX_CONTENT_LENGTH"])
    except (binascii.Error, ValueError, zlib.error):
        abort(400)
    if inflater.unconsumed_tail:
        raise RequestEntityTooLarge()
    return raw


def _upload(edition: Edition | None, apply_url: str):
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read()
        try:
            plan = transfer.prepare_import(edition, raw, upload.filename or "")
        except ValidationFailed as exc:
            return _problems(edition, exc)
        confirm = ConfirmForm(content=pack(raw), filename=plan.source)
        return render_template("cultuurwijzer/admin/import_preview.html", edition=edition, plan=plan,
                               preview=plan.preview, form=confirm, apply_url=apply_url)
    return render_template("cultuurwijzer/admin/import.html", form=form, edition=edition,
                           locked=edition is not None and edition.status in transfer.LOCKED_STATUSES), \
        form_status(form)


def _problems(edition: Edition | None, exc: ValidationFailed):
    return render_template("cultuurwijzer/admin/import_preview.html", edition=edition,
                           problems=exc.problems), 422


def _apply(edition: Edition | None):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan = transfer.prepare_import(edition, unpack(form.content.data), form.filename.data)
        edition, changed = transfer.apply_import(current_actor(), plan)
    except ValidationFailed as exc:
        db.session.rollback()
        return _problems(edition, exc)
    db.session.commit()
    if changed:
        flash(_("Import applied: %(summary)s", summary=plan.preview.summary()))
    else:
        flash(_("The file matches the edition: nothing was changed."))
    return redirect(url_for("cw_admin.edition", edition_id=edition.id))


@bp.route("/edities/<edition_id>/import", methods=["GET", "POST"])
@role_required("editor")
def import_file(edition_id: str):
    edition = load_edition(edition_id)
    return _upload(edition, url_for("cw_admin.import_apply", edition_id=edition.id))


@bp.post("/edities/<edition_id>/import/toepassen")
@role_required("editor")
def import_apply(edition_id: str):
    return _apply(load_edition(edition_id))


@bp.route("/edities/import", methods=["GET", "POST"])
@role_required("editor")
def import_new():
    return _upload(None, url_for("cw_admin.import_new_apply"))


@bp.post("/edities/import/toepassen")
@role_required("editor")
def import_new_apply():
    return _apply(None)


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


@bp.get("/edities/<edition_id>/export.json")
@role_required("editor")
def export_json(edition_id: str):
    edition = load_edition(edition_id)
    return _download(dump_edition(edition), "application/json", f"{edition.id}.json")


@bp.get("/edities/<edition_id>/export.csv")
@role_required("editor")
def export_csv(edition_id: str):
    edition = load_edition(edition_id)
    return _download(transfer.export_positions_csv(edition), "text/csv", f"{edition.id}-positions.csv")

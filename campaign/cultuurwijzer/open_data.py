"""Open data: every published edition as an edition file (JSON) and a CSV of positions, under a licence.

The JSON is the edition-file format with one extra top-level key, ``licence``, which an import ignores:
a downloaded file can be imported again as it is. CSV has no place for a note, so every download names its
licence in an HTTP ``Link: <url>; rel="license"`` header. Like the statement pages, everything here is the
same for everybody and may be kept by browsers, proxies and CDNs, revalidated by ETag.
"""

from __future__ import annotations

import hashlib
from typing import Callable

from flask import Blueprint, Response, abort, current_app, make_response, render_template
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from campaign.core.i18n import current_language
from campaign.core.models import Election, Municipality
from campaign.cultuurwijzer.editions import dump_document, edition_to_dict
from campaign.cultuurwijzer.models import Edition
from campaign.cultuurwijzer.transfer import CSV_COLUMNS, export_positions_csv
from campaign.cultuurwijzer.views import cached_public
from campaign.extensions import db

bp = Blueprint("open_data", __name__, url_prefix="/open-data")


def licence() -> dict[str, str]:
    return {"name": current_app.config["OPEN_DATA_LICENCE"], "url": current_app.config["OPEN_DATA_LICENCE_URL"]}


def published_editions() -> list[Edition]:
    return list(db.session.scalars(
        select(Edition).join(Edition.election).join(Edition.municipality)
        .where(Edition.status == "published").order_by(Election.date.desc(), Municipality.name)
        .options(contains_eager(Edition.election), contains_eager(Edition.municipality))))


def _published(edition_id: str) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.status != "published":
        abort(404)
    return edition


def _download(edition: Edition, build: Callable[[], str], mimetype: str, filename: str) -> Response:
    response = cached_public(f"{filename}.{edition.revision}", lambda: Response(
        build(), mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}))
    response.headers["Link"] = f'<{licence()["url"]}>; rel="license"'
    response.access_control_allow_origin = "*"
    return response


@bp.get("/")
def index():
    editions = published_editions()
    versions = ";".join(f"{e.id}.{e.revision}" for e in editions)
    digest = hashlib.sha1(f"{versions}|{licence()}".encode()).hexdigest()[:16]
    etag = f"{digest}.{current_language()}.{current_app.config['ASSET_VERSION']}"
    return cached_public(etag, lambda: make_response(render_template("cultuurwijzer/open_data.html",
                                                                    editions=editions, licence=licence(),
                                                                    csv_columns=CSV_COLUMNS)))


@bp.get("/<edition_id>.json")
def edition_json(edition_id: str):
    edition = _published(edition_id)

    def document() -> str:
        doc = edition_to_dict(edition)
        return dump_document({"format": doc["format"], "id": doc["id"], "licence": licence(), **doc})

    return _download(edition, document, "application/json", f"{edition.id}.json")


@bp.get("/<edition_id>.csv")
def edition_csv(edition_id: str):
    edition = _published(edition_id)
    return _download(edition, lambda: export_positions_csv(edition), "text/csv", f"{edition.id}-positions.csv")

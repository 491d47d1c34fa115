"""Citizen pages of the Cultuurwijzer: start, statements (cacheable), result (answers in the URL), method."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.errors import ValidationFailed
from campaign.core.htmx import render_page_or_block
from campaign.core.models import MUNICIPALITY_CODE
from campaign.core.i18n import current_language
from campaign.cultuurwijzer import advice as service
from campaign.cultuurwijzer.method import worked_example

bp = Blueprint("cultuurwijzer", __name__, url_prefix="/cultuurwijzer")

ANSWER_PREFIX = "a."


def public_cache(response, etag: str):
    """Identical for everybody: let browsers, proxies and CDNs keep it, revalidated by ETag."""
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_CACHE_SECONDS"]
    response.vary.update(["Accept-Language", "Cookie"])
    return response


def cached_public(etag: str, build) -> Response:
    """What ``build()`` makes, or an empty 304 when the client holds this version already; public either way."""
    response = make_response("", 304) if request.if_none_match.contains(etag) else build()
    return public_cache(response, etag)


def _edition_or_404(code: str):
    if not MUNICIPALITY_CODE.match(code.upper()):
        abort(404)
    edition = service.published_edition(municipality_code=code)
    if edition is None:
        abort(404, description=_("There is no published Cultuurwijzer for this municipality."))
    return edition


@bp.get("/")
def start():
    query = request.args.get("q", "").strip()[:80]
    matches = service.search_municipalities(query, limit=400 if not query else 20)
    return render_page_or_block("cultuurwijzer/start.html", "results", query=query, matches=matches)


@bp.get("/methode")
def method():
    example = worked_example()
    return render_template("cultuurwijzer/method.html", example=example)


@bp.get("/<code>")
def statements(code: str):
    edition = _edition_or_404(code)
    etag = f"{edition.version}.{current_language()}.{current_app.config['ASSET_VERSION']}"
    return cached_public(etag, lambda: make_response(render_template("cultuurwijzer/statements.html",
                                                                     edition=edition)))


# Result URLs: a.<statement id>=agree…, important=<statement id>, party=<party id>.
URL_FIELDS = service.InputNames(answer_prefix=ANSWER_PREFIX, answers="", important="important", parties="party")


def parse_result_args(edition, args):
    answers = {key[len(ANSWER_PREFIX):]: value for key, value in args.items(multi=False)
               if key.startswith(ANSWER_PREFIX)}
    parties = args.getlist("party") or None
    return service.check_answers(edition, answers, args.getlist("important"), parties, URL_FIELDS)


@bp.get("/<code>/resultaat")
def result(code: str):
    edition_id = request.args.get("editie")
    if edition_id:
        edition = service.published_edition(edition_id=edition_id, municipality_code=code)
        if edition is None:
            abort(404, description=_("This advice belongs to an edition that is no longer published."))
    else:
        edition = _edition_or_404(code)
    try:
        answers = parse_result_args(edition, request.args)
    except ValidationFailed as exc:
        body = render_template("cultuurwijzer/invalid.html", edition=edition, problems=exc.problems)
        return body, 422
    advice = service.compute_advice(edition, answers)
    share_url = url_for("cultuurwijzer.result", code=edition.municipality_code, _external=True,
                        **request.args.to_dict(flat=False))
    response = make_response(render_template("cultuurwijzer/result.html", edition=edition, advice=advice,
                                             share_url=share_url))
    # The URL holds the answers: no shared cache may keep it.
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response

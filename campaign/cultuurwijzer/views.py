"""Citizen pages of the Cultuurwijzer: start, statements (cacheable), result (answers in the URL), method, and the
opt-in to share one's answers anonymously for research."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.errors import ValidationFailed
from campaign.core.forms import PublicForm, configured_limit
from campaign.core.htmx import render_page_or_block
from campaign.core.models import MUNICIPALITY_CODE
from campaign.core.i18n import current_language
from campaign.cultuurwijzer import advice as service
from campaign.cultuurwijzer import statistics
from campaign.cultuurwijzer.method import worked_example
from campaign.extensions import csrf, db, limiter

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


# Set on the result URL after a citizen shared their answers: the page thanks them instead of asking again.
SHARED_FLAG = "gedeeld"


def _result_edition(code: str):
    """The edition a result URL names (``editie``: an advice made with an earlier edition), or 404."""
    edition_id = request.args.get("editie")
    if edition_id:
        edition = service.published_edition(edition_id=edition_id, municipality_code=code)
        if edition is None:
            abort(404, description=_("This advice belongs to an edition that is no longer published."))
        return edition
    return _edition_or_404(code)


def _invalid(edition, exc: ValidationFailed):
    return render_template("cultuurwijzer/invalid.html", edition=edition, problems=exc.problems), 422


def _result_args() -> dict:
    """The result URL's parameters (answers, edition) without the thank-you flag: what a shared link holds."""
    args = request.args.to_dict(flat=False)
    args.pop(SHARED_FLAG, None)
    return args


@bp.get("/<code>/resultaat")
def result(code: str):
    edition = _result_edition(code)
    try:
        answers = parse_result_args(edition, request.args)
    except ValidationFailed as exc:
        return _invalid(edition, exc)
    advice = service.compute_advice(edition, answers)
    args = _result_args()
    share_url = url_for("cultuurwijzer.result", code=edition.municipality_code, _external=True, **args)
    # The opt-in form: no CSRF token, which would set a session cookie (see share_answers).
    response = make_response(render_template(
        "cultuurwijzer/result.html", edition=edition, advice=advice, share_url=share_url,
        answers_query=urlencode(args, doseq=True), shared=request.args.get(SHARED_FLAG) == "1",
        share_form=PublicForm(formdata=None, meta={"csrf": False}),
        share_action=url_for("cultuurwijzer.share_answers", code=edition.municipality_code, **args)))
    # The URL holds the answers: no shared cache may keep it.
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


@bp.post("/<code>/delen")
@limiter.limit(configured_limit("ANSWER_STATS_RATE_LIMIT"))
def share_answers(code: str):
    """The citizen's opt-in: count the answers of the result URL (its query string) in the edition's anonymous
    statistics, then back to the result, which thanks them. Nothing else is stored: no audit entry, no cookie."""
    edition = _result_edition(code)
    try:
        answers = parse_result_args(edition, request.args)
    except ValidationFailed as exc:
        return _invalid(edition, exc)
    if not PublicForm(meta={"csrf": False}).caught_spam():  # a bot gets the same thanks, and nothing is counted
        statistics.share_answers(edition, answers)
        db.session.commit()
    args = _result_args() | {SHARED_FLAG: "1"}
    return redirect(url_for("cultuurwijzer.result", code=edition.municipality_code, _anchor="delen", **args), 303)


# No CSRF token here: the result page sets no cookie (a token needs the session cookie), and a forged request
# could do no more than the citizen's own click: add one anonymous set of counts, changing nobody's state. The
# honeypot and the rate limit keep bots and floods out.
csrf.exempt(share_answers)

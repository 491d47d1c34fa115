"""A party representative's own form, reached through the personal link the editors sent.

The token in the URL is the only credential: it is checked on every request, reaches exactly one party
of one edition, and the page is never cached or sent on as a referrer.
"""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.errors import ValidationFailed
from campaign.core.security import private_page
from campaign.cultuurwijzer import submissions
from campaign.cultuurwijzer.editions import MAX_EXPLANATION
from campaign.cultuurwijzer.models import POSITION_NAMES
from campaign.extensions import db

bp = Blueprint("party", __name__, url_prefix="/partij")


@bp.route("/<token>", methods=["GET", "POST"])
def form(token: str):
    check = submissions.resolve_link(token, use=True)
    if check.party is None or check.problem:
        status = 404 if check.problem == "unknown" else 410
        return private_page(make_response(render_template("party/link_invalid.html", check=check), status))
    db.session.commit()  # the visit, shown to the editors beside the link
    party, edition = check.party, check.party.edition
    key_of = {s.id: s.key for s in edition.statements}  # one query, not one per position
    answers = {key_of[p.statement_id]: (POSITION_NAMES.get(p.value), p.explanation) for p in party.positions}
    errors: dict[str, str] = {}
    problems = []
    status = 200
    if request.method == "POST":
        submit = request.form.get("action") == "submit"
        posted = {s.key: (request.form.get(f"position-{s.key}") or None, request.form.get(f"explanation-{s.key}", ""))
                  for s in edition.statements}
        try:
            submissions.save_positions(party, posted, submit=submit)
        except ValidationFailed as exc:
            db.session.rollback()
            problems = exc.problems
            errors = {p.field: p.message for p in exc.problems}
            answers = posted  # show what the party typed, not what was stored, so nothing is lost
            status = 422
        else:
            db.session.commit()
            flash(_("Your positions have been submitted. Thank you!") if submit
                  else _("Draft saved. You can come back to this page until the deadline."))
            return redirect(url_for("party.form", token=token))
    return private_page(make_response(render_template(
        "party/form.html", party=party, edition=edition, answers=answers, errors=errors, problems=problems,
        blocked=submissions.edit_block(party), max_explanation=MAX_EXPLANATION,
    ), status))

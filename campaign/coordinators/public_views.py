"""Public recruitment pages: where we look for coordinators, the application form, and the email link."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, public_form_limit
from campaign.core.i18n import current_language
from campaign.core.models import utcnow
from campaign.coordinators import organisations as organisation_domain
from campaign.coordinators import recruitment
from campaign.coordinators.blueprints import coordinators as bp
from campaign.core.municipalities import load_municipality
from campaign.coordinators.recruitment_forms import ApplicationForm
from campaign.extensions import db, limiter


@bp.get("/")
def index():
    return render_template("coordinators/public/index.html", provinces=recruitment.municipalities_by_province())


def _form(municipality) -> ApplicationForm:
    neighbours = recruitment.province_municipalities(municipality.province)
    organisations = organisation_domain.organisations(member=True)
    form = ApplicationForm(municipality_choices=[(m.code, m.name) for m in neighbours],
                           organisation_choices=[(str(o.id), o.name) for o in organisations])
    if not form.is_submitted():
        form.municipalities.data = [municipality.code]
    return form


def _page(municipality, form, status: int = 200):
    return render_template(
        "coordinators/public/apply.html", municipality=municipality, form=form,
        coordinators=recruitment.active_coordinator_count(municipality),
        retention_days=current_app.config["APPLICATION_RETENTION_DAYS"],
        verification_hours=current_app.config["VERIFICATION_MAX_AGE_HOURS"],
    ), status


@bp.route("/<code>", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def apply(code: str):
    municipality = load_municipality(code)
    form = _form(municipality)
    if not form.is_submitted():
        return _page(municipality, form)
    sent = redirect(url_for("coordinators.sent", code=municipality.code))
    if form.caught_spam():
        return sent  # a bot sees what a person sees, and nothing is stored or sent
    if form.validate():
        try:
            recruitment.submit_application(
                name=form.name.data, email=form.email.data, phone=form.phone.data,
                municipality_codes=form.municipalities.data, organisation_id=form.organisation_id,
                motivation=form.motivation.data, availability=form.availability.data,
                experience=form.experience.data, consent=form.consent.data,
                language=current_language(), now=utcnow())
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
        else:
            db.session.commit()
            return sent
    return _page(municipality, form, 422)


@bp.get("/<code>/verstuurd")
def sent(code: str):
    municipality = load_municipality(code)
    return render_template("coordinators/public/sent.html", municipality=municipality,
                           hours=current_app.config["VERIFICATION_MAX_AGE_HOURS"])


@bp.route("/bevestigen/<token>", methods=["GET", "POST"])
def verify(token: str):
    now = utcnow()
    try:
        application = recruitment.application_for_token(token, now, for_update=request.method == "POST")
    except recruitment.LinkExpired as expired:
        place = expired.application.municipalities[0] if expired.application.municipalities else None
        return render_template("coordinators/public/link_expired.html", municipality=place,
                               hours=current_app.config["VERIFICATION_MAX_AGE_HOURS"]), 410
    if application is None:
        return render_template("coordinators/public/link_unknown.html"), 404
    # Mail scanners open links to check them: a GET only shows the button, the POST confirms.
    if request.method == "POST":
        recruitment.verify(application, now)
        db.session.commit()
        return redirect(url_for("coordinators.verified"))
    return render_template("coordinators/public/verify.html", token=token)


@bp.get("/bevestigd")
def verified():
    return render_template("coordinators/public/verified.html")

"""The public venue offer form (/debatten/zaal-aanbieden): a venue contact offers a hall for debates; the campaign
team reviews it in the back office (``backoffice/venue_views.py``)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems, choices, form_status, public_form_limit
from campaign.core.i18n import current_language
from campaign.core.models import Municipality
from campaign.debates import venues
from campaign.debates.blueprints import debates as bp
from campaign.debates.venue_forms import OfferForm
from campaign.extensions import db, limiter


def _form() -> OfferForm:
    form = OfferForm()
    form.municipality.choices = choices([("", _("Choose…"))] + [
        (m.code, m.name) for m in db.session.scalars(select(Municipality).order_by(Municipality.name))])
    return form


@bp.route("/zaal-aanbieden", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def offer_venue():
    form = _form()
    done = redirect(url_for("debates.offer_venue_done"))
    if form.is_submitted() and form.caught_spam():
        return done  # a bot sees what a person sees, and nothing is stored or sent
    if form.validate_on_submit():
        try:
            venues.offer_venue(
                name=form.name.data, street=form.street.data, postcode=form.postcode.data, city=form.city.data,
                municipality_code=form.municipality.data, capacity=form.capacity.data,
                step_free=form.step_free.data, hearing_loop=form.hearing_loop.data,
                accessible_toilet=form.accessible_toilet.data, accessibility_notes=form.accessibility_notes.data,
                organisation_name=form.organisation_name.data, availability=form.availability.data,
                message=form.message.data, contact_name=form.contact_name.data,
                contact_email=form.contact_email.data, contact_phone=form.contact_phone.data,
                consent=form.consent.data, language=current_language())
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
        else:
            db.session.commit()
            return done
    return render_template("debates/public/offer_venue.html", form=form), form_status(form)


@bp.get("/zaal-aanbieden/bedankt")
def offer_venue_done():
    return render_template("debates/public/offer_venue_done.html")

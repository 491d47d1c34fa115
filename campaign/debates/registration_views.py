"""Public registration: the form on the debate page, the page that says what it led to, and the registrant's
own page behind the personal link (see and cancel).

The form sits on the debate page (``debates/public/_register.html``, included by that page); a form with
problems comes back on the debate page (422), with htmx only the form's section. The personal link's token is
the only credential: the page is never cached nor sent on as a referrer.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for

from campaign.core.errors import ValidationFailed
from campaign.core.security import private_page
from campaign.core.forms import apply_problems, configured_limit
from campaign.core.htmx import is_htmx
from campaign.core.i18n import current_language
from campaign.debates import registration as domain
from campaign.debates.blueprints import debates as bp
from campaign.debates.common import public_debate
from campaign.debates.models import Debate
from campaign.debates.registration_forms import RegistrationForm
from campaign.extensions import db, limiter

REGISTER_BLOCK = "debates/public/_register.html"


# Registrations, form and API.
registration_limit = configured_limit("DEBATE_REGISTRATION_RATE_LIMIT")


@dataclass
class Panel:
    """What the registration section of a debate page shows: why it is closed, or the seats and the form."""

    debate: Debate
    closed: str | None
    counts: domain.Counts
    form: RegistrationForm | None

    @property
    def state(self) -> str:
        """"closed", "open" (seats left), "full" (every seat taken) or "waitlist" (seats free, but people
        wait for them: newcomers join the waitlist)."""
        if self.closed:
            return "closed"
        if self.counts.seats_left:
            return "open"
        return "waitlist" if self.counts.free_seats else "full"


@bp.app_template_global("registration_panel")
def registration_panel(debate: Debate) -> Panel:
    """For ``_register.html``: the form that came back with problems (``g.registration_form``), else a new one."""
    closed = domain.closed_reason(debate)
    form = None if closed else (g.get("registration_form") or _form(debate))
    return Panel(debate, closed, domain.counts([debate.id]).get(debate.id, domain.Counts(0, 0, 0)), form)


def _form(debate: Debate) -> RegistrationForm:
    return RegistrationForm(max_seats=debate.max_seats_per_registration)


def _see(url: str):
    """Post, redirect, get; a request from htmx follows the redirect as a whole page (HX-Redirect)."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def _again(debate: Debate, form: RegistrationForm, status: int):
    """The debate page once more, with the form as it came (htmx: only the registration section)."""
    g.registration_form = form
    if is_htmx():
        response = make_response(render_template(REGISTER_BLOCK, debate=debate), 200 if status == 409 else status)
        response.vary.add("HX-Request")
    else:
        response = make_response(current_app.view_functions["debates.debate"](debate_id=debate.id))
        response.status_code = status
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:debate_id>/aanmelden")
@limiter.limit(registration_limit)
def register(debate_id: int):
    debate = public_debate(debate_id)
    form = _form(debate)
    if form.caught_spam():
        return _see(url_for("debates.registered", debate_id=debate.id, status="confirmed"))  # nothing stored
    if form.validate():
        try:
            registration = domain.register(debate, name=form.name.data, email=form.email.data,
                                           seats=form.seats.data, language=current_language())
        except domain.RegistrationClosed:
            db.session.rollback()
            return _again(debate, form, 409)  # the section now says why
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
        else:
            db.session.commit()
            return _see(url_for("debates.registered", debate_id=debate.id, status=registration.status))
    return _again(debate, form, 422)


@bp.get("/<int:debate_id>/aangemeld", defaults={"status": "confirmed"})
@bp.get("/<int:debate_id>/wachtlijst", defaults={"status": "waitlisted"})
def registered(debate_id: int, status: str):
    """What the registration led to: a seat, or a place on the waitlist (the mail has the details)."""
    return render_template("debates/public/registered.html", debate=public_debate(debate_id), status=status)


@bp.route("/aanmelding/<token>", methods=["GET", "POST"])
def registration(token: str):
    """The registrant's own registration. ``?annuleren`` asks to confirm the cancellation; the POST cancels."""
    found = domain.by_token(token)
    if found is None:
        abort(404)
    problems, status = [], 200
    if request.method == "POST" and found.status != "cancelled":
        try:
            domain.cancel(found)
        except ValidationFailed as exc:
            db.session.rollback()
            problems, status = exc.problems, 422
        else:
            db.session.commit()
            return redirect(url_for("debates.registration", token=token))
    if found.status == "cancelled":
        page = render_template("debates/public/registration_cancelled.html", registration=found, debate=found.debate)
    else:
        page = render_template("debates/public/registration.html", registration=found, debate=found.debate,
                               token=token, problems=problems, confirm="annuleren" in request.args,
                               may_cancel=domain.may_cancel(found), position=domain.waitlist_position(found),
                               status_label=domain.status_label)
    return private_page(make_response(page, status))

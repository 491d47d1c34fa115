"""A party's answer to a debate invitation, through the personal link the organiser mailed.

The token in the URL is the only credential; the page is never cached or sent on as a referrer.
"""

from __future__ import annotations

from flask import make_response, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.forms import form_status, save_form
from campaign.core.security import private_page
from campaign.debates import invitations as domain
from campaign.debates.agenda import public_invitations
from campaign.debates.blueprints import debates as bp
from campaign.debates.calendar import venue_address
from campaign.debates.invitation_forms import AnswerForm

DONE = "beantwoord"


def _page(template: str, status: int = 200, **context):
    return private_page(make_response(render_template(template, **context), status))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def invitation(token: str):
    check = domain.resolve(token)
    if check.problem:
        return _page("debates/public/invitation_invalid.html", 404, check=check)
    invitation = check.invitation
    debate = invitation.debate
    context = dict(invitation=invitation, debate=debate, where=venue_address(debate),
                   others=[i for i in public_invitations(debate) if i.id != invitation.id],
                   blocked=domain.answer_block(invitation))
    if request.method == "GET" and request.args.get(DONE):
        return _page("debates/public/invitation_done.html", **context)
    if request.method == "GET":
        form = AnswerForm(data=dict(status=invitation.status if invitation.status in domain.ANSWERS else None,
                                    speaker_name=invitation.speaker_name, speaker_role=invitation.speaker_role,
                                    message=invitation.message))
    else:
        form = AnswerForm()
    if form.validate_on_submit():
        saved = save_form(form, lambda: domain.respond(token, form.status.data, form.speaker_name.data or "",
                                                       form.speaker_role.data or "", form.message.data or ""),
                          _("Thank you: your answer has been saved."),
                          url_for("debates.invitation", token=token, **{DONE: 1}))
        if saved:
            return private_page(saved)
    return _page("debates/public/invitation.html", form_status(form), form=form, **context)

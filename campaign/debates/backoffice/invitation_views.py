"""Party invitations in the back office: who is invited to a debate, each party's answer and speaker, inviting
a party and mailing its personal link, withdrawing an invitation.

The list is a partial (``debates/admin/_invitations.html``) shown on the debate page and on its own page; its
forms post here and come back to the page they were sent from (``next``), or, with htmx, get the list again.
Staff see the debates of their scope only (others: 404).
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.core.access import current_actor, staff_required
from campaign.core.audit import history
from campaign.core.errors import ValidationFailed
from campaign.core.forms import apply_problems
from campaign.core.htmx import is_htmx
from campaign.core.views import safe_next
from campaign.debates import invitations as domain
from campaign.debates.scheduling import is_over
from campaign.debates.blueprints import debates_admin as bp
from campaign.debates.common import debate_row, load_debate
from campaign.debates.invitation_forms import InviteForm
from campaign.debates.models import Debate, Invitation
from campaign.extensions import db

PARTIAL = "debates/admin/_invitations.html"
# What the partial needs besides the debate, wherever it is included.
bp.add_app_template_global(domain.suggested_parties, "debate_party_suggestions")
bp.add_app_template_global(domain.closed_reason, "debate_invitations_closed")
bp.add_app_template_global(is_over, "debate_is_over")
bp.add_app_template_global(lambda: InviteForm(formdata=None), "debate_invite_form")


def _load(debate_id: int, invitation_id: int) -> tuple[Debate, Invitation]:
    debate = load_debate(debate_id)
    return debate, debate_row(Invitation, invitation_id, debate)


def _next(debate: Debate) -> str:
    """Where the form was sent from (a local path only), else the debate's invitations page."""
    target = request.form.get("next") or ""
    return target if target and safe_next(target) == target else url_for("debates_admin.invitations",
                                                                          debate_id=debate.id)


def _page(debate: Debate, *, form: InviteForm | None = None, problems=None, status: int = 200):
    entries = [e for e in history("debate", debate.id) if e.object_type == "debate_invitation"]
    return render_template("debates/admin/invitations.html", debate=debate, invite_form=form,
                           problems=problems or [], history=entries), status


def _answer(debate: Debate, *, message: str | None = None, form: InviteForm | None = None, problems=None,
            status: int = 200):
    """After a post: with htmx, the list again (with the message or the problems); without, a redirect back
    (with the message flashed), or the invitations page with the problems (422)."""
    if is_htmx():
        response = make_response(render_template(PARTIAL, debate=debate, invite_form=form, notice=message,
                                                 problems=problems or [], invitations_next=_next(debate)), status)
        response.vary.add("HX-Request")
        return response
    if status != 200:
        return _page(debate, form=form, problems=problems, status=status)
    flash(message)
    return redirect(_next(debate))


def _change(debate: Debate, change, message):
    """Run one change and commit; or roll back and show why (422). ``message`` gets what ``change`` returned."""
    try:
        result = change()
    except ValidationFailed as exc:
        db.session.rollback()
        return _answer(debate, problems=exc.problems, status=422)
    db.session.commit()
    return _answer(debate, message=message(result))


@bp.get("/<int:debate_id>/uitnodigingen")
@staff_required
def invitations(debate_id: int):
    return _page(load_debate(debate_id))


@bp.post("/<int:debate_id>/uitnodigingen")
@staff_required
def add_invitation(debate_id: int):
    debate = load_debate(debate_id)
    form = InviteForm()
    if form.validate():
        try:
            invitation = domain.invite(current_actor(), debate, form.party_name.data or "",
                                       form.contact_email.data or "", form.party_id.data, form.language.data)
        except ValidationFailed as exc:
            db.session.rollback()
            apply_problems(form, exc)
        else:
            db.session.commit()
            return _answer(debate, message=_(
                "%(party)s has been invited. Send the invitation when you are ready: the party then gets its "
                "personal link.", party=invitation.party_name))
    # A problem with the hidden party choice has no field on the page to stand beside.
    form.form_errors.extend(form.party_id.errors)
    return _answer(debate, form=form, status=422)


@bp.post("/<int:debate_id>/uitnodigingen/<int:invitation_id>/versturen")
@staff_required
def send_invitation(debate_id: int, invitation_id: int):
    debate, invitation = _load(debate_id, invitation_id)
    resent = invitation.invited_at is not None
    return _change(debate, lambda: domain.send_link(
        current_actor(), invitation, lambda token: url_for("debates.invitation", token=token, _external=True)),
        lambda _link: (_("A new invitation has been mailed to %(party)s; the earlier link no longer works.",
                         party=invitation.party_name) if resent
                       else _("The invitation has been mailed to %(party)s.", party=invitation.party_name)))


@bp.post("/<int:debate_id>/uitnodigingen/<int:invitation_id>/verwijderen")
@staff_required
def remove_invitation(debate_id: int, invitation_id: int):
    debate, invitation = _load(debate_id, invitation_id)
    party = invitation.party_name
    return _change(debate, lambda: domain.remove(current_actor(), invitation),
                   lambda _none: _("The invitation of %(party)s has been withdrawn.", party=party))

"""Party invitations: who is invited to a debate, the personal link each party answers through, and the
organiser's notice of each answer.

The rules:
- The coordinator (or the campaign team) invites parties, suggested from the municipality's Cultuurwijzer
  edition for the debate's election, or any other by name (at a mayors' debate: the mayors). A party is
  invited once per debate. Nobody is invited to a debate that is cancelled or over.
- The link is a random token mailed to the party's contact address in the party's language; only its SHA-256
  is stored, so a copy of the database opens no link. Sending a new link replaces the earlier one. A link
  works until the debate ends (``token_expires_at`` is set to the end when it is sent; the debate's current
  end counts, so a debate moved to a later day keeps its links working) and stops at a cancellation.
- Through the link the party confirms, naming its speaker, or declines; it may change its answer until the
  debate starts. Each answer that changes something is mailed to the debate's coordinator.

Every change is in the audit log with ids and statuses only: no speaker's name, no address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.core.accounts import normalise_email
from campaign.core.audit import Actor, record
from campaign.core.converters import MAX_ID
from campaign.core.errors import Problem, ValidationFailed, email_problems, text_problems
from campaign.core.labels import action_labels
from campaign.core.models import utcnow
from campaign.core.security import new_token, token_hash
from campaign.core.urls import external_url
from campaign.coordinators.common import language_of
from campaign.cultuurwijzer.models import Edition, Party
from campaign.debates.models import Debate, Invitation
from campaign.debates.scheduling import has_started, is_over, mail_about
from campaign.extensions import db

action_labels.update({
    "debate_invitation.add": _l("Party invited to the debate"),
    "debate_invitation.send": _l("Invitation link mailed to the party"),
    "debate_invitation.answer": _l("Party answered the invitation"),
    "debate_invitation.remove": _l("Invitation withdrawn"),
})

ANSWERS = ("confirmed", "declined")
MAX_PARTY = 120
MAX_SPEAKER = 120
MAX_ROLE = 120
MAX_MESSAGE = 2000


def _refuse(message, field: str = "", where=_l("Invitation")) -> ValidationFailed:
    return ValidationFailed([Problem(str(where), str(message), field)])


def party_actor(invitation: Invitation) -> Actor:
    """The party answering through its link, as the audit log names it (like the Cultuurwijzer's party links)."""
    return Actor.system(str(_l("%(party)s (personal link)", party=invitation.party_name)))


def finished(debate: Debate, now: dt.datetime | None = None) -> str | None:
    """"cancelled" or "over" once the debate's invitations no longer count (nobody is invited any more, and the
    links stop working); None until then."""
    if debate.status == "cancelled":
        return "cancelled"
    if debate.status == "held" or is_over(debate, now):
        return "over"
    return None


def closed_reason(debate: Debate, now: dt.datetime | None = None) -> str | None:
    """Why invitations of this debate can no longer be added or sent, or None while they can."""
    state = finished(debate, now)
    if state == "cancelled":
        return str(_l("This debate has been cancelled."))
    if state == "over":
        return str(_l("This debate is over."))
    return None


# --- who to invite -------------------------------------------------------------------------------------------

def _edition_parties(debate: Debate) -> list[Party]:
    editions = select(Edition.id).where(Edition.election_id == debate.election_id,
                                        Edition.municipality_id == debate.municipality_id)
    parties = db.session.scalars(select(Party).where(Party.edition_id.in_(editions)))
    return sorted(parties, key=lambda p: (p.list_number is None, p.list_number or 0, p.name.casefold()))


def suggested_parties(debate: Debate) -> list[Party]:
    """The parties of the municipality's Cultuurwijzer edition for the debate's election that are not invited
    yet, in list order."""
    invited_ids = {i.party_id for i in debate.invitations if i.party_id}
    invited_names = {i.party_name.casefold() for i in debate.invitations}
    return [p for p in _edition_parties(debate) if p.id not in invited_ids and p.name.casefold() not in invited_names]


def invite(actor: Actor, debate: Debate, party_name: str = "", contact_email: str = "", party_id: int | None = None,
           language: str = "nl", *, now: dt.datetime | None = None) -> Invitation:
    """Add a party to the debate's invitations (not mailed yet: ``send_link`` does that). With ``party_id``
    (a party of the Cultuurwijzer edition), its name and contact address are taken from the edition unless
    given."""
    closed = closed_reason(debate, now)
    if closed:
        raise _refuse(closed)
    problems: list[Problem] = []
    party = None
    if party_id is not None:
        party = db.session.get(Party, party_id) if 0 < party_id <= MAX_ID else None
        if party is None or party not in _edition_parties(debate):
            problems.append(Problem(str(_l("Party")), str(_l(
                "Choose a party of this municipality's Cultuurwijzer for this election.")), "party_id"))
    name = " ".join((party_name or (party.name if party else "")).split())
    problems += text_problems(name, _l("Party"), "party_name", limit=MAX_PARTY,
                              missing=_l("Give the name of the party (or, at a mayors' debate, the mayor)."))
    email = normalise_email(contact_email or (party.contact_email if party else "") or "")
    problems += email_problems(email, _l("Email address"), "contact_email")
    if language not in current_app.config["LANGUAGES"]:
        problems.append(Problem(str(_l("Language")), str(_l("Choose the language of the party's mail.")),
                                "language"))
    taken = any(i.party_name.casefold() == name.casefold() or (party is not None and i.party_id == party.id)
                for i in debate.invitations)
    if name and taken:
        problems.append(Problem(str(_l("Party")), str(_l("%(party)s is already invited to this debate.",
                                                          party=name)), "party_name"))
    if problems:
        raise ValidationFailed(problems)
    invitation = Invitation(party_id=party.id if party else None, party_name=name, contact_email=email,
                            language=language, status="invited")
    debate.invitations.append(invitation)
    db.session.flush()
    record(actor, "debate_invitation.add", "debate_invitation", invitation.id, parent=("debate", debate.id),
           after={"status": "invited", "party_id": invitation.party_id}, only_changes=False)
    return invitation


def send_link(actor: Actor, invitation: Invitation, url_for_token, *, now: dt.datetime | None = None) -> str:
    """Make a new personal link (the earlier one stops working) and mail it to the party in its language.
    ``url_for_token(token)`` builds the link's URL. Returns that URL."""
    now = now or utcnow()
    debate = invitation.debate
    closed = closed_reason(debate, now)
    if closed:
        raise _refuse(closed)
    if not invitation.contact_email:
        raise _refuse(_l("%(party)s has no email address. Withdraw the invitation and invite the party again "
                         "with its address.", party=invitation.party_name), "contact_email")
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.token_expires_at = debate.ends_at
    resent = invitation.invited_at is not None
    invitation.invited_at = now
    link = url_for_token(token)
    mail_about(debate, invitation.contact_email, invitation.language, "debate_invitation", invitation=invitation,
               link=link)
    record(actor, "debate_invitation.send", "debate_invitation", invitation.id, parent=("debate", debate.id),
           summary=str(_l("a new personal link replaces the earlier one") if resent
                       else _l("personal link mailed to the party's contact address")),
           after={"status": invitation.status}, only_changes=False)
    return link


def remove(actor: Actor, invitation: Invitation, *, now: dt.datetime | None = None) -> None:
    """Withdraw an invitation (its link stops working). After the debate the invitations stay, as its record."""
    debate = invitation.debate
    if is_over(debate, now):
        raise _refuse(_l("This debate is over; its invitations are kept as a record of who took part."))
    record(actor, "debate_invitation.remove", "debate_invitation", invitation.id, parent=("debate", debate.id),
           before={"status": invitation.status, "party_id": invitation.party_id}, only_changes=False)
    debate.invitations.remove(invitation)
    db.session.flush()


# --- the party's answer --------------------------------------------------------------------------------------

@dataclass
class LinkCheck:
    invitation: Invitation | None
    problem: str = ""  # "unknown", "cancelled" or "over"


def resolve(token: str, *, now: dt.datetime | None = None) -> LinkCheck:
    """The invitation behind a personal link, or why the link does not work."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        return LinkCheck(None, "unknown")
    return LinkCheck(invitation, finished(invitation.debate, now) or "")


def answer_block(invitation: Invitation, now: dt.datetime | None = None) -> str | None:
    """Why the party cannot (change its) answer now, or None when it can."""
    if has_started(invitation.debate, now):
        return str(_l("The debate has started; the answer can no longer be changed."))
    return None


def respond(token: str, status: str, speaker_name: str = "", speaker_role: str = "", message: str = "", *,
            now: dt.datetime | None = None) -> Invitation:
    """The party's answer through its link: ``confirmed`` with the name of its speaker, or ``declined``.
    Checked as a whole before anything changes; an answer that changes something is mailed to the debate's
    coordinator."""
    now = now or utcnow()
    check = resolve(token, now=now)
    if check.problem:
        raise _refuse(_l("This link no longer works."), "token")
    invitation = check.invitation
    blocked = answer_block(invitation, now)
    if blocked:
        raise _refuse(blocked, "status")
    speaker_name = " ".join((speaker_name or "").split())
    speaker_role = " ".join((speaker_role or "").split())
    message = (message or "").replace("\r\n", "\n").strip()
    problems: list[Problem] = []
    if status not in ANSWERS:
        problems.append(Problem(str(_l("Does your party take part?")),
                                str(_l("Choose whether your party takes part.")), "status"))
    problems += text_problems(speaker_name, _l("Speaker"), "speaker_name", limit=MAX_SPEAKER,
                              missing=_l("Give the name of your speaker.") if status == "confirmed" else None)
    problems += text_problems(speaker_role, _l("Role"), "speaker_role", limit=MAX_ROLE)
    problems += text_problems(message, _l("Message to the organiser"), "message", limit=MAX_MESSAGE)
    if problems:
        raise ValidationFailed(problems)
    if status == "declined":
        speaker_name = speaker_role = ""  # nobody comes
    before = (invitation.status, invitation.speaker_name, invitation.speaker_role, invitation.message)
    after = (status, speaker_name, speaker_role, message)
    if before == after:
        return invitation
    was = invitation.status
    invitation.status, invitation.speaker_name, invitation.speaker_role, invitation.message = after
    invitation.responded_at = now
    record(party_actor(invitation), "debate_invitation.answer", "debate_invitation", invitation.id,
           parent=("debate", invitation.debate_id), before={"status": was}, after={"status": status},
           only_changes=False)
    _notify_coordinator(invitation, was)
    return invitation


def _notify_coordinator(invitation: Invitation, was: str) -> None:
    coordinator = invitation.debate.coordinator
    if coordinator is None or not coordinator.active or not coordinator.email:
        return
    debate = invitation.debate
    mail_about(debate, coordinator.email, language_of(coordinator), "debate_invitation_answered",
               invitation=invitation, coordinator=coordinator, changed=was != "invited",
               link=external_url("debates_admin.invitations", debate_id=debate.id))

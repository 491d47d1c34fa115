"""Parties entering their own positions through a personal link, and editors reviewing them.

A link is a random token; only its SHA-256 is stored. Sending a new link revokes the party's older ones.
A link expires PARTY_LINK_GRACE_DAYS after the edition's deadline (or after it was sent, without one).

A party may change its positions while the edition is open and the deadline has not passed, until it
submits them; after that the set is locked until an editor sends it back with a comment (which also
works after the deadline, and while the edition is in review).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed
from campaign.core.mail import queue_template
from campaign.core.security import new_token, token_hash
from campaign.core.models import utcnow
from campaign.cultuurwijzer.editions import MAX_EXPLANATION
from campaign.cultuurwijzer.editorial import submission_label, touch
from campaign.cultuurwijzer.labels import positions_changed
from campaign.cultuurwijzer.models import POSITION_VALUES, Party, PartyLink, Position
from campaign.extensions import db

LINK_STATUSES = ("open", "review")
PARTY_STATE_FIELDS = ("submission_status", "review_comment", "submitted_at", "reviewed_at")


def party_actor(party: Party) -> Actor:
    return Actor.system(str(_l("%(party)s (personal link)", party=party.name)))


# --- links ---------------------------------------------------------------------------------------------------

def _revoke_working_links(party: Party, now: dt.datetime) -> int:
    """Revoke every link of the party not revoked yet; how many that were."""
    working = [link for link in party.links if link.revoked_at is None]
    for link in working:
        link.revoked_at = now
    return len(working)


def issue_link(actor: Actor, party: Party, url_for_token, *, now: dt.datetime | None = None) -> str:
    """Make a new personal link, revoke older ones, and mail it to the party's contact. Returns the URL."""
    now = now or utcnow()
    edition = party.edition
    problems = []
    if edition.status not in LINK_STATUSES:
        problems.append(Problem(party.name, str(_l("links are sent while the edition is open for parties")),
                                "status"))
    if not party.contact_email:
        problems.append(Problem(party.name, str(_l("the party has no contact address")), "contact_email"))
    if problems:
        raise ValidationFailed(problems)
    _revoke_working_links(party, now)
    token = new_token()
    start = max(edition.deadline or now, now)
    expires = start + dt.timedelta(days=current_app.config["PARTY_LINK_GRACE_DAYS"])
    link = PartyLink(token_hash=token_hash(token), sent_to=party.contact_email, created_at=now,
                     created_by_id=actor.user.id if actor.user else None, expires_at=expires)
    party.links.append(link)
    before = snapshot(party, PARTY_STATE_FIELDS)
    if party.submission_status == "not_invited":
        party.submission_status = "invited"
    url = url_for_token(token)
    _mail_party(party, "party_invitation", edition=edition, link=url, expires=expires)
    record(actor, "party.link", "party", party.key, parent=("edition", edition.id),
           summary=str(_l("personal link sent to the party's contact address")),
           before=before, after=snapshot(party, PARTY_STATE_FIELDS), only_changes=False)
    return url


def _mail_party(party: Party, template: str, **context) -> None:
    """Parties have no language of their own: they get Dutch (the default), whatever the editor reads."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        queue_template(party.contact_email, template, party=party, **context)


def revoke_links(actor: Actor, party: Party, *, now: dt.datetime | None = None) -> int:
    revoked = _revoke_working_links(party, now or utcnow())
    if revoked:
        record(actor, "party.revoke", "party", party.key, parent=("edition", party.edition.id))
    return revoked


@dataclass
class LinkCheck:
    party: Party | None
    link: PartyLink | None
    problem: str = ""  # "unknown", "revoked" or "expired"


def resolve_link(token: str, *, now: dt.datetime | None = None, use: bool = False) -> LinkCheck:
    """The party behind a token, or why there is none. With ``use``, a working link records the visit
    (shown to the editors beside the link)."""
    now = now or utcnow()
    link = db.session.scalar(select(PartyLink).where(PartyLink.token_hash == token_hash(token)))
    if link is None:
        return LinkCheck(None, None, "unknown")
    state = link.state(now)
    if state != "valid":
        return LinkCheck(link.party, link, state)
    if use:
        link.last_used_at = now
    return LinkCheck(link.party, link)


# --- the party's own form ------------------------------------------------------------------------------------

def edit_block(party: Party, *, now: dt.datetime | None = None) -> str | None:
    """Why the party cannot change its positions now, or None when it can."""
    now = now or utcnow()
    edition = party.edition
    if party.submission_status == "returned" and edition.status in LINK_STATUSES:
        return None
    if party.submission_status in ("submitted", "accepted"):
        return str(_l("Your positions have been submitted and are locked. Ask the editorial team if you need to "
                      "change something."))
    if edition.status != "open":
        return str(_l("The edition is not open for parties at the moment."))
    if edition.deadline is not None and now >= edition.deadline:
        return str(_l("The deadline has passed."))
    return None


def save_positions(party: Party, answers: dict[str, tuple[str | None, str]], *, submit: bool,
                   now: dt.datetime | None = None) -> None:
    """Write the party's positions (statement key → (agree/neutral/disagree or None, explanation)).

    Every statement is checked before anything is written. Submitting needs a position on every statement
    or an explanation why there is none.
    """
    now = now or utcnow()
    blocked = edit_block(party, now=now)
    if blocked:
        raise ValidationFailed([Problem(party.name, blocked, "status")])
    edition = party.edition
    problems: list[Problem] = []
    values: dict[int, tuple[int | None, str]] = {}
    for statement in edition.statements:
        position, explanation = answers.get(statement.key, (None, ""))
        explanation = (explanation or "").strip()
        where = f"{statement.sort_order}. {statement.title}"
        if position not in (None, "", *POSITION_VALUES):
            problems.append(Problem(where, str(_l("choose agree, neither, disagree or no position")), f"position-{statement.key}"))
            continue
        if len(explanation) > MAX_EXPLANATION:
            problems.append(Problem(where, str(_l("the explanation is %(len)d characters; at most %(n)d",
                                                  len=len(explanation), n=MAX_EXPLANATION)),
                                    f"explanation-{statement.key}"))
        value = POSITION_VALUES[position] if position else None
        if submit and value is None and not explanation:
            problems.append(Problem(where, str(_l("give a position, or explain why you take none")),
                                    f"position-{statement.key}"))
        values[statement.id] = (value, explanation)
    if problems:
        raise ValidationFailed(problems)
    existing = {p.statement_id: p for p in party.positions}
    changes = 0
    for statement in edition.statements:
        value, explanation = values[statement.id]
        position = existing.get(statement.id)
        if position is None:
            if value is None and not explanation:
                continue
            party.positions.append(Position(statement=statement, value=value, explanation=explanation))
            changes += 1
        elif (position.value, position.explanation) != (value, explanation):
            position.value, position.explanation = value, explanation
            changes += 1
    before = snapshot(party, PARTY_STATE_FIELDS)
    party.submission_status = "submitted" if submit else "draft"
    if submit:
        party.submitted_at = now
    if changes:
        touch(edition)
    record(party_actor(party), "party.submit" if submit else "party.save", "party", party.key,
           parent=("edition", edition.id), summary=positions_changed(changes),
           before=before, after=snapshot(party, PARTY_STATE_FIELDS), only_changes=False)


# --- review --------------------------------------------------------------------------------------------------

def review(actor: Actor, party: Party, *, accept: bool, comment: str = "", now: dt.datetime | None = None) -> None:
    """Accept the party's set, or send it back with a comment the party sees above its form."""
    now = now or utcnow()
    edition = party.edition
    comment = (comment or "").strip()
    if edition.status not in ("open", "review"):
        raise ValidationFailed([Problem(party.name, str(_l(
            "parties are reviewed while the edition is open or in review")), "status")])
    if not accept and not comment:
        raise ValidationFailed([Problem(party.name, str(_l("tell the party what to change")), "comment")])
    if accept and party.submission_status != "submitted" and edition.status != "review":
        raise ValidationFailed([Problem(party.name, str(_l(
            "only a submitted set can be accepted while the edition is open (now: %(status)s)",
            status=submission_label(party.submission_status))), "status")])
    before = snapshot(party, PARTY_STATE_FIELDS)
    party.submission_status = "accepted" if accept else "returned"
    party.review_comment = "" if accept else comment
    party.reviewed_at = now
    if not accept and party.contact_email:
        _mail_party(party, "party_returned", edition=edition, comment=comment)
    record(actor, "party.accept" if accept else "party.return", "party", party.key, parent=("edition", edition.id),
           summary=comment, before=before, after=snapshot(party, PARTY_STATE_FIELDS))

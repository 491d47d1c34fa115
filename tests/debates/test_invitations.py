"""Party invitations: the coordinator invites parties and mails their links; each party answers through its
link; the coordinator sees the answers and gets a mail with each one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.debates.conftest import local_evening
from tests.factories import edition_document
from tests.helpers import csrf_token, post_form

EN = {"Accept-Language": "en"}


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def coordinator(users, places):
    return users.create("coordinator", municipalities=["GM0344"], email="coco@example.org", name="Coco Ordinator")


@pytest.fixture()
def debate(debates, coordinator):
    return debates.create("confirmed", title="Debat over muziekles", coordinator=coordinator)


@pytest.fixture()
def edition(editions, election, db_session):
    """The municipality's Cultuurwijzer edition for the debate's election (Alfa, Beta, Gamma), with addresses."""
    found = editions.create(edition_document(id="test2027-gm0344", election={
        "slug": election.slug, "name": election.name, "date": election.date.isoformat()}))
    for party in found.parties:
        party.contact_email = f"{party.key}@example.org"
    db_session.commit()
    return found


def invite(debate, name="Delta Partij", email="delta@example.org", language="nl", **changes):
    from campaign.core.audit import Actor
    from campaign.debates.invitations import invite as add
    from campaign.extensions import db

    invitation = add(Actor.system("tests"), debate, name, email, language=language, **changes)
    db.session.commit()
    return invitation


def send(invitation) -> str:
    """Mail the party its link; returns the token."""
    from campaign.core.audit import Actor
    from campaign.debates.invitations import send_link
    from campaign.extensions import db

    tokens = []
    send_link(Actor.system("tests"), invitation, lambda token: tokens.append(token) or f"https://x.test/{token}")
    db.session.commit()
    return tokens[0]


def answer(client, token, headers=None, **data):
    path = f"/debatten/uitnodiging/{token}"
    return post_form(client, path, {"status": "confirmed", "speaker_name": "", "speaker_role": "", "message": "",
                                    **data}, token_from="/beheer/inloggen", headers=headers)


# --- inviting ------------------------------------------------------------------------------------------------

def test_suggestions_are_the_parties_of_this_elections_cultuurwijzer_not_yet_invited(debate, edition, editions):
    from campaign.debates.invitations import suggested_parties

    editions.create()  # the same municipality, another election: not suggested
    assert [p.name for p in suggested_parties(debate)] == ["Alfa Partij", "Beta Beweging", "Gamma Groep"]
    invite(debate, "beta beweging", "")
    assert [p.name for p in suggested_parties(debate)] == ["Alfa Partij", "Gamma Groep"]


def test_a_coordinator_invites_a_suggested_party_from_the_back_office(client, users, coordinator, debate, edition,
                                                                      db_session):
    from campaign.core.models import AuditEntry
    from campaign.debates.models import Invitation

    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    listing = html(client.get(page, headers=EN))
    assert "Alfa Partij" in listing and "Invite" in listing
    alfa = next(p for p in edition.parties if p.key == "alfa")
    response = post_form(client, page, {"party_id": alfa.id, "language": "nl", "next": page}, token_from=page)
    assert response.status_code == 302 and response.location.endswith(page)

    invitation = db_session.scalar(select(Invitation).where(Invitation.debate_id == debate.id))
    assert (invitation.party_name, invitation.contact_email, invitation.party_id, invitation.status) == \
        ("Alfa Partij", "alfa@example.org", alfa.id, "invited")
    listing = html(client.get(page, headers=EN))
    assert "invited, no answer yet" in listing and "not sent yet" in listing
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "debate_invitation.add"))
    assert entry.parent_id == str(debate.id) and "alfa@example.org" not in str(entry.after)


@pytest.mark.parametrize("data, field, message", [
    ({"party_name": ""}, "invite-party-name", "Give the name of the party"),
    ({"party_name": "Delta", "contact_email": "geen-adres"}, "invite-contact-email",
     "Enter a valid email address, like name@example.org."),
    ({"party_name": "Alfa partij"}, "invite-party-name", "already invited"),
    ({"party_name": "Delta", "language": "fr"}, "invite-language", "Not a valid choice"),
    ({"party_name": "x" * 121}, "invite-party-name", "120"),
])
def test_bad_invitations_are_refused_naming_the_field(client, users, coordinator, debate, data, field, message):
    invite(debate, "Alfa Partij", "")
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    response = post_form(client, page, {"language": "nl", **data}, token_from=page, headers=EN)
    assert response.status_code == 422
    body = html(response)
    assert f'id="{field}-error"' in body and message in body
    assert len(debate.invitations) == 1


@pytest.mark.parametrize("other_party", ["another edition", "no such id"])
def test_a_party_of_another_edition_cannot_be_chosen(client, users, coordinator, debate, editions, db_session,
                                                     other_party):
    other = editions.create()  # another election
    party_id = other.parties[0].id if other_party == "another edition" else "9" * 30
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    response = post_form(client, page, {"party_id": party_id, "language": "nl"}, token_from=page, headers=EN)
    assert response.status_code == 422
    assert "Cultuurwijzer for this election" in html(response)
    db_session.refresh(debate)
    assert debate.invitations == []


def test_nobody_is_invited_to_a_cancelled_or_past_debate(debates):
    from campaign.core.errors import ValidationFailed

    for finished in (debates.create("cancelled"), debates.create("held", starts_at=local_evening(-2))):
        with pytest.raises(ValidationFailed, match="geannuleerd|voorbij"):
            invite(finished)
    # and once it is over, its invitations stay as the record of who took part
    from campaign.core.audit import Actor
    from campaign.debates.invitations import remove

    over = debates.create("held", starts_at=local_evening(-2), parties=[("Stadspartij", "Jan de Vries", "confirmed")])
    with pytest.raises(ValidationFailed, match="voorbij"):
        remove(Actor.system("tests"), over.invitations[0])


def test_htmx_gets_the_list_back_with_the_news(client, users, coordinator, debate):
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    token = csrf_token(client, page)
    response = client.post(page, data={"party_name": "Delta Partij", "contact_email": "delta@example.org",
                                       "language": "nl", "next": page},
                           headers={"HX-Request": "true", "X-CSRFToken": token, **EN})
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith("<section id=\"debate-invitations\"") and "<html" not in body
    assert "Delta Partij has been invited" in body
    assert f'name="next" value="{page}"' in body


def test_a_coordinator_outside_the_municipality_gets_404(client, users, debate):
    invitation = invite(debate)
    users.login(client, users.create("coordinator", municipalities=["GM0355"]))
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    assert client.get(page).status_code == 404
    token = csrf_token(client, "/beheer/inloggen")
    for path in (page, f"{page}/{invitation.id}/versturen", f"{page}/{invitation.id}/verwijderen"):
        assert client.post(path, data={"csrf_token": token, "party_name": "X"}).status_code == 404, path
    assert invitation.status == "invited" and len(debate.invitations) == 1


def test_an_invitation_of_another_debate_answers_404(client, users, coordinator, debates, debate):
    elsewhere = invite(debates.create("confirmed"))
    users.login(client, coordinator)
    path = f"/beheer/debatten/{debate.id}/uitnodigingen/{elsewhere.id}/versturen"
    assert post_form(client, path, {}, token_from=f"/beheer/debatten/{debate.id}/uitnodigingen").status_code == 404


# --- the link ------------------------------------------------------------------------------------------------

def test_sending_mails_the_party_its_link_in_its_language_and_stores_only_a_hash(
        client, users, coordinator, debate, mailbox, db_session):
    invitation = invite(debate, "Delta Party", "delta@example.org", language="en")
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    response = post_form(client, f"{page}/{invitation.id}/versturen", {"next": page}, token_from=page)
    assert response.status_code == 302

    (mail,) = mailbox.messages()
    assert mail["To"] == "delta@example.org"
    assert mail["Subject"] == "Invitation: Debat over muziekles"
    body = mailbox.body(mail)
    assert "Dear representative of Delta Party" in body
    (link,) = [u for u in mailbox.links(mail) if "/debatten/uitnodiging/" in u]
    token = link.rsplit("/", 1)[1]
    db_session.refresh(invitation)
    assert invitation.token_hash and token not in invitation.token_hash and invitation.invited_at
    assert invitation.token_expires_at == debate.ends_at
    assert client.get(f"/debatten/uitnodiging/{token}").status_code == 200


def test_a_new_link_replaces_the_earlier_one(client, debate):
    invitation = invite(debate)
    first = send(invitation)
    second = send(invitation)
    assert client.get(f"/debatten/uitnodiging/{first}").status_code == 404
    assert client.get(f"/debatten/uitnodiging/{second}").status_code == 200


def test_an_invitation_without_an_address_cannot_be_sent(client, users, coordinator, debate, mailbox):
    invitation = invite(debate, email="")
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    response = post_form(client, f"{page}/{invitation.id}/versturen", {}, token_from=page, headers=EN)
    assert response.status_code == 422 and "has no email address" in html(response)
    assert mailbox.messages() == []


# --- the party's answer --------------------------------------------------------------------------------------

def test_a_party_confirms_with_its_speaker_and_the_coordinator_is_told(client, debate, mailbox, db_session):
    from campaign.core.models import AuditEntry

    other = invite(debate, "Epsilon Partij", "eps@example.org")
    other.status, other.speaker_name = "confirmed", "Els Epsilon"
    invitation = invite(debate)
    token = send(invitation)
    mailbox.clear()

    page = client.get(f"/debatten/uitnodiging/{token}", headers=EN)
    assert page.status_code == 200
    body = html(page)
    assert "Debat over muziekles" in body and "Epsilon Partij" in body and "Your answer" in body
    assert "Els Epsilon" not in body  # other parties' speakers are the organiser's business
    assert page.headers["Cache-Control"] == "private, no-store" and page.headers["Referrer-Policy"] == "no-referrer"

    response = answer(client, token, speaker_name="  Dirk   Delta ", speaker_role="lijsttrekker",
                      message="Graag een statafel.")
    assert response.status_code == 302 and "beantwoord=1" in response.location
    done = html(client.get(response.location, headers=EN))
    assert "Delta Partij takes part" in done and "Dirk Delta" in done

    db_session.refresh(invitation)
    assert (invitation.status, invitation.speaker_name, invitation.speaker_role) == \
        ("confirmed", "Dirk Delta", "lijsttrekker")
    assert invitation.responded_at is not None
    (notice,) = mailbox.messages()
    assert notice["To"] == "coco@example.org"
    assert "Delta Partij" in notice["Subject"] and "Dirk Delta" in mailbox.body(notice)
    assert "Graag een statafel." in mailbox.body(notice)
    assert any(f"/beheer/debatten/{debate.id}/uitnodigingen" in u for u in mailbox.links(notice))
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "debate_invitation.answer"))
    assert entry.actor_label.startswith("Delta Partij") and entry.after == {"status": "confirmed"}
    assert "Dirk" not in str(entry.before) + str(entry.after) + entry.summary


def test_the_public_page_names_the_speaker_once_the_party_confirmed(client, debates):
    published = debates.create("published")
    token = send(invite(published))
    assert "Dirk Delta" not in html(client.get(f"/debatten/{published.id}"))
    answer(client, token, speaker_name="Dirk Delta")
    assert "Dirk Delta" in html(client.get(f"/debatten/{published.id}"))


def test_confirming_needs_a_speaker_and_the_answer_must_be_one_of_the_two(client, debate, mailbox, db_session):
    invitation = invite(debate)
    token = send(invitation)
    mailbox.clear()
    missing = answer(client, token, speaker_name="", headers=EN)
    assert missing.status_code == 422
    assert 'id="speaker_name-error"' in html(missing) and "Give the name of your speaker." in html(missing)
    nonsense = answer(client, token, status="maybe", speaker_name="Dirk", headers=EN)
    assert nonsense.status_code == 422 and 'id="status-error"' in html(nonsense)
    db_session.refresh(invitation)
    assert invitation.status == "invited" and mailbox.messages() == []


def test_a_party_may_change_its_answer_until_the_debate_starts(client, debate, mailbox, db_session):
    invitation = invite(debate)
    token = send(invitation)
    answer(client, token, speaker_name="Dirk Delta")
    mailbox.clear()

    assert answer(client, token, status="declined", speaker_name="Dirk Delta").status_code == 302
    db_session.refresh(invitation)
    assert (invitation.status, invitation.speaker_name) == ("declined", "")
    (notice,) = mailbox.messages()
    assert "Delta Partij" in notice["Subject"]

    mailbox.clear()
    assert answer(client, token, status="declined").status_code == 302  # the same answer again
    assert mailbox.messages() == []  # nothing changed: nobody is bothered

    from campaign.core.models import utcnow

    debate.starts_at, debate.ends_at = utcnow() - dt.timedelta(minutes=5), utcnow() + dt.timedelta(hours=2)
    db_session.commit()
    started = client.get(f"/debatten/uitnodiging/{token}", headers=EN)
    assert started.status_code == 200 and "The debate has started" in html(started)
    assert 'name="status"' not in html(started)
    refused = answer(client, token, speaker_name="Dirk Delta", headers=EN)
    assert refused.status_code == 422 and "The debate has started" in html(refused)
    db_session.refresh(invitation)
    assert invitation.status == "declined"


@pytest.mark.parametrize("state", ["cancelled", "over", "removed", "unknown"])
def test_a_link_that_no_longer_works_says_what_to_do(client, users, coordinator, debate, db_session, state):
    invitation = invite(debate)
    token = send(invitation)
    if state == "cancelled":
        debate.status = "cancelled"
    elif state == "over":
        debate.starts_at, debate.ends_at = local_evening(-2), local_evening(-2) + dt.timedelta(hours=2)
    elif state == "removed":
        from campaign.core.audit import Actor
        from campaign.debates.invitations import remove

        remove(Actor.system("tests"), invitation)
    else:
        token = "nope" + token[4:]
    db_session.commit()
    response = client.get(f"/debatten/uitnodiging/{token}", headers=EN)
    assert response.status_code == 404
    body = html(response)
    expected = {"cancelled": "has been cancelled", "over": "is over", "removed": "We do not know this link",
                "unknown": "We do not know this link"}[state]
    assert expected in body and "Your answer" not in body
    assert answer(client, token, speaker_name="Dirk").status_code == 404


def test_withdrawing_an_invitation(client, users, coordinator, debate, db_session):
    from campaign.debates.models import Invitation

    invitation = invite(debate)
    users.login(client, coordinator)
    page = f"/beheer/debatten/{debate.id}/uitnodigingen"
    response = post_form(client, f"{page}/{invitation.id}/verwijderen", {"next": page}, token_from=page)
    assert response.status_code == 302
    assert db_session.scalar(select(Invitation).where(Invitation.debate_id == debate.id)) is None
    page_after = html(client.get(page))
    assert "Delta Partij" in page_after  # the message that names the party
    assert 'data-action="debate_invitation.remove"' in page_after  # and the withdrawal in the history


def test_the_list_shows_each_answer_speaker_and_when(client, users, coordinator, debate):
    token = send(invite(debate))
    invite(debate, "Epsilon Partij", "eps@example.org")
    answer(client, token, speaker_name="Dirk Delta", speaker_role="lijsttrekker")
    users.login(client, coordinator)
    body = html(client.get(f"/beheer/debatten/{debate.id}/uitnodigingen", headers=EN))
    rows = dict(re.findall(r'<th scope="row">([^<]+)<br>.*?</th>\s*<td><span class="answer[^>]+>([^<]+)</span>',
                           body, re.S))
    assert rows == {"Delta Partij": "takes part", "Epsilon Partij": "invited, no answer yet"}
    assert "Dirk Delta" in body and "lijsttrekker" in body and "1 party takes part" in body

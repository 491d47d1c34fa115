"""The campaign team's pipeline board and application page: filters, moves, notifications, notes,
assignments, and a coordinator who only ever sees the applicants of their own municipalities."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from campaign.core.models import AuditEntry, Organisation
from campaign.coordinators.assignment import current_lead
from campaign.coordinators.models import Application, Completion, TrainingModule
from tests.helpers import csrf_token, statements

BOARD = "/beheer/coordinatoren/"


def page(application_id: int) -> str:
    return f"/beheer/coordinatoren/aanmeldingen/{application_id}"


def columns(html: str) -> dict[str, list[str]]:
    """status -> the names on the cards in that column, as the board shows them."""
    found = {}
    for chunk in html.split('<section class="board-column"')[1:]:
        status = re.search(r'id="column-(\w+)"', chunk).group(1)
        found[status] = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', chunk)
    return found


def names_on(html: str) -> set[str]:
    return {name for names in columns(html).values() for name in names}


@pytest.fixture()
def editor(users, english):
    user = users.create("editor")
    users.login(english, user)
    return user


def post(client, path: str, data: dict | None = None, *, token_from: str = BOARD, **kwargs):
    payload = {"csrf_token": csrf_token(client, token_from), **(data or {})}
    return client.post(path, data=payload, **kwargs)


def audit(db_session, application_id: int, action: str) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "application", AuditEntry.object_id == str(application_id),
        AuditEntry.action == action).order_by(AuditEntry.id)))


# --- the board -----------------------------------------------------------------------------------------------

def test_the_board_has_a_column_per_status_in_pipeline_order_and_only_counts_unverified(
        english, editor, applications):
    applications.create("verified", name="Anna Verified")
    applications.create("in_conversation", name="Bram Talking", municipalities=["GM0855"])
    applications.create("active", name="Carla Active")
    applications.create("applied", name="Dirk Unverified")
    applications.create("applied", name="Eva Unverified")

    html = english.get(BOARD).get_data(as_text=True)
    found = columns(html)
    assert list(found) == ["verified", "in_conversation", "accepted", "in_training", "active", "stopped",
                           "rejected", "withdrawn"]
    assert found["verified"] == ["Anna Verified"] and found["in_conversation"] == ["Bram Talking"]
    assert found["active"] == ["Carla Active"] and found["accepted"] == []
    assert "Dirk Unverified" not in html
    assert "2 applications wait for email verification" in html
    assert re.search(r'id="column-verified">[^<]*<span class="meta">\(1\)</span>', html)


def test_filters_by_province_status_and_name(english, editor, applications):
    applications.create("verified", name="Anna Utrecht")
    applications.create("verified", name="Bram Zeist", municipalities=["GM0355"])
    applications.create("accepted", name="Carla Tilburg", municipalities=["GM0855"])
    applications.create("applied", name="Dirk Unverified")

    assert names_on(english.get(BOARD + "?province=Utrecht").get_data(as_text=True)) == {"Anna Utrecht", "Bram Zeist"}
    assert names_on(english.get(BOARD + "?province=Noord-Brabant").get_data(as_text=True)) == {"Carla Tilburg"}
    by_status = english.get(BOARD + "?status=accepted").get_data(as_text=True)
    assert list(columns(by_status)) == ["accepted"] and names_on(by_status) == {"Carla Tilburg"}
    unverified = english.get(BOARD + "?status=applied").get_data(as_text=True)
    assert names_on(unverified) == {"Dirk Unverified"}
    assert names_on(english.get(BOARD + "?q=bram").get_data(as_text=True)) == {"Bram Zeist"}
    for wildcard in ("%25", "_"):  # a wildcard is just a character
        assert names_on(english.get(BOARD + "?q=" + wildcard).get_data(as_text=True)) == set(), wildcard


def test_an_unknown_filter_value_is_refused_and_ignored(english, editor, applications):
    applications.create("verified", name="Anna Utrecht")
    response = english.get(BOARD + "?status=sleeping&province=Atlantis")
    assert response.status_code == 422
    assert names_on(response.get_data(as_text=True)) == {"Anna Utrecht"}


def test_filtering_with_htmx_returns_only_the_board_and_without_it_the_whole_page(english, editor, applications):
    applications.create("verified", name="Anna Utrecht")
    applications.create("verified", name="Carla Tilburg", municipalities=["GM0855"])

    full = english.get(BOARD + "?province=Utrecht")
    fragment = english.get(BOARD + "?province=Utrecht", headers={"HX-Request": "true"})
    for response in (full, fragment):
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        assert names_on(response.get_data(as_text=True)) == {"Anna Utrecht"}
    assert "<html" in full.get_data(as_text=True) and 'hx-get="/beheer/coordinatoren/"' in full.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True) and "<h1" not in fragment.get_data(as_text=True)
    restored = english.get(BOARD + "?province=Utrecht",
                           headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.get_data(as_text=True)


def test_a_card_shows_places_organisation_days_and_whether_the_applicant_was_told(english, editor, applications,
                                                                                   db_session):
    school = Organisation(name="Muziekschool Zeist", kind="music_school", member=True)
    library = Organisation(name="Bibliotheek Utrecht", kind="partner", member=False)
    db_session.add_all([school, library])
    db_session.commit()
    applications.create("verified", name="Anna Member", municipalities=["GM0344", "GM0355"], organisation=school)
    applications.create("verified", name="Bram Partner", organisation=library)

    html = english.get(BOARD).get_data(as_text=True)
    anna = html.split(">Anna Member<")[1].split("</li>")[0]
    bram = html.split(">Bram Partner<")[1].split("</li>")[0]
    assert "Utrecht, Zeist" in anna and "Muziekschool Zeist" in anna and "(member)" in anna
    assert "Bibliotheek Utrecht" in bram and "member" not in bram
    assert "0 days in this status" in anna
    # The factory moves without mail, so nobody has been told they are verified yet.
    assert "Not yet notified" in anna and 'name="target"' in anna and 'value="in_conversation"' in anna


# --- moves ---------------------------------------------------------------------------------------------------

def test_moving_from_the_board_changes_the_status_and_mails_only_when_asked(english, editor, applications,
                                                                            db_session, mailbox):
    application = applications.create("verified", name="Anna Mover", language="en")
    move = f"{page(application.id)}/status"

    response = post(english, move, {"target": "in_conversation", "next": BOARD + "?province=Utrecht"})
    assert response.status_code == 302 and response.location == BOARD + "?province=Utrecht"
    db_session.refresh(application)
    assert application.status == "in_conversation" and application.awaits_notification
    assert mailbox.messages() == []
    entry = audit(db_session, application.id, "application.move")[-1]
    assert (entry.before, entry.after) == ({"status": "verified"}, {"status": "in_conversation"})
    assert entry.actor_id == editor.id
    assert "The applicant has not been notified yet" in english.get(BOARD).get_data(as_text=True)

    response = post(english, move, {"target": "accepted", "notify": "y"})
    assert response.status_code == 302 and response.location == BOARD
    db_session.refresh(application)
    assert application.status == "accepted" and not application.awaits_notification
    [mail] = mailbox.messages()
    assert mail["To"] == application.email and mail["Subject"] == "Welcome as culture coordinator"
    assert any("/beheer/wachtwoord" in link or "token" in link for link in mailbox.links(mail))


def test_a_move_with_htmx_returns_the_board_with_its_filters_kept(english, editor, applications, db_session):
    anna = applications.create("verified", name="Anna Utrecht")
    applications.create("verified", name="Carla Tilburg", municipalities=["GM0855"])
    response = post(english, f"{page(anna.id)}/status",
                    {"target": "in_conversation", "province": "Utrecht", "status": "", "q": ""},
                    headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert columns(html)["in_conversation"] == ["Anna Utrecht"] and "Carla Tilburg" not in html
    assert 'name="province" value="Utrecht"' in html
    assert "Anna Utrecht is now in conversation." in html


def test_a_move_that_is_not_allowed_is_refused_with_the_allowed_moves_and_changes_nothing(
        english, editor, applications, db_session, mailbox):
    application = applications.create("verified", name="Anna Early")
    moves_before = len(audit(db_session, application.id, "application.move"))

    response = post(english, f"{page(application.id)}/status", {"target": "active", "notify": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An application that is verified cannot become active" in html
    assert "Possible: in conversation, rejected, withdrawn" in html
    db_session.expire_all()
    assert db_session.get(Application, application.id).status == "verified"
    assert len(audit(db_session, application.id, "application.move")) == moves_before
    assert mailbox.messages() == []

    # From the application page, the refusal shows on that page, beside the status field.
    response = post(english, f"{page(application.id)}/status", {"target": "accepted", "view": "application"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="target-error"' in html and "cannot become accepted" in html and "<h1>Anna Early</h1>" in html


def test_a_move_form_error_on_the_application_page_is_shown_once(english, editor, applications, db_session):
    application = applications.create("verified", name="Anna Once")
    response = post(english, f"{page(application.id)}/status",
                    {"target": "in_conversation", "message": "x" * 2001, "view": "application"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<h1>Anna Once</h1>" in html and 'id="move-message-error"' in html
    assert html.count("Field cannot be longer than 2000 characters.") == 1
    db_session.expire_all()
    assert db_session.get(Application, application.id).status == "verified"


def test_becoming_active_is_refused_while_a_required_module_is_missing(english, editor, applications, db_session):
    application = applications.create("in_training", name="Anna Trainee")
    db_session.add(TrainingModule(title="Lokaal lobbyen", required=True))
    db_session.commit()
    response = post(english, f"{page(application.id)}/status", {"target": "active"})
    assert response.status_code == 422 and "Lokaal lobbyen" in response.get_data(as_text=True)
    assert "Lokaal lobbyen" in english.get(page(application.id)).get_data(as_text=True)  # training summary


def test_notifying_later_sends_the_mail_once(english, editor, applications, db_session, mailbox):
    application = applications.create("in_conversation", name="Anna Later", language="en")
    html = english.get(page(application.id)).get_data(as_text=True)
    assert "Send the notification now" in html

    response = post(english, f"{page(application.id)}/melden", {"message": "We call you on Tuesday."},
                    token_from=page(application.id))
    assert response.status_code == 302
    [mail] = mailbox.messages()
    assert mail["To"] == application.email and "We call you on Tuesday." in mailbox.body(mail)
    assert mail["Subject"] == "Let's talk about becoming culture coordinator"
    db_session.refresh(application)
    assert not application.awaits_notification
    assert "Send the notification now" not in english.get(page(application.id)).get_data(as_text=True)

    post(english, f"{page(application.id)}/melden", token_from=page(application.id))
    assert len(mailbox.messages()) == 1  # a second click sends nothing


# --- the application page ------------------------------------------------------------------------------------

def test_the_application_page_shows_every_answer_consent_and_history(english, editor, applications, db_session):
    school = Organisation(name="Muziekschool Zeist", kind="music_school", member=True)
    db_session.add(school)
    db_session.commit()
    application = applications.create("verified", name="Anna Full", phone="030 123 4567", organisation=school,
                                      municipalities=["GM0344", "GM0355"], motivation="Muziek voor iedereen.",
                                      availability="Woensdagavond.", experience="Koorleider.", language="en")
    html = english.get(page(application.id)).get_data(as_text=True)
    for text in ("Anna Full", application.email, "030 123 4567", "Utrecht, Zeist", "Muziekschool Zeist",
                 "music school", "member", "Muziek voor iedereen.", "Woensdagavond.", "Koorleider.",
                 "<dd>English</dd>",  # (the language menu says "English" on every page)
                 "Version test", "Status changed", "Email address verified"):
        assert text in html, text
    assert 'name="notes"' in html and 'name="target"' in html
    assert english.get(page(application.id + 1000)).status_code == 404


def test_notes_are_saved_and_the_log_says_only_that_they_changed(english, editor, applications, db_session):
    application = applications.create("verified", name="Anna Notes")
    response = post(english, f"{page(application.id)}/notities", {"notes": "Sterk netwerk bij de bibliotheek."},
                    token_from=page(application.id))
    assert response.status_code == 302
    db_session.refresh(application)
    assert application.notes == "Sterk netwerk bij de bibliotheek."
    [entry] = audit(db_session, application.id, "application.notes")
    assert "bibliotheek" not in repr((entry.summary, entry.before, entry.after))
    html = english.get(page(application.id)).get_data(as_text=True)
    assert "Sterk netwerk bij de bibliotheek." in html and "Internal notes changed" in html

    too_long = post(english, f"{page(application.id)}/notities", {"notes": "x" * 10_001},
                    token_from=page(application.id))
    assert too_long.status_code == 422
    db_session.refresh(application)
    assert application.notes == "Sterk netwerk bij de bibliotheek."


# --- assignments ---------------------------------------------------------------------------------------------

def test_assign_a_second_coordinator_make_them_lead_and_end_an_assignment(english, editor, applications, db_session,
                                                                          places):
    first = applications.create("accepted", name="Anna First", municipalities=["GM0344"])
    second = applications.create("accepted", name="Bram Second", municipalities=["GM0355"])
    assert current_lead(places["GM0344"]).application_id == first.id

    response = post(english, f"{page(second.id)}/toewijzen", {"municipality": "GM0344"}, token_from=page(second.id))
    assert response.status_code == 302
    db_session.expire_all()
    assert current_lead(places["GM0344"]).application_id == first.id  # the second is not lead unless asked
    html = english.get(page(second.id)).get_data(as_text=True)
    utrecht_row = html.split('<th scope="row">Utrecht</th>')[1].split("</tr>")[0]
    assert "Make lead" in utrecht_row and "Lead coordinator</strong>" not in utrecht_row

    response = post(english, f"{page(second.id)}/toewijzing/GM0344/lead", token_from=page(second.id))
    assert response.status_code == 302
    db_session.expire_all()
    assert current_lead(places["GM0344"]).application_id == second.id
    assert [a.is_lead for a in db_session.get(Application, first.id).assignments] == [False]
    first_row = english.get(page(first.id)).get_data(as_text=True).split('<th scope="row">Utrecht</th>')[1]
    assert "Make lead" in first_row.split("</tr>")[0]

    response = post(english, f"{page(second.id)}/toewijzing/GM0355/einde", token_from=page(second.id))
    assert response.status_code == 302
    db_session.expire_all()
    second = db_session.get(Application, second.id)
    assert [a.municipality.code for a in second.assignments] == ["GM0344"]
    assert [m.code for m in second.user.municipalities] == ["GM0344"]  # the account's scope follows
    assert [e.before["municipality"] for e in audit(db_session, second.id, "application.unassign")] == ["GM0355"]
    assert post(english, f"{page(second.id)}/toewijzing/GM0355/einde", token_from=page(second.id)).status_code == 404
    assert post(english, f"{page(second.id)}/toewijzing/GM9999/lead", token_from=page(second.id)).status_code == 404


def test_only_accepted_coordinators_can_be_assigned(english, editor, applications, db_session):
    application = applications.create("in_conversation", name="Anna Early")
    response = post(english, f"{page(application.id)}/toewijzen", {"municipality": "GM0014"},
                    token_from=page(application.id))
    assert response.status_code == 422
    assert "Only accepted coordinators can be assigned" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Application, application.id).assignments == []
    unknown = post(english, f"{page(application.id)}/toewijzen", {"municipality": "GM9999"},
                   token_from=page(application.id))
    assert unknown.status_code == 422


# --- coordinators: look, scoped, never change ----------------------------------------------------------------

@pytest.fixture()
def scoped(english, users, applications):
    """A coordinator for Utrecht; applicants in Utrecht (theirs), Zeist (same province) and Tilburg."""
    mine = applications.create("verified", name="Anna Utrecht", municipalities=["GM0344"])
    zeist = applications.create("verified", name="Bram Zeist", municipalities=["GM0355"])
    tilburg = applications.create("accepted", name="Carla Tilburg", municipalities=["GM0855"])
    unverified = applications.create("applied", name="Dirk Zeist", municipalities=["GM0355"])
    coordinator = users.create("coordinator", municipalities=["GM0344"])
    users.login(english, coordinator)
    return {"mine": mine, "others": [zeist, tilburg, unverified]}


def test_a_coordinator_never_sees_another_municipalitys_applicants(english, scoped):
    others = {a.name for a in scoped["others"]}
    queries = ["", "?province=Utrecht", "?province=Noord-Brabant", "?province=Groningen"]
    queries += [f"?status={s}" for s in ("applied", "verified", "accepted")]
    queries += ["?q=Bram", "?q=Zeist", "?q=Carla", "?q=example.org", "?province=Utrecht&status=applied&q=Dirk"]
    for query in queries:
        html = english.get(BOARD + query).get_data(as_text=True)
        assert not others & names_on(html) and not any(name in html for name in others), query
    assert names_on(english.get(BOARD).get_data(as_text=True)) == {"Anna Utrecht"}
    assert "wait for email verification" not in english.get(BOARD).get_data(as_text=True)
    for other in scoped["others"]:
        assert english.get(page(other.id)).status_code == 404


def test_a_coordinator_never_sees_unverified_applications_not_even_for_their_own_municipality(
        english, scoped, applications, users, db_session):
    """Until its owner confirms the address, an application may be a stranger's typing: campaign team only."""
    unverified = applications.create("applied", name="Erik Unconfirmed", municipalities=["GM0344"])
    for query in ("", "?status=applied", "?status=applied&q=Erik", "?q=Erik"):
        html = english.get(BOARD + query).get_data(as_text=True)
        assert "Erik Unconfirmed" not in html and "email verification" not in html, query
    status_select = english.get(BOARD).get_data(as_text=True).split('id="status"')[1].split("</select>")[0]
    assert 'value="applied"' not in status_select and 'value="verified"' in status_select
    assert english.get(page(unverified.id)).status_code == 404

    users.login(english, users.create("editor"))
    html = english.get(BOARD).get_data(as_text=True)
    assert "2 applications wait for email verification" in html  # Dirk in Zeist and Erik
    assert "Erik Unconfirmed" in english.get(BOARD + "?status=applied").get_data(as_text=True)
    assert english.get(page(unverified.id)).status_code == 200


def test_a_coordinator_may_filter_only_by_their_own_provinces_and_has_no_forms(english, scoped):
    html = english.get(BOARD).get_data(as_text=True)
    province_select = html.split('id="province"')[1].split("</select>")[0]
    assert re.findall(r'<option[^>]*value="([^"]*)"', province_select) == ["", "Utrecht"]
    assert 'name="target"' not in html and 'method="post" action="/beheer/coordinatoren/aanmeldingen' not in html
    mine = english.get(page(scoped["mine"].id)).get_data(as_text=True)
    assert "Anna Utrecht" in mine
    assert 'name="target"' not in mine and 'name="notes"' not in mine and 'name="municipality"' not in mine


@pytest.mark.parametrize("suffix, data", [
    ("/status", {"target": "in_conversation"}), ("/melden", {}), ("/notities", {"notes": "x"}),
    ("/toewijzen", {"municipality": "GM0344"}), ("/toewijzing/GM0344/lead", {}), ("/toewijzing/GM0344/einde", {}),
])
def test_every_change_is_for_editors_only(english, scoped, db_session, suffix, data):
    mine = scoped["mine"]
    response = post(english, page(mine.id) + suffix, data)
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Application, mine.id).status == "verified"


def test_completed_modules_show_on_the_application_page(english, editor, applications, db_session):
    application = applications.create("in_training", name="Anna Trainee")
    module = TrainingModule(title="De Cultuurwijzer uitleggen", required=True)
    db_session.add(module)
    db_session.flush()
    db_session.add(Completion(application_id=application.id, module_id=module.id))
    db_session.commit()
    html = english.get(page(application.id)).get_data(as_text=True)
    assert "Completed: De Cultuurwijzer uitleggen" in html and "Every required module is completed." in html


def test_the_board_takes_the_same_queries_for_two_or_twenty_applications(english, editor, applications, db_session):
    def queries() -> int:
        with statements() as ran:
            assert english.get(BOARD).status_code == 200
        return len(ran)

    school = Organisation(name="Muziekschool Zeist", kind="music_school", member=True)
    db_session.add(school)
    db_session.commit()
    for _ in range(2):
        applications.create("verified", organisation=school, municipalities=["GM0344", "GM0355"])
    few = queries()
    for status in ("verified", "in_conversation", "rejected") * 6:
        applications.create(status, organisation=school, municipalities=["GM0344", "GM0355"])
    assert queries() == few


def test_a_long_column_shows_those_waiting_longest_and_links_to_all_of_it(english, editor, applications,
                                                                           db_session, monkeypatch):
    from campaign.coordinators import board as board_domain

    monkeypatch.setattr(board_domain, "COLUMN_LIMIT", 2)
    people = [applications.create("verified", name=f"Wachtende {n}") for n in range(3)]
    people[2].status_changed_at = people[0].status_changed_at - dt.timedelta(days=9)  # waits longest
    applications.create("rejected", name="Afgewezen Een")
    db_session.commit()

    html = english.get(BOARD).get_data(as_text=True)
    assert "2 of 3" in html and 'href="/beheer/coordinatoren/?status=verified"' in html
    assert "Wachtende 2" in html and "Wachtende 0" in html and "Wachtende 1" not in html
    assert "Afgewezen Een" in html  # other columns are not cut
    whole = english.get(f"{BOARD}?status=verified").get_data(as_text=True)
    assert all(f"Wachtende {n}" in whole for n in range(3))

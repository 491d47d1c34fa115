"""The editorial workflow: building an edition, parties entering positions by link, review, publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from campaign.core.audit import Actor, history
from campaign.core.errors import ValidationFailed
from campaign.core.models import Municipality, utcnow
from campaign.cultuurwijzer import editorial, submissions
from campaign.cultuurwijzer.advice import published_edition
from tests.conftest import count_rows
from tests.helpers import csrf_token, post_form

EDITOR = Actor.system("test editor")
FULL = {"muziekles": ("agree", "Ja."), "cultuurpas": ("agree", "Ja."), "oefenruimte": ("neutral", "Soms."),
        "bezuiniging": ("disagree", "Nee.")}


def party(edition, key):
    return next(p for p in edition.parties if p.key == key)


# --- domain --------------------------------------------------------------------------------------------------

def test_statements_are_added_reordered_and_removed_only_in_draft(editions, db_session):
    edition = editions.create(status="draft")
    added = editorial.add_statement(EDITOR, edition, theme="Erfgoed", title="Een nieuw museum!",
                                    text="Er komt een museum.")
    assert added.key == "een-nieuw-museum" and added.sort_order == 5
    editorial.move_statement(EDITOR, added, -1)
    assert [s.key for s in edition.statements][-2:] == ["een-nieuw-museum", "bezuiniging"]
    assert editorial.move_statement(EDITOR, edition.statements[0], -1) is False  # first stays first
    editorial.delete_statement(EDITOR, party(edition, "alfa").edition.statements[0])
    assert [s.sort_order for s in edition.statements] == [1, 2, 3, 4]
    db_session.commit()

    edition.status = "open"
    with pytest.raises(ValidationFailed) as failed:
        editorial.add_statement(EDITOR, edition, theme="X", title="Y", text="Z")
    assert failed.value.problems[0].field == "status"
    editorial.update_statement(EDITOR, edition.statements[0], theme="T", title="Typo fixed", text="Tekst.",
                               background="")  # corrections stay possible
    actions = [e.action for e in history("edition", edition.id)]
    assert actions[:1] == ["statement.update"] and "statement.move" in actions and "statement.delete" in actions


def test_statement_fields_are_checked_and_named(editions):
    edition = editions.create(status="draft")
    with pytest.raises(ValidationFailed) as failed:
        editorial.add_statement(EDITOR, edition, theme="", title="x" * 201, text="ok")
    assert {p.field for p in failed.value.problems} == {"theme", "title"}


def test_party_list_numbers_and_names_are_unique(editions):
    edition = editions.create(status="draft")
    with pytest.raises(ValidationFailed) as failed:
        editorial.add_party(EDITOR, edition, name="alfa partij", list_number=2, contact_email="nope")
    assert {p.field for p in failed.value.problems} == {"name", "list_number", "contact_email"}
    with pytest.raises(ValidationFailed) as failed:  # the form's limits, kept by the domain for every caller
        editorial.add_party(EDITOR, edition, name="Nieuw", list_number=10**20, contact_email="x@example." + "o" * 250)
    assert {p.field for p in failed.value.problems} == {"list_number", "contact_email"}


def test_opening_needs_a_future_deadline(editions):
    edition = editions.create(status="draft")
    now = utcnow()
    with pytest.raises(ValidationFailed) as failed:
        editorial.change_status(EDITOR, edition, "open", deadline=now - dt.timedelta(hours=1), now=now)
    assert failed.value.problems[0].field == "deadline"
    editorial.change_status(EDITOR, edition, "open", deadline=now + dt.timedelta(days=3), now=now)
    assert edition.status == "open"


def test_transitions_outside_the_lifecycle_are_refused(editions):
    edition = editions.create(status="draft")
    with pytest.raises(ValidationFailed, match="cannot become|kan niet"):
        editorial.change_status(EDITOR, edition, "published")


def test_a_party_saves_a_draft_then_submits_and_is_locked(open_edition, party_links, db_session):
    alfa = party(open_edition, "alfa")
    assert alfa.submission_status == "invited"
    submissions.save_positions(alfa, {"muziekles": ("agree", "Ja.")}, submit=False)
    assert alfa.submission_status == "draft"
    with pytest.raises(ValidationFailed) as failed:
        submissions.save_positions(alfa, {"muziekles": ("agree", "Ja.")}, submit=True)
    assert {p.field for p in failed.value.problems} == {"position-cultuurpas", "position-oefenruimte",
                                                         "position-bezuiniging"}
    submissions.save_positions(alfa, FULL, submit=True)
    assert alfa.submission_status == "submitted"
    with pytest.raises(ValidationFailed, match="locked|vergrendeld"):
        submissions.save_positions(alfa, FULL, submit=False)


def test_nothing_is_written_when_one_statement_is_wrong(open_edition, party_links, db_session):
    alfa = party(open_edition, "alfa")
    answers = dict(FULL, bezuiniging=("maybe", ""), cultuurpas=("agree", "x" * 1001))
    with pytest.raises(ValidationFailed) as failed:
        submissions.save_positions(alfa, answers, submit=False)
    assert {p.field for p in failed.value.problems} == {"position-bezuiniging", "explanation-cultuurpas"}
    db_session.rollback()
    assert party(open_edition, "alfa").positions == []


def test_the_deadline_closes_the_form_but_a_returned_set_stays_editable(open_edition, party_links):
    alfa = party(open_edition, "alfa")
    after = open_edition.deadline + dt.timedelta(minutes=1)
    assert submissions.edit_block(alfa, now=after)
    submissions.save_positions(alfa, FULL, submit=True)
    submissions.review(EDITOR, alfa, accept=False, comment="Leg de bezuiniging beter uit.", now=after)
    assert submissions.edit_block(alfa, now=after) is None
    submissions.save_positions(alfa, FULL, submit=True, now=after)


def test_publishing_needs_every_party_reviewed_and_missing_positions_accepted(open_edition, party_links,
                                                                              db_session):
    alfa, beta, gamma = (party(open_edition, k) for k in ("alfa", "beta", "gamma"))
    submissions.save_positions(alfa, FULL, submit=True)
    submissions.save_positions(beta, FULL, submit=True)
    submissions.save_positions(gamma, dict(FULL, cultuurpas=(None, "Daar hebben we geen standpunt over.")),
                               submit=True)
    editorial.change_status(EDITOR, open_edition, "review")
    submissions.review(EDITOR, alfa, accept=True)
    with pytest.raises(ValidationFailed) as failed:
        editorial.change_status(EDITOR, open_edition, "published")
    fields = [p.field for p in failed.value.problems]
    assert fields.count("review") == 2 and "accept_missing" in fields

    submissions.review(EDITOR, beta, accept=True)
    submissions.review(EDITOR, gamma, accept=True)
    with pytest.raises(ValidationFailed) as failed:
        editorial.change_status(EDITOR, open_edition, "published")
    assert [p.field for p in failed.value.problems] == ["accept_missing"]
    editorial.change_status(EDITOR, open_edition, "published", accept_missing=True)
    db_session.commit()
    assert open_edition.missing_accepted and open_edition.published_at is not None
    compiled = published_edition(municipality_code="GM0344")
    assert compiled is not None and compiled.revision == open_edition.revision


def test_a_new_link_revokes_the_old_one(app, open_edition, party_links, db_session, mailbox):
    alfa = party(open_edition, "alfa")
    old = party_links["alfa"]
    new = submissions.issue_link(EDITOR, alfa, lambda token: token)
    db_session.commit()
    assert submissions.resolve_link(old).problem == "revoked"
    assert submissions.resolve_link(new).party is alfa
    assert submissions.resolve_link("made-up").problem == "unknown"
    later = open_edition.deadline + dt.timedelta(days=app.config["PARTY_LINK_GRACE_DAYS"], seconds=1)
    assert submissions.resolve_link(new, now=later).problem == "expired"


# --- the party's pages -----------------------------------------------------------------------------------------

def test_a_party_fills_in_its_form_through_the_link(client, open_edition, party_links, mailbox, db_session):
    path = f"/partij/{party_links['alfa']}"
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    html = page.get_data(as_text=True)
    assert "Alfa Partij" in html and "Beta Beweging" not in html
    assert 'maxlength="1000"' in html

    data = {f"position-{k}": v for k, (v, _) in FULL.items()} | {f"explanation-{k}": e for k, (_, e) in FULL.items()}
    response = post_form(client, path, data | {"action": "save"}, token_from=path)
    assert response.status_code == 302
    db_session.expire_all()
    assert party(open_edition, "alfa").submission_status == "draft"
    response = post_form(client, path, data | {"action": "submit"}, token_from=path)
    assert response.status_code == 302
    locked = client.get(path).get_data(as_text=True)
    assert 'name="action"' not in locked  # no more save or submit buttons
    entries = [e for e in history("party", "alfa", with_children=False, parent=("edition", open_edition.id)) if e.action == "party.submit"]
    assert entries and "Alfa Partij" in entries[0].actor_label


def test_bad_input_on_the_party_form_is_shown_and_nothing_saved(client, open_edition, party_links, db_session):
    path = f"/partij/{party_links['beta']}"
    response = post_form(client, path, {"position-muziekles": "agree", "explanation-muziekles": "x" * 1200,
                                        "action": "save"}, token_from=path)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="explanation-muziekles-error"' in html and "x" * 1200 in html  # what was typed is kept
    db_session.expire_all()
    assert party(open_edition, "beta").positions == []


@pytest.mark.parametrize("problem, status", [("revoked", 410), ("expired", 410), ("unknown", 404)])
def test_dead_links_get_a_clear_page(client, open_edition, party_links, db_session, problem, status):
    token = party_links["gamma"]
    link = party(open_edition, "gamma").links[0]
    if problem == "revoked":
        submissions.revoke_links(EDITOR, party(open_edition, "gamma"))
    elif problem == "expired":
        link.expires_at = utcnow() - dt.timedelta(seconds=1)
    else:
        token = ("y" if token.startswith("x") else "x") + token[1:]  # a token that is surely not the real one
    db_session.commit()
    response = client.get(f"/partij/{token}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert "Gamma Groep" not in html and "<form" not in html.split("<main", 1)[1]
    assert "redactie" in html  # tells who to ask for a new link


def test_a_link_reaches_only_its_own_party(client, open_edition, party_links, db_session):
    """Alfa's link shows and writes only Alfa's positions, even when the form names Beta's fields."""
    beta = party(open_edition, "beta")
    submissions.save_positions(beta, {"muziekles": ("disagree", "Beta's concept.")}, submit=False)
    db_session.commit()
    path = f"/partij/{party_links['alfa']}"
    assert "Beta's concept." not in client.get(path).get_data(as_text=True)
    post_form(client, path, {"position-muziekles": "agree", "party": "beta", "party_id": beta.id,
                             "action": "save"}, token_from=path)
    db_session.expire_all()
    assert [(p.value, p.explanation) for p in party(open_edition, "beta").positions] == [(-1, "Beta's concept.")]
    assert [p.value for p in party(open_edition, "alfa").positions] == [1]


# --- the editor's pages ----------------------------------------------------------------------------------------

def test_an_editor_builds_opens_reviews_and_publishes_in_the_browser(client, editor, editions, mailbox,
                                                                     db_session):
    editions.create()  # election test2026 and municipality GM0344 (published already)
    db_session.add(Municipality(code="GM0014", name="Groningen", province="Groningen"))
    db_session.commit()

    response = post_form(client, "/beheer/cultuurwijzer/edities/nieuw",
                         {"election": open_edition_election(db_session), "municipality": "GM0014"},
                         token_from="/beheer/cultuurwijzer/edities/nieuw")
    assert response.status_code == 302
    base = response.location
    assert base.endswith("/edities/test2026-gm0014")
    new = "/beheer/cultuurwijzer/edities/test2026-gm0014"
    for title in ("Muziekles op school", "Een cultuurpas"):
        r = post_form(client, f"{new}/stellingen/nieuw", {"theme": "Onderwijs", "title": title, "text": title + "."},
                      token_from=f"{new}/stellingen/nieuw")
        assert r.status_code == 302
    for name, number in (("Partij Een", 1), ("Partij Twee", 2)):
        r = post_form(client, f"{new}/partijen/nieuw", {"name": name, "list_number": number,
                                                        "contact_email": f"{number}@example.org"},
                      token_from=f"{new}/partijen/nieuw")
        assert r.status_code == 302

    # Move the second statement up, without JavaScript (a form post and a redirect).
    r = post_form(client, f"{new}/stellingen/een-cultuurpas/verplaatsen", {"direction": "up"}, token_from=new)
    assert r.status_code == 302
    page = client.get(new).get_data(as_text=True)
    assert page.index("Een cultuurpas") < page.index("Muziekles op school")

    deadline = (dt.datetime.now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    r = post_form(client, f"{new}/status", {"target": "open", "deadline": deadline}, token_from=new)
    assert r.status_code == 302
    r = post_form(client, f"{new}/partijen/partij-een/link", token_from=new)
    assert r.status_code == 200
    [mail] = mailbox.messages()
    assert mail["To"] == "1@example.org"
    [link] = mailbox.links(mail)
    party_path = link.replace("http://cultuurwijzer.test", "")
    assert party_path in r.get_data(as_text=True)  # shown once to the editor too

    # Publishing too early says what is missing.
    r = post_form(client, f"{new}/status", {"target": "review"}, token_from=new)
    r = post_form(client, f"{new}/status", {"target": "published"}, token_from=new)
    assert r.status_code == 422
    assert "Partij Een" in r.get_data(as_text=True) and "Partij Twee" in r.get_data(as_text=True)


def open_edition_election(db_session):
    from campaign.core.models import Election

    return db_session.query(Election).filter_by(slug="test2026").one().id


@pytest.mark.parametrize("kind, first, second, anchor", [
    ("stellingen", {"theme": "Erfgoed", "title": "Een museum", "text": "Er komt een museum."},
     {"theme": "Erfgoed", "title": "Een archief", "text": "Er komt een archief."}, "#statements"),
    ("partijen", {"name": "Delta Lijst", "list_number": 4}, {"name": "Epsilon", "list_number": 5}, "#parties"),
])
def test_save_and_add_another_opens_the_form_again(client, editor, editions, kind, first, second, anchor):
    edition = editions.create(status="draft")
    form = f"/beheer/cultuurwijzer/edities/{edition.id}/{kind}/nieuw"
    again = post_form(client, form, first | {"again": "1"}, token_from=form)
    assert again.status_code == 302 and again.location.endswith(form)
    done = post_form(client, form, second, token_from=form)
    assert done.status_code == 302 and done.location.endswith(f"/edities/{edition.id}{anchor}")
    page = client.get(f"/beheer/cultuurwijzer/edities/{edition.id}").get_data(as_text=True)
    for data in (first, second):
        assert data.get("title", data.get("name")) in page


def test_a_taken_municipality_is_refused_beside_its_field(client, editor, editions, db_session, monkeypatch):
    editions.create()  # test2026 covers Utrecht
    # As if another editor took Utrecht after this form was loaded: the list still offers it.
    monkeypatch.setattr(editorial, "municipalities_without_edition",
                        lambda election: list(db_session.scalars(select(Municipality))))
    path = "/beheer/cultuurwijzer/edities/nieuw"
    response = post_form(client, path, {"election": open_edition_election(db_session), "municipality": "GM0344"},
                         token_from=path)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="municipality-error"' in html and "Utrecht heeft al een editie" in html
    assert count_rows(db_session, "edition") == 1


def test_sending_back_needs_a_comment(client, editor, open_edition, party_links, db_session):
    path = f"/beheer/cultuurwijzer/edities/{open_edition.id}/partijen/alfa"
    r = post_form(client, f"{path}/beoordeling", {"decision": "return", "comment": ""}, token_from=path)
    assert r.status_code == 422 and 'id="comment-error"' in r.get_data(as_text=True)


def test_a_party_page_shows_only_its_own_editions_history(client, editor, editions, db_session):
    first = editions.create(status="draft")
    other = editions.create(status="draft", id="test2026-gm0014",
                            municipality={"code": "GM0014", "name": "Groningen", "province": "Groningen"})
    editorial.update_party(EDITOR, party(other, "alfa"), name="Alfa Groningen", list_number=1, contact_email="")
    editorial.update_party(EDITOR, party(first, "alfa"), name="Alfa Utrecht", list_number=1, contact_email="")
    db_session.commit()
    page = client.get(f"/beheer/cultuurwijzer/edities/{first.id}/partijen/alfa").get_data(as_text=True)
    assert "Alfa Utrecht" in page and "Alfa Groningen" not in page


def test_unknown_editions_statements_and_parties_are_404(client, editor, editions):
    edition = editions.create(status="draft")
    base = f"/beheer/cultuurwijzer/edities/{edition.id}"
    assert client.get(f"{base}/stellingen/muziekles").status_code == 200
    assert client.get(f"{base}/partijen/alfa").status_code == 200
    for path in ("/beheer/cultuurwijzer/edities/nope", f"{base}/stellingen/nope", f"{base}/partijen/nope",
                 "/beheer/cultuurwijzer/edities/nope/partijen/alfa"):
        assert client.get(path).status_code == 404, path


def test_list_pages_take_as_many_queries_for_more_editions_and_parties(client, editor, editions, db_session):
    from tests.factories import edition_document
    from tests.helpers import statements

    pages = ("/beheer/cultuurwijzer/edities", "/beheer/cultuurwijzer/edities/test2026-gm0344", "/open-data/")

    def queries() -> list[int]:
        counts = []
        for page in pages:
            with statements() as ran:
                assert client.get(page).status_code == 200, page
            counts.append(len(ran))
        return counts

    edition = editions.create(status="draft")
    few = queries()
    for n in range(3):
        editorial.add_party(EDITOR, edition, name=f"Extra {n}")
        doc = edition_document(id=f"test2026-gm001{n}")
        doc["municipality"] = {"code": f"GM001{n}", "name": f"Plaats {n}", "province": "Groningen"}
        editions.create(doc)
    db_session.commit()
    assert queries() == few


def test_the_municipality_list_follows_the_chosen_election(client, editor, editions, db_session):
    from campaign.core.models import Election

    editions.create()  # test2026 covers Utrecht
    db_session.add(Election(slug="gr2030", name="Verkiezing 2030", date=dt.date(2030, 3, 20)))
    db_session.commit()
    later = db_session.query(Election).filter_by(slug="gr2030").one()
    test2026 = db_session.query(Election).filter_by(slug="test2026").one()
    assert "GM0344" in client.get(f"/beheer/cultuurwijzer/edities/nieuw?election={later.id}").get_data(as_text=True)
    assert 'value="GM0344"' not in client.get(
        f"/beheer/cultuurwijzer/edities/nieuw?election={test2026.id}").get_data(as_text=True)


def test_a_refused_reorder_with_htmx_says_why_in_the_swapped_list(client, editor, open_edition, db_session):
    from campaign.cultuurwijzer.models import Statement

    base = f"/beheer/cultuurwijzer/edities/{open_edition.id}"
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    key = db_session.scalars(select(Statement.key).where(Statement.edition_id == open_edition.id)
                             .order_by(Statement.sort_order)).all()[1]
    token = csrf_token(client, base)
    response = client.post(f"{base}/stellingen/{key}/verplaatsen", data={"direction": "up", "csrf_token": token},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html and "This is not possible yet:" in html  # only the list, with the reason
    full = client.get(base).get_data(as_text=True)
    assert full.count("This is not possible yet:") == 0


def test_a_party_gets_its_link_in_dutch_whatever_the_editor_reads(client, editor, open_edition, mailbox):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    base = f"/beheer/cultuurwijzer/edities/{open_edition.id}"
    assert post_form(client, f"{base}/partijen/alfa/link", token_from=base).status_code == 200
    [mail] = mailbox.messages()
    assert mail["Subject"].startswith("Cultuurwijzer ") and "vul de standpunten" in mail["Subject"].lower()

"""The editorial round trip in a real browser: from an empty edition to a citizen's advice.

An editor creates an edition for a municipality that has none, writes three statements (and reorders them
with htmx), adds two parties, opens the edition and sends each party its personal link. Each party opens
the link from its mail in its own browser, fills in its positions (axe-core checks that form), saves a
draft, comes back, and submits. The editor starts the review, accepts both sets and publishes. A citizen
then gets an advice from the new edition, scored as the published method says.

The back office and the parties' form run in English (language cookie), so the test does not depend on
the Dutch translations; the citizen uses the Dutch default, as most citizens will.

Statements, in their final order (the third one written is moved up one place), and the positions the
parties enter (+1 agree, 0 neither, -1 disagree, None no position):

    statement            Delta Party   Epsilon Union
    1 music-lessons          +1             -1
    2 rehearsal-rooms         0             +1
    3 culture-pass           -1            None (explained)

The citizen answers 1 agree, 2 agree, 3 disagree, nothing marked important. Maximum = 3 * 2 = 6.
    Delta:   1: 2-|1-1| = 2;   2: 2-|1-0| = 1;   3: 2-|-1+1| = 2        -> 5/6 = 83.3
    Epsilon: 1: 2-|1+1| = 0;   2: 2-|1-1| = 2;   3: no position = 0     -> 2/6 = 33.3, flagged
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_cultuurwijzer import read_ranking
from tests.factories import Mailbox

# A municipality of our own: a demo edition elsewhere would compete for /cultuurwijzer/<code>.
CODE = "GM0999"
MUNICIPALITY = "Proefdorp"
PROVINCE = "Utrecht"
ELECTION = "Testverkiezing 2026"
EDITION_ID = "test2026-gm0999"
ADMIN = f"/beheer/cultuurwijzer/edities/{EDITION_ID}"
EDITOR = {"email": "editor-e2e@example.org", "name": "Eddie Editor", "password": "e2e correct horse battery"}
DEADLINE = "2030-01-01T12:00"
MAX_EXPLANATION = 1000


@dataclass(frozen=True)
class Statement:
    key: str  # what the app derives from the title
    theme: str
    title: str
    text: str


@dataclass(frozen=True)
class Party:
    key: str
    name: str
    list_number: int
    email: str


MUSIC = Statement("music-lessons", "Education", "Music lessons",
                  "Every primary school gets music lessons from a specialist teacher.")
CULTURE = Statement("culture-pass", "Access", "Culture pass",
                    "Families on a low income get a culture pass.")
REHEARSAL = Statement("rehearsal-rooms", "Amateur arts", "Rehearsal rooms",
                      "Amateur groups get affordable rehearsal rooms.")
WRITTEN = [MUSIC, CULTURE, REHEARSAL]      # the order the editor writes them in
FINAL = [MUSIC, REHEARSAL, CULTURE]        # after "Move up" on the last one

DELTA = Party("delta-party", "Delta Party", 1, "delta@example.org")
EPSILON = Party("epsilon-union", "Epsilon Union", 2, "epsilon@example.org")
PARTIES = [DELTA, EPSILON]

# statement -> (radio label, explanation) per party
POSITIONS = {
    DELTA: {
        MUSIC: ("Agree", "Music belongs in every school."),
        REHEARSAL: ("Neither", "Rooms matter, but the budget is tight."),
        CULTURE: ("Disagree", "We prefer lower fees for everybody."),
    },
    EPSILON: {
        MUSIC: ("Disagree", "Schools decide this themselves."),
        REHEARSAL: ("Agree", "Amateurs deserve space."),
        CULTURE: ("No position", "Our members are still discussing this."),
    },
}

def positions_given(party: Party) -> int:
    return sum(1 for label, _ in POSITIONS[party].values() if label != "No position")


# The citizen's answers (Dutch stepper buttons) in the final statement order, and the ranking worked out above.
CITIZEN = {MUSIC: "Eens", REHEARSAL: "Eens", CULTURE: "Oneens"}
RANKING = [[1, "Delta Party", "83,3%"], [2, "Epsilon Union", "33,3%"]]


# --- setup in the database ----------------------------------------------------------------------------------

@pytest.fixture()
def editor_and_municipality(live_server):
    """An editor account and a municipality without any edition, written straight into the database."""
    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.core.models import Municipality
    from campaign.extensions import db

    with live_server.app.app_context():
        db.session.add(Municipality(code=CODE, name=MUNICIPALITY, province=PROVINCE))
        create_user(Actor.system("e2e"), role="editor", **EDITOR)
        db.session.commit()
    return EDITOR


def english(new_context, live_server, **options):
    """A guarded context whose pages come in English (the language cookie the header's switch sets)."""
    context = new_context(**options)
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server.url}])
    return context


def status_of(page):
    """The edition's status label under the page title."""
    return page.locator("main h1 + p .status")


def expect_flash(page, text: str) -> None:
    """A message flashed after the last action."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def party_row(page, party: Party):
    return page.locator("#parties tbody tr").filter(has=page.get_by_role("link", name=party.name, exact=True))


def audit_actions(page) -> list[str]:
    """The action codes of the history rows (the rows show them as translated labels)."""
    return page.eval_on_selector_all(".audit tbody [data-action]", "spans => spans.map(s => s.dataset.action)")


# --- the editor ---------------------------------------------------------------------------------------------

def sign_in(page) -> None:
    page.goto("/beheer/inloggen")
    page.get_by_label("Email address").fill(EDITOR["email"])
    page.get_by_label("Password").fill(EDITOR["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def create_edition(page) -> None:
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Editions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cultuurwijzer editions")
    page.get_by_role("link", name="New edition").click()
    page.locator("#municipality-field").evaluate("el => { el.dataset.old = 'yes'; }")
    page.get_by_label("Election").select_option(label=ELECTION)
    expect(page.locator("#municipality-field[data-old]")).to_have_count(0)  # htmx brought this election's list
    page.get_by_label("Municipality").select_option(label=f"{MUNICIPALITY} ({PROVINCE})")
    page.get_by_role("button", name="Create edition").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(ADMIN)}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Cultuurwijzer {MUNICIPALITY}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ELECTION)
    expect(status_of(page)).to_have_text("draft")


def add_statement(page, statement: Statement) -> None:
    page.get_by_role("link", name="Add a statement").click()
    page.get_by_label("Theme").fill(statement.theme)
    page.get_by_label("Short title").fill(statement.title)
    page.get_by_label("Statement", exact=True).fill(statement.text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(f"#statement-{statement.key}")).to_contain_text(statement.text)


def statement_order(page) -> list[str]:
    return [i.removeprefix("statement-") for i in
            page.eval_on_selector_all("#statements ol.statement-admin > li", "items => items.map(li => li.id)")]


def move_button(page, direction: str, statement: Statement):
    # The statement's title is in a visually hidden part of the name ("Move up: Music lessons").
    return page.get_by_role("button", name=re.compile(rf"^Move {direction}\s*: {re.escape(statement.title)}$"))


def move_last_statement_up(page) -> None:
    assert statement_order(page) == [s.key for s in WRITTEN]
    expect(move_button(page, "up", MUSIC)).to_be_disabled()
    expect(move_button(page, "down", REHEARSAL)).to_be_disabled()
    only_ends = "only the first statement's 'Move up' and the last one's 'Move down' should be disabled"
    expect(move_button(page, "up", REHEARSAL), only_ends).to_be_enabled()
    expect(move_button(page, "down", MUSIC), only_ends).to_be_enabled()
    page.evaluate("() => { window.__samePage = true; }")  # gone if the browser loads a new page
    with page.expect_response(lambda r: r.url.endswith(f"/stellingen/{REHEARSAL.key}/verplaatsen")) as moved:
        move_button(page, "up", REHEARSAL).click()
    assert moved.value.status == 200, f"the htmx fragment for the moved list failed: HTTP {moved.value.status}"
    assert moved.value.request.headers.get("hx-request") == "true", "the move should go through htmx"
    expect(page.locator("#statements ol.statement-admin > li").nth(1)).to_have_id(f"statement-{REHEARSAL.key}")
    assert statement_order(page) == [s.key for s in FINAL]
    assert page.evaluate("() => window.__samePage === true"), "htmx should swap the list, not reload the page"
    # The swapped list has working buttons: the one that is first now cannot move up.
    expect(move_button(page, "up", MUSIC)).to_be_disabled()
    expect(move_button(page, "up", REHEARSAL)).to_be_enabled()
    expect(move_button(page, "down", CULTURE)).to_be_disabled()
    page.reload()
    assert statement_order(page) == [s.key for s in FINAL], "the new order is stored"


def add_party(page, party: Party) -> None:
    page.get_by_role("link", name="Add a party").click()
    page.get_by_label("Party name").fill(party.name)
    page.get_by_label("List number").fill(str(party.list_number))
    page.get_by_label("Contact address").fill(party.email)
    page.get_by_role("button", name="Save", exact=True).click()
    row = party_row(page, party)
    expect(row).to_contain_text(party.email)
    expect(row.locator(".status")).to_have_text("not invited")


def open_for_parties(page) -> None:
    transition = page.locator("form.transition").filter(has=page.get_by_role("button", name="Open for parties"))
    expect(transition.get_by_label("Deadline for the parties"),
           "the deadline input of 'Open for parties' needs its own label").to_be_editable()
    transition.get_by_label("Deadline for the parties").fill(DEADLINE)
    transition.get_by_role("button", name="Open for parties").click()
    expect_flash(page, "The edition is now open for parties.")
    expect(status_of(page)).to_have_text("open for parties")
    expect(page.locator(".lifecycle [aria-current=step]")).to_have_text("open for parties")
    # Structure is fixed now: no more adding or reordering.
    expect(page.get_by_role("link", name="Add a statement")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Move up"))).to_have_count(0)


def send_link(page, live_server, party: Party) -> str:
    """Send the party its link from its page; returns the link in the mail (checked against the page)."""
    page.goto(ADMIN)
    page.get_by_role("link", name=party.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(party.name)
    expect(page.get_by_text("No link sent yet.")).to_be_visible()
    page.get_by_role("button", name="Send the personal link").click()
    expect_flash(page, f"A personal link has been sent to {party.email}")
    shown = page.get_by_role("textbox", name="Personal link").input_value()
    expect(page.locator("main h1 .status")).to_have_text("invited")
    expect(page.get_by_role("button", name="Send a new link")).to_be_visible()

    mailbox = Mailbox(live_server.app.config["MAIL_FILE_DIR"])
    mails = [m for m in mailbox.messages() if m["To"] == party.email]
    assert len(mails) == 1, f"expected one mail to {party.email}, found {len(mails)}"
    assert MUNICIPALITY in mails[0]["Subject"]
    links = mailbox.links(mails[0])
    assert links == [shown], "the mail holds the link the editor was shown, and nothing else"
    assert shown.startswith(f"{live_server.url}/partij/")
    return shown


def start_review(page) -> None:
    page.goto(ADMIN)
    for party in PARTIES:
        expect(party_row(page, party).locator(".status")).to_have_text("submitted")
        expect(party_row(page, party)).to_contain_text(f"{positions_given(party)} / {len(FINAL)}")
    page.get_by_role("button", name="Start review").click()
    expect(status_of(page)).to_have_text("in review")
    expect(page.locator(".checks li"), "what stands before publishing, without internal field names").to_have_text(
        [f"{party.name}: not reviewed yet (submitted)" for party in PARTIES])
    expect(page.get_by_text("1 position is missing:")).to_contain_text(f"{EPSILON.name} – {CULTURE.title}")


def accept(page, party: Party) -> None:
    page.goto(ADMIN)
    page.get_by_role("link", name=party.name, exact=True).click()
    positions = page.locator("section[aria-labelledby=positions-title] tbody tr")
    for n, statement in enumerate(FINAL):
        label, explanation = POSITIONS[party][statement]
        expect(positions.nth(n)).to_contain_text(statement.title)
        expect(positions.nth(n).locator("td").nth(1)).to_have_text(label)
        expect(positions.nth(n).locator("td").nth(2)).to_have_text(explanation)
    with page.expect_response(lambda r: r.url.endswith("/beoordeling")) as reviewed:
        page.get_by_role("button", name="Accept these positions").click()
    assert reviewed.value.status == 302, f"accepting {party.name} failed: HTTP {reviewed.value.status}"
    expect_flash(page, f"{party.name}: accepted.")
    expect(party_row(page, party).locator(".status")).to_have_text("accepted")


def publish(page) -> None:
    expect(page.get_by_text("Every party has been reviewed. The edition can be published.")).to_be_visible()
    page.get_by_label("Publish with the missing positions").check()
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The edition is now published.")
    expect(status_of(page)).to_have_text("published")
    expect(page.get_by_role("link", name="Public page")).to_have_attribute("href", f"/cultuurwijzer/{CODE}")


def assert_history(page) -> None:
    """The edition's audit history, newest first, names every step of the round trip."""
    actions = audit_actions(page)
    expected_in_order = ["edition.create", "statement.create", "statement.move", "party.create", "edition.open",
                         "party.link", "party.save", "party.submit", "edition.review", "party.accept",
                         "edition.published"]
    oldest_first = list(reversed(actions))
    positions = [oldest_first.index(action) for action in expected_in_order]
    assert positions == sorted(positions), f"history out of order: {oldest_first}"
    assert oldest_first.count("statement.create") == 3 and oldest_first.count("party.create") == 2
    assert oldest_first.count("party.link") == 2 and oldest_first.count("party.accept") == 2
    history = page.locator(".audit tbody")
    expect(history).to_contain_text("Opened for parties")
    expect(history).to_contain_text(f"{EDITOR['name']} <{EDITOR['email']}>")
    expect(history).to_contain_text(f"{DELTA.name} (personal link)")
    expect(history).to_contain_text("personal link sent to the party's contact address")
    expect(history).not_to_contain_text(EPSILON.email)  # the contact may be a person: the log keeps no address


# --- the party ----------------------------------------------------------------------------------------------

def statement_fieldset(page, statement: Statement):
    return page.locator("fieldset.statement").filter(has_text=statement.text)


def fill_positions(page, party: Party, only: list[Statement] | None = None) -> None:
    for statement in only or FINAL:
        label, explanation = POSITIONS[party][statement]
        fieldset = statement_fieldset(page, statement)
        fieldset.get_by_label(label, exact=True).check()
        fieldset.get_by_label("Explanation").fill(explanation)


def assert_positions_shown(page, party: Party) -> None:
    for statement in FINAL:
        label, explanation = POSITIONS[party][statement]
        fieldset = statement_fieldset(page, statement)
        expect(fieldset.get_by_label(label, exact=True)).to_be_checked()
        expect(fieldset.get_by_label("Explanation")).to_have_value(explanation)


def party_enters_positions(new_context, live_server, link: str) -> None:
    """Delta Party: the full tour (counter, draft, reload, submit, locked), with axe-core on the form."""
    page = english(new_context, live_server).new_page()
    # axe is injected as an inline script, which our CSP forbids: a second context with the CSP bypassed
    # looks at the same form, while the page above keeps the CSP guard.
    axe_page = english(new_context, live_server, bypass_csp=True).new_page()
    axe_page.goto(link)
    expect(axe_page.locator("fieldset.statement")).to_have_count(len(FINAL))
    assert_no_axe_violations(axe_page, "the party's form, empty")

    response = page.goto(link)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Positions of {DELTA.name}")
    expect(page.locator(".lead")).to_have_text(f"Cultuurwijzer {MUNICIPALITY}, {ELECTION}")
    # The statements come in the editor's final order.
    expect(page.locator("fieldset.statement .statement-text")).to_have_text([s.text for s in FINAL])

    # The character counter follows the typing.
    first = statement_fieldset(page, MUSIC)
    counter = first.locator(".char-count")
    expect(counter).to_have_text(f"0 of {MAX_EXPLANATION} characters")
    first.get_by_label("Explanation").press_sequentially("Music", delay=20)
    expect(counter).to_have_text(f"5 of {MAX_EXPLANATION} characters")

    fill_positions(page, DELTA)
    expect(counter).to_have_text(f"{len(POSITIONS[DELTA][MUSIC][1])} of {MAX_EXPLANATION} characters")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    page.reload()
    assert_positions_shown(page, DELTA)
    axe_page.reload()
    assert_positions_shown(axe_page, DELTA)
    assert_no_axe_violations(axe_page, "the party's form, filled in")

    page.get_by_role("button", name="Submit to the editorial team").click()
    expect_flash(page, "Your positions have been submitted. Thank you!")
    expect(page.get_by_text("Your positions have been submitted and are locked.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit to the editorial team")).to_have_count(0)
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator("fieldset.statement:disabled")).to_have_count(len(FINAL))
    assert_positions_shown(page, DELTA)

    axe_page.reload()
    expect(axe_page.get_by_role("button", name="Save draft")).to_have_count(0)
    assert_no_axe_violations(axe_page, "the party's form, submitted and locked")


def second_party_enters_positions(new_context, live_server, link: str) -> None:
    """Epsilon Union: quicker, but it first tries to submit with a gap it has not explained."""
    page = english(new_context, live_server).new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Positions of {EPSILON.name}")
    fill_positions(page, EPSILON, only=[MUSIC, REHEARSAL])
    statement_fieldset(page, CULTURE).get_by_label("No position", exact=True).check()

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Submit to the editorial team").click()
    assert posted.value.status == 422
    problems = page.locator("#problems")
    expect(problems).to_contain_text("1 problem; nothing has been saved:")
    expect(problems.get_by_role("link"), "the problem names the statement, without internal field names").to_have_text(
        f"3. {CULTURE.title}: give a position, or explain why you take none")
    expect(statement_fieldset(page, CULTURE).locator(".error")).to_be_visible()
    # Nothing typed is lost.
    expect(statement_fieldset(page, MUSIC).get_by_label("Disagree", exact=True)).to_be_checked()
    expect(statement_fieldset(page, REHEARSAL).get_by_label("Explanation")).to_have_value(
        POSITIONS[EPSILON][REHEARSAL][1])

    statement_fieldset(page, CULTURE).get_by_label("Explanation").fill(POSITIONS[EPSILON][CULTURE][1])
    page.get_by_role("button", name="Submit to the editorial team").click()
    expect_flash(page, "Your positions have been submitted. Thank you!")
    expect(page.get_by_role("button", name="Submit to the editorial team")).to_have_count(0)
    assert_positions_shown(page, EPSILON)


# --- the citizen --------------------------------------------------------------------------------------------

def citizen_gets_advice(new_context) -> None:
    page = new_context().new_page()  # Dutch, the default
    page.goto(f"/cultuurwijzer/{CODE}")
    expect(page.locator("input[name=editie]")).to_have_value(EDITION_ID)
    progress = page.locator("[data-progress-text]")
    for n, statement in enumerate(FINAL, start=1):
        expect(progress).to_have_text(f"Stelling {n} van {len(FINAL)}")
        expect(page.locator(f"#stelling-{n}")).to_contain_text(statement.text)
        page.locator(f"#stelling-{n} .step-buttons").get_by_role(
            "button", name=CITIZEN[statement], exact=True).click()
    important = page.locator("#belangrijk")
    expect(important).to_be_visible()
    important.get_by_role("button", name="Volgende", exact=True).click()
    parties = page.locator("#partijen")
    expect(parties.locator("input[name=party]:checked")).to_have_count(len(PARTIES))
    page.locator("#advice-form [data-submit] button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/cultuurwijzer/{CODE}/resultaat\?"))
    assert read_ranking(page) == RANKING
    expect(page.locator(f"#partij-{EPSILON.key} .flag")).to_be_visible()
    expect(page.locator(f"#partij-{DELTA.key} .flag")).to_have_count(0)
    # The parties' own words reach the citizen.
    page.locator(f"#partij-{DELTA.key} details.explain summary").click()
    explain = page.locator(f"#partij-{DELTA.key} details.explain")
    for statement in FINAL:
        expect(explain).to_contain_text(POSITIONS[DELTA][statement][1])
    expect(explain.locator("tfoot")).to_contain_text("5 / 6 = 83,3%")


# --- the round trip -----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_editor_parties_and_citizen_round_trip(new_context, live_server, editor_and_municipality):
    editor = english(new_context, live_server).new_page()
    sign_in(editor)
    # The session cookie is Secure; Chromium keeps it on http://127.0.0.1 (a secure context), so sign-in sticks.
    assert "session" in {c["name"] for c in editor.context.cookies()}

    # 1. The editor builds the edition and invites the parties.
    create_edition(editor)
    for statement in WRITTEN:
        add_statement(editor, statement)
    move_last_statement_up(editor)
    for party in PARTIES:
        add_party(editor, party)
    open_for_parties(editor)
    links = {party: send_link(editor, live_server, party) for party in PARTIES}
    editor.goto("/beheer/cultuurwijzer/edities")
    expect(editor.locator("section[aria-labelledby=status-open] tbody")).to_contain_text(MUNICIPALITY)

    # 2. The parties, each in a browser of its own, through the link in their mail.
    party_enters_positions(new_context, live_server, links[DELTA])
    second_party_enters_positions(new_context, live_server, links[EPSILON])

    # 3. The editor reviews and publishes.
    start_review(editor)
    for party in PARTIES:
        accept(editor, party)
    publish(editor)
    assert_history(editor)
    editor.goto("/beheer/cultuurwijzer/edities")
    expect(editor.locator("section[aria-labelledby=status-published] tbody")).to_contain_text(MUNICIPALITY)
    expect(editor.locator("section[aria-labelledby=status-open]")).not_to_contain_text(MUNICIPALITY)

    # 4. A citizen gets an advice from the new edition.
    citizen_gets_advice(new_context)

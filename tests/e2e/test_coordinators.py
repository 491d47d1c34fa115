"""A local campaign coordinator, from the public application form to "active", in a real browser.

A volunteer finds Utrecht on the public recruitment page, applies (through a member organisation),
confirms their address through the link in the mail and lands in the campaign team's pipeline. An editor
moves them along the board (with htmx) and the application page: in conversation, accepted (with the
mail that carries the link to choose a password), in training (mailed later, with "Send the notification
now"). The new coordinator chooses a password and enrols in a session of each required training module,
not in the optional one. After the sessions have taken place, the editor records attendance; the last
required module makes the coordinator active, who is mailed. The coverage overview no longer lists
Utrecht as still needing a coordinator, and its count of municipalities with an active coordinator went up.

The volunteer uses the public pages in Dutch, the default. Their labels and headings are looked up in the
app's own Dutch catalogue (``nl``), so the test holds both before and after the coordinator texts are
translated. The back office and the workspace run in English (language cookie), as in test_editorial.py.

axe-core checks the public pages: the recruitment overview, the application form (empty, with problems,
and as it renders without JavaScript), "check your inbox", the confirmation page and the thank-you page,
the knowledge base (with one public article) and the question form. axe is injected as an inline script,
which the Content Security Policy forbids, so it runs in a second context with the CSP bypassed while the
volunteer's own pages keep the CSP guard.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from campaign.coordinators.recruitment import MAX_MOTIVATION
from tests.e2e.conftest import TEST_MUNICIPALITY, assert_no_axe_violations, without_page_scripts
from tests.e2e.test_editorial import english, expect_flash
from tests.factories import Mailbox

# The municipality of the test edition (always in the e2e database). Whether or not that edition belongs to
# the newest election, the member organisation made below makes it count for coverage.
CODE = TEST_MUNICIPALITY
MUNICIPALITY = "Utrecht"
PROVINCE = "Utrecht"
EDITOR = {"email": "coordinators-editor-e2e@example.org", "name": "Chris Coordinating-Editor",
          "password": "e2e coordinators horse battery"}
ORGANISATION = "Muziekschool Domstad (e2e)"
ARTICLE = "Hoe organiseer ik een lijsttrekkersdebat? (e2e)"


@dataclass(frozen=True)
class Volunteer:
    name: str = "Vera Vrijwilliger"
    email: str = "vera.vrijwilliger.e2e@example.org"
    phone: str = "030 123 45 67"
    motivation: str = "Elk kind verdient muziekles; ik wil dat de lokale partijen dat ook vinden."
    availability: str = "Twee avonden per week tot de verkiezingen."
    experience: str = "Bestuurslid van de muziekschool."
    password: str = "e2e coordinator correct horse"


VOLUNTEER = Volunteer()


@dataclass(frozen=True)
class Module:
    id: int
    title: str
    session_id: int


@dataclass(frozen=True)
class World:
    required: tuple[Module, ...]
    optional: Module


# --- setup in the database ----------------------------------------------------------------------------------

@pytest.fixture()
def world(live_server) -> World:
    """An editor, a member organisation in Utrecht, two required modules and an optional one (each with a
    session next week) and a public knowledge-base article, written straight into the database."""
    from sqlalchemy import select

    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.core.models import Municipality, Organisation, utcnow
    from campaign.coordinators import training
    from campaign.coordinators.models import Article
    from campaign.extensions import db

    actor = Actor.system("e2e")
    next_week = utcnow().replace(second=0, microsecond=0) + dt.timedelta(days=7)
    with live_server.app.app_context():
        utrecht = db.session.scalar(select(Municipality).where(Municipality.code == CODE))
        assert utrecht is not None and utrecht.name == MUNICIPALITY and utrecht.province == PROVINCE
        create_user(actor, role="editor", **EDITOR)
        db.session.add(Organisation(name=ORGANISATION, kind="music_school", member=True, municipality=utrecht))
        db.session.add(Article(title=ARTICLE, topic="Debat", audience="public",
                               body="Begin op tijd, nodig alle lijsttrekkers uit en zorg voor een onafhankelijke "
                                    "gespreksleider."))
        made = []
        for n, (title, required) in enumerate((("Local lobbying (e2e)", True),
                                               ("Explaining the Cultuurwijzer (e2e)", True),
                                               ("Press and social media (e2e)", False))):
            module = training.create_module(actor, title=title, required=required,
                                            goals="What a coordinator needs for the campaign.")
            starts = next_week + dt.timedelta(days=n)
            session = training.create_session(actor, module, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                                              mode="location", location="Oudegracht 1, Utrecht", capacity=10,
                                              trainer="Tom Trainer")
            db.session.flush()
            made.append(Module(module.id, module.title, session.id))
        db.session.commit()
    return World(required=(made[0], made[1]), optional=made[2])


@pytest.fixture()
def nl(live_server):
    """``nl(msgid, **values)``: the text the Dutch pages show for an English msgid (the app's catalogue)."""
    from flask_babel import force_locale, gettext

    def translate(msgid: str, **values) -> str:
        with live_server.app.test_request_context(), force_locale("nl"):
            return gettext(msgid, **values)

    return translate


# --- small helpers ------------------------------------------------------------------------------------------

def mails_to(live_server, address: str) -> list:
    mailbox = Mailbox(live_server.app.config["MAIL_FILE_DIR"])
    return [m for m in mailbox.messages() if m["To"] == address]


def only_mail(live_server, address: str, subject: str):
    """The one mail to ``address`` with this subject; fails if there is none or more than one."""
    found = [m for m in mails_to(live_server, address) if m["Subject"] == subject]
    subjects = [m["Subject"] for m in mails_to(live_server, address)]
    assert len(found) == 1, f"expected one mail {subject!r} to {address}, found {len(found)}; all: {subjects}"
    return found[0]


def only_link(live_server, message, path: str) -> str:
    links = Mailbox(live_server.app.config["MAIL_FILE_DIR"]).links(message)
    assert len(links) == 1 and links[0].startswith(live_server.url + path), \
        f"expected one link to {path} in {message['Subject']!r}, found {links}"
    return links[0]


def heading(page):
    return page.get_by_role("heading", level=1)


def axe_check(axe_page, path: str, where: str) -> None:
    axe_page.goto(path)
    expect(heading(axe_page)).to_be_visible()
    assert_no_axe_violations(axe_page, where)


# --- 1. the volunteer ---------------------------------------------------------------------------------------

def apply(page, axe_page, nl, live_server) -> str:
    """From the overview to "check your inbox"; returns the confirmation link from the mail."""
    page.goto("/coordinatoren/")
    expect(heading(page)).to_have_text(nl("Become a culture coordinator"))
    axe_check(axe_page, "/coordinatoren/", "the recruitment overview")
    province = page.get_by_role("region", name=PROVINCE, exact=True)
    place = province.get_by_role("listitem").filter(has=page.get_by_role("link", name=MUNICIPALITY, exact=True))
    expect(place).to_contain_text(nl("looking for a coordinator"))
    place.get_by_role("link", name=MUNICIPALITY, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/coordinatoren/{CODE}$"))
    expect(heading(page)).to_have_text(nl("Become a culture coordinator in %(municipality)s",
                                          municipality=MUNICIPALITY))
    axe_check(axe_page, f"/coordinatoren/{CODE}", "the application form, empty")
    # The form with every problem named, as someone sees it who sends it empty.
    with axe_page.expect_response(lambda r: r.request.method == "POST") as posted:
        axe_page.get_by_role("button", name=nl("Send my application")).click()
    assert posted.value.status == 422
    expect(axe_page.locator("#problems")).to_be_visible()
    assert_no_axe_violations(axe_page, "the application form with problems")

    page.get_by_label(nl("Name"), exact=True).fill(VOLUNTEER.name)
    page.get_by_label(nl("Email address"), exact=True).fill(VOLUNTEER.email)
    page.get_by_label(nl("Phone number (optional)"), exact=True).fill(VOLUNTEER.phone)
    municipalities = page.get_by_role("group", name=nl("Municipalities"))
    expect(municipalities.get_by_label(MUNICIPALITY, exact=True),
           "the municipality of the page is chosen already").to_be_checked()
    page.get_by_label(nl("Organisation"), exact=True).select_option(label=ORGANISATION)
    page.get_by_label(nl("Motivation"), exact=True).fill(VOLUNTEER.motivation)
    page.get_by_label(nl("Availability"), exact=True).fill(VOLUNTEER.availability)
    page.get_by_label(nl("Experience (optional)"), exact=True).fill(VOLUNTEER.experience)

    # First without consent: refused, with the field named, and nothing typed is lost.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=nl("Send my application")).click()
    assert posted.value.status == 422
    expect(page.locator("#problems").get_by_role("link")).to_have_text([nl("Consent")])
    expect(page.get_by_label(nl("Motivation"), exact=True)).to_have_value(VOLUNTEER.motivation)
    expect(page.get_by_label(nl("Organisation"), exact=True)).to_have_value(re.compile(r"^\d+$"))

    # The consent states how long the details are kept.
    consent = page.locator(".field.consent").get_by_role("checkbox")
    days = live_server.app.config["APPLICATION_RETENTION_DAYS"]
    expect(consent).to_have_accessible_name(re.compile(rf"\b{days}\b"))
    consent.check()
    page.get_by_role("button", name=nl("Send my application")).click()

    expect(page).to_have_url(re.compile(rf"/coordinatoren/{CODE}/verstuurd$"))
    expect(heading(page)).to_have_text(nl("Check your inbox"))
    axe_check(axe_page, f"/coordinatoren/{CODE}/verstuurd", "check your inbox")

    mail = only_mail(live_server, VOLUNTEER.email, nl("Confirm your application as culture coordinator"))
    assert MUNICIPALITY in Mailbox.body(mail)
    return only_link(live_server, mail, "/coordinatoren/bevestigen/")


def confirm(page, axe_page, nl, live_server, link: str) -> None:
    # A GET only shows the button (mail scanners open links), so axe may look at the same link first.
    axe_check(axe_page, link, "the confirmation page")
    page.goto(link)
    expect(heading(page)).to_have_text(nl("Confirm your application"))
    page.get_by_role("button", name=nl("Confirm my application")).click()
    expect(page).to_have_url(re.compile(r"/coordinatoren/bevestigd$"))
    expect(heading(page)).to_have_text(nl("Thank you: your application is confirmed"))
    axe_check(axe_page, "/coordinatoren/bevestigd", "the thank-you page")
    only_mail(live_server, VOLUNTEER.email, nl("Your application as culture coordinator is confirmed"))
    # The link worked once.
    page.goto(link)
    expect(heading(page)).to_have_text(nl("This link does not work (any more)"))


# --- 2. the editor ------------------------------------------------------------------------------------------

def sign_in(page, email: str, password: str) -> None:
    page.goto("/beheer/inloggen")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def column(page, status_label: str):
    """A column of the board; its heading is the status with the number of cards, e.g. "verified (1)"."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(status_label)} \(\d+\)$"))


def card(page, status_label: str):
    return column(page, status_label).locator(".board-card").filter(
        has=page.get_by_role("link", name=VOLUNTEER.name, exact=True))


def named(label: str, detail: str) -> re.Pattern:
    """A control named "label: detail", where the detail is visually hidden (the accessible name may carry a
    space before the colon)."""
    return re.compile(rf"^{re.escape(label)}\s*: {re.escape(detail)}")


def status_of(page):
    """The application's status under its name."""
    return page.locator("main h1 + p .status")


@dataclass(frozen=True)
class Coverage:
    active: int          # municipalities of the province with an active coordinator
    still_needed: bool   # the municipality is listed under "Still needed"


def read_coverage(page) -> Coverage:
    page.goto("/beheer/coordinatoren/dekking")
    expect(heading(page)).to_have_text("Coordinator coverage")
    table = page.locator("table.coverage")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=PROVINCE, exact=True))
    expect(row).to_have_count(1)
    # The row header is the first column; the data cells follow it.
    active = row.locator("td").nth(headers.index("With an active coordinator") - 1).inner_text()
    needed = page.get_by_role("region", name="Still needed", exact=True)
    expect(needed).to_be_visible()
    link = needed.get_by_role("link", name=f"Become culture coordinator in {MUNICIPALITY}", exact=True)
    return Coverage(active=int(active), still_needed=link.count() == 1)


def move_on_board(page) -> None:
    """verified -> in conversation, with htmx: the board is swapped in place."""
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Coordinators").click()
    expect(heading(page)).to_have_text("Coordinator applications")
    verified = card(page, "verified")
    expect(verified).to_be_visible()
    expect(verified).to_contain_text(MUNICIPALITY)
    expect(verified).to_contain_text(ORGANISATION)
    verified.get_by_label("Move to").select_option(label="in conversation")
    expect(verified.get_by_label("Mail the applicant")).not_to_be_checked()
    page.evaluate("() => { window.__samePage = true; }")  # gone if the browser loads a new page
    with page.expect_response(lambda r: r.url.endswith("/status")) as moved:
        verified.get_by_role("button", name=named("Move", VOLUNTEER.name)).click()
    assert moved.value.status == 200, f"the htmx move failed: HTTP {moved.value.status}"
    assert moved.value.request.headers.get("hx-request") == "true", "the move should go through htmx"
    expect(page.locator("#board").get_by_role("status")).to_have_text(
        f"{VOLUNTEER.name} is now in conversation. The applicant has not been notified yet.")
    moved_card = card(page, "in conversation")
    expect(moved_card).to_be_visible()
    expect(moved_card).to_contain_text("Not yet notified")
    expect(card(page, "verified")).to_have_count(0)
    assert page.evaluate("() => window.__samePage === true"), "htmx should swap the board, not reload the page"


def move_on_application_page(page, target: str, *, mail: bool) -> None:
    status = page.locator("#status")
    status.get_by_label("New status").select_option(label=target)
    notify = status.get_by_label("Mail the applicant")
    notify.check() if mail else notify.uncheck()
    status.get_by_role("button", name="Change the status").click()
    expect_flash(page, f"{VOLUNTEER.name} is now {target}. " +
                 ("A mail has been sent." if mail else "The applicant has not been notified yet."))
    expect(status_of(page)).to_have_text(target)


def accept_and_train(page, live_server, nl) -> int:
    """From the board to the application page: accepted (mailed), in training (mailed afterwards).
    Returns the application's id."""
    card(page, "in conversation").get_by_role("link", name=VOLUNTEER.name, exact=True).click()
    expect(heading(page)).to_have_text(VOLUNTEER.name)
    application_id = int(re.search(r"/aanmeldingen/(\d+)$", page.url).group(1))
    expect(status_of(page)).to_have_text("in conversation")
    answers = page.get_by_role("region", name="Application", exact=True)
    expect(answers).to_contain_text(VOLUNTEER.motivation)
    expect(answers).to_contain_text(f"{ORGANISATION} (music school; member)")

    move_on_application_page(page, "accepted", mail=True)
    assignments = page.get_by_role("region", name="Assignments", exact=True)
    expect(assignments.get_by_role("rowheader", name=MUNICIPALITY, exact=True)).to_be_visible()
    only_mail(live_server, VOLUNTEER.email, nl("Welcome as culture coordinator"))

    # Moved first, mailed later.
    move_on_application_page(page, "in training", mail=False)
    expect(page.locator("main h1 + p .not-notified")).to_have_text("Not yet notified")
    assert not [m for m in mails_to(live_server, VOLUNTEER.email)
                if m["Subject"] == nl("Your training as culture coordinator")]
    page.get_by_role("button", name="Send the notification now").click()
    expect_flash(page, "The applicant has been notified.")
    expect(page.locator("main h1 + p .not-notified")).to_have_count(0)
    only_mail(live_server, VOLUNTEER.email, nl("Your training as culture coordinator"))
    return application_id


# --- 3. the new coordinator ---------------------------------------------------------------------------------

def module_section(page, module: Module):
    return page.locator(f"#module-{module.id}")


def choose_password(page, live_server, nl) -> None:
    link = only_link(live_server, only_mail(live_server, VOLUNTEER.email, nl("Welcome as culture coordinator")),
                     "/beheer/wachtwoord/")
    page.goto(link)
    expect(heading(page)).to_have_text("Choose a password")
    page.get_by_label("New password", exact=True).fill(VOLUNTEER.password)
    page.get_by_label("Repeat the new password", exact=True).fill(VOLUNTEER.password)
    page.get_by_role("button", name="Save password").click()
    expect_flash(page, "Your new password is set and you are signed in.")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def enrol(page, world: World) -> None:
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Workspace").click()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Training").click()
    expect(heading(page)).to_have_text("Training")
    progress = page.get_by_role("region", name="Your progress")
    expect(progress).to_contain_text(f"0 of {len(world.required)} required modules done")
    for module in world.required:
        section = module_section(page, module)
        expect(section.get_by_role("heading", level=3)).to_contain_text("required")
        section.get_by_role("button", name=named("Enrol", module.title + ",")).click()
        expect_flash(page, f"You are enrolled in {module.title} on ")
        row = module_section(page, module).get_by_role("row").filter(has_text="Tom Trainer")
        expect(row.get_by_role("cell").last).to_have_text("enrolled")
        expect(page.locator("#my-enrolments li").filter(has_text=module.title)).to_contain_text("enrolled")
    expect(page.locator("#my-enrolments li")).to_have_count(len(world.required))
    # The optional module is left alone: it is still open, and not needed to become active.
    optional = module_section(page, world.optional)
    expect(optional.get_by_role("heading", level=3)).to_contain_text("optional")
    expect(optional.get_by_role("button", name=named("Enrol", world.optional.title + ","))) \
        .to_be_visible()


def sessions_took_place(live_server, world: World) -> None:
    """The clock is the only thing faked: the sessions the coordinator enrolled in happened yesterday
    (attendance can be recorded only once a session has started)."""
    from campaign.core.models import utcnow
    from campaign.coordinators.models import TrainingSession
    from campaign.extensions import db

    yesterday = utcnow().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    with live_server.app.app_context():
        for module in world.required:
            session = db.session.get(TrainingSession, module.session_id)
            session.starts_at, session.ends_at = yesterday, yesterday + dt.timedelta(hours=2)
        db.session.commit()


# --- 4. attendance ------------------------------------------------------------------------------------------

def record_attendance(page, application_id: int, module: Module, *, last: bool) -> None:
    page.goto(f"/beheer/coordinatoren/training/deelnemers/{application_id}")
    expect(heading(page)).to_have_text(f"Training of {VOLUNTEER.name}")
    page.get_by_role("region", name="Enrolments").get_by_role("link", name=module.title, exact=True).click()
    expect(heading(page)).to_contain_text(module.title)
    row = page.locator("#enrolled-list tbody tr").filter(
        has=page.get_by_role("rowheader", name=VOLUNTEER.name, exact=True))
    expect(row.locator(".attendance")).to_have_text("not recorded")
    expect(row).to_contain_text("in training")
    with page.expect_response(lambda r: r.url.endswith("/aanwezigheid")) as recorded:
        row.get_by_role("button", name=named("Attended", VOLUNTEER.name)).click()
    assert recorded.value.status == 200, f"recording attendance failed: HTTP {recorded.value.status}"
    assert recorded.value.request.headers.get("hx-request") == "true", "attendance should go through htmx"
    expect(row.locator(".attendance")).to_have_text("yes")
    expect(row.get_by_role("button", name=named("Attended", VOLUNTEER.name))).to_have_attribute("aria-pressed", "true")
    if last:
        expect(row.get_by_role("status")).to_have_text(
            f"{VOLUNTEER.name} has completed every required module and is now active (and has been mailed).")
        expect(row).to_contain_text("active")
    else:
        expect(row.get_by_role("status")).to_have_count(0)
        expect(row).to_contain_text("in training")


# --- 6. the other public pages ------------------------------------------------------------------------------

def other_public_pages(new_context, nl) -> None:
    axe_page = new_context(bypass_csp=True).new_page()
    axe_check(axe_page, "/kennisbank", "the knowledge base")
    answer = axe_page.locator("details.kb-item").filter(has_text=ARTICLE)
    answer.locator("summary").click()
    expect(answer).to_have_attribute("open", "")
    assert_no_axe_violations(axe_page, "the knowledge base with an answer opened")
    answer.get_by_role("link", name=nl("Link to this answer")).click()
    expect(heading(axe_page)).to_have_text(ARTICLE)
    assert_no_axe_violations(axe_page, "a knowledge-base article")
    axe_check(axe_page, "/vragen/nieuw", "the question form")

    no_js = new_context(bypass_csp=True).new_page()
    without_page_scripts(no_js)
    no_js.goto(f"/coordinatoren/{CODE}")
    expect(heading(no_js)).to_have_text(nl("Become a culture coordinator in %(municipality)s",
                                           municipality=MUNICIPALITY))
    # Without app.js the counter under a text area keeps the limit the server wrote, not a live count.
    expect(no_js.locator("#motivation-count")).to_have_text(nl("At most %(max)d characters.", max=MAX_MOTIVATION))
    assert_no_axe_violations(no_js, "the application form without JavaScript")


# --- the round trip -----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_volunteer_becomes_active_coordinator(new_context, live_server, world, nl):
    # 1. The volunteer applies and confirms (Dutch, JavaScript on); axe looks along in a second context.
    volunteer = new_context().new_page()
    axe_page = new_context(bypass_csp=True).new_page()
    link = apply(volunteer, axe_page, nl, live_server)
    confirm(volunteer, axe_page, nl, live_server, link)

    # 2. The editor finds them on the board; Utrecht still needs a coordinator.
    editor = english(new_context, live_server).new_page()
    sign_in(editor, EDITOR["email"], EDITOR["password"])
    before = read_coverage(editor)
    assert before.still_needed, "Utrecht has a member organisation and no active coordinator yet"
    move_on_board(editor)
    application_id = accept_and_train(editor, live_server, nl)

    # 3. The coordinator chooses a password and enrols in a session of each required module.
    coordinator = english(new_context, live_server).new_page()
    choose_password(coordinator, live_server, nl)
    enrol(coordinator, world)
    sessions_took_place(live_server, world)

    # 4. The editor records attendance; the last required module makes the coordinator active.
    active_mail = nl("You are now an active culture coordinator")
    record_attendance(editor, application_id, world.required[0], last=False)
    assert not [m for m in mails_to(live_server, VOLUNTEER.email) if m["Subject"] == active_mail]
    record_attendance(editor, application_id, world.required[1], last=True)
    only_mail(live_server, VOLUNTEER.email, active_mail)
    editor.goto(f"/beheer/coordinatoren/aanmeldingen/{application_id}")
    expect(status_of(editor)).to_have_text("active")
    expect(editor.get_by_role("region", name="Training", exact=True)).to_contain_text(
        "Every required module is completed.")
    coordinator.reload()
    expect(coordinator.get_by_role("region", name="Your progress")).to_contain_text(
        f"{len(world.required)} of {len(world.required)} required modules done")

    # 5. Coverage: Utrecht no longer needs a coordinator, and one more municipality has an active one.
    after = read_coverage(editor)
    assert not after.still_needed, "Utrecht has an active coordinator now"
    assert after.active == before.active + 1
    volunteer.goto("/coordinatoren/")
    place = volunteer.get_by_role("region", name=PROVINCE, exact=True).get_by_role("listitem").filter(
        has=volunteer.get_by_role("link", name=MUNICIPALITY, exact=True))
    expect(place).to_contain_text(nl("has a coordinator"))

    # 6. The other public pages, and the application form as it renders without JavaScript.
    other_public_pages(new_context, nl)

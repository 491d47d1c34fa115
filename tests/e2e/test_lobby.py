"""The lobby in a real browser: a topic from scratch to the municipality's dossier, and the anonymous answer
statistics from hidden to shown.

A member of the lobby team (an editor) signs in, opens Lobby -> Topics -> Add a topic and saves a topic with its
ask, priority, scope and tags. They link two statements of the Cultuurwijzer to it: one where agreeing supports
the ask ("Muziekles op elke basisschool"), one where disagreeing does ("Bezuinigen op cultuur"). They add a local
party in the municipality and log input for it on the topic: a meeting, today, the party supportive, a next step
due in two weeks; the topic page and the matrix show the stance. The municipality's dossier shows the topic with
the edition's parties' positions on both statements (and whether each supports the ask), the local party's
stance and input, the open next step, and says the answer statistics are hidden below the threshold.

Citizens (each in a browser context of their own, not signed in) answer the statements on the public
Cultuurwijzer and opt in on the result page to share their answers anonymously: the page thanks them and sets
no cookie. Below the threshold the dossier still hides the statistics; once it is reached the dossier shows the
counts and the CSV download has them. Printed, the dossier loses its navigation and forms, not its sections.

The municipality and its edition are the test's own (a fictional "Zwaluwdorp", GM0998, with the mini edition's
statements and parties, in the mini edition's election): the other e2e tests add debates, coordinators and
elections elsewhere (in Utrecht), which would change what a Utrecht dossier shows, and none of them shares answers
for this edition, so the counts are exact. The threshold is lowered to three on the live app for this module.

Everything runs in Dutch, the default: labels, headings and messages are looked up in the app's own Dutch
catalogue (``nl``), so the test holds both before and after the lobby texts are translated.

axe-core checks the topics list, the topic page, the statement picker, the input form with its problems shown,
the matrix, the dossier (statistics hidden and shown), the dashboard and the result page with the opt-in form. axe
is injected as an inline script, which the Content Security Policy forbids, so it runs in contexts with the CSP
bypassed while the editor's and the citizens' own pages keep the CSP guard.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_coordinators import heading
from tests.e2e.test_cultuurwijzer import answer_button
from tests.e2e.test_debates import Dutch, sign_in
from tests.e2e.test_editorial import expect_flash
from tests.factories import edition_document

CODE = "GM0998"
MUNICIPALITY = "Zwaluwdorp"
EDITION_ID = "e2e-lobby-gm0998"
EDITOR = {"email": "lobby-editor-e2e@example.org", "name": "Lotte Lobbyist (fictief)",
          "password": "e2e lobby correct horse battery"}
THRESHOLD = 3

TITLE = "Muziekles voor ieder kind (e2e)"
ASK = "Elke basisschool in de gemeente krijgt muziekles van een vakdocent, betaald door de gemeente."
TAGS = "muziekles, onderwijs"
PARTY = "Lokaal Belang Zwaluwdorp (fictief)"
SUMMARY = "Gesprek met de fractie over muziekles op de basisschool (fictief)."
RESPONSE = "De fractie neemt het op in het verkiezingsprogramma (fictief)."
NEXT_STEP = "Cijfers van de muziekschool naar de woordvoerder sturen"


@dataclass(frozen=True)
class Statement:
    key: str
    title: str
    supports: str  # the answer that supports our ask


MUSIC = Statement("muziekles", "Muziekles op elke basisschool", "agree")
CUTS = Statement("bezuiniging", "Bezuinigen op cultuur", "disagree")
# The mini edition's positions on them, and what each means for our ask.
POSITIONS = {
    MUSIC: {"Alfa Partij": ("Agree", "supports our ask"), "Beta Beweging": ("Neither", "says nothing about our ask"),
            "Gamma Groep": ("Disagree", "goes against our ask")},
    CUTS: {"Alfa Partij": ("Disagree", "supports our ask"), "Beta Beweging": ("Agree", "goes against our ask"),
           "Gamma Groep": ("Agree", "goes against our ask")},
}
# The citizens' answers to the four statements in the stepper's order (muziekles, cultuurpas, oefenruimte,
# bezuiniging): on muziekles two agree and one disagrees.
CITIZENS = [("agree", "agree", "neutral", "disagree"),
            ("agree", "skip", "agree", "disagree"),
            ("disagree", "skip", "skip", "agree")]
MUSIC_COUNTS = {"agree": 2, "neutral": 0, "disagree": 1, "skip": 0}


def dutch_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


# --- setup in the database ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(live_server):
    """An editor with a password, the default status workflow, and a published edition for Zwaluwdorp (the mini
    edition's statements and parties), made through the domain functions; the live app shows the answer
    statistics from THRESHOLD responses while this module runs (the app runs in this process, and the
    statistics read the setting on every request)."""
    from campaign.core.accounts import create_user
    from campaign.core.audit import Actor
    from campaign.cultuurwijzer.editions import store_edition, validate_edition
    from campaign.extensions import db
    from campaign.lobby.defaults import ensure_defaults

    app = live_server.app
    with app.app_context():
        create_user(Actor.system("e2e"), role="editor", **EDITOR)
        ensure_defaults()
        document = edition_document(id=EDITION_ID, status="published", notice="Fictieve testdata (lobby, e2e).",
                                    municipality={"code": CODE, "name": MUNICIPALITY, "province": "Utrecht"})
        store_edition(validate_edition(document, "e2e"))
        db.session.commit()
    before = app.config["ANSWER_STATS_MIN_RESPONSES"]
    app.config["ANSWER_STATS_MIN_RESPONSES"] = THRESHOLD
    yield
    app.config["ANSWER_STATS_MIN_RESPONSES"] = before


class DutchWithDates(Dutch):
    def date(self, value: dt.date, format: str = "medium") -> str:
        from flask_babel import format_date

        with self.app.test_request_context(), self._dutch():
            return format_date(value, format)


@pytest.fixture()
def nl(live_server) -> DutchWithDates:
    return DutchWithDates(live_server.app)


# --- small helpers ------------------------------------------------------------------------------------------

def axe_check(axe_page, path: str, where: str) -> None:
    axe_page.goto(path)
    expect(heading(axe_page)).to_be_visible()
    assert_no_axe_violations(axe_page, where)


def row_with_key(scope, key: str):
    """The table row that names a statement by its key (titles repeat across editions, keys do not)."""
    return scope.get_by_role("row").filter(has=scope.page.locator("code", has_text=re.compile(rf"^{key}$")))


def dossier_path() -> str:
    return f"/beheer/lobby/gemeenten/{CODE}"


# --- 1. the topic -------------------------------------------------------------------------------------------

def create_topic(page, axe_page, nl) -> int:
    """Lobby -> Topics -> Add a topic; returns the topic's id."""
    page.get_by_role("navigation", name=nl("Back office")).get_by_role("link", name=nl("Lobby"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Lobby"))
    page.get_by_role("navigation", name=nl("Lobby")).get_by_role("link", name=nl("Topics"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Topics"))
    page.get_by_role("link", name=nl("Add a topic"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Add a topic"))

    page.get_by_label(nl("Title"), exact=True).fill(TITLE)
    page.get_by_label(nl("Our ask"), exact=True).fill(ASK)
    page.get_by_label(nl("Tags"), exact=True).fill(TAGS)
    page.get_by_label(nl("Priority"), exact=True).select_option(label=nl("high"))
    page.get_by_label(nl("Scope"), exact=True).select_option(label=nl("municipal"))
    page.get_by_role("button", name=nl("Save"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/beheer/lobby/onderwerpen/\d+$"))
    expect_flash(page, nl("Topic “%(title)s” added.", title=TITLE))
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("region", name=nl("Our ask"))).to_contain_text(ASK)
    facts = page.locator("dl.topic-facts")
    expect(facts).to_contain_text(nl("high"))
    expect(facts).to_contain_text(nl("municipal"))
    expect(facts.locator(".topic-tag")).to_have_text(["muziekles", "onderwijs"])
    topic_id = int(re.search(r"/(\d+)$", page.url).group(1))

    # The list shows it; axe on the list and on the topic page.
    axe_page.goto("/beheer/lobby/onderwerpen")
    expect(axe_page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    assert_no_axe_violations(axe_page, "the topics list")
    axe_check(axe_page, f"/beheer/lobby/onderwerpen/{topic_id}", "the topic page")
    return topic_id


def link_statements(page, axe_page, nl, topic_id: int) -> None:
    """Each statement found with the picker's search (htmx swaps the list as the editor types), ticked, given
    its supporting answer and linked."""
    page.get_by_role("link", name=nl("Manage the linked statements"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Cultuurwijzer statements for this topic"))
    axe_check(axe_page, f"/beheer/lobby/onderwerpen/{topic_id}/stellingen", "the statement picker")

    picker = page.locator("#picker")
    every = picker.locator("tbody tr").count()
    for search, statement in (("bezuinig", CUTS), ("muziekles", MUSIC)):
        page.evaluate("() => { window.__samePage = true; }")
        with page.expect_response(lambda r, q=search: f"q={q}" in r.url and r.request.headers.get("hx-request")):
            page.get_by_label(nl("Search by key, title or theme"), exact=True).fill(search)
        expect(row_with_key(picker, statement.key)).to_have_count(1)
        found = picker.locator("tbody tr").count()
        assert 0 < found < every - 1, f"the search for {search!r} should narrow the {every} statements, found {found}"
        assert page.evaluate("() => window.__samePage === true"), "htmx should swap the list, not reload the page"
        row = row_with_key(picker, statement.key)
        row.get_by_role("checkbox").check()
        row.get_by_role("combobox").select_option(label=nl("agreeing" if statement.supports == "agree"
                                                          else "disagreeing"))
        picker.get_by_role("button", name=nl("Link the ticked statements"), exact=True).click()
        expect_flash(page, nl.n("%(num)d statement linked or changed.", "%(num)d statements linked or changed.", 1))
        expect(row_with_key(picker, statement.key)).to_have_count(0)  # linked: no longer offered

    linked = page.get_by_role("table", name=nl("Statements linked to this topic"))
    expect(linked.locator("tbody tr")).to_have_count(2)
    for statement in (MUSIC, CUTS):
        row = row_with_key(linked, statement.key)
        expect(row.get_by_role("rowheader")).to_contain_text(statement.title)
        expect(row).to_contain_text(nl("agreeing supports our ask" if statement.supports == "agree"
                                       else "disagreeing supports our ask"))


# --- 2. the local party and the input -----------------------------------------------------------------------

def create_party(page, nl) -> None:
    page.goto("/beheer/lobby/")
    page.get_by_role("navigation", name=nl("Lobby")).get_by_role("link", name=nl("Parties"), exact=True).click()
    page.get_by_role("link", name=nl("New party"), exact=True).click()
    expect(heading(page)).to_have_text(nl("New party"))
    page.get_by_label(nl("Name"), exact=True).fill(PARTY)
    page.get_by_label(nl("Level"), exact=True).select_option(label=nl("local party"))
    page.get_by_label(nl("Municipality (local parties)"), exact=True).fill(f"{MUNICIPALITY} ({CODE})")
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/beheer/lobby/partijen/\d+$"))
    expect_flash(page, nl("%(name)s added.", name=PARTY))
    expect(heading(page)).to_contain_text(PARTY)


def log_input(page, axe_page, nl, topic_id: int) -> None:
    due = dutch_today() + dt.timedelta(days=14)
    page.goto(f"/beheer/lobby/onderwerpen/{topic_id}")
    section = page.get_by_role("region", name=re.compile("^" + re.escape(nl("Input to parties"))))
    section.get_by_role("link", name=nl("Log input"), exact=True).click()
    expect(heading(page)).to_have_text(nl("Log input"))
    page.get_by_label(nl("Party"), exact=True).select_option(label=PARTY)
    page.get_by_label(nl("Kind of input"), exact=True).select_option(label=nl("meeting"))
    page.get_by_label(nl("Date given"), exact=True).fill(dutch_today().isoformat())
    page.get_by_label(nl("What we gave"), exact=True).fill(SUMMARY)
    page.get_by_label(nl("The party's response (optional)"), exact=True).fill(RESPONSE)
    page.get_by_label(nl("The party's stance"), exact=True).select_option(label=nl("supportive"))
    page.get_by_label(nl("Next step (optional)"), exact=True).fill(NEXT_STEP)
    page.get_by_label(nl("Due date (optional)"), exact=True).fill(due.isoformat())
    page.get_by_role("button", name=nl("Save"), exact=True).click()

    expect(page).to_have_url(re.compile(rf"/beheer/lobby/onderwerpen/{topic_id}#input$"))
    expect_flash(page, nl("Input to %(party)s logged.", party=PARTY))
    section = page.get_by_role("region", name=re.compile("^" + re.escape(nl("Input to parties"))))
    stances = section.get_by_role("table", name=nl("Current stance per party on %(topic)s", topic=TITLE))
    stance_row = stances.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(PARTY))))
    expect(stance_row.get_by_role("cell")).to_have_text([re.compile(re.escape(nl("supportive")) + "$"),
                                                         nl.date(dutch_today())])
    given = section.get_by_role("table", name=nl("Input given on %(topic)s, newest first", topic=TITLE))
    given_row = given.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(PARTY))))
    expect(given_row).to_contain_text(nl("meeting"))
    expect(given_row).to_contain_text(EDITOR["name"])
    expect(given_row).to_contain_text(RESPONSE)
    expect(given_row).to_contain_text(NEXT_STEP)
    expect(given_row).to_contain_text(nl("due %(date)s", date=nl.date(due)))

    # The input form with its problems shown: sent without a party and without a date.
    axe_page.goto(f"/beheer/lobby/onderwerpen/{topic_id}/input/nieuw")
    axe_page.get_by_label(nl("Date given"), exact=True).fill("")
    with axe_page.expect_response(lambda r: r.request.method == "POST") as posted:
        axe_page.get_by_role("button", name=nl("Save"), exact=True).click()
    assert posted.value.status == 422, f"an empty input form should be refused with 422, got {posted.value.status}"
    expect(axe_page.locator("#party-error")).to_have_text(nl("Choose the party the input went to."))
    expect(axe_page.locator("#given_on-error")).to_have_text(nl("Give the date the input was given."))
    assert_no_axe_violations(axe_page, "the input form with problems")


def matrix_shows_stance(page, axe_page, nl) -> None:
    page.goto("/beheer/lobby/matrix")
    page.get_by_label(nl("Parties"), exact=True).select_option(label=MUNICIPALITY)
    page.get_by_role("button", name=nl("Show"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/beheer/lobby/matrix\?gemeente={CODE}"))
    scope = nl("local parties in %(municipality)s", municipality=MUNICIPALITY)
    table = page.get_by_role("table", name=re.compile("^" + re.escape(nl("Stances of the %(scope)s per topic",
                                                                         scope=scope))))
    expect(table.get_by_role("columnheader", name=PARTY, exact=True)).to_be_visible()
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(row.get_by_role("cell").first).to_contain_text(nl("supportive"))
    axe_check(axe_page, page.url, "the matrix")


# --- 3. the dossier -----------------------------------------------------------------------------------------

def open_dossier(page, nl) -> None:
    page.goto("/beheer/lobby/")
    page.get_by_role("navigation", name=nl("Lobby")).get_by_role("link", name=nl("Municipalities"),
                                                                  exact=True).click()
    page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{dossier_path()}$"))
    expect(heading(page)).to_have_text(nl("Dossier %(name)s", name=MUNICIPALITY))


def dossier_shows_it_all(page, axe_page, nl) -> None:
    open_dossier(page, nl)
    topic = page.locator("article.dossier-topic").filter(
        has=page.get_by_role("heading", level=3, name=re.compile("^" + re.escape(TITLE))))
    expect(topic).to_have_count(1)
    expect(topic.locator(".dossier-ask")).to_contain_text(ASK)

    table = topic.get_by_role("table", name=nl("Positions of the parties on the statements of “%(topic)s”",
                                               topic=TITLE))
    parties = [name.strip() for name in table.locator("thead th").all_inner_texts()[1:]]
    assert sorted(parties) == sorted(POSITIONS[MUSIC]), parties
    for statement, positions in POSITIONS.items():
        row = table.locator("tbody tr").filter(
            has=page.get_by_role("rowheader", name=re.compile("^" + re.escape(statement.title))))
        expect(row.get_by_role("rowheader")).to_contain_text(
            nl("agreeing supports our ask" if statement.supports == "agree" else "disagreeing supports our ask"))
        cells = row.get_by_role("cell")
        for n, party in enumerate(parties):
            position, meaning = positions[party]
            expect(cells.nth(n).locator("[class^='pos-']")).to_have_text(nl(position))
            expect(cells.nth(n)).to_contain_text(nl(meaning))
    # Alfa supports the ask on both statements, the others on neither.
    footer = table.locator("tfoot td")
    alfa = parties.index("Alfa Partij")
    expect(footer.nth(alfa)).to_contain_text(nl("supports our ask"))
    expect(footer.nth(alfa)).to_contain_text(nl.n("%(supporting)d of %(num)d statement",
                                                  "%(supporting)d of %(num)d statements", 2, supporting=2))

    stance = topic.locator("ul.dossier-stances li").filter(has_text=PARTY)
    expect(stance).to_contain_text(nl("supportive"))
    expect(stance).to_contain_text(nl("meeting"))
    expect(stance).to_contain_text(nl.date(dutch_today()))

    steps = page.get_by_role("table", name=nl("Open next steps"))
    step = steps.get_by_role("row").filter(has_text=NEXT_STEP)
    expect(step).to_contain_text(TITLE)
    expect(step).to_contain_text(PARTY)

    answers = page.get_by_role("region", name=nl("Cultuurwijzer answers"))
    expect(answers.locator(".answer-stats-hidden")).to_have_text(nl(
        "Fewer citizens have shared their answers than needed to show them. The counts are shown from %(num)d "
        "responses.", num=THRESHOLD))
    expect(answers.get_by_role("table")).to_have_count(0)
    axe_check(axe_page, dossier_path(), "the dossier, statistics hidden")


# --- 4. the citizens ----------------------------------------------------------------------------------------

def citizen_shares(new_context, axe_context, nl, answers: tuple[str, ...], *, check_axe: bool) -> None:
    """One citizen answers in the stepper and opts in on the result page; no cookie is set."""
    context = new_context()
    page = context.new_page()
    page.goto(f"/cultuurwijzer/{CODE}")
    expect(page.locator("input[name=editie]")).to_have_value(EDITION_ID)
    for n, answer in enumerate(answers, start=1):
        answer_button(page, n, answer).click()
    important = page.locator("#belangrijk")
    expect(important).to_be_visible()
    important.get_by_role("button", name=nl("Next"), exact=True).click()
    page.locator("#advice-form [data-submit] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cultuurwijzer/{CODE}/resultaat\?"))

    research = page.get_by_role("region", name=nl("Share your answers anonymously for research"))
    expect(research).to_contain_text(nl("The counts are only reported once at least %(num)d people have shared.",
                                        num=THRESHOLD))
    if check_axe:
        axe_page = axe_context.new_page()
        axe_page.goto(page.url)
        expect(axe_page.get_by_role("button", name=nl("Share my answers anonymously"), exact=True)).to_be_visible()
        assert_no_axe_violations(axe_page, "the result page with the opt-in form")
    result_url = page.url
    with page.expect_response(lambda r: r.request.method == "POST" and "/delen" in r.url) as posted:
        research.get_by_role("button", name=nl("Share my answers anonymously"), exact=True).click()
    assert posted.value.status == 303, f"sharing should redirect (303), got {posted.value.status}"
    expect(research.get_by_role("status")).to_have_text(
        nl("Thank you. Your answers have been added to the anonymous counts."))
    expect(research.get_by_role("button")).to_have_count(0)
    assert page.url.split("#")[0].startswith(result_url), "back on the same result, with its answers"
    assert context.cookies() == [], f"the Cultuurwijzer set cookies: {context.cookies()}"


def statistics_shown(page, axe_page, nl) -> None:
    page.goto(dossier_path())
    answers = page.get_by_role("region", name=nl("Cultuurwijzer answers"))
    expect(answers.locator(".answer-stats-hidden")).to_have_count(0)
    expect(answers).to_contain_text(nl.n("%(num)d citizen shared their answers anonymously",
                                         "%(num)d citizens shared their answers anonymously", THRESHOLD))
    row = answers.get_by_role("table").locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=MUSIC.title, exact=True))
    numbers = row.locator("td.number")
    expect(numbers).to_have_count(4)  # agree, neutral, disagree, skip
    for n, answer in enumerate(("agree", "neutral", "disagree", "skip")):
        expect(numbers.nth(n)).to_have_text(re.compile(rf"^{MUSIC_COUNTS[answer]}\b"))
    axe_check(axe_page, dossier_path(), "the dossier, statistics shown")

    with page.expect_download() as download:
        answers.get_by_role("link", name=nl("Download per statement (CSV)"), exact=True).click()
    assert download.value.suggested_filename == f"{EDITION_ID}-answers.csv"
    with open(download.value.path(), encoding="utf-8") as file:
        rows = {row["statement"]: row for row in csv.DictReader(io.StringIO(file.read()))}
    assert set(rows) == {"muziekles", "cultuurpas", "oefenruimte", "bezuiniging"}
    music = rows[MUSIC.key]
    assert {answer: int(music[answer]) for answer in MUSIC_COUNTS} == MUSIC_COUNTS
    assert music["answered"] == "3" and music["agree_percent"] == "66.7"
    assert (int(rows[CUTS.key]["disagree"]), int(rows[CUTS.key]["agree"])) == (2, 1)


# --- 5. on paper --------------------------------------------------------------------------------------------

def dossier_in_print(page, nl) -> None:
    page.goto(dossier_path())
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name=nl("Back office"))).to_be_hidden()
    expect(page.locator(".dossier-contents")).to_be_hidden()
    expect(page.locator(".dossier .breadcrumb")).to_be_hidden()
    forms = page.locator("form")
    assert forms.count() > 0, "the page has forms (sign out at least) to hide"
    for n in range(forms.count()):
        expect(forms.nth(n)).to_be_hidden()
    expect(page.get_by_role("link", name=nl("Download per statement (CSV)"))).to_be_hidden()
    expect(heading(page)).to_be_visible()
    for section in ("#topics", "#coordinators", "#debates", "#figures", "#answers"):
        expect(page.locator(section)).to_be_visible()
    expect(page.locator("table.answer-stats")).to_be_visible()
    page.emulate_media(media="screen")


# --- the round trip -----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_topic_input_and_dossier_with_answer_statistics(new_context, world, nl):
    editor = new_context().new_page()
    axe_page = new_context(bypass_csp=True).new_page()
    sign_in(editor, nl, EDITOR)
    sign_in(axe_page, nl, EDITOR)

    # 1-2. The topic, its statements, a local party and the input given to it.
    topic_id = create_topic(editor, axe_page, nl)
    link_statements(editor, axe_page, nl, topic_id)
    create_party(editor, nl)
    log_input(editor, axe_page, nl, topic_id)
    matrix_shows_stance(editor, axe_page, nl)

    # 3. The dossier has it all; the statistics are hidden. The dashboard passes axe too.
    dossier_shows_it_all(editor, axe_page, nl)
    axe_check(axe_page, "/beheer/lobby/", "the dashboard")

    # 4. Citizens share; below the threshold nothing shows, at the threshold the counts do.
    citizen_axe = new_context(bypass_csp=True)
    for n, answers in enumerate(CITIZENS[:-1]):
        citizen_shares(new_context, citizen_axe, nl, answers, check_axe=n == 0)
    editor.goto(dossier_path())
    answers_region = editor.get_by_role("region", name=nl("Cultuurwijzer answers"))
    expect(answers_region.locator(".answer-stats-hidden")).to_be_visible()
    expect(answers_region.get_by_role("table")).to_have_count(0)
    citizen_shares(new_context, citizen_axe, nl, CITIZENS[-1], check_axe=False)
    statistics_shown(editor, axe_page, nl)

    # 5. On paper.
    dossier_in_print(editor, nl)

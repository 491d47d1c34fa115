"""The Cultuurwijzer in a real browser: stepper, keyboard, no JavaScript, language, accessibility, phone, print.

Everything runs against the fictional mini edition (tests/fixtures/mini-edition.json): GM0344 "Utrecht",
edition test2026-gm0344, four statements and three parties. The parties' positions (+1 agree, 0 neutral,
-1 disagree, None no position):

    statement        Alfa Partij  Beta Beweging  Gamma Groep
    1 muziekles          +1            0             -1
    2 cultuurpas         +1           -1            None
    3 oefenruimte        +1           +1             -1
    4 bezuiniging        -1           +1             +1

The expected scores below are worked out by hand from the published method (docs/method.md): per answered
statement weight * (2 - |answer - position|) points out of weight * 2, weight 2 when marked important, no
points where a party gave no position, score = 100 * points / maximum with one decimal, equal scores share a
rank and are listed by name.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS_DIR, without_page_scripts

CODE = "GM0344"
EDITION_ID = "test2026-gm0344"
START = "/cultuurwijzer/"
STATEMENTS = f"/cultuurwijzer/{CODE}"
METHOD = "/cultuurwijzer/methode"
STATEMENT_COUNT = 4

# The interface texts the tests look for. Dutch is the default language; the templates hold English msgids
# and the Dutch comes from campaign/translations/nl. Keep every Dutch expectation here, in one place.
NL = {
    "progress": "Stelling {n} van {total}",
    "agree": "Eens",
    "disagree": "Oneens",
    "neutral": "Geen van beide",
    "skip": "Sla over",
    "previous": "Vorige",
    "next": "Volgende",
    "explanation": "Uitleg",
}
EN = {
    "progress": "Statement {n} of {total}",
    "agree": "Agree",
    "disagree": "Disagree",
    "neutral": "Neither",
    "skip": "Skip",
    "previous": "Previous",
    "next": "Next",
    "explanation": "Explanation",
}


def progress_text(n: int, texts: dict = NL) -> str:
    return texts["progress"].format(n=n, total=STATEMENT_COUNT)


# --- scenarios, scored by hand ------------------------------------------------------------------------------

# Test 1 (stepper): 1 agree, 2 agree and important (first answered "disagree", then changed), 3 neutral, 4 skipped.
# Maximum = 1*2 + 2*2 + 1*2 = 8.
#   Alfa:  1: 2-|1-1| = 2;  2: 2*(2-|1-1|) = 4;  3: 2-|0-1| = 1          -> 7/8 = 87.5
#   Beta:  1: 2-|1-0| = 1;  2: 2*(2-|1+1|) = 0;  3: 2-|0-1| = 1          -> 2/8 = 25.0
#   Gamma: 1: 2-|1+1| = 0;  2: no position = 0;  3: 2-|0+1| = 1          -> 1/8 = 12.5, flagged
STEPPER_QUERY = {"a.muziekles": "agree", "a.cultuurpas": "agree", "a.oefenruimte": "neutral",
                 "important": "cultuurpas"}
STEPPER_RANKING = [[1, "Alfa Partij", "87,5%"], [2, "Beta Beweging", "25,0%"], [3, "Gamma Groep", "12,5%"]]
STEPPER_FLAGGED = ["gamma"]

# Test 2 (keyboard): 1 disagree, 2 skipped, 3 agree, 4 agree, nothing marked. Maximum = 3*2 = 6.
#   Alfa:  1: 2-|-1-1| = 0;  3: 2;  4: 2-|1+1| = 0                       -> 2/6 = 33.3
#   Beta:  1: 2-|-1-0| = 1;  3: 2;  4: 2                                 -> 5/6 = 83.3
#   Gamma: 1: 2-|-1+1| = 2;  3: 2-|1+1| = 0;  4: 2                       -> 4/6 = 66.7 (its gap is on a skipped statement: no flag)
KEYBOARD_RANKING = [[1, "Beta Beweging", "83,3%"], [2, "Gamma Groep", "66,7%"], [3, "Alfa Partij", "33,3%"]]

# Test 3 (no JavaScript): as test 2, but statement 3 marked important. Maximum = 2 + 4 + 2 = 8.
#   Alfa:  0 + 2*2 + 0 = 4 -> 50.0;  Beta: 1 + 4 + 2 = 7 -> 87.5;  Gamma: 2 + 0 + 2 = 4 -> 50.0
# Alfa and Gamma share rank 2 and are listed by name.
NO_JS_RANKING = [[1, "Beta Beweging", "87,5%"], [2, "Alfa Partij", "50,0%"], [2, "Gamma Groep", "50,0%"]]


def result_url(query: dict) -> str:
    return f"{STATEMENTS}/resultaat?" + urlencode({"editie": EDITION_ID, **query})


# --- helpers ------------------------------------------------------------------------------------------------

def answer_button(page, n: int, answer: str, texts: dict = NL):
    """The stepper's answer button, found by its accessible name (so the ✓ on a pressed one must not count)."""
    return page.locator(f"#stelling-{n} .step-buttons").get_by_role("button", name=texts[answer], exact=True)


def read_ranking(page) -> list[list]:
    """[rank, party name, score text] per listed party, in page order."""
    return page.eval_on_selector_all(".ranking > li.party-result", """items => items.map(li => {
        const heading = li.querySelector('.party-name').cloneNode(true);
        heading.querySelectorAll('.rank, .shared').forEach(e => e.remove());
        return [li.value, heading.textContent.trim(), li.querySelector('.score strong').textContent.trim()];
    })""")


def flagged_parties(page) -> list[str]:
    return page.eval_on_selector_all(".ranking > li.party-result",
                                     "items => items.filter(li => li.querySelector('.flag'))"
                                     ".map(li => li.id.replace('partij-', ''))")


def explanation_rows(page, party_key: str) -> list[list[str]]:
    """The per-statement table of one party: the cells of every body row, then the footer row."""
    return page.eval_on_selector_all(
        f"#partij-{party_key} details.explain tbody tr, #partij-{party_key} details.explain tfoot tr",
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent.replace(/\\s+/g, ' ').trim()))")


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has focus; every stop on the way must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate("""s => {
            const el = document.activeElement;
            if (!el || el === document.body) return {match: false, visible: true, what: 'body'};
            return {match: el.matches(s), visible: el.checkVisibility(), what: el.outerHTML.slice(0, 120)};
        }""", selector)
        assert state["visible"], f"Tab stopped on an invisible element: {state['what']}"
        if state["match"]:
            return
    raise AssertionError(f"{limit} Tabs did not reach {selector}")


def assert_no_horizontal_scroll(page, where: str) -> None:
    overflow = page.evaluate("""() => {
        const width = window.innerWidth;
        const wide = Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > width + 0.5 && el.checkVisibility())
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide};
    }""")
    assert overflow["scrollWidth"] <= overflow["innerWidth"], f"horizontal scroll on {where}: {overflow}"


def open_all_details(page) -> None:
    page.eval_on_selector_all("details", "ds => ds.forEach(d => { d.open = true; })")


# --- 1. the stepper with JavaScript --------------------------------------------------------------------------

@pytest.mark.e2e
def test_live_search_stepper_result_and_share_link(new_context, live_server):
    page = new_context().new_page()
    page.goto(START)

    # Live search: htmx replaces the results while typing, without a form submission.
    results = page.locator("#results")
    results.evaluate("el => { el.firstElementChild.dataset.stale = 'yes'; }")
    with page.expect_response(lambda r: "q=utr" in r.url and r.request.headers.get("hx-request") == "true") as hx:
        page.locator("#q").press_sequentially("utr", delay=40)
    assert hx.value.ok
    expect(results.locator("[data-stale]")).to_have_count(0)
    assert urlsplit(page.url).query == "", "typing must not submit the form"
    names = results.locator(".municipalities .name").all_inner_texts()
    assert "Utrecht" in names
    assert all("utr" in name.casefold() for name in names), names
    results.locator(f'a[href$="/{CODE}"]').click()

    # The stepper: one statement at a time.
    expect(page).to_have_url(re.compile(rf"{STATEMENTS}(#stelling-1)?$"))
    expect(page.locator("input[name=editie]")).to_have_value(EDITION_ID)
    progress = page.locator("[data-progress-text]")
    expect(progress).to_have_text(progress_text(1))
    expect(page.locator("#advice-form [data-step]:visible")).to_have_count(1)
    expect(page.locator("#stelling-1")).to_be_visible()
    expect(page.locator("#stelling-1 .choices")).to_be_hidden()
    expect(page.locator("#advice-form [data-submit]")).to_be_hidden()

    answer_button(page, 1, "agree").click()
    expect(progress).to_have_text(progress_text(2))
    expect(page.locator("#stelling-2 .statement-title")).to_be_focused()
    expect(page.locator("#stelling-1")).to_be_hidden()

    answer_button(page, 2, "disagree").click()
    expect(progress).to_have_text(progress_text(3))

    # Back once, and change the answer; the earlier choice shows as pressed.
    page.locator("#stelling-3 .step-nav").get_by_role("button", name=NL["previous"], exact=True).click()
    expect(progress).to_have_text(progress_text(2))
    expect(answer_button(page, 2, "disagree")).to_have_attribute("aria-pressed", "true")
    expect(answer_button(page, 2, "agree")).to_have_attribute("aria-pressed", "false")

    # The background explanation.
    background = page.locator("#stelling-2 details.background")
    expect(background.locator("p")).to_be_hidden()
    background.locator("summary").filter(has_text=NL["explanation"]).click()
    expect(background.locator("p")).to_have_text("Een pas geeft korting op lessen.")

    answer_button(page, 2, "agree").click()
    expect(progress).to_have_text(progress_text(3))
    answer_button(page, 3, "neutral").click()
    expect(progress).to_have_text(progress_text(4))
    answer_button(page, 4, "skip").click()

    # What matters most: mark one.
    important = page.locator("#belangrijk")
    expect(important).to_be_visible()
    expect(important.locator(".statement-title")).to_be_focused()
    expect(progress).to_have_text(important.locator(".statement-title").inner_text())
    important.get_by_label("Een cultuurpas", exact=True).check()
    important.get_by_role("button", name=NL["next"], exact=True).click()

    # The parties: all selected; the submit button appears on this last step.
    parties = page.locator("#partijen")
    expect(parties).to_be_visible()
    expect(parties.locator(".statement-title")).to_be_focused()
    expect(parties.locator("input[name=party]:checked")).to_have_count(3)
    submit = page.locator("#advice-form [data-submit] button[type=submit]")
    expect(submit).to_be_visible()
    submit.click()

    # The result.
    expect(page).to_have_url(re.compile(rf"{STATEMENTS}/resultaat\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"editie": [EDITION_ID], **{k: [v] for k, v in STEPPER_QUERY.items()}}, \
        "skipped statements and 'all parties' are left out of the link"
    assert read_ranking(page) == STEPPER_RANKING
    assert flagged_parties(page) == STEPPER_FLAGGED
    expect(page.locator("#partij-gamma .flag")).to_be_visible()

    # Statement by statement, for the winner and for the party without a position.
    page.locator("#partij-alfa details.explain summary").click()
    expect(page.locator("#partij-alfa details.explain table")).to_be_visible()
    alfa = explanation_rows(page, "alfa")
    assert [row[-1] for row in alfa] == ["2 / 2", "4 / 4", "1 / 2", "–", "7 / 8 = 87,5%"]
    assert [row[3] for row in alfa[:4]] == ["Muziek hoort bij school.", "Iedereen moet mee kunnen doen.",
                                           "Amateurs verdienen ruimte.", "Niet op cultuur."]
    assert page.locator("#partij-alfa details.explain tbody tr").nth(1).locator(".tag").count() == 1, \
        "the important statement is marked as counting double"
    gamma = explanation_rows(page, "gamma")
    assert [row[-1] for row in gamma] == ["0 / 2", "0 / 4", "1 / 2", "–", "1 / 8 = 12,5%"]
    assert gamma[1][3] == "–"
    assert page.locator("#partij-gamma details.explain tbody tr").nth(1).locator("td.pos-none").count() == 1

    # The share link reproduces the result for somebody else.
    share_url = page.locator("#share-url").input_value()
    assert share_url.startswith(f"{live_server.url}{STATEMENTS}/resultaat?")
    other = new_context().new_page()
    other.goto(share_url)
    assert read_ranking(other) == STEPPER_RANKING
    assert flagged_parties(other) == STEPPER_FLAGGED


# --- 2. keyboard only ----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_stepper_by_keyboard_only(page):
    page.goto(STATEMENTS)
    progress = page.locator("[data-progress-text]")
    expect(progress).to_have_text(progress_text(1))

    for n, answer, key in [(1, "disagree", "Enter"), (2, "skip", "Space"), (3, "agree", "Enter"),
                           (4, "agree", "Space")]:
        tab_to(page, f"#stelling-{n} .step-buttons button[data-answer={answer}]")
        expect(answer_button(page, n, answer)).to_be_focused()
        page.keyboard.press(key)
        following = f"#stelling-{n + 1}" if n < STATEMENT_COUNT else "#belangrijk"
        expect(page.locator(f"{following} .statement-title")).to_be_focused()
        if n < STATEMENT_COUNT:
            expect(progress).to_have_text(progress_text(n + 1))

    tab_to(page, "#belangrijk .step-nav button:last-child")
    page.keyboard.press("Enter")
    expect(page.locator("#partijen .statement-title")).to_be_focused()
    tab_to(page, "#advice-form [data-submit] button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"{STATEMENTS}/resultaat\?"))
    assert read_ranking(page) == KEYBOARD_RANKING
    assert flagged_parties(page) == []


# --- 3. without JavaScript -----------------------------------------------------------------------------------

@pytest.mark.e2e
def test_everything_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(START)
    page.locator("#q").fill("utr")
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile(r"/cultuurwijzer/\?q=utr$"))
    expect(page.locator("#q")).to_have_value("utr")
    names = page.locator("#results .municipalities .name").all_inner_texts()
    assert "Utrecht" in names and all("utr" in name.casefold() for name in names), names
    page.locator(f'#results a[href$="/{CODE}"]').click()

    # Every statement in one form, with radio buttons; the stepper's parts stay away.
    expect(page).to_have_url(re.compile(rf"{STATEMENTS}$"))
    expect(page.locator("[data-progress]")).to_be_hidden()
    expect(page.locator(".step-buttons")).to_have_count(0)
    for n in range(1, STATEMENT_COUNT + 1):
        statement = page.locator(f"#stelling-{n}")
        expect(statement).to_be_visible()
        expect(statement.locator(".counter")).to_have_text(progress_text(n))
        expect(statement.locator("input[type=radio]")).to_have_count(4)
        expect(statement.get_by_label(NL["skip"], exact=True)).to_be_checked()
    expect(page.locator("#belangrijk")).to_be_visible()
    expect(page.locator("#partijen")).to_be_visible()

    page.locator("#stelling-1").get_by_label(NL["disagree"], exact=True).check()
    page.locator("#stelling-3").get_by_label(NL["agree"], exact=True).check()
    page.locator("#stelling-4").get_by_label(NL["agree"], exact=True).check()
    page.locator("#belangrijk").get_by_label("Goedkope oefenruimtes", exact=True).check()
    page.locator("#advice-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"{STATEMENTS}/resultaat\?"))
    assert read_ranking(page) == NO_JS_RANKING
    assert flagged_parties(page) == []
    expect(page.locator("#partij-alfa .shared")).to_be_visible()
    expect(page.locator("#partij-gamma .shared")).to_be_visible()
    expect(page.locator("#partij-beta .shared")).to_have_count(0)
    # Without JavaScript the buttons that need it stay hidden, and the link still holds the answers.
    expect(page.locator("[data-copy]")).to_be_hidden()
    share_url = page.locator("#share-url").input_value()
    assert parse_qs(urlsplit(share_url).query)["important"] == ["oefenruimte"]


# --- 4. language ---------------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_language_switch_is_remembered_and_accept_language_counts(new_context, live_server):
    context = new_context()
    page = context.new_page()
    page.goto(STATEMENTS)
    html = page.locator("html")
    progress = page.locator("[data-progress-text]")
    expect(html).to_have_attribute("lang", "nl")
    expect(progress).to_have_text(progress_text(1, NL))

    page.locator(".lang-switch").get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url + STATEMENTS)}(#stelling-1)?$"))
    expect(html).to_have_attribute("lang", "en")
    expect(progress).to_have_text(progress_text(1, EN))
    expect(answer_button(page, 1, "agree", EN)).to_be_visible()
    expect(page.locator(".lang-switch a[aria-current]")).to_have_text("English")
    assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "en"

    # Remembered: on a reload and on the next pages.
    page.reload()
    expect(html).to_have_attribute("lang", "en")
    expect(progress).to_have_text(progress_text(1, EN))
    page.goto(START)
    expect(html).to_have_attribute("lang", "en")
    page.goto(STATEMENTS)
    expect(progress).to_have_text(progress_text(1, EN))

    # And back to Dutch (the cached English statement page must not come back).
    page.locator(".lang-switch").get_by_role("link", name="Nederlands", exact=True).click()
    expect(html).to_have_attribute("lang", "nl")
    expect(progress).to_have_text(progress_text(1, NL))

    # An English browser without a language cookie gets English.
    english_context = new_context(locale="en-GB")
    english = english_context.new_page()
    english.goto(STATEMENTS)
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.locator("[data-progress-text]")).to_have_text(progress_text(1, EN))
    expect(answer_button(english, 1, "agree", EN)).to_be_visible()
    assert english_context.cookies() == []


@pytest.mark.e2e
def test_switching_language_halfway_keeps_the_answers(new_context):
    page = new_context().new_page()
    page.goto(STATEMENTS)
    answer_button(page, 1, "agree", NL).click()
    answer_button(page, 2, "disagree", NL).click()
    expect(page.locator("[data-progress-text]")).to_have_text(progress_text(3, NL))

    page.locator(".lang-switch").get_by_role("link", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # Back where the citizen was, with the answers given so far.
    expect(page.locator("[data-progress-text]")).to_have_text(progress_text(3, EN))
    assert page.locator('input[name="a.muziekles"][value="agree"]').is_checked()
    assert page.locator('input[name="a.cultuurpas"][value="disagree"]').is_checked()
    page.get_by_role("button", name=EN["previous"]).locator("visible=true").click()
    expect(answer_button(page, 2, "disagree", EN)).to_have_attribute("aria-pressed", "true")


# --- 5. accessibility ----------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_axe_finds_no_violations(new_context, axe):
    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()

    page.goto(START)
    axe(page, "start page")

    page.goto(STATEMENTS)
    expect(page.locator("[data-progress-text]")).to_be_visible()
    axe(page, "statement page (stepper)")

    page.goto(result_url(STEPPER_QUERY))
    page.locator(".ranking details.explain summary").first.click()
    expect(page.locator(".ranking details.explain table").first).to_be_visible()
    axe(page, "result page, one explanation open")

    page.goto(METHOD)
    axe(page, "method page")

    for missing in ("/cultuurwijzer/GM9999", "/bestaat-niet"):
        response = page.goto(missing)
        assert response.status == 404
        axe(page, f"404 page {missing}")

    no_js = context.new_page()
    without_page_scripts(no_js)
    no_js.goto(STATEMENTS)
    expect(no_js.locator("[data-progress]")).to_be_hidden()
    expect(no_js.locator("#stelling-1 input[type=radio]").first).to_be_visible()
    axe(no_js, "statement page without JavaScript")


# --- 6. phone ------------------------------------------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.mark.e2e
def test_phone_layout_has_no_horizontal_scroll(new_context):
    page = new_context(**PHONE).new_page()
    page.goto(START)
    assert_no_horizontal_scroll(page, "start page")
    page.goto(STATEMENTS)
    expect(page.locator("[data-progress-text]")).to_be_visible()
    assert_no_horizontal_scroll(page, "statement page")
    page.goto(result_url(STEPPER_QUERY))

    RESULTS_DIR.mkdir(exist_ok=True)
    page.locator("#partij-gamma details.explain summary").click()
    page.screenshot(path=str(RESULTS_DIR / "result-phone.png"), full_page=True)
    assert_no_horizontal_scroll(page, "result page")
    open_all_details(page)
    assert_no_horizontal_scroll(page, "result page, every explanation open")

    no_js = new_context(java_script_enabled=False, **PHONE).new_page()
    no_js.goto(STATEMENTS)
    assert_no_horizontal_scroll(no_js, "statement page without JavaScript")


# --- 7. print ------------------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_print_hides_the_site_header(page):
    page.goto(result_url(STEPPER_QUERY))
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("section.share")).to_be_hidden()
    expect(page.locator(".ranking")).to_be_visible()

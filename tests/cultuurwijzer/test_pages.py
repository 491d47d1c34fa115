"""The citizen's flow through the test client, as without JavaScript: start, one form, result, share link."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

STATEMENTS = "/cultuurwijzer/GM0344"
RESULT = "/cultuurwijzer/GM0344/resultaat"


class FormReader(HTMLParser):
    """Collects the advice form's action and fields, the way a browser without JavaScript would submit it."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.radios: dict[str, list[str]] = {}
        self.checked: dict[str, str] = {}
        self.checkboxes: list[tuple[str, str, bool]] = []
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "advice-form":
            self.action = a["action"]
            assert a["method"] == "get"
        if tag == "input":
            if a.get("type") == "radio":
                self.radios.setdefault(a["name"], []).append(a["value"])
                if "checked" in a:
                    self.checked[a["name"]] = a["value"]
            elif a.get("type") == "checkbox":
                self.checkboxes.append((a["name"], a["value"], "checked" in a))
            elif a.get("type") == "hidden":
                self.hidden[a["name"]] = a["value"]


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


@pytest.fixture()
def published(editions):
    return editions.create()


def test_start_page_lists_and_searches_municipalities(client, published):
    page = client.get("/cultuurwijzer/").get_data(as_text=True)
    assert 'href="/cultuurwijzer/GM0344"' in page
    found = client.get("/cultuurwijzer/?q=UTR").get_data(as_text=True)
    assert "Utrecht" in found
    none = client.get("/cultuurwijzer/?q=Zzyzx").get_data(as_text=True)
    assert 'href="/cultuurwijzer/GM0344"' not in none
    assert "Zzyzx" in none


def test_live_search_returns_only_the_results_fragment(client, published):
    response = client.get("/cultuurwijzer/?q=utr", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "Utrecht" in body and "<html" not in body and "<form" not in body
    assert "HX-Request" in response.headers["Vary"]
    restore = client.get("/cultuurwijzer/?q=utr", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_no_js_form_holds_every_statement_and_submits_to_the_result(client, published):
    html = client.get(STATEMENTS).get_data(as_text=True)
    form = read_form(html)
    assert form.action == RESULT
    assert set(form.radios) == {"a.muziekles", "a.cultuurpas", "a.oefenruimte", "a.bezuiniging"}
    assert all(values == ["agree", "neutral", "disagree", "skip"] for values in form.radios.values())
    assert all(value == "skip" for value in form.checked.values())
    assert [v for n, v, checked in form.checkboxes if n == "party" and checked] == ["alfa", "beta", "gamma"]
    assert [v for n, v, checked in form.checkboxes if n == "important" and not checked] == [
        "muziekles", "cultuurpas", "oefenruimte", "bezuiniging"]
    # Every control has a label: radios and checkboxes sit inside <label> elements.
    assert html.count("<label") >= 4 * 4 + 4 + 3

    fields = dict(form.hidden) | dict(form.checked)
    fields |= {"a.muziekles": "agree", "a.cultuurpas": "disagree"}
    query = urlencode(list(fields.items()) + [("important", "muziekles")] +
                      [("party", v) for n, v, c in form.checkboxes if n == "party" and c])
    response = client.get(f"{form.action}?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    ranking = re.findall(r'class="party-name"><span class="rank">(\d)\.</span> ([^<]+?)\s*(?:<|$)', page)
    assert ranking == [("1", "Alfa Partij"), ("1", "Beta Beweging"), ("3", "Gamma Groep")]
    assert page.count("66,7%") >= 2 and "0,0%" in page
    # Gamma gave no position on the cultuurpas statement the citizen answered: flagged.
    assert "gaf geen standpunt op 1 stelling" in page
    assert response.headers["Cache-Control"] == "private, no-store"


def test_share_link_reproduces_the_result(client, published):
    first = client.get(RESULT, query_string={"editie": "test2026-gm0344", "a.bezuiniging": "agree",
                                             "a.muziekles": "neutral", "important": "bezuiniging"})
    page = first.get_data(as_text=True)
    share = re.search(r'id="share-url" type="text" readonly value="([^"]+)"', page).group(1).replace("&amp;", "&")
    parts = urlsplit(share)
    again = client.get(f"{parts.path}?{parts.query}").get_data(as_text=True)

    def ranking(html):
        return re.findall(r'<li class="party-result" value="(\d+)" id="partij-([a-z]+)">.*?<strong>([\d,]+)%</strong>',
                          html, re.S)

    assert ranking(page) == ranking(again) != []


def test_statement_page_is_cacheable_and_revalidates(client, published):
    first = client.get(STATEMENTS)
    assert first.status_code == 200
    assert "public" in first.headers["Cache-Control"] and "max-age=300" in first.headers["Cache-Control"]
    assert {"Accept-Language", "Cookie"} <= set(v.strip() for v in first.headers["Vary"].split(","))
    etag = first.headers["ETag"]
    second = client.get(STATEMENTS, headers={"If-None-Match": etag})
    assert second.status_code == 304 and second.data == b""
    english = client.get(STATEMENTS, headers={"Accept-Language": "en", "If-None-Match": etag})
    assert english.status_code == 200 and english.headers["ETag"] != etag


def test_a_changed_edition_gets_a_new_etag(client, editions, published):
    etag = client.get(STATEMENTS).headers["ETag"]
    from tests.factories import edition_document

    doc = edition_document()
    doc["statements"][0]["title"] = "Muziekles voor ieder kind"
    editions.create(doc)
    response = client.get(STATEMENTS, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Muziekles voor ieder kind" in response.get_data(as_text=True)


def test_no_cookies_and_nothing_from_other_hosts(client, published):
    for url in ("/cultuurwijzer/", STATEMENTS, f"{RESULT}?a.muziekles=agree", "/cultuurwijzer/methode"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        html = response.get_data(as_text=True)
        for ref in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert not ref.startswith(("http:", "https:", "//")), (url, ref)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_demo_data_is_announced(client, published):
    for url in (STATEMENTS, f"{RESULT}?a.muziekles=agree"):
        assert "Demodata." in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("query, text", [
    ({"a.muziekles": "maybe"}, "<code>a.muziekles</code>: moet agree, neutral, disagree of skip zijn"),
    ({"a.nope": "agree"}, "<code>a.nope</code>: onbekende stelling-id &#39;nope&#39;"),
    ({"a.muziekles": "agree", "important": "nope"}, "<code>important</code>: onbekende stelling-id &#39;nope&#39;"),
    ({"a.muziekles": "agree", "party": "nope"}, "<code>party</code>: onbekende partij-id &#39;nope&#39;"),
    ({}, "Beantwoord minstens één stelling"),
    ({"a.muziekles": "skip"}, "Beantwoord minstens één stelling"),
])
def test_bad_result_links_are_422_with_a_clear_message(client, published, query, text):
    response = client.get(RESULT, query_string=query)
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)


def test_unknown_municipality_and_edition_are_404(client, published):
    assert client.get("/cultuurwijzer/GM9999").status_code == 404
    assert client.get("/cultuurwijzer/utrecht").status_code == 404
    assert client.get(RESULT, query_string={"editie": "other", "a.muziekles": "agree"}).status_code == 404


def test_unchecking_every_party_compares_all(client, published):
    page = client.get(RESULT, query_string={"a.muziekles": "agree"}).get_data(as_text=True)
    assert page.count('class="party-result"') == 3


def test_method_page_shows_the_worked_example_computed_by_the_engine(client):
    page = client.get("/cultuurwijzer/methode").get_data(as_text=True)
    assert "4 / 6 = 66,7%" in page
    assert "0 / 6 = 0,0%" in page


def test_english_result_uses_english_number_format(client, published):
    page = client.get(RESULT, query_string={"a.muziekles": "agree", "a.cultuurpas": "disagree",
                                            "important": "muziekles"},
                      headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "66.7%" in page and "Your result for Utrecht" in page

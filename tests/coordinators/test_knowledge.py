"""The knowledge base: search (every word, any case, title matches first), public versus coordinator-only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from campaign.core.models import AuditEntry
from campaign.coordinators.knowledge import paragraphs, search
from campaign.coordinators.models import Article
from tests.helpers import post_form

ADMIN = "/beheer/coordinatoren/kennisbank"


@pytest.fixture()
def kb(db_session):
    """Four items: two public, one for coordinators only, one unpublished."""
    old = dt.datetime(2025, 1, 1)
    items = {
        "hours": Article(title="Hoeveel TIJD kost het werk als Coördinator?", body="Een paar uur per week.",
                         topic="Rol", updated_at=old),
        "role": Article(title="Wat doet een coordinator?", body="Kent de partijen. Het kost wat tijd, maar het loont.",
                        topic="Rol", updated_at=old),
        "venue": Article(title="Welke zaal kan ik gebruiken voor een debat?", body="Vraag het campagneteam; "
                         "de coordinator van je gemeente weet het ook. Het kost geen tijd.",
                         topic="Debat", audience="coordinators", updated_at=old),
        "draft": Article(title="Concept: tijd voor de coordinator", body="Nog niet af.", topic="Rol",
                         published=False, updated_at=old),
    }
    db_session.add_all(items.values())
    db_session.commit()
    return items


def _titles(result) -> list[str]:
    return [a.title for a in result.articles]


def test_every_word_must_occur_in_any_case_and_title_matches_come_first(app, kb):
    with app.test_request_context():
        # "tijd" and "coordinator" are both in the title of the first item (accent and capitals aside), only
        # "coordinator" in the title of the second. The draft matches too but is not published.
        assert _titles(search("tijd COORDINATOR", coordinators=False)) == [kb["hours"].title, kb["role"].title]
        assert _titles(search("partijen coordinator", coordinators=False)) == [kb["role"].title]
        assert _titles(search("partijen zaal", coordinators=True)) == []  # no single item has both
        assert _titles(search("rol", coordinators=False)) == [kb["hours"].title, kb["role"].title]  # the topic counts


def test_coordinator_only_items_are_found_in_the_workspace_only(app, kb):
    with app.test_request_context():
        assert kb["venue"].title not in _titles(search("tijd", coordinators=False))
        assert _titles(search("zaal", coordinators=False)) == []
        assert _titles(search("zaal", coordinators=True)) == [kb["venue"].title]
        # Title matches first: "tijd" is in the title of only one item.
        assert _titles(search("tijd", coordinators=True))[0] == kb["hours"].title


def test_the_public_page_never_shows_coordinator_only_or_unpublished_items(english, kb):
    html = english.get("/kennisbank").get_data(as_text=True)
    assert kb["hours"].title.replace("?", "") in html and kb["role"].title in html
    assert "Welke zaal" not in html and "Concept" not in html

    assert "Welke zaal" not in english.get("/kennisbank?q=zaal").get_data(as_text=True)
    assert english.get(f"/kennisbank/{kb['venue'].id}").status_code == 404
    assert english.get(f"/kennisbank/{kb['draft'].id}").status_code == 404
    page = english.get(f"/kennisbank/{kb['role'].id}")
    assert page.status_code == 200 and "Kent de partijen." in page.get_data(as_text=True)


def test_an_empty_query_lists_everything_grouped_by_topic(english, kb):
    html = english.get("/kennisbank").get_data(as_text=True)
    assert re.search(r'<h2 class="kb-topic">Rol</h2>', html)
    assert '<p id="kb-count" class="count" role="status">2 items</p>' in html


def test_search_on_the_page_announces_the_count_and_works_with_htmx(english, kb):
    html = english.get("/kennisbank?q=tijd+coordinator").get_data(as_text=True)
    assert 'role="status">2 items found for “tijd coordinator”</p>' in html
    assert html.index("Hoeveel TIJD") < html.index("Wat doet een coordinator")
    assert 'hx-trigger="input changed delay:300ms, search"' in html and 'hx-push-url="true"' in html

    fragment = english.get("/kennisbank?q=partijen", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Wat doet een coordinator" in text and "Hoeveel" not in text
    assert '<p id="kb-count" hx-swap-oob="innerHTML">1 item found for “partijen”</p>' in text

    nothing = english.get("/kennisbank?q=fietsen").get_data(as_text=True)
    assert "0 items found" in nothing and "Nothing found" in nothing


def test_the_workspace_finds_coordinator_only_items(english, kb, applications, users):
    users.login(english, applications.create("active").user)
    html = english.get("/werkplek/kennisbank?q=zaal").get_data(as_text=True)
    assert "Welke zaal kan ik gebruiken" in html and "coordinators only" in html
    assert english.get(f"/werkplek/kennisbank/{kb['venue'].id}").status_code == 200
    assert english.get(f"/werkplek/kennisbank/{kb['draft'].id}").status_code == 404
    assert "Welke zaal kan ik gebruiken" in english.get("/werkplek/").get_data(as_text=True)  # among the materials


def test_the_workspace_needs_a_sign_in(english, kb):
    response = english.get("/werkplek/kennisbank")
    assert response.status_code == 302 and "/beheer/inloggen" in response.location


def test_plain_text_keeps_paragraphs_and_never_lets_html_through(english, users, db_session):
    users.login(english, users.create("editor"))
    body = "Eerste alinea.\nTweede regel.\n\n<script>alert(1)</script> Zie https://example.org/uitleg."
    response = post_form(english, f"{ADMIN}/nieuw", {"title": "Hoe werkt het?", "body": body, "topic": "Uitleg",
                                                     "audience": "public", "published": "y"},
                         token_from=f"{ADMIN}/nieuw")
    assert response.status_code == 302
    article = db_session.scalar(select(Article))
    html = english.get(f"/kennisbank/{article.id}").get_data(as_text=True)
    assert "<p>Eerste alinea.<br>Tweede regel.</p>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://example.org/uitleg">https://example.org/uitleg</a>.' in html
    assert paragraphs("a\n\n\n\nb") == [[[("a", False)]], [[("b", False)]]]


def test_saving_sets_updated_at_and_records_the_change(english, users, kb, db_session):
    users.login(english, users.create("editor"))
    article = kb["role"]
    response = post_form(english, f"{ADMIN}/{article.id}", {"title": article.title, "body": "Nieuw antwoord.",
                                                            "topic": "Rol", "audience": "coordinators"},
                         token_from=f"{ADMIN}/{article.id}")
    assert response.status_code == 302
    db_session.expire_all()
    article = db_session.get(Article, article.id)
    assert article.body == "Nieuw antwoord." and article.audience == "coordinators" and not article.published
    assert article.updated_at > dt.datetime(2025, 1, 2)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "article.update"))
    assert entry.after == {"audience": "coordinators", "published": False, "body_changed": True}
    assert "Nieuw antwoord." not in english.get("/kennisbank").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"title": ""}, "title", "This field is required"),
    ({"body": "   "}, "body", "This field is required"),
    ({"audience": "everyone"}, "audience", "Not a valid choice"),
    ({"title": "x" * 201}, "title", "200"),
])
def test_article_validation_names_the_field_and_stores_nothing(english, users, db_session, changes, field, message):
    users.login(english, users.create("editor"))
    data = {"title": "Hoe werkt het?", "body": "Zo.", "topic": "", "audience": "public", "published": "y"} | changes
    response = post_form(english, f"{ADMIN}/nieuw", data, token_from=f"{ADMIN}/nieuw")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*{message}', html)
    assert db_session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_coordinator_cannot_edit_the_knowledge_base(english, applications, users, kb):
    users.login(english, applications.create("active").user)
    assert english.get(ADMIN).status_code == 403
    assert post_form(english, f"{ADMIN}/{kb['role'].id}/verwijderen", {}, token_from="/werkplek/").status_code == 403


def test_the_query_is_shown_escaped(english, kb):
    html = english.get("/kennisbank?q=%3Cb%3Evet%3C/b%3E").get_data(as_text=True)
    assert "<b>vet</b>" not in html and "&lt;b&gt;vet&lt;/b&gt;" in html

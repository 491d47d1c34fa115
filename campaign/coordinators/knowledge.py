"""The knowledge base / FAQ: items kept by the team, public or for coordinators only, and the search.

Search: every word of the query must occur in the title, the body or the topic; case and accents do not
matter ("coordinator" finds "Coördinator"); items with more of the words in their title come first. It runs
in Python over the published items the reader may see, so it is the same on SQLite and PostgreSQL (SQLite's
LIKE folds only ASCII letters) and needs no escaping of % and _. A knowledge base holds hundreds of items,
not millions: folding every answer takes about 12 ms per search for 200 items of 1,500 characters, 120 ms for
1,000 items of 3,000 (2-core development machine). Should it grow that far, this is the one function to move to
full-text search.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.core.audit import Actor, record, snapshot
from campaign.core.errors import Problem, ValidationFailed, text_problems
from campaign.core.models import utcnow
from campaign.coordinators.models import ARTICLE_AUDIENCES, Article
from campaign.extensions import db

AUDIENCE_LABELS = {"public": _l("everyone (public)"), "coordinators": _l("coordinators only")}
MAX_TITLE = 200
MAX_TOPIC = 80
MAX_BODY = 20000
MAX_QUERY = 200
# Audit values: the editorial fields; of the (long) answer only whether it changed.
AUDIT_FIELDS = ("title", "topic", "audience", "published")


def audience_label(audience: str) -> str:
    return str(AUDIENCE_LABELS.get(audience, audience))


# --- reading -------------------------------------------------------------------------------------------------

def _audiences(coordinators: bool) -> tuple[str, ...]:
    return ARTICLE_AUDIENCES if coordinators else ("public",)


def visible_articles(*, coordinators: bool) -> list[Article]:
    """Published items for the public (``coordinators=False``) or for coordinators (public and their own)."""
    return list(db.session.scalars(select(Article).where(Article.published,
                                                         Article.audience.in_(_audiences(coordinators)))
                                   .order_by(Article.title, Article.id)))


def coordinator_articles() -> list[Article]:
    """The published items for coordinators only (the workspace lists them among the materials)."""
    return list(db.session.scalars(select(Article).where(Article.published, Article.audience == "coordinators")
                                   .order_by(Article.title, Article.id)))


def load_visible(article_id: int, *, coordinators: bool) -> Article | None:
    """The item when this reader may see it; None otherwise (unknown, unpublished, or not for them)."""
    return db.session.scalar(select(Article).where(Article.id == article_id, Article.published,
                                                   Article.audience.in_(_audiences(coordinators))))


def fold(text: str) -> str:
    """Lower case without accents: "Coördinator" -> "coordinator"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_words(query: str) -> list[str]:
    return [w for w in fold((query or "")[:MAX_QUERY]).split() if w]


@dataclass
class SearchResult:
    query: str
    # With a query: the matches, best first. Without: empty, see ``groups``.
    articles: list[Article] = field(default_factory=list)
    # Without a query: (topic, items) for every topic, items by title; the items without a topic last.
    groups: list[tuple[str, list[Article]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles) if self.query else sum(len(items) for _, items in self.groups)


def search(query: str, *, coordinators: bool) -> SearchResult:
    query = (query or "").strip()[:MAX_QUERY]
    articles = visible_articles(coordinators=coordinators)
    words = query_words(query)
    if not words:
        return SearchResult("", groups=group_by_topic(articles))
    matches = []
    for article in articles:
        title = fold(article.title)
        everything = " ".join((title, fold(article.body), fold(article.topic)))
        if all(w in everything for w in words):
            in_title = sum(1 for w in words if w in title)
            matches.append((-in_title, title, article.id, article))
    matches.sort(key=lambda m: m[:3])
    return SearchResult(query, articles=[m[3] for m in matches])


def group_by_topic(articles: list[Article]) -> list[tuple[str, list[Article]]]:
    groups: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (fold(a.title), a.id)):
        groups.setdefault(article.topic.strip(), []).append(article)
    return sorted(groups.items(), key=lambda g: (g[0] == "", fold(g[0])))


def topics() -> list[str]:
    """Every topic in use (for suggestions in the editor)."""
    return sorted({t for t in db.session.scalars(select(Article.topic)) if t.strip()}, key=fold)


def all_articles() -> list[Article]:
    """Everything, for the team's list: by topic, then title."""
    return [a for _, items in group_by_topic(list(db.session.scalars(select(Article)))) for a in items]


# --- plain text to paragraphs -----------------------------------------------------------------------------------

URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)])")


def paragraphs(text: str) -> list[list[list[tuple[str, bool]]]]:
    """Plain text as paragraphs (split on blank lines) of lines of segments (text, is_link). The template
    escapes every segment; only http(s) URLs become links. No HTML from the input ever reaches the page."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    result = []
    for block in blocks:
        if not block.strip():
            continue
        lines = []
        for line in block.split("\n"):
            parts = URL.split(line)
            lines.append([(part, index % 2 == 1) for index, part in enumerate(parts) if part])
        result.append(lines)
    return result


# --- the team's changes ----------------------------------------------------------------------------------------

def _clean(title: str, body: str, topic: str, audience: str) -> tuple[str, str, str]:
    title, body, topic = (title or "").strip(), (body or "").replace("\r\n", "\n").strip(), (topic or "").strip()
    problems = text_problems(title, _l("Question"), "title", limit=MAX_TITLE,
                             missing=_l("Write the question this item answers."))
    problems += text_problems(body, _l("Answer"), "body", limit=MAX_BODY, missing=_l("Write the answer."))
    problems += text_problems(topic, _l("Topic"), "topic", limit=MAX_TOPIC)
    if audience not in ARTICLE_AUDIENCES:
        problems.append(Problem(str(_l("Who may read it")), str(_l("Choose everyone or coordinators only.")),
                                "audience"))
    if problems:
        raise ValidationFailed(problems)
    return title, body, topic


def save_article(actor: Actor, article: Article | None, *, title: str, body: str, topic: str = "",
                 audience: str = "public", published: bool = True) -> Article:
    """Add (``article=None``) or change an item; ``updated_at`` is set on every save."""
    title, body, topic = _clean(title, body, topic, audience)
    creating = article is None
    if creating:
        article = Article()
        db.session.add(article)
        before = None
    else:
        before = snapshot(article, AUDIT_FIELDS) | {"body_changed": False}
    body_changed = not creating and article.body != body
    article.title, article.body, article.topic = title, body, topic
    article.audience, article.published = audience, bool(published)
    article.updated_at = utcnow()
    db.session.flush()
    if creating:
        record(actor, "article.create", "article", article.id, after=snapshot(article, AUDIT_FIELDS),
               only_changes=False)
    else:
        record(actor, "article.update", "article", article.id, before=before,
               after=snapshot(article, AUDIT_FIELDS) | {"body_changed": body_changed})
    return article


def delete_article(actor: Actor, article: Article) -> None:
    record(actor, "article.delete", "article", article.id, before=snapshot(article, AUDIT_FIELDS),
           only_changes=False)
    db.session.delete(article)
    db.session.flush()

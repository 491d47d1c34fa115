"""End-to-end fixtures: one live app on SQLite, Debian's Chromium driven by Playwright (sync API).

* ``live_server`` (session): a migrated temporary SQLite database holding the fictional test edition
  (tests/fixtures/mini-edition.json) plus whatever demo editions data/parties/*.json holds, served by
  werkzeug's ``make_server`` on 127.0.0.1:<free port> in a background thread.
* ``browser`` (session): headless /usr/bin/chromium (Playwright cannot download browsers here).
* ``new_context`` (function): a factory for browser contexts that records every request and fails the test
  when a page talks to another host (privacy rule: no third-party requests), runs into the Content Security
  Policy or throws an uncaught JavaScript error.
* ``assert_no_axe_violations(page)``: axe-core from node_modules against the WCAG 2.1 A/AA and best-practice
  rules.
"""

from __future__ import annotations

import json
import re
import threading
import warnings
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import ROOT, make_app, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MINI_EDITION = ROOT / "tests" / "fixtures" / "mini-edition.json"
DEMO_EDITIONS = ROOT / "data" / "parties"
TEST_MUNICIPALITY = "GM0344"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RESULTS_DIR = ROOT / "test-results"


@dataclass
class LiveServer:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    app: object

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc


def _load_editions(app) -> None:
    from campaign.core.errors import ValidationFailed
    from campaign.cultuurwijzer.editions import import_edition_file

    with app.app_context():
        import_edition_file(MINI_EDITION)
        # Demo data is only "also there": the tests never rely on its content. A demo edition for the test
        # municipality would compete with the test edition for /cultuurwijzer/GM0344, so such a file is left out.
        for path in sorted(DEMO_EDITIONS.glob("*.json")):
            try:
                code = json.loads(path.read_text(encoding="utf-8"))["municipality"]["code"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                warnings.warn(f"e2e: skipping unreadable demo edition {path.name}: {exc}", stacklevel=1)
                continue
            if str(code).upper() == TEST_MUNICIPALITY:
                continue
            try:
                import_edition_file(path)
            except ValidationFailed as exc:
                warnings.warn(f"e2e: skipping invalid demo edition {path.name}: {exc.problems}", stacklevel=1)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from campaign.extensions import db

    database = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    # make_app pins SERVER_NAME to cultuurwijzer.test; the live server answers on 127.0.0.1 instead.
    app = make_app(f"sqlite:///{database}", SERVER_NAME=None)
    migrate(app)
    _load_editions(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """What the pages of one test did, for the guards."""

    requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self, netloc: str) -> list[str]:
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob") or url == "about:blank":
                continue
            if parts.scheme not in ("http", "https") or parts.netloc != netloc:
                foreign.append(url)
        return foreign


def _watch_page(page, recorder: Recorder) -> None:
    page.on("console", lambda msg: recorder.csp_violations.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))


@pytest.fixture()
def new_context(browser, live_server):
    """``new_context(**options)``: a Dutch browser context on the live server, guarded (see module doc)."""
    contexts = []
    recorder = Recorder()

    def factory(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "nl-NL")
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        context.on("request", lambda request: recorder.requests.append(request.url))
        context.on("page", lambda page: _watch_page(page, recorder))
        contexts.append(context)
        return context

    factory.recorder = recorder
    yield factory
    for context in contexts:
        context.close()
    assert recorder.requests, "the guard saw no request at all: is it still wired up?"
    foreign = recorder.foreign_requests(live_server.netloc)
    assert not foreign, f"requests to hosts other than the live server {live_server.url}: {foreign}"
    assert not recorder.csp_violations, f"Content Security Policy violations: {recorder.csp_violations}"
    assert not recorder.page_errors, f"uncaught JavaScript errors: {recorder.page_errors}"


@pytest.fixture()
def page(new_context):
    """A page in a fresh Dutch context (JavaScript on)."""
    return new_context().new_page()


def assert_no_axe_violations(page, where: str = "") -> None:
    """Run axe-core on the whole document and fail listing every violation.

    The script is injected inline, so the context must be made with ``bypass_csp=True``, and axe needs
    JavaScript: check a no-JavaScript rendering with ``without_page_scripts(page)`` instead of
    ``java_script_enabled=False``.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = result["violations"]
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"]:
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:2])
            lines.append(f"    {node['target']} {node['html'][:100]!r}: {summary}")
    assert not violations, f"axe-core found {len(violations)} violation(s) on {where or page.url}:\n" + "\n".join(lines)


def without_page_scripts(page) -> None:
    """Serve our own scripts empty, so the page stays as it renders without JavaScript, yet axe can run."""
    page.route(re.compile(r"/(static/js|vendor)/[^/?#]+\.js(\?|$)"),
               lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))


@pytest.fixture()
def axe():
    """The axe helper as a fixture: ``axe(page, "where")``."""
    return assert_no_axe_violations

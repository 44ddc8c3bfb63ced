"""Browser tests: Debian's Chromium through Playwright, against a live server in a thread.

Without a Chromium the tests skip with one line saying how to enable them; with
TRACKER_REQUIRE_BROWSER=1 (CI) a missing browser or axe-core fails them instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import orm
from werkzeug.serving import make_server

from tests.conftest import ScratchDatabase
from tracker import create_app
from tracker.core.db import utcnow
from tracker.kiosk.service import start_enrolment

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
REQUIRED = os.environ.get("TRACKER_REQUIRE_BROWSER") == "1"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]
IDLE_SECONDS = 45


def find_chromium() -> str | None:
    """Return the Chromium to drive: $TRACKER_CHROMIUM, else one on the PATH."""
    named = os.environ.get("TRACKER_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    problem = None
    if find_chromium() is None:
        problem = ("no Chromium found: install one (`apt-get install chromium`) or set "
                   "TRACKER_CHROMIUM to run the browser tests")
    elif not AXE.exists():
        problem = "axe-core missing: run `npm ci` (or `make test`) to run the browser tests"
    if problem is None:
        return
    marker = pytest.mark.skip(reason=problem)
    for item in items:
        if here in Path(item.fspath).parents:
            if REQUIRED:  # CI: the autouse fixture below turns this into a failure
                item.user_properties.append(("browser_problem", problem))
            else:
                item.add_marker(marker)


@pytest.fixture(autouse=True)
def _browser_required(request):
    problem = dict(request.node.user_properties).get("browser_problem")
    if problem:
        pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {problem}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": find_chromium(),
            "args": CHROMIUM_FLAGS}


class LiveServer:
    def __init__(self, tmp_dir) -> None:
        self.db = ScratchDatabase(tmp_dir).prepare(demo=True)
        self.app = create_app({"DATABASE_URL": self.db.env["DATABASE_URL"],
                               "KIOSK_IDLE_SECONDS": IDLE_SECONDS,
                               "TRACKER_STASH_DIR": str(tmp_dir / "stash"),
                               "RATELIMIT_ENABLED": False})
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def session(self) -> orm.Session:
        return orm.Session(self.db.engine, expire_on_commit=False)

    def enrol_link(self, name: str) -> str:
        with self.session() as session:
            _device, token = start_enrolment(session, None, name, utcnow())
            session.commit()
        return f"{self.url}/kiosk/aanmelden/{token}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.app.extensions["tracker.engine"].dispose()
        self.db.drop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def context(context):
    # axe-core is loaded into every page of the test's browser context once, not per check.
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # A landscape tablet; the CSP may forbid inline script, but axe is injected by the test.
    return {**browser_context_args, "base_url": live_server.url, "bypass_csp": True,
            "viewport": {"width": 1024, "height": 768}, "locale": "nl-NL"}


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RESULTS: dict[str, int] = {}


def check_axe(page, label: str) -> None:
    """Run axe-core on the page; fail on any WCAG 2.1 A/AA violation, with rule ids."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => `${v.id} (${v.impact}): ` +
                v.nodes.map(n => n.target.join(' ')).join(', '));
        }""", AXE_TAGS)
    AXE_RESULTS[label] = len(violations)
    assert violations == [], f"axe on {label} ({page.url}):\n" + "\n".join(violations)


def screenshot(page, name: str) -> None:
    """Keep a small picture of a kiosk screen for docs/ (only when TRACKER_SCREENSHOTS=1)."""
    if os.environ.get("TRACKER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def pytest_terminal_summary(terminalreporter):
    # The tests import this module by its package name; read the results recorded there.
    from tests.browser import conftest as shared

    results = shared.AXE_RESULTS
    if results:
        bad = {k: v for k, v in results.items() if v}
        terminalreporter.write_line(
            f"axe-core (WCAG 2.1 A/AA): {len(results)} pages checked, "
            f"{sum(bad.values())} with violations" + (f": {sorted(bad)}" if bad else ""))

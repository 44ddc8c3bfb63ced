"""The FG approves a due list in the browser: closed two years ago, listed, approved, erased."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_stored_xss import _login
from tests.test_retention import WORDS_A, walk_to_closed
from tracker.models import Case

pytestmark = pytest.mark.browser


def test_the_fg_approves_the_due_list(page, live_server):
    with live_server.session() as db:
        case, _code = walk_to_closed(live_server.app, db, WORDS_A, key="browser")
        db.commit()
        case_id = case.id

    _login(page, live_server, "fg")
    with page.expect_navigation():
        page.click("header nav >> text=Bewaartermijnen")
    assert "730 dagen" in page.content()
    check_axe(page, "retention rules")
    with page.expect_navigation():
        page.click("nav.admin-nav >> text=Te verwijderen")
    listed = page.locator("ul.due-list").inner_text()
    assert f"#{case_id}" in listed and WORDS_A["name"] not in page.content()
    check_axe(page, "retention due list")
    with page.expect_navigation():
        page.click("button:has-text('meldingen verwijderen')")
    assert "verwijderbewijs staat in het logboek" in page.content()
    assert f"#{case_id}" not in page.locator("main").inner_text().split("Eerder verwijderd")[0]

    with live_server.session() as db:
        tomb = db.get(Case, case_id)
        assert tomb.erased_at is not None
        assert tomb.reports[0].reporter_name is None

    with page.expect_navigation():
        page.click("footer >> text=Privacy")
    assert page.locator("h1").inner_text().startswith("Privacy bij het meldpunt")
    check_axe(page, "privacy statement")

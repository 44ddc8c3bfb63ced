"""A note typed while the session runs out is back after logging in again (issue 12.4)."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_stored_xss import _login
from tracker.core.db import utcnow
from tracker.models import ReporterType
from tracker.reporting.service import ReportInput, submit_report
from tracker.setup.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
NOTE = "Gesprek met de ouders van Sam gepland; zij zien thuis niets bijzonders."


def test_a_note_typed_while_the_session_ends_is_back_after_login(page, live_server):
    with live_server.session() as db:
        case_id = submit_report(db, ReportInput(
            submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
            category="bullying", description="Sam wordt uitgelachen", group_number=5),
            utcnow()).case.id
        db.commit()
    _login(page, live_server, "leerkracht5")
    page.goto(f"/cases/{case_id}")
    page.click("summary:has-text('Interne notitie schrijven')")
    page.fill("textarea[name='note-body']", NOTE)
    app = live_server.app
    idle = app.config["SESSION_IDLE_MINUTES"]
    try:
        app.config["SESSION_IDLE_MINUTES"] = 0  # the coffee break: the session runs out
        time.sleep(1.1)
        with page.expect_navigation():
            page.click("button:has-text('Notitie opslaan')")
    finally:
        app.config["SESSION_IDLE_MINUTES"] = idle
    assert "/login" in page.url
    assert "wat je had getypt staat daarna weer klaar" in page.content()
    check_axe(page, "login after the session ended")
    page.fill("input[name=email]", "leerkracht5@demo.meldpunt.test")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert page.url.endswith(f"/cases/{case_id}")
    note = page.locator("textarea[name='note-body']")
    assert note.is_visible() and note.input_value().strip() == NOTE
    with page.expect_navigation():
        page.click("button:has-text('Notitie opslaan')")
    assert NOTE in page.locator("ol.timeline").inner_text()

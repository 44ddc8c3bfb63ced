"""A parent types an address in Chromium: one with accents before the @ is refused in Dutch
with the story kept; one with an internationalised domain is accepted and the receipt is
delivered by real SMTP to its IDNA form (issue 11.7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import check_axe
from tracker.core.db import utcnow
from tracker.escalation.outbox import send_due
from tracker.models import Report

pytestmark = pytest.mark.browser

STORY = "Onze dochter wordt in de gymzaal uitgelachen."


def test_an_address_is_refused_in_dutch_or_accepted_and_delivered(page, live_server,
                                                                  smtp_server):
    page.goto("/melden")
    page.locator("#category").select_option("bullying")
    page.locator("#description").fill(STORY)
    page.locator("#group").select_option("3")
    page.locator("#email").fill("jürgen@bücher.nl")
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.get_by_text("Vóór de @ kunnen geen letters met accenten staan.")).to_be_visible()
    expect(page.locator("#description")).to_have_value(STORY)  # nothing typed is lost
    check_axe(page, "/melden (address refused)")

    page.locator("#email").fill("ouder@bücher.nl")
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("p.code")).to_be_visible()
    app = live_server.app
    smtp_server.configure(app)
    with live_server.session() as session, app.app_context():
        report = session.scalar(sa.select(Report).order_by(Report.id.desc()))
        assert report.description == STORY and report.reporter_email == "ouder@bücher.nl"
        send_due(session, utcnow() + timedelta(days=3))
    assert "ouder@xn--bcher-kva.nl" in [m["X-Envelope-To"] for m in smtp_server.messages]

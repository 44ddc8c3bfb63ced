"""A stored <script> payload never runs on any staff page (Chromium, CSP bypassed on purpose:
the escaping alone must hold; the CSP is a second wall, tested in test_security_headers)."""

from __future__ import annotations

import time
import uuid

import pyotp
import pytest
import sqlalchemy as sa

from tracker.core.db import utcnow
from tracker.core.timeline import add_event
from tracker.models import ReporterType, User
from tracker.reporting.service import ReportInput, submit_report
from tracker.setup.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss = (window.__xss || 0) + 1; alert('xss')</script>",
    "\"><img src=x onerror=\"window.__xss = 1; alert('img')\">",
    "<svg onload=\"window.__xss = 1\"></svg>",
    "javascript:window.__xss=1",
    "</textarea><script>window.__xss = 1</script>",
    "{{ config }}",
]


@pytest.fixture(scope="module")
def poisoned(live_server):
    """An ordinary and a confidential case whose every free-text field is a payload."""
    ids = {}
    with live_server.session() as db:
        for sealed in (False, True):
            done = submit_report(db, ReportInput(
                submission_key=uuid.uuid4().hex, channel="web",
                reporter_type=ReporterType.PARENT, category="bullying", group_number=5,
                description=" ".join(PAYLOADS), about_kind="other", about_text=PAYLOADS[1],
                reporter_name=PAYLOADS[2], reporter_email="x@example.org",
                reporter_phone="0612345678", confidential=sealed), utcnow())
            for kind in ("note", "message_to_reporter", "reporter_message"):
                add_event(db, done.case, kind, utcnow(), actor_label="reporter",
                          body=PAYLOADS[0] + PAYLOADS[4])
            ids["sealed" if sealed else "ordinary"] = done.case.id
        db.commit()
    return ids


def _second_factor(page, live_server, email: str) -> None:
    if page.url.endswith("/login/tweestaps/instellen"):
        secret = page.locator("#totp-secret").inner_text().strip()
    elif page.url.endswith("/login/tweestaps"):
        with live_server.session() as db:
            user = db.scalar(sa.select(User).where(User.email == email))
            secret = user.totp_secret
    else:
        return
    with live_server.session() as db:
        last = db.scalar(sa.select(User.totp_last_step).where(User.email == email)) or 0
    step = max(int(time.time()) // 30, last + 1)
    page.fill("input[name=code]", pyotp.TOTP(secret).generate_otp(step))
    with page.expect_navigation():  # wait for the next page: slow machines race ahead
        page.click("button[type=submit].primary")


def _login(page, live_server, who: str) -> None:
    email = f"{who}@demo.meldpunt.test"
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    _second_factor(page, live_server, email)


@pytest.mark.parametrize("who, urls", [
    ("leerkracht5", ["/cases/", "/cases/{ordinary}"]),
    ("directie", ["/cases/", "/cases/?status=new", "/cases/{ordinary}"]),
    ("vp", ["/vertrouwelijk/", "/vertrouwelijk/{sealed}"]),
])
def test_stored_script_never_runs_on_staff_pages(browser, live_server, poisoned, who, urls):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        _login(page, live_server, who)
        for url in urls:
            response = page.goto(url.format(**poisoned))
            assert response.status == 200, (url, response.status)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss === undefined"), url
            if "{" in url:  # the case page shows the payload as plain text
                assert "<script>window.__xss" in page.inner_text("main"), url
        assert dialogs == []
    finally:
        context.close()

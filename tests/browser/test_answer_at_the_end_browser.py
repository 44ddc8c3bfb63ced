"""Issue 12: a child reports at the kiosk, the IB'er resolves with a closing message by
clicking, the child comes back with the picture code and reads the answer and the
Kindertelefoon line; "Het gebeurt nog steeds" then marks the case in the IB'er's queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_axe
from tests.browser.test_reporting_browser import enrol, tap
from tests.browser.test_stored_xss import _login

pytestmark = pytest.mark.browser

CLOSING = "Fijn dat je het vertelde. We hebben met de groep gepraat."
KINDERTELEFOON = "Bel De Kindertelefoon: 0800-0432"


def test_child_reads_the_closing_message_and_still_happening_reaches_the_queue(
        page, browser, live_server):
    page.set_default_timeout(5000)
    enrol(page, live_server)
    for answer in ("Ik word gepest / iemand wordt gepest", "Op school",
                   "Ik blijf liever anoniem", "Nee", "Nee, dat hoeft niet"):
        tap(page, answer)
    expect(page.locator(".helpline")).to_contain_text(KINDERTELEFOON)
    code_words = page.locator("ol.picture-code li span").all_inner_texts()
    tap(page, "Klaar", role="link")

    staff = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    desk = staff.new_page()
    desk.set_default_timeout(5000)
    try:
        _login(desk, live_server, "ib")  # anonymous bullying without a group: the IB'er
        desk.goto("/cases/")
        with desk.expect_navigation():
            desk.locator("table.queue tbody tr a").first.click()
        case_url = desk.url
        with desk.expect_navigation():
            desk.get_by_role("button", name="Ik pak dit op").click()
        resolve = desk.locator("details.case-action", has=desk.locator("summary",
                                                                       has_text="Afronden"))
        resolve.locator("summary").click()
        resolve.get_by_label("Uitkomst", exact=True).fill(
            "Gesprek met de groep gevoerd.")
        resolve.get_by_label(re.compile("Slotbericht aan de melder")).fill(CLOSING)
        with desk.expect_navigation():
            resolve.get_by_role("button", name="Afronden").click()
        expect(desk.locator(".flash")).to_contain_text("De melding is afgerond.")

        tap(page, "Ik heb een code", role="link")
        for word in code_words:
            tap(page, word)
        expect(page.locator("ol.messages")).to_contain_text(CLOSING)
        expect(page.locator("ol.messages")).to_contain_text("Een juf of meester schreef tot slot:")
        expect(page.locator(".helpline")).to_contain_text(KINDERTELEFOON)
        check_axe(page, "kiosk answer with closing message")
        tap(page, "Het gebeurt nog steeds")
        expect(page.locator(".helpline")).to_contain_text(KINDERTELEFOON)

        desk.goto("/cases/")
        row = desk.locator("table.queue tbody tr", has=desk.locator(
            f'a[href="{case_url.removeprefix(live_server.url)}"]'))
        expect(row.locator(".badge.news")).to_have_text("Nieuw bericht van de melder")
        expect(row).to_contain_text("Heropend")
        check_axe(desk, "queue with a reporter's news")
    finally:
        staff.close()

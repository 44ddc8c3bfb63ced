"""The directie reads /overzicht and the yearly overview in the browser, and its PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import check_axe, screenshot
from tests.browser.test_stored_xss import _login
from tests.insight_seed import FROM, TO, seed

pytestmark = pytest.mark.browser


def test_the_directie_reads_the_overview_and_the_yearly_pdf(page, live_server):
    with live_server.session() as db:
        seed(live_server.app, db, tick=False)
        db.commit()
    _login(page, live_server, "directie")
    with page.expect_navigation():
        page.click("header nav >> text=Overzicht")
    assert page.locator("h1").inner_text() == "Overzicht"
    check_axe(page, "overview (this school year)")
    page.fill("input[name=van]", FROM)
    page.fill("input[name=tot]", TO)
    with page.expect_navigation():
        page.click("button:has-text('Toon overzicht')")
    assert page.locator(".key-figures dd").first.inner_text() == "6"
    assert page.locator("figure.chart svg rect.bar").count() >= 6
    check_axe(page, "overview (September-October 2030)")
    screenshot(page, "overzicht")

    page.goto("/overzicht/jaarverslag/?schooljaar=2030-2031")
    assert "minder dan 5" in page.locator("main").inner_text()
    check_axe(page, "yearly overview 2030-2031")
    screenshot(page, "jaarverslag")
    pdf = page.request.get(page.locator("text=Download als PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    words = re.sub(r"\s+", " ", " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages))
    assert "Jaarverslag sociale veiligheid 2030-2031" in words
    assert "De drie plichten uit de Wet veiligheid op school" in words
    assert "Meldingen 8" in words and "minder dan 5" in words

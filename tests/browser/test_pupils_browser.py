"""A teacher links a child to a case on the case page, then opens the child's chronology."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_axe
from tests.browser.test_stored_xss import _login
from tracker.core.db import utcnow
from tracker.models import Pupil, ReporterType
from tracker.pupils import importing as pupil_import
from tracker.reporting.service import ReportInput, submit_report

pytestmark = pytest.mark.browser
EXPORT = "Leerlingnummer;Roepnaam;Achternaam;Groep\n95001;Floor;Zwaluwstaart;5\n"


def test_a_teacher_links_a_child_and_opens_the_chronology(page, live_server):
    with live_server.session() as db:
        pupil_import.apply(db, None, utcnow(), EXPORT.encode(), mark_left=False)
        case = submit_report(db, ReportInput(
            submission_key="browser-pupil-1", channel="web", reporter_type=ReporterType.PARENT,
            category="bullying", description="Zij wordt buitengesloten.", group_number=5),
            utcnow()).case
        db.commit()
        case_id = case.id
        pupil_id = next(p.id for p in db.scalars(sa.select(Pupil))
                        if p.last_name == "Zwaluwstaart")

    _login(page, live_server, "leerkracht5")
    page.goto(f"/cases/{case_id}")
    page.click("#kinderen summary")
    page.fill("input[name='pupil_search-name']", "zwaluw")
    with page.expect_navigation():
        page.click("form.pupil-search button")
    page.select_option("select[name='pupil_link-pupil']", str(pupil_id))
    page.check("input[name='pupil_link-role'][value='affected']")
    with page.expect_navigation():
        page.click("button:has-text('Kind koppelen')")
    assert "Het kind is aan de melding gekoppeld." in page.content()
    assert "Kind gekoppeld" in page.locator("ol.timeline").inner_text()
    check_axe(page, "case page with a child linked")

    with page.expect_navigation():
        page.click("#kinderen a:has-text('Floor Zwaluwstaart')")
    assert page.locator("h1").inner_text() == "Floor Zwaluwstaart"
    assert f"#{case_id}" in page.locator("table.chronology").inner_text()
    check_axe(page, "chronology")

"""Who ends up on a case, in a real browser: an action's owner is whoever adds it unless they
choose someone else (issue 11.2); a departing colleague's case about their successor goes to the
directie instead, and the admin is told."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import check_axe
from tests.browser.test_stored_xss import _login
from tracker.core.db import utcnow
from tracker.models import CaseParticipant, ParticipantKind, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

pytestmark = pytest.mark.browser


def _case(live_server, **kw) -> int:
    with live_server.session() as db:
        done = submit_report(db, ReportInput(
            submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
            description="Hij wordt geduwd.", **({"category": "bullying", "group_number": 5}
                                                | kw)), utcnow())
        db.commit()
        return done.case.id


def test_an_action_is_mine_unless_i_choose_someone(page, live_server):
    page.set_default_timeout(5000)
    case_id = _case(live_server)
    _login(page, live_server, "leerkracht5")
    page.goto(f"/cases/{case_id}")
    due = (date.today() + timedelta(days=2)).isoformat()
    for title, owner in (("Gesprek met ouders", None), ("Observatie op het plein", "ib")):
        page.get_by_text("Actie toevoegen", exact=True).first.click()
        select = page.locator("#action-owner")
        expect(select.locator("option:checked")).to_have_text("Esra Yilmaz")
        check_axe(page, "case page, action form")
        page.locator("#action-title").fill(title)
        page.locator("#action-due").fill(due)
        if owner:
            select.select_option(label="Fatima El Amrani")
        with page.expect_navigation():
            page.get_by_role("button", name="Actie toevoegen").click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("voor Esra Yilmaz")
    expect(timeline).to_contain_text("Fatima El Amrani is daarmee toegevoegd en kan de "
                                     "melding inzien")


def test_a_hand_over_never_reaches_the_subject(page, live_server):
    page.set_default_timeout(5000)
    with live_server.session() as db:
        ids = {u.email.split("@")[0]: u.id for u in db.scalars(sa.select(User))}
    case_id = _case(live_server, category="adult_misconduct", about_kind="staff",
                    about_user_id=ids["leerkracht6"])
    with live_server.session() as db:  # the leaving colleague was asked to help on it
        db.add(CaseParticipant(case_id=case_id, user_id=ids["leerkracht8"],
                               kind=ParticipantKind.INFORMED, added_at=utcnow()))
        db.commit()
    _login(page, live_server, "admin")
    page.goto(f"/admin/medewerkers/{ids['leerkracht8']}/uitschakelen")
    check_axe(page, "admin: deactivate a colleague")
    page.locator("#successor").select_option(str(ids["leerkracht6"]))
    with page.expect_navigation():
        page.get_by_role("button", name="Uitschakelen").click()
    expect(page.locator(".flash-error")).to_contain_text(
        f"Melding #{case_id} kan niet naar Floor Willems (hij gaat over die persoon); hij gaat "
        "naar Marieke de Vries.")
    with live_server.session() as db:
        on_it = set(db.scalars(sa.select(CaseParticipant.user_id)
                               .where(CaseParticipant.case_id == case_id)))
    assert ids["leerkracht6"] not in on_it and ids["directie"] in on_it

"""Children and parents report and follow up in a real browser; axe checks every screen."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import check_axe, screenshot
from tracker.core.db import utcnow
from tracker.models import Case, CaseEvent, User
from tracker.reporting import receipts

pytestmark = pytest.mark.browser

WORDS = {
    "nl": {"category": "Ik word gepest / iemand wordt gepest", "where": "Op school",
           "who": "Ja, ik zeg wie ik ben", "group": "Groep 6", "danger": "Nee",
           "talk": "Ja, graag", "thanks": "Dank je wel!", "code": "Ik heb een code",
           "status": "Je melding", "stopped": "Het is gestopt", "sent": "Je bericht is verstuurd",
           "email_hint": "de school ziet uw e-mailadres niet"},
    "en": {"category": "I am being bullied / someone is being bullied", "where": "At school",
           "who": "Yes, I will say who I am", "group": "Class 6", "danger": "No",
           "talk": "Yes, please", "thanks": "Thank you!", "code": "I have a code",
           "status": "Your report", "stopped": "It has stopped",
           "sent": "Your message has been sent",
           "email_hint": "the school does not see your e-mail address"},
}


@pytest.fixture(autouse=True)
def _quick_failures(page):
    page.set_default_timeout(5000)


def enrol(page, live_server) -> None:
    page.goto(live_server.enrol_link(f"Tablet {uuid.uuid4().hex[:8]}"))
    tap(page, "Aanmelden")
    expect(page).to_have_url(re.compile(r"/kiosk/$"))


def tap(page, name: str, role: str = "button") -> None:
    """Tap a button (or link) and wait for the next screen, as a child would."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def staff_message(live_server, text: str) -> Case:
    with live_server.session() as session:
        case = session.scalar(sa.select(Case).order_by(Case.id.desc()))
        ib = session.scalar(sa.select(User).where(User.email == "ib@demo.meldpunt.test"))
        receipts.message_reporter(session, case, ib, text, utcnow(),
                                  follow_up_url=f"{live_server.url}/volgen/")
        session.commit()
        return case


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_child_reports_by_taps_and_follows_up_with_the_picture_code(page, live_server, lang):
    words = WORDS[lang]
    shots = lang == "nl"
    page.goto("/kiosk/opnieuw")  # not enrolled yet: the friendly page
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Dit scherm is voor de tablet van school")
    check_axe(page, f"kiosk not enrolled ({lang})")
    enrol(page, live_server)
    if lang == "en":
        tap(page, "English", role="link")
    expect(page.locator("#read-aloud")).to_be_visible()  # speech exists in Chromium
    steps = [("kiosk-1-wat", words["category"]), ("kiosk-2-waar", words["where"]),
             ("kiosk-3-wie", words["who"]), ("kiosk-3b-naam", words["group"]),
             ("kiosk-4-gevaar", words["danger"]), ("kiosk-5-praten", words["talk"])]
    for name, answer in steps:
        check_axe(page, f"{name} ({lang})")
        if shots:
            screenshot(page, name)
        tap(page, answer)
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["thanks"])
    check_axe(page, f"kiosk-6-klaar ({lang})")
    if shots:
        screenshot(page, "kiosk-6-klaar")
    code_words = page.locator("ol.picture-code li span").all_inner_texts()
    assert len(code_words) == 5

    staff_message(live_server, "Fijn dat je het vertelt. Kom je morgen bij mij?")
    tap(page, "Klaar" if lang == "nl" else "Done", role="link")
    if lang == "en":  # the next child starts in Dutch again
        tap(page, "English", role="link")
    tap(page, words["code"], role="link")
    check_axe(page, f"kiosk-7-code ({lang})")
    for i, word in enumerate(code_words):
        if shots and i == 2:
            screenshot(page, "kiosk-7-code")
        tap(page, word)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["status"])
    expect(page.locator("ol.messages")).to_contain_text("Kom je morgen bij mij?")
    check_axe(page, f"kiosk-8-melding ({lang})")
    if shots:
        screenshot(page, "kiosk-8-melding")
    tap(page, words["stopped"])
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["sent"])
    check_axe(page, f"kiosk-9-verstuurd ({lang})")
    if shots:
        screenshot(page, "kiosk-9-verstuurd")
    with live_server.session() as session:
        case = session.scalar(sa.select(Case).order_by(Case.id.desc()))
        reply = session.scalar(sa.select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "reporter_message"))
        assert (reply.actor_label, reply.body) == ("child", "Het is gestopt.")
        assert case.reports[0].channel == "kiosk" and case.group.number == 6


def test_back_after_sending_shows_nothing(page, live_server):
    enrol(page, live_server)
    for answer in ("Iemand doet gemeen online of in de app", "Online",
                   "Ik blijf liever anoniem", "Nee", "Nee, dat hoeft niet"):
        tap(page, answer)
    expect(page.locator("ol.picture-code li")).to_have_count(5)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/kiosk/$"))
    expect(page.locator("body")).not_to_contain_text("Dank je wel")
    expect(page.locator("ol.picture-code")).to_have_count(0)
    page.go_forward()
    expect(page.locator("ol.picture-code")).to_have_count(0)


def test_idle_kiosk_warns_then_clears_everything(page, live_server):
    live_server.app.config["KIOSK_IDLE_SECONDS"] = 3
    try:
        enrol(page, live_server)
        tap(page, WORDS["nl"]["category"])
        tap(page, "Thuis")
        tap(page, WORDS["nl"]["who"])
        page.get_by_label("Je voornaam (hoeft niet)").fill("Sam")
        warning = page.locator("#idle-warning")
        expect(warning).to_be_visible(timeout=4000)
        screenshot(page, "kiosk-idle-warning")
        expect(page).to_have_url(re.compile(r"/kiosk/$"), timeout=5000)
        page.goto("/kiosk/naam")  # what the child chose is gone, not just hidden
        expect(page).to_have_url(re.compile(r"/kiosk/$"))
        expect(page.locator("body")).not_to_contain_text("Sam")
    finally:
        live_server.app.config["KIOSK_IDLE_SECONDS"] = 45


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_parent_reports_follows_up_sees_the_staff_message_and_replies(page, live_server, lang):
    page.set_viewport_size({"width": 390, "height": 844})  # phone first
    page.goto("/melden")
    if lang == "en":
        tap(page, "English", role="link")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    check_axe(page, f"/melden ({lang})")
    page.locator("#category").select_option("bullying")
    page.locator("#description").fill("Onze zoon wordt na school uitgescholden.")
    page.locator("#group").select_option("3")
    page.locator("#email").fill("ouder@example.org")
    expect(page.locator("#email-hint")).to_contain_text(WORDS[lang]["email_hint"])
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    code = "-".join(page.locator("p.code span.group").all_inner_texts())
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){4}", code), code
    check_axe(page, f"/melden/bedankt ({lang})")
    page.reload()
    expect(page.locator("p.code")).to_have_count(0)  # shown once

    staff_message(live_server, "Dank u. Wij bellen u morgen.")
    page.goto("/volgen/")
    check_axe(page, f"/volgen ({lang})")
    page.locator("#code").fill(code.lower().replace("-", " "))
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("ol.messages")).to_contain_text("Wij bellen u morgen.")
    check_axe(page, f"/volgen/melding ({lang})")
    page.locator("#body").fill("Prima, na 15:00 graag 🙂")
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("ol.messages")).to_contain_text("Prima, na 15:00 graag 🙂")
    with live_server.session() as session:
        case = session.scalar(sa.select(Case).order_by(Case.id.desc()))
        kinds = session.scalars(sa.select(CaseEvent.actor_label).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "reporter_message")).all()
        assert kinds == ["parent"]

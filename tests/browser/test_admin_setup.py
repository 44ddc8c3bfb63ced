"""End to end in Chromium: from an empty database an admin sets up a school through the
browser only (first run, staff by CSV, groups, calendar, a kiosk), a child reports at the new
kiosk, and the right teacher finds it in their queue. Prints how long the setup took."""

from __future__ import annotations

import threading
import time

import pyotp
import pytest
import sqlalchemy as sa
from conftest import ScratchDatabase
from sqlalchemy import orm
from werkzeug.serving import make_server

from tests.browser.conftest import check_axe
from tracker import create_app
from tracker.models import Case, CaseParticipant, OutboxMail, User

pytestmark = pytest.mark.browser

STAFF_CSV = (
    "naam;email;rollen;groepen;werkdagen\n"
    "Ada Admin;ada@linde.nl;admin|directie;;ma di wo do vr\n"
    "Bas de Boer;bas@linde.nl;leerkracht;5;ma di wo\n"
    "Cor Claassen;cor@linde.nl;leerkracht;5;do vr\n"
    "Dina Dekker;dina@linde.nl;leerkracht;6;\n"
    "Ilse IB;ilse@linde.nl;ib|anti_pest;;\n"
    "Vera Vertrouwen;vera@linde.nl;vertrouwenspersoon;;di\n"
    "Bert Bestuur;bert@linde.nl;bestuur;;\n"
    "Femke FG;femke@linde.nl;fg;;\n"
).encode("cp1252")


def go(page, selector: str) -> None:
    """Click a link or submit button and wait for the next page, or a slow machine races it."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture(scope="module")
def chromium(browser):
    # pytest-playwright's browser (Chromium found and flagged in tests/browser/conftest.py): a
    # second sync_playwright() here fails once another browser test has started the first.
    return browser


@pytest.fixture
def empty_school(tmp_path):
    db = ScratchDatabase(tmp_path).prepare()
    app = create_app({"DATABASE_URL": db.env["DATABASE_URL"], "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_SSL_STRICT": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["TRACKER_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, db, base
    server.shutdown()
    thread.join(5)
    app.extensions["tracker.engine"].dispose()
    db.drop()


def test_school_setup_in_the_browser_then_a_child_reports(chromium, empty_school, tmp_path,
                                                          record_property):
    app, db, base = empty_school
    # bypass_csp only lets the test inject axe-core; the app's own pages run no inline script.
    admin = chromium.new_context(locale="nl-NL", bypass_csp=True)
    page = admin.new_page()
    started = time.perf_counter()

    # 1. First run: every page leads to /setup; the code comes from the console.
    page.goto(base + "/cases/")
    assert page.url.endswith("/setup")
    check_axe(page, "setup")
    token = app.test_cli_runner().invoke(args=["setup-token"]).output
    token = token.split("installatiecode: ")[1].split()[0]
    page.fill("#token", token)
    page.fill("#school_name", "OBS De Linde")
    page.fill("#name", "Ada Admin")
    page.fill("#email", "ada@linde.nl")
    page.fill("#password", "een-lang-wachtwoord")
    page.fill("#confirm", "een-lang-wachtwoord")
    page.check("#directie")
    go(page, "button[type=submit]")
    # An admin needs a second factor: the test plays the phone's authenticator app.
    check_axe(page, "2fa enrolment")
    secret = page.text_content("#totp-secret").strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    go(page, "form button[type=submit]")
    page.goto(base + "/admin/")
    assert page.locator("h1").text_content().strip() == "Beheer"
    check_axe(page, "admin")

    # 2. Staff by CSV (Windows-1252, as Excel saves it): preview, then confirm.
    csv_file = tmp_path / "personeel.csv"
    csv_file.write_bytes(STAFF_CSV)
    go(page, "text=Medewerkers importeren uit een CSV-bestand")
    page.set_input_files("#file", str(csv_file))
    go(page, "text=Bekijk wat er verandert")
    assert "7 nieuw, 0 gewijzigd, 1 ongewijzigd" in page.content()
    check_axe(page, "admin staff import preview")
    go(page, "text=Bevestigen en opslaan")
    assert "Import opgeslagen" in page.content()

    # 3. Groups: the import made groep 5 (a duo) and 6; add a combination class 7/8.
    page.goto(base + "/admin/groepen/")
    assert "Bas de Boer" in page.content() and "Cor Claassen" in page.content()
    go(page, "text=Groep toevoegen")
    page.fill("#number", "78")
    page.fill("#name", "Groep 7/8")
    page.check("label:has-text('Dina Dekker') >> xpath=preceding-sibling::input[1]")
    go(page, "form button.primary")
    assert "Groep 7/8" in page.content()
    check_axe(page, "admin groups")

    # 4. Calendar: this school year's holidays for region midden.
    page.goto(base + "/admin/kalender/")
    page.select_option("#region", "midden")
    page.select_option("#school_year", "2026-2027")
    go(page, "button:text-is('Inlezen')")
    assert "Vakanties en feestdagen zijn ingelezen" in page.content()
    check_axe(page, "admin calendar")

    # 5. A kiosk: enrol a tablet; the page shows the one-time link and a QR code.
    page.goto(base + "/admin/kiosks/")
    page.fill("#name", "Tablet hal")
    go(page, "text=Aanmeldlink maken")
    assert page.locator("figure.qr svg").count() == 1
    check_axe(page, "admin kiosks")
    enrol_link = page.get_attribute("a.enrol-link", "href")
    setup_seconds = time.perf_counter() - started
    record_property("setup_seconds", round(setup_seconds, 2))
    print(f"\nSchool setup through the browser took {setup_seconds:.1f} s")

    # 6. The tablet opens the link and becomes the kiosk; a child in groep 5 reports.
    tablet = chromium.new_context(locale="nl-NL").new_page()
    tablet.goto(enrol_link)
    go(tablet, "button.primary")
    assert "/aanmelden/" not in tablet.url and "/kiosk" in tablet.url
    go(tablet, "button[name=choice][value=bullying]")
    go(tablet, "button[name=choice][value=school]")
    go(tablet, "button[name=choice][value=name]")
    tablet.fill("#name", "Sam")
    go(tablet, "button[name=group][value='5']")
    go(tablet, "button[name=choice][value=no]")  # not in danger
    go(tablet, "button[name=choice][value=no]")  # no talk needed
    assert "/kiosk/klaar" in tablet.url

    # 7. The teacher accepts the invitation from the mail and finds the report in the queue.
    with orm.Session(db.engine) as s:
        bas = s.scalar(sa.select(User).where(User.email == "bas@linde.nl"))
        case = s.scalar(sa.select(Case).order_by(Case.id.desc()))
        assert case.category == "bullying" and case.group.number == 5
        assignees = {p.user_id for p in s.scalars(sa.select(CaseParticipant).where(
            CaseParticipant.case_id == case.id, CaseParticipant.kind == "assignee"))}
        cor = s.scalar(sa.select(User.id).where(User.email == "cor@linde.nl"))
        assert assignees == {bas.id, cor}  # the duo of groep 5, nobody else
        invite = next(m for m in s.scalars(sa.select(OutboxMail).where(
            OutboxMail.template == "invite")) if m.to == "bas@linde.nl")
        link = invite.context["link"]
    teacher = chromium.new_context(locale="nl-NL", bypass_csp=True).new_page()
    teacher.goto(link)
    teacher.fill("#password", "bas-zijn-wachtwoord")
    teacher.fill("#confirm", "bas-zijn-wachtwoord")
    go(teacher, "form button.primary")
    teacher.fill("#email", "bas@linde.nl")
    teacher.fill("#password", "bas-zijn-wachtwoord")
    go(teacher, "form button.primary")
    assert "/cases" in teacher.url
    assert teacher.locator(f"a[href='/cases/{case.id}']").count() == 1
    check_axe(teacher, "staff queue")
    teacher.goto(f"{base}/cases/{case.id}")
    check_axe(teacher, "staff case page")

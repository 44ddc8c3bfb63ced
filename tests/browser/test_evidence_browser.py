"""A parent attaches a phone photo in Chromium; the teacher downloads it from the case page and
the file she gets has no EXIF and no GPS position (issue 17)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from evidence_files import jpeg_with_gps
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import check_axe
from tracker.models import Case
from tracker.setup.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

STORY = "Een klasgenoot zet elke avond foto's van onze zoon in de groepsapp."


def test_a_photo_s_gps_never_reaches_the_teacher(page, browser, live_server, tmp_path):
    page.set_default_timeout(5000)
    photo = jpeg_with_gps((640, 480), noise=True)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the phone wrote GPS
    page.goto("/melden")
    page.locator("#category").select_option("cyberbullying")
    page.locator("#description").fill(STORY)
    page.locator("#group").select_option("6")
    # Where no file may come along, the input switches off and says why.
    page.locator("#sexual").check()
    expect(page.locator("#evidence")).to_be_disabled()
    expect(page.locator("#evidence-forbidden")).to_be_visible()
    page.locator("#sexual").uncheck()
    page.locator("#category").select_option("image_shared")
    expect(page.locator("#evidence")).to_be_disabled()
    page.locator("#category").select_option("cyberbullying")
    expect(page.locator("#evidence")).to_be_enabled()
    expect(page.locator("#evidence-forbidden")).to_be_hidden()
    page.locator("#evidence").set_input_files(
        [{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    check_axe(page, "/melden (a photo picked)")
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("p.code")).to_be_visible()
    with live_server.session() as session:
        case_id = session.scalar(sa.select(sa.func.max(Case.id)))

    staff = browser.new_context(base_url=live_server.url, locale="nl-NL", accept_downloads=True,
                                bypass_csp=True)  # axe is injected by the test
    teacher = staff.new_page()
    teacher.set_default_timeout(5000)
    teacher.goto("/login")
    teacher.get_by_label("E-mailadres").fill("leerkracht6@demo.meldpunt.test")
    teacher.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Inloggen", exact=True).click()
    teacher.goto(f"/cases/{case_id}")
    expect(teacher.locator("img.evidence-image")).to_have_count(1)
    check_axe(teacher, "case page with evidence")
    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Downloaden").click()
    download = info.value
    assert download.suggested_filename.startswith(f"bewijs-{case_id}-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    staff.close()

    got = target.read_bytes()
    kept = Image.open(io.BytesIO(got))
    assert kept.format == "JPEG" and kept.size == (640, 480)
    assert not kept.getexif() and not kept.getexif().get_ifd(0x8825)
    assert b"Exif" not in got and b"GPS" not in got and b"Jansen" not in got

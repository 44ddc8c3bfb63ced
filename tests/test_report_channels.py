"""Parents' and staff report forms, languages and the translation catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import login, post_form
from tracker.models import Case, Report, User

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tracker" / "translations" / "en" / "LC_MESSAGES"


def channel_files() -> list[Path]:
    """Return the files whose words a reporter sees: all must be complete in English."""
    tracker = ROOT / "tracker"
    files = [tracker / "core" / "templates" / "base.html",
             tracker / "core" / "templates" / "_macros.html"]
    for feature, folder in (("kiosk", "kiosk"), ("reporting", "report"),
                            ("reporting", "follow_up"), ("reporting", "staff_report")):
        files += sorted((tracker / feature / "templates" / folder).glob("*.html"))
    for module in ("kiosk/views", "kiosk/code_views", "reporting/views", "reporting/follow_up",
                   "reporting/staff_views"):
        files.append(tracker / f"{module}.py")
    return files + [tracker / "core" / "forms.py", tracker / "reporting" / "forms.py"]


def latest_report(session) -> Report:
    session.expire_all()
    return session.scalar(sa.select(Report).order_by(Report.id.desc()))


def staff_id(session, local: str) -> int:
    return session.scalar(sa.select(User.id).where(User.email == f"{local}@demo.meldpunt.test"))


def test_parent_form_reports_about_a_staff_member_confidentially(client, session):
    page = client.get("/melden").get_data(as_text=True)
    assert "Esra Yilmaz" in page and "Hans Visser" not in page  # school staff, not the board
    assert "de wet verplicht de school in twee gevallen toch te handelen" in page.lower()
    teacher = staff_id(session, "leerkracht5")
    response = post_form(client, "/melden", {
        "category": "adult_misconduct", "description": "Hij schreeuwt <script>x</script>",
        "group": "5", "about_kind": "staff", "about_staff": str(teacher),
        "name": "Sam de Boer", "phone": "+31 6 1234 5678", "email": "",
        "confidential": "y"})
    assert response.status_code == 303
    report = latest_report(session)
    assert (report.about_kind, report.about_user_id, report.confidential) == ("staff", teacher,
                                                                              True)
    assert report.reporter_phone == "+31 6 1234 5678"
    assert report.channel == "web" and report.case.about_user_id == teacher


def test_parent_form_refuses_bad_phone_and_unknown_staff(client, session):
    before = session.scalar(sa.select(sa.func.count()).select_from(Report))
    response = post_form(client, "/melden", {
        "category": "bullying", "description": "x", "group": "", "about_kind": "staff",
        "phone": "bel me maar"}, tampered={"about_staff": "999999"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dit telefoonnummer klopt niet." in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Report)) == before


def test_staff_report_about_a_colleague(app, client, session):
    assert client.get("/cases/new").status_code == 302  # login first
    login(client, "leerkracht3")
    colleague = staff_id(session, "leerkracht5")
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Een collega" in page and "vertrouwenspersoon" in page
    response = post_form(client, "/cases/new", {
        "category": "adult_misconduct", "description": "Collega raakt leerlingen ruw aan.",
        "group": "5", "about_kind": "staff", "about_staff": str(colleague), "sexual": "y"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je melding is verstuurd" in html and 'class="code"' in html
    report = latest_report(session)
    assert (report.channel, report.reporter_type.value) == ("staff", "staff")
    assert report.submitted_by_id == staff_id(session, "leerkracht3")
    assert report.sexual and report.about_user_id == colleague
    case = session.get(Case, report.case_id)
    assert case.receipt_kind == "text"


@pytest.mark.parametrize("url", ["/melden", "/volgen/"])
def test_english_pages_and_the_language_switch(client, url):
    html = client.get(url).get_data(as_text=True)
    assert 'lang="nl"' in html and "/taal/en?next=" in html
    response = client.get(f"/taal/en?next={url}")
    assert response.headers["Location"].endswith(url)
    english = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert ("Report something" if url == "/melden" else "See the answer") in english
    assert client.get("/taal/en?next=//evil.example").headers["Location"].endswith("/melden")


def test_english_catalogue_is_complete_for_the_reporting_channels():
    with open(CATALOGUE / "messages.po", "rb") as f:
        catalogue = read_po(f)
    method = {".py": "python", ".html": "jinja2"}
    missing = []
    for path in channel_files():
        for _line, message, _comments, _context in extract_from_file(
                method[path.suffix], path, keywords={"_": None, "_l": None, "gettext": None,
                                                     "lazy_gettext": None}):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalogue.get(msgid)
            if entry is None or not entry.string:
                missing.append(f"{path.name}: {msgid}")
    assert not missing, "untranslated (run `make translations`):\n" + "\n".join(missing)


def test_compiled_catalogue_matches_the_po_file():
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    with open(CATALOGUE / "messages.po", "rb") as f:
        po = {key(m.id): key(m.string) for m in read_po(f)
              if m.id and any(key(m.string)) and not m.fuzzy and key(m.string) != key(m.id)}
    with open(CATALOGUE / "messages.mo", "rb") as f:
        # Untranslated plurals are written with their Dutch words: not a translation.
        mo = {key(m.id): key(m.string) for m in read_mo(f) if m.id and key(m.string) != key(m.id)}
    assert po == mo, "messages.mo is stale: run `make translations`"

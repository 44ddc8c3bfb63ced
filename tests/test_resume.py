"""Nothing typed is lost: expired sessions and pages give back what was typed (issue 12.4)."""

from __future__ import annotations

import html as htmllib
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from forms import find_form, submit

from tests.conftest import login
from tracker.core.db import get_session, utcnow
from tracker.core.security import LAST_SEEN
from tracker.models import CaseEvent, Report, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report
from tracker.setup.demo import DEMO_PASSWORD

NOTE = "Gesproken met de moeder van Sam; zij herkent het gedrag van thuis niet."


def _case(session) -> int:
    done = submit_report(session, ReportInput(
        submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Sam wordt uitgelachen", group_number=5), utcnow())
    session.commit()
    return done.case.id


def _idle(client) -> None:
    """Let the staff session run past its idle limit."""
    with client.session_transaction() as kept:
        kept[LAST_SEEN] = kept[LAST_SEEN] - 24 * 60 * 60


def _log_in_again(client, response, who: str = "leerkracht5"):
    """Follow the redirect to the login page and log in there as a person would."""
    login_page = response.location.removeprefix("http://meldpunt.test")
    assert login_page.startswith("/login?next=")
    answer = submit(client, login_page, {"email": f"{who}@demo.meldpunt.test",
                                         "password": DEMO_PASSWORD})
    assert answer.status_code == 302, answer.status_code
    return answer.location.removeprefix("http://meldpunt.test")


def _textarea(html: str, page_url: str, name: str) -> str:
    form = find_form(html, page_url=page_url, fields={name})
    return next(c.text for c in form.controls if c.name == name).strip()


@pytest.mark.parametrize("how", ["idle", "cookie gone"])
def test_a_note_sent_after_the_session_ended_is_back_after_login(app, session, how):
    case_id = _case(session)
    client = app.test_client()
    login(client, "leerkracht5")
    page_url = f"/cases/{case_id}"
    page = client.get(page_url)
    if how == "idle":
        _idle(client)
    else:
        client.delete_cookie("session", domain="meldpunt.test")
    sent = submit(client, page_url, {"note-body": NOTE}, action=f"/cases/{case_id}/note",
                  page=page)
    assert sent.status_code in (302, 303)
    if how == "cookie gone":  # the expired page leads to the login, not the parents' form
        assert sent.location.removeprefix("http://meldpunt.test") == page_url
        sent = client.get(page_url)
        assert sent.status_code == 302
    back = _log_in_again(client, sent)
    assert back == page_url
    restored = client.get(back)
    assert _textarea(restored.get_data(as_text=True), page_url, "note-body") == NOTE
    assert not session.scalars(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "note")).all()  # not sent by itself
    again = submit(client, page_url, {}, action=f"/cases/{case_id}/note", page=restored)
    assert again.status_code == 303
    session.expire_all()
    assert [e.body for e in session.scalars(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "note"))] == [NOTE]
    # Once: opening the page again shows an empty note.
    assert _textarea(client.get(page_url).get_data(as_text=True), page_url, "note-body") == ""


def test_a_staff_report_sent_after_the_session_ended_comes_back_filled_in(app, session):
    client = app.test_client()
    login(client, "leerkracht5")
    page = client.get("/cases/new")
    _idle(client)
    text = "In de gymzaal werd Noor buitengesloten door drie kinderen."
    sent = submit(client, "/cases/new", {"description": text, "category": "bullying"},
                  page=page)
    assert _log_in_again(client, sent) == "/cases/new"
    html = client.get("/cases/new").get_data(as_text=True)
    assert _textarea(html, "/cases/new", "description") == text
    form = find_form(html, page_url="/cases/new", fields={"category"})
    assert [v for v, selected in next(c for c in form.controls
                                      if c.name == "category").options if selected] == [
        "bullying"]


def test_nothing_typed_is_in_the_cookie_or_on_disk_in_plain_text(app, session):
    case_id = _case(session)
    client = app.test_client()
    login(client, "leerkracht5")
    page = client.get(f"/cases/{case_id}")
    _idle(client)
    submit(client, f"/cases/{case_id}", {"note-body": NOTE}, action=f"/cases/{case_id}/note",
           page=page)
    cookie = client.get_cookie("session", domain="meldpunt.test").value
    from itsdangerous import URLSafeTimedSerializer

    assert "moeder" not in cookie
    decoded = str(URLSafeTimedSerializer(app.secret_key, salt="cookie-session",
                                         signer_kwargs={"key_derivation": "hmac",
                                                        "digest_method": "sha1"}).loads(cookie))
    assert "moeder" not in decoded
    kept = list(Path(app.config["TRACKER_STASH_DIR"]).iterdir())
    assert len(kept) == 1 and "moeder" not in kept[0].read_text()


def test_a_parent_whose_page_expired_gets_the_form_back_filled_in(app, session):
    client = app.test_client()
    page = client.get("/melden")
    client.delete_cookie("session", domain="meldpunt.test")  # the page expired meanwhile
    text = "Mijn dochter wordt op het plein steeds uitgescholden."
    before = session.scalar(sa.select(sa.func.count()).select_from(Report))
    sent = submit(client, "/melden", {"description": text, "category": "bullying",
                                      "email": "ouder@example.org"}, page=page)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert _textarea(html, "/melden", "description") == text
    assert "Het formulier was verlopen. Uw tekst staat er nog" in htmllib.unescape(html)
    assert 'value="ouder@example.org"' in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Report)) == before


def test_a_login_whose_page_expired_comes_back_with_the_address_not_the_password(app):
    client = app.test_client()
    page = client.get("/login")
    client.delete_cookie("session", domain="meldpunt.test")
    sent = submit(client, "/login", {"email": "ib@demo.meldpunt.test",
                                     "password": DEMO_PASSWORD}, page=page)
    assert sent.status_code == 303
    html = client.get(sent.location).get_data(as_text=True)
    assert 'value="ib@demo.meldpunt.test"' in html
    assert DEMO_PASSWORD not in html
    assert "Deze pagina was verlopen. Wat je had getypt staat er nog" in htmllib.unescape(html)


def test_a_parent_form_with_a_mistake_keeps_what_was_typed(client):
    text = "Het gebeurt elke dag na school."
    sent = submit(client, "/melden", {"description": text, "category": "bullying",
                                      "email": "geen-adres"})
    assert sent.status_code in (200, 422)
    html = sent.get_data(as_text=True)
    assert _textarea(html, "/melden", "description") == text
    assert "Dit e-mailadres klopt niet." in html


def test_the_500_page_renders_when_the_database_session_is_broken(app, caplog):
    @app.get("/_breaks_the_session")
    def _breaks():
        db = get_session()
        first = db.scalars(sa.select(User)).first()
        db.expire_all()  # the page's menu must load the person again
        db.add(User(email=first.email, name="Dubbel", password_hash="x"))
        db.flush()  # the unique e-mail: the session now needs a rollback

    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    login(client, "directie")
    response = client.get("/_breaks_the_session")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html and '<link rel="stylesheet"' in html  # the styled page
    assert "Traceback" not in html and "IntegrityError" not in html


def test_an_expired_staff_page_offers_the_login_not_the_parents_form(app, session):
    from admin_support import login_2fa

    from tests.conftest import enrol_kiosk

    enrol_kiosk(app.test_client(), session)
    client = app.test_client()
    login_2fa(client, session, "admin")
    page = client.get("/admin/kiosks/")
    client.delete_cookie("session", domain="meldpunt.test")
    form = find_form(page.get_data(as_text=True), page_url="/admin/kiosks/",
                     button="Intrekken")
    sent = submit(client, "/admin/kiosks/", {}, action=form.action.removeprefix(
        "http://meldpunt.test"), button="Intrekken", page=page)  # nothing typed to keep
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert 'href="/login"' in html and "Log opnieuw in" in html
    assert "Naar het meldformulier" not in html

"""Hostile input on every public form and the kiosk (hypothesis).

Never a 500; nothing stored from an invalid post; everything stored from a valid one, and
shown back to staff as text (escaped), never as markup.
"""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.conftest import csrf_from, csrf_token_from, enrol_kiosk, login
from tracker.domain.categories import CATEGORIES
from tracker.models import Case, CaseEvent, OutboxMail, Report, ReporterType, User, UserToken
from tracker.services import receipts
from tracker.services.reports import ReportInput, submit_report

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
MALICIOUS = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "javascript:alert(1)", "'; DROP TABLE report; --", "1 OR 1=1", "\" OR \"\"=\"",
    "%00", "\x00", "\x1b[31m", "\u202e\u0000\u0007", "{{ 7*7 }}", "{% raw %}", "${jndi:x}",
    "../../etc/passwd", "😀" * 50, "ﷺ" * 20, "\r\n\r\nSet-Cookie: x=1", "A" * 6000,
    "<" * 3000, "NaN", "-1", "99999999999999999999", "", " ", "\t\n",
]
hostile = st.one_of(st.sampled_from(MALICIOUS), st.text(max_size=80),
                    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=20),
                    st.tuples(st.text(min_size=1, max_size=3), st.integers(1700, 2600))
                    .map(lambda t: t[0] * t[1]))  # huge fields, cheap to generate
# A value as a form sends it, or a wrong shape: missing, or repeated (a list).
value = st.one_of(hostile, st.none(), st.lists(hostile, min_size=2, max_size=3))
visible_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                       min_size=1, max_size=300).filter(lambda s: s.strip())
payload_text = st.one_of(st.sampled_from(MALICIOUS[:6] + MALICIOUS[14:18]), visible_text) \
    .filter(lambda s: s.strip() and "\x00" not in s)
PARENT_CATEGORIES = [c.key for c in CATEGORIES]
OK_STATUSES = {200, 303, 400, 404, 413, 422}


def _form(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


def _sent(v):
    """Return what a form field receives: the first of repeated values."""
    return v[0] if isinstance(v, list) else v


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def staff(app):
    """Staff browsers that read back what was stored: the directie and the VP."""
    clients = {who: app.test_client() for who in ("directie", "vp")}
    for who, client in clients.items():
        login(client, who)
    return clients


def _shown_to_staff(staff, session, case_id: int, texts: list[str]) -> None:
    case = session.get(Case, case_id)
    url = f"/vertrouwelijk/{case_id}" if case.confidential else f"/cases/{case_id}"
    html = staff["vp" if case.confidential else "directie"].get(url).get_data(as_text=True)
    for text in texts:
        assert str(escape(text)) in html, text
    assert "<script>alert(1)" not in html and "<img src=x onerror" not in html


@SETTINGS
@given(st.fixed_dictionaries({
    "category": st.one_of(st.sampled_from(PARENT_CATEGORIES), value),
    "description": value, "group": st.one_of(st.sampled_from(["", "5"]), value),
    "email": st.one_of(st.just("ouder@example.org"), value), "about_kind": value,
    "about_staff": value, "about_text": value, "name": value, "phone": value,
    "danger": value, "sexual": value, "confidential": value, "submission_key": value}))
def test_melden_survives_anything(client, session, staff, data):
    page = client.get("/melden").get_data(as_text=True)
    data = csrf_from(page) | _form(data)
    before = _count(session, Report)
    response = client.post("/melden", data=data)
    assert response.status_code in OK_STATUSES, response.status_code
    stored = _count(session, Report) - before
    if response.status_code != 303:
        assert stored == 0
    elif stored:  # (a repeated submission key finds the first report: idempotent)
        report = session.scalars(sa.select(Report).order_by(Report.id.desc())).first()
        assert report.description == _sent(data["description"]).strip()
        _shown_to_staff(staff, session, report.case_id, [report.description])


@SETTINGS
@given(description=payload_text, name=payload_text, about=payload_text,
       category=st.sampled_from(PARENT_CATEGORIES), confidential=st.booleans(),
       group=st.sampled_from(["", "3", "8"]))
def test_every_valid_report_is_stored_and_shown_as_text(client, session, staff, description,
                                                        name, about, category, confidential,
                                                        group):
    page = client.get("/melden").get_data(as_text=True)
    data = csrf_from(page) | {
        "category": category, "description": description[:5000], "group": group,
        "about_kind": "other", "about_text": about[:200], "name": name[:120],
        "email": "ouder@example.org", "phone": "06 12345678"}
    if confidential:
        data["confidential"] = "y"
    before = _count(session, Report)
    response = client.post("/melden", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    assert _count(session, Report) == before + 1
    report = session.scalars(sa.select(Report).order_by(Report.id.desc())).first()
    assert (report.description, report.reporter_name, report.about_text) == (
        data["description"].strip(), data["name"].strip(), data["about_text"].strip())
    _shown_to_staff(staff, session, report.case_id,
                    [report.description, report.reporter_name, report.about_text])


@SETTINGS
@given(code=value, extra=st.dictionaries(st.text(max_size=10), hostile, max_size=3))
def test_follow_up_lookup_survives_anything(client, session, code, extra):
    page = client.get("/volgen/").get_data(as_text=True)
    before = _count(session, CaseEvent)
    response = client.post("/volgen/", data=csrf_from(page) | extra | _form({"code": code}))
    assert response.status_code in OK_STATUSES
    assert _count(session, CaseEvent) == before
    assert response.status_code != 303  # no random code opens a case


@pytest.fixture
def looked_up(client, session):
    """A parent's case, opened at /volgen/ with its receipt code in this client."""
    done = submit_report(session, ReportInput(
        submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Pesten op het plein", group_number=5), _now())
    code = receipts.issue_code(session, done.case, receipts.receipt_key(
        client.application.config["SECRET_KEY"]), uuid.uuid4().hex, "text")
    session.commit()
    page = client.get("/volgen/").get_data(as_text=True)
    assert client.post("/volgen/", data=csrf_from(page) | {"code": code}).status_code == 303
    return done.case


def _now():
    from tracker.db import utcnow

    return utcnow()


@SETTINGS
@given(body=value)
def test_follow_up_reply_stores_only_valid_text_and_shows_it_as_text(client, session, staff,
                                                                     looked_up, body):
    page = client.get("/volgen/melding").get_data(as_text=True)
    before = _count(session, CaseEvent)
    response = client.post("/volgen/melding", data=csrf_from(page) | _form({"body": body}))
    assert response.status_code in OK_STATUSES
    added = _count(session, CaseEvent) - before
    if response.status_code == 303:
        event = session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == looked_up.id)
                                .order_by(CaseEvent.id.desc())).first()
        assert added == 1 and event.body == _sent(body).strip()
        _shown_to_staff(staff, session, looked_up.id, [event.body])
    else:
        assert added == 0


@SETTINGS
@given(email=value, password=value, extra=st.dictionaries(st.text(max_size=8), hostile,
                                                          max_size=2))
def test_login_and_password_reset_survive_anything(app, session, email, password, extra):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    users, epochs = _count(session, User), session.scalar(sa.select(sa.func.sum(
        User.session_epoch)))
    response = client.post("/login", data=csrf_from(page) | extra | _form(
        {"email": email, "password": password}))
    assert response.status_code in OK_STATUSES
    assert client.get("/cases/").status_code == 302  # never logged in by junk
    page = client.get("/wachtwoord/vergeten").get_data(as_text=True)
    tokens, mails = _count(session, UserToken), _count(session, OutboxMail)
    response = client.post("/wachtwoord/vergeten", data=csrf_from(page) | _form(
        {"email": email}))
    assert response.status_code in OK_STATUSES
    assert (_count(session, UserToken), _count(session, OutboxMail)) == (tokens, mails)
    assert _count(session, User) == users
    assert session.scalar(sa.select(sa.func.sum(User.session_epoch))) == epochs


@pytest.fixture
def kiosk(client, session):
    enrol_kiosk(client, session)
    return client


KIOSK_POSTS = ["/kiosk/", "/kiosk/waar", "/kiosk/wie", "/kiosk/naam", "/kiosk/gevaar",
               "/kiosk/praten", "/kiosk/code", "/kiosk/code/melding"]


@SETTINGS
@given(steps=st.lists(st.tuples(st.sampled_from(KIOSK_POSTS), st.dictionaries(
    st.sampled_from(["choice", "text", "name", "group", "picture", "undo", "reply",
                     "csrf_token"]), value, max_size=4)), min_size=1, max_size=6))
def test_the_kiosk_survives_any_taps(kiosk, session, staff, steps):
    token = csrf_token_from(kiosk.get("/kiosk/").get_data(as_text=True))
    for url, data in steps:
        before = _count(session, Report)
        data = {"csrf_token": token} | _form(data)
        response = kiosk.post(url, data=data)
        assert response.status_code in OK_STATUSES | {429}, (url, response.status_code)
        added = _count(session, Report) - before
        if added:
            assert response.status_code == 303 and url in ("/kiosk/gevaar", "/kiosk/praten")
            report = session.scalars(sa.select(Report).order_by(Report.id.desc())).first()
            assert report.channel == "kiosk" and report.reporter_type == ReporterType.CHILD
            texts = [t for t in (report.description, report.reporter_name) if t]
            _shown_to_staff(staff, session, report.case_id, texts)


@pytest.mark.parametrize("url", ["/melden", "/volgen/", "/login", "/wachtwoord/vergeten"])
def test_json_bodies_and_huge_posts_get_a_clear_answer(client, url):
    page = client.get(url).get_data(as_text=True)
    assert client.post(url, json={"description": ["<script>"]}).status_code in OK_STATUSES
    huge = client.post(url, data=csrf_from(page) | {"description": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 413
    assert "Te groot" in huge.get_data(as_text=True)


def test_the_picture_code_parser_refuses_junk_quietly(kiosk):
    html = kiosk.get("/kiosk/code").get_data(as_text=True)
    token = csrf_token_from(html)
    for junk in ("../../x", "<script>", "a" * 500):
        response = kiosk.post("/kiosk/code", data={"csrf_token": token, "picture": junk})
        assert response.status_code == 303
    assert not re.search(r"<script>", kiosk.get("/kiosk/code").get_data(as_text=True))


def test_a_nul_character_is_refused_with_a_message_not_a_crash(client, session):
    page = client.get("/melden").get_data(as_text=True)
    before = _count(session, Report)
    response = client.post("/melden", data=csrf_from(page) | {
        "category": "bullying", "description": "Hallo\x00daar", "about_kind": "other"})
    assert response.status_code == 400
    assert "teken in dat we niet kunnen verwerken" in response.get_data(as_text=True)
    assert _count(session, Report) == before

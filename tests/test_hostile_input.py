"""Hostile input on every public form and the kiosk (hypothesis).

Never a 500; nothing stored from an invalid post; everything stored from a valid one, and
shown back to staff as text (escaped), never as markup.
"""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.conftest import csrf_from, csrf_token_from, enrol_kiosk, login
from tracker.domain.categories import CATEGORIES
from tracker.models import Case, CaseEvent, OutboxMail, Report, ReporterType, User, UserToken
from tracker.reporting import receipts
from tracker.reporting.service import ReportInput, submit_report
from tracker.setup.demo import DEMO_PASSWORD

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
    from tracker.core.db import utcnow

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
    as_json = client.post(url, json={"description": ["<script>"]})
    assert as_json.status_code == 415
    assert "Dit formulier kon niet worden gelezen" in as_json.get_data(as_text=True)
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


# --- Every route and method, and the shapes that once gave a 500 (issue 12.5) -------------

BIG_IDS = [2**31, 2**63, 2**64 + 1, "١٢"]  # past PG's integer, past 64 bits, Arabic digits
FILE = b"not a text field"
SHAPES = {
    "json numbers": {"json": {"description": 5, "email": 3, "code": 123456, "body": 2,
                              "password": 1, "category": 1, "version": 1}},
    "json objects": {"json": {"description": {"a": 1}, "email": [1], "code": {"x": 1},
                              "body": [None], "password": {"p": 1}}},
    "json lone surrogates": {"data": '{"description": "\\ud800", "email": "\\udc00", '
                                     '"body": "\\ud800", "code": "\\udfff"}',
                             "content_type": "application/json"},
    "a file under text names": {"content_type": "multipart/form-data", "data": {
        name: FILE for name in (
            "description", "email", "body", "code", "note", "name", "password", "action_id",
            "title", "reason", "text", "version", "choice", "group")}},
    "unicode digits": {"data": {"code": "١٢٣٤٥٦", "group": "²", "action_id": "١",
                                "version": "²", "other": "١٢", "case_id": "٣", "user": "١",
                                "owner": "١", "number": "²", "days": "١٠", "successor": "١"}},
    "ids past the integer": {"data": {name: str(2**63) for name in (
        "action_id", "group", "version", "case_id", "other", "user", "owner", "successor",
        "number", "priority", "days", "step")}},
    "CR/LF in next": {"query_string": {"next": "/cases/\r\nSet-Cookie: x=1", "group": "²",
                                        "page": str(2**63), "case": str(2**63)}},
}
# The routing answers 405 before any check for a method a route lacks: one try each.
OTHER_METHODS = ("HEAD", "OPTIONS", "PUT", "PATCH", "DELETE")


def _paths(rule) -> list[str]:
    """Return the URLs to try for a route: its ids as 1 and as each number past the limit."""
    path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule.rule)
    path = re.sub(r"<(?!int:)[^>]+>", "x", path)
    if "<int:" not in path:
        return [path]
    return [re.sub(r"<int:[^>]+>", str(n), path) for n in [1, *BIG_IDS]]


@pytest.fixture
def visitors(app, session):
    """Who knocks: nobody, staff (directie + admin), the FG, the VP, and a kiosk tablet;
    each with a CSRF token in a header, so that refusals come from the checks, not CSRF."""
    from admin_support import login_2fa

    people = {who: app.test_client() for who in ("anonymous", "directie", "fg", "vp", "kiosk")}
    for who in ("directie", "fg", "vp"):
        login_2fa(people[who], session, who)
    enrol_kiosk(people["kiosk"], session)
    tokens = {}
    for who, client in people.items():
        page = client.get("/kiosk/" if who == "kiosk" else "/login" if who == "anonymous"
                          else "/cases/new" if who != "fg" else "/admin/bewaartermijnen/")
        tokens[who] = csrf_token_from(page.get_data(as_text=True))
    return {who: (client, {"X-CSRFToken": tokens[who]}) for who, client in people.items()}


REACH = {"kiosk": ("/kiosk",), "vp": ("/vertrouwelijk", "/cases"),
         "fg": ("/admin/bewaartermijnen",), "directie": ("/cases", "/admin", "/login")}


def test_every_route_method_and_shape_gets_an_answer_not_a_500(app, visitors, caplog):
    sent, answers, crashes = 0, {}, []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for who, (client, headers) in visitors.items():
            if who != "anonymous" and not rule.rule.startswith(REACH[who]):
                continue
            paths = _paths(rule)
            tries = [(path, method, "plain", {}) for path in paths for method in ("GET", "POST")]
            tries += [(paths[0], method, "plain", {}) for method in OTHER_METHODS]
            tries += [(paths[0], method, shape, kwargs) for shape, kwargs in SHAPES.items()
                      for method in (("GET", "POST") if "query_string" in kwargs else ("POST",))]
            for path, method, shape, kwargs in tries:
                if isinstance(kwargs.get("data"), dict):  # files are read once: new ones
                    kwargs = kwargs | {"data": {n: (io.BytesIO(v), "x.txt") if v is FILE
                                                else v for n, v in kwargs["data"].items()}}
                response = client.open(path, method=method, headers=headers, **kwargs)
                sent += 1
                answers[response.status_code] = answers.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    crashes.append((who, method, path, shape, response.status_code))
    print(f"hostile run: {sent} requests; answers {dict(sorted(answers.items()))}")
    assert sent > 2500
    assert not crashes, f"{len(crashes)} crashes, e.g. {crashes[:20]}"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64 + 1, "١٢"])
def test_an_id_past_what_the_database_holds_is_no_such_page(app, session, number):
    from admin_support import login_2fa

    client = app.test_client()
    login_2fa(client, session, "directie")
    for path in (f"/cases/{number}", f"/admin/medewerkers/{number}",
                 f"/admin/routering/{number}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Niet gevonden" in response.get_data(as_text=True)
    queue = client.get("/cases/", query_string={"group": str(number), "page": str(number)})
    assert queue.status_code == 200  # a filter that cannot match is no filter


def test_an_action_id_past_the_integer_is_refused_on_the_case_page(app, session):
    from datetime import date, timedelta

    from tests.conftest import post_form

    done = submit_report(session, ReportInput(
        submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Pesten", group_number=5), _now())
    session.commit()
    teacher = app.test_client()
    login(teacher, "leerkracht5")
    me = str(session.scalar(sa.select(User.id).where(
        User.email == "leerkracht5@demo.meldpunt.test")))
    page = f"/cases/{done.case.id}"
    assert post_form(teacher, f"{page}/action", {
        "action-title": "Gesprek", "action-owner": me,
        "action-due": (date.today() + timedelta(days=3)).isoformat()},
        form_url=page).status_code == 303
    for bad in (str(2**31), str(2**63), "١", "²"):
        response = post_form(teacher, f"{page}/complete_action", {}, form_url=page,
                             tampered={"complete_action-action_id": bad})
        assert response.status_code == 422, bad


@pytest.mark.parametrize("url", ["/melden", "/volgen/", "/login", "/wachtwoord/vergeten"])
def test_a_file_sent_under_a_text_fields_name_is_refused(client, session, url):
    page = client.get(url).get_data(as_text=True)
    before = _count(session, Report)
    response = client.post(url, content_type="multipart/form-data", data=csrf_from(page) | {
        name: (io.BytesIO(b"x"), "x.txt") for name in ("description", "email", "code")})
    assert response.status_code == 400
    assert "Hier hoort geen bestand bij" in response.get_data(as_text=True)
    assert _count(session, Report) == before


def test_a_malformed_chunked_body_is_refused(client):
    from werkzeug.serving import DechunkedInput

    page = client.get("/melden").get_data(as_text=True)
    response = client.post("/melden", data=b"", headers={"Transfer-Encoding": "chunked"},
                           content_type="application/x-www-form-urlencoded",
                           environ_overrides={
                               "wsgi.input": DechunkedInput(io.BytesIO(b"zz\r\nnot a chunk")),
                               "wsgi.input_terminated": True})
    assert response.status_code == 400
    assert "Dat ging niet goed" in response.get_data(as_text=True)
    assert client.get("/melden").status_code == 200 and page


def test_options_is_answered_on_every_route_without_a_login(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        response = client.open(_paths(rule)[0], method="OPTIONS")
        assert response.status_code == 200, rule.rule
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


@pytest.mark.parametrize("target", ["/cases/\r\nSet-Cookie: x=1", "/cases/%0d%0aX: y",
                                    "/\r\n/evil.example"])
def test_cr_lf_in_next_leads_to_the_own_page(app, target):
    from forms import submit

    client = app.test_client()
    response = submit(client, f"/login?{urlencode({'next': target})}", {
        "email": "leerkracht5@demo.meldpunt.test", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.location.endswith("/cases/") and "\n" not in response.location
    switched = client.get("/taal/en", query_string={"next": target})
    assert switched.status_code in (302, 303) and "\n" not in switched.location


def test_unicode_digits_as_a_second_factor_code_are_refused_kindly(app, session):
    from admin_support import login_2fa

    from tests.conftest import post_form

    login_2fa(app.test_client(), session, "directie")  # enrolled: the code is asked
    client = app.test_client()
    response = post_form(client, "/login", {"email": "directie@demo.meldpunt.test",
                                            "password": DEMO_PASSWORD})
    step = response.location.removeprefix("http://meldpunt.test")
    for code in ("١٢٣٤٥٦", "²²²²²²", "１２３４５６"):
        answer = post_form(client, step, {"code": code})
        assert answer.status_code in (200, 400, 422), code
        assert client.get("/cases/").status_code == 302  # not logged in by it


@pytest.mark.parametrize(("name", "data"), [
    ("group written ²", "naam;email;rollen;groepen\nAnna;anna@linde.nl;leerkracht;²\n".encode()),
    ("BOM then invalid UTF-8", b"\xef\xbb\xbfnaam;email;rollen\nAnna;anna@linde.nl;ib\xff\xfe\n"),
    ("a field over 131,072 characters",
     b"naam;email;rollen\n\"" + b"A" * 140_000 + b"\";anna@linde.nl;ib\n"),
])
def test_a_broken_staff_csv_gets_a_report_not_a_crash(app, session, name, data):
    from admin_support import login_2fa

    client = app.test_client()
    login_2fa(client, session, "admin")
    page = client.get("/admin/import/").get_data(as_text=True)
    users = _count(session, User)
    response = client.post("/admin/import/", content_type="multipart/form-data",
                           data=csrf_from(page) | {"file": (io.BytesIO(data), "staf.csv")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422, name
    assert "begrijpen we niet" in html or "kunnen we niet" in html
    assert "Bevestigen en opslaan" not in html
    assert _count(session, User) == users

"""Rate limits: login, second factor, password reset, code lookups, kiosk; across processes."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import orm

from tests.conftest import ScratchDatabase, csrf_from, enrol_kiosk, login, post_form
from tests.forms import filled
from tests.test_kiosk import five_taps
from tracker import create_app
from tracker.setup.demo import DEMO_PASSWORD

LIMITS = {"LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes", "TWO_FACTOR_LIMIT": "3 per 5 minutes",
          "PASSWORD_RESET_LIMIT": "2 per hour", "KIOSK_SUBMIT_LIMIT": "2 per 10 minutes",
          "REPORT_LIMIT_PER_ADDRESS": "2 per hour"}
WAIT = re.compile(r"Probeer het opnieuw over (\d+) (minuut|minuten|seconden?) \(om \d\d:\d\d\)")


@pytest.fixture
def app(database, connection):
    """Like conftest's app, but with limits on (fresh in-memory counts per test)."""
    app = create_app({"TESTING": True, "DATABASE_URL": database.url, "SERVER_NAME": "meldpunt.test",
                      "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"} | LIMITS)
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    return app


def _wrong_login(client, email="ib@demo.meldpunt.test"):
    return post_form(client, "/login", {"email": email, "password": "fout-wachtwoord"})


def _says_when(response) -> int:
    html = response.get_data(as_text=True)
    found = WAIT.search(html)
    assert found, html
    assert int(response.headers["Retry-After"]) > 0
    return int(found.group(1))


def test_login_locks_an_address_out_and_says_when(client, app):
    for _ in range(3):
        assert _wrong_login(client).status_code == 200
    locked = _wrong_login(client)
    assert locked.status_code == 429
    assert 14 <= _says_when(locked) <= 15  # minutes
    # The right password does not get in meanwhile either, but another address still can.
    assert post_form(client, "/login", {"email": "ib@demo.meldpunt.test",
                                        "password": DEMO_PASSWORD}).status_code == 429
    assert _wrong_login(client, "antipest@demo.meldpunt.test").status_code == 200


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out(app):
    # Issue 11.10: ten wrong passwords from one address locked the account for everyone.
    attacker, owner = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    for _ in range(3):
        assert _wrong_login(attacker, "vp@demo.meldpunt.test").status_code == 200
    assert _wrong_login(attacker, "vp@demo.meldpunt.test").status_code == 429
    response = post_form(owner, "/login", {"email": "vp@demo.meldpunt.test",
                                           "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the owner's right password was refused"


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_each_visitor_counts_on_their_own(database, connection, proxies):
    app = create_app({"TESTING": True, "DATABASE_URL": database.url,
                      "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "TRACKER_PROXY_COUNT": proxies}
                     | LIMITS | {"LOGIN_LIMIT_PER_VISITOR": "3 per 15 minutes"})
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    first, second = app.test_client(), app.test_client()
    for client, address in ((first, "203.0.113.7"), (second, "198.51.100.20")):
        client.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the TLS proxy
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    for n in range(3):
        assert _wrong_login(first, f"nobody{n}@demo.meldpunt.test").status_code == 200
    assert _wrong_login(first, "nobody9@demo.meldpunt.test").status_code == 429
    # Trusted: the other parent behind the same proxy is a different visitor. Not trusted:
    # a forged header changes nothing, everyone is the proxy.
    expected = 200 if proxies else 429
    assert _wrong_login(second, "nobody9@demo.meldpunt.test").status_code == expected


def test_successful_logins_do_not_count(app):
    for _ in range(5):
        client = app.test_client()
        response = post_form(client, "/login", {"email": "ib@demo.meldpunt.test",
                                                "password": DEMO_PASSWORD})
        assert response.status_code == 302


def test_guessing_the_second_factor_is_limited(client):
    post_form(client, "/login", {"email": "vp@demo.meldpunt.test", "password": DEMO_PASSWORD})
    page = client.get("/login/tweestaps")
    for _ in range(3):
        response = post_form(client, "/login/tweestaps", {"code": "123456"}, page=page)
        assert response.status_code == 422
    locked = post_form(client, "/login/tweestaps", {"code": "1"}, page=page)
    assert locked.status_code == 429 and _says_when(locked) >= 1


def test_a_colleague_who_logs_in_often_is_not_locked_out_by_the_second_factor(app, client):
    for _ in range(2):  # her laptop and her phone: two good codes count for nothing
        login(app.test_client(), "vp")
    post_form(client, "/login", {"email": "vp@demo.meldpunt.test", "password": DEMO_PASSWORD})
    page = client.get("/login/tweestaps")
    for _ in range(3):  # the limit in these tests is 3 wrong codes
        assert post_form(client, "/login/tweestaps", {"code": "123456"}, page=page
                         ).status_code == 422
    assert post_form(client, "/login/tweestaps", {"code": "1"}, page=page).status_code == 429


def test_password_reset_requests_are_limited(client):
    for _ in range(2):
        assert post_form(client, "/wachtwoord/vergeten",
                         {"email": "ib@demo.meldpunt.test"}).status_code == 303
    locked = post_form(client, "/wachtwoord/vergeten", {"email": "ib@demo.meldpunt.test"})
    assert locked.status_code == 429 and _says_when(locked) >= 59


def test_code_lookups_are_limited_per_visitor(client):
    for _ in range(10):
        response = post_form(client, "/volgen/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
        assert response.status_code != 429
    locked = post_form(client, "/volgen/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert locked.status_code == 429
    assert 9 <= _says_when(locked) <= 10


def test_kiosk_submissions_are_limited_per_tablet(app, client, session):
    enrol_kiosk(client, session)
    for _ in range(2):
        assert five_taps(client).status_code == 303
    locked = five_taps(client)
    assert locked.status_code == 429 and _says_when(locked) >= 9


def test_the_public_form_is_limited_per_address_and_keeps_the_text(client, session):
    from sqlalchemy import func, select

    from tracker.models import Report

    def send(words):
        _, _, form = filled(client, "/melden", {"category": "bullying", "description": words,
                                                "group": "4", "about_kind": "child"})
        return form, client.post("/melden", data=form)

    reports = lambda: session.scalar(select(func.count()).select_from(Report))  # noqa: E731
    before = reports()
    first, response = send("Eerste melding over pesten.")
    assert response.status_code == 303
    assert send("Tweede melding over pesten.")[1].status_code == 303
    _form, locked = send("Derde melding: dit mag niet verloren gaan.")
    html = locked.get_data(as_text=True)
    assert locked.status_code == 429 and "Retry-After" in locked.headers
    assert "Derde melding: dit mag niet verloren gaan." in html
    assert re.search(r"verstuur hem over \d+ minuten \(om \d\d:\d\d\)", html), html[:3000]
    assert reports() == before + 2
    # A second click on an earlier form is not a new report: never limited, stored once.
    assert client.post("/melden", data=first).status_code == 303
    assert reports() == before + 2


# --- across processes: the counts live in Redis, shared by every worker and host ----------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def two_processes(tmp_path):
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379; start it to run this test")
    scratch = ScratchDatabase(tmp_path).prepare(demo=True)
    prefix = f"meldpunt-test-{uuid.uuid4().hex[:8]}"
    factory = ("tracker:create_app({'LOGIN_LIMIT_PER_ADDRESS': '3 per 15 minutes', "
               f"'RATELIMIT_KEY_PREFIX': '{prefix}'}})")
    env = os.environ | scratch.env | {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    ports, procs = [_free_port(), _free_port()], []
    for port in ports:
        procs.append(subprocess.Popen(  # noqa: S603 - fixed arguments
            [gunicorn, "--no-control-socket", "-w", "1", "-b", f"127.0.0.1:{port}", factory],
            cwd=Path(__file__).resolve().parent.parent, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    try:
        for port in ports:
            _wait_for(port)
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
            proc.stderr.close()
        scratch.drop()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 90  # a loaded CI machine starts gunicorn slowly
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server on port {port} did not start")


def test_limits_hold_across_two_app_processes(two_processes):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def attempt(base: str) -> tuple[int, str]:
        page = opener.open(f"{base}/login").read().decode()  # noqa: S310
        data = urllib.parse.urlencode(csrf_from(page) | {
            "email": "ib@demo.meldpunt.test", "password": "fout-wachtwoord"}).encode()
        try:
            with opener.open(f"{base}/login", data=data) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    a, b = two_processes
    assert [attempt(base)[0] for base in (a, b, a)] == [200, 200, 200]
    status, html = attempt(b)  # the 4th attempt, at the process that saw only one
    assert status == 429
    assert WAIT.search(html)
    assert attempt(a)[0] == 429

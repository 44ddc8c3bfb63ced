"""Headers on every page, idle sessions, logout everywhere, cookie flags."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import login, post_form
from tracker import create_app
from tracker.core.security import CONTENT_SECURITY_POLICY, LAST_SEEN

PUBLIC_PAGES = ["/melden", "/volgen/", "/login", "/kiosk/", "/wachtwoord/vergeten"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code < 500
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers  # not over plain http in dev


def test_staff_pages_carry_them_too_and_are_not_cached(client):
    login(client, "leerkracht5")
    response = client.get("/cases/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", PUBLIC_PAGES + ["/cases/"])
def test_no_page_has_inline_script_styles_or_handlers(client, url):
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"<style|\sstyle=", html), "inline style"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "asset from another site"


def test_production_sends_hsts_and_secure_cookies(database, monkeypatch):
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"SECRET_KEY": "s" * 40,
                      "DATABASE_URL": database.env["DATABASE_URL"],
                      "TRACKER_CONFIDENTIAL_KEY": "aGVsbG8taGVsbG8taGVsbG8taGVsbG8taGVsbG8tISE=",
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": "meldpunt.test"})
    try:
        assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
        assert app.config["SESSION_COOKIE_HTTPONLY"]
        assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
        response = app.test_client().get("/login", base_url="https://meldpunt.test")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        cookie = response.headers.get("Set-Cookie", "")
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        app.extensions["tracker.engine"].dispose()


def test_session_cookie_is_httponly_and_lax_in_development(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_staff_session_ends_after_thirty_idle_minutes(client):
    login(client, "leerkracht5")
    with client.session_transaction() as s:
        s[LAST_SEEN] = int(time.time()) - 29 * 60
    assert client.get("/cases/").status_code == 200  # 29 minutes: still in
    with client.session_transaction() as s:
        s[LAST_SEEN] = int(time.time()) - 31 * 60
    response = client.get("/cases/")
    assert response.status_code == 302 and "/login" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "30 minuten niet actief" in page
    assert client.get("/cases/").status_code == 302  # and it stays ended


def test_logout_ends_the_session_on_every_device(app):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "leerkracht5")
    login(phone, "leerkracht5")
    assert phone.get("/cases/").status_code == 200
    response = post_form(laptop, "/logout", {}, form_url="/cases/")
    assert response.status_code == 303
    assert laptop.get("/cases/").status_code == 302
    assert phone.get("/cases/").status_code == 302  # the other device is out too

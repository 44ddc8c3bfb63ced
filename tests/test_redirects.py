"""Every redirect that takes a visitor's value stays on this site (issue 11.9)."""

from __future__ import annotations

import pytest

from tests.domain.test_redirects import HOSTILE
from tests.forms import submit
from tracker.setup.demo import DEMO_PASSWORD

STRINGS = [t for t in HOSTILE if isinstance(t, str) and t]


def short(value) -> str:
    return repr(value)[:40]


def location(response) -> str:
    return response.headers["Location"].removeprefix("http://meldpunt.test")


def test_the_reported_language_switch_redirect_stays_here(client):
    # The finding, byte for byte: the tab was dropped and `//evil.example` remained.
    response = client.get("/taal/en?next=/%09/evil.example")
    assert response.status_code == 303 and location(response) == "/melden"


@pytest.mark.parametrize("target", STRINGS, ids=short)
def test_language_switch_falls_back_to_the_form(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    if "\x00" in target:  # a NUL byte in any value is refused as a bad request
        assert response.status_code == 400 and "Location" not in response.headers
        return
    assert response.status_code == 303
    assert location(response) == "/melden"


def test_language_switch_returns_to_the_page_it_came_from(client):
    html = client.get("/volgen/").get_data(as_text=True)
    assert "/taal/en?next=/volgen/" in html
    response = client.get("/taal/en?next=/volgen/")
    assert location(response) == "/volgen/"
    assert "Antwoord bekijken" not in client.get("/volgen/").get_data(as_text=True)


LOGIN = {"email": "leerkracht1@demo.meldpunt.test", "password": DEMO_PASSWORD}


@pytest.mark.parametrize("target", STRINGS, ids=short)
def test_login_next_falls_back_to_the_queue(client, target):
    page = client.get("/login", query_string={"next": target})
    if "\x00" in target:  # a NUL byte in any value is refused as a bad request
        assert page.status_code == 400 and "Location" not in page.headers
        return
    assert page.status_code == 200
    response = submit(client, page.request.full_path, LOGIN, page=page)
    assert response.status_code == 302
    assert location(response) == "/cases/"


def test_login_goes_on_to_the_page_asked_for(client):
    asked = client.get("/cases/?status=open")
    assert asked.status_code == 302
    login_page = location(asked)
    assert login_page.startswith("/login?next=")
    response = submit(client, login_page, LOGIN)
    assert location(response) == "/cases/?status=open"


def test_next_kept_across_the_second_factor_is_checked_too(client):
    from tests.conftest import complete_two_factor

    email = "vp@demo.meldpunt.test"
    page = client.get("/login?next=/%09/evil.example")
    response = submit(client, "/login?next=/%09/evil.example", LOGIN | {"email": email},
                      page=page)
    second_step = location(response).split("?")[0]
    assert second_step in ("/login/tweestaps", "/login/tweestaps/instellen")
    response = complete_two_factor(client, email, second_step)
    if response.status_code == 200:  # first enrolment: the recovery codes page links on
        assert 'href="/cases/"' in response.get_data(as_text=True)
        assert "evil.example" not in response.get_data(as_text=True)
    else:
        assert location(response) == "/cases/"

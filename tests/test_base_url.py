"""Links follow the address people use (issue 12.9): `PORT=8000 make run` mails and prints
links on port 8000, and a forged Host header never ends up in a link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import orm

from tests.conftest import post_form
from tracker import config, create_app
from tracker.core.db import utcnow
from tracker.escalation.outbox import send_due


@pytest.mark.parametrize("env, expected", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "8000"}, "http://127.0.0.1:8000"),
    ({"FLASK_RUN_PORT": "8080"}, "http://127.0.0.1:8080"),
    ({"PORT": "8000", "TRACKER_BASE_URL": "https://meldpunt.school.nl"},
     "https://meldpunt.school.nl"),
    ({"PORT": "8000", "TRACKER_BASE_URL": ""}, "http://127.0.0.1:8000"),
])
def test_the_base_url_follows_port_unless_set(monkeypatch, env, expected):
    for name in ("PORT", "FLASK_RUN_PORT", "TRACKER_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config.from_env()["TRACKER_BASE_URL"] == expected


@pytest.fixture
def port_app(database, connection, monkeypatch, smtp_server):
    """The app as `PORT=8000 make run` starts it: no TRACKER_BASE_URL in the environment."""
    monkeypatch.delenv("TRACKER_BASE_URL", raising=False)
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    monkeypatch.setenv("PORT", "8000")
    app = create_app({"TESTING": True, "DATABASE_URL": database.url,
                      "RATELIMIT_ENABLED": False})
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    smtp_server.configure(app)
    return app


def test_a_reset_link_is_mailed_on_port_8000_whatever_the_host_header(port_app, smtp_server):
    client = port_app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    post_form(client, "/wachtwoord/vergeten", {"email": "leerkracht5@demo.meldpunt.test"})
    with port_app.app_context():
        session = port_app.extensions["tracker.sessionmaker"]()
        send_due(session, utcnow() + timedelta(minutes=1))
    [message] = [m for m in smtp_server.messages
                 if m["X-Envelope-To"] == "leerkracht5@demo.meldpunt.test"]
    text = message.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:8000/wachtwoord/nieuw/" in text
    assert "evil.example" not in text and ":5000" not in text


def test_the_kiosk_enrolment_link_is_printed_on_port_8000(port_app):
    result = port_app.test_cli_runner().invoke(args=["kiosk", "enroll", "Gang boven"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8000/kiosk/" in result.output

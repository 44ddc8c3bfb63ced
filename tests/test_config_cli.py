"""Configuration safety and the command line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker import ConfigurationError, config, create_app
from tracker.models import User


@pytest.mark.parametrize("overrides, message", [
    ({}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "s" * 40, "TRACKER_CONFIDENTIAL_KEY": "k" * 44}, "DATABASE_URL points inside"),
    ({"SECRET_KEY": "s" * 40, "DATABASE_URL": "postgresql+psycopg://db/meldpunt"},
     "TRACKER_CONFIDENTIAL_KEY is not set"),
])
def test_production_refuses_development_settings(overrides, message):
    settings = {"TRACKER_ENV": "production", "DATABASE_URL": config.from_env()["DATABASE_URL"],
                "TRACKER_CONFIDENTIAL_KEY": "", "SECRET_KEY": config.DEV_SECRET_KEY} | overrides
    with pytest.raises(ConfigurationError, match=message):
        create_app(settings)


def test_production_starts_with_real_settings():
    app = create_app({"TRACKER_ENV": "production", "SECRET_KEY": "s" * 40,
                      "DATABASE_URL": "postgresql+psycopg://db.invalid/meldpunt",
                      "TRACKER_CONFIDENTIAL_KEY": "Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo="})
    assert app.config["TRACKER_ENV"] == "production"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("TRACKER_BASE_URL", "https://meldpunt.school.nl")
    settings = config.from_env()
    assert settings["MAIL_PORT"] == 2525
    assert settings["TRACKER_BASE_URL"] == "https://meldpunt.school.nl"


def test_user_create_and_demo_are_idempotent(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "nieuw@school.nl", "--name", "Nieuwe Juf",
                                 "--role", "leerkracht", "--role", "ib", "--workdays", "21",
                                 "--password", "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User).where(User.email == "nieuw@school.nl"))
    assert user.role_keys == {"leerkracht", "ib"} and user.workdays == "12"
    again = runner.invoke(args=["user", "create", "nieuw@school.nl", "--name", "x",
                                "--role", "ib", "--password", "een-lang-wachtwoord"])
    assert again.exit_code != 0 and "already exists" in again.output

    count = session.scalar(sa.select(sa.func.count()).select_from(User))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "leerkracht7a@demo.meldpunt.test" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == count

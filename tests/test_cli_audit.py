"""The console's changes land in the admin audit log like their web twins (issue 13.2): one use
case writes the change and its audit row, and the page and the command both call it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.admin_support import login_2fa
from tracker.models import AdminAudit, KioskDevice, User


def _log(session, action: str) -> list[AdminAudit]:
    session.expire_all()
    return list(session.scalars(sa.select(AdminAudit).where(AdminAudit.action == action)
                                .order_by(AdminAudit.id)))


def test_kiosk_enroll_and_revoke_from_the_console_are_in_the_log(app, session, client):
    runner = app.test_cli_runner()
    enrolled = runner.invoke(args=["kiosk", "enroll", "Gang boven"])
    assert enrolled.exit_code == 0, enrolled.output
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == "Gang boven"))
    assert "/kiosk/aanmelden/" in enrolled.output
    [entry] = _log(session, "kiosk.enrol")
    assert entry.actor_id is None and entry.target == f"kiosk:{device.id}"
    assert runner.invoke(args=["kiosk", "revoke", "Gang boven"]).exit_code == 0
    assert [e.target for e in _log(session, "kiosk.revoke")] == [f"kiosk:{device.id}"]
    # The admin reads it in words, on the same page as the web's own changes.
    login_2fa(client, session, "admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Kiosk aangemeld" in page and "Kiosk ingetrokken" in page


def test_a_refused_console_command_says_why_in_english_and_logs_nothing(app, session):
    result = app.test_cli_runner().invoke(args=["kiosk", "revoke", "Nergens"])
    assert result.exit_code != 0
    assert "There is no kiosk called Nergens." in result.output
    assert _log(session, "kiosk.revoke") == []


def test_twofactor_reset_from_the_console_is_in_the_log(app, session):
    user = session.scalar(sa.select(User).where(User.email == "directie@demo.meldpunt.test"))
    result = app.test_cli_runner().invoke(args=["twofactor", "reset", user.email])
    assert result.exit_code == 0, result.output
    [entry] = _log(session, "staff.twofactor_reset")
    assert entry.actor_id is None and entry.target == f"user:{user.id}"
    assert entry.before == {"second_factor": True} and entry.after == {"second_factor": False}


def test_user_create_from_the_console_is_in_the_log(app, session):
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "nieuw@school.nl", "--name", "Nieuwe Collega", "--role", "leerkracht",
        "--password", "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User).where(User.email == "nieuw@school.nl"))
    assert [e.target for e in _log(session, "staff.create")] == [f"user:{user.id}"]

"""One address rule for every form (issue 11.7): internationalised domains are accepted and
delivered (IDNA-encoded on the wire, real SMTP); what cannot be delivered is refused in Dutch,
with nothing typed lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.core.db import utcnow
from tracker.escalation.outbox import send_due
from tracker.models import Report, User

STORY = "Mijn dochter wordt op het schoolplein uitgelachen."
REFUSED = [  # (typed, what the page says)
    ("jürgen@school.nl", "Vóór de @ kunnen geen letters met accenten staan."),
    ("ouder@intranet", "Dit e-mailadres klopt niet."),
    ("ouder@school.nl\r\nBcc: x@evil.example", "Dit e-mailadres klopt niet."),
    ("a" * 250 + "@school.nl", "Dit e-mailadres is te lang."),
]


def _parent_report(client, email: str):
    return post_form(client, "/melden", {"category": "bullying", "description": STORY,
                                         "group": "4", "about_kind": "child", "email": email})


def test_a_parent_with_an_internationalised_domain_gets_the_receipt(app, session, client,
                                                                   smtp_server):
    smtp_server.configure(app)
    assert _parent_report(client, "Ouder@Bücher.nl").status_code == 303
    report = session.scalar(sa.select(Report).order_by(Report.id.desc()))
    assert report.reporter_email == "ouder@bücher.nl"
    with app.app_context():
        result = send_due(session, utcnow() + timedelta(days=3))
    assert not result.dead
    [receipt] = [m for m in smtp_server.messages
                 if m["X-Envelope-To"] == "ouder@xn--bcher-kva.nl"]
    assert "/volgen/" in receipt.get_body(("plain",)).get_content()


@pytest.mark.parametrize("typed, message", REFUSED)
def test_the_parent_form_refuses_an_undeliverable_address_and_keeps_the_text(client, typed,
                                                                            message):
    response = _parent_report(client, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and STORY in html


@pytest.mark.parametrize("typed, message", REFUSED[:2])
def test_the_admin_staff_form_uses_the_same_rule(client, session, typed, message):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/medewerkers/nieuw", {
        "name": "Jürgen Nieuw", "email": typed, "roles": ["leerkracht"], "workdays": ["1"]})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_colleague_with_an_internationalised_domain_is_invited_and_logs_in(app, client,
                                                                            session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/medewerkers/nieuw", {
        "name": "Nina Bücher", "email": "Nina@BÜCHER.nl", "roles": ["leerkracht"],
        "workdays": ["1"]})
    assert response.status_code == 303
    nina = session.scalar(sa.select(User).where(User.email == "nina@bücher.nl"))
    assert nina is not None
    # The command line takes the same rule: the ASCII spelling is the same person.
    runner = app.test_cli_runner()
    again = runner.invoke(args=["user", "create", "nina@xn--bcher-kva.nl", "--name", "x",
                                "--role", "ib", "--password", "een-lang-wachtwoord"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=["user", "create", "jürgen@school.nl", "--name", "x",
                              "--role", "ib", "--password", "een-lang-wachtwoord"])
    assert bad.exit_code == 2 and "plain ASCII letters before the @" in bad.output


def test_the_staff_import_uses_the_same_rule(client, session):
    from tracker.admin.staff_import import parse

    result = parse(session, ("naam;email;rollen\nA;jürgen@school.nl;ib\nB;B@Bücher.NL;ib\n"
                               "C;c@intranet;ib\n").encode())
    errors = {line.number: line.errors for line in result.lines}
    assert "accenten" in " ".join(errors[2])
    assert errors[3] == [] and result.lines[1].email == "b@bücher.nl"
    assert "klopt niet" in " ".join(errors[4])

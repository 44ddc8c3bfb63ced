"""No personal data in plain text outside the encrypted columns: logs and error texts
(issue 11.7). The tests read what was logged and what the database holds."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import post_form
from tracker.core import crypto

NAME, PHONE, EMAIL = "Johanna Bakkerszoon", "06-12345678", "johanna.bakker@example.org"
STORY = "Mijn zoon Daan wordt elke pauze achter het hek geslagen"


@pytest.fixture
def unencryptable(monkeypatch):
    """One value that the keyring refuses, as a broken key or an odd character would."""
    real = crypto.Keyring.encrypt

    def encrypt(self, text):
        if "onversleutelbaar" in text:
            raise ValueError("cannot encrypt this value")
        return real(self, text)

    monkeypatch.setattr(crypto.Keyring, "encrypt", encrypt)


def test_a_value_that_cannot_be_encrypted_logs_no_request_values(client, caplog,
                                                                 unencryptable):
    caplog.set_level(logging.DEBUG)
    response = post_form(client, "/melden", {
        "category": "bullying", "description": STORY + " onversleutelbaar", "group": "4",
        "about_kind": "child", "name": NAME, "phone": PHONE, "email": EMAIL})
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.get_data(as_text=True)
    logged = caplog.text
    assert "unhandled error on POST /melden" in logged  # the error itself is still logged
    for secret in (NAME, PHONE, EMAIL, "Daan", "onversleutelbaar"):
        assert secret not in logged, secret


class RefusingSMTP:
    """A real SMTP server that refuses every recipient, echoing the address as servers do."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


# KNOWN, not yet diagnosed: after a refused recipient one SMTP socket of the outbox is left
# for the garbage collector (ResourceWarning). Collected here so it is not blamed on another test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_dead_mail_and_the_worker_log_carry_no_address_and_no_code(app, session, caplog,
                                                                    smtp_server):
    from datetime import UTC, datetime

    from tracker.escalation.notify import enqueue_mail

    smtp_server.stop()
    smtp_server.handle_RCPT = RefusingSMTP().handle_RCPT
    smtp_server.start()
    if True:
        smtp_server.configure(app)
        now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        mail = enqueue_mail(session, key="receipt:refused", to=EMAIL, recipient_kind="parent",
                            template="receipt", now=now,
                            context={"code": "ABCD-EFGH-JKMN-PQRS-TUVW",
                                     "follow_up_url": "http://meldpunt.test/volgen/"})
        session.commit()
        caplog.set_level(logging.DEBUG)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["worker", "--interval", "0", "--max-ticks", "1"],
                               env={"TRACKER_NOW": ""})
        assert result.exit_code == 0, result.output
        session.refresh(mail)
    assert mail.status == "dead"
    assert mail.last_error.startswith("SMTPRecipientsRefused") and "550" in mail.last_error
    assert "dead-lettered" in caplog.text
    listing = runner.invoke(args=["outbox", "list", "--status", "dead"]).output
    assert f"{mail.id:>6}  dead" in listing and "550" in listing
    for text in (mail.last_error, caplog.text, listing, result.output):
        assert EMAIL not in text and "johanna" not in text.lower(), text
        assert "ABCD-EFGH" not in text
    import gc

    gc.collect()

"""The outbox delivers through a real SMTP server: retries, dead letters, quiet hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tracker.core.db import utcnow
from tracker.escalation import outbox
from tracker.escalation.notify import enqueue_mail
from tracker.escalation.tick import run_tick
from tracker.models import Case, CaseParticipant, OutboxMail, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

AMS = ZoneInfo("Europe/Amsterdam")
SECRET_TEXT = "Jantje wordt elke dag bij het hek geslagen door Pietje"


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
def mail_app(app, smtp_server):
    smtp_server.configure(app)
    return app


def tick(app, session, now):
    with app.app_context():
        return run_tick(session, now)


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def parent_mail(session, now, key="reply:1", to="ouder@example.org", **context):
    return enqueue_mail(session, key=key, to=to, recipient_kind="parent",
                        template="reporter_message", now=now,
                        context={"follow_up_url": "http://meldpunt.test/volgen", **context})


def test_new_case_mails_its_people_content_free_with_stable_message_id(mail_app, session,
                                                                        smtp_server):
    now = ams(2026, 12, 1, 10, 0)  # a Tuesday, school hours
    case = submit_report(session, ReportInput(
        submission_key="k-outbox-1", channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description=SECRET_TEXT, group_number=5,
        reporter_name="Mevrouw Jansen"), now).case
    people = set(session.scalars(sa.select(User.email).join(CaseParticipant)
                                 .where(CaseParticipant.case_id == case.id)))
    session.commit()
    assert people

    report = tick(mail_app, session, now)

    created = [m for m in smtp_server.messages if "staat een melding" in m["Subject"]]
    digests = [m for m in smtp_server.messages if "uw meldingen vandaag" in m["Subject"]]
    assert sorted(m["X-Envelope-To"] for m in created) == sorted(people)
    assert sorted(m["X-Envelope-To"] for m in digests) == sorted(people)  # first tick at 10:00
    assert len(report.mail.sent) == 2 * len(people)
    for message in smtp_server.messages:
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for part in (text, html, message["Subject"]):
            assert "Jantje" not in part and "Jansen" not in part and "hek" not in part
        assert "Pesten" in text  # the category, nothing more
        # the pages' words: a melding, not a casus
        assert "casus" not in (text + html + message["Subject"]).lower()
    for message in created:
        text = message.get_body(("plain",)).get_content()
        assert f"http://127.0.0.1:5000/cases/{case.id}" in text
    with mail_app.app_context():
        keys = session.scalars(sa.select(OutboxMail.key).where(OutboxMail.case_id == case.id))
        expected = {outbox.message_id(k) for k in keys}
    assert {m["Message-ID"] for m in created} == expected
    assert {m["Subject"] for m in created} == {
        f"Meldpunt: er staat een melding voor u klaar (#{case.id})"}


def test_confidential_case_mail_names_no_category_and_english_users_get_english(
        mail_app, session, smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    vp = user(session, "vp")
    vp.language = "en"
    case = Case(created_at=now, category="adult_misconduct", confidential=True,
                primary_role="vertrouwenspersoon", reason="-", ack_due=now + timedelta(days=7))
    session.add(case)
    session.flush()
    session.add(CaseParticipant(case_id=case.id, user_id=vp.id, kind="assignee", added_at=now))
    from tracker.escalation.notify import case_created

    case_created(session, case, now)
    session.commit()
    tick(mail_app, session, now)

    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == [f"Meldpunt: a report is waiting for you (#{case.id})",
                        "Meldpunt: your reports today (1)"]
    [message] = [m for m in smtp_server.messages if "waiting" in m["Subject"]]
    text = message.get_body(("plain",)).get_content()
    assert "Category: (confidential)" in text
    assert "misconduct" not in text.lower() and "volwassene" not in text.lower()


def test_parent_reply_written_friday_evening_arrives_monday_0730(mail_app, session,
                                                                 smtp_server):
    parent_mail(session, ams(2026, 11, 27, 19, 5))  # Friday evening
    session.commit()
    for moment in (ams(2026, 11, 27, 19, 6), ams(2026, 11, 28, 10, 0),
                   ams(2026, 11, 29, 20, 0), ams(2026, 11, 30, 7, 29)):
        tick(mail_app, session, moment)
        assert smtp_server.messages == [], moment
    tick(mail_app, session, ams(2026, 11, 30, 7, 30))  # Monday
    parents = [m for m in smtp_server.messages if m["To"] == "ouder@example.org"]
    assert len(parents) == 1
    assert parents[0]["Subject"] == "Er is nieuws over uw melding"


@pytest.mark.parametrize(("written", "released"), [
    (ams(2026, 12, 1, 16, 59), ams(2026, 12, 1, 16, 59)),   # school hours: at once
    (ams(2026, 12, 1, 17, 0), ams(2026, 12, 2, 7, 30)),     # evening: next morning
    (ams(2026, 12, 2, 6, 0), ams(2026, 12, 2, 7, 30)),      # early: same morning
    (ams(2026, 12, 18, 17, 30), ams(2027, 1, 4, 7, 30)),    # kerstvakantie
    (ams(2027, 4, 26, 12, 0), ams(2027, 5, 3, 7, 30)),      # meivakantie (Koningsdag in it)
])
def test_parent_mail_waits_for_school_hours(session, written, released):
    mail = parent_mail(session, written)
    assert mail.next_attempt_at == released


def test_urgent_staff_mail_goes_at_night_non_urgent_waits(session):
    night = ams(2026, 12, 5, 23, 0)  # Saturday night
    urgent = enqueue_mail(session, key="u", to="a@x.test", recipient_kind="staff",
                          template="escalated", now=night, urgent=True)
    normal = enqueue_mail(session, key="n", to="a@x.test", recipient_kind="staff",
                          template="escalated", now=night)
    parent = enqueue_mail(session, key="p", to="a@x.test", recipient_kind="parent",
                          template="reporter_message", now=night, urgent=True)
    assert urgent.next_attempt_at == night
    assert normal.next_attempt_at == ams(2026, 12, 7, 7, 30)
    assert parent.next_attempt_at == ams(2026, 12, 7, 7, 30)  # parents: never at night


def test_smtp_outage_loses_nothing_and_sends_each_mail_once(mail_app, session, smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    smtp_server.stop()
    for i in range(5):
        parent_mail(session, now, key=f"outage:{i}", to=f"ouder{i}@example.org")
    session.commit()

    report = tick(mail_app, session, now)

    assert len(report.mail.retrying) == 5 and not report.mail.sent
    rows = session.scalars(sa.select(OutboxMail).where(OutboxMail.key.like("outage:%"))).all()
    assert [(m.status, m.attempts) for m in rows] == [("pending", 1)] * 5
    assert all("Connection refused" in m.last_error for m in rows)
    assert all(m.next_attempt_at == now + timedelta(minutes=1) for m in rows)

    smtp_server.start()
    tick(mail_app, session, now + timedelta(seconds=30))  # backoff not over yet
    assert smtp_server.messages == []
    tick(mail_app, session, now + timedelta(minutes=2))
    tick(mail_app, session, now + timedelta(minutes=3))
    assert sorted(m["To"] for m in smtp_server.messages) == [
        f"ouder{i}@example.org" for i in range(5)]
    assert {m.status for m in rows} == {"sent"}


def test_last_try_dead_letters_with_reason_and_retry_sends(mail_app, session, smtp_server):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    now = ams(2026, 12, 1, 10, 0)
    smtp_server.stop()
    mail = parent_mail(session, now)
    session.commit()
    for minutes in (0, 2, 10, 30):
        tick(mail_app, session, now + timedelta(minutes=minutes))
    assert (mail.status, mail.attempts) == ("dead", 3)
    assert "ConnectionRefusedError" in mail.last_error

    smtp_server.start()
    runner = mail_app.test_cli_runner()
    listing = runner.invoke(args=["outbox", "list", "--status", "dead"])
    assert f"{mail.id:>6}  dead" in listing.output and "ConnectionRefused" in listing.output
    result = runner.invoke(args=["outbox", "retry", "--all-dead"])
    assert "1 mail(s) opnieuw" in result.output
    # `outbox retry` queues the mail at the real clock's now: tick after that, whatever today is.
    tick(mail_app, session, max(now + timedelta(minutes=31), utcnow() + timedelta(minutes=1)))
    assert len(smtp_server.messages) == 1
    session.refresh(mail)
    assert mail.status == "sent"
    refused = runner.invoke(args=["outbox", "retry", str(mail.id)])
    assert refused.exit_code == 1 and "niet 'dead'" in refused.output


def test_refused_address_and_broken_template_dead_letter_the_rest_goes(mail_app, session,
                                                                       smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    bad_address = parent_mail(session, now, key="bad-address", to="geen adres@@voorbeeld")
    bad_template = enqueue_mail(session, key="bad-template", to="a@example.org",
                                recipient_kind="staff", template="does_not_exist", now=now)
    good = parent_mail(session, now, key="good")
    session.commit()
    tick(mail_app, session, now)
    assert (bad_template.status, bad_template.attempts) == ("dead", 1)
    assert "does_not_exist" in bad_template.last_error
    assert bad_address.status == "dead" and "ongeldig e-mailadres" in bad_address.last_error
    assert good.status == "sent"
    assert [m["To"] for m in smtp_server.messages] == ["ouder@example.org"]


def test_secret_code_is_scrubbed_after_sending(mail_app, session, smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    mail = parent_mail(session, now, code="ABCD-EFGH-JKLM-NPQR")
    session.commit()
    tick(mail_app, session, now)
    assert mail.status == "sent"
    assert "code" not in mail.context and mail.context["follow_up_url"]


def test_mail_interrupted_mid_send_is_not_sent_again_by_itself(mail_app, session,
                                                               smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    mail = parent_mail(session, now)
    # A sender that died after claiming the row: it stays 'sending' until its lease ends.
    mail.status, mail.next_attempt_at = "sending", now + outbox.LEASE
    session.commit()
    tick(mail_app, session, now + timedelta(minutes=5))
    assert mail.status == "sending" and smtp_server.messages == []
    tick(mail_app, session, now + timedelta(minutes=11))
    assert mail.status == "dead" and "onderbroken" in mail.last_error
    assert smtp_server.messages == []
    with mail_app.app_context():
        outbox.retry(session, now, [mail.id])
        session.commit()
        tick(mail_app, session, now + timedelta(minutes=12))
        assert [m["Message-ID"] for m in smtp_server.messages] == [outbox.message_id(mail.key)]


def test_every_mail_template_follows_one_convention():
    """Each language's words sit in the template under `language == "en"`, and the .txt sets
    the subject in both: no second way (gettext, a .subject.txt) to keep in step."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "tracker" / "escalation" / "templates"
    mails = sorted((folder / "email").glob("[!_]*.txt"))
    assert len(mails) > 10
    for text in mails:
        source = text.read_text(encoding="utf-8")
        assert "set subject" in source and 'language == "en"' in source, text.name
        html = text.with_suffix(".html")
        assert not html.exists() or 'language == "en"' in html.read_text(encoding="utf-8") \
            or "words." in html.read_text(encoding="utf-8"), html.name
    assert not list((folder / "email").glob("*.subject.txt"))
    assert not [p.name for p in (folder / "email").iterdir() if '_("' in p.read_text()]

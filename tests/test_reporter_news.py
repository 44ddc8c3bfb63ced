"""A reporter's message is a signal (issue 12.1), through real SMTP: a parent's reply at
/volgen and a child's "Het gebeurt nog steeds" at the kiosk each mail the handlers (no
content), mark the case in their queue and stand in the digest until someone opens it."""

from __future__ import annotations

import html as htmllib
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import enrol_kiosk, login, post_form
from tests.test_follow_up import look_up, parent_report
from tests.test_kiosk import five_taps, follow_up_with_code, picture_code, tap
from tracker.core.calendar import load_calendar
from tracker.core.db import utcnow
from tracker.domain.calendar import at_local, local_date
from tracker.escalation.tick import run_tick
from tracker.models import Case, CaseEvent, CaseStatus, ReporterType
from tracker.reporting.service import ReportInput, submit_report

NEWS_SUBJECT = "Meldpunt: nieuw bericht van de melder (#{})"
MARK = "Nieuw bericht van de melder"
DIGEST_MARK = "NIEUW BERICHT VAN DE MELDER"


@pytest.fixture
def mail_app(app, smtp_server):
    smtp_server.configure(app)
    return app


def school_morning(session, after: datetime, days: int = 1) -> datetime:
    """Return 10:00 on the `days`-th school day after `after` (mail and digest go by then)."""
    calendar, day = load_calendar(session), local_date(after)
    while days:
        day += timedelta(days=1)
        days -= calendar.is_school_day(day)
    return at_local(day, datetime.min.time().replace(hour=10))


def tick(app, session, now):
    with app.app_context():
        return run_tick(session, now)


def case_of(session, case_id: int) -> Case:
    session.expire_all()
    return session.get(Case, case_id)


def latest_case(session) -> Case:
    session.expire_all()
    return session.scalar(sa.select(Case).order_by(Case.id.desc()))


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def queue_line(client, case_id: int, query: str = "") -> str:
    """Return the queue's row of a case ('' when it is not listed)."""
    page = text(client.get(f"/cases/{query}"))
    start = page.find(f'href="/cases/{case_id}"')
    return page[page.rfind("<tr", 0, start):page.find("</tr>", start)] if start >= 0 else ""


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def mails(smtp_server, subject: str) -> dict[str, str]:
    return {m["X-Envelope-To"]: plain(m) for m in smtp_server.messages if m["Subject"] == subject}


def digest_line(smtp_server, to: str, case_id: int) -> str:
    [digest] = [m for m in smtp_server.messages if m["X-Envelope-To"] == to
                and m["Subject"].startswith("Meldpunt: uw ") and "vandaag (" in m["Subject"]]
    return next((line for line in plain(digest).splitlines() if line.startswith(f"- #{case_id} ")),
                "")


def test_a_parents_reply_mails_marks_and_stands_in_the_digest(mail_app, session, client,
                                                                 smtp_server):
    code = parent_report(client)  # bullying in groep 4: leerkracht4 handles it
    look_up(client, code)
    secret = "Het is gisteren weer gebeurd bij de gym"
    assert post_form(client, "/volgen/melding", {"body": secret}).status_code == 303
    case = latest_case(session)
    assert case.reporter_news_at is not None

    teacher = mail_app.test_client()
    login(teacher, "leerkracht4")
    line = queue_line(teacher, case.id)
    assert MARK in line
    assert "Nieuw bericht van de melder: 1" in text(teacher.get("/cases/"))

    morning = school_morning(session, utcnow())
    tick(mail_app, session, morning)
    news = mails(smtp_server, NEWS_SUBJECT.format(case.id))
    assert set(news) == {"leerkracht4@demo.meldpunt.test"}  # the handler, not the informed
    body = news["leerkracht4@demo.meldpunt.test"]
    assert "De melder heeft een nieuw bericht gestuurd" in body and "heropend" not in body
    assert "gym" not in body and "gisteren" not in body
    assert DIGEST_MARK in digest_line(smtp_server, "leerkracht4@demo.meldpunt.test", case.id)
    # The informed anti-pestcoördinator sees the mark in the digest too.
    assert DIGEST_MARK in digest_line(smtp_server, "antipest@demo.meldpunt.test", case.id)

    assert secret in text(teacher.get(f"/cases/{case.id}"))  # opening the case reads it
    assert case_of(session, case.id).reporter_news_at is None
    assert MARK not in queue_line(teacher, case.id)
    smtp_server.messages.clear()
    tick(mail_app, session, school_morning(session, morning))
    line = digest_line(smtp_server, "leerkracht4@demo.meldpunt.test", case.id)
    assert line and DIGEST_MARK not in line


def test_a_childs_still_happening_reopens_informs_and_signals(mail_app, session, client,
                                                              smtp_server):
    enrol_kiosk(client, session)
    five_taps(client)  # bullying, anonymous, no group: the IB'er takes it
    code = picture_code(client.get("/kiosk/klaar").get_data(as_text=True))
    case_id = latest_case(session).id
    ib = mail_app.test_client()
    login(ib, "ib")
    post_form(ib, f"/cases/{case_id}/acknowledge", {}, form_url=f"/cases/{case_id}")
    post_form(ib, f"/cases/{case_id}/resolve", {"resolve-outcome": "Gesprek gevoerd."},
              form_url=f"/cases/{case_id}")
    assert case_of(session, case_id).status == CaseStatus.RESOLVED

    follow_up_with_code(client, code)
    tap(client, "/kiosk/code/melding", reply="still")
    case = case_of(session, case_id)
    assert case.status == CaseStatus.REOPENED and case.reporter_news_at is not None
    kinds = list(session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                 .order_by(CaseEvent.id)))
    assert kinds[-3:] == ["reporter_message", "reopened_by_reporter", "informed"]

    # An overdue case of the IB'er leads the queue, unless news comes first.
    overdue = submit_report(session, ReportInput(
        submission_key="news-overdue", channel="web", reporter_type=ReporterType.PARENT,
        category="other", description="Iets anders."), utcnow() - timedelta(days=30)).case
    session.commit()
    assert MARK in queue_line(ib, case_id)
    first = text(ib.get("/cases/"))
    assert first.find(f'href="/cases/{overdue.id}"') < first.find(f'href="/cases/{case_id}"')
    sorted_page = text(ib.get("/cases/?sort=news"))
    assert "Sorteren op deadline" in sorted_page
    body = sorted_page.find("<tbody>")
    first_row = sorted_page[body:sorted_page.find("</tr>", body)]
    assert f'href="/cases/{case_id}"' in first_row

    tick(mail_app, session, school_morning(session, utcnow()))
    news = mails(smtp_server, NEWS_SUBJECT.format(case_id))
    assert set(news) == {"ib@demo.meldpunt.test", "antipest@demo.meldpunt.test"}
    assert "De casus is heropend" in news["ib@demo.meldpunt.test"]
    assert "anti-pestcoördinator" in news["antipest@demo.meldpunt.test"]
    for body in news.values():
        assert "nog steeds" not in body and "Gesprek" not in body
    assert DIGEST_MARK in digest_line(smtp_server, "ib@demo.meldpunt.test", case_id)

    page = text(ib.get(f"/cases/{case_id}"))
    assert "Heropend: de melder laat weten dat het nog steeds gebeurt" in page
    assert "anti-pestcoördinator: Jeroen Bakker" in page
    assert MARK not in queue_line(ib, case_id)


def test_a_second_unread_message_mails_nobody_again(app, session, client):
    from tracker.models import OutboxMail

    code = parent_report(client)
    look_up(client, code)
    for words in ("Eerste bericht", "Tweede bericht"):
        post_form(client, "/volgen/melding", {"body": words})
    case = latest_case(session)
    keys = session.scalars(sa.select(OutboxMail.key).where(
        OutboxMail.case_id == case.id, OutboxMail.template == "reporter_news"))
    assert len(list(keys)) == 1

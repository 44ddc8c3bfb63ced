"""The tick: escalation over holidays, reminders, legal clocks, digest; once per moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tracker.core.calendar import load_calendar
from tracker.domain.calendar import add_school_days
from tracker.escalation.tick import run_tick
from tracker.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseParticipant,
    CaseStatus,
    OutboxMail,
    User,
)

AMS = ZoneInfo("Europe/Amsterdam")


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def who(session, local: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{local}@demo.meldpunt.test"))


def make_case(session, now, *, category="bullying", ack_due=None, chain=("ib", "directie",
              "bestuur"), assignees=("leerkracht5",), about=None, **fields) -> Case:
    case = Case(created_at=now, category=category, primary_role="leerkracht", reason="test",
                escalation_chain=list(chain), ack_due=ack_due,
                about_user_id=who(session, about).id if about else None, **fields)
    session.add(case)
    session.flush()
    for local in assignees:
        session.add(CaseParticipant(case_id=case.id, user_id=who(session, local).id,
                                    kind="assignee", added_at=now))
    session.flush()
    return case


def events(session, case, kind):
    return session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.kind == kind)
                           .order_by(CaseEvent.id)).all()


def mails(session, case=None, template=None):
    stmt = sa.select(OutboxMail).order_by(OutboxMail.id)
    if case is not None:
        stmt = stmt.where(OutboxMail.case_id == case.id)
    if template is not None:
        stmt = stmt.where(OutboxMail.template == template)
    return session.scalars(stmt).all()


@pytest.fixture
def tick(app, session, smtp_server):
    smtp_server.configure(app)

    def run(now):
        with app.app_context():
            return run_tick(session, now)
    return run


def test_bullying_reported_friday_before_christmas_escalates_after_the_holiday(
        session, tick, smtp_server):
    reported = ams(2026, 12, 18, 16, 0)
    ack_due = add_school_days(load_calendar(session), reported, 1)
    assert ack_due == ams(2027, 1, 4, 17, 0)
    case = make_case(session, reported, ack_due=ack_due)
    session.commit()

    day = date(2026, 12, 21)
    while day <= date(2027, 1, 4):
        for hour in (9, 17):
            tick(ams(day.year, day.month, day.day, hour, 0))
        day += timedelta(days=1)
    assert case.escalation_level == 0 and not events(session, case, "escalated")

    tick(ams(2027, 1, 4, 17, 1))
    tick(ams(2027, 1, 4, 17, 1))  # the same moment again: nothing changes
    tick(ams(2027, 1, 5, 7, 30))
    tick(ams(2027, 1, 5, 16, 0))  # the IB'er's own day is not over yet
    assert case.escalation_level == 1
    [event] = events(session, case, "escalated")
    assert event.data["role"] == "ib" and event.data["to"] == ["ib@demo.meldpunt.test"]
    added = session.scalars(sa.select(CaseParticipant).where(
        CaseParticipant.case_id == case.id, CaseParticipant.kind == "escalated")).all()
    assert [p.user.email for p in added] == ["ib@demo.meldpunt.test"]
    # Escalated at 17:01: the (non-urgent) mail waited for the next morning.
    escalation_mails = [m for m in smtp_server.messages if "doorgezet" in m["Subject"]]
    assert [m["To"] for m in escalation_mails] == ["ib@demo.meldpunt.test"]
    assert mails(session, case, "escalated")[0].sent_at == ams(2027, 1, 5, 7, 30)

    tick(ams(2027, 1, 5, 17, 1))  # still nobody acknowledged: one more step up
    assert case.escalation_level == 2
    assert [e.data["role"] for e in events(session, case, "escalated")] == ["ib", "directie"]


def test_acknowledged_case_does_not_escalate(session, tick):
    now = ams(2026, 12, 1, 10, 0)
    case = make_case(session, now, ack_due=ams(2026, 12, 1, 17, 0))
    case.status, case.acknowledged_at = CaseStatus.ACKNOWLEDGED, now
    session.commit()
    tick(ams(2026, 12, 2, 10, 0))
    assert case.escalation_level == 0 and not events(session, case, "escalated")


def test_never_escalates_to_the_person_the_case_is_about(session, tick):
    now = ams(2026, 12, 1, 10, 0)
    case = make_case(session, now, category="adult_misconduct", chain=("directie", "bestuur"),
                     assignees=("vp",), about="directie", ack_due=ams(2026, 12, 1, 17, 0))
    session.commit()
    tick(ams(2026, 12, 1, 17, 30))
    [event] = events(session, case, "escalated")
    assert event.data["role"] == "bestuur" and event.data["skipped"] == ["directie"]
    assert {m.to for m in mails(session, case, "escalated")} == {
        "bestuur@demo.meldpunt.test", "bestuur2@demo.meldpunt.test"}
    assert case.escalation_level == 2 and case.escalation_due is None


def test_urgent_case_escalation_mail_goes_at_night(session, tick, smtp_server):
    now = ams(2026, 12, 4, 20, 0)  # Friday evening
    case = make_case(session, now, category="home_concern", chain=("directie",),
                     assignees=("ib",), urgent=True, ack_due=ams(2026, 12, 4, 22, 0))
    session.commit()
    tick(ams(2026, 12, 4, 22, 5))
    assert [m["To"] for m in smtp_server.messages] == ["directie@demo.meldpunt.test"]
    assert case.escalation_due is None


def test_resolve_deadline_and_overdue_action_remind_owners_once(session, tick):
    now = ams(2026, 12, 1, 10, 0)
    case = make_case(session, now, ack_due=ams(2026, 12, 1, 17, 0),
                     resolve_due=ams(2026, 12, 8, 17, 0), status=CaseStatus.IN_PROGRESS,
                     acknowledged_at=now)
    action = CaseAction(case_id=case.id, title="Gesprek met ouders van Jantje",
                        owner_id=who(session, "ib").id, due=date(2026, 12, 3))
    session.add(action)
    session.commit()
    tick(ams(2026, 12, 3, 16, 0))  # due day not over
    assert not mails(session, case, "action_overdue")
    for _ in range(2):
        tick(ams(2026, 12, 9, 9, 0))
    assert [m.to for m in mails(session, case, "resolve_overdue")] == [
        "leerkracht5@demo.meldpunt.test"]
    [reminder] = mails(session, case, "action_overdue")
    assert reminder.to == "ib@demo.meldpunt.test" and "Jantje" not in str(reminder.context)
    assert action.reminded_at == ams(2026, 12, 9, 9, 0)
    assert len(events(session, case, "deadline_passed")) == 1


def test_resolved_bullying_case_gets_a_followup_check(session, tick):
    resolved = ams(2026, 12, 1, 11, 0)
    case = make_case(session, resolved, status=CaseStatus.RESOLVED, resolved_at=resolved)
    session.commit()
    tick(ams(2026, 12, 1, 11, 1))
    # 10 school days later, in the morning: the moment the case page plans it for too
    assert case.followup_due == ams(2026, 12, 15, 8, 0)
    tick(ams(2026, 12, 15, 8, 0))
    assert not mails(session, case, "followup_due")
    tick(ams(2026, 12, 15, 8, 1))
    tick(ams(2026, 12, 16, 9, 0))
    assert [m.to for m in mails(session, case, "followup_due")] == [
        "leerkracht5@demo.meldpunt.test"]
    assert len(events(session, case, "followup_due")) == 1


def test_legal_clock_warns_fg_and_directie_before_and_after(session, tick):
    reported = ams(2026, 12, 4, 15, 0)
    case = make_case(session, reported, category="privacy_leak", chain=("bestuur",),
                     assignees=("fg",), ack_due=ams(2026, 12, 4, 17, 0),
                     status=CaseStatus.ACKNOWLEDGED, acknowledged_at=reported,
                     legal_due=reported + timedelta(hours=72))
    session.commit()
    tick(reported + timedelta(hours=47))
    assert not mails(session, case, "legal_due_soon")
    tick(reported + timedelta(hours=49))  # Sunday afternoon: urgent, goes at once
    soon = mails(session, case, "legal_due_soon")
    assert {m.to for m in soon} == {"fg@demo.meldpunt.test", "directie@demo.meldpunt.test"}
    assert {m.status for m in soon} == {"sent"}
    tick(reported + timedelta(hours=73))
    tick(reported + timedelta(hours=80))
    assert len(mails(session, case, "legal_due_passed")) == 2
    assert case.legal_notices == 2 and case.tick_due is None


def test_morning_digest_once_per_school_day_with_ids_categories_deadlines(session, tick):
    now = ams(2026, 12, 1, 10, 0)
    open_case = make_case(session, now, ack_due=ams(2026, 12, 8, 17, 0))
    make_case(session, now, status=CaseStatus.CLOSED)
    session.commit()
    tick(ams(2026, 12, 5, 9, 0))   # Saturday: no digest
    tick(ams(2026, 12, 7, 7, 29))  # Monday before 07:30
    assert not mails(session, template="digest")
    tick(ams(2026, 12, 7, 7, 30))
    tick(ams(2026, 12, 7, 8, 0))
    [digest] = mails(session, template="digest")
    assert digest.to == "leerkracht5@demo.meldpunt.test"
    [entry] = digest.context["cases"]
    assert datetime.fromisoformat(entry.pop("deadline")) == ams(2026, 12, 8, 17, 0)
    assert entry == {"id": open_case.id, "category": "bullying", "what": "ack", "overdue": False,
                     "news": False, "link": f"http://127.0.0.1:5000/cases/{open_case.id}"}


def test_digest_lists_fifty_cases_overdue_first_and_counts_the_rest(session, tick,
                                                                   smtp_server):
    now = ams(2026, 12, 1, 10, 0)
    for i in range(53):
        make_case(session, now, chain=(), ack_due=ams(2026, 12, 3 + i % 5, 17, 0))
    late = make_case(session, now, chain=(), ack_due=ams(2026, 12, 1, 17, 0))
    session.commit()
    tick(ams(2026, 12, 2, 7, 30))
    [digest] = mails(session, template="digest")
    assert digest.context["total"] == 54 and len(digest.context["cases"]) == 50
    assert digest.context["cases"][0]["id"] == late.id
    [message] = smtp_server.messages
    assert message["Subject"] == "Meldpunt: uw meldingen vandaag (54)"
    assert "... en nog 4 andere" in message.get_body(("plain",)).get_content()


def test_a_second_tick_at_the_same_moment_changes_nothing(session, tick):
    start = ams(2026, 11, 23, 10, 0)
    make_case(session, start, ack_due=ams(2026, 11, 24, 17, 0))
    make_case(session, start, status=CaseStatus.IN_PROGRESS, acknowledged_at=start,
              resolve_due=ams(2026, 11, 27, 17, 0))
    make_case(session, start, category="privacy_leak", status=CaseStatus.ACKNOWLEDGED,
              legal_due=ams(2026, 12, 1, 18, 0))
    resolved = make_case(session, start, status=CaseStatus.RESOLVED, resolved_at=start)
    session.add(CaseAction(case_id=resolved.id, title="x", owner_id=who(session, "ib").id,
                           due=date(2026, 11, 24)))
    session.commit()
    now = ams(2026, 12, 1, 9, 0)

    def state():
        return (session.execute(sa.select(Case.id, Case.version, Case.tick_due)
                                .order_by(Case.id)).all(),
                session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)),
                session.scalar(sa.select(sa.func.count()).select_from(CaseParticipant)),
                session.execute(sa.select(OutboxMail.key, OutboxMail.status)
                                .order_by(OutboxMail.key)).all())

    first = tick(now)
    assert (len(first.escalated), first.resolve_reminders, first.legal_notices,
            first.followups, first.actions, first.digests) == (1, 1, 1, 0, 1, 2)
    assert resolved.followup_due == ams(2026, 12, 7, 8, 0)  # scheduled, not yet due
    before = state()
    again = tick(now)
    assert again.cases == 0 and again.digests == 0 and not again.mail.sent
    assert state() == before


def test_tick_command_takes_now(app, session):
    case = make_case(session, ams(2026, 12, 1, 10, 0), ack_due=ams(2026, 12, 1, 17, 0))
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tick", "--now", "2026-12-01T17:30"])
    assert result.exit_code == 0, result.output
    assert "1 escalated" in result.output
    session.refresh(case)
    assert case.escalation_level == 1
    bad = runner.invoke(args=["tick", "--now", "gisteren"])
    assert bad.exit_code == 2 and "ISO-8601" in bad.output


def test_worker_logs_a_failing_tick_and_goes_on(tmp_path, caplog):
    from tracker import create_app

    # A database without tables: every tick fails for real.
    broken = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = broken.test_cli_runner().invoke(
        args=["worker", "--interval", "0", "--max-ticks", "3"])
    assert result.exit_code == 0, result.output
    failures = [r for r in caplog.records if r.getMessage().startswith("tick failed")]
    assert len(failures) == 3 and "no such table" in str(failures[0].exc_info[1])

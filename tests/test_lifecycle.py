"""A case's clock (tracker/domain/lifecycle.py): each rule as a table, and its SQL twin
(tracker/core/lifecycle_sql.py) checked against it on cases nobody scripted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.core.lifecycle_sql import deadline_clause
from tracker.domain.calendar import SchoolCalendar, local
from tracker.domain.lifecycle import (
    Job,
    Waiting,
    followup_check_at,
    next_tick_moment,
    tick_jobs,
    waiting_for,
)
from tracker.domain.states import CaseState as S
from tracker.models import Case

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
EARLY, LATE = NOW - timedelta(days=1), NOW + timedelta(days=1)
ACK, RESOLVE, LEGAL, CHECK = EARLY, LATE, NOW + timedelta(hours=5), NOW + timedelta(days=3)


def case(status: S | None = S.NEW, **columns) -> SimpleNamespace:
    fields = dict(category="bullying", ack_due=ACK, resolve_due=RESOLVE, legal_due=None,
                  legal_notices=0, escalation_due=None, resolve_reminded_at=None,
                  resolved_at=None, followup_due=None, followup_result=None,
                  followup_announced_at=None)
    return SimpleNamespace(status=status, **(fields | columns))


@pytest.mark.parametrize(("clock", "what", "due"), [
    (case(S.NEW), Waiting.ACK, ACK),
    (case(None), Waiting.ACK, ACK),  # before the insert applies the default
    (case(S.REOPENED), Waiting.ACK, ACK),
    (case(S.ACKNOWLEDGED), Waiting.RESOLVE, RESOLVE),
    (case(S.IN_PROGRESS), Waiting.RESOLVE, RESOLVE),
    (case(S.REFERRED), Waiting.RESOLVE, RESOLVE),
    (case(S.IN_PROGRESS, legal_due=LEGAL), Waiting.LEGAL, LEGAL),
    (case(S.IN_PROGRESS, legal_due=LEGAL, legal_notices=2), Waiting.RESOLVE, RESOLVE),
    # A resolved case waits for its check, never for the resolve deadline it met.
    (case(S.RESOLVED, followup_due=CHECK), Waiting.FOLLOWUP, CHECK),
    (case(S.RESOLVED, followup_due=CHECK, followup_result="stopped"), Waiting.CLOSE, None),
    (case(S.RESOLVED), Waiting.CLOSE, None),
    (case(S.CLOSED), Waiting.NOTHING, None),
])
def test_what_a_case_waits_for(clock, what, due):
    deadline = waiting_for(clock)
    assert (deadline.what, deadline.due) == (what, due)


def test_a_resolved_case_is_not_late_for_the_deadline_it_met():
    resolved = case(S.RESOLVED, resolve_due=EARLY, followup_due=CHECK)
    assert not waiting_for(resolved).overdue(NOW)
    assert waiting_for(case(S.IN_PROGRESS, resolve_due=EARLY)).overdue(NOW)


@pytest.mark.parametrize(("clock", "jobs"), [
    (case(S.NEW, escalation_due=EARLY), [Job.ESCALATE]),
    (case(S.NEW, escalation_due=LATE), []),
    (case(S.IN_PROGRESS, resolve_due=EARLY), [Job.REMIND_RESOLVE]),
    (case(S.IN_PROGRESS, resolve_due=EARLY, resolve_reminded_at=EARLY), []),
    (case(S.REFERRED, resolve_due=EARLY), []),  # an outside party has it: no reminder
    (case(S.IN_PROGRESS, legal_due=NOW + timedelta(hours=23)), [Job.LEGAL_NOTICE]),
    (case(S.IN_PROGRESS, legal_due=NOW + timedelta(hours=25)), []),
    (case(S.IN_PROGRESS, legal_due=NOW + timedelta(hours=23), legal_notices=1), []),
    (case(S.IN_PROGRESS, legal_due=EARLY, legal_notices=1), [Job.LEGAL_NOTICE]),
    (case(S.RESOLVED, resolved_at=EARLY), [Job.FOLLOWUP]),  # plan the check
    (case(S.RESOLVED, resolved_at=EARLY, category="phone_misuse"), []),
    (case(S.RESOLVED, resolved_at=EARLY, followup_due=LATE), []),
    (case(S.RESOLVED, resolved_at=EARLY, followup_due=EARLY), [Job.FOLLOWUP]),  # announce it
    (case(S.RESOLVED, followup_due=EARLY, followup_announced_at=EARLY), []),
    (case(S.NEW, escalation_due=EARLY, resolve_due=EARLY), [Job.ESCALATE, Job.REMIND_RESOLVE]),
    (case(S.CLOSED, escalation_due=EARLY, resolve_due=EARLY, legal_due=EARLY), []),
])
def test_what_the_tick_must_do(clock, jobs):
    assert tick_jobs(clock, NOW) == jobs


def test_the_tick_moment_is_the_first_job():
    clock = case(S.NEW, escalation_due=LATE, resolve_due=NOW + timedelta(hours=2))
    assert next_tick_moment(clock) == NOW + timedelta(hours=2)
    assert next_tick_moment(case(S.CLOSED)) is None


def test_the_follow_up_check_falls_in_the_morning_of_its_school_day():
    # Resolved on Friday 4 December; the next two school days skip the weekend and a study day.
    calendar = SchoolCalendar(frozenset({date(2026, 12, 7)}))
    at = followup_check_at(calendar, datetime(2026, 12, 4, 14, 0, tzinfo=UTC), 2)
    assert (local(at).date(), local(at).hour, local(at).minute) == (date(2026, 12, 9), 8, 0)


MOMENTS = st.one_of(st.none(), st.sampled_from([EARLY, NOW, LATE, LEGAL, CHECK]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(list(S)), "ack_due": MOMENTS, "resolve_due": MOMENTS,
    "legal_due": MOMENTS, "legal_notices": st.integers(0, 2), "followup_due": MOMENTS,
    "followup_result": st.sampled_from([None, "stopped", "continues"])}), min_size=1, max_size=6))
def test_the_sql_twin_agrees_with_the_rule(session, rows):
    cases = [Case(category="bullying", primary_role="leerkracht", reason="-", **row)
             for row in rows]
    session.add_all(cases)
    session.flush()
    due = dict(session.execute(sa.select(Case.id, deadline_clause())
                               .where(Case.id.in_([c.id for c in cases]))).all())
    for item in cases:
        assert due[item.id] == waiting_for(item).due, item.status
    session.rollback()


def test_the_queue_and_the_tick_keep_one_clock(app, session):
    """A resolved bullying case is not 'Te laat' for the resolve deadline it met; it is late
    when its check is; and the case page and the tick plan that check for the same moment."""
    from tests.conftest import act
    from tests.test_cases_workflow import client_for, new_case
    from tracker.escalation.tick import run_tick

    case_id = new_case(session, "clock-1")  # in September: its deadlines have long passed
    session.commit()
    teacher = client_for(app, "leerkracht5")
    act(teacher, case_id, "acknowledge")
    act(teacher, case_id, "resolve", {"outcome": "Gesprek met de klas."})
    line = _queue_line(teacher, case_id)
    assert "Te laat" not in line

    case = session.get(Case, case_id)
    session.refresh(case)
    planned_by_page = case.followup_due
    assert local(planned_by_page).hour == 8
    case.followup_due = None  # a case resolved before its check was planned: the tick plans it
    session.commit()
    run_tick(session, case.resolved_at + timedelta(minutes=1), send_mail=False)
    session.refresh(case)
    assert case.followup_due == planned_by_page

    case.followup_due = NOW - timedelta(days=2)  # the check's day has passed
    session.commit()
    assert "Te laat" in _queue_line(teacher, case_id)


def _queue_line(client, case_id: int) -> str:
    html = client.get("/cases/").get_data(as_text=True)
    start = html.index(f'href="/cases/{case_id}"')
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]

"""The queue and the case page run a fixed number of SQL queries, however many cases exist."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from tests.conftest import login
from tracker.domain.calendar import TZ
from tracker.models import ReporterType
from tracker.services.reports import ReportInput, submit_report

AT = datetime(2026, 9, 14, 10, tzinfo=TZ)
# queue: the user with their roles, counts per status, one page of cases, the groups filter
QUEUE_QUERIES = 4
# case page: user with roles, case (+group), reports, participants (+users), the access-log
# insert, timeline, access log, actions, linked cases, meldcode steps, staff for the forms
CASE_QUERIES = 11


@contextmanager
def counting(connection):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


def add_cases(session, n: int, start: int) -> int:
    last = 0
    for i in range(start, start + n):
        data = ReportInput(submission_key=f"qc-{i}", channel="web",
                           reporter_type=ReporterType.PARENT,
                           category=("bullying", "home_concern", "other")[i % 3],
                           description=f"Melding {i}", group_number=1 + i % 8)
        last = submit_report(session, data, AT + timedelta(minutes=i)).case.id
    session.flush()
    return last


def measure(client, connection, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm up: templates, caches
    with counting(connection) as statements:
        assert client.get(url).status_code == 200
    return len(statements), statements


def test_fixed_query_counts(app, session, connection):
    client = app.test_client()
    login(client, "directie")
    first = add_cases(session, 5, 0)
    q5, _ = measure(client, connection, "/cases/")
    qf5, _ = measure(client, connection, "/cases/?category=bullying&group=1&role=leerkracht")
    c5, _ = measure(client, connection, f"/cases/{first}")
    add_cases(session, 55, 5)
    q60, statements = measure(client, connection, "/cases/")
    qf60, _ = measure(client, connection, "/cases/?category=bullying&group=1&role=leerkracht")
    c60, _ = measure(client, connection, f"/cases/{first}")
    assert q5 == q60 == qf5 == qf60, statements
    assert c5 == c60
    assert (q60, c60) == (QUEUE_QUERIES, CASE_QUERIES)
    page2, _ = measure(client, connection, "/cases/?page=2")
    assert page2 == q60

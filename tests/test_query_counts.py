"""The queue and the case page run a fixed number of SQL queries, however many cases exist."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from tests.conftest import login, post_form
from tracker.domain.calendar import TZ
from tracker.models import ReporterType
from tracker.reporting.service import ReportInput, submit_report

AT = datetime(2026, 9, 14, 10, tzinfo=TZ)
# Every page checks the school's setup version once (tracker/core/school.py); the setup itself
# (groups for the filter, staff for the forms, rules, settings) comes from the process's copy.
# queue: the user with their roles, the setup version, counts per status, one page of cases
QUEUE_QUERIES = 4
# case page: user with roles, the setup version, the case with its group, reports and
# participants, the access-log insert, timeline, access log, actions, linked cases, the
# children linked (their search runs only when asked), the case's evidence (without content);
# a home_concern case also reads its meldcode steps
CASE_QUERIES = 10
MELDCODE_QUERIES = 1


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


def add_cases(session, n: int, start: int) -> list[int]:
    cases = []
    for i in range(start, start + n):
        data = ReportInput(submission_key=f"qc-{i}", channel="web",
                           reporter_type=ReporterType.PARENT,
                           category=("bullying", "home_concern", "other")[i % 3],
                           description=f"Melding {i}", group_number=1 + i % 8)
        cases.append(submit_report(session, data, AT + timedelta(minutes=i)).case)
    session.flush()
    return [case.id for case in cases]


def measure(client, connection, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm up: templates, caches
    with counting(connection) as statements:
        assert client.get(url).status_code == 200
    return len(statements), statements


def test_fixed_query_counts(app, session, connection):
    client = app.test_client()
    login(client, "directie")
    bullying, home_concern, *_ = add_cases(session, 5, 0)
    q5, _ = measure(client, connection, "/cases/")
    qf5, _ = measure(client, connection, "/cases/?category=bullying&group=1&role=leerkracht")
    c5, _ = measure(client, connection, f"/cases/{bullying}")
    m5, _ = measure(client, connection, f"/cases/{home_concern}")
    add_cases(session, 55, 5)
    q60, statements = measure(client, connection, "/cases/")
    qf60, _ = measure(client, connection, "/cases/?category=bullying&group=1&role=leerkracht")
    c60, _ = measure(client, connection, f"/cases/{bullying}")
    m60, _ = measure(client, connection, f"/cases/{home_concern}")
    assert q5 == q60 == qf5 == qf60, statements
    assert (c5, m5) == (c60, m60)
    assert (q60, c60, m60) == (QUEUE_QUERIES, CASE_QUERIES, CASE_QUERIES + MELDCODE_QUERIES)
    page2, _ = measure(client, connection, "/cases/?page=2")
    assert page2 == q60


# POST /melden: the setup version, the form key's earlier report, the case, two timeline
# events, the participants, the report, the recipients and their roles, each recipient's mail
# (its outbox key, the insert; two for a bullying report in groep 5) and the receipt code (is
# it free, store it). PostgreSQL inserts the two timeline events in one statement.
SUBMISSION_QUERIES = {"sqlite": 15, "postgresql": 14}


def measure_submission(client, connection, n: int) -> tuple[int, list[str]]:
    page = client.get("/melden")
    html = page.get_data(as_text=True)
    with counting(connection) as statements:
        response = post_form(client, "/melden", {
            "category": "bullying", "group": "5", "about_kind": "child",
            "description": f"Melding {n}: mijn kind wordt gepest."}, page=page)
        assert response.status_code == 303, html
    return len(statements), statements


def test_a_submission_runs_a_fixed_number_of_statements(app, session, connection):
    client = app.test_client()
    measure_submission(client, connection, 0)  # warm up: templates, the setup's copy
    small, _ = measure_submission(client, connection, 1)
    add_cases(session, 60, 100)
    session.commit()
    large, statements = measure_submission(client, connection, 2)
    expected = SUBMISSION_QUERIES[connection.dialect.name]
    assert small == large == expected, "\n".join(statements)

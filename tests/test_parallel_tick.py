"""Two ticks at once, in two real processes, on PostgreSQL: each case and mail once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from tests.conftest import PG_URL, ScratchDatabase
from tracker.escalation.notify import enqueue_mail
from tracker.models import Case, CaseEvent, CaseParticipant, OutboxMail, User
from tracker.setup.demo import load_demo

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="row locks need PostgreSQL (set TRACKER_TEST_DATABASE_URL); "
    "SQLite runs one process")

AMS = ZoneInfo("Europe/Amsterdam")
FLASK = str(Path(sys.executable).with_name("flask"))
CASES = 250


@pytest.fixture
def scratch(tmp_path):
    db = ScratchDatabase(tmp_path).prepare()
    yield db
    db.drop()


def test_two_ticks_at_once_escalate_each_case_once_and_send_each_mail_once(scratch,
                                                                          smtp_server):
    reported = datetime(2026, 12, 1, 10, 0, tzinfo=AMS)
    with orm.Session(scratch.engine) as session:
        load_demo(session)
        teacher = session.scalar(sa.select(User).where(User.email.like("leerkracht5@%")))
        for i in range(CASES):
            case = Case(created_at=reported, category="bullying", primary_role="leerkracht",
                        reason="test", escalation_chain=["ib", "directie"],
                        ack_due=datetime(2026, 12, 1, 17, 0, tzinfo=AMS))
            session.add(case)
            session.flush()
            session.add(CaseParticipant(case_id=case.id, user_id=teacher.id, kind="assignee",
                                        added_at=reported))
            enqueue_mail(session, key=f"parent:{i}", to=f"ouder{i}@example.org",
                         recipient_kind="parent", template="reporter_message", now=reported,
                         context={"follow_up_url": "http://meldpunt.test/volgen"})
        session.commit()

    env = os.environ | scratch.env | {"MAIL_SERVER": "127.0.0.1",
                                      "MAIL_PORT": str(smtp_server.port)}
    now = "2026-12-02T09:00:00+01:00"  # a school day: mail may go, the digest is due
    ticks = [subprocess.Popen([FLASK, "--app", "tracker", "tick", "--now", now], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [t.communicate(timeout=240) for t in ticks]
    assert [t.returncode for t in ticks] == [0, 0], outputs

    with orm.Session(scratch.engine) as session:
        levels = Counter(session.scalars(sa.select(Case.escalation_level)))
        assert levels == {1: CASES}
        escalations = Counter(session.scalars(
            sa.select(CaseEvent.case_id).where(CaseEvent.kind == "escalated")))
        assert len(escalations) == CASES and set(escalations.values()) == {1}
        rows = session.scalars(sa.select(OutboxMail)).all()
    # CASES parent mails + one escalation mail a case to the IB'er + one digest each for
    # the teacher and the IB'er.
    assert len(rows) == 2 * CASES + 2
    assert {r.status for r in rows} == {"sent"}
    ids = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(ids) == len(rows) and set(ids.values()) == {1}
    # What the two processes say they did adds up to the work, done once.
    said = [re.search(r"(\d+) escalated.*mail: (\d+) sent", out).groups() for out, _ in outputs]
    assert sum(int(e) for e, _ in said) == CASES
    assert sum(int(m) for _, m in said) == len(rows)
    print("escalated/sent per process:", said)

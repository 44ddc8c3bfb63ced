"""Tick benchmark: a tick with nothing due among 10k+ cases, and ticks with N overdue cases.

Runs on a temporary SQLite file, and on PostgreSQL (a schema of its own, dropped afterwards)
when TRACKER_TEST_DATABASE_URL is set. Prints figures; asserts nothing.
Environment: BENCH_TICK_QUIET (10000), BENCH_TICK_SIZES (1000,5000,10000).

    .venv/bin/python bench/tick.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import orm  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.core import migrate  # noqa: E402
from tracker.core.db import make_engine  # noqa: E402
from tracker.escalation.tick import run_tick  # noqa: E402
from tracker.models import Case, CaseParticipant, User  # noqa: E402
from tracker.setup.demo import load_demo  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")
QUIET = int(os.environ.get("BENCH_TICK_QUIET", "10000"))
SIZES = [int(n) for n in os.environ.get("BENCH_TICK_SIZES", "1000,5000,10000").split(",")]
DAY = datetime(2026, 12, 1, 10, 0, tzinfo=AMS)       # a Tuesday in school hours
EVENING = datetime(2026, 12, 1, 20, 0, tzinfo=AMS)   # mail waits, no digest: tick work only


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def seed(engine: sa.Engine, n: int, *, overdue: bool, teacher_id: int) -> None:
    """Bulk-insert n cases (Core, fast): overdue unacknowledged ones or quiet acknowledged."""
    created = DAY - timedelta(days=3)
    ack_due = DAY - timedelta(days=1)
    far = DAY + timedelta(days=60)
    rows = [{
        "created_at": utc(created), "updated_at": utc(created), "category": "bullying",
        "status": "new" if overdue else "acknowledged", "primary_role": "leerkracht",
        "route": "rule", "reason": "bench", "escalation_chain": ["ib", "directie", "bestuur"],
        "escalation_level": 0, "ack_due": utc(ack_due), "resolve_due": utc(far),
        "escalation_due": utc(ack_due) if overdue else None,
        "tick_due": utc(ack_due) if overdue else utc(far), "legal_notices": 0,
        "urgent": False, "confidential": False, "reporter_language": "nl", "version": 1,
    } for _ in range(n)]
    with engine.begin() as conn:
        first = (conn.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1
        for start in range(0, n, 2000):
            conn.execute(sa.insert(Case), rows[start:start + 2000])
        conn.execute(sa.insert(CaseParticipant), [
            {"case_id": cid, "user_id": teacher_id, "kind": "assignee", "added_at": utc(created)}
            for cid in range(first, first + n)])


def measure(url: str, engine: sa.Engine, label: str) -> None:
    with engine.begin() as conn:
        migrate.upgrade(connection=conn)
    with orm.Session(engine) as session:
        load_demo(session)
        session.commit()
        teacher_id = session.scalar(sa.select(User.id).where(User.email.like("leerkracht5@%")))
    app = create_app({"DATABASE_URL": url, "MAIL_SUPPRESS_SEND": True})
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(engine, expire_on_commit=False)
    seed(engine, QUIET, overdue=False, teacher_id=teacher_id)
    print(f"\n[{label}] {QUIET} quiet cases in the database")
    with app.app_context(), orm.Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        first = run_tick(session, DAY)
        print(f"  first tick of the day (morning digest to {first.digests} people, "
              f"{len(first.mail.sent)} mails): {1000 * (time.perf_counter() - started):.0f} ms")
        timings = []
        for i in range(30):
            started = time.perf_counter()
            report = run_tick(session, DAY + timedelta(seconds=i + 1))
            timings.append(time.perf_counter() - started)
            assert report.cases == 0
        print(f"  tick with nothing due: median {1000 * statistics.median(timings):.1f} ms, "
              f"best {1000 * min(timings):.1f} ms (30 runs)")
        total = QUIET
        for n in SIZES:
            seed(engine, n, overdue=True, teacher_id=teacher_id)
            total += n
            session.expunge_all()
            started = time.perf_counter()
            report = run_tick(session, EVENING, send_mail=False)
            took = time.perf_counter() - started
            assert len(report.escalated) == n, report.summary()
            print(f"  tick with {n:>6} overdue cases ({total} in db): {took:6.2f} s, "
                  f"{1000 * took / n:.2f} ms per case (escalation + event + mail queued)")
        started = time.perf_counter()
        report = run_tick(session, DAY + timedelta(days=1), send_mail=True)
        took = time.perf_counter() - started
        sent = len(report.mail.sent)
        print(f"  outbox: {sent} held mails rendered and handed to Flask-Mail (sending "
              f"suppressed) in {took:.1f} s, {1000 * took / max(sent, 1):.2f} ms per mail")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        measure(url, engine, "SQLite")
        engine.dispose()
    pg = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if pg:
        schema = f"bench_tick_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(pg)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            engine = make_engine(pg, connect_args={"options": f"-csearch_path={schema}"})
            sep = "&" if "?" in pg else "?"
            measure(f"{pg}{sep}options=-csearch_path%3D{schema}", engine, "PostgreSQL")
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()

"""Insight benchmark (issue 14.5): /overzicht and its CSV for a school year among many cases.

Seeds BENCH_INSIGHT_CASES (100,000) cases over ten school years with bench/seed.py on a
temporary SQLite file, and on PostgreSQL (a schema of its own, dropped afterwards) when
TRACKER_TEST_DATABASE_URL is set; then times, as the directie (every ordinary case): the
figures (SQL aggregation), the whole /overzicht page (figures + rendering), and the CSV
export, for the current school year and for five years. Prints figures; asserts nothing.

    .venv/bin/python bench/insight.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import seed  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask_login import login_user  # noqa: E402
from sqlalchemy import orm  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.accounts.auth import LoginUser  # noqa: E402
from tracker.core import migrate  # noqa: E402
from tracker.core.db import get_session, make_engine, utcnow  # noqa: E402
from tracker.domain.calendar import local_date  # noqa: E402
from tracker.domain.insight import Period, school_year, school_year_of  # noqa: E402
from tracker.insight.exports import to_csv  # noqa: E402
from tracker.insight.service import EXPORT_COLUMNS, export_rows, figures  # noqa: E402
from tracker.models import Case, User  # noqa: E402
from tracker.setup.demo import load_demo  # noqa: E402

CASES = int(os.environ.get("BENCH_INSIGHT_CASES", "100000"))
RUNS = int(os.environ.get("BENCH_INSIGHT_RUNS", "5"))
PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")


def timed(fn, runs: int = RUNS) -> tuple[float, float, object]:
    """Return (median ms, max ms, last result) of runs calls after one warm-up."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), result


def measure(label: str, url: str, connect_args: dict | None = None) -> None:
    engine = make_engine(url, **({"connect_args": connect_args} if connect_args else {}))
    with engine.begin() as conn:
        migrate.upgrade(connection=conn)
    with orm.Session(engine) as session:
        load_demo(session)
        session.commit()
    stats = seed.seed(engine, CASES)
    app = create_app({"DATABASE_URL": url, "SERVER_NAME": "bench.local"})
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(engine, expire_on_commit=False)
    this_year = school_year(school_year_of(local_date(utcnow())))
    periods = {"this school year": this_year,
               "five school years": Period(school_year(
                   f"{this_year.start.year - 4}-{this_year.start.year - 3}").start,
                   this_year.end)}
    print(f"\n[{label}] {stats.cases:,} cases seeded in {stats.seconds:.1f} s "
          f"(ten school years)")
    ordinary = Case.confidential.is_(False)
    for name, period in periods.items():
        with orm.Session(engine) as session:
            med, worst, f = timed(lambda p=period: figures(session, p, ordinary, utcnow()))
            print(f"  {name:18} figures: {med:7.1f} ms median, {worst:7.1f} ms max "
                  f"({f.reports:,} cases)")
            med, worst, body = timed(lambda p=period: to_csv(
                EXPORT_COLUMNS, export_rows(session, p, ordinary, utcnow())), runs=3)
            print(f"  {name:18} CSV:     {med:7.1f} ms median, {worst:7.1f} ms max "
                  f"({len(body) / 1e6:.1f} MB)")
        query = f"van={period.start}&tot={period.end}"
        with app.app_context():
            from tracker.insight.views import index

            def page(q=query):
                with app.test_request_context(f"/overzicht/?{q}"):
                    directie = get_session().scalar(sa.select(User).where(
                        User.email == "directie@demo.meldpunt.test"))
                    login_user(LoginUser(directie))
                    body, status = index()
                    assert status == 200, status
                    return body
            med, worst, _ = timed(page)
            print(f"  {name:18} page:    {med:7.1f} ms median, {worst:7.1f} ms max "
                  "(/overzicht as the directie, figures + rendering)")
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="meldpunt-insight-") as tmp:
        measure("SQLite", f"sqlite:///{Path(tmp) / 'insight.sqlite3'}")
    if not PG_URL:
        print("\n(PostgreSQL skipped: set TRACKER_TEST_DATABASE_URL to include it)")
        return
    schema = f"bench_insight_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        measure(f"PostgreSQL (schema {schema})", PG_URL,
                {"options": f"-csearch_path={schema}"})
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()

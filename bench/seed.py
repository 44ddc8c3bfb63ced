"""Seed a migrated demo database with many cases, fast (SQLAlchemy Core bulk inserts).

The shape imitates ten years of one school: cases spread over the eight groups and the IB'er,
older cases belong to former (inactive) teachers, almost everything older than four months is
closed. So leerkracht5 sees a few thousand cases in total and a few hundred in the open queue.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

import sqlalchemy as sa

from tracker.core.db import utcnow
from tracker.models import (
    Case,
    CaseEvent,
    CaseParticipant,
    Group,
    Report,
    User,
    UserRole,
    group_teacher,
)

SPAN = timedelta(days=3650)  # ten school years of history
CURRENT_ERA = timedelta(days=4 * 365)  # today's teachers have been there four years
OPEN_AGE = timedelta(days=120)  # younger cases are still being worked on
BATCH = 5000
CATEGORIES = ("bullying", "bullying", "cyberbullying", "image_shared", "harmful_content",
              "threat_violence", "home_concern", "phone_misuse", "privacy_leak", "other")
OPEN_STATUSES = (("new", 25), ("acknowledged", 35), ("in_progress", 30), ("referred", 5),
                 ("resolved", 5))
TEXT = ("Mijn kind wordt op het schoolplein al weken uitgescholden en buitengesloten door een "
        "paar kinderen uit de klas. Vandaag kwam het huilend thuis. Kunt u contact opnemen?")


@dataclass(frozen=True)
class SeedStats:
    cases: int
    reports: int
    participants: int
    events: int
    seconds: float
    teacher_total: int  # cases leerkracht5 is a participant of
    teacher_open: int  # of those, not closed


def demo_school(url: str) -> sa.Engine:
    """Migrate the database at `url` and load the demo school; return its engine."""
    from sqlalchemy import orm

    from tracker.core import migrate
    from tracker.core.db import make_engine
    from tracker.setup.demo import load_demo

    engine = make_engine(url)
    with engine.begin() as conn:
        migrate.upgrade(connection=conn)
    with orm.Session(engine) as session:
        load_demo(session)
        session.commit()
    return engine


def _staff(conn: sa.Connection) -> tuple[dict[str, int], dict[int, int], dict[int, list[int]]]:
    users = {email.split("@")[0]: uid for uid, email in
             conn.execute(sa.select(User.id, User.email))}
    groups = dict(conn.execute(sa.select(Group.number, Group.id)).all())
    teachers: dict[int, list[int]] = {}
    for group_id, user_id in conn.execute(
            sa.select(group_teacher.c.group_id, group_teacher.c.user_id)
            .order_by(group_teacher.c.user_id)):
        teachers.setdefault(group_id, []).append(user_id)
    return users, groups, teachers


def _former_staff(conn: sa.Connection, now: datetime) -> dict[str, int]:
    """Create inactive former teachers (two per group) and a former IB'er."""
    names = [f"oud-leerkracht{g}{era}" for g in range(1, 9) for era in "ab"] + ["oud-ib"]
    first = (conn.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    rows = [{"id": first + i, "email": f"{name}@bench.meldpunt.test", "name": name,
             "password_hash": None, "active": False, "created_at": now - SPAN}
            for i, name in enumerate(names)]
    conn.execute(sa.insert(User), rows)
    conn.execute(sa.insert(UserRole), [
        {"user_id": r["id"], "role": "ib" if r["name"] == "oud-ib" else "leerkracht"}
        for r in rows])
    return {r["name"]: r["id"] for r in rows}


def _db_value(value, dialect: str):
    """Turn a Python value into what the driver stores (as the column types would)."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ", "microseconds") if dialect == "sqlite" else value
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _defaults(table: sa.Table, given: list[str], dialect: str) -> dict[str, object]:
    """Return the Python-side defaults of the columns the seeder does not fill itself."""
    extra = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not (default.is_scalar
                                                           or default.is_callable):
            continue
        value = default.arg(None) if default.is_callable else default.arg
        extra[column.name] = _db_value(value, dialect)
    return extra


def _writer(conn: sa.Connection) -> Callable[[sa.Table, list[dict]], None]:
    """Return a bulk writer: COPY on PostgreSQL, a driver executemany on SQLite.

    Values must already be in stored form (naive UTC datetimes, JSON text): SQLAlchemy's
    per-value processing would cost most of the seeding time.
    """
    dialect = conn.dialect.name
    raw = conn.connection.driver_connection
    quote = conn.dialect.identifier_preparer.quote

    def write(table: sa.Table, rows: list[dict]) -> None:
        if not rows:
            return
        cols = list(rows[0])
        extra = _defaults(table, cols, dialect)
        names = ", ".join(quote(c) for c in cols + list(extra))
        tail = tuple(extra.values())
        data = [tuple(r[c] for c in cols) + tail for r in rows]
        if dialect == "postgresql":
            with raw.cursor() as cur, cur.copy(
                    f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * (len(cols) + len(tail)))
            raw.cursor().executemany(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", data)

    return write


def seed(engine: sa.Engine, n: int = 100_000, now: datetime | None = None) -> SeedStats:
    """Insert n cases with their report, participants and timeline; return what was made."""
    import time

    started = time.perf_counter()
    now = now or utcnow()
    rng = random.Random(20261125)  # noqa: S311 - reproducible test data
    counts = {"participants": 0, "events": 0, "teacher_total": 0, "teacher_open": 0}
    with engine.begin() as conn:
        users, groups, teachers = _staff(conn)
        former = _former_staff(conn, now)
        first_id = (conn.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1
        first_event = (conn.scalar(sa.select(sa.func.max(CaseEvent.id))) or 0) + 1
        first_report = (conn.scalar(sa.select(sa.func.max(Report.id))) or 0) + 1
        me = users["leerkracht5"]
        write = _writer(conn)
        dialect = conn.dialect.name

        if dialect == "sqlite":
            # A big page cache keeps the index updates of one long transaction in memory.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")

        def ts(value: datetime | None):
            # Seeded times are computed naive in UTC; SQLite stores them as text.
            if value is None or dialect != "sqlite":
                return value
            return value.isoformat(" ", "microseconds")

        now = now.astimezone(UTC).replace(tzinfo=None)
        data_json: dict[tuple, str] = {}

        chain = json.dumps(["ib", "directie"])
        event_id = first_event
        for start in range(0, n, BATCH):
            cases, reports, parts, events = [], [], [], []
            for i in range(start, min(n, start + BATCH)):
                case_id = first_id + i
                created = now - SPAN + SPAN * (i / n) + timedelta(seconds=rng.randint(0, 3000))
                created = min(created, now - timedelta(minutes=5))
                age = now - created
                current = age < CURRENT_ERA
                category = rng.choice(CATEGORIES)
                number = None if rng.random() < 0.15 else rng.randint(1, 8)
                confidential = rng.random() < 0.01
                if confidential:
                    role, assignees, number = "vertrouwenspersoon", [users["vp"]], None
                elif number is None:
                    role = "ib"
                    assignees = [users["ib"] if current else former["oud-ib"]]
                else:
                    role = "leerkracht"
                    if current:
                        assignees = teachers[groups[number]]
                    else:
                        era = "a" if age > SPAN * 0.7 else "b"
                        assignees = [former[f"oud-leerkracht{number}{era}"]]
                informed = ([users["antipest"]] if current and not confidential
                            and category in ("bullying", "cyberbullying") else [])
                if age < OPEN_AGE:
                    status = rng.choices([s for s, _ in OPEN_STATUSES],
                                         [w for _, w in OPEN_STATUSES])[0]
                else:
                    r = rng.random()
                    status = "in_progress" if r < 0.005 else "resolved" if r < 0.015 \
                        else "closed"
                acked = status != "new"
                ack_at = created + timedelta(hours=rng.randint(1, 30)) if acked else None
                resolved_at = created + timedelta(days=rng.randint(2, 20)) \
                    if status in ("resolved", "closed") else None
                closed_at = resolved_at + timedelta(days=14) if status == "closed" else None
                group_id = groups[number] if number else None
                cases.append({
                    "id": case_id, "created_at": ts(created),
                    "updated_at": ts(closed_at or created),
                    "status": status, "category": category, "group_id": group_id,
                    "urgent": rng.random() < 0.02, "confidential": confidential,
                    "primary_role": role, "route": "rule",
                    "reason": "Doorgestuurd volgens de routeringsregels.",
                    "escalation_chain": chain, "escalation_level": 0,
                    "ack_due": ts(created + timedelta(days=1)),
                    "resolve_due": ts(created + timedelta(days=10)) if acked else None,
                    "acknowledged_at": ts(ack_at),
                    "acknowledged_by_id": assignees[0] if acked else None,
                    "resolved_at": ts(resolved_at), "closed_at": ts(closed_at),
                    "reporter_language": "nl", "version": 1,
                })
                reports.append({
                    "id": first_report + i, "case_id": case_id, "created_at": ts(created),
                    "submission_key": f"bench-{case_id}",
                    "channel": "kiosk" if i % 3 == 0 else "web",
                    "reporter_type": "child" if i % 3 == 0 else "parent",
                    "category": category, "group_id": group_id, "description": TEXT,
                    "confidential": confidential, "language": "nl",
                })
                for uid in assignees:
                    parts.append({"case_id": case_id, "user_id": uid, "kind": "assignee",
                                  "added_at": ts(created), "case_open": status != "closed"})
                for uid in informed:
                    parts.append({"case_id": case_id, "user_id": uid, "kind": "informed",
                                  "added_at": ts(created), "case_open": status != "closed"})
                if me in assignees:
                    counts["teacher_total"] += 1
                    counts["teacher_open"] += status != "closed"
                timeline = [("created", created, None, "parent", {"channel": "web"}),
                            ("routed", created, None, "system",
                             {"primary_role": role, "assignees": [], "informed": []})]
                if acked:
                    timeline.append(("acknowledged", ack_at, assignees[0], None, {}))
                if closed_at:
                    timeline.append(("closed", closed_at, assignees[0], None, {}))
                for kind, at, actor, label, data in timeline:
                    events.append({"id": event_id, "case_id": case_id, "at": ts(at), "kind": kind,
                                   "actor_id": actor, "actor_label": label, "body": None,
                                   "data": data_json.setdefault((kind, role),
                                                                json.dumps(data))})
                    event_id += 1
            write(Case.__table__, cases)
            write(Report.__table__, reports)
            write(CaseParticipant.__table__, parts)
            write(CaseEvent.__table__, events)
            counts["participants"] += len(parts)
            counts["events"] += len(events)
        if conn.dialect.name == "postgresql":
            # Explicit ids do not move the sequences: move them, or the app's inserts collide.
            for table in ("user", "case", "report", "case_event"):
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"(SELECT max(id) FROM \"{table}\"))"))
    if engine.dialect.name == "postgresql":
        # What autovacuum would have done long before a school reaches 100,000 cases: the
        # statistics, and the visibility map that index-only scans rely on.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            quote = conn.dialect.identifier_preparer.quote
            tables = ", ".join(quote(t.name) for t in (Case.__table__, Report.__table__,
                                                       CaseParticipant.__table__,
                                                       CaseEvent.__table__, User.__table__))
            conn.execute(sa.text(f"VACUUM ANALYZE {tables}"))
            conn.execute(sa.text("ANALYZE"))
    return SeedStats(cases=n, reports=n, participants=counts["participants"],
                     events=counts["events"], seconds=time.perf_counter() - started,
                     teacher_total=counts["teacher_total"],
                     teacher_open=counts["teacher_open"])

"""A known set of cases for the insight figures (issue 14), walked the way staff walk them.

Period under test: September and October 2030 (school time). Every figure the tests expect
is worked out by hand in EXPECTED below, from the story of each case.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tracker.cases import service as cases
from tracker.cases import work as case_work
from tracker.escalation.tick import run_tick
from tracker.models import Case, ReporterType, User
from tracker.reporting import receipts
from tracker.reporting.service import ReportInput, submit_report

AMS = ZoneInfo("Europe/Amsterdam")
FROM, TO = "2030-09-01", "2030-10-31"
NOW = datetime(2030, 11, 15, 12, tzinfo=AMS)


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def person(session, local: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{local}@demo.meldpunt.test"))


def _report(app, session, at: datetime, key: str, *, category: str, channel: str = "web",
            reporter: ReporterType = ReporterType.PARENT, group: int | None = 5,
            location: str | None = None, code: str | None = "text", actor: User | None = None,
            **extra) -> Case:
    with app.test_request_context("/"):
        case = submit_report(session, ReportInput(
            submission_key=f"insight-{key}", channel=channel, reporter_type=reporter,
            category=category, group_number=group, location=location,
            description="(beschrijving)", **extra), at, actor=actor).case
        if code:
            receipts.issue_code(session, case, receipts.receipt_key(app.config["SECRET_KEY"]),
                                f"insight-{key}", code)
    session.flush()
    return case


def seed(app, session, *, tick: bool = True) -> dict[str, Case]:
    """Write the known cases; return them by name (`tick=False`: without the tick, so C is
    not escalated; for a shared database whose other tests the tick would touch)."""
    t5, ib, directie = (person(session, n) for n in ("leerkracht5", "ib", "directie"))
    url = "http://meldpunt.test/volgen/"
    c = {}
    # A: bullying by a parent, taken on after 2 h, answered after 4 h, resolved, "gestopt",
    # closed after 48 h.
    a = c["a"] = _report(app, session, ams(2030, 9, 2, 10), "a", category="bullying",
                         location="school")
    cases.acknowledge(session, a, t5, ams(2030, 9, 2, 12), a.version)
    cases.message_reporter(session, a, t5, ams(2030, 9, 2, 14), a.version, "We pakken het op.",
                           follow_up_url=url)
    cases.resolve(session, a, t5, ams(2030, 9, 3, 10), a.version, "Gesprek gevoerd.")
    cases.record_check(session, a, t5, ams(2030, 9, 4, 9), a.version, "stopped")
    cases.close(session, a, t5, ams(2030, 9, 4, 10), a.version)
    # B: bullying by a child at the kiosk (picture code), taken on after 6 h, answered after
    # 30 h, resolved; the check (after the tick below) says it did not stop: open again.
    b = c["b"] = _report(app, session, ams(2030, 9, 3, 9), "b", category="bullying",
                         channel="kiosk", reporter=ReporterType.CHILD, location="online",
                         code="picture")
    cases.acknowledge(session, b, t5, ams(2030, 9, 3, 15), b.version)
    cases.message_reporter(session, b, t5, ams(2030, 9, 4, 15), b.version, "Dank je.",
                           follow_up_url=url)
    cases.resolve(session, b, t5, ams(2030, 9, 5, 9), b.version, "Afspraken gemaakt.")
    # C: threat by a member of staff, no groep, no code: nobody takes it on; the tick
    # escalates it; taken on late, after 72 h.
    cc = c["c"] = _report(app, session, ams(2030, 9, 9, 10), "c", category="threat_violence",
                          channel="staff", reporter=ReporterType.STAFF, group=None, code=None,
                          actor=t5)
    # D: worry about home (meldcode), parent, groep 3: taken on after 1 h, steps 1 and 2,
    # referred to Veilig Thuis; never answered.
    d = c["d"] = _report(app, session, ams(2030, 9, 10, 9), "d", category="home_concern",
                         group=3)
    cases.acknowledge(session, d, ib, ams(2030, 9, 10, 10), d.version)
    case_work.record_meldcode_step(session, d, ib, ams(2030, 9, 11, 9), d.version, 1, "In kaart")
    case_work.record_meldcode_step(session, d, ib, ams(2030, 9, 12, 9), d.version, 2, "Advies")
    cases.refer(session, d, ib, ams(2030, 9, 13, 9), d.version, to="veilig_thuis",
                on=ams(2030, 9, 13, 9).date())
    # E: danger at home (legal route), parent, e-mail only: taken on after 3 h.
    e = c["e"] = _report(app, session, ams(2030, 10, 1, 0, 30), "e", category="home_concern",
                         code=None, danger=True, reporter_email="ouder@example.org")
    cases.acknowledge(session, e, ib, ams(2030, 10, 1, 3, 30), e.version)
    # F: other, parent, groep 5, never taken on, deadline passed by NOW.
    c["f"] = _report(app, session, ams(2030, 10, 14, 11), "f", category="other")
    # S: sealed (confidential): only in the CLI's total, nowhere else.
    c["s"] = _report(app, session, ams(2030, 9, 20, 11), "s", category="bullying",
                     confidential=True)
    # Outside the period by minutes (school time): 31 August 23:30 and 1 November 00:10.
    c["out1"] = _report(app, session, ams(2030, 8, 31, 23, 30), "out1", category="bullying")
    c["out2"] = _report(app, session, ams(2030, 11, 1, 0, 10), "out2", category="bullying")
    # A year before: two in the same period of 2029.
    c["y1"] = _report(app, session, ams(2029, 9, 10, 10), "y1", category="bullying")
    c["y2"] = _report(app, session, ams(2029, 10, 10, 10), "y2", category="other")
    session.flush()
    # The tick on Thursday 12 September escalates every case still waiting (C, and the
    # outside ones, which do not count); then C is taken on, 72 h after it came in.
    if tick:
        run_tick(session, ams(2030, 9, 12, 9, 30), send_mail=False)
    cases.acknowledge(session, cc, directie, ams(2030, 9, 12, 10), cc.version)
    cases.record_check(session, b, t5, ams(2030, 9, 13, 9), b.version, "not_stopped")
    session.flush()
    return c


# The figures for September + October 2030, worked out by hand from the stories above.
# Ordinary cases in the period: A B C D E F (S is sealed, out1/out2 fall outside).
EXPECTED_STATS = {
    "from": FROM,
    "to": TO,
    "reports": 7,  # A B C D E F and the sealed S
    "by_category": {"bullying": 2, "threat_violence": 1, "home_concern": 2, "other": 1},
    # Judged: A B C D E (acknowledged) and F (deadline passed by NOW): A B D E in time.
    "acknowledged_in_time": 4 / 6,
    # Hours to acknowledge: A 2, B 6, C 72, D 1, E 3 -> sorted 1 2 3 6 72, median 3.
    "median_hours_to_acknowledge": 3.0,
    "escalated": 1,  # C
    # Reachable (code or e-mail): A B D E F; heard back: A B.
    "reporter_heard_back": 2 / 5,
}

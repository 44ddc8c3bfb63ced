"""Repetition signals reach the anti-pestcoördinator: once per pattern, by mail, on the queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from test_case_pupils import REGISTER, as_, link

from tests.test_cases_workflow import new_case
from tracker.admin.service import set_setting
from tracker.core.db import utcnow
from tracker.core.settings import repetition_thresholds
from tracker.domain.calendar import TZ
from tracker.escalation.outbox import send_due
from tracker.models import Case, CaseEvent, Pupil, RepetitionSignal, ReporterType, User
from tracker.pupils import case_links as case_pupils
from tracker.pupils import importing as pupil_import
from tracker.reporting.service import ReportInput, submit_report

NOW = datetime(2026, 9, 14, 9, tzinfo=TZ)


def test_a_child_affected_again_reaches_the_coordinator_by_mail(app, session, smtp_server):
    smtp_server.configure(app)
    pupil_import.apply(session, None, NOW, REGISTER.encode(), mark_left=False)
    first, second = new_case(session, "rep-1"), new_case(session, "rep-2", "cyberbullying")
    session.commit()
    sanne = session.scalar(sa.select(Pupil.id).where(Pupil.number.is_not(None))
                           .order_by(Pupil.id))
    teacher = as_(app, "leerkracht5")
    link(teacher, first, "sanne", sanne, "affected")
    assert session.scalars(sa.select(RepetitionSignal)).all() == []
    link(teacher, second, "sanne", sanne, "affected")
    signal = session.scalars(sa.select(RepetitionSignal)).one()
    assert signal.kind == "repeat_affected" and signal.case_ids == [first, second]
    assert signal.case_id == second  # the event sits on the newest case
    assert session.scalar(sa.select(CaseEvent.kind).where(
        CaseEvent.case_id == second, CaseEvent.kind == "repetition_signal"))

    with app.app_context():
        send_due(session, utcnow() + timedelta(days=3))  # past any quiet hours
        session.commit()
    mails = [m for m in smtp_server.messages if "herhaling" in m["Subject"]]
    assert [m["X-Envelope-To"] for m in mails] == ["antipest@demo.meldpunt.test"]
    text = mails[0].get_body(("plain",)).get_content()
    assert "Sanne" not in text and "Vries" not in text and "geduwd" not in text
    assert f"/cases/{second}" in text

    # The queue page lists it; a third link of the same pattern tells nobody again.
    queue = as_(app, "antipest").get("/cases/").get_data(as_text=True)
    assert "Herhalingen" in queue and f"#{first}" in queue
    third = new_case(session, "rep-3")
    session.commit()
    link(teacher, third, "sanne", sanne, "affected")
    assert session.scalar(sa.select(sa.func.count()).select_from(RepetitionSignal)) == 1


def test_three_reports_from_one_place_within_a_month_are_signalled_once(session):
    def report(key: str, days: int):
        return submit_report(session, ReportInput(
            submission_key=key, channel="web", reporter_type=ReporterType.CHILD,
            category="bullying", description="x", location="online"),
            NOW + timedelta(days=days)).case

    cases = [report(f"place-{n}", n * 5) for n in range(4)]
    signals = session.scalars(sa.select(RepetitionSignal)).all()
    assert [(s.kind, s.case_ids) for s in signals] == [
        ("place", [cases[0].id, cases[1].id, cases[2].id])]


@pytest.mark.parametrize(("stored", "thresholds"), [
    (None, (20, 3)), ({"school_days": 5, "place_count": 4}, (5, 4)),
    ({"school_days": 0, "place_count": 1}, (20, 3)), ({"school_days": "x"}, (20, 3)),
])
def test_the_thresholds_are_settings_with_safe_defaults(session, stored, thresholds):
    if stored is not None:
        set_setting(session, None, NOW, "repetition", stored)
    assert repetition_thresholds(session) == thresholds


def test_a_shorter_threshold_keeps_two_cases_a_month_apart_quiet(app, session):
    set_setting(session, None, NOW, "repetition", {"school_days": 5, "place_count": 3})
    pupil_import.apply(session, None, NOW, REGISTER.encode(), mark_left=False)
    first = new_case(session, "rep-s1")
    later = submit_report(session, ReportInput(
        submission_key="rep-s2", channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="x", group_number=5), NOW + timedelta(days=14)).case
    sanne = session.scalar(sa.select(Pupil.id).order_by(Pupil.id))
    antipest = session.scalar(sa.select(User).where(User.email == "antipest@demo.meldpunt.test"))
    for case_id in (first, later.id):
        case_pupils.link(session, session.get(Case, case_id), antipest, NOW, sanne, "affected")
    assert session.scalars(sa.select(RepetitionSignal)).all() == []

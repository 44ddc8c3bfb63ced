"""The routing adapter: the school from the database, rules from rows, decisions on cases."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from tracker.domain.calendar import TZ
from tracker.domain.rules import DEFAULT_RULES
from tracker.models import (
    Case,
    CaseEvent,
    CaseParticipant,
    ClosedDay,
    ParticipantKind,
    ReporterType,
    RoutingRule,
    User,
)
from tracker.reporting.routing import load_rules, load_setup
from tracker.reporting.service import ReportInput, submit_report

MONDAY = datetime(2026, 9, 14, 10, tzinfo=TZ)


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def report(session, key: str, category: str = "bullying", *, at: datetime = MONDAY,
           reporter=ReporterType.PARENT, **kw):
    data = ReportInput(submission_key=key, channel="web", reporter_type=reporter,
                       category=category, description="Er gebeurde iets.", **kw)
    return submit_report(session, data, at).case


def people(session, case: Case) -> dict[str, set[str]]:
    rows = session.execute(sa.select(CaseParticipant.kind, User.email).join(User)
                           .where(CaseParticipant.case_id == case.id)).all()
    out: dict[str, set[str]] = {}
    for kind, email in rows:
        out.setdefault(str(kind), set()).add(email.split("@")[0])
    return out


def test_seeded_rules_are_the_design_defaults(session):
    assert load_rules(session) == list(DEFAULT_RULES)


def test_setup_maps_workdays_groups_and_roles(session):
    setup = load_setup(session)
    by_mail = {s.email.split("@")[0]: s for s in setup.staff}
    assert by_mail["leerkracht7a"].workdays == frozenset({0, 1})  # "12" = Mon, Tue
    assert by_mail["leerkracht7b"].workdays == frozenset({2})
    assert by_mail["directie"].roles == frozenset({"directie", "admin"})
    assert setup.groups[7] == (by_mail["leerkracht7a"].id, by_mail["leerkracht7b"].id)


def test_decision_is_stored_on_the_case(session):
    case = report(session, "svc-1", group_number=5)
    assert (case.primary_role, case.route, case.rule_id) == ("leerkracht", "rule", 1)
    assert case.ack_due == datetime(2026, 9, 15, 17, tzinfo=TZ)
    assert case.resolve_due == datetime(2026, 9, 28, 17, tzinfo=TZ)
    assert case.escalation_chain == ["ib", "directie", "bestuur"]
    assert (case.urgent, case.confidential, case.legal_due) == (False, False, None)
    assert case.reason.startswith("Doorgestuurd naar de leerkracht van groep 5")
    assert people(session, case) == {"assignee": {"leerkracht5"}, "informed": {"antipest"}}


def test_legal_route_notes_are_kept_on_the_timeline(session):
    case = report(session, "svc-2", "home_concern", group_number=5, danger=True)
    assert (case.route, case.urgent, case.primary_role) == ("legal_danger", True, "ib")
    routed = session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.kind == "routed"))
    assert any("0800-2000" in n for n in routed.data["notes"])
    assert routed.data["route"] == "legal_danger"


def test_the_subject_is_never_a_participant(session):
    subject = user(session, "leerkracht5")
    case = report(session, "svc-3", group_number=5, about_kind="staff",
                  about_user_id=subject.id)
    assert case.about_user_id == subject.id
    assert people(session, case) == {"assignee": {"ib"}, "informed": {"antipest"}}


def test_confidential_case_reaches_the_vp_only(session):
    case = report(session, "svc-4", group_number=5, confidential=True)
    assert case.confidential is True
    assert people(session, case) == {"assignee": {"vp"}}


def test_rules_come_from_the_database(session):
    session.execute(sa.update(RoutingRule).where(RoutingRule.id == 1).values(enabled=False))
    session.add(RoutingRule(priority=5, category="bullying", reporter_types="staff,parent",
                            primary_role="anti_pest", informed_roles="", ack="2d",
                            resolve="10d", chain="directie"))
    session.flush()
    case = report(session, "svc-5", group_number=5)
    assert case.primary_role == "anti_pest" and case.rule_id not in (None, 1)
    # a child's report matches neither the disabled rule nor the staff/parent one
    case = report(session, "svc-6", group_number=5, reporter=ReporterType.CHILD)
    assert (case.route, case.primary_role) == ("fallback", "ib")


def test_closed_days_move_deadlines(session):
    session.add(ClosedDay(day=date(2026, 9, 15), kind="study_day", name="Studiedag"))
    session.flush()
    case = report(session, "svc-7", group_number=5)
    assert case.ack_due == datetime(2026, 9, 16, 17, tzinfo=TZ)


def test_inactive_staff_get_nothing(session):
    user(session, "leerkracht5").active = False
    session.flush()
    case = report(session, "svc-8", group_number=5)
    assert case.primary_role == "ib"
    assert ParticipantKind.ASSIGNEE.value in people(session, case)
    assert "leerkracht5" not in str(people(session, case))

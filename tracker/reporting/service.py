"""Submitting a report: save it, open a case, route it, record the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core import school
from tracker.core.timeline import add_event
from tracker.domain.events import EventKind
from tracker.escalation import notify
from tracker.models import (
    Case,
    CaseParticipant,
    Group,
    ParticipantKind,
    Report,
    ReporterType,
    User,
)
from tracker.pupils import repetition
from tracker.reporting import routing


@dataclass(frozen=True)
class ReportInput:
    """What a reporter told us, already validated by a form."""

    submission_key: str
    channel: str
    reporter_type: ReporterType
    category: str
    description: str = ""
    group_number: int | None = None
    location: str | None = None
    about_kind: str | None = None
    about_user_id: int | None = None
    about_text: str | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    danger: bool = False
    wants_talk: bool = False
    sexual: bool = False
    confidential: bool = False
    language: str = "nl"


@dataclass(frozen=True)
class Submitted:
    report: Report
    case: Case
    duplicate: bool


def find_submission(session: orm.Session, submission_key: str) -> Report | None:
    """Return the report already saved under this form key, if any."""
    return session.scalar(sa.select(Report).where(Report.submission_key == submission_key))


def submit_report(session: orm.Session, data: ReportInput, now: datetime, *,
                  actor: User | None = None, kiosk_device_id: int | None = None) -> Submitted:
    """Save a report as a new case, routed to the right people; idempotent per form key."""
    existing = find_submission(session, data.submission_key)
    if existing is not None:
        return Submitted(existing, existing.case, duplicate=True)
    group_id = None
    if data.group_number is not None:
        group_id = (session.scalar(sa.select(Group.id).where(Group.number == data.group_number))
                    if school.changed_here(session)
                    else school.current(session).group_id(data.group_number))
    decision = routing.decide(session, data, None, now)
    case = Case(
        created_at=now, category=data.category, group_id=group_id,
        about_user_id=data.about_user_id, urgent=decision.urgent,
        confidential=decision.confidential, primary_role=decision.primary_role,
        route=decision.route, reason=decision.reason, rule_id=decision.rule_id,
        escalation_chain=list(decision.escalation_chain), ack_due=decision.ack_due,
        resolve_due=decision.resolve_due, legal_due=decision.legal_due,
        reporter_email=data.reporter_email, reporter_language=data.language,
    )
    session.add(case)
    session.flush()
    report = Report(
        case_id=case.id, created_at=now, submission_key=data.submission_key,
        channel=data.channel, reporter_type=data.reporter_type, category=data.category,
        location=data.location, group_id=case.group_id, about_kind=data.about_kind,
        about_user_id=data.about_user_id, description=data.description,
        about_text=data.about_text, reporter_name=data.reporter_name,
        reporter_email=data.reporter_email, reporter_phone=data.reporter_phone,
        danger=data.danger, wants_talk=data.wants_talk, sexual=data.sexual,
        confidential=data.confidential, language=data.language,
        submitted_by_id=actor.id if actor else None, kiosk_device_id=kiosk_device_id,
    )
    session.add(report)
    for user_id in decision.assignee_ids:
        session.add(CaseParticipant(case_id=case.id, user_id=user_id,
                                    kind=ParticipantKind.ASSIGNEE, added_at=now))
    for user_id in decision.informed_ids:
        if user_id not in decision.assignee_ids:
            session.add(CaseParticipant(case_id=case.id, user_id=user_id,
                                        kind=ParticipantKind.INFORMED, added_at=now))
    reporter_label = None if actor else data.reporter_type.value
    add_event(session, case, EventKind.CREATED, now, actor=actor, actor_label=reporter_label,
              channel=data.channel)
    add_event(session, case, EventKind.ROUTED, now, actor_label="system", reason=decision.reason,
              primary_role=decision.primary_role, assignees=list(decision.assignees),
              informed=list(decision.informed), route=decision.route,
              notes=list(decision.notes))
    session.flush()
    notify.case_created(session, case, now)
    repetition.after_report(session, case, data.location, now)
    return Submitted(report, case, duplicate=False)

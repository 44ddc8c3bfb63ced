"""Typed SQLAlchemy models. No Flask import: the CLI, Alembic and the worker share them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.crypto import EncryptedBytes, EncryptedJSON, EncryptedString, EncryptedText
from tracker.core.db import Base, UTCDateTime, utcnow
from tracker.domain.lifecycle import next_tick_moment
from tracker.domain.roles import Role
from tracker.domain.states import CaseState


class ReporterType(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    STAFF = "staff"


# The case's life is a domain rule (tracker.domain.states); the column stores its states.
CaseStatus = CaseState


class ParticipantKind(StrEnum):
    ASSIGNEE = "assignee"
    INFORMED = "informed"
    ESCALATED = "escalated"


def _str_enum(enum: type[StrEnum], name: str) -> sa.Enum:
    # Stored as plain strings with a CHECK: portable, and new members need no type migration.
    return sa.Enum(enum, name=name, native_enum=False, create_constraint=True, length=20,
                   values_callable=lambda e: [m.value for m in e])


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # ISO weekdays the person works, e.g. "12345" for Monday to Friday.
    workdays: Mapped[str] = mapped_column(sa.String(7), default="12345")
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    # Set once the person proved the authenticator works; until then the secret is pending.
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    recovery_codes: Mapped[list[str] | None] = mapped_column(sa.JSON)  # hashes, one-time
    # Bumped on logout-everywhere and password change; stored in the session to end old ones.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_keys(self) -> frozenset[str]:
        return frozenset(r.role.value for r in self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_keys.intersection(roles))

    @property
    def workday_numbers(self) -> frozenset[int]:
        return frozenset(int(c) for c in self.workdays)


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[Role] = mapped_column(_str_enum(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class Group(Base):
    __tablename__ = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Groep 1-8; extra groups (a combination class) have their own number, e.g. 78.
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    active: Mapped[bool] = mapped_column(default=True)

    teachers: Mapped[list[User]] = relationship(secondary="group_teacher",
                                                order_by="User.name")


group_teacher = sa.Table(
    "group_teacher",
    Base.metadata,
    sa.Column("group_id", sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class ClosedDay(Base):
    """A weekday without school: holiday, public holiday or study day."""

    __tablename__ = "closed_day"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # holiday | public_holiday | study_day
    name: Mapped[str] = mapped_column(sa.String(80))


class RoutingRule(Base):
    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[int] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(sa.String(30))
    reporter_types: Mapped[str] = mapped_column(sa.String(40), default="")  # "" = anyone
    primary_role: Mapped[str] = mapped_column(sa.String(20))
    informed_roles: Mapped[str] = mapped_column(sa.String(120), default="")
    ack: Mapped[str] = mapped_column(sa.String(20))
    resolve: Mapped[str] = mapped_column(sa.String(20), default="")
    chain: Mapped[str] = mapped_column(sa.String(120), default="")
    urgent: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KioskDevice(Base):
    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    enrol_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    enrol_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the signed cookie; regenerated on each enrolment so old cookies die.
    device_secret: Mapped[str | None] = mapped_column(sa.String(64))
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


OPEN_INDEX_INCLUDES = ("status", "confidential", "about_user_id", "ack_due", "resolve_due",
                       "category", "primary_role", "group_id", "urgent", "reporter_news_at")


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_status_ack_due", "status", "ack_due"),
        # Queues list open cases; closed ones pile up over the years (bench: 63 -> 22 ms on PG).
        # On PostgreSQL it carries what a queue line shows, so counting and ordering a
        # person's open cases never visits the table (index-only; bench: 6 -> 2 ms).
        sa.Index("ix_case_open", "id", postgresql_where=sa.text("status <> 'closed'"),
                 sqlite_where=sa.text("status <> 'closed'"),
                 postgresql_include=list(OPEN_INDEX_INCLUDES)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    status: Mapped[CaseStatus] = mapped_column(_str_enum(CaseStatus, "case_status"),
                                               default=CaseStatus.NEW)
    category: Mapped[str] = mapped_column(sa.String(30))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"))
    about_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    urgent: Mapped[bool] = mapped_column(default=False)
    confidential: Mapped[bool] = mapped_column(default=False, index=True)
    primary_role: Mapped[str] = mapped_column(sa.String(20))
    route: Mapped[str] = mapped_column(sa.String(30), default="rule")
    reason: Mapped[str] = mapped_column(sa.Text)
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("routing_rule.id"))
    escalation_chain: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    escalation_level: Mapped[int] = mapped_column(default=0)
    ack_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    legal_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    followup_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    followup_result: Mapped[str | None] = mapped_column(sa.String(20))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Receipt codes are kept only as keyed hashes (docs/DESIGN.md §8).
    receipt_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    receipt_kind: Mapped[str | None] = mapped_column(sa.String(10))  # text | picture
    # When the reporter first came back with the code (/volgen or the kiosk): the overview's
    # "codes used again" (issue 14). Written without a version bump (receipts.mark_used).
    receipt_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reporter_email: Mapped[str | None] = mapped_column(EncryptedText)  # encrypted at rest
    reporter_language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    # When the oldest message from the reporter that nobody has read since arrived; cleared
    # when someone opens the case (issue 12.1). Queues mark and sort by it, the digest lists it.
    reporter_news_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Tick bookkeeping (issue 5). tick_due = the next moment the tick must look at this case,
    # kept in step by the listeners below, so a tick with nothing due reads one index range.
    tick_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    escalation_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    legal_notices: Mapped[int] = mapped_column(default=0)  # 1 = "nearing" sent, 2 = "passed" sent
    followup_announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when retention erased the case's personal data; the row stays as a tombstone for
    # the figures (tracker/retention/service.py).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    reports: Mapped[list[Report]] = relationship(back_populates="case", order_by="Report.id")
    group: Mapped[Group | None] = relationship(lazy="joined")
    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


@sa.event.listens_for(Case, "before_insert")
def _case_before_insert(_mapper, _conn, case: Case) -> None:
    if case.escalation_due is None and not case.escalation_level and case.escalation_chain:
        case.escalation_due = case.ack_due
    case.tick_due = next_tick_moment(case)


@sa.event.listens_for(Case, "before_update")
def _case_before_update(_mapper, _conn, case: Case) -> None:
    changed = lambda name: orm.attributes.get_history(case, name).has_changes()  # noqa: E731
    # A moved deadline (reopened, reassigned, extended) restarts its clock and reminders.
    if changed("ack_due"):
        case.escalation_due = case.ack_due
    if changed("resolve_due"):
        case.resolve_reminded_at = None
    if changed("legal_due"):
        case.legal_notices = 0
    if changed("followup_due"):
        case.followup_announced_at = None
    case.tick_due = next_tick_moment(case)


@sa.event.listens_for(Case, "after_update")
def _case_after_update(_mapper, conn: sa.Connection, case: Case) -> None:
    # Keep CaseParticipant.case_open in step: queues read open work through it.
    history = orm.attributes.get_history(case, "status")
    if history.has_changes():
        conn.execute(sa.update(CaseParticipant.__table__)
                     .where(CaseParticipant.__table__.c.case_id == case.id)
                     .values(case_open=case.status != CaseStatus.CLOSED))


class Report(Base):
    """What a reporter submitted; immutable once saved."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The form's one-time key: a second click on submit finds the first report.
    submission_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))  # kiosk | web | staff
    reporter_type: Mapped[ReporterType] = mapped_column(_str_enum(ReporterType, "reporter_type"))
    category: Mapped[str] = mapped_column(sa.String(30))
    location: Mapped[str | None] = mapped_column(sa.String(20))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"))
    about_kind: Mapped[str | None] = mapped_column(sa.String(10))  # child | staff | other
    about_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Free text and identity: encrypted at rest for every report (tracker/core/crypto.py).
    description: Mapped[str] = mapped_column(EncryptedText, default="")
    about_text: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_name: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_email: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_phone: Mapped[str | None] = mapped_column(EncryptedText)
    encrypted: Mapped[bool] = mapped_column(default=False)
    danger: Mapped[bool] = mapped_column(default=False)
    wants_talk: Mapped[bool] = mapped_column(default=False)
    sexual: Mapped[bool] = mapped_column(default=False)
    confidential: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    kiosk_device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk_device.id"))

    case: Mapped[Case] = relationship(back_populates="reports")
    group: Mapped[Group | None] = relationship(lazy="joined")


class CaseParticipant(Base):
    """Who a case reaches: assignees, informed people and those reached by escalation."""

    __tablename__ = "case_participant"
    __table_args__ = (
        sa.Index("ix_case_participant_user_kind", "user_id", "kind", "case_id"),
        # A person's open work without touching their closed history (bench: the queue read
        # every one of leerkracht5's 4,243 cases to find the 439 open ones).
        sa.Index("ix_case_participant_open", "user_id", "case_open", "case_id"),
    )

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    kind: Mapped[ParticipantKind] = mapped_column(_str_enum(ParticipantKind, "participant_kind"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A copy of "the case is not closed", kept by the Case listener above. A stale True only
    # costs a look at the case row (queries still check the status). A stale False would hide
    # open work from a queue: change Case.status through the ORM (a Core UPDATE of "case"
    # skips the listener) or set this column in the same statement.
    case_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    case: Mapped[Case] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(lazy="joined")


class CaseEvent(Base):
    """One append-only line of a case's timeline."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Who acted when no user did: "reporter", "system".
    actor_label: Mapped[str | None] = mapped_column(sa.String(40))
    body: Mapped[str | None] = mapped_column(EncryptedText)  # encrypted at rest
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # A reporter's reply carries its form's one-time key: a second click finds the first.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), index=True, unique=True)

    actor: Mapped[User | None] = relationship(lazy="joined")


class CaseAction(Base):
    """A small task on a case with an owner and a due date."""

    __tablename__ = "case_action"
    __table_args__ = (sa.Index("ix_case_action_open_due", "done_at", "reminded_at", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    due: Mapped[date] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")


class CaseLink(Base):
    __tablename__ = "case_link"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    other_case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                               primary_key=True)


class MeldcodeStep(Base):
    __tablename__ = "meldcode_step"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    step: Mapped[int] = mapped_column(primary_key=True)
    finding: Mapped[str] = mapped_column(EncryptedText)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User] = relationship(lazy="joined")


class AccessLog(Base):
    """Every read of a case: who, when, which case. Never edited by the app."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    via: Mapped[str] = mapped_column(sa.String(30), default="case_page")

    user: Mapped[User] = relationship(lazy="joined")


class OutboxMail(Base):
    """A mail written in the same transaction as its cause; sent later by the tick."""

    __tablename__ = "outbox_mail"
    __table_args__ = (sa.Index("ix_outbox_mail_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable id (also the Message-ID): a retry after a crash never mails twice.
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Encrypted at rest: for a parent this is the reporter's own (possibly confidential) address.
    to: Mapped[str] = mapped_column(EncryptedText)
    recipient_kind: Mapped[str] = mapped_column(sa.String(10))  # staff | parent
    template: Mapped[str] = mapped_column(sa.String(40))
    # Encrypted at rest: the context holds receipt codes, one-time links and names of people.
    context: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    urgent: Mapped[bool] = mapped_column(default=False)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # pending|sent|dead
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdminAudit(Base):
    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    target: Mapped[str] = mapped_column(sa.String(120))
    # Encrypted at rest: a staff snapshot holds names and e-mail addresses (migration 0023).
    before: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class RoleGrant(Base):
    """A proposal to give someone a sealed or legal role (issue 11.3).

    It grants nothing until a second person confirms it (tracker.domain.grants); the decision
    is kept, so the log shows who proposed and who confirmed or declined.
    """

    __tablename__ = "role_grant"
    __table_args__ = (sa.Index("ix_role_grant_status_user_id", "status", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    role: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")  # |confirmed|declined
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id],
                                                    lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)


class SetupVersion(Base):
    """One row (id 1), bumped in the transaction of every change to the school's setup:
    rules, calendar, settings, staff, their roles and days, groups (tracker/core/school.py)."""

    __tablename__ = "setup_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)


class UserToken(Base):
    """One-time tokens for invitations and password resets (hashed)."""

    __tablename__ = "user_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(sa.String(20))  # invite | reset | setup
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TickRun(Base):
    """Marks that a periodic job ran for a moment (digest per day), so it runs once."""

    __tablename__ = "tick_run"

    job: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def role_members(session: orm.Session, role: str) -> list[User]:
    """Return the active users holding a role."""
    stmt = (sa.select(User).join(UserRole)
            .where(UserRole.role == role, User.active.is_(True)).order_by(User.id))
    return list(session.scalars(stmt))


class RetentionRule(Base):
    """The school's own retention period for a rule key (a category, confidential, legal route).

    A key without a row uses its default (tracker.domain.retention.default_rules).
    """

    __tablename__ = "retention_rule"

    key: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    days: Mapped[int]
    source: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class LegalHold(Base):
    """A legal hold: the case is kept, whatever its retention clock says (issue 16)."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)
    reason: Mapped[str] = mapped_column(EncryptedText)
    set_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id], lazy="joined")


class DeletionBatch(Base):
    """A due list: proposed by the tick, approved (and then erased) by the FG."""

    __tablename__ = "deletion_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    case_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    counts: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")  # |approved|superseded
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SubjectRequest(Base):
    """A person's request under AVG art. 15-17 (access, correction, erasure) and its outcome."""

    __tablename__ = "subject_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(12))  # access | correction | erasure
    subject: Mapped[str] = mapped_column(EncryptedText)  # who asked / who it is about
    case_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    text: Mapped[str | None] = mapped_column(EncryptedText)
    outcome: Mapped[str | None] = mapped_column(sa.String(12))  # granted | partly | refused
    reason: Mapped[str | None] = mapped_column(EncryptedText)

    by: Mapped[User] = relationship(lazy="joined")


class Pupil(Base):
    """A child of the school, from the administration's export (issue 15).

    Name and pupil number are encrypted at rest: matching and searching happen in Python,
    over the few hundred pupils of a school or of a teacher's groups.
    """

    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(EncryptedText)  # roepnaam
    last_name: Mapped[str] = mapped_column(EncryptedText)  # tussenvoegsel + achternaam
    number: Mapped[str | None] = mapped_column(EncryptedText)  # leerlingnummer
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"), index=True)
    # The day a full import no longer listed the pupil; the retention clock runs from here.
    left_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group | None] = relationship(lazy="joined")

    @property
    def name(self) -> str:
        return " ".join(f"{self.first_name} {self.last_name}".split())


class CasePupil(Base):
    """A child linked to a case: affected, involved or reported as causing it."""

    __tablename__ = "case_pupil"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupil.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    role: Mapped[str] = mapped_column(sa.String(12))  # tracker.domain.pupils.LinkRole
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    pupil: Mapped[Pupil] = relationship(lazy="joined")


class RepetitionSignal(Base):
    """A repeating pattern the anti-pestcoördinator was told about, once per pattern."""

    __tablename__ = "repetition_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # repeat_affected | repeat_pair | place
    # What makes the pattern one: e.g. "pair:3:7"; ids and codes only, never names.
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)  # the newest case of the pattern
    case_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evidence(Base):
    """A file sent with a report, a reply or by staff (issue 17), stored encrypted.

    An image is the clean copy re-encoded from what was sent; a PDF is kept as sent. Of the
    original only its SHA-256 and size stay (chain of custody), never its bytes.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"),
                                         index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Who sent it when no user did: the reporter ("parent", "child").
    added_by_label: Mapped[str | None] = mapped_column(sa.String(20))
    source: Mapped[str] = mapped_column(sa.String(10))  # report | reply | staff
    kind: Mapped[str] = mapped_column(sa.String(10))  # tracker.domain.evidence.Kind
    width: Mapped[int | None]
    height: Mapped[int | None]
    size: Mapped[int]  # of the stored copy
    sha256: Mapped[str] = mapped_column(sa.String(64))  # of the stored copy
    original_size: Mapped[int]
    original_sha256: Mapped[str] = mapped_column(sa.String(64))
    # Deferred: a case page lists its files without reading megabytes of ciphertext.
    content: Mapped[bytes] = mapped_column(EncryptedBytes, deferred=True)

    added_by: Mapped[User | None] = relationship(lazy="joined")

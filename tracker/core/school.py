"""The school's setup, read once per process and kept until it changes.

Every page shows the school's name, every report is routed by the rules, the staff, their
roles and days, and the calendar, and every form offers the groups and staff. Reading those
tables on each request cost a dozen statements a submission. Instead each process keeps one
`School` snapshot per database and checks, once per transaction (so once a request), the
single-row `setup_version` table: one cheap SELECT. Any change to the watched tables bumps that
row in the same transaction, from the session events below, so no write path can forget it,
and every worker on every host sees the change on its next request.

A session that changed the setup itself reads the tables directly (its own uncommitted
changes must count, and a snapshot of them must never be kept: the transaction may roll back).
"""

from __future__ import annotations

import copy
import logging
import threading
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import orm

from tracker.models import (
    ClosedDay,
    Group,
    RoutingRule,
    Setting,
    SetupVersion,
    User,
    UserRole,
    group_teacher,
)

log = logging.getLogger(__name__)

# A change to these rows changes the setup; of a user, only what routing and forms read.
WATCHED = (RoutingRule, ClosedDay, Setting, Group, UserRole)
WATCHED_TABLES = frozenset(m.__table__.name for m in (*WATCHED, User)) | {group_teacher.name}
USER_FIELDS = ("email", "name", "active", "workdays")
_VERSION = "tracker.setup_version"  # session.info: the version this transaction saw
_CHANGED = "tracker.setup_changed"  # session.info: this transaction changed the setup
_SNAPSHOT = "tracker.setup_snapshot"  # session.info: the snapshot this transaction uses

_lock = threading.Lock()
# One snapshot per database (engine, or a test's connection), per process.
_snapshots: weakref.WeakKeyDictionary[Any, School] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class School:
    """The setup as one transaction saw it; shared by every request of the process."""

    version: int | None
    settings: dict[str, Any]
    rules: tuple[sa.Row, ...]  # enabled routing rule rows, in priority order
    staff: tuple[sa.Row, ...]  # active users (id, email, name, active, workdays) by name
    roles: dict[int, frozenset[str]]  # user id -> role keys (active users)
    groups: tuple[sa.Row, ...]  # every group (id, number, name, active) by number
    group_teachers: tuple[tuple[int, int], ...]  # (group number, user id), active groups
    closed_days: frozenset[date]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derive(self, key: str, make: Callable[[School], Any]) -> Any:
        """Return make(self), computed once per snapshot (e.g. the routing engine's setup)."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = make(self)
            return value

    def setting(self, key: str, default: Any = None) -> Any:
        value = self.settings.get(key)
        # A copy: callers may change what they get without changing every request's view.
        return default if value is None else copy.deepcopy(value)

    def group_id(self, number: int) -> int | None:
        return next((g.id for g in self.groups if g.number == number), None)


def _load(session: orm.Session, version: int | None) -> School:
    # Uncached (version None) reads may autoflush: this transaction's own changes count.
    with session.no_autoflush if version is not None else _nothing():
        settings = dict(session.execute(sa.select(Setting.key, Setting.value)).all())
        rules = tuple(session.execute(
            sa.select(RoutingRule.__table__).where(RoutingRule.enabled.is_(True))
            .order_by(RoutingRule.priority, RoutingRule.id)).all())
        staff = tuple(session.execute(
            sa.select(User.id, User.email, User.name, User.active, User.workdays)
            .where(User.active.is_(True)).order_by(User.name, User.id)).all())
        roles: dict[int, set[str]] = {}
        for user_id, role in session.execute(
                sa.select(UserRole.user_id, UserRole.role).join(User)
                .where(User.active.is_(True))):
            roles.setdefault(user_id, set()).add(getattr(role, "value", role))
        groups = tuple(session.execute(
            sa.select(Group.id, Group.number, Group.name, Group.active)
            .order_by(Group.number)).all())
        teachers = tuple(session.execute(
            sa.select(Group.number, group_teacher.c.user_id)
            .join(group_teacher, group_teacher.c.group_id == Group.id)
            .join(User, User.id == group_teacher.c.user_id)
            .where(Group.active.is_(True)).order_by(Group.number, User.name, User.id))
            .all())
        closed = frozenset(session.scalars(sa.select(ClosedDay.day)))
    return School(version, {k: v for k, v in settings.items() if v is not None}, rules, staff,
                  {k: frozenset(v) for k, v in roles.items()}, groups, teachers, closed)


@contextmanager
def _nothing():
    yield


def _key(session: orm.Session) -> Any:
    bind = session.bind
    return bind if bind is not None else session.get_bind()


def current(session: orm.Session | None = None) -> School:
    """Return the school's setup: this process's snapshot while the version row agrees."""
    if session is None:
        from tracker.core.db import get_session

        session = get_session()
    if changed_here(session):
        return _load(session, None)
    snapshot = session.info.get(_SNAPSHOT)
    if snapshot is not None:
        return snapshot  # this transaction checked the version already
    version = session.info.get(_VERSION)
    if version is None:
        with session.no_autoflush:
            version = session.scalar(sa.select(SetupVersion.version)
                                     .where(SetupVersion.id == 1))
        session.info[_VERSION] = version
    key = _key(session)
    snapshot = _snapshots.get(key)
    if snapshot is not None and version is not None and snapshot.version == version:
        session.info[_SNAPSHOT] = snapshot
        return snapshot
    snapshot = _load(session, version)
    if version is not None and not changed_here(session):
        with _lock:
            _snapshots[key] = snapshot
        session.info[_SNAPSHOT] = snapshot
    return snapshot


def changed_here(session: orm.Session) -> bool:
    """Whether this session's transaction changed the setup (flushed or still pending)."""
    if session.info.get(_CHANGED):
        return True
    # Most calls come with nothing pending: skip building the sets (a hot path, issue 18).
    if not (session._new or session._deleted or session.identity_map._modified):
        return False
    return any(_touches_setup(obj) for obj in (*session.new, *session.deleted)) or \
        any(_touches_setup(obj, dirty=True) for obj in session.dirty)


def _touches_setup(obj: Any, dirty: bool = False) -> bool:
    if isinstance(obj, WATCHED):
        return not dirty or session_modified(obj)
    if isinstance(obj, User):
        if not dirty:
            return True
        state = sa.inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in USER_FIELDS)
    return False


def session_modified(obj: Any) -> bool:
    return orm.object_session(obj).is_modified(obj) if orm.object_session(obj) else True


def _bump(session: orm.Session) -> None:
    session.info[_CHANGED] = True
    session.info.pop(_VERSION, None)
    session.info.pop(_SNAPSHOT, None)
    session.connection().execute(
        sa.update(SetupVersion).where(SetupVersion.id == 1)
        .values(version=SetupVersion.version + 1))


def _before_flush(session: orm.Session, _context, _instances) -> None:
    if any(_touches_setup(obj) for obj in (*session.new, *session.deleted)) or \
            any(_touches_setup(obj, dirty=True) for obj in session.dirty):
        _bump(session)


def _do_orm_execute(state: orm.ORMExecuteState) -> None:
    # Bulk statements (session.execute(sa.update(User)...), inserts into group_teacher) do not
    # flush objects: catch them by their table.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        _bump(state.session)


def _transaction_ended(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    # A new transaction may see a new version; a committed change invalidates the snapshot.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_VERSION, None)
        session.info.pop(_SNAPSHOT, None)
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def install() -> None:
    """Listen on every session: bump the version row with any change to the setup."""
    if not sa.event.contains(orm.Session, "before_flush", _before_flush):
        sa.event.listen(orm.Session, "before_flush", _before_flush)
        sa.event.listen(orm.Session, "do_orm_execute", _do_orm_execute)
        sa.event.listen(orm.Session, "after_transaction_end", _transaction_ended)


def changed(session: orm.Session) -> None:
    """Kept for callers that mark a change by hand: the session events already bump."""
    session.info[_CHANGED] = True
    session.info.pop(_SNAPSHOT, None)


# --- what every page shows -----------------------------------------------------------------

def page_settings(session: orm.Session | None = None) -> dict[str, Any]:
    """Return the school's settings (key -> value, unset keys absent), as every page shows."""
    try:
        return current(session).settings
    except sa.exc.SQLAlchemyError:
        # E.g. the error page while the database is away: show the configured name.
        log.warning("school settings unavailable; using the configured defaults", exc_info=True)
        return {}


def school_name(session: orm.Session | None = None) -> str:
    """Return the school's name: the admin's setting, else TRACKER_SCHOOL_NAME."""
    name = page_settings(session).get("school_name")
    return name if isinstance(name, str) and name.strip() else \
        current_app.config["TRACKER_SCHOOL_NAME"]


def vp_contact(session: orm.Session | None = None) -> dict[str, str] | None:
    """Return the vertrouwenspersoon's filled-in contact fields, or None when none are."""
    from tracker.core.settings import vp_contact as filled_in

    return filled_in(page_settings(session).get("vp_contact"))


def has_logo(session: orm.Session | None = None) -> bool:
    """Return whether the admin uploaded a school logo (served at /school/logo)."""
    return bool(page_settings(session).get("logo"))


def register(app: Flask) -> None:
    """Give every template school_name(), vp_contact() and has_logo() (lazy: only pages that
    call them read the settings)."""
    install()

    @app.context_processor
    def _school():
        return {"school_name": school_name, "vp_contact": vp_contact, "school_logo": has_logo}


install()

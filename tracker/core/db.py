"""Declarative base, engine and a session per application context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, orm

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(orm.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator):
    """Store aware datetimes as naive UTC; return them aware (SQLite drops offsets)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def make_engine(url: str, **kwargs) -> sa.Engine:
    """Create an engine; SQLite gets foreign keys, WAL and real transactions.

    SQL parameters never appear in errors or logs (`hide_parameters`): they are request
    values, and a value that fails before encryption would be logged in plain text.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 15})
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: sa.Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; take it over (SQLAlchemy docs recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    # A deferred SQLite transaction that reads and then writes fails at once ("database is
    # locked") when another process committed in between; busy_timeout cannot help. Take the
    # write lock up front for requests that change things and for commands (tick, worker).
    # WAL readers are never blocked by it.
    return not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to the app."""
    url = app.config["DATABASE_URL"]
    # A server connection can drop between requests; a file cannot (the ping costs a
    # round trip on every checkout, twice on a case page).
    engine = make_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    app.extensions["tracker.engine"] = engine
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> orm.Session:
    """Return this app context's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.sessionmaker"]()
    return g.db_session


@contextmanager
def transaction(session: orm.Session | None = None) -> Iterator[orm.Session]:
    """The one commit of a request or a command, at its boundary: a use case flushes and never
    commits; the view or command that called it commits here, or rolls back if it raised."""
    session = session or get_session()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()

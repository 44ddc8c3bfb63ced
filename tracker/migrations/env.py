"""Alembic environment: the URL comes from the caller or config.py, metadata from tracker."""

from __future__ import annotations

from alembic import context

from tracker import config as settings
from tracker import models  # noqa: F401 - registers the tables
from tracker.core.db import Base, UTCDateTime, make_engine

alembic_config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = alembic_config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = alembic_config.get_main_option("sqlalchemy.url") or settings.from_env()["DATABASE_URL"]
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _render_item(type_, obj, autogen_context):
    # Migrations must not import app types: render our UTC wrapper as a plain DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True, render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations()

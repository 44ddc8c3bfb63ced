"""Alembic owns the schema: an empty database upgraded to head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import ScratchDatabase
from tracker import migrate
from tracker.db import Base


def test_upgrade_from_empty_has_no_drift(tmp_path):
    scratch = ScratchDatabase(tmp_path)
    try:
        with scratch.engine.begin() as conn:
            migrate.upgrade(connection=conn)
        with scratch.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        scratch.drop()


def test_downgrade_to_base_and_up_again(tmp_path):
    from alembic import command

    scratch = ScratchDatabase(tmp_path)
    try:
        with scratch.engine.begin() as conn:
            migrate.upgrade(connection=conn)
            command.downgrade(migrate.alembic_config(connection=conn), "base")
            migrate.upgrade(connection=conn)
    finally:
        scratch.drop()

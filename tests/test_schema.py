"""Alembic owns the schema: an empty database upgraded to head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import ScratchDatabase
from tracker.core import migrate
from tracker.core.db import Base


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


def test_participant_open_flag_is_filled_from_the_case_status(tmp_path):
    """Migration 0009 marks the participations of closed cases, which queues then skip."""
    import sqlalchemy as sa
    from alembic import command
    from sqlalchemy import orm

    from tracker.core.db import utcnow
    from tracker.models import Case, CaseParticipant, ReporterType
    from tracker.reporting.service import ReportInput, submit_report

    scratch = ScratchDatabase(tmp_path).prepare(demo=True)
    try:
        with orm.Session(scratch.engine) as session:
            cases = [submit_report(session, ReportInput(
                submission_key=f"mig-{n}", channel="web", reporter_type=ReporterType.PARENT,
                category="bullying", description="Hij wordt geduwd.", group_number=5),
                utcnow()).case for n in range(2)]
            session.commit()
            ids = [case.id for case in cases]
        with scratch.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(connection=conn), "0008")
            conn.execute(sa.text("UPDATE \"case\" SET status = 'closed' WHERE id = :id"),
                         {"id": ids[0]})
            migrate.upgrade(connection=conn)
            flags = set(conn.execute(sa.select(CaseParticipant.case_id,
                                               CaseParticipant.case_open)).all())
            assert conn.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
        # leerkracht5 and the anti-pestcoördinator take part in both
        assert flags == {(ids[0], False), (ids[1], True)}
    finally:
        scratch.drop()

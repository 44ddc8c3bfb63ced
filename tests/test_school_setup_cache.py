"""The school's setup is read once per process and kept until it changes (issue 18)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from tests.conftest import ScratchDatabase, post_form
from tracker import create_app
from tracker.core import school
from tracker.core.db import get_session
from tracker.models import Case, Group, RoutingRule, SetupVersion, User, group_teacher


@pytest.fixture
def scratch(tmp_path):
    db = ScratchDatabase(tmp_path).prepare(demo=True)
    yield db
    db.drop()


def worker(db: ScratchDatabase, tmp_path, name: str):
    """An app with its own engine and pool, as a gunicorn worker on another host has."""
    return create_app({"TESTING": True, "DATABASE_URL": db.env["DATABASE_URL"],
                       "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False,
                       "TRACKER_STASH_DIR": str(tmp_path / name)})


def submit(app, key: str) -> Case:
    response = post_form(app.test_client(), "/melden", {
        "category": "bullying", "group": "5", "about_kind": "child",
        "description": f"Melding {key}: mijn kind wordt gepest."})
    assert response.status_code == 303
    with app.app_context():
        session = get_session()
        return session.scalar(sa.select(Case).order_by(Case.id.desc()).limit(1))


def test_a_rule_changed_in_another_process_routes_the_next_submission(scratch, tmp_path):
    here, there = worker(scratch, tmp_path, "here"), worker(scratch, tmp_path, "there")
    try:
        assert here.extensions["tracker.engine"] is not there.extensions["tracker.engine"]
        first = submit(here, "a")
        assert first.primary_role == "leerkracht" and first.rule_id is not None
        submit(here, "b")  # the copy is in use: no rule is read from the database
        with there.app_context():
            session = get_session()
            session.get(RoutingRule, first.rule_id).primary_role = "ib"
            session.commit()
        second = submit(here, "c")
        assert (second.rule_id, second.primary_role) == (first.rule_id, "ib")
    finally:
        for app in (here, there):
            app.extensions["tracker.engine"].dispose()


def version(session: orm.Session) -> int:
    return session.scalar(sa.select(SetupVersion.version))


def test_every_write_to_the_setup_bumps_the_version_and_nothing_else_does(session):
    start = version(session)
    teacher = session.scalar(sa.select(User).where(User.email.like("leerkracht5@%")))
    teacher.password_hash = "x"  # not part of the setup
    session.flush()
    assert version(session) == start
    teacher.workdays = "123"  # routing reads the days
    session.flush()
    assert version(session) == start + 1
    session.execute(sa.update(RoutingRule).values(updated_at=RoutingRule.updated_at))
    assert version(session) == start + 2
    group = session.scalar(sa.select(Group).where(Group.number == 4))
    session.execute(sa.delete(group_teacher).where(group_teacher.c.group_id == group.id))
    assert version(session) == start + 3
    assert school.changed_here(session)
    session.commit()
    assert not school.changed_here(session)


def test_a_process_keeps_its_copy_while_the_version_stands(session):
    first = school.current(session)
    session.commit()
    assert school.current(session) is first  # a new transaction, the same version: kept
    session.execute(sa.update(SetupVersion).values(version=SetupVersion.version + 1))
    session.commit()
    assert school.current(session) is not first

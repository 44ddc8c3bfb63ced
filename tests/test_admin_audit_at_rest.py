"""The admin audit log is encrypted at rest: no staff name or address in the raw rows."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from admin_support import login_2fa
from conftest import ScratchDatabase, post_form
from sqlalchemy import orm

from tracker.core import crypto, migrate
from tracker.models import AdminAudit, User

NEW_NAME = "Chantal Zeldzaam-Dekker"


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def test_a_staff_update_leaves_no_name_or_address_readable_in_the_database(client, session):
    login_2fa(client, session, "admin")
    target = user(session, "leerkracht3")
    response = post_form(client, f"/admin/medewerkers/{target.id}", {
        "name": NEW_NAME, "roles": ["leerkracht"], "workdays": ["1", "2"]})
    assert response.status_code == 303
    raw = session.execute(sa.text(
        "SELECT CAST(before AS TEXT), CAST(after AS TEXT) FROM admin_audit WHERE target = :t"),
        {"t": f"user:{target.id}"}).all()
    assert raw
    stored = " ".join(str(v) for row in raw for v in row)
    for plain in ("Chantal", "Dekker", "Zeldzaam", "leerkracht3@demo", "demo.meldpunt"):
        assert plain not in stored
    # The application still reads what changed.
    row = session.scalars(sa.select(AdminAudit).where(AdminAudit.target == f"user:{target.id}")
                          ).all()[-1]
    assert row.before["name"] == "Chantal Dekker" and row.after["name"] == NEW_NAME


def test_migration_0023_encrypts_existing_audit_rows_and_back(tmp_path):
    from alembic import command

    db = ScratchDatabase(tmp_path)
    before = '{"name": "Wilhelmina Zeldzaam", "email": "w.zeldzaam@school.test"}'
    try:
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn, revision="0019")
            conn.execute(sa.text(
                "INSERT INTO admin_audit (at, action, target, before, after) VALUES "
                "(:t, 'staff.update', 'user:1', :b, NULL)"),
                {"b": before, "t": datetime(2026, 11, 1, 9)})
        raw = "SELECT CAST(before AS TEXT) FROM admin_audit"
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn)
        with db.engine.connect() as conn:
            stored = conn.exec_driver_sql(raw).scalar_one()
        assert stored.startswith(crypto.PREFIX) and "Zeldzaam" not in stored
        with orm.Session(db.engine) as session:  # the model reads the converted row
            row = session.scalar(sa.select(AdminAudit))
            assert row.before["name"] == "Wilhelmina Zeldzaam" and row.after is None
        with db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(connection=conn), "0019")
        with db.engine.connect() as conn:
            back = conn.exec_driver_sql(raw).scalar_one()
        assert json.loads(back)["email"] == "w.zeldzaam@school.test"
    finally:
        db.drop()

"""admin audit encrypted: admin_audit.before / after (staff names, e-mail addresses) at rest

Both columns become TEXT holding "enc1:" + a Fernet token of the JSON (PostgreSQL's json type
cannot hold a token); existing rows are converted.

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from tracker.core import crypto

revision = "0023"
down_revision = "0020"
branch_labels = None
depends_on = None

COLUMNS = ("before", "after")


def _rewrite(change) -> None:
    conn = op.get_bind()
    table = sa.table("admin_audit", sa.column("id"),
                     *(sa.column(name, sa.Text) for name in COLUMNS))
    for row in conn.execute(sa.select(table.c.id, *(table.c[n] for n in COLUMNS))).all():
        values = {}
        for name in COLUMNS:
            value = getattr(row, name)
            new = None if value is None else change(value)
            if new is not None:
                values[name] = new
        if values:
            conn.execute(sa.update(table).where(table.c.id == row.id).values(**values))


def _encrypt(ring: crypto.Keyring, value: str) -> str | None:
    if value.startswith(crypto.PREFIX):
        return None
    # Re-serialise so the stored plaintext is the one the model writes.
    return ring.encrypt(json.dumps(json.loads(value), ensure_ascii=False, sort_keys=True))


def upgrade() -> None:
    with op.batch_alter_table("admin_audit") as batch:
        for name in COLUMNS:
            batch.alter_column(name, existing_type=sa.JSON(), type_=sa.Text(),
                               existing_nullable=True, postgresql_using=f'"{name}"::text')
    ring = crypto.keyring()
    _rewrite(lambda value: _encrypt(ring, value))


def downgrade() -> None:
    ring = crypto.keyring()
    _rewrite(lambda value: ring.decrypt(value) if value.startswith(crypto.PREFIX) else None)
    with op.batch_alter_table("admin_audit") as batch:
        for name in COLUMNS:
            batch.alter_column(name, existing_type=sa.Text(), type_=sa.JSON(),
                               existing_nullable=True, postgresql_using=f'"{name}"::json')

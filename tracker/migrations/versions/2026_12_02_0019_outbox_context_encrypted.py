"""outbox context encrypted: outbox_mail.context (receipt codes, one-time links) at rest

The column becomes TEXT holding "enc1:" + a Fernet token of the JSON (PostgreSQL's json type
cannot hold a token); existing rows are converted, pending, sent and dead alike.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from tracker.core import crypto

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _rewrite(change) -> None:
    conn = op.get_bind()
    table = sa.table("outbox_mail", sa.column("id"), sa.column("context", sa.Text))
    for row in conn.execute(sa.select(table.c.id, table.c.context)
                            .where(table.c.context.is_not(None))).all():
        new = change(row.context)
        if new is not None:
            conn.execute(sa.update(table).where(table.c.id == row.id).values(context=new))


def _encrypt(ring: crypto.Keyring, value: str) -> str | None:
    if value.startswith(crypto.PREFIX):
        return None
    # Re-serialise so the stored plaintext is the one the model writes.
    return ring.encrypt(json.dumps(json.loads(value), ensure_ascii=False, sort_keys=True))


def upgrade() -> None:
    with op.batch_alter_table("outbox_mail") as batch:
        batch.alter_column("context", existing_type=sa.JSON(), type_=sa.Text(),
                           existing_nullable=False, postgresql_using="context::text")
    ring = crypto.keyring()
    _rewrite(lambda value: _encrypt(ring, value))


def downgrade() -> None:
    ring = crypto.keyring()
    _rewrite(lambda value: ring.decrypt(value) if value.startswith(crypto.PREFIX) else None)
    with op.batch_alter_table("outbox_mail") as batch:
        batch.alter_column("context", existing_type=sa.Text(), type_=sa.JSON(),
                           existing_nullable=False, postgresql_using="context::json")

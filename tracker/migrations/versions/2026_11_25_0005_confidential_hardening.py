"""confidential hardening: two-factor bookkeeping, encrypt existing free text at rest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tracker.core import crypto

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Columns stored encrypted from this revision on, with their primary keys (frozen here:
# migrations must not follow later model changes).
_ENCRYPTED = {
    "report": (("id",), ("description", "about_text", "reporter_name", "reporter_email",
                         "reporter_phone")),
    "case": (("id",), ("reporter_email", "outcome")),
    "case_event": (("id",), ("body",)),
    "meldcode_step": (("case_id", "step"), ("finding",)),
    "user": (("id",), ("totp_secret",)),
}


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    _convert(lambda ring, value: None if value.startswith(crypto.PREFIX)
             else ring.encrypt(value))


def downgrade() -> None:
    _convert(lambda ring, value: ring.decrypt(value) if value.startswith(crypto.PREFIX)
             else None)
    with op.batch_alter_table("user") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")


def _convert(change, encrypted=None) -> None:
    """Rewrite existing values in place; `change` returns None to leave a value alone.

    `encrypted` ({table: (primary key names, column names)}, default this revision's
    _ENCRYPTED) lets later revisions (0008) encrypt further columns the same way.
    """
    ring = crypto.keyring()
    conn = op.get_bind()
    for table_name, (pk_names, columns) in (encrypted or _ENCRYPTED).items():
        table = sa.table(table_name, *(sa.column(n) for n in pk_names),
                         *(sa.column(c, sa.Text) for c in columns))
        pk = [table.c[n] for n in pk_names]
        for name in columns:
            col = table.c[name]
            for row in conn.execute(sa.select(*pk, col).where(col.is_not(None))).all():
                new = change(ring, row[-1])
                if new is not None:
                    conn.execute(sa.update(table).where(
                        *(c == row[i] for i, c in enumerate(pk))).values({name: new}))

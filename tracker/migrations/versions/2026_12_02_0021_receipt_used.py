"""receipt_used_at: when a reporter first came back with the code (issue 14)

Revision ID: 0021
Revises: 0023
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case", sa.Column("receipt_used_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch copy of "case" would trip the foreign keys
    # that point at it on SQLite (as in 0017).
    op.execute(sa.text('ALTER TABLE "case" DROP COLUMN receipt_used_at'))

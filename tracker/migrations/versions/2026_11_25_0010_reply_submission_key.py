"""reply submission key: a reporter's second click on "send" stores one answer

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_event") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(64), nullable=True))
    op.create_index("ix_case_event_submission_key", "case_event", ["submission_key"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("ix_case_event_submission_key", table_name="case_event")
    with op.batch_alter_table("case_event") as batch:
        batch.drop_column("submission_key")

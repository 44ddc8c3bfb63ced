"""participant open flag: queues read a person's open work, not their closed history

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_participant") as batch:
        batch.add_column(sa.Column("case_open", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.execute(sa.text(
        "UPDATE case_participant SET case_open = false WHERE case_id IN "
        "(SELECT id FROM \"case\" WHERE status = 'closed')"))
    op.create_index("ix_case_participant_open", "case_participant",
                    ["user_id", "case_open", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_participant_open", table_name="case_participant")
    with op.batch_alter_table("case_participant") as batch:
        batch.drop_column("case_open")

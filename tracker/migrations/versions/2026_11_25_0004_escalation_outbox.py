"""escalation outbox: tick bookkeeping on cases, index for overdue actions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CASE_TIMES = ("tick_due", "escalation_due", "escalated_at", "resolve_reminded_at",
               "followup_announced_at")


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        for name in _CASE_TIMES:
            batch.add_column(sa.Column(name, sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("legal_notices", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.create_index("ix_case_tick_due", ["tick_due"])
    # Existing open cases: the first tick after the upgrade looks at each of them once.
    op.execute(sa.text(
        "UPDATE \"case\" SET escalation_due = ack_due, tick_due = created_at "
        "WHERE status IN ('new', 'reopened') AND ack_due IS NOT NULL"))
    op.execute(sa.text(
        "UPDATE \"case\" SET tick_due = created_at "
        "WHERE status NOT IN ('closed') AND tick_due IS NULL AND "
        "(resolve_due IS NOT NULL OR legal_due IS NOT NULL OR followup_due IS NOT NULL)"))
    with op.batch_alter_table("case_action") as batch:
        batch.create_index("ix_case_action_open_due", ["done_at", "reminded_at", "due"])


def downgrade() -> None:
    with op.batch_alter_table("case_action") as batch:
        batch.drop_index("ix_case_action_open_due")
    with op.batch_alter_table("case") as batch:
        batch.drop_index("ix_case_tick_due")
        batch.drop_column("legal_notices")
        for name in reversed(_CASE_TIMES):
            batch.drop_column(name)

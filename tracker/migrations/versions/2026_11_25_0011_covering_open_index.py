"""covering open index: on PostgreSQL the open-cases index carries a queue line's columns

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = sa.text("status <> 'closed'")
# As tracker.models.OPEN_INDEX_INCLUDES at this revision (a migration keeps its own copy).
INCLUDES = ["status", "confidential", "about_user_id", "ack_due", "resolve_due", "category",
            "primary_role", "group_id", "urgent"]


def upgrade() -> None:
    op.drop_index("ix_case_open", table_name="case")
    op.create_index("ix_case_open", "case", ["id"], postgresql_where=OPEN, sqlite_where=OPEN,
                    postgresql_include=INCLUDES)


def downgrade() -> None:
    op.drop_index("ix_case_open", table_name="case")
    op.create_index("ix_case_open", "case", ["id"], postgresql_where=OPEN, sqlite_where=OPEN)

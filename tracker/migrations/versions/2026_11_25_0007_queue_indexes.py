"""queue indexes: a partial index over open cases

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_open", "case", ["id"],
                    postgresql_where=sa.text("status <> 'closed'"),
                    sqlite_where=sa.text("status <> 'closed'"))


def downgrade() -> None:
    op.drop_index("ix_case_open", table_name="case")

"""reporter news: a case remembers an unread message from its reporter (issue 12.1)

Revision ID: 0020
Revises: 0022
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0022"
branch_labels = None
depends_on = None

OPEN = sa.text("status <> 'closed'")
# As tracker.models.OPEN_INDEX_INCLUDES at this revision (a migration keeps its own copy).
BEFORE = ["status", "confidential", "about_user_id", "ack_due", "resolve_due", "category",
          "primary_role", "group_id", "urgent"]
AFTER = [*BEFORE, "reporter_news_at"]


def _open_index(includes: list[str]) -> None:
    op.create_index("ix_case_open", "case", ["id"], postgresql_where=OPEN, sqlite_where=OPEN,
                    postgresql_include=includes)


def upgrade() -> None:
    op.drop_index("ix_case_open", table_name="case")
    op.add_column("case", sa.Column("reporter_news_at", sa.DateTime(), nullable=True))
    # The queue shows and sorts by it: on PostgreSQL the open-cases index carries it.
    _open_index(AFTER)


def downgrade() -> None:
    op.drop_index("ix_case_open", table_name="case")
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of "case" would break the foreign
    # keys of the rows that point at it.
    op.drop_column("case", "reporter_news_at")
    _open_index(BEFORE)

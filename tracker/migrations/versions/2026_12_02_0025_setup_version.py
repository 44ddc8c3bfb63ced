"""setup_version: one row bumped with every change to the school's setup (issue 18)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setup_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_version")),
    )
    op.execute(sa.text("INSERT INTO setup_version (id, version) VALUES (1, 1)"))


def downgrade() -> None:
    op.drop_table("setup_version")

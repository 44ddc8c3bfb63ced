"""role grants: sealed and legal roles are proposed by one person and confirmed by another

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_role_grant_user_id_user")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user.id"],
                                name=op.f("fk_role_grant_proposed_by_id_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"],
                                name=op.f("fk_role_grant_decided_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
    )
    op.create_index("ix_role_grant_status_user_id", "role_grant", ["status", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_role_grant_status_user_id", table_name="role_grant")
    op.drop_table("role_grant")

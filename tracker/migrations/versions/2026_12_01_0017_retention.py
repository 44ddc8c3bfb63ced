"""retention: rules per category, legal holds, deletion batches, subject requests, tombstones

Revision ID: 0017
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_rule",
        sa.Column("key", sa.String(30), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"],
                                name=op.f("fk_retention_rule_updated_by_id_user")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_retention_rule")),
    )
    op.create_table(
        "legal_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE",
                                name=op.f("fk_legal_hold_case_id_case")),
        sa.ForeignKeyConstraint(["set_by_id"], ["user.id"],
                                name=op.f("fk_legal_hold_set_by_id_user")),
        sa.ForeignKeyConstraint(["released_by_id"], ["user.id"],
                                name=op.f("fk_legal_hold_released_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_hold")),
    )
    op.create_index(op.f("ix_legal_hold_case_id"), "legal_hold", ["case_id"])
    op.create_table(
        "deletion_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user.id"],
                                name=op.f("fk_deletion_batch_approved_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_batch")),
    )
    op.create_table(
        "subject_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_subject_request_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_request")),
    )
    # A plain ADD COLUMN: a batch copy of "case" would trip over the tables that point at it.
    op.add_column("case", sa.Column("erased_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.execute(sa.text('ALTER TABLE "case" DROP COLUMN erased_at'))
    op.drop_table("subject_request")
    op.drop_table("deletion_batch")
    op.drop_index(op.f("ix_legal_hold_case_id"), table_name="legal_hold")
    op.drop_table("legal_hold")
    op.drop_table("retention_rule")

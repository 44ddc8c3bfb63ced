"""pupils: the pupil register, children linked to cases, repetition signals (issue 15)

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["group.id"], name=op.f("fk_pupil_group_id_group")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil")),
    )
    op.create_index(op.f("ix_pupil_group_id"), "pupil", ["group_id"])
    op.create_index(op.f("ix_pupil_left_on"), "pupil", ["left_on"])
    op.create_table(
        "case_pupil",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE",
                                name=op.f("fk_case_pupil_case_id_case")),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"], ondelete="CASCADE",
                                name=op.f("fk_case_pupil_pupil_id_pupil")),
        sa.ForeignKeyConstraint(["linked_by_id"], ["user.id"],
                                name=op.f("fk_case_pupil_linked_by_id_user")),
        sa.PrimaryKeyConstraint("case_id", "pupil_id", name=op.f("pk_case_pupil")),
    )
    op.create_index(op.f("ix_case_pupil_pupil_id"), "case_pupil", ["pupil_id"])
    op.create_table(
        "repetition_signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE",
                                name=op.f("fk_repetition_signal_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repetition_signal")),
        sa.UniqueConstraint("key", name=op.f("uq_repetition_signal_key")),
    )
    op.create_index(op.f("ix_repetition_signal_case_id"), "repetition_signal", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_repetition_signal_case_id"), table_name="repetition_signal")
    op.drop_table("repetition_signal")
    op.drop_index(op.f("ix_case_pupil_pupil_id"), table_name="case_pupil")
    op.drop_table("case_pupil")
    op.drop_index(op.f("ix_pupil_left_on"), table_name="pupil")
    op.drop_index(op.f("ix_pupil_group_id"), table_name="pupil")
    op.drop_table("pupil")

"""routing rules: seed the default rules of docs/DESIGN.md §4

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The rows are written out as literal data (not imported from tracker.domain.rules), so a later
change to the code's defaults never rewrites what this migration did.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEEDED_AT = datetime(2026, 11, 25)  # naive UTC, as UTCDateTime stores it

routing_rule = sa.table(
    "routing_rule",
    sa.column("id", sa.Integer), sa.column("priority", sa.Integer),
    sa.column("category", sa.String), sa.column("reporter_types", sa.String),
    sa.column("primary_role", sa.String), sa.column("informed_roles", sa.String),
    sa.column("ack", sa.String), sa.column("resolve", sa.String), sa.column("chain", sa.String),
    sa.column("urgent", sa.Boolean), sa.column("enabled", sa.Boolean),
    sa.column("updated_at", sa.DateTime),
)

# id, priority, category, reporter_types ("" = anyone), primary, informed, ack, resolve,
# chain, urgent
RULES = [
    (1, 10, "bullying", "", "leerkracht", "anti_pest", "1d", "10d", "ib,directie,bestuur", False),
    (2, 20, "cyberbullying", "", "leerkracht", "anti_pest", "1d", "10d", "ib,directie,bestuur",
     False),
    (3, 30, "image_shared", "", "anti_pest", "leerkracht", "1d", "10d", "directie,bestuur",
     False),
    (4, 40, "harmful_content", "", "leerkracht", "anti_pest", "1d", "5d", "directie,bestuur",
     False),
    (5, 50, "threat_violence", "", "directie", "leerkracht", "same_day", "5d", "bestuur", True),
    (6, 60, "adult_misconduct", "", "directie", "vertrouwenspersoon", "2d", "20d", "bestuur",
     False),
    (7, 70, "home_concern", "", "ib", "directie", "same_day", "", "directie", False),
    (8, 80, "phone_misuse", "", "leerkracht", "", "3d", "10d", "directie", False),
    (9, 90, "privacy_leak", "", "fg", "directie", "same_day", "10d", "bestuur", False),
    (10, 1000, "other", "", "ib", "", "2d", "10d", "directie", False),
]
COLUMNS = ("id", "priority", "category", "reporter_types", "primary_role", "informed_roles",
           "ack", "resolve", "chain", "urgent")


def upgrade() -> None:
    op.bulk_insert(routing_rule, [
        dict(zip(COLUMNS, row, strict=True), enabled=True, updated_at=SEEDED_AT) for row in RULES
    ])
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids do not advance the serial; rules the admin adds later must not collide.
        op.execute("SELECT setval(pg_get_serial_sequence('routing_rule', 'id'), "
                   "(SELECT max(id) FROM routing_rule))")


def downgrade() -> None:
    ids = [row[0] for row in RULES]
    op.execute(sa.update(sa.table("case", sa.column("rule_id", sa.Integer)))
               .where(sa.column("rule_id").in_(ids)).values(rule_id=None))
    op.execute(routing_rule.delete().where(routing_rule.c.id.in_(ids)))

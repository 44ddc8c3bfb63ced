"""outbox recipient: encrypt outbox_mail.to at rest (a parent's e-mail address)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import context

from tracker.core import crypto

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here like 0005's list: the column encrypted from this revision on.
_ENCRYPTED = {"outbox_mail": (("id",), ("to",))}


def _convert(change) -> None:
    # Reuse 0005's helper (same batch-free, row-by-row rewrite keyed by primary key).
    helper = context.script.get_revision("0005").module._convert
    helper(change, _ENCRYPTED)


def upgrade() -> None:
    # The column type stays TEXT: ciphertext is text ("enc1:" + a Fernet token).
    _convert(lambda ring, value: None if value.startswith(crypto.PREFIX)
             else ring.encrypt(value))


def downgrade() -> None:
    _convert(lambda ring, value: ring.decrypt(value) if value.startswith(crypto.PREFIX)
             else None)

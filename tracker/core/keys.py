"""`flask keys new|rotate|check`: the at-rest encryption keys (tracker/core/crypto.py)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from tracker.core import crypto
from tracker.core.db import Base

keys_cli = AppGroup("keys", help="Encryption keys for free text and identity at rest.")


@keys_cli.command("new")
def keys_new() -> None:
    """Print a fresh key (put it FIRST in TRACKER_CONFIDENTIAL_KEY, keep the old ones)."""
    click.echo(crypto.new_key())


@keys_cli.command("rotate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
def keys_rotate(batch_size: int) -> None:
    """Re-encrypt every stored value under the first key; safe while the app serves.

    Order: 1) `keys new`; 2) set TRACKER_CONFIDENTIAL_KEY=NEW,OLD everywhere and restart
    (every process can then read both); 3) run this; 4) drop OLD from the list and restart.
    """
    ring = crypto.keyring()
    engine = current_app.extensions["tracker.engine"]
    try:
        counts = crypto.reencrypt_all(engine, Base.metadata, ring, batch_size=batch_size)
    except crypto.DecryptionError as error:
        raise click.ClickException(str(error)) from None
    for label, count in counts.items():
        click.echo(f"{label:28} {count} re-encrypted")
    click.echo(f"Done: {sum(counts.values())} values now under the first key. "
               "Old keys can be removed from TRACKER_CONFIDENTIAL_KEY.")


@keys_cli.command("check")
def keys_check() -> None:
    """Count stored values that are not yet under the first key (0 = old keys unused)."""
    ring = crypto.keyring()
    engine = current_app.extensions["tracker.engine"]
    stale = 0
    for target in crypto.encrypted_columns(Base.metadata):
        with engine.connect() as conn:
            for value in conn.execute(sa.select(sa.type_coerce(target.column, sa.Text))
                                      .where(target.column.is_not(None))).scalars():
                stale += not ring.is_current(value)
    click.echo(f"{stale} value(s) not under the first key.")
    if stale:
        raise click.exceptions.Exit(1)


COMMANDS = [keys_cli]

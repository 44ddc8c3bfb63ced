"""Encryption at rest of free text and reporter identity (docs/DESIGN.md §8).

Every report's free text and identity, every timeline body and the reporter's e-mail address
are stored as Fernet tokens (AES-128-CBC + HMAC-SHA256: authenticated, so a changed byte is
refused, never silently decrypted). We encrypt these columns for ALL cases, not only the
confidential ones: a case may turn confidential later, and a per-row flag would itself tell a
reader of the database which rows are the sensitive ones.

Keys come from TRACKER_CONFIDENTIAL_KEY, a comma-separated list: the first key encrypts, every
key decrypts. Rotation without downtime: put a new key first, restart, run `keys rotate`, then
drop the old key. No Flask import: models, the CLI, Alembic and the worker all use this module.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import orm
from sqlalchemy.sql import operators

# Marks a stored value as ciphertext; values without it are legacy plaintext (read as is,
# encrypted by the migration and by `keys rotate`).
PREFIX = "enc1:"


class KeyConfigError(ValueError):
    """TRACKER_CONFIDENTIAL_KEY is missing or malformed; the message says how to fix it."""


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


def new_key() -> str:
    """Return a fresh random key for TRACKER_CONFIDENTIAL_KEY."""
    return Fernet.generate_key().decode()


def parse_keys(value: str | Sequence[str]) -> list[str]:
    """Split the configured key list; the first key encrypts."""
    keys = [k.strip() for k in value.split(",")] if isinstance(value, str) else list(value)
    keys = [k for k in keys if k]
    if not keys:
        raise KeyConfigError("TRACKER_CONFIDENTIAL_KEY is empty: generate a key with "
                        "`flask --app tracker keys new`.")
    return keys


class Keyring:
    """The configured keys: encrypt under the first, decrypt under any."""

    def __init__(self, keys: str | Sequence[str]) -> None:
        try:
            self._fernets = [Fernet(k) for k in parse_keys(keys)]
        except (ValueError, TypeError) as error:
            if isinstance(error, KeyConfigError):
                raise
            raise KeyConfigError("TRACKER_CONFIDENTIAL_KEY holds a value that is not a key "
                            "(32 url-safe base64-encoded bytes): generate one with "
                            "`flask --app tracker keys new`.") from None
        self._multi = MultiFernet(self._fernets)

    def encrypt(self, text: str) -> str:
        return PREFIX + self._multi.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored
        try:
            return self._multi.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise DecryptionError(
                "A stored value cannot be decrypted: is an old key missing from "
                "TRACKER_CONFIDENTIAL_KEY?") from None

    def encrypt_bytes(self, data: bytes) -> str:
        """Return bytes (a file) as a stored token under the first key."""
        return PREFIX + self._multi.encrypt(data).decode("ascii")

    def decrypt_bytes(self, stored: str) -> bytes:
        """Return the bytes a stored token holds; a file has no plaintext form."""
        if not stored.startswith(PREFIX):
            raise DecryptionError("A stored file is not encrypted.")
        try:
            return self._multi.decrypt(stored[len(PREFIX):].encode("ascii"))
        except InvalidToken:
            raise DecryptionError(
                "A stored value cannot be decrypted: is an old key missing from "
                "TRACKER_CONFIDENTIAL_KEY?") from None

    def is_current(self, stored: str) -> bool:
        """Return whether a stored value is already ciphertext under the first key."""
        if not stored.startswith(PREFIX):
            return False
        try:
            self._fernets[0].decrypt(stored[len(PREFIX):].encode("ascii"))
        except InvalidToken:
            return False
        return True

    def reencrypt(self, stored: str) -> str:
        """Return the value encrypted under the first key (plaintext gets encrypted)."""
        if not stored.startswith(PREFIX):
            return self.encrypt(stored)
        try:
            return PREFIX + self._multi.rotate(stored[len(PREFIX):].encode("ascii")).decode()
        except InvalidToken:
            raise DecryptionError("A stored value cannot be decrypted with any configured "
                                  "key; nothing was changed for it.") from None


_lock = threading.Lock()
_installed: Keyring | None = None


def install(keys: str | Sequence[str]) -> Keyring:
    """Make these keys the process's keyring (create_app does this)."""
    global _installed
    ring = Keyring(keys)
    with _lock:
        _installed = ring
    return ring


def keyring() -> Keyring:
    """Return the process's keyring; without create_app, read it from the environment."""
    if _installed is None:
        from tracker import config

        install(config.from_env()["TRACKER_CONFIDENTIAL_KEY"])
    assert _installed is not None
    return _installed


_NO_SQL_COMPARE = {operators.eq, operators.ne, operators.like_op, operators.ilike_op,
                   operators.contains_op, operators.startswith_op, operators.endswith_op,
                   operators.in_op, operators.not_in_op, operators.lt, operators.gt,
                   operators.le, operators.ge}


class EncryptedText(sa.types.TypeDecorator):
    """A text column stored encrypted; reads and writes plain `str` in Python."""

    impl = sa.Text
    cache_ok = True

    class comparator_factory(sa.types.Text.Comparator):  # noqa: N801 - SQLAlchemy's name
        def operate(self, op, *other, **kwargs):
            # Ciphertext is randomised: SQL comparisons would silently never match.
            if op in _NO_SQL_COMPARE and not (len(other) == 1 and other[0] is None):
                raise TypeError("This column is encrypted at rest: compare its values in "
                                "Python after loading, not in SQL.")
            return super().operate(op, *other, **kwargs)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText takes str, not {type(value).__name__}")
        return keyring().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else keyring().decrypt(value)


class EncryptedString(EncryptedText):
    """EncryptedText over a VARCHAR(n) column (n must leave room for the token)."""

    impl = sa.String
    cache_ok = True


class EncryptedJSON(EncryptedText):
    """A JSON value (a mail's template context) stored as one encrypted TEXT value.

    Legacy rows without the prefix are plain JSON and still read (the migration encrypts them).
    Like sa.JSON, in-place changes are not tracked: assign a new value.
    """

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(keyring().decrypt(value))


class EncryptedBytes(EncryptedText):
    """A file (evidence) stored as one token in a TEXT column; reads and writes `bytes`.

    A token, not a binary column: `keys rotate`, `keys check` and the at-rest checks treat it
    like any other encrypted value. The price: a third more space than the file.
    """

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, bytes):
            raise TypeError(f"EncryptedBytes takes bytes, not {type(value).__name__}")
        return keyring().encrypt_bytes(value)

    def process_result_value(self, value, dialect):
        return None if value is None else keyring().decrypt_bytes(value)


@dataclass(frozen=True)
class EncryptedColumn:
    table: sa.Table
    column: sa.Column

    @property
    def label(self) -> str:
        return f"{self.table.name}.{self.column.name}"


def encrypted_columns(metadata: sa.MetaData) -> list[EncryptedColumn]:
    """Return every column of the schema that is stored encrypted."""
    return [EncryptedColumn(table, column)
            for table in metadata.sorted_tables for column in table.columns
            if isinstance(column.type, EncryptedText)]


def _raw_batch(engine: sa.Engine, target: EncryptedColumn, after: tuple | None,
               batch_size: int) -> list[sa.Row]:
    # Read the stored (raw) text, bypassing the type: we must see the ciphertext itself.
    # A short read transaction per batch: no long snapshot blocks the serving app.
    pk = list(target.table.primary_key.columns)
    stmt = (sa.select(*pk, sa.type_coerce(target.column, sa.Text).label("raw"))
            .where(target.column.is_not(None)).order_by(*pk).limit(batch_size))
    if after is not None:
        stmt = stmt.where(sa.tuple_(*pk) > sa.tuple_(*after))
    with engine.connect() as conn:
        return list(conn.execute(stmt).all())


def reencrypt_column(engine: sa.Engine, target: EncryptedColumn, ring: Keyring, *,
                     batch_size: int = 500) -> int:
    """Re-encrypt one column under the first key, a committed batch at a time; return count.

    Each row is updated only if it still holds the value read (compare-and-set), so a write
    by the running app in between is never overwritten.
    """
    pk = list(target.table.primary_key.columns)
    raw_col = sa.type_coerce(target.column, sa.Text)
    changed = 0
    after: tuple | None = None
    while rows := _raw_batch(engine, target, after, batch_size):
        after = tuple(rows[-1][: len(pk)])
        updates = [(row, ring.reencrypt(row.raw)) for row in rows
                   if not ring.is_current(row.raw)]
        if not updates:
            continue
        with engine.begin() as writer:
            for row, new in updates:
                where = [c == row[i] for i, c in enumerate(pk)]
                result = writer.execute(
                    sa.update(target.table).where(*where, raw_col == row.raw)
                    .values({target.column.name: sa.type_coerce(new, sa.Text)}))
                changed += result.rowcount
    return changed


def reencrypt_all(engine: sa.Engine, metadata: sa.MetaData, ring: Keyring, *,
                  batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column; return the number of values changed per column."""
    return {target.label: reencrypt_column(engine, target, ring, batch_size=batch_size)
            for target in encrypted_columns(metadata)}


def raw_values(session: orm.Session, metadata: sa.MetaData) -> Iterable[str]:
    """Yield every stored encrypted value as it is on disk (for checks and tests)."""
    for target in encrypted_columns(metadata):
        yield from session.execute(
            sa.select(sa.type_coerce(target.column, sa.Text))
            .where(target.column.is_not(None))).scalars()

"""Bytes encrypted at rest under the keyring of tracker/crypto.py (to fold into it)."""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from tracker.crypto import PREFIX, DecryptionError, EncryptedText, Keyring, keyring


def encrypt_bytes(ring: Keyring, data: bytes) -> str:
    """Return bytes as a stored token under the first key."""
    return PREFIX + ring._multi.encrypt(data).decode("ascii")


def decrypt_bytes(ring: Keyring, stored: str) -> bytes:
    """Return the bytes a stored token holds; there is no plaintext form of a file."""
    if not stored.startswith(PREFIX):
        raise DecryptionError("A stored file is not encrypted.")
    try:
        return ring._multi.decrypt(stored[len(PREFIX):].encode("ascii"))
    except InvalidToken:
        raise DecryptionError(
            "A stored value cannot be decrypted: is an old key missing from "
            "TRACKER_CONFIDENTIAL_KEY?") from None


class EncryptedBytes(EncryptedText):
    """A file stored as one Fernet token in a TEXT column; reads and writes `bytes`.

    A token, not a binary column: `keys rotate`, `keys check` and every at-rest test treat
    it like any other encrypted value (the price: a third more space than the file).
    """

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, bytes):
            raise TypeError(f"EncryptedBytes takes bytes, not {type(value).__name__}")
        return encrypt_bytes(keyring(), value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt_bytes(keyring(), value)

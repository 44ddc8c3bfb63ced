"""Receipt codes: long codes for parents, picture codes for children, keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

# No 0/O, 1/I/L: nothing a parent can misread or mistype.
PARENT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PARENT_CODE_LENGTH = 20
PARENT_GROUP = 4
PICTURE_CODE_LENGTH = 5
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.·/]+")


@dataclass(frozen=True)
class Picture:
    """One picture a child can tap, with its words."""

    key: str
    nl: str
    en: str
    emoji: str


PICTURES: tuple[Picture, ...] = (
    Picture("appel", "appel", "apple", "🍎"),
    Picture("auto", "auto", "car", "🚗"),
    Picture("bal", "bal", "ball", "⚽"),
    Picture("boom", "boom", "tree", "🌳"),
    Picture("eend", "eend", "duck", "🦆"),
    Picture("fiets", "fiets", "bicycle", "🚲"),
    Picture("hond", "hond", "dog", "🐶"),
    Picture("huis", "huis", "house", "🏠"),
    Picture("kat", "kat", "cat", "🐱"),
    Picture("maan", "maan", "moon", "🌙"),
    Picture("ster", "ster", "star", "⭐"),
    Picture("zon", "zon", "sun", "🌞"),
    Picture("vis", "vis", "fish", "🐟"),
    Picture("vlinder", "vlinder", "butterfly", "🦋"),
    Picture("bloem", "bloem", "flower", "🌻"),
    Picture("trein", "trein", "train", "🚂"),
    Picture("boot", "boot", "boat", "⛵"),
    Picture("taart", "taart", "cake", "🎂"),
    Picture("ijsje", "ijsje", "ice cream", "🍦"),
    Picture("banaan", "banaan", "banana", "🍌"),
    Picture("paard", "paard", "horse", "🐴"),
    Picture("konijn", "konijn", "rabbit", "🐰"),
    Picture("uil", "uil", "owl", "🦉"),
    Picture("beer", "beer", "bear", "🐻"),
)
PICTURE_BY_KEY: dict[str, Picture] = {p.key: p for p in PICTURES}


def new_parent_code() -> str:
    """Return a fresh 20-character parent code like 'ABCD-EFGH-JKMN-PQRS-TUVW'."""
    raw = "".join(secrets.choice(PARENT_ALPHABET) for _ in range(PARENT_CODE_LENGTH))
    return format_parent_code(raw)


def format_parent_code(normalized: str) -> str:
    """Return the code in dash-separated groups of four."""
    return "-".join(
        normalized[i:i + PARENT_GROUP] for i in range(0, len(normalized), PARENT_GROUP)
    )


def normalize_code(s: str) -> str:
    """Return the canonical form: separators and spaces removed, upper case.

    The alphabet has no 0/O/1/I/L, so a typed O or 0 cannot be right either way;
    they are left as they are and the code simply does not match.
    """
    return _SEPARATORS.sub("", s or "").upper()


def is_valid_parent_code(s: str) -> bool:
    """Return True when s normalizes to a well-formed parent code."""
    code = normalize_code(s)
    return len(code) == PARENT_CODE_LENGTH and all(c in PARENT_ALPHABET for c in code)


def new_picture_code() -> tuple[str, ...]:
    """Return five random picture keys (repeats allowed: 24**5 codes)."""
    return tuple(secrets.choice(PICTURES).key for _ in range(PICTURE_CODE_LENGTH))


def picture_code_string(keys: Sequence[str]) -> str:
    """Return the canonical string of a picture code, e.g. 'appel-bal-kat-kat-zon'."""
    cleaned = [k.strip().lower() for k in keys]
    if len(cleaned) != PICTURE_CODE_LENGTH or any(k not in PICTURE_BY_KEY for k in cleaned):
        raise ValueError("a picture code is five known pictures")
    return "-".join(cleaned)


def parse_picture_code(s: str) -> tuple[str, ...]:
    """Return the picture keys from a canonical or loosely typed picture code."""
    keys = tuple(k for k in re.split(r"[\s,\-_/]+", (s or "").strip().lower()) if k)
    picture_code_string(keys)
    return keys


def code_hash(secret: bytes, normalized: str) -> str:
    """Return the HMAC-SHA256 hex digest of a normalized code."""
    return hmac.new(secret, normalized.encode("utf-8"), hashlib.sha256).hexdigest()


def codes_equal(a: str, b: str) -> bool:
    """Compare two hashes in constant time."""
    return hmac.compare_digest(a, b)

"""Receipt codes: parent codes, picture codes and keyed hashes."""

from __future__ import annotations

import re

import pytest

from tracker.domain.codes import (
    PARENT_ALPHABET,
    PICTURE_BY_KEY,
    PICTURES,
    code_hash,
    codes_equal,
    is_valid_parent_code,
    new_parent_code,
    new_picture_code,
    normalize_code,
    parse_picture_code,
    picture_code_string,
)


def test_parent_code_shape() -> None:
    codes = {new_parent_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}", code)
        assert not set(code) & set("01OIL")
        assert is_valid_parent_code(code)


def test_alphabet_has_no_lookalikes() -> None:
    assert not set(PARENT_ALPHABET) & set("01OIL")
    assert len(set(PARENT_ALPHABET)) == len(PARENT_ALPHABET) == 31


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("ABCD-EFGH-JKMN-PQRS-TUVW", "ABCDEFGHJKMNPQRSTUVW"),
        ("abcd efgh jkmn pqrs tuvw", "ABCDEFGHJKMNPQRSTUVW"),
        ("  abcd–efgh—jkmn pqrs_tuvw ", "ABCDEFGHJKMNPQRSTUVW"),
        ("ab.cd/ef", "ABCDEF"),
        ("", ""),
    ],
)
def test_normalize_code(typed: str, normalized: str) -> None:
    assert normalize_code(typed) == normalized


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("ABCD-EFGH-JKMN-PQRS-TUVW", True),
        ("abcdefghjkmnpqrstuvw", True),
        ("ABCD-EFGH-JKMN-PQRS-TUV", False),  # too short
        ("ABCD-EFGH-JKMN-PQRS-TUV0", False),  # 0 not in alphabet
        ("ABCD-EFGH-JKMN-PQRS-TUVWX", False),  # too long
    ],
)
def test_is_valid_parent_code(typed: str, valid: bool) -> None:
    assert is_valid_parent_code(typed) is valid


def test_pictures() -> None:
    assert len(PICTURES) == 24
    assert len(PICTURE_BY_KEY) == 24
    assert len({p.emoji for p in PICTURES}) == 24
    assert len({p.en for p in PICTURES}) == 24
    assert {"appel", "auto", "bal", "boom", "eend", "fiets", "hond", "huis", "kat", "maan"} <= set(
        PICTURE_BY_KEY
    )


def test_new_picture_code() -> None:
    codes = [new_picture_code() for _ in range(200)]
    assert all(len(c) == 5 and set(c) <= set(PICTURE_BY_KEY) for c in codes)
    assert len(set(codes)) > 190  # 24**5 = 7,962,624 possibilities
    assert 24**5 > 7_900_000


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("appel", "bal", "kat", "kat", "zon"), "appel-bal-kat-kat-zon"),
        ((" Appel", "BAL", "kat", "kat", "zon"), "appel-bal-kat-kat-zon"),
    ],
)
def test_picture_code_string(keys: tuple[str, ...], expected: str) -> None:
    assert picture_code_string(keys) == expected
    assert parse_picture_code(expected) == tuple(expected.split("-"))


@pytest.mark.parametrize(
    "keys",
    [("appel", "bal", "kat", "kat"), ("appel", "bal", "kat", "kat", "draak"), ()],
)
def test_picture_code_string_rejects(keys: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="five known pictures"):
        picture_code_string(keys)


@pytest.mark.parametrize("typed", ["appel bal kat kat zon", "Appel, Bal, Kat, Kat, Zon"])
def test_parse_picture_code_is_forgiving(typed: str) -> None:
    assert parse_picture_code(typed) == ("appel", "bal", "kat", "kat", "zon")


def test_code_hash_is_keyed_hmac() -> None:
    a = code_hash(b"secret-1", "ABCDEFGHJKMNPQRSTUVW")
    assert re.fullmatch(r"[0-9a-f]{64}", a)
    assert a == code_hash(b"secret-1", normalize_code("abcd-efgh-jkmn-pqrs-tuvw"))
    assert a != code_hash(b"secret-2", "ABCDEFGHJKMNPQRSTUVW")
    assert a != code_hash(b"secret-1", "ABCDEFGHJKMNPQRSTUVX")
    # RFC 4231 test case 2
    assert code_hash(b"Jefe", "what do ya want for nothing?") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
    assert codes_equal(a, a) and not codes_equal(a, a[:-1] + "0")

"""Numbers typed or sent by people: ASCII digits only, and never past what the database holds."""

from __future__ import annotations

# PostgreSQL's `integer`: every id and count column. A larger number is not any row's id.
ID_MAX = 2**31 - 1


def whole_number(text: object, maximum: int = ID_MAX) -> int | None:
    """Return the number `text` spells in ASCII digits (0..maximum), else None.

    str.isdigit() also says yes to "²" and "١٢"; int() then fails on the first and reads the
    second as 12. Neither is a number a person at a Dutch school means.
    """
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() \
            or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def ascii_digits(text: object) -> bool:
    """Say whether `text` is one or more of the digits 0-9 (a code, not "²" or "١")."""
    return isinstance(text, str) and text.isascii() and text.isdigit()

"""Where a redirect that takes a visitor's input may go: a path on this site, nothing else.

One rule for every redirect built from request values (`next` after login and after the
second factor, the language switch). Browsers are lenient: they drop tabs and newlines from
a URL, read a backslash as a slash and `//host` as another site, so anything that could be
read as something other than a plain local path is refused and the caller uses its own page.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000
# Printable ASCII only: no control characters (tab, CR, LF...), no spaces, nothing a browser
# might normalise into a slash.
_ALLOWED = frozenset(chr(c) for c in range(0x21, 0x7F))


def _plain_local_path(text: str) -> bool:
    if not text.startswith("/") or text[1:2] in ("/", "\\"):
        return False
    if "\\" in text or any(ch not in _ALLOWED for ch in text):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_redirect_path(target: object) -> str | None:
    """Return `target` when it is a plain path on this site (a query may follow), else None.

    Refused: other hosts (`//host`, `https://host`), schemes (`javascript:`), backslashes,
    control characters and spaces, also when percent-encoded (`/%09/host`, `%0d%0a`), and
    anything longer than MAX_LENGTH.
    """
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    # Checked as sent and once decoded: a proxy or a browser may decode it once more.
    if not (_plain_local_path(target) and _plain_local_path(unquote(target))):
        return None
    return target

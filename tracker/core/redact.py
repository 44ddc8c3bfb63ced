"""Keep personal data out of logs and stored error texts (docs/DESIGN.md §8, issue 11.7).

The first line of defence is at the source: the engine hides SQL parameters
(`hide_parameters`, tracker/core/db.py) and the outbox writes its error texts without the
recipient. This module is the backstop: every log record this process makes passes through
`redact`, which replaces e-mail addresses and receipt codes (parent and picture codes), also
inside a logged traceback. No Flask import: the worker and the CLI use it too.
"""

from __future__ import annotations

import logging
import re
import threading

from tracker.domain.codes import PARENT_ALPHABET, PICTURES

ADDRESS = "<e-mailadres>"
CODE = "<code>"

# Liberal on purpose: whatever looks like an address (also IDNA, quoted in bytes reprs).
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[\w-]+", re.UNICODE)
_P = f"[{PARENT_ALPHABET}]"
_PARENT_CODE = re.compile(rf"(?<![\w-]){_P}{{4}}(?:[- ]?{_P}{{4}}){{4}}(?![\w-])")
_PICTURE = "(?:" + "|".join(sorted((re.escape(p.key) for p in PICTURES), key=len,
                                   reverse=True)) + ")"
_PICTURE_CODE = re.compile(rf"(?<![\w-]){_PICTURE}(?:[-\s,/]+{_PICTURE}){{4}}(?![\w-])",
                           re.IGNORECASE)


def redact(text: str, *also: str | None) -> str:
    """Return `text` without e-mail addresses, receipt codes and the given values."""
    for value in also:
        if value:
            text = text.replace(value, ADDRESS if "@" in value else "<verborgen>")
    text = _EMAIL.sub(ADDRESS, text)
    text = _PARENT_CODE.sub(CODE, text)
    return _PICTURE_CODE.sub(CODE, text)


_lock = threading.Lock()
_installed = False


def install_log_redaction() -> None:
    """Make every log record of this process redacted, whichever handler writes it."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: keep the template, drop the arguments
        message = str(record.msg)
    cleaned = redact(message)
    if cleaned != message or record.args:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        # Formatted once here, redacted; formatters use exc_text as it is.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))

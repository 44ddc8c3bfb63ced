"""The file field every form with evidence shares, and reading what it sent."""

from __future__ import annotations

from collections.abc import Mapping

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import Form, evidence_field
from tracker.domain.evidence import MAX_BYTES, MAX_FILES, MAX_PIXELS, Limits
from tracker.evidence.service import Upload


class EvidenceForm(Form):
    """The staff upload on the case page."""

    evidence = evidence_field(_l("Bestanden toevoegen"))


def limits(config: Mapping) -> Limits:
    """Return the school's limits (app settings), defaults from the domain."""
    return Limits(max_files=int(config.get("EVIDENCE_MAX_FILES", MAX_FILES)),
                  max_bytes=int(config.get("EVIDENCE_MAX_BYTES", MAX_BYTES)),
                  max_pixels=int(config.get("EVIDENCE_MAX_PIXELS", MAX_PIXELS)))


def body_limit(config: Mapping) -> int:
    """Return how large a request with evidence may be: one file more than the limit, so a
    sixth or an oversized file is refused with words, not with a bare 413."""
    settings = limits(config)
    return (settings.max_files + 1) * settings.max_bytes + 1024 * 1024


def uploads(field, max_bytes: int | None = None) -> list[Upload]:
    """Return the files a field sent; no file chosen is none. Reads one byte past the limit,
    so an oversized file is known without reading it whole."""
    from flask import current_app

    cap = (max_bytes or limits(current_app.config).max_bytes) + 1
    found = []
    for storage in field.data or []:
        if not getattr(storage, "filename", None):
            continue  # an empty file input sends a part without a name
        found.append(Upload(storage.filename[:120], storage.stream.read(cap)))
    return found

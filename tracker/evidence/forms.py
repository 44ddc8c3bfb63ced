"""The staff upload form, and reading what a form's evidence field sent."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import Form, evidence_field
from tracker.domain.evidence import EvidenceRefused, Limits
from tracker.evidence import words
from tracker.evidence.service import Clean, Upload, prepare


class EvidenceForm(Form):
    """The staff upload on the case page."""

    evidence = evidence_field(_l("Bestanden toevoegen"))


def limits(config: Mapping) -> Limits:
    """Return the school's limits (app settings), defaults from the domain."""
    return Limits.from_settings(config)


def uploads(field) -> list[Upload]:
    """Return the files a field sent; no file chosen is none. Reads one byte past the limit,
    so an oversized file is known without reading it whole."""
    cap = limits(current_app.config).max_bytes + 1
    found = []
    for storage in field.data or []:
        if not getattr(storage, "filename", None):
            continue  # an empty file input sends a part without a name
        found.append(Upload(storage.filename[:120], storage.stream.read(cap)))
    return found


def refuse(form, refused: EvidenceRefused) -> None:
    """Show why the files were refused under the form's evidence field."""
    form.evidence.errors = [*form.evidence.errors, words.refusal(refused)]


def checked_files(form, *, category: str | None = None,
                  sexual: bool = False) -> list[Clean] | None:
    """Return the clean copies of what a report form's evidence field sent; when a file is
    refused, say why under the field and return None (the page comes back as it was sent)."""
    try:
        return prepare(uploads(form.evidence), limits(current_app.config),
                       category=category, sexual=sexual)
    except EvidenceRefused as refused:
        refuse(form, refused)
        return None

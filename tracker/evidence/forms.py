"""The staff upload form, and reading what a form's evidence field sent."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from wtforms import MultipleFileField

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import Form
from tracker.domain.evidence import ACCEPT, EvidenceRefused, Limits
from tracker.evidence import words
from tracker.evidence.service import Clean, Upload, prepare


def evidence_field(label=None) -> MultipleFileField:
    """Return the file input for evidence: several files, the browser offers images and PDF.

    What the files may be is checked on the server (never by the browser's word).
    """
    return MultipleFileField(label or _l("Bewijs meesturen (niet verplicht)"),
                             render_kw={"accept": ACCEPT})


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

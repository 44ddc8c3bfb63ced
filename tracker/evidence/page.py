"""The evidence part of a case page: its files, the police notice, the staff upload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import orm

from tracker.domain.evidence import (
    IMAGE_KINDS,
    Kind,
    Limits,
    blur_images,
    police_notice,
    uploads_forbidden,
)
from tracker.evidence.forms import EvidenceForm, limits
from tracker.evidence.service import listed
from tracker.models import Case, CaseStatus, User


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    image: bool
    width: int | None
    height: int | None
    size: int
    original_size: int
    original_sha256: str
    added_at: datetime
    added_by: User | None
    added_by_label: str | None


@dataclass(frozen=True)
class Panel:
    """What the case page shows of a case's evidence (evidence/_case.html)."""

    items: list[Item]
    police: bool
    blur: bool
    closed: bool
    forbidden: bool
    form: EvidenceForm | None
    limits: Limits


def panel(db: orm.Session, case: Case) -> Panel:
    """Return the evidence part of a case page (the case is one the viewer may act on)."""
    sexual = any(report.sexual for report in case.reports)  # loaded with the case page
    forbidden = uploads_forbidden(case.category, sexual=sexual)
    closed = case.status == CaseStatus.CLOSED
    items = [Item(e.id, e.kind, Kind(e.kind) in IMAGE_KINDS, e.width, e.height, e.size,
                  e.original_size, e.original_sha256, e.added_at, e.added_by,
                  e.added_by_label) for e in listed(db, case)]
    return Panel(items, police_notice(case.category, sexual=sexual),
                 blur_images(case.category), closed, forbidden,
                 None if closed or forbidden else EvidenceForm(formdata=None),
                 limits(current_app.config))

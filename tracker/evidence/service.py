"""Taking evidence in: a clean copy of each image, a PDF as sent, stored encrypted (issue 17).

An image is decoded by Pillow and its pixels written into a new file of the same type: EXIF
(and the GPS position in it), comments, text chunks, colour profiles and anything appended
after the image stay behind. Of the original only its SHA-256 and size are kept, so the
school can later show that a copy came from the file a parent sent without keeping that file.
The rules (which types, how many, where none at all) are in tracker/domain/evidence.py.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from PIL import Image, ImageFile, ImageOps
from sqlalchemy import orm

from tracker.core.timeline import add_event
from tracker.domain.events import EventKind
from tracker.domain.evidence import (
    DEFAULT_LIMITS,
    IMAGE_KINDS,
    MAX_PIXELS,
    EvidenceRefused,
    Kind,
    Limits,
    Refusal,
    check_count,
    check_file,
    check_pixels,
    uploads_forbidden,
)
from tracker.models import Case, CaseStatus, Evidence, Report, User

# Pillow's own guard against decompression bombs, at our limit: it warns above it and
# refuses at twice it. We check the size from the header before decoding, and turn its
# warning into a refusal too.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
_STRICT = threading.Lock()
_PIL_FORMAT = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP"}
_SAVE = {Kind.JPEG: {"quality": 90}, Kind.PNG: {"compress_level": 6},
         Kind.WEBP: {"quality": 90, "method": 4}}
# Modes each type is written in; anything else (a palette, 16-bit grey with alpha) becomes
# RGBA or RGB first, so the pixels alone carry the picture.
_MODES = {Kind.JPEG: ("L", "RGB", "CMYK"), Kind.PNG: ("1", "L", "LA", "I;16", "RGB", "RGBA"),
          Kind.WEBP: ("RGB", "RGBA")}


@dataclass(frozen=True)
class Upload:
    """One file as the browser sent it; the name is only echoed in a refusal."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Clean:
    """What we keep of one file."""

    kind: Kind
    data: bytes
    width: int | None
    height: int | None
    original_size: int
    original_sha256: str


class FileRefused(EvidenceRefused):
    """A file is refused; `name` says which one (as the person picked it)."""

    def __init__(self, refused: EvidenceRefused, name: str) -> None:
        super().__init__(refused.code, **refused.values)
        self.name = name


def sanitise(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Clean:
    """Return the clean copy of one file, or refuse it (EvidenceRefused)."""
    kind = check_file(data, limits)
    digest = hashlib.sha256(data).hexdigest()
    if kind is Kind.PDF:
        return Clean(kind, data, None, None, len(data), digest)
    clean, width, height = _reencode(data, kind, limits)
    return Clean(kind, clean, width, height, len(data), digest)


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode with Pillow refusing truncated data, whatever the process set.

    WeasyPrint (the annual report) sets ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole
    process when it is imported; a half-sent photo would then be padded with grey and kept.
    The flag is a module global: hold a lock while it is off, and put it back.
    """
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _reencode(data: bytes, kind: Kind, limits: Limits) -> tuple[bytes, int, int]:
    with _strict_decoding(), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[kind]]) as image:
                check_pixels(*image.size, limits)  # from the header, before decoding
                image.load()
                upright = ImageOps.exif_transpose(image)
                pixels = _in_mode(upright, kind)
                # A new image from the pixels alone: no info, EXIF or profile comes along.
                fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
        except EvidenceRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise EvidenceRefused(Refusal.TOO_MANY_PIXELS,
                                  megapixels=limits.max_pixels // 1_000_000) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError,
                TypeError, struct.error):
            # Truncated, damaged, or a header that lies: Pillow's many ways of saying so.
            raise EvidenceRefused(Refusal.DAMAGED) from None
    out = io.BytesIO()
    fresh.save(out, _PIL_FORMAT[kind], **_SAVE[kind])
    return out.getvalue(), fresh.width, fresh.height


def _in_mode(image: Image.Image, kind: Kind) -> Image.Image:
    if image.mode in _MODES[kind]:
        return image
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha and kind is not Kind.JPEG else "RGB")


def prepare(uploads: Sequence[Upload], limits: Limits = DEFAULT_LIMITS, *, already: int = 0,
            category: str | None = None, sexual: bool = False) -> list[Clean]:
    """Return the clean copies of a form's files, or refuse (FileRefused / EvidenceRefused).

    Called before anything is saved: a refused file leaves the form as it was sent.
    """
    if not uploads:
        return []
    if category is not None and uploads_forbidden(category, sexual=sexual):
        raise EvidenceRefused(Refusal.NOT_HERE)
    check_count(already, len(uploads), limits)
    cleans = []
    for upload in uploads:
        try:
            cleans.append(sanitise(upload.data, limits))
        except EvidenceRefused as refused:
            raise FileRefused(refused, upload.name) from None
    return cleans


def count(session: orm.Session, case: Case) -> int:
    """Return how many files a case holds."""
    return session.scalar(sa.select(sa.func.count()).select_from(Evidence)
                          .where(Evidence.case_id == case.id)) or 0


def case_forbids(session: orm.Session, case: Case) -> bool:
    """Return whether no file may be added to this case (its category or a sexual mark)."""
    sexual = session.scalar(sa.select(sa.func.count()).select_from(Report)
                            .where(Report.case_id == case.id, Report.sexual.is_(True)))
    return uploads_forbidden(case.category, sexual=bool(sexual))


def attach(session: orm.Session, case: Case, cleans: Sequence[Clean], now: datetime, *,
           source: str, actor: User | None = None, actor_label: str | None = None,
           limits: Limits = DEFAULT_LIMITS) -> list[Evidence]:
    """Store clean copies with a case and put one line on its timeline; flush, never commit.

    Checked again here, whatever the form said: a closed case takes no files, nor a case
    whose category or sexual mark forbids them, nor more than the limit.
    """
    if not cleans:
        return []
    if case.status == CaseStatus.CLOSED:
        raise EvidenceRefused(Refusal.CLOSED)
    if case_forbids(session, case):
        raise EvidenceRefused(Refusal.NOT_HERE)
    check_count(count(session, case), len(cleans), limits)
    rows = [Evidence(case_id=case.id, added_at=now, added_by_id=actor.id if actor else None,
                     added_by_label=None if actor else actor_label, source=source,
                     kind=clean.kind.value, width=clean.width, height=clean.height,
                     size=len(clean.data), sha256=hashlib.sha256(clean.data).hexdigest(),
                     original_size=clean.original_size,
                     original_sha256=clean.original_sha256, content=clean.data)
            for clean in cleans]
    session.add_all(rows)
    session.flush()
    add_event(session, case, EventKind.EVIDENCE_ADDED, now, actor=actor,
              actor_label=None if actor else actor_label, source=source,
              evidence=[row.id for row in rows], kinds=[row.kind for row in rows])
    return rows


def add_to_case(session: orm.Session, case: Case, uploads: Sequence[Upload], now: datetime, *,
                source: str, actor: User | None = None, actor_label: str | None = None,
                limits: Limits = DEFAULT_LIMITS) -> list[Evidence]:
    """Check, clean and store files sent to an existing case (a reply, a staff upload)."""
    if uploads and case.status == CaseStatus.CLOSED:
        raise EvidenceRefused(Refusal.CLOSED)  # before reading a file: nothing will be kept
    cleans = prepare(uploads, limits, already=count(session, case))
    return attach(session, case, cleans, now, source=source, actor=actor,
                  actor_label=actor_label, limits=limits)


def listed(session: orm.Session, case: Case) -> list[Evidence]:
    """Return a case's files, oldest first, without their contents."""
    return list(session.scalars(sa.select(Evidence).where(Evidence.case_id == case.id)
                                .order_by(Evidence.id)))


def is_image(evidence: Evidence) -> bool:
    return Kind(evidence.kind) in IMAGE_KINDS

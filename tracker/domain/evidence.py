"""Evidence with a report (issue 17): which files we take, how many, and where none at all.

Pure rules: the type of a file is read from its first bytes, never from its name or the
browser's word for it. Services refuse with an `EvidenceRefused` code and values; the views
put the code into words.

HEIC (an iPhone's own format) is not read: pillow-heif would bring libheif's decoders in for
one format, and Safari already turns a photo into a JPEG when a form asks for image/jpeg.
A HEIC file is refused with words that say how to send it instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from tracker.domain.categories import CATEGORY_BY_KEY

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# 64 megapixels: every phone camera's default photo fits (12-50 MP); a decompression bomb
# (a small file that unpacks into gigabytes) does not.
MAX_PIXELS = 64_000_000


class Kind(StrEnum):
    """A kind of file we keep."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    PDF = "pdf"


IMAGE_KINDS = frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP})
MEDIA_TYPES = {Kind.JPEG: "image/jpeg", Kind.PNG: "image/png", Kind.WEBP: "image/webp",
               Kind.PDF: "application/pdf"}
EXTENSIONS = {Kind.JPEG: "jpg", Kind.PNG: "png", Kind.WEBP: "webp", Kind.PDF: "pdf"}
# What the file input asks the browser for (an iPhone then sends JPEG, not HEIC).
ACCEPT = ",".join(MEDIA_TYPES.values())


class Refusal(StrEnum):
    """Why a file (or the files of a form) was refused; the view has words for each."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"
    UNKNOWN_KIND = "unknown_kind"
    HEIC = "heic"
    PROGRAM = "program"
    POLYGLOT = "polyglot"
    TOO_MANY_PIXELS = "too_many_pixels"
    DAMAGED = "damaged"
    ACTIVE_PDF = "active_pdf"
    NOT_HERE = "not_here"
    CLOSED = "closed"


class EvidenceRefused(ValueError):
    """A file is refused: `code` says why, `values` fill in the words (a name, a limit)."""

    def __init__(self, code: Refusal, **values: object) -> None:
        super().__init__(code.value)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Limits:
    """How many files and how large; the school may set its own (app settings)."""

    max_files: int = MAX_FILES
    max_bytes: int = MAX_BYTES
    max_pixels: int = MAX_PIXELS

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> Limits:
        """Return the limits the app's settings set (EVIDENCE_MAX_FILES, _BYTES, _PIXELS)."""
        return cls(max_files=int(settings.get("EVIDENCE_MAX_FILES", MAX_FILES)),
                   max_bytes=int(settings.get("EVIDENCE_MAX_BYTES", MAX_BYTES)),
                   max_pixels=int(settings.get("EVIDENCE_MAX_PIXELS", MAX_PIXELS)))

    @property
    def request_bytes(self) -> int:
        """How large a form with files may be: room for one file more than the limit, so a
        sixth or an oversized file is refused with words rather than a bare 413."""
        return (self.max_files + 1) * self.max_bytes + 1024 * 1024


DEFAULT_LIMITS = Limits()


_SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"%PDF-", Kind.PDF),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
                b"avif")
# Programs and scripts, by their first bytes: a renamed .exe, an ELF binary, a shell script,
# a Windows shortcut, an HTML page.
_PROGRAMS = (b"MZ", b"\x7fELF", b"#!", b"L\x00\x00\x00\x01\x14\x02\x00", b"\xca\xfe\xba\xbe",
             b"\xcf\xfa\xed\xfe", b"PK\x03\x04")
# Another format hidden inside a file (a polyglot): an archive, a page a browser would run,
# a program. Looked for anywhere in an image, and the active markers in a PDF.
_HIDDEN_IN_IMAGES = (b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"<script", b"<html",
                     b"<!doctype html", b"<svg", b"<iframe", b"\x7fELF",
                     b"This program cannot be run in DOS mode")
_HIDDEN_IN_PDFS = (b"<script", b"<html", b"<!doctype html", b"\x7fELF",
                   b"This program cannot be run in DOS mode")
# A PDF that runs something when opened, or carries files of its own. A PDF can hide these
# names in a compressed object stream; this catches the plain ones and staff only ever
# download PDFs (never shown in the browser).
_ACTIVE_PDF = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia",
               b"/XFA", b"/SubmitForm", b"/ImportData")


def sniff(head: bytes) -> Kind:
    """Return the kind of a file from its first bytes, or refuse it."""
    if not head:
        raise EvidenceRefused(Refusal.EMPTY)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        raise EvidenceRefused(Refusal.HEIC)
    if head.startswith(_PROGRAMS):
        raise EvidenceRefused(Refusal.PROGRAM)
    raise EvidenceRefused(Refusal.UNKNOWN_KIND)


def check_file(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Kind:
    """Return the kind of one file when we may take it as sent (size, type, nothing hidden)."""
    if not data:
        raise EvidenceRefused(Refusal.EMPTY)
    if len(data) > limits.max_bytes:
        raise EvidenceRefused(Refusal.TOO_LARGE, megabytes=limits.max_bytes // (1024 * 1024))
    kind = sniff(data[:64])
    lowered = data.lower()
    hidden = _HIDDEN_IN_PDFS if kind is Kind.PDF else _HIDDEN_IN_IMAGES
    if any(marker.lower() in lowered[1:] for marker in hidden):
        raise EvidenceRefused(Refusal.POLYGLOT)
    if kind is Kind.PDF and any(marker in data for marker in _ACTIVE_PDF):
        raise EvidenceRefused(Refusal.ACTIVE_PDF)
    return kind


def check_pixels(width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an image with more pixels than any photo (a decompression bomb)."""
    if width <= 0 or height <= 0:
        raise EvidenceRefused(Refusal.DAMAGED)
    if width * height > limits.max_pixels:
        raise EvidenceRefused(Refusal.TOO_MANY_PIXELS,
                              megapixels=limits.max_pixels // 1_000_000)


def check_count(already: int, adding: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse more files on one case than the limit (those it has plus those being sent)."""
    if already + adding > limits.max_files:
        raise EvidenceRefused(Refusal.TOO_MANY, max=limits.max_files)


def uploads_forbidden(category: str, *, sexual: bool) -> bool:
    """Return whether no file may come with a report of this category or this mark.

    A sexual image of a minor must never be stored or passed on, not even as evidence: where
    the reporter marks sexual behaviour, and for categories whose evidence may be such an
    image (a photo shared without consent, an adult's misconduct, a leak of images), the form
    takes no files and tells the reporter what to do instead.
    """
    if sexual:
        return True
    category_rule = CATEGORY_BY_KEY.get(category)
    return bool(category_rule and category_rule.no_upload)


def blur_images(category: str) -> bool:
    """Return whether a case's images are shown blurred until a person chooses to see them."""
    category_rule = CATEGORY_BY_KEY.get(category)
    return bool(category_rule and category_rule.blur_evidence)


def police_notice(category: str, *, sexual: bool) -> bool:
    """Return whether the case page tells staff to involve the police and to leave the images
    alone (not look for them, copy or forward them): sexual behaviour, or an image shared."""
    return sexual or category == "image_shared"

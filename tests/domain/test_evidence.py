"""Which files we take with a report, and where none at all (issue 17)."""

from __future__ import annotations

import pytest

from tracker.domain.evidence import (
    Kind,
    Limits,
    Refusal,
    blur_images,
    check_count,
    check_file,
    check_pixels,
    police_notice,
    sniff,
    uploads_forbidden,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.mark.parametrize(("head", "kind"), [
    (JPEG, Kind.JPEG), (PNG, Kind.PNG), (WEBP, Kind.WEBP), (PDF, Kind.PDF),
])
def test_the_type_comes_from_the_first_bytes(head, kind) -> None:
    assert sniff(head) is kind


@pytest.mark.parametrize(("head", "code"), [
    (b"", Refusal.EMPTY),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", Refusal.PROGRAM),  # a renamed .exe
    (b"\x7fELF\x02\x01\x01\x00", Refusal.PROGRAM),
    (b"#!/bin/sh\nrm -rf ~\n", Refusal.PROGRAM),
    (b"PK\x03\x04\x14\x00\x00\x00", Refusal.PROGRAM),  # a zip (or a .docx) renamed .jpg
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", Refusal.HEIC),
    (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00", Refusal.HEIC),
    (b"GIF89a\x01\x00\x01\x00", Refusal.UNKNOWN_KIND),
    (b"<svg xmlns='http://www.w3.org/2000/svg'>", Refusal.UNKNOWN_KIND),
    (b"hello, this is text", Refusal.UNKNOWN_KIND),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", Refusal.UNKNOWN_KIND),
])
def test_what_is_not_an_image_or_a_pdf_is_refused(head, code) -> None:
    with pytest.raises(ValueError) as refused:
        sniff(head)
    assert refused.value.code is code


@pytest.mark.parametrize(("data", "code"), [
    (b"", Refusal.EMPTY),
    (JPEG + b"\x00" * 1000, Refusal.TOO_LARGE),
    (JPEG + b"PK\x03\x04" + b"\x00" * 30 + b"PK\x05\x06", Refusal.POLYGLOT),
    (PNG + b"<script>alert(1)</script>", Refusal.POLYGLOT),
    (JPEG + b"<HTML><body>", Refusal.POLYGLOT),
    (PNG + b"%PDF-1.4", Refusal.POLYGLOT),
    (PDF + b"<script>", Refusal.POLYGLOT),
    (PDF.replace(b"<<>>", b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
     Refusal.ACTIVE_PDF),
    (PDF.replace(b"<<>>", b"<< /Type /Filespec /EF << /F 2 0 R >> /EmbeddedFile >>"),
     Refusal.ACTIVE_PDF),
    (PDF.replace(b"<<>>", b"<< /S /Launch /F (cmd.exe) >>"), Refusal.ACTIVE_PDF),
])
def test_a_file_is_checked_whole(data, code) -> None:
    with pytest.raises(ValueError) as refused:
        check_file(data, Limits(max_bytes=1000))
    assert refused.value.code is code


def test_the_size_refusal_says_the_limit() -> None:
    with pytest.raises(ValueError) as refused:
        check_file(b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024))
    assert refused.value.values == {"megabytes": 10}


@pytest.mark.parametrize("data", [JPEG, PNG, WEBP, PDF, JPEG + b"\x00" * (1000 - len(JPEG))])
def test_a_plain_file_passes(data) -> None:
    assert check_file(data, Limits(max_bytes=1000)) in Kind


@pytest.mark.parametrize(("width", "height", "ok"), [
    (4032, 3024, True),  # a 12 MP phone photo
    (8000, 8000, True),
    (8000, 8001, False),
    (20_000, 20_000, False),
    (0, 10, False),
    (1, 2**31, False),
])
def test_pixels(width, height, ok) -> None:
    if ok:
        check_pixels(width, height)
    else:
        with pytest.raises(ValueError):
            check_pixels(width, height)


@pytest.mark.parametrize(("already", "adding", "ok"), [
    (0, 5, True), (0, 6, False), (4, 1, True), (5, 1, False), (3, 3, False), (0, 0, True),
])
def test_at_most_five_files_a_case(already, adding, ok) -> None:
    if ok:
        check_count(already, adding)
    else:
        with pytest.raises(ValueError) as refused:
            check_count(already, adding)
        assert refused.value.code is Refusal.TOO_MANY
        assert refused.value.values == {"max": 5}


@pytest.mark.parametrize(("category", "sexual", "forbidden", "police", "blur"), [
    ("cyberbullying", False, False, False, False),
    ("cyberbullying", True, True, True, False),
    ("bullying", False, False, False, False),
    ("image_shared", False, True, True, False),
    ("harmful_content", False, False, False, True),
    ("harmful_content", True, True, True, True),
    ("adult_misconduct", False, True, False, False),
    ("adult_misconduct", True, True, True, False),
    ("privacy_leak", False, True, False, False),
    ("other", False, False, False, False),
    ("no-such-category", False, False, False, False),
])
def test_where_files_are_refused(category, sexual, forbidden, police, blur) -> None:
    assert uploads_forbidden(category, sexual=sexual) is forbidden
    assert police_notice(category, sexual=sexual) is police
    assert blur_images(category) is blur

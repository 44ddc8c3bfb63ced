"""Taking evidence in: clean copies, chain of custody, refusals (issue 17)."""

from __future__ import annotations

import hashlib
import io

import pytest
from evidence_files import (
    jpeg_with_gps,
    jpeg_zip_polyglot,
    oversized_jpeg,
    pdf,
    png_header_only,
    png_screenshot,
    renamed_exe,
    truncated_jpeg,
    webp,
)
from PIL import Image

from tracker.domain.evidence import Kind, Limits, Refusal
from tracker.evidence.service import FileRefused, Upload, prepare, sanitise


def test_a_jpeg_loses_its_exif_gps_and_comment():
    sent = jpeg_with_gps()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the test file has GPS
    clean = sanitise(sent)
    kept = Image.open(io.BytesIO(clean.data))
    assert clean.kind is Kind.JPEG and kept.format == "JPEG"
    assert not kept.getexif() and "comment" not in kept.info and "exif" not in kept.info
    assert b"Exif" not in clean.data and b"Jansen" not in clean.data
    assert b"Telefoonmerk" not in clean.data
    assert (clean.width, clean.height) == (64, 48)
    assert clean.original_size == len(sent)
    assert clean.original_sha256 == hashlib.sha256(sent).hexdigest()


def test_a_png_loses_its_text_and_a_webp_stays_a_webp():
    clean = sanitise(png_screenshot())
    assert b"Sanne" not in clean.data and b"tEXt" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).format == "PNG"
    assert Image.open(io.BytesIO(sanitise(webp()).data)).format == "WEBP"


def test_the_photo_is_turned_upright_before_its_exif_goes():
    image = Image.new("RGB", (60, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise, as a phone held upright writes it
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    clean = sanitise(out.getvalue())
    assert (clean.width, clean.height) == (20, 60)


def test_a_pdf_is_kept_as_sent():
    clean = sanitise(pdf())
    assert clean.kind is Kind.PDF and clean.data == pdf()


@pytest.mark.parametrize(("data", "code"), [
    (b"", Refusal.EMPTY),
    (renamed_exe(), Refusal.PROGRAM),
    (truncated_jpeg(), Refusal.DAMAGED),
    (png_header_only(20_000, 20_000), Refusal.TOO_MANY_PIXELS),
    (png_header_only(9_000, 9_000), Refusal.TOO_MANY_PIXELS),  # Pillow's warning zone
    (png_header_only(100, 100), Refusal.DAMAGED),  # the header lies about the data
    (jpeg_zip_polyglot(), Refusal.POLYGLOT),
    (b"\xff\xd8\xff" + b"garbage" * 20, Refusal.DAMAGED),
])
def test_bad_files_are_refused_with_a_code(data, code):
    with pytest.raises(ValueError) as refused:
        sanitise(data)
    assert refused.value.code is code


def test_an_oversized_file_is_refused_before_it_is_decoded():
    with pytest.raises(ValueError) as refused:
        sanitise(oversized_jpeg())
    assert refused.value.code is Refusal.TOO_LARGE


def test_a_form_names_the_file_it_refuses_and_counts_the_files():
    files = [Upload("a.jpg", jpeg_with_gps()), Upload("virus.jpg", renamed_exe())]
    with pytest.raises(FileRefused) as refused:
        prepare(files)
    assert refused.value.name == "virus.jpg" and refused.value.code is Refusal.PROGRAM
    with pytest.raises(ValueError) as refused:
        prepare([Upload(f"{i}.png", png_screenshot()) for i in range(6)])
    assert refused.value.code is Refusal.TOO_MANY
    with pytest.raises(ValueError) as refused:
        prepare([Upload("a.png", png_screenshot())], already=5)
    assert refused.value.code is Refusal.TOO_MANY
    assert len(prepare([Upload("a.png", png_screenshot())], Limits(), already=4)) == 1


@pytest.mark.parametrize(("category", "sexual"), [("image_shared", False),
                                                  ("cyberbullying", True)])
def test_no_files_where_the_report_forbids_them(category, sexual):
    with pytest.raises(ValueError) as refused:
        prepare([Upload("a.png", png_screenshot())], category=category, sexual=sexual)
    assert refused.value.code is Refusal.NOT_HERE
    assert prepare([], category=category, sexual=sexual) == []


def test_a_truncated_image_is_refused_even_after_weasyprint_was_imported():
    import weasyprint  # noqa: F401 - sets ImageFile.LOAD_TRUNCATED_IMAGES for the process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(ValueError) as refused:
        sanitise(truncated_jpeg())
    assert refused.value.code is Refusal.DAMAGED
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # put back as it was

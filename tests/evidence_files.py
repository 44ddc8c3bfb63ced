"""Files a parent might send, and files an attacker might: made here, small and fast."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

# Amersfoort, more or less: what a phone writes into a photo taken at home.
GPS = {1: "N", 2: (52.0, 9.0, 21.0), 3: "E", 4: (5.0, 23.0, 13.0)}


def jpeg_with_gps(size: tuple[int, int] = (64, 48), *, noise: bool = False) -> bytes:
    """Return a JPEG carrying EXIF with a GPS position, a maker and a comment."""
    image = Image.effect_noise(size, 60).convert("RGB") if noise \
        else Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(0x8825).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"thuis bij familie Jansen", quality=92)
    return out.getvalue()


def png_screenshot(size: tuple[int, int] = (120, 80)) -> bytes:
    """Return a PNG with a text chunk (as screenshot tools write)."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Ouder van Sanne")
    out = io.BytesIO()
    Image.new("RGB", size, (240, 240, 250)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def webp(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(out, "WEBP")
    return out.getvalue()


def pdf() -> bytes:
    """Return a small, plain one-page PDF."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width: int = 20_000, height: int = 20_000) -> bytes:
    """Return a tiny PNG whose header claims width x height pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))


def truncated_jpeg() -> bytes:
    data = jpeg_with_gps((200, 150), noise=True)
    return data[: len(data) // 2]


def renamed_exe() -> bytes:
    """Return the start of a Windows program, as if renamed to foto.jpg."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + \
        b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 200


def jpeg_zip_polyglot() -> bytes:
    """Return a JPEG with a zip archive appended: an image and an archive at once."""
    return jpeg_with_gps() + b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"PK\x05\x06" + b"\x00" * 18


def oversized_jpeg(megabytes: int = 10) -> bytes:
    """Return a JPEG one byte larger than the limit (padding after the image)."""
    data = jpeg_with_gps()
    return data + b"\x00" * (megabytes * 1024 * 1024 + 1 - len(data))

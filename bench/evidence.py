"""Evidence (issue 17): size and time per upload, from the file as sent to the stored token.

For a typical phone photo (4032 x 3024 JPEG, about 3 MB, with GPS EXIF), a phone screenshot
(PNG) and a PDF: sanitise (check, decode, re-encode), encrypt, and the stored size. Median of
BENCH_EVIDENCE_ROUNDS (5). Prints figures only; asserts nothing.

    .venv/bin/python bench/evidence.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from PIL import Image, ImageDraw  # noqa: E402

from tracker.config import DEV_CONFIDENTIAL_KEY  # noqa: E402
from tracker.core.crypto import Keyring  # noqa: E402
from tracker.evidence.service import sanitise  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_EVIDENCE_ROUNDS", "5"))


def phone_photo() -> bytes:
    """A 12 MP photo of about 3 MB: soft shapes with sensor noise, GPS in its EXIF."""
    size = (4032, 3024)
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(base)
    for i in range(40):
        draw.ellipse((i * 97 % 4000, i * 61 % 3000, i * 97 % 4000 + 600, i * 61 % 3000 + 400),
                     fill=(i * 6 % 255, 120, 255 - i * 6 % 255))
    noise = Image.effect_noise(size, 18).convert("RGB")
    photo = Image.blend(base, noise, 0.3)
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 9.0, 21.0), 3: "E", 4: (5.0, 23.0, 13.0)})
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def screenshot() -> bytes:
    """A phone screenshot of a group chat with a shared photo in it (1170 x 2532 PNG)."""
    image = Image.new("RGB", (1170, 2532), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    for row in range(40):
        y = 80 + row * 60
        x = 40 if row % 2 else 400
        draw.rounded_rectangle((x, y, x + 700, y + 48), 12,
                               fill=(255, 255, 255) if row % 2 else (220, 248, 198))
        draw.text((x + 16, y + 14), f"bericht {row}: " + "tekst " * 12, fill=(20, 20, 20))
    # A photo someone shared in the chat.
    image.paste(Image.effect_noise((700, 900), 40).convert("RGB"), (400, 1200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 20) -> bytes:
    """A plain PDF of some pages (an e-mail printed to PDF), about 100 kB."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Kids[" + b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
               + b"]/Count %d>>" % pages]
    objects += [b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>" for _ in range(pages)]
    body = b"%PDF-1.4\n" + b"".join(b"%d 0 obj%s endobj\n" % (n + 1, o)
                                    for n, o in enumerate(objects))
    filler = b"% " + b"x" * 4000 + b"\n"
    return body + filler * 25 + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def measure(name: str, data: bytes, ring: Keyring) -> None:
    sanitise_ms, encrypt_ms = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        clean = sanitise(data)
        middle = time.perf_counter()
        token = ring.encrypt_bytes(clean.data)
        sanitise_ms.append((middle - start) * 1000)
        encrypt_ms.append((time.perf_counter() - middle) * 1000)
    print(f"{name:18} sent {len(data) / 1e6:6.2f} MB  clean {len(clean.data) / 1e6:6.2f} MB  "
          f"stored {len(token) / 1e6:6.2f} MB  sanitise {statistics.median(sanitise_ms):7.1f} ms"
          f"  encrypt {statistics.median(encrypt_ms):6.1f} ms")


def main() -> None:
    ring = Keyring(DEV_CONFIDENTIAL_KEY)
    print(f"evidence: median of {ROUNDS} rounds, one core")
    measure("phone photo JPEG", phone_photo(), ring)
    measure("screenshot PNG", screenshot(), ring)
    measure("PDF", pdf(), ring)


if __name__ == "__main__":
    main()

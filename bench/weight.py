"""Page weight: what a parent's page and each kiosk screen load, first time and cached.

In-process (test client) on a migrated demo database: each page is fetched with everything it
names (stylesheets, scripts, images, icons, and what the stylesheets name with url(...)),
counting bytes and requests as a browser would. Cached: the same visit again with a browser
cache that honours Cache-Control (no-store, no-cache, max-age) and ETag/Last-Modified (a
revalidation is a request with an empty 304). Limits (issue 18): a kiosk screen under 200 KB,
a parent page under 100 KB, on the first load. Bytes are the bodies as the app sends them
(compression is the proxy's business and would only make them smaller).
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import seed  # noqa: E402
from sqlalchemy import orm  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.core.db import utcnow  # noqa: E402
from tracker.kiosk.service import start_enrolment  # noqa: E402

KIOSK_LIMIT = 200 * 1024
PARENT_LIMIT = 100 * 1024
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class Assets(HTMLParser):
    """The URLs a browser fetches for an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and {"stylesheet", "icon", "preload",
                                                "apple-touch-icon"} & set(
                                                    (a.get("rel") or "").split()):
            self.urls.append(a["href"])
        elif tag in ("script", "img", "audio", "source") and a.get("src"):
            self.urls.append(a["src"])


def assets(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return [u for u in dict.fromkeys(parser.urls) if u.startswith("/")]


@dataclass
class Cached:
    etag: str | None
    modified: str | None
    fresh: bool  # max-age > 0 and not no-cache: used without asking
    cookies: str | None  # with Vary: Cookie, the cookies it was fetched with


@dataclass
class Browser:
    client: object
    cache: dict[str, Cached] = field(default_factory=dict)

    def fetch(self, url: str, *, cached: bool) -> tuple[int, int, str]:
        """Return (requests, body bytes, text) for one URL, through the cache when `cached`."""
        entry = self.cache.get(url) if cached else None
        if entry is not None and entry.fresh and entry.cookies in (None, self.cookies()):
            return 0, 0, ""
        headers = {}
        if entry is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.modified:
                headers["If-Modified-Since"] = entry.modified
        response = self.client.get(url, headers=headers)
        body = response.get_data()
        control = response.headers.get("Cache-Control", "")
        if "no-store" not in control and response.status_code in (200, 304):
            age = re.search(r"max-age=(\d+)", control)
            fresh = bool(age and int(age.group(1)) > 0 and "no-cache" not in control)
            vary = response.headers.get("Vary", "").lower()
            self.cache[url] = Cached(response.headers.get("ETag"),
                                     response.headers.get("Last-Modified"), fresh,
                                     self.cookies() if "cookie" in vary else None)
        return 1, len(body), body.decode("utf-8", "replace")

    def cookies(self) -> str:
        # A response that varies on Cookie is reused only while the cookies are the same (a
        # kiosk's session cookie changes with every tap).
        jar = getattr(self.client, "_cookies", {})
        return ";".join(sorted(f"{c.key}={c.value}" for c in jar.values()))

    def visit(self, url: str, html: str | None = None, *, cached: bool) -> tuple[int, int]:
        """Load a page (or take its HTML when it came from a redirect) with what it loads."""
        requests, size = (1, len(html.encode())) if html is not None else (0, 0)
        if html is None:
            requests, size, html = self.fetch(url, cached=False)  # pages are no-store
        for asset in assets(html):
            n, b, text = self.fetch(asset, cached=cached)
            requests, size = requests + n, size + b
            if asset.split("?")[0].endswith(".css") and text:
                for inner in dict.fromkeys(CSS_URL.findall(text)):
                    if inner.startswith("/"):
                        n, b, _ = self.fetch(inner, cached=cached)
                        requests, size = requests + n, size + b
        return requests, size


def kiosk_walk(client):
    """Yield (screen, url, how to reach it) along the five taps, then the code screen."""
    def post(url, **data):
        html = client.get(url).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        data |= {"csrf_token": token.group(1)} if token else {}
        return client.post(url, data=data)

    yield "kiosk: wat (start)", "/kiosk/", None
    post("/kiosk/", choice="bullying")
    yield "kiosk: waar", "/kiosk/waar", None
    post("/kiosk/waar", choice="school")
    yield "kiosk: wie", "/kiosk/wie", None
    yield "kiosk: naam", "/kiosk/naam", None
    post("/kiosk/wie", choice="anonymous")
    yield "kiosk: gevaar", "/kiosk/gevaar", None
    post("/kiosk/gevaar", choice="no")
    yield "kiosk: praten", "/kiosk/praten", None
    done = post("/kiosk/praten", choice="no")
    assert done.status_code == 303, done.status_code
    yield "kiosk: klaar (picture code)", "/kiosk/klaar", "once"
    yield "kiosk: code", "/kiosk/code", None


def measure(app, session) -> list[tuple[str, int, int, int, int, int]]:
    rows = []
    for name, url in (("parent: /melden", "/melden"), ("parent: /volgen", "/volgen/")):
        browser = Browser(app.test_client())
        first = browser.visit(url, cached=False)
        again = browser.visit(url, cached=True)
        rows.append((name, *first, *again, PARENT_LIMIT))
    kiosk = app.test_client()
    _device, token = start_enrolment(session, None, "Bench", utcnow())
    session.commit()
    page = kiosk.get(f"/kiosk/aanmelden/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    kiosk.post(f"/kiosk/aanmelden/{token}", data={"csrf_token": csrf.group(1)} if csrf else {})
    browser = Browser(kiosk)
    for name, url, once in kiosk_walk(kiosk):
        if once:
            # Shown once: the first load is the real one; the same screen again is the
            # cached one, from the same HTML.
            html = kiosk.get(url).get_data(as_text=True)
            first = browser.visit(url, html, cached=False)
            again = browser.visit(url, html, cached=True)
        else:
            first = browser.visit(url, cached=False)
            again = browser.visit(url, cached=True)
        rows.append((name, *first, *again, KIOSK_LIMIT))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="meldpunt-weight-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'weight.sqlite3'}"
        engine = seed.demo_school(url)
        app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                          "TRACKER_STASH_DIR": str(Path(tmp) / "stash")})
        with orm.Session(app.extensions["tracker.engine"]) as session:
            rows = measure(app, session)
        engine.dispose()
    print("page weight (bodies as sent; cached = again with the browser cache; limit on the "
          "first load)")
    print(f"  {'page':<30}{'requests':>9}{'KB':>8} |{'cached: req':>12}{'KB':>8} |"
          f"{'limit KB':>9}")
    for name, n, size, n2, size2, limit in rows:
        verdict = "ok" if size < limit else "OVER"
        print(f"  {name:<30}{n:>9}{size / 1024:8.1f} |{n2:>12}{size2 / 1024:8.1f} |"
              f"{limit // 1024:>9} {verdict}")


if __name__ == "__main__":
    main()

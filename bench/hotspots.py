"""Where a page's time goes: cProfile in-process, through the test client, on a seeded database.

`make bench` runs it (after the web figures) and prints, per page, the milliseconds per request
and the SQL statements, then the five functions that cost most (own time) and the five costliest
calls of Meldpunt's own code and its templates (cumulative time). Run it alone while working:
`.venv/bin/python bench/hotspots.py` (PROFILE_CASES, default 20,000; PROFILE_REQUESTS, 200).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import seed  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.setup.demo import DEMO_PASSWORD  # noqa: E402

CASES = int(os.environ.get("PROFILE_CASES", "20000"))
REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "200"))
TEACHER = "leerkracht5@demo.meldpunt.test"
TOP = 5
OWN_CODE = (str(ROOT / "tracker"), "templates/")


def hidden(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    return re.search(r'\bvalue="([^"]*)"', tag.group(0)).group(1)


def prepare(url: str) -> None:
    engine = seed.demo_school(url)
    seed.seed(engine, CASES)
    engine.dispose()


class Counter:
    def __init__(self, engine: sa.Engine) -> None:
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self)

    def __call__(self, *_args) -> None:
        self.n += 1


def scenarios(app):
    """Yield (name, one request) pairs; each request checks its own answer."""
    parent = app.test_client()

    def melden_get():
        assert parent.get("/melden").status_code == 200

    def melden_post():
        html = parent.get("/melden").get_data(as_text=True)
        data = {"csrf_token": hidden(html, "csrf_token"),
                "submission_key": hidden(html, "submission_key"),
                "category": "bullying", "group": "5", "about_kind": "child",
                "description": "Mijn kind wordt in de pauze gepest door kinderen uit de klas."}
        timer.start()
        response = parent.post("/melden", data=data)
        timer.stop()
        assert response.status_code == 303, response.status_code

    staff = app.test_client()
    html = staff.get("/login").get_data(as_text=True)
    staff.post("/login", data={"csrf_token": hidden(html, "csrf_token"), "email": TEACHER,
                               "password": DEMO_PASSWORD})
    queue_html = staff.get("/cases/").get_data(as_text=True)
    case_paths = list(dict.fromkeys(re.findall(r'href="(/cases/\d+)"', queue_html)))
    visits = iter(range(10**9))

    def queue():
        assert staff.get("/cases/").status_code == 200

    def case_page():
        path = case_paths[next(visits) % len(case_paths)]
        assert staff.get(path).status_code == 200

    yield "GET /melden", melden_get, None
    yield "POST /melden", melden_post, "post"
    yield "GET /cases/ (queue)", queue, None
    yield "GET /cases/<id> (case page)", case_page, None


class Timer:
    """The GET that fetches a fresh token for each POST is not the POST's cost: pause it."""

    def __init__(self) -> None:
        self.profile: cProfile.Profile | None = None

    def start(self) -> None:
        if self.profile:
            self.profile.enable()

    def stop(self) -> None:
        if self.profile:
            self.profile.disable()


timer = Timer()


def run_one(name, call, kind, counter) -> list[str]:
    for _ in range(max(5, REQUESTS // 10)):  # warm up: templates, caches
        call()
    started = time.perf_counter()
    for _ in range(REQUESTS):
        call()
    plain = (time.perf_counter() - started) / REQUESTS * 1000
    profile = cProfile.Profile()
    counter.n = 0
    started = time.perf_counter()
    if kind == "post":
        timer.profile = profile  # only the POST itself is profiled
        for _ in range(REQUESTS):
            call()
        timer.profile = None
    else:
        profile.enable()
        for _ in range(REQUESTS):
            call()
        profile.disable()
    wall = (time.perf_counter() - started) / REQUESTS * 1000
    stats = pstats.Stats(profile)
    total = stats.total_tt / REQUESTS * 1000
    lines = [f"{name}: {plain:.1f} ms a request without the profiler"
             + (" (with the GET for its token)" if kind == "post" else "")
             + f"; {total:.1f} ms profiled ({wall:.1f} ms wall); "
             f"{counter.n / REQUESTS:.1f} SQL statements"
             + (" (with the GET)" if kind == "post" else "")]
    rows = [(func, tt, ct, nc) for func, (_cc, nc, tt, ct, _callers) in stats.stats.items()]
    lines.append(f"   top {TOP} own time (ms a request, calls a request):")
    for func, tt, _ct, nc in sorted(rows, key=lambda r: -r[1])[:TOP]:
        lines.append(f"     {tt / REQUESTS * 1000:6.2f} ms {nc / REQUESTS:7.1f}x  {where(func)}")
    lines.append(f"   top {TOP} of Meldpunt's code and templates, cumulative:")
    own = [r for r in rows if any(part in r[0][0] for part in OWN_CODE)
           and r[0][2] not in ("<module>",)]
    for func, _tt, ct, nc in sorted(own, key=lambda r: -r[2])[:TOP]:
        lines.append(f"     {ct / REQUESTS * 1000:6.2f} ms {nc / REQUESTS:7.1f}x  {where(func)}")
    return lines


def where(func) -> str:
    path, line, name = func
    if path == "~":
        return name
    for prefix in (str(ROOT) + "/", *(p + "/" for p in sys.path if p)):
        if path.startswith(prefix):
            path = path[len(prefix):]
            break
    return f"{name} ({path}:{line})"


def main() -> None:
    url = os.environ.get("PROFILE_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="meldpunt-profile-") as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'profile.sqlite3'}"
        started = time.perf_counter()
        prepare(url)
        print(f"profile: {CASES:,} cases seeded in {time.perf_counter() - started:.1f} s; "
              f"{REQUESTS} requests a page, in-process (test client), SQLite file", flush=True)
        app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                          "TRACKER_ENV": "development"})
        counter = Counter(app.extensions["tracker.engine"])
        for name, call, kind in scenarios(app):
            print("\n".join(run_one(name, call, kind, counter)) + "\n", flush=True)


if __name__ == "__main__":
    main()

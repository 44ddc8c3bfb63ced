"""`make bench`: Meldpunt against a minimal Flask app (the floor), same server, same database.

For SQLite (a temporary WAL file) and, when TRACKER_TEST_DATABASE_URL is set, PostgreSQL (a
schema of its own, dropped afterwards): migrate, load the demo school, seed 100,000 cases,
start both apps under gunicorn (2 sync workers), drive each with 8 connections for a fixed
time and print throughput and p50/p99 latency as ratios to the floor, against issue 18's
targets. Then, in-process, where each page's time goes (bench/hotspots.py: the top five costs)
and what each parent page and kiosk screen weighs (bench/weight.py), then the tick
(bench/tick.py) and the insight figures (bench/insight.py). Asserts nothing.

Environment: BENCH_CASES (100000), BENCH_SECONDS (6), BENCH_CONNECTIONS (8); BENCH_ONLY=web
runs the web figures alone (while working on a page), BENCH_ONLY=web,hotspots,weight picks.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import floor_app  # noqa: E402
import load  # noqa: E402
import seed  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from tracker.setup.demo import DEMO_PASSWORD  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = 2
TEACHER = "leerkracht5@demo.meldpunt.test"
# The rate limiter would (rightly) stop 8 connections from one address: it is off here.
APP_SPEC = "tracker:create_app({'RATELIMIT_ENABLED': False})"
PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")
PARTS = ("web", "hotspots", "weight", "tick", "insight")
ONLY = [p.strip() for p in os.environ.get("BENCH_ONLY", ",".join(PARTS)).split(",") if p.strip()]
# Issue 18: throughput as a share of the floor's, in the same run.
TARGETS = {"submit": 0.3, "queue": 0.5, "case": 0.4}
# p99 as a multiple of the floor's before issue 18 (bench of 2 December 2026, a loaded
# machine): no page may get worse than this.
P99_BEFORE = {"sqlite": {"submit": 9.44, "queue": 3.31, "case": 4.16},
              "postgresql": {"submit": 4.10, "queue": 3.04, "case": 3.78}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sqlite_database(tmp: Path):
    yield ("SQLite (WAL file, synchronous=NORMAL)",
           f"sqlite:///{tmp / 'meldpunt.sqlite3'}", f"sqlite:///{tmp / 'floor.sqlite3'}")


@contextmanager
def postgres_database():
    schema = f"bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    try:
        yield f"PostgreSQL (schema {schema})", url, url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(url: str, floor_url: str) -> tuple[seed.SeedStats, float]:
    """Migrate, load the demo school and seed both databases before any server starts."""
    started = time.perf_counter()
    engine = seed.demo_school(url)
    stats = seed.seed(engine, CASES)
    engine.dispose()
    floor_engine = floor_app.make_engine(floor_url)
    floor_app.seed(floor_engine, CASES)
    floor_engine.dispose()
    return stats, time.perf_counter() - started


@contextmanager
def gunicorn(spec: str, url: str, log: Path, *extra: str):
    """Run `spec` under gunicorn on a free port until the block ends; yield the port."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="development",
               SECRET_KEY=secrets.token_hex(32))
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS),
           "--worker-class", "sync", "--no-control-socket", "--bind", f"127.0.0.1:{port}",
           "--log-level", "warning", "--chdir", str(ROOT), *extra, spec]
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_ready(proc, port, log)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_ready(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            load.Client(port).request("GET", "/healthz")
            return
        except load.Failed:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within 30 s:\n{log.read_text()}")


def queue_rows(port: int) -> str:
    """Log in once and count the case rows on the first queue page."""
    client = load.Client(port)
    try:
        load.Page("/cases/", login=(TEACHER, DEMO_PASSWORD)).setup(client, 0)
        html = client.request("GET", "/cases/")
    except load.Failed as exc:
        return f"(no page: {exc})"
    return str(html.split("<tbody>", 1)[-1].split("</tbody>", 1)[0].count("<tr"))


def measure(ours: int, floor: int) -> dict[str, tuple[load.Result, load.Result]]:
    """Floor and ours alternately, each scenario for SECONDS after a 1 s warm-up."""
    def go(scenario, port):
        return load.run(scenario, port, connections=CONNECTIONS, duration=SECONDS)

    results = {}
    floor_list = go(load.Page("/items", must_contain="<table>"), floor)
    queue = go(load.Page("/cases/", login=(TEACHER, DEMO_PASSWORD),
                         must_contain='class="queue"'), ours)
    results["queue"] = (queue, floor_list)
    case = go(load.CasePages("/cases/", login=(TEACHER, DEMO_PASSWORD),
                             must_contain='class="timeline"'), ours)
    results["case"] = (case, floor_list)
    floor_pair = go(load.FloorPair(), floor)
    submit = go(load.MeldenPair(), ours)
    results["submit"] = (submit, floor_pair)
    return results


def _ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:5.2f}x" if floor else "   n/a"


def table(results: dict[str, tuple[load.Result, load.Result]]) -> list[str]:
    head = (f"{'scenario':<36}{'ours/s':>9}{'floor/s':>9}{'ratio':>8} |"
            f"{'p50 ms':>8}{'floor':>8}{'ratio':>8} |{'p99 ms':>8}{'floor':>8}{'ratio':>8} |"
            f"{'errors':>7}")
    lines = [head, "-" * len(head)]

    def row(name, ours, floor, label=None, rate=True):
        o_rate = ours.throughput if rate else float("nan")
        f_rate = floor.throughput if rate else float("nan")
        rates = (f"{o_rate:9.0f}{f_rate:9.0f}{_ratio(o_rate, f_rate):>8}" if rate
                 else " " * 26)
        p50o, p50f = ours.p50(label), floor.p50(label)
        p99o, p99f = ours.p99(label), floor.p99(label)
        errors = f"{ours.errors}/{floor.errors}" if rate else ""
        lines.append(f"{name:<36}{rates} |{p50o:8.1f}{p50f:8.1f}{_ratio(p50o, p50f):>8} |"
                     f"{p99o:8.1f}{p99f:8.1f}{_ratio(p99o, p99f):>8} |{errors:>7}")

    submit, floor_pair = results["submit"]
    row("submission (GET+POST /melden)", submit, floor_pair)
    row("  GET /melden (form)", submit, floor_pair, "GET", rate=False)
    row("  POST /melden (303)", submit, floor_pair, "POST", rate=False)
    queue, floor_list = results["queue"]
    row("queue GET /cases/ (leerkracht5)", queue, floor_list)
    case, floor_list = results["case"]
    row("case page GET /cases/<id> (same)", case, floor_list)
    return lines


def report(title: str, stats: seed.SeedStats, prep: float, rows: str, results) -> None:
    print(f"\n== {title}")
    print(f"   seeded {stats.cases:,} cases + reports, {stats.participants:,} participants, "
          f"{stats.events:,} timeline events in {stats.seconds:.1f} s "
          f"(whole preparation {prep:.1f} s)")
    print(f"   leerkracht5 takes part in {stats.teacher_total:,} cases, {stats.teacher_open:,} "
          f"open; first queue page shows {rows} rows; floor: {CASES:,} rows")
    print(f"   gunicorn {WORKERS} sync workers; {CONNECTIONS} connections; "
          f"{SECONDS:g} s per scenario after 1 s warm-up; a submission = GET form + POST "
          f"(floor: the same pair on /items/new)")
    print("   the queue and the case page are both set against the floor's 50-row list page; "
          "every case page view also writes its access-log line")
    print("   ratio = ours / floor (throughput: higher is better; latency: lower is better)\n")
    for line in table(results):
        print("   " + line)
    for name, (ours, floor) in results.items():
        for who, r in (("ours", ours), ("floor", floor)):
            if r.first_error:
                print(f"   ! {name} {who}: {r.errors} errors, first: {r.first_error}")
    names = {"submit": "submission", "queue": "queue page", "case": "case page"}
    before = P99_BEFORE["postgresql" if title.startswith("PostgreSQL") else "sqlite"]
    print()
    for key, name in names.items():
        ours, floor = results[key]
        ratio = ours.throughput / floor.throughput if floor.throughput else 0.0
        verdict = "met" if ratio >= TARGETS[key] else "NOT met"
        p99 = ours.p99() / floor.p99() if floor.p99() else float("nan")
        p99_verdict = "ok" if p99 <= before[key] else "WORSE"
        print(f"   target {name} throughput >= {TARGETS[key]} x floor: {verdict} "
              f"({ratio:.2f}x); p99 {p99:.2f}x floor, before issue 18 {before[key]:.2f}x: "
              f"{p99_verdict}")
    sys.stdout.flush()


def bench(database, tmp: Path) -> None:
    with database as (title, url, floor_url):
        stats, prep = prepare(url, floor_url)
        with ExitStack() as servers:
            ours = servers.enter_context(gunicorn(APP_SPEC, url, tmp / "ours.log"))
            floor = servers.enter_context(gunicorn(
                "floor_app:create_app()", floor_url, tmp / "floor.log",
                "--pythonpath", str(BENCH)))
            rows = queue_rows(ours)
            results = measure(ours, floor)
        report(title, stats, prep, rows, results)
        if any(r.errors for pair in results.values() for r in pair):
            print_logs(tmp)


def print_logs(tmp: Path) -> None:
    for log in ("ours.log", "floor.log"):
        path = tmp / log
        tail = path.read_text(errors="replace").splitlines()[-30:] if path.exists() else []
        if tail:
            print(f"\n   last lines of the {log.split('.')[0]} server's log:")
            print("\n".join("   | " + line for line in tail), flush=True)


def run_script(name: str) -> None:
    script = BENCH / name
    if not script.exists():
        return
    print(f"\n== {script.relative_to(ROOT)}", flush=True)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True,
                          text=True, timeout=1800)
    print(done.stdout, end="")
    if done.stderr:
        print(done.stderr, end="", file=sys.stderr)
    if done.returncode:
        print(f"   ({script.name} exited with {done.returncode})")


def main() -> None:
    started = time.perf_counter()
    if "web" in ONLY:
        print(f"Meldpunt benchmark: {CASES:,} cases, {os.cpu_count()} CPUs", flush=True)
        with tempfile.TemporaryDirectory(prefix="meldpunt-bench-") as tmp_name:
            tmp = Path(tmp_name)
            (tmp / "sqlite").mkdir()
            bench(sqlite_database(tmp / "sqlite"), tmp)
            if PG_URL:
                bench(postgres_database(), tmp)
            else:
                print("\n(PostgreSQL skipped: set TRACKER_TEST_DATABASE_URL to include it)")
        print(f"\nbenchmark took {time.perf_counter() - started:.0f} s", flush=True)
    for part in PARTS[1:]:
        if part in ONLY:
            run_script(f"{part}.py")


if __name__ == "__main__":
    main()

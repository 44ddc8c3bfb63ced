"""A bounded HTTP load generator: N connections for a fixed time, then it stops by itself.

Connections are threads spread over a few processes (so the client's GIL is not the
bottleneck), each with its own cookie jar, using http.client. gunicorn's sync workers close
every connection after a response; http.client reconnects on the next request.

A scenario has a `setup` (e.g. log in, not measured) and a `unit` of work: one page, or a
GET+POST pair for a form. Throughput counts units; latencies are per unit and per request.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from statistics import quantiles
from urllib.parse import urlencode

TIMEOUT = 10.0
MAX_UNITS_PER_CONNECTION = 20_000  # a hard bound on top of the duration


class Failed(Exception):
    """A response was not what a working page gives."""


class Client:
    """One keep-alive-capable connection with its own cookies."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None,
                expect: int | tuple[int, ...] = 200) -> str:
        headers = {"User-Agent": "meldpunt-bench/1", "Accept": "text/html"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            raise Failed(f"{method} {path}: {exc!r}") from exc
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.conn.close()
        if response.status not in (expect if isinstance(expect, tuple) else (expect,)):
            raise Failed(f"{method} {path}: {response.status}, expected {expect}")
        return text


def hidden(html: str, name: str) -> str:
    """Return the value of a hidden input, as a browser would post it."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    if value is None:
        raise Failed(f"no {name} in the form")
    return value.group(1).replace("&amp;", "&")


class FormDefaults(HTMLParser):
    """What a browser would post for the first form with a submission_key, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.values.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_defaults(html: str) -> dict[str, str]:
    parser = FormDefaults()
    parser.feed(html)
    return parser.values


# Scenarios: setup(client, n) runs once per connection; unit(client, n) returns request timings.

def _timed(timings: list, label: str, call):
    start = time.perf_counter()
    result = call()
    timings.append((label, time.perf_counter() - start))
    return result


class MeldenPair:
    """GET /melden, then POST it with its csrf_token and submission_key: expect 303."""

    name = "submit"
    defaults: dict[str, str] = {}

    def setup(self, client: Client, n: int) -> None:
        # Like a browser: post every field the form has, as it comes, plus what a parent fills.
        self.defaults = form_defaults(client.request("GET", "/melden"))
        self.unit(client, n)

    def unit(self, client: Client, n: int) -> list:
        timings: list = []
        html = _timed(timings, "GET", lambda: client.request("GET", "/melden"))
        form = self.defaults | {
            "csrf_token": hidden(html, "csrf_token"),
            "submission_key": hidden(html, "submission_key"),
            "category": "bullying", "group": str(n % 8 + 1),
            "description": "Mijn kind wordt in de pauze gepest door kinderen uit de klas."}
        _timed(timings, "POST", lambda: client.request("POST", "/melden", form, expect=303))
        return timings


class FloorPair:
    """GET /items/new, then POST it: expect 303 (the floor of MeldenPair)."""

    name = "submit"

    def setup(self, client: Client, n: int) -> None:
        self.unit(client, n)

    def unit(self, client: Client, n: int) -> list:
        timings: list = []
        _timed(timings, "GET", lambda: client.request("GET", "/items/new"))
        form = {"title": f"Item van verbinding {n}",
                "body": "Mijn kind wordt in de pauze gepest door kinderen uit de klas."}
        _timed(timings, "POST", lambda: client.request("POST", "/items/new", form, expect=303))
        return timings


@dataclass
class Page:
    """GET one page (optionally after logging in once per connection): expect 200."""

    path: str
    login: tuple[str, str] | None = None
    must_contain: str | None = None
    name: str = "page"

    def setup(self, client: Client, n: int) -> None:
        if self.login:
            html = client.request("GET", "/login")
            client.request("POST", "/login", {"csrf_token": hidden(html, "csrf_token"),
                                              "email": self.login[0],
                                              "password": self.login[1]}, expect=(302, 303))
        self.unit(client, n)

    def unit(self, client: Client, n: int) -> list:
        timings: list = []
        html = _timed(timings, "GET", lambda: client.request("GET", self.path))
        if self.must_contain and self.must_contain not in html:
            raise Failed(f"GET {self.path}: page lacks {self.must_contain!r}")
        return timings


@dataclass
class CasePages(Page):
    """Log in, take the case links from the queue at `path`, then GET one case page per unit,
    each connection walking the list from its own starting point (expect 200)."""

    name: str = "case"
    paths: list[str] = field(default_factory=list)

    def setup(self, client: Client, n: int) -> None:
        Page(self.path, self.login).setup(client, n)
        html = client.request("GET", self.path)
        self.paths = list(dict.fromkeys(re.findall(r'href="(/cases/\d+)"', html)))
        if not self.paths:
            raise Failed(f"GET {self.path}: no case links")
        client.visits = n
        self.unit(client, n)

    def unit(self, client: Client, n: int) -> list:
        client.visits = getattr(client, "visits", n) + 1
        path = self.paths[client.visits % len(self.paths)]
        timings: list = []
        html = _timed(timings, "GET", lambda: client.request("GET", path))
        if self.must_contain and self.must_contain not in html:
            raise Failed(f"GET {path}: page lacks {self.must_contain!r}")
        return timings


@dataclass
class Result:
    units: int = 0
    errors: int = 0
    seconds: float = 0.0
    unit_latencies: list[float] = field(default_factory=list)
    request_latencies: dict[str, list[float]] = field(default_factory=dict)
    first_error: str | None = None

    @property
    def throughput(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0

    @staticmethod
    def pct(values: list[float], p: int) -> float:
        if len(values) < 2:
            return values[0] * 1000 if values else float("nan")
        return quantiles(values, n=100, method="inclusive")[p - 1] * 1000

    def p50(self, label: str | None = None) -> float:
        return self.pct(self.request_latencies.get(label, []) if label else self.unit_latencies, 50)

    def p99(self, label: str | None = None) -> float:
        return self.pct(self.request_latencies.get(label, []) if label else self.unit_latencies, 99)


def _connection(scenario, port: int, n: int, barrier, warmup: float, duration: float,
                out: list) -> None:
    client = Client(port)
    result = Result(seconds=duration)
    try:
        scenario.setup(client, n)
    except Failed as exc:
        result.errors, result.first_error = 1, f"setup: {exc}"
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        out.append(result)
        return
    start = time.perf_counter()
    measure_from, stop = start + warmup, start + warmup + duration
    for _ in range(MAX_UNITS_PER_CONNECTION):
        began = time.perf_counter()
        if began >= stop:
            break
        try:
            timings = scenario.unit(client, n)
        except Failed as exc:
            if began >= measure_from:
                result.errors += 1
                result.first_error = result.first_error or str(exc)
            continue
        ended = time.perf_counter()
        if began >= measure_from and ended <= stop:
            result.units += 1
            result.unit_latencies.append(ended - began)
            for label, seconds in timings:
                result.request_latencies.setdefault(label, []).append(seconds)
    client.conn.close()
    out.append(result)


def _process(scenario, port, first, count, barrier, warmup, duration, queue) -> None:
    out: list[Result] = []
    threads = [threading.Thread(target=_connection,
                                args=(scenario, port, first + i, barrier, warmup, duration, out))
               for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def run(scenario, port: int, *, connections: int = 8, duration: float = 6.0,
        warmup: float = 1.0, processes: int = 2) -> Result:
    """Drive `scenario` against 127.0.0.1:port; return the merged result."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(connections)
    queue = ctx.Queue()
    per = [connections // processes + (i < connections % processes) for i in range(processes)]
    procs, first = [], 0
    for count in per:
        procs.append(ctx.Process(target=_process, args=(scenario, port, first, count, barrier,
                                                        warmup, duration, queue)))
        first += count
    for p in procs:
        p.start()
    merged = Result(seconds=duration)
    deadline = time.monotonic() + 60 + warmup + duration + 2 * TIMEOUT
    for _ in procs:
        for r in queue.get(timeout=max(1.0, deadline - time.monotonic())):
            merged.units += r.units
            merged.errors += r.errors
            merged.first_error = merged.first_error or r.first_error
            merged.unit_latencies += r.unit_latencies
            for label, values in r.request_latencies.items():
                merged.request_latencies.setdefault(label, []).extend(values)
    for p in procs:
        p.join(timeout=5)
    return merged

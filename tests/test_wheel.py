"""The package is whole (issue 13.5): the wheel carries templates, static files, translations and
migrations. Built from this checkout, installed in a new virtual environment outside it, it
migrates a new database, loads the demo school and serves /melden and /kiosk/ with their CSS
under gunicorn."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.forms import find_form

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TRACKER_TEST_DATABASE_URL")),
    reason="packaging does not depend on the database: the SQLite run checks the wheel")


def _run(*args: str, cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(opener, url: str, data: bytes | None = None) -> tuple[int, str, str]:
    with opener.open(url, data=data, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), \
            response.read().decode("utf-8")


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html) + \
        re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', html)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with the wheel of this checkout installed, outside the checkout."""
    where = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "DATABASE_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where / "dist"),
         str(ROOT), cwd=where, env=env)
    wheel = next((where / "dist").glob("meldpunt-*.whl"))
    _run(sys.executable, "-m", "venv", str(where / "venv"), cwd=where, env=env)
    _run(str(where / "venv" / "bin" / "pip"), "install", "-q", str(wheel), cwd=where, env=env,
         timeout=600)
    return where


def test_the_wheel_serves_the_parents_form_and_the_kiosk(installed):
    venv = installed / "venv" / "bin"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "DATABASE_"))}
    env |= {"DATABASE_URL": f"sqlite:///{installed / 'school.sqlite3'}",
            "TRACKER_BASE_URL": f"http://127.0.0.1:{port}", "PYTHONDONTWRITEBYTECODE": "1"}
    site = _run(str(venv / "python"), "-c", "import tracker; print(tracker.__file__)",
                cwd=installed, env=env)
    assert site.startswith(str(installed / "venv")), "the test must use the installed package"
    _run(str(venv / "flask"), "--app", "tracker", "db", "upgrade", cwd=installed, env=env)
    _run(str(venv / "flask"), "--app", "tracker", "demo", cwd=installed, env=env)
    enrol = _run(str(venv / "flask"), "--app", "tracker", "kiosk", "enroll", "Hal", cwd=installed,
                 env=env)
    enrol_url = re.search(r"http\S+/kiosk/aanmelden/\S+", enrol).group(0)
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(venv / "gunicorn"), "--no-control-socket", "-w", "1", "-b", f"127.0.0.1:{port}",
         "tracker:create_app()"], cwd=installed, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _type, form_page = _get(opener, f"{base}/melden")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert status == 200 and "<form" in form_page
        # A tablet is enrolled by its one-time link, as the school's admin would.
        _status, _type, page = _get(opener, enrol_url)
        form = find_form(page, page_url=enrol_url, action=urllib.parse.urlsplit(enrol_url).path)
        body = urllib.parse.urlencode(form.fill({})).encode()
        status, _type, kiosk_page = _get(opener, urllib.parse.urljoin(base, form.action), body)
        assert status == 200 and "/kiosk/" in kiosk_page
        for page in (form_page, kiosk_page):
            sheets = _stylesheets(page)
            assert sheets, "the page links no stylesheet"
            for href in sheets:
                status, kind, css = _get(opener, urllib.parse.urljoin(base, href))
                assert status == 200 and kind.startswith("text/css") and len(css) > 100
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()

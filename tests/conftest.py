"""Fixtures: a migrated database per run, a rolled-back transaction per test, app and client."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from tracker import create_app
from tracker.accounts.auth import use_cheap_hashing
from tracker.config import DEV_CONFIDENTIAL_KEY
from tracker.core import crypto, migrate
from tracker.core.db import make_engine
from tracker.setup.demo import DEMO_PASSWORD, load_demo

PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")

# Logging in is the suite's hot path; argon2's defaults cost ~50 ms a hash by design.
use_cheap_hashing()

# Links are built from PORT when TRACKER_BASE_URL is unset (config.default_base_url) and the
# Makefile exports PORT: `PORT=8000 make test` must not change the links the tests expect.
for _name in ("PORT", "FLASK_RUN_PORT", "TRACKER_BASE_URL"):
    os.environ.pop(_name, None)


class ScratchDatabase:
    """A database of its own for this run: an SQLite file, or a PostgreSQL schema."""

    def __init__(self, tmp_dir) -> None:
        self.schema = None
        if PG_URL:
            self.schema = f"t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
            admin.dispose()
            self.url = PG_URL
        else:
            self.url = f"sqlite:///{tmp_dir / 'test.sqlite3'}"
        self.engine = self.make_engine()

    def make_engine(self) -> sa.Engine:
        """Return a new engine on this database (own pool: for threads and processes)."""
        if self.schema:
            return make_engine(self.url, connect_args={"options": f"-csearch_path={self.schema}"})
        return make_engine(self.url)

    def prepare(self, *, demo: bool = False, key: str = DEV_CONFIDENTIAL_KEY) -> ScratchDatabase:
        """Upgrade this database to the head revision, optionally with the demo school (its
        second factors encrypted under `key`, the development key unless told)."""
        with self.engine.begin() as conn:
            migrate.upgrade(connection=conn)
        if demo:
            crypto.install(key)
            with orm.Session(self.engine) as session:
                load_demo(session)
                session.commit()
        return self

    @property
    def env(self) -> dict[str, str]:
        """Return environment variables that point a subprocess at this database."""
        if self.schema:
            sep = "&" if "?" in self.url else "?"
            return {"DATABASE_URL": f"{self.url}{sep}options=-csearch_path%3D{self.schema}"}
        return {"DATABASE_URL": self.url}

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema:
            admin = sa.create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> Iterator[ScratchDatabase]:
    db = ScratchDatabase(tmp_path_factory.mktemp("db")).prepare(demo=True)
    yield db
    db.drop()


@pytest.fixture
def connection(database) -> Iterator[sa.Connection]:
    conn = database.engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def app(database, connection, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database.url,
                      "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False,
                      "TRACKER_STASH_DIR": str(tmp_path / "stash")})
    # Every session in this test joins the test's transaction; commits become savepoints.
    app.extensions["tracker.sessionmaker"] = orm.sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    return app


@pytest.fixture
def session(app) -> Iterator[orm.Session]:
    # No app context is pushed: requests made meanwhile must get their own (and their own g).
    s = app.extensions["tracker.sessionmaker"]()
    yield s
    s.close()


@pytest.fixture
def client(app):
    return app.test_client()


HIDDEN = re.compile(r'<input id="(csrf_token|submission_key)" name="\1" type="hidden" '
                    r'value="([^"]*)"')


def csrf_from(html: str) -> dict[str, str]:
    """Return the form's hidden CSRF token and submission key, as a browser would send."""
    return dict(HIDDEN.findall(html))


def post_form(client, url: str, data: dict, *, follow_redirects: bool = False, form_url=None,
              button: str | None = None, tampered: dict[str, str] | None = None, page=None):
    """Open the page (or take `page`), fill its form to `url` as a person would, and send it."""
    from forms import submit

    return submit(client, form_url or url, data, action=url, button=button,
                  follow_redirects=follow_redirects, tampered=tampered, page=page)


def act(client, case_id: int, action: str, data: dict | None = None, *, page=None,
        follow=False):
    """Fill one action form of the case page (as rendered, or as `page` showed it) and send it."""
    prefix = action.replace("/", "")
    fields = {f"{prefix}-{k}": v for k, v in (data or {}).items()}
    from forms import submit

    return submit(client, f"/cases/{case_id}", fields, action=f"/cases/{case_id}/{action}",
                  page=page, follow_redirects=follow)


def offers(client, case_id: int, action: str) -> bool:
    """Whether the case page offers this action's form to this person."""
    from forms import parse_forms

    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return any(f.action.endswith(f"/cases/{case_id}/{action}") for f in parse_forms(html))


def login(client, who: str, password: str = DEMO_PASSWORD):
    """Log a demo person in (`who` is the part before @demo.meldpunt.test)."""
    email = who if "@" in who else f"{who}@demo.meldpunt.test"
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, f"login failed for {email}"
    path = response.location.split("?")[0].removeprefix("http://meldpunt.test")
    if path in ("/login/tweestaps", "/login/tweestaps/instellen"):
        response = complete_two_factor(client, email, path)
    return response


def complete_two_factor(client, email: str, path: str):
    """Finish the second login step as the person's authenticator app would (2FA roles)."""
    import time

    import pyotp

    from tracker.models import User

    page = client.get(path)
    assert page.status_code == 200, page.status_code
    with client.application.extensions["tracker.sessionmaker"]() as db:
        user = db.scalar(sa.select(User).where(User.email == email))
        secret, last = user.totp_secret, user.totp_last_step
    step = max(int(time.time()) // 30, (last or 0) + 1)  # a code is never accepted twice
    code = pyotp.TOTP(secret).generate_otp(step)
    response = post_form(client, path, {"code": code}, page=page)
    assert response.status_code in (200, 302), f"second factor failed for {email}"
    return response


class SMTPRecorder:
    """A real SMTP server (aiosmtpd) on a free 127.0.0.1 port; keeps what it receives."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.messages: list = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def configure(self, app) -> None:
        """Point the app's Flask-Mail at this server, with sending on."""
        from tracker.core.extensions import mail

        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=self.port,
                          MAIL_SUPPRESS_SEND=False, MAIL_USE_TLS=False)
        mail.init_app(app)


@pytest.fixture
def smtp_server() -> Iterator[SMTPRecorder]:
    server = SMTPRecorder()
    server.start()
    yield server
    server.stop()


TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]*)"')


def csrf_token_from(html: str) -> str:
    """Return the first CSRF token on a page, whatever the attribute order (kiosk pages)."""
    found = TOKEN.search(html) or re.search(r'value="([^"]*)"[^>]*name="csrf_token"', html)
    assert found, "no csrf_token on the page"
    return found.group(1)


def enrol_kiosk(client, session, name: str = "Hal beneden"):
    """Enrol this test client as a kiosk tablet, through the enrolment link like an admin."""
    from tracker.core.db import utcnow
    from tracker.kiosk.service import start_enrolment

    _device, token = start_enrolment(session, None, name, utcnow())
    session.commit()
    page = client.get(f"/kiosk/aanmelden/{token}")
    assert page.status_code == 200
    response = post_form(client, f"/kiosk/aanmelden/{token}", {}, page=page)
    assert response.status_code == 303, response.status_code
    return token

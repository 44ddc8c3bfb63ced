"""Fixtures: a migrated database per run, a rolled-back transaction per test, app and client."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from tracker import create_app, migrate
from tracker.db import make_engine
from tracker.demo import DEMO_PASSWORD, load_demo

PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")


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
    db = ScratchDatabase(tmp_path_factory.mktemp("db"))
    with db.engine.begin() as conn:
        migrate.upgrade(connection=conn)
    with orm.Session(db.engine) as session:
        load_demo(session)
        session.commit()
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
def app(database, connection):
    app = create_app({"TESTING": True, "DATABASE_URL": database.url,
                      "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False})
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


def post_form(client, url: str, data: dict, *, follow_redirects: bool = False, form_url=None):
    """Fetch a form page, then post it with its hidden fields, as a browser would."""
    page = client.get(form_url or url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data=csrf_from(page.get_data(as_text=True)) | data,
                       follow_redirects=follow_redirects)


def login(client, who: str, password: str = DEMO_PASSWORD):
    """Log a demo person in (`who` is the part before @demo.meldpunt.test)."""
    email = who if "@" in who else f"{who}@demo.meldpunt.test"
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, f"login failed for {email}"
    return response

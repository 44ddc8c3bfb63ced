"""/healthz tells the truth: a database that answers but cannot write is not healthy (12.6)."""

from __future__ import annotations

import sqlalchemy as sa

from tracker import create_app
from tracker.core import health


def _healthz(url: str):
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    try:
        return app.test_client().get("/healthz")
    finally:
        app.extensions["tracker.engine"].dispose()


def _setting_rows(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM setting")).scalar_one()


def test_a_healthy_database_answers_200_and_the_probe_leaves_no_trace(database):
    before = _setting_rows(database)
    response = _healthz(database.env["DATABASE_URL"])
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert _setting_rows(database) == before


def test_a_database_that_cannot_write_answers_503(database):
    if database.schema:  # PostgreSQL: every transaction of this app is read-only
        url = database.env["DATABASE_URL"] + "%20-cdefault_transaction_read_only%3Don"
    else:  # SQLite: the file opened read-only (chmod would not stop root in CI)
        url = database.url.replace("sqlite:///", "sqlite:///file:", 1) + "?mode=ro&uri=true"
    response = _healthz(url)
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "read-only"}
    assert len(response.get_data()) < 100


def test_an_sqlite_file_on_a_full_disk_answers_503(database, monkeypatch):
    if database.schema:
        return  # the free space of a PostgreSQL server is not ours to see
    monkeypatch.setattr(health.shutil, "disk_usage",
                        lambda path: type("Usage", (), {"free": 4096})())
    response = _healthz(database.url)
    assert response.status_code == 503
    assert response.get_json()["database"] == "disk-full"

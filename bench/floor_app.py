"""The floor: the least a Flask + SQLAlchemy app can do for the same two pages.

GET /items/new serves a small form, POST /items/new inserts one row and answers 303 (the
benchmark fetches and posts it as a pair, as it does with /melden); GET /items lists 50 rows.
No CSRF, no session, no login: what is left is Flask, Jinja, SQLAlchemy and the database.

Served by gunicorn as `floor_app:create_app()` (DATABASE_URL from the environment);
`seed()` fills it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, redirect, render_template_string, request
from sqlalchemy import event, orm


class Base(orm.DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "floor_item"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(100))
    body: orm.Mapped[str] = orm.mapped_column(sa.Text)
    created_at: orm.Mapped[datetime] = orm.mapped_column(sa.DateTime, index=True)


def make_engine(url: str) -> sa.Engine:
    """An engine with the same SQLite settings as the app's (WAL, synchronous=NORMAL)."""
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()
    return engine


def seed(engine: sa.Engine, n: int = 100_000) -> None:
    """Create the table and insert n rows."""
    Base.metadata.create_all(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(sa.insert(Item), [
            {"title": f"Item {i}", "body": "Een korte beschrijving van wat er gebeurde.",
             "created_at": now} for i in range(n)])


FORM = """<!doctype html><html lang="nl"><head><title>Nieuw</title></head><body>
<form method="post"><input name="title"><textarea name="body"></textarea>
<button>Opslaan</button></form></body></html>"""

LIST = """<!doctype html><html lang="nl"><head><title>Lijst</title></head><body><table>
{% for item in items %}<tr><td>{{ item.id }}</td><td>{{ item.title }}</td>
<td>{{ item.created_at }}</td></tr>{% endfor %}</table></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    engine = make_engine(os.environ["DATABASE_URL"])
    sessions = orm.sessionmaker(engine)

    @app.get("/items/new")
    def new():
        return render_template_string(FORM)

    @app.post("/items/new")
    def create():
        with sessions() as session:
            session.add(Item(title=request.form["title"][:100], body=request.form["body"],
                             created_at=datetime.now(UTC).replace(tzinfo=None)))
            session.commit()
        return redirect("/items", code=303)

    @app.get("/items")
    def index():
        with sessions() as session:
            items = session.scalars(sa.select(Item).order_by(Item.id.desc()).limit(50)).all()
            return render_template_string(LIST, items=items)

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app

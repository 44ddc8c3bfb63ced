"""Encryption at rest: the raw database holds none of a confidential report's words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from tests.conftest import ScratchDatabase, post_form
from tracker import ConfigurationError, create_app
from tracker.core import crypto, migrate
from tracker.core.db import Base, get_session
from tracker.core.timeline import add_event
from tracker.models import Case, CaseEvent, OutboxMail, Report, ReporterType
from tracker.reporting.service import ReportInput, submit_report

# Words that appear nowhere else in the schema, demo data or templates.
SECRET_WORDS = ("Zonnebloemveld", "Kwartelkoning", "Pimpelmees")
NAME, EMAIL, PHONE = "Wilhelmina Zeldzaamheid", "zeldzaam.ouder@example.org", "0612398745"
MESSAGE = "Antwoordbericht over de Reigerstraat"
KEY_A, KEY_B = crypto.new_key(), crypto.new_key()
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    # The demo's second factors are encrypted at rest: under KEY_A, the key the apps here use.
    db = ScratchDatabase(tmp_path_factory.mktemp("crypto")).prepare(demo=True, key=KEY_A)
    yield db
    db.drop()


@pytest.fixture
def apps(scratch):
    """Make apps on the scratch database with a given key list; close their pools after."""
    made = []

    def make(keys: str):
        made.append(create_app({"TESTING": True, "TRACKER_CONFIDENTIAL_KEY": keys}
                               | scratch.env))
        return made[-1]

    yield make
    for app in made:
        app.extensions["tracker.engine"].dispose()


def _store_confidential_report(app, key: str) -> int:
    with app.app_context():
        db = get_session()
        done = submit_report(db, ReportInput(
            submission_key=f"crypto-{key}", channel="web", reporter_type=ReporterType.PARENT,
            category="adult_misconduct", description=" ".join(SECRET_WORDS) + " <b>x</b>",
            about_text="Kwartelkoning van groep 5", reporter_name=NAME, reporter_email=EMAIL,
            reporter_phone=PHONE, confidential=True), NOW)
        add_event(db, done.case, "message_to_reporter", NOW, actor_label="vertrouwenspersoon",
                  body=MESSAGE)
        db.commit()
        return done.case.id


def _raw_dump(scratch) -> str:
    """Every value of every table as the database returns it, without our types."""
    parts = []
    with scratch.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}"'):  # noqa: S608
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def _file_bytes(scratch) -> bytes:
    if scratch.schema:
        return b""
    path = Path(scratch.url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_raw_database_holds_none_of_a_confidential_reports_words(scratch, apps):
    app = apps(KEY_A)
    case_id = _store_confidential_report(app, "raw")
    dump, disk = _raw_dump(scratch), _file_bytes(scratch)
    for word in (*SECRET_WORDS, "Wilhelmina", "Zeldzaamheid", EMAIL, PHONE, "Reigerstraat"):
        assert word not in dump, word
        assert word.encode() not in disk, word
    # ...yet the app reads them back, and the stored values are our ciphertext.
    with app.app_context():
        db = get_session()
        report = db.scalar(sa.select(Report).where(Report.case_id == case_id))
        assert report.description.startswith(" ".join(SECRET_WORDS))
        assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
            NAME, EMAIL, PHONE)
        assert db.get(Case, case_id).reporter_email == EMAIL
        assert MESSAGE in [e.body for e in db.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == case_id))]
        raw = db.execute(sa.select(sa.type_coerce(Report.description, sa.Text))
                         .where(Report.case_id == case_id)).scalar_one()
        assert raw.startswith(crypto.PREFIX) and "Pimpelmees" not in raw


def test_a_parents_address_on_a_confidential_report_is_not_in_the_raw_outbox(scratch, apps):
    app = apps(KEY_A)
    address = "verborgen.ouder@example.org"
    client = app.test_client()
    response = post_form(client, "/melden", {
        "category": "bullying", "description": "Er gebeurt iets naars.", "group": "4",
        "about_kind": "child", "email": address, "confidential": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    with app.app_context():
        db = get_session()
        mail = db.scalar(sa.select(OutboxMail).where(OutboxMail.template == "receipt")
                         .order_by(OutboxMail.id.desc()))
        assert db.get(Case, mail.case_id).confidential and mail.recipient_kind == "parent"
        assert mail.to == address  # the outbox still reads (and sends to) the address
        raw = db.execute(sa.select(sa.type_coerce(OutboxMail.to, sa.Text))
                         .where(OutboxMail.id == mail.id)).scalar_one()
    assert raw.startswith(crypto.PREFIX)
    assert address not in _raw_dump(scratch)
    assert address.encode() not in _file_bytes(scratch)


def test_migration_0008_encrypts_existing_recipients_and_back(tmp_path):
    from alembic import command

    db = ScratchDatabase(tmp_path)
    try:
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn, revision="0007")
            conn.execute(sa.text(
                "INSERT INTO outbox_mail (key, \"to\", recipient_kind, template, context, "
                "language, urgent, status, created_at, next_attempt_at, attempts) VALUES "
                "('m1', 'oud.adres@example.org', 'parent', 'receipt', '{}', 'nl', false, "
                "'sent', :t, :t, 1)"), {"t": datetime(2026, 11, 1, 9)})
        raw = 'SELECT "to" FROM outbox_mail'
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn)
        with db.engine.connect() as conn:
            stored = conn.exec_driver_sql(raw).scalar_one()
        assert stored.startswith(crypto.PREFIX) and "oud.adres" not in stored
        assert crypto.keyring().decrypt(stored) == "oud.adres@example.org"
        with db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(connection=conn), "0007")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql(raw).scalar_one() == "oud.adres@example.org"
    finally:
        db.drop()


def test_migration_0019_encrypts_existing_outbox_contexts_and_back(tmp_path):
    from alembic import command

    db = ScratchDatabase(tmp_path)
    context = '{"code": "KWAR-TEL1-2345", "follow_up_url": "https://school.test/volgen/"}'
    try:
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn, revision="0018")
            conn.execute(sa.text(
                "INSERT INTO outbox_mail (key, \"to\", recipient_kind, template, context, "
                "language, urgent, status, created_at, next_attempt_at, attempts) VALUES "
                "('m1', 'x', 'parent', 'receipt', :c, 'nl', false, 'dead', :t, :t, 8)"),
                {"c": context, "t": datetime(2026, 11, 1, 9)})
        raw = "SELECT context FROM outbox_mail"
        with db.engine.begin() as conn:
            migrate.upgrade(connection=conn)
        with db.engine.connect() as conn:
            stored = conn.exec_driver_sql(raw).scalar_one()
        assert stored.startswith(crypto.PREFIX) and "KWAR" not in stored
        with orm.Session(db.engine) as session:  # the model reads the converted row
            assert session.scalar(sa.select(OutboxMail)).context["code"] == "KWAR-TEL1-2345"
        with db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(connection=conn), "0018")
        with db.engine.connect() as conn:
            back = conn.exec_driver_sql(raw).scalar_one()
        assert (json.loads(back) if isinstance(back, str) else back)["code"] == "KWAR-TEL1-2345"
    finally:
        db.drop()


def test_keys_rotate_reencrypts_everything_under_the_new_key(scratch, apps):
    case_id = _store_confidential_report(apps(KEY_A), "rotate")
    both = apps(f"{KEY_B},{KEY_A}")
    runner = both.test_cli_runner()
    assert runner.invoke(args=["keys", "check"]).exit_code == 1  # values under KEY_A remain
    result = runner.invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "report.description" in result.output
    assert runner.invoke(args=["keys", "check"]).exit_code == 0
    only_b, only_a = crypto.Keyring(KEY_B), crypto.Keyring(KEY_A)
    with orm.Session(scratch.engine) as raw:
        values = list(crypto.raw_values(raw, Base.metadata))
    assert values and all(only_b.is_current(v) for v in values)
    with pytest.raises(crypto.DecryptionError):
        only_a.decrypt(values[0])
    # The old key can go: an app with only the new key reads the report.
    with apps(KEY_B).app_context():
        report = get_session().scalar(sa.select(Report).where(Report.case_id == case_id))
        assert report.reporter_name == NAME
    # Running it again changes nothing.
    again = both.test_cli_runner().invoke(args=["keys", "rotate"])
    assert "Done: 0 values" in again.output


def test_keys_new_prints_a_usable_key(apps):
    app = apps(KEY_A)
    output = app.test_cli_runner().invoke(args=["keys", "new"]).output.strip()
    ring = crypto.Keyring(output)
    assert ring.decrypt(ring.encrypt("één 🌻 \x00")) == "één 🌻 \x00"


def test_tampered_ciphertext_is_refused_not_misread():
    ring = crypto.Keyring(KEY_A)
    token = ring.encrypt("hallo")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(tampered)


@pytest.mark.parametrize("keys", ["", "not-a-key", f"{KEY_A},short"])
def test_a_bad_key_list_stops_the_app_with_a_clear_message(keys):
    with pytest.raises(ConfigurationError, match="keys new"):
        create_app({"TESTING": True, "TRACKER_CONFIDENTIAL_KEY": keys})


def test_production_refuses_to_start_without_a_key():
    with pytest.raises(ConfigurationError, match="TRACKER_CONFIDENTIAL_KEY"):
        create_app({"TRACKER_ENV": "production", "SECRET_KEY": "x" * 40,
                    "DATABASE_URL": "postgresql+psycopg://u@h/db",
                    "TRACKER_CONFIDENTIAL_KEY": ""})


def test_sql_comparison_on_an_encrypted_column_is_refused():
    with pytest.raises(TypeError, match="encrypted"):
        sa.select(Report).where(Report.description == "Pimpelmees")

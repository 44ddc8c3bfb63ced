"""Retention (issue 16): the due list, holds, the FG's approval, and what the tombstone keeps."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import PG_URL, ScratchDatabase, post_form
from forms import submit
from sqlalchemy import orm

from tracker import create_app
from tracker.cases import service as cases
from tracker.cases import work as case_work
from tracker.core import crypto
from tracker.core.db import Base, utcnow
from tracker.domain.calendar import local_date
from tracker.models import (
    AdminAudit,
    Case,
    CaseEvent,
    CasePupil,
    LegalHold,
    OutboxMail,
    Pupil,
    Report,
    ReporterType,
    User,
)
from tracker.reporting import receipts
from tracker.reporting.service import ReportInput, submit_report
from tracker.retention import service as retention

CLOSED_AT = datetime(2024, 1, 10, 10, tzinfo=UTC)


def person(session, local: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{local}@demo.meldpunt.test"))


def walk_to_closed(app, session, words: dict[str, str], *, at: datetime = CLOSED_AT,
                   category: str = "bullying", key: str = "r") -> tuple[Case, str]:
    """Report, handle and close a case the way staff do; return it and its receipt code."""
    teacher = person(session, "leerkracht5")
    with app.test_request_context("/"):
        case = submit_report(session, ReportInput(
            submission_key=f"ret-{key}-{at.timestamp()}", channel="web",
            reporter_type=ReporterType.PARENT, category=category, group_number=5,
            description=words["description"], about_text=words["about"],
            reporter_name=words["name"], reporter_email=words["email"],
            reporter_phone=words["phone"]), at).case
        code = receipts.issue_code(session, case, receipts.receipt_key(app.config["SECRET_KEY"]),
                                   f"seed-{key}", "text")
        session.flush()
        step = at
        for act in ("ack", "note", "action", "message", "resolve", "check", "close"):
            step += timedelta(minutes=5)
            v = case.version
            if act == "ack":
                cases.acknowledge(session, case, teacher, step, v)
            elif act == "note":
                cases.add_note(session, case, teacher, step, v, words["note"])
            elif act == "action":
                case_work.add_action(session, case, teacher, step, v, title=words["action"],
                                     owner_id=teacher.id, due=step.date())
            elif act == "message":
                cases.message_reporter(session, case, teacher, step, v, words["message"],
                                       follow_up_url="http://meldpunt.test/volgen/")
            elif act == "resolve":
                cases.resolve(session, case, teacher, step, v, words["outcome"])
            elif act == "check":
                cases.record_check(session, case, teacher, step, v, "stopped")
            else:
                cases.close(session, case, teacher, step, v)
    session.flush()
    return case, code


def due_json(app, *args: str) -> dict:
    result = app.test_cli_runner().invoke(args=["retention", "due", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


WORDS_A = {"description": "Zwartkopmeeuw pakt steeds zijn tas af", "about": "Kees Vlaskamp",
           "name": "Jozefien Brandsma", "email": "jozefien.brandsma@example.org",
           "phone": "0612398765", "note": "Notitie Lindeboomgaard", "action":
           "Gesprek met familie Brandsma", "message": "Oranjegloed bericht aan u",
           "outcome": "Uitkomst Kwartelkoning"}
WORDS_B = {"description": "Sneeuwuilen in de gang", "about": "Piet Rozenhout",
           "name": "Marijke Veldhoen", "email": "marijke.veldhoen@example.org",
           "phone": "0687654321", "note": "Notitie Eikenhout", "action": "Gesprek Veldhoen",
           "message": "Bericht Zonnedauw", "outcome": "Uitkomst Korenbloem"}


# --- the CLI --------------------------------------------------------------------------------

def test_retention_due_lists_closed_cases_after_their_period_and_changes_nothing(app, session):
    case, _code = walk_to_closed(app, session, WORDS_A)
    session.commit()
    closed = case.closed_at
    before = due_json(app, "--now", (closed + timedelta(days=729)).isoformat())
    assert case.id not in before["due"] and before["pupils_due"] == 0
    after = due_json(app, "--now", (closed + timedelta(days=731)).isoformat())
    assert case.id in after["due"]
    session.expire_all()
    assert session.get(Case, case.id).erased_at is None
    assert session.get(Case, case.id).reports[0].description == WORDS_A["description"]


def test_a_message_after_closing_restarts_the_clock_and_a_hold_keeps_the_case(app, session):
    case, _code = walk_to_closed(app, session, WORDS_A)
    later = case.closed_at + timedelta(days=400)
    receipts.reply(session, case, "Het is weer begonnen", later, actor_label="parent")
    session.commit()
    moment = (case.closed_at + timedelta(days=800)).isoformat()
    assert case.id not in due_json(app, "--now", moment)["due"]
    moment = (later + timedelta(days=731)).isoformat()
    assert case.id in due_json(app, "--now", moment)["due"]
    retention.set_hold(session, person(session, "directie"), utcnow(), case.id,
                       "Lopende klachtprocedure", None)
    session.commit()
    result = due_json(app, "--now", moment)
    assert case.id not in result["due"] and case.id in result["held"]


@pytest.mark.parametrize("bad", ["gisteren", "2027-13-01", "2027-01-01T25:00"])
def test_an_unknown_now_is_one_line_and_exit_2(app, bad):
    result = app.test_cli_runner().invoke(args=["retention", "due", "--json", "--now", bad])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout:")


def test_the_tick_lists_what_became_due_once_a_day(app, session):
    from tracker.models import DeletionBatch

    case, _code = walk_to_closed(app, session, WORDS_A)
    session.commit()
    now = utcnow()
    with app.app_context():
        first = retention.daily(session, now)
        again = retention.daily(session, now + timedelta(minutes=1))
    assert first >= 1 and again == 0
    batch = session.scalars(sa.select(DeletionBatch).order_by(DeletionBatch.id.desc())).first()
    assert case.id in batch.case_ids and batch.status == "proposed"
    assert session.get(Case, case.id).erased_at is None  # listing deletes nothing
    told = session.scalars(sa.select(OutboxMail).where(
        OutboxMail.key.like(f"retention-due:{batch.id}:%"))).all()
    assert [m.to for m in told] == ["fg@demo.meldpunt.test"]
    assert told[0].context["count"] == len(batch.case_ids)  # a count and a link, no content
    assert set(told[0].context) == {"count", "link"}


def test_delivered_mail_is_purged_after_its_setting(app, session):
    now = utcnow()
    old = OutboxMail(key="ret-old", to="a@example.org", recipient_kind="staff",
                     template="digest", status="sent", sent_at=now - timedelta(days=31))
    fresh = OutboxMail(key="ret-new", to="b@example.org", recipient_kind="staff",
                       template="digest", status="sent", sent_at=now - timedelta(days=29))
    waiting = OutboxMail(key="ret-wait", to="c@example.org", recipient_kind="staff",
                         template="digest", status="pending", created_at=now - timedelta(days=90))
    session.add_all([old, fresh, waiting])
    session.commit()
    retention.purge(session, now)
    session.commit()
    keys = set(session.scalars(sa.select(OutboxMail.key).where(OutboxMail.key.like("ret-%"))))
    assert keys == {"ret-new", "ret-wait"}


# --- the FG's pages -------------------------------------------------------------------------

def test_the_fg_changes_a_rule_and_zero_days_is_refused(client, session):
    login_2fa(client, session, "fg")
    page = client.get("/admin/bewaartermijnen/")
    assert "730 dagen" in page.get_data(as_text=True)
    assert "Zorg over de thuissituatie (meldcode)</" in page.get_data(as_text=True)
    assert "(meldcode) (meldcode)" not in page.get_data(as_text=True)
    refused = post_form(client, "/admin/bewaartermijnen/regel/bullying",
                        {"bullying-days": "0"}, form_url="/admin/bewaartermijnen/")
    assert refused.status_code == 422
    assert "nul dagen" in refused.get_data(as_text=True)
    done = post_form(client, "/admin/bewaartermijnen/regel/bullying",
                     {"bullying-days": "365", "bullying-source": "Besluit bestuur 2026"},
                     form_url="/admin/bewaartermijnen/", follow_redirects=True)
    assert "Besluit bestuur 2026" in done.get_data(as_text=True)
    row = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "retention.rule")
                          .order_by(AdminAudit.id.desc())).first()
    assert row.before["days"] == 730 and row.after["days"] == 365


def test_only_the_fg_sees_the_due_list_and_directie_sets_holds(client, session):
    login_2fa(client, session, "directie")
    assert client.get("/admin/bewaartermijnen/verwijderen").status_code == 403
    assert client.get("/admin/bewaartermijnen/bewaarplicht").status_code == 200
    gone = post_form(client, "/admin/bewaartermijnen/bewaarplicht",
                     {"case_id": "999999", "reason": "Procedure"})
    assert gone.status_code == 422
    assert "#999999 bestaat niet" in gone.get_data(as_text=True)
    assert "Procedure" in gone.get_data(as_text=True)  # what was typed stays


def test_holding_a_case_that_is_already_gone_is_refused(app, session):
    case, _code = walk_to_closed(app, session, WORDS_A)
    retention.erase_case(session, case.id, utcnow())
    with pytest.raises(retention.AdminError, match="al verwijderd"):
        retention.set_hold(session, person(session, "fg"), utcnow(), case.id, "x", None)


def test_approving_a_list_that_changed_since_it_was_shown_deletes_nothing(app, client, session):
    case, _code = walk_to_closed(app, session, WORDS_A)
    session.commit()
    login_2fa(client, session, "fg")
    url = "/admin/bewaartermijnen/verwijderen"
    page = client.get(url)
    assert f"#{case.id}" in page.get_data(as_text=True)
    # Meanwhile the reporter writes again: the case's clock restarts, the list changes.
    receipts.reply(session, case, "Nog een vraag", utcnow(), actor_label="parent")
    session.commit()
    response = submit(client, url, {}, action=url, page=page, follow_redirects=True)
    assert "De lijst is veranderd" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).erased_at is None
    assert session.get(Case, case.id).reports[0].description == WORDS_A["description"]


# --- done when: closed -> due -> approved -> tombstone, nothing left in the raw database -----

def _figures(session) -> dict:
    """What the overview and the yearly report count: per category, channel, reporter type,
    groep, status, dates and deadlines, and the timeline's kinds."""
    def rows(stmt):
        return sorted(tuple(str(v) for v in r) for r in session.execute(stmt))
    return {
        "cases": rows(sa.select(Case.id, Case.category, Case.group_id, Case.status,
                                Case.created_at, Case.closed_at, Case.acknowledged_at,
                                Case.ack_due, Case.resolve_due, Case.resolved_at,
                                Case.escalation_level, Case.followup_result, Case.confidential,
                                Case.urgent)),
        "reports": rows(sa.select(Report.case_id, Report.channel, Report.reporter_type,
                                  Report.category, Report.group_id, Report.created_at)),
        "events": rows(sa.select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.at)),
        "per_category": rows(sa.select(Case.category, sa.func.count()).group_by(Case.category)),
    }


def _raw_stored(conn, case_id: int) -> list[str]:
    """Return what the database holds for a case's personal columns, as stored (ciphertext)."""
    found = []
    for column in crypto.encrypted_columns(Base.metadata):
        table = column.table
        if "case_id" in table.c:
            where = table.c.case_id == case_id
        elif table.name == "case":
            where = table.c.id == case_id
        else:
            continue
        found += [v for v in conn.execute(sa.select(sa.cast(column.column, sa.Text))
                                          .where(where)).scalars() if v]
    found += [v for v in conn.execute(sa.text('SELECT receipt_hash FROM "case" WHERE id = :i'),
                                      {"i": case_id}).scalars() if v]
    return found


def _raw_database_text(scratch: ScratchDatabase) -> bytes:
    """Return every byte the database keeps: the SQLite file and its WAL, or on PostgreSQL
    every row of every table as text."""
    if PG_URL is None:
        path = Path(scratch.url.removeprefix("sqlite:///"))
        parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        return b"".join(p.read_bytes() for p in parts if p.exists())
    out = []
    with scratch.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            out += [str(r[0]) for r in conn.execute(sa.text(f'SELECT t::text FROM "{table}" t'))]
    return "\n".join(out).encode()


def test_done_when_a_case_becomes_a_tombstone_and_leaves_nothing_readable(tmp_path):
    from tests.forms import submit as submit_form

    scratch = ScratchDatabase(tmp_path).prepare(demo=True)
    app = create_app({"TESTING": True, "DATABASE_URL": scratch.env["DATABASE_URL"],
                      "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False})
    try:
        with orm.Session(scratch.engine, expire_on_commit=False) as session:
            gone, code_a = walk_to_closed(app, session, WORDS_A, key="a")
            kept, code_b = walk_to_closed(app, session, WORDS_B, key="b")
            retention.set_hold(session, person(session, "fg"), utcnow(), kept.id,
                               "Lopende procedure bij de geschillencommissie", None)
            session.commit()
            gone_id, kept_id = gone.id, kept.id
            figures = _figures(session)
        with scratch.engine.connect() as conn:
            stored = _raw_stored(conn, gone_id)
        assert len(stored) >= 8  # the ciphertexts of text, names, notes, messages, the hash

        # closed -> due (and the held case is listed as held)
        due = due_json(app)
        assert gone_id in due["due"] and kept_id in due["held"] and kept_id not in due["due"]

        # due -> approved, by the FG through the page
        client = app.test_client()
        with orm.Session(scratch.engine) as session:
            login_2fa(client, session, "fg")
        url = "/admin/bewaartermijnen/verwijderen"
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert f"#{gone_id}" in html and WORDS_A["name"] not in html
        done = submit_form(client, url, {}, action=url, page=page, follow_redirects=True)
        assert "verwijderbewijs" in done.get_data(as_text=True)

        # -> tombstone: the figures are unchanged, the words are gone from the raw database
        with orm.Session(scratch.engine) as session:
            assert _figures(session) == figures
            tomb = session.get(Case, gone_id)
            assert tomb.erased_at is not None and tomb.receipt_hash is None
            assert [r.description for r in tomb.reports] == [""]
            survivor = session.get(Case, kept_id)
            assert survivor.reports[0].reporter_name == WORDS_B["name"]
            cert = session.scalars(sa.select(AdminAudit)
                                   .where(AdminAudit.action == "retention.deleted")).one()
            assert cert.after["cases"] == [gone_id] and cert.after["count"] == 1
            assert cert.after["approved_by"] == "fg@demo.meldpunt.test"
            assert session.get(LegalHold, session.scalars(sa.select(LegalHold.id)).one())
        raw = _raw_database_text(scratch)
        needles = [*WORDS_A.values(), code_a, *stored]
        left = [n for n in needles if n.encode() in raw]
        assert not left, f"still in the raw database: {left}"
        # the held case is still all there, and the check can see words where they are
        with orm.Session(scratch.engine) as session:
            assert retention.current_due(session, utcnow()).held == (kept_id,)
        assert due_json(app)["due"] == []
        assert code_b  # the survivor keeps its code
    finally:
        app.extensions["tracker.engine"].dispose()
        scratch.drop()


def test_erasing_keeps_the_year_figures_for_every_category(app, session):
    """Unit-level: a tombstone keeps category, channel, reporter type, groep and dates."""
    case, _code = walk_to_closed(app, session, WORDS_A, category="cyberbullying", key="c")
    pupil = Pupil(first_name="Noor", last_name="de Vries", group_id=case.group_id)
    session.add(pupil)
    session.flush()
    session.add(CasePupil(case_id=case.id, pupil_id=pupil.id, role="affected"))
    session.flush()
    before = (case.category, case.group_id, case.closed_at, case.reports[0].channel,
              case.reports[0].reporter_type, case.reports[0].created_at)
    retention.erase_case(session, case.id, utcnow())
    session.expire_all()
    case = session.get(Case, case.id)
    assert (case.category, case.group_id, case.closed_at, case.reports[0].channel,
            case.reports[0].reporter_type, case.reports[0].created_at) == before
    kinds = [e.kind for e in session.scalars(sa.select(CaseEvent)
                                             .where(CaseEvent.case_id == case.id))]
    assert {"created", "acknowledged", "resolved", "closed"} <= set(kinds)
    assert all(e.body is None for e in session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id)))
    # the link to the child goes; the child stays in the register (its own clock)
    assert session.scalars(sa.select(CasePupil).where(CasePupil.case_id == case.id)).all() == []
    assert session.get(Pupil, pupil.id) is not None


@pytest.mark.parametrize(("left_days_ago", "setting", "due"), [
    (None, 730, 0), (700, 730, 0), (731, 730, 1), (40, 30, 1)])
def test_pupils_who_left_count_as_due_after_the_pupil_setting(app, session, left_days_ago,
                                                               setting, due):
    assert retention.setting_days(session, "retention_pupil_days") == 730
    if setting != 730:
        retention.save_setting(session, None, utcnow(), "retention_pupil_days", setting)
    today = local_date(utcnow())
    left_on = today - timedelta(days=left_days_ago) if left_days_ago else None
    session.add(Pupil(first_name="Sanne", last_name="de Vries", left_on=left_on))
    session.commit()
    assert due_json(app)["pupils_due"] == due


_ = date  # (kept for readability of the hold tests above)


# --- what a parent may ask ------------------------------------------------------------------

def test_the_fg_finds_a_parent_and_exports_their_data_without_other_peoples(app, client,
                                                                            session):
    own, _code = walk_to_closed(app, session, WORDS_A, key="own")
    with app.test_request_context("/"):
        other = submit_report(session, ReportInput(
            submission_key="ret-other", channel="web", reporter_type=ReporterType.PARENT,
            category="bullying", group_number=5, description="Geheim verhaal van een ander",
            about_text="Jozefien Brandsma", reporter_name="Anne Anderwijs",
            reporter_email="anne@example.org"), utcnow()).case
    session.commit()
    login_2fa(client, session, "fg")
    page = client.get("/admin/bewaartermijnen/inzage?email=&name=Jozefien+Brandsma")
    html = page.get_data(as_text=True)
    assert f"#{own.id}" in html and f"#{other.id}" in html
    assert "Gevonden in 2 meldingen" in html
    one = client.get("/admin/bewaartermijnen/inzage?email=&name=Anne+Anderwijs")
    assert "Gevonden in 1 melding<" in one.get_data(as_text=True)
    data = json.loads(client.get("/admin/bewaartermijnen/inzage/export.json?email="
                                 "jozefien.brandsma%40example.org&name=Jozefien+Brandsma")
                      .get_data(as_text=True))
    text = json.dumps(data, ensure_ascii=False)
    assert WORDS_A["description"] in text and WORDS_A["message"] in text
    [mine] = [c for c in data["cases"] if c["case"] == own.id]
    assert mine["files"] == []  # they sent none; the other's case lists no files of theirs
    assert "Anne Anderwijs" not in text and "Geheim verhaal" not in text
    assert "anne@example.org" not in text
    printable = client.get("/admin/bewaartermijnen/inzage/export?email="
                           "jozefien.brandsma%40example.org&name=").get_data(as_text=True)
    assert WORDS_A["description"] in printable and "Anne Anderwijs" not in printable
    from tracker.models import AccessLog

    logged = session.scalars(sa.select(AccessLog).where(AccessLog.case_id == own.id,
                                                        AccessLog.via == "subject_access"))
    assert [row.user.email for row in logged] == ["fg@demo.meldpunt.test"] * 2


def test_the_fg_look_up_never_opens_a_sealed_case(app, client, session):
    with app.test_request_context("/"):
        sealed = submit_report(session, ReportInput(
            submission_key="ret-sealed", channel="web", reporter_type=ReporterType.PARENT,
            category="adult_misconduct", description="Vertrouwelijk verhaal",
            reporter_name="Jozefien Brandsma", reporter_email="jozefien.brandsma@example.org",
            confidential=True), utcnow()).case
    session.commit()
    assert sealed.confidential
    login_2fa(client, session, "fg")
    html = client.get("/admin/bewaartermijnen/inzage?email=jozefien.brandsma%40example.org"
                      "&name=").get_data(as_text=True)
    assert f"#{sealed.id}" not in html and "Niets gevonden" in html


def test_a_look_up_that_finds_nothing_says_so(client, session):
    login_2fa(client, session, "fg")
    html = client.get("/admin/bewaartermijnen/inzage?email=niemand%40example.org&name="
                      ).get_data(as_text=True)
    assert "Niets gevonden over deze persoon" in html
    empty = client.get("/admin/bewaartermijnen/inzage?email=&name=").get_data(as_text=True)
    assert "Vul een e-mailadres of een naam in." in empty


def test_a_correction_travels_with_the_data_and_an_erasure_request_is_recorded(app, client,
                                                                                session):
    case, _code = walk_to_closed(app, session, WORDS_A, key="corr")
    session.commit()
    login_2fa(client, session, "fg")
    page = "/admin/bewaartermijnen/inzage?email=jozefien.brandsma%40example.org&name="
    post_form(client, "/admin/bewaartermijnen/inzage/verzoek",
              {"kind": "correction", "text": "Het was op dinsdag, niet op maandag",
               "outcome": "granted", "reason": "Ouder heeft gelijk"}, form_url=page)
    post_form(client, "/admin/bewaartermijnen/inzage/verzoek",
              {"kind": "erasure", "text": "Wis alles over mij", "outcome": "refused",
               "reason": "Casus loopt nog; wettelijke bewaarplicht meldcode"}, form_url=page)
    notes = [e.body for e in session.scalars(sa.select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "correction"))]
    assert notes == ["Het was op dinsdag, niet op maandag"]
    data = json.loads(client.get("/admin/bewaartermijnen/inzage/export.json?email="
                                 "jozefien.brandsma%40example.org&name=").get_data(as_text=True))
    assert [r["kind"] for r in data["requests"]] == ["correction", "erasure"]
    assert data["requests"][1]["reason"].startswith("Casus loopt nog")
    assert data["cases"][0]["corrections"][0]["text"].startswith("Het was op dinsdag")


def test_the_privacy_statement_follows_the_settings_and_every_public_page_links_it(
        client, session):
    from tracker.admin.service import set_setting

    set_setting(session, None, utcnow(), "fg_contact",
                {"name": "Fenna de Groot", "email": "fg@bestuur.example", "phone": ""})
    session.commit()
    html = client.get("/privacy").get_data(as_text=True)
    assert "Fenna de Groot" in html and "fg@bestuur.example" in html
    assert "2 jaar" in html and "5 jaar" in html  # the defaults, per category
    for public in ("/melden", "/volgen/", "/login"):
        assert 'href="/privacy"' in client.get(public).get_data(as_text=True), public


def test_the_due_list_counts_sealed_cases_but_never_numbers_them(app, client, session):
    from tracker.core.timeline import add_event
    from tracker.models import CaseStatus

    with app.test_request_context("/"):
        sealed = submit_report(session, ReportInput(
            submission_key="ret-sealed-due", channel="web", reporter_type=ReporterType.PARENT,
            category="adult_misconduct", description="Vertrouwelijk", confidential=True),
            CLOSED_AT).case
    sealed.status, sealed.closed_at = CaseStatus.CLOSED, CLOSED_AT
    add_event(session, sealed, "closed", CLOSED_AT, actor_label="system")
    session.commit()
    assert sealed.id in due_json(app)["due"]
    login_2fa(client, session, "fg")
    html = client.get("/admin/bewaartermijnen/verwijderen").get_data(as_text=True)
    assert "vertrouwelijke meldingen: hun nummers ziet alleen de vertrouwenspersoon" in html
    assert f"#{sealed.id}" not in html

"""School settings reach their consumers: header, forms, quiet hours, follow-up, fallback route."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import login, post_form

from tracker.admin.service import set_setting
from tracker.cases import service as case_service
from tracker.core.calendar import load_calendar
from tracker.domain.calendar import TZ, add_school_days, local_date
from tracker.escalation.notify import enqueue_mail
from tracker.escalation.outbox import render
from tracker.models import OutboxMail, ReporterType, RoutingRule, Setting, User
from tracker.reporting.service import ReportInput, submit_report

MONDAY = datetime(2026, 9, 14, 10, tzinfo=TZ)
CONFIGURED = "Basisschool De Regenboog"  # TRACKER_SCHOOL_NAME's default
SETTINGS_FORM = {"school_name": "OBS De Linde", "vp_name": "", "vp_phone": "", "vp_email": "",
                 "quiet_start": "17:00", "quiet_end": "07:30", "followup_days": "10",
                 "default_ack": "2d", "default_resolve": "10d"}


def admin(session) -> User:
    return session.scalar(sa.select(User).where(User.email == "admin@demo.meldpunt.test"))


def header_and_title(client, url: str = "/melden") -> tuple[str, str]:
    html = client.get(url).get_data(as_text=True)
    return (re.search(r"<small>(.*?)</small>", html).group(1),
            re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def report(session, key: str, category: str = "bullying", *, at: datetime = MONDAY, **kw):
    data = ReportInput(submission_key=key, channel="web", reporter_type=ReporterType.PARENT,
                       category=category, description="Er gebeurde iets.", group_number=5,
                       **kw)
    return submit_report(session, data, at).case


# --- school_name ------------------------------------------------------------------------------

def test_school_name_from_the_settings_form_shows_in_header_and_titles(app, session):
    visitor = app.test_client()
    assert header_and_title(visitor) == (CONFIGURED, f"Iets melden · {CONFIGURED}")
    admin_client = app.test_client()
    login_2fa(admin_client, session, "admin")
    assert post_form(admin_client, "/admin/instellingen", SETTINGS_FORM).status_code == 303
    # The same process shows it on the very next page (the cache was invalidated)...
    assert header_and_title(visitor) == ("OBS De Linde", "Iets melden · OBS De Linde")
    assert header_and_title(visitor, "/login")[0] == "OBS De Linde"
    # ...and the parent's receipt mail is signed with it.
    post_form(visitor, "/melden", {"category": "bullying", "description": "Er is iets.",
                                   "group": "4", "about_kind": "child",
                                   "email": "ouder@example.org"})
    mail = session.scalar(sa.select(OutboxMail).where(OutboxMail.template == "receipt")
                          .order_by(OutboxMail.id.desc()))
    with app.app_context():
        _subject, text, _html = render(mail)
    assert "OBS De Linde" in text and CONFIGURED not in text


def test_an_empty_school_name_falls_back_to_the_configured_one(app, session):
    set_setting(session, admin(session), MONDAY, "school_name", "OBS De Linde")
    client = app.test_client()
    assert header_and_title(client)[0] == "OBS De Linde"
    set_setting(session, admin(session), MONDAY, "school_name", "")
    assert header_and_title(client)[0] == CONFIGURED


def test_pages_read_the_cache_and_other_writers_changes_arrive_at_once(
        app, session, connection):
    client = app.test_client()
    set_setting(session, admin(session), MONDAY, "school_name", "OBS De Linde")
    header_and_title(client)  # loads the cache
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        header_and_title(client)
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)
    assert statements and not [s for s in statements if "FROM setting" in s]
    assert [s for s in statements if "FROM setup_version" in s]  # the one check a request
    # Any write to the row (no set_setting here) bumps the version: the next page shows it.
    session.execute(sa.update(Setting).where(Setting.key == "school_name")
                    .values(value="OBS Elders"))
    session.commit()
    assert header_and_title(client)[0] == "OBS Elders"


# --- vp_contact ----------------------------------------------------------------------------

def test_vp_contact_shows_next_to_the_confidential_choice_only_when_filled_in(app, session):
    parent, teacher = app.test_client(), app.test_client()
    login(teacher, "leerkracht5")
    for client, url in ((parent, "/melden"), (teacher, "/cases/new")):
        assert "vp-contact" not in client.get(url).get_data(as_text=True)
    set_setting(session, admin(session), MONDAY, "vp_contact",
                {"name": "Karin de Vries", "phone": "06 1234 5678", "email": "vp@extern.nl"})
    for client, url in ((parent, "/melden"), (teacher, "/cases/new")):
        html = client.get(url).get_data(as_text=True)
        block = html[html.index('id="confidential-notice"'):html.index("</fieldset>",
                                                                       html.index("vp-contact"))]
        assert "Karin de Vries" in block
        assert '<a href="tel:0612345678">06 1234 5678</a>' in block
        assert '<a href="mailto:vp@extern.nl">vp@extern.nl</a>' in block
    set_setting(session, admin(session), MONDAY, "vp_contact",
                {"name": "", "phone": "", "email": "vp@extern.nl"})
    html = parent.get("/melden").get_data(as_text=True)
    assert "vp@extern.nl" in html and "tel:" not in html and "Karin" not in html
    set_setting(session, admin(session), MONDAY, "vp_contact",
                {"name": "", "phone": "", "email": ""})
    assert "vp-contact" not in parent.get("/melden").get_data(as_text=True)


# --- quiet_hours ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("quiet", "at", "goes_at"),
    [
        (None, datetime(2026, 9, 14, 17, 30, tzinfo=TZ), datetime(2026, 9, 15, 7, 30, tzinfo=TZ)),
        ({"start": "18:00", "end": "08:00"}, datetime(2026, 9, 14, 17, 30, tzinfo=TZ),
         datetime(2026, 9, 14, 17, 30, tzinfo=TZ)),
        ({"start": "18:00", "end": "08:00"}, datetime(2026, 9, 15, 7, 45, tzinfo=TZ),
         datetime(2026, 9, 15, 8, 0, tzinfo=TZ)),
        ({"start": "16:00", "end": "07:00"}, datetime(2026, 9, 14, 16, 30, tzinfo=TZ),
         datetime(2026, 9, 15, 7, 0, tzinfo=TZ)),
    ],
)
def test_quiet_hours_decide_when_parent_and_staff_mail_goes(session, quiet, at, goes_at):
    if quiet is not None:
        set_setting(session, admin(session), at, "quiet_hours", quiet)
    case = report(session, f"quiet-{at:%d%H%M}", at=at)  # not urgent: staff mail waits too
    staff_mail = session.scalar(sa.select(OutboxMail).where(
        OutboxMail.case_id == case.id, OutboxMail.template == "case_created"))
    parent_mail = enqueue_mail(session, key=f"receipt:{case.id}", to="ouder@example.org",
                               recipient_kind="parent", template="receipt", now=at, case=case)
    assert staff_mail.next_attempt_at == parent_mail.next_attempt_at == goes_at
    urgent = enqueue_mail(session, key=f"urgent:{case.id}", to="ib@demo.meldpunt.test",
                          recipient_kind="staff", template="escalated", now=at, urgent=True)
    assert urgent.next_attempt_at == at  # urgent staff mail ignores quiet hours


# --- followup_days -------------------------------------------------------------------------

@pytest.mark.parametrize("days", [None, 3])
def test_resolving_bullying_plans_the_check_after_followup_days(session, days):
    if days is not None:
        set_setting(session, admin(session), MONDAY, "followup_days", days)
    case = report(session, f"followup-{days}")
    teacher = session.scalar(sa.select(User).where(User.email == "leerkracht5@demo.meldpunt.test"))
    case_service.acknowledge(session, case, teacher, MONDAY)
    case_service.start(session, case, teacher, MONDAY, case.version)
    case_service.resolve(session, case, teacher, MONDAY, case.version, "Gesprek gevoerd.")
    expected = local_date(add_school_days(load_calendar(session), MONDAY, days or 10))
    assert local_date(case.followup_due) == expected
    assert (expected - local_date(MONDAY)).days == (14 if days is None else 3)


# --- default_deadlines ---------------------------------------------------------------------

def test_reports_no_rule_matches_get_the_default_deadlines(app, session):
    session.execute(sa.update(RoutingRule).values(enabled=False))
    case = report(session, "fallback-built-in")
    assert (case.route, case.primary_role) == ("fallback", "ib")
    assert case.ack_due == datetime(2026, 9, 16, 17, tzinfo=TZ)  # 2 school days
    assert case.resolve_due == datetime(2026, 9, 28, 17, tzinfo=TZ)  # 10 school days
    admin_client = app.test_client()
    login_2fa(admin_client, session, "admin")
    response = post_form(admin_client, "/admin/instellingen",
                         SETTINGS_FORM | {"default_ack": "1d", "default_resolve": "5d"})
    assert response.status_code == 303
    case = report(session, "fallback-school")
    assert case.route == "fallback"
    assert case.ack_due == datetime(2026, 9, 15, 17, tzinfo=TZ)
    assert case.resolve_due == datetime(2026, 9, 21, 17, tzinfo=TZ)
    # A report a rule matches keeps the rule's deadlines.
    session.execute(sa.update(RoutingRule).where(RoutingRule.id == 1).values(enabled=True))
    case = report(session, "rule-wins")
    assert (case.route, case.ack_due) == ("rule", datetime(2026, 9, 15, 17, tzinfo=TZ))
    assert case.resolve_due == datetime(2026, 9, 28, 17, tzinfo=TZ)

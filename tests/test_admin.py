"""Admin area: staff, hand-over, guarded roles, groups, audit log, settings, calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.admin import service as admin_service
from tracker.admin.service import AdminError
from tracker.models import (
    AdminAudit,
    CaseEvent,
    CaseParticipant,
    ClosedDay,
    Group,
    OutboxMail,
    ReporterType,
    Setting,
    User,
)
from tracker.reporting.service import ReportInput, submit_report

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


@pytest.mark.parametrize("who, status", [("leerkracht5", 403), ("ib", 403), ("directie", 200),
                                         ("admin", 200)])
def test_only_admins_enter_the_admin_area(client, session, who, status):
    login_2fa(client, session, who)
    assert client.get("/admin/").status_code == status
    assert client.get("/admin/medewerkers/").status_code == status


@pytest.mark.parametrize("who, status", [("leerkracht5", 403), ("vp", 403), ("directie", 200)])
def test_audit_log_is_readable_by_directie_not_by_others(client, session, who, status):
    login_2fa(client, session, who)
    assert client.get("/admin/audit").status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.location


def test_invite_creates_account_and_mails_a_link(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/medewerkers/nieuw", {
        "name": "Nina Nieuw", "email": "Nina@School.nl", "roles": ["leerkracht"],
        "workdays": ["1", "2"]})
    assert response.status_code == 303
    nina = session.scalar(sa.select(User).where(User.email == "nina@school.nl"))
    assert nina.password_hash is None and nina.workdays == "12" and nina.role_keys == {"leerkracht"}
    # OutboxMail.to is encrypted at rest: pick the recipient in Python.
    mail = next(m for m in session.scalars(sa.select(OutboxMail)) if m.to == "nina@school.nl")
    assert mail.template == "invite" and "/welkom/" in mail.context["link"]
    audit = session.scalar(sa.select(AdminAudit).where(AdminAudit.action == "staff.create"))
    assert audit.after["email"] == "nina@school.nl" and audit.actor.email.startswith("admin@")


def test_invite_refuses_a_known_address_in_dutch(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/medewerkers/nieuw", {
        "name": "Dubbel", "email": "ib@demo.meldpunt.test", "roles": ["ib"], "workdays": ["1"]})
    assert response.status_code == 422
    assert "Er is al een account" in response.get_data(as_text=True)


def test_edit_roles_and_workdays_is_audited(client, session):
    login_2fa(client, session, "admin")
    target = user(session, "leerkracht3")
    response = post_form(client, f"/admin/medewerkers/{target.id}", {
        "name": target.name, "roles": ["leerkracht", "anti_pest"], "workdays": ["1", "3", "5"]})
    assert response.status_code == 303
    session.expire_all()
    target = user(session, "leerkracht3")
    assert target.role_keys == {"leerkracht", "anti_pest"} and target.workdays == "135"
    row = session.scalars(sa.select(AdminAudit).where(AdminAudit.target == f"user:{target.id}")
                          ).all()[-1]
    assert row.before["workdays"] == "12345" and row.after["workdays"] == "135"


def test_last_admin_and_last_vp_cannot_be_removed(session):
    admins = [user(session, "directie"), user(session, "admin")]
    admin_service.update_staff(session, None, NOW, admins[0], roles=["directie"])
    with pytest.raises(AdminError, match="beheerder"):
        admin_service.update_staff(session, None, NOW, admins[1], roles=["leerkracht"])
    session.rollback()
    vp = user(session, "vp")
    with pytest.raises(AdminError, match="vertrouwenspersoon"):
        admin_service.deactivate_staff(session, None, NOW, vp, None)


def test_last_admin_refusal_through_the_page(client, session):
    login_2fa(client, session, "admin")
    directie = user(session, "directie")
    post_form(client, f"/admin/medewerkers/{directie.id}",
              {"name": directie.name, "roles": ["directie"], "workdays": ["1"]})
    me = user(session, "admin")
    response = post_form(client, f"/admin/medewerkers/{me.id}",
                         {"name": me.name, "roles": ["ib"], "workdays": ["1"]})
    assert response.status_code == 422
    assert "geen enkele actieve beheerder" in response.get_data(as_text=True)
    session.expire_all()
    assert "admin" in user(session, "admin").role_keys


def _report(session, group: int, key: str):
    return submit_report(session, ReportInput(submission_key=key, channel="web",
                                              reporter_type=ReporterType.PARENT,
                                              category="bullying", description="x",
                                              group_number=group), NOW).case


def test_deactivate_moves_open_cases_with_a_timeline_event(client, session):
    case = _report(session, 5, "admin-handover-1")
    session.commit()
    teacher = user(session, "leerkracht5")
    assert session.get(CaseParticipant, (case.id, teacher.id)) is not None
    login_2fa(client, session, "admin")
    page = client.get(f"/admin/medewerkers/{teacher.id}/uitschakelen").get_data(as_text=True)
    assert f"#{case.id}" in page
    refused = post_form(client, f"/admin/medewerkers/{teacher.id}/uitschakelen",
                        {"successor": ""})
    assert refused.status_code == 422
    successor = user(session, "leerkracht6")
    response = post_form(client, f"/admin/medewerkers/{teacher.id}/uitschakelen",
                         {"successor": str(successor.id)})
    assert response.status_code == 303
    session.expire_all()
    assert not user(session, "leerkracht5").active
    assert session.get(CaseParticipant, (case.id, teacher.id)) is None
    moved = session.get(CaseParticipant, (case.id, successor.id))
    assert moved.kind.value == "assignee"
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.kind == "reassigned"))
    assert event.data["to_user"] == successor.id
    group5 = session.scalar(sa.select(Group).where(Group.number == 5))
    assert teacher.id not in [t.id for t in group5.teachers]


def test_groups_with_a_duo_and_a_combination_class(client, session):
    login_2fa(client, session, "admin")
    a, b = user(session, "leerkracht7a"), user(session, "leerkracht8")
    response = post_form(client, "/admin/groepen/nieuw", {
        "number": "78", "name": "Groep 7/8", "teachers": [str(a.id), str(b.id)],
        "active": "y"})
    assert response.status_code == 303
    group = session.scalar(sa.select(Group).where(Group.number == 78))
    assert {t.id for t in group.teachers} == {a.id, b.id}
    clash = post_form(client, "/admin/groepen/nieuw", {"number": "78", "name": "x"},
                      form_url="/admin/groepen/nieuw")
    assert clash.status_code == 422 and "al een groep" in clash.get_data(as_text=True)


def test_settings_are_saved_audited_and_exposed(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/instellingen", {
        "school_name": "OBS De Linde", "vp_name": "Karin", "vp_phone": "06 1234 5678",
        "vp_email": "vp@extern.nl", "quiet_start": "17:00", "quiet_end": "07:30",
        "followup_days": "12", "default_ack": "2d", "default_resolve": "10d"})
    assert response.status_code == 303
    assert admin_service.get_setting(session, "vp_contact")["phone"] == "06 1234 5678"
    assert admin_service.get_setting(session, "followup_days") == 12
    assert admin_service.get_setting(session, "nope", "dflt") == "dflt"
    bad = post_form(client, "/admin/instellingen", {
        "school_name": "X", "quiet_start": "17:00", "quiet_end": "07:30",
        "followup_days": "12", "default_ack": "morgen", "default_resolve": "10d"})
    assert bad.status_code == 422 and "begrijpen we niet" in bad.get_data(as_text=True)


def test_logo_must_be_png_or_clean_svg(client, session):
    from io import BytesIO
    login_2fa(client, session, "admin")
    base = {"school_name": "X", "quiet_start": "17:00", "quiet_end": "07:30",
            "followup_days": "10", "default_ack": "2d", "default_resolve": "10d"}
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_form(client, "/admin/instellingen",
                         base | {"logo": (BytesIO(evil), "logo.svg")})
    assert response.status_code == 422
    assert session.get(Setting, "logo") is None
    assert 'class="logo"' not in client.get("/melden").get_data(as_text=True)
    good = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    response = post_form(client, "/admin/instellingen",
                         base | {"logo": (BytesIO(good), "logo.svg")})
    assert response.status_code == 303
    logo = client.get("/school/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"
    # The header of every page shows it, for parents too.
    assert 'class="logo" src="/school/logo"' in client.get("/melden").get_data(as_text=True)


def test_calendar_import_is_idempotent_and_study_days_are_added(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/kalender/importeren",
                         {"region": "midden", "school_year": "2026-2027"},
                         form_url="/admin/kalender/")
    assert response.status_code == 303
    days = session.scalars(sa.select(ClosedDay)).all()
    assert date(2026, 12, 25) in {d.day for d in days}  # eerste kerstdag
    assert all(d.day.weekday() < 5 for d in days)
    count = len(days)
    post_form(client, "/admin/kalender/importeren",
              {"region": "midden", "school_year": "2026-2027"}, form_url="/admin/kalender/")
    assert session.scalar(sa.select(sa.func.count()).select_from(ClosedDay)) == count
    post_form(client, "/admin/kalender/dagen", {"start": "2027-03-10", "name": "Studiedag",
                                                "kind": "study_day"},
              form_url="/admin/kalender/")
    assert session.get(ClosedDay, date(2027, 3, 10)).kind == "study_day"
    page = client.get("/admin/kalender/?jaar=2026-2027").get_data(as_text=True)
    assert "Studiedag" in page

"""Sealed and legal roles take two people (issue 11.3): propose in Beheer, confirm by another."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import csrf_token_from, login, post_form

from tracker.admin import role_grants
from tracker.admin.service import AdminError
from tracker.escalation.outbox import render
from tracker.models import AdminAudit, Case, OutboxMail, ReporterType, RoleGrant, User
from tracker.reporting.service import ReportInput, submit_report

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PAGE = "/admin/medewerkers/voorstellen/"


def _user(session, who: str) -> User:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def _sealed_case_about(session, person: User) -> Case:
    case = submit_report(session, ReportInput(
        submission_key=f"grants-{person.id}", channel="web", reporter_type=ReporterType.PARENT,
        category="adult_misconduct", description="Vertrouwelijke klacht over de directie",
        about_kind="staff", about_user_id=person.id, reporter_name="Ouder Geheim",
        reporter_phone="0612345678", confidential=True), NOW).case
    session.commit()
    return case


def _mails(session, grant: RoleGrant, event: str) -> dict[str, OutboxMail]:
    rows = session.scalars(sa.select(OutboxMail).where(
        OutboxMail.key.like(f"role-grant:{grant.id}:{event}:%"))).all()
    return {row.to.split("@")[0]: row for row in rows}


def _propose_vp_for_herself(client, session) -> RoleGrant:
    me = _user(session, "directie")
    response = post_form(client, f"/admin/medewerkers/{me.id}",
                         {"roles": ["directie", "admin", "vertrouwenspersoon"]},
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Voorstel: wacht op bevestiging door een huidige vertrouwenspersoon of een " \
           "bestuurslid" in page
    return session.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == me.id)).one()


def test_the_directie_ticking_vp_on_herself_gets_a_proposal_and_no_access(app, client,
                                                                          session):
    me = _user(session, "directie")
    case = _sealed_case_about(session, _user(session, "leerkracht5"))
    login_2fa(client, session, "directie")
    grant = _propose_vp_for_herself(client, session)
    assert grant.status == "open" and grant.proposed_by_id == me.id
    assert "vertrouwenspersoon" not in _user(session, "directie").role_keys
    # Her session goes on (nothing was granted) and the sealed area does not exist for her.
    assert client.get("/vertrouwelijk/").status_code == 404
    assert client.get(f"/vertrouwelijk/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id}").status_code == 404
    # The edit page says what waits; the box stays unticked.
    edit = client.get(f"/admin/medewerkers/{me.id}").get_data(as_text=True)
    assert "wacht op bevestiging" in edit
    assert 'value="vertrouwenspersoon" checked' not in edit
    # Audited, and the holder and the bestuur are told without a name.
    audit = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "role.propose")
                            ).all()[-1]
    assert audit.actor_id == me.id and audit.after["role"] == "vertrouwenspersoon"
    told = _mails(session, grant, "proposed")
    assert set(told) == {"vp", "bestuur", "bestuur2"}
    mail = told["vp"]
    assert set(mail.context) == {"role", "event", "link"}
    assert mail.context["link"].endswith("/admin/medewerkers/voorstellen/")
    with app.app_context():
        subject, text, html = render(mail)
    assert subject == "Meldpunt: rol vertrouwenspersoon voorgesteld"
    assert "tot dan geeft het geen toegang" in text and "tot dan geeft het geen toegang" in html
    assert "Marieke" not in text + html


def test_she_may_not_decide_on_her_own_proposal(client, session):
    login_2fa(client, session, "directie")
    grant = _propose_vp_for_herself(client, session)
    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert "Over een rol voor jezelf beslis je niet" in html
    assert "Bevestigen" not in html
    # A crafted request (the page offers no button): refused before anything is looked at.
    crafted = client.post(f"{PAGE}{grant.id}/bevestigen",
                          data={"csrf_token": csrf_token_from(html)})
    assert crafted.status_code == 403
    session.expire_all()
    assert session.get(RoleGrant, grant.id).status == "open"


def test_a_real_vp_confirms_and_the_directie_then_reads_the_sealed_area(app, session):
    directie, vp = app.test_client(), app.test_client()
    login_2fa(directie, session, "directie")
    grant = _propose_vp_for_herself(directie, session)
    login_2fa(vp, session, "vp")
    response = post_form(vp, f"{PAGE}{grant.id}/bevestigen", {}, form_url=PAGE,
                         follow_redirects=True)
    assert "heeft de rol nu" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(RoleGrant, grant.id).status == "confirmed"
    assert "vertrouwenspersoon" in _user(session, "directie").role_keys
    # The new role ended her session: she logs in again (with her second factor) to use it.
    assert directie.get("/vertrouwelijk/").status_code in (302, 303)
    login_2fa(directie, session, "directie")
    assert directie.get("/vertrouwelijk/").status_code == 200
    audit = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "role.confirm")
                            ).all()[-1]
    assert audit.actor_id == _user(session, "vp").id
    assert "vertrouwenspersoon" in audit.after["roles"]
    # Every holder (now including her) and the bestuur hear of it, without names.
    told = _mails(session, grant, "confirmed")
    assert set(told) == {"vp", "directie", "bestuur", "bestuur2"}
    assert all(m.context["event"] == "confirmed" for m in told.values())


def test_a_bestuur_member_declines_and_nothing_is_granted(app, session):
    admin, bestuur = app.test_client(), app.test_client()
    login_2fa(admin, session, "admin")
    teacher = _user(session, "leerkracht1")
    post_form(admin, f"/admin/medewerkers/{teacher.id}", {"roles": ["leerkracht", "fg"]})
    grant = session.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == teacher.id)).one()
    login_2fa(bestuur, session, "bestuur")
    post_form(bestuur, f"{PAGE}{grant.id}/afwijzen", {}, form_url=PAGE)
    session.expire_all()
    assert session.get(RoleGrant, grant.id).status == "declined"
    assert _user(session, "leerkracht1").role_keys == {"leerkracht"}
    assert set(_mails(session, grant, "declined")) == {"fg", "bestuur", "bestuur2"}
    # The decline is in Beheer → Logboek, like the proposal (a decline changes no role).
    logged = session.scalars(sa.select(AdminAudit.action).where(
        AdminAudit.target == f"user:{teacher.id}")).all()
    assert "role.decline" in logged and "role.propose" in logged
    # Decided once: a second decision is refused in words.
    with pytest.raises(AdminError, match="al beslist"):
        role_grants.decide(session, _user(session, "fg"), NOW, grant, confirm=True)


def test_an_fg_cannot_confirm_a_vp_and_the_admin_only_reads(app, session):
    admin, fg = app.test_client(), app.test_client()
    login_2fa(admin, session, "admin")
    teacher = _user(session, "leerkracht2")
    post_form(admin, f"/admin/medewerkers/{teacher.id}",
              {"roles": ["leerkracht", "vertrouwenspersoon"]})
    grant = session.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == teacher.id)).one()
    html = admin.get(PAGE).get_data(as_text=True)
    assert "Bram Hendriks" in html and "Je hebt dit zelf voorgesteld" in html
    login_2fa(fg, session, "fg")
    html = fg.get(PAGE).get_data(as_text=True)
    assert "Alleen een huidige houder van deze rol of een bestuurslid" in html
    assert "Bevestigen" not in html
    # A crafted request (the page offers no button) is refused in words; nothing changes.
    crafted = fg.post(f"{PAGE}{grant.id}/bevestigen",
                      data={"csrf_token": csrf_token_from(html)}, follow_redirects=True)
    assert "Alleen een huidige houder van deze rol" in crafted.get_data(as_text=True)
    session.expire_all()
    assert session.get(RoleGrant, grant.id).status == "open"


def test_the_person_it_is_for_gets_a_clear_refusal(session):
    # Proposed by the admin for a bestuur member who also holds FG: he may confirm FG grants
    # for others, never for himself.
    person = _user(session, "bestuur")
    grant = role_grants.propose(session, _user(session, "admin"), NOW, person, "fg")
    with pytest.raises(AdminError, match="voor jezelf"):
        role_grants.decide(session, person, NOW, grant, confirm=True)
    with pytest.raises(AdminError, match="zelf voorgesteld"):
        role_grants.decide(session, _user(session, "admin"), NOW, grant, confirm=True)
    assert "fg" not in person.role_keys


def test_removing_a_sealed_role_is_at_once_audited_and_told(client, session):
    login_2fa(client, session, "admin")
    person = _user(session, "bestuur2")
    response = post_form(client, f"/admin/medewerkers/{person.id}", {"roles": ["leerkracht"]})
    assert response.status_code == 303
    assert _user(session, "bestuur2").role_keys == {"leerkracht"}
    row = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "staff.update")
                          ).all()[-1]
    assert row.before["roles"] == ["bestuur"] and row.after["roles"] == ["leerkracht"]
    told = session.scalars(sa.select(OutboxMail).where(
        OutboxMail.key.like(f"role-removed:{person.id}:bestuur:%"))).all()
    assert {m.to.split("@")[0] for m in told} == {"bestuur"}
    assert told[0].context["event"] == "removed"


def test_inviting_someone_as_vp_invites_and_proposes(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/medewerkers/nieuw", {
        "name": "Vera Vertrouwd", "email": "vera@school.nl",
        "roles": ["leerkracht", "vertrouwenspersoon"], "workdays": ["1"]},
        follow_redirects=True)
    assert "wacht op bevestiging" in response.get_data(as_text=True)
    vera = session.scalar(sa.select(User).where(User.email == "vera@school.nl"))
    assert vera.role_keys == {"leerkracht"}
    listed = client.get("/admin/medewerkers/").get_data(as_text=True)
    assert "voorgesteld, nog niet bevestigd: vertrouwenspersoon" in listed
    assert [g.role for g in role_grants.open_grants(session, vera)] == ["vertrouwenspersoon"]


def test_other_roles_are_granted_at_once(client, session):
    login_2fa(client, session, "admin")
    person = _user(session, "leerkracht3")
    post_form(client, f"/admin/medewerkers/{person.id}", {"roles": ["leerkracht", "ib"]})
    assert _user(session, "leerkracht3").role_keys == {"leerkracht", "ib"}
    assert not role_grants.open_grants(session)


def test_only_the_console_confirms_when_nobody_in_the_school_may(session):
    admin = _user(session, "admin")
    person = _user(session, "leerkracht4")
    grant = role_grants.propose(session, admin, NOW, person, "vertrouwenspersoon")
    with pytest.raises(AdminError, match="iemand in de school"):
        role_grants.confirm_from_console(session, NOW, grant)
    session.execute(sa.update(User).where(User.email.in_(
        [f"{who}@demo.meldpunt.test" for who in ("vp", "bestuur", "bestuur2")]))
        .values(active=False))
    role_grants.confirm_from_console(session, NOW, grant)
    assert "vertrouwenspersoon" in person.role_keys
    row = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "role.confirm")
                          ).all()[-1]
    assert row.actor_id is None


def test_an_admin_without_vp_never_reads_a_sealed_case(client, session):
    # Admin and directie together: every ordinary case, never a confidential one.
    case = _sealed_case_about(session, _user(session, "leerkracht5"))
    login(client, "directie")
    assert {"admin", "directie"} <= _user(session, "directie").role_keys
    for path in ("/vertrouwelijk/", f"/vertrouwelijk/{case.id}", f"/cases/{case.id}"):
        assert client.get(path).status_code == 404, path
    assert "Ouder Geheim" not in client.get("/cases/").get_data(as_text=True)


def test_the_console_lists_and_confirms_only_when_nobody_may(app, session):
    grant = role_grants.propose(session, _user(session, "admin"), NOW,
                                _user(session, "leerkracht6"), "bestuur")
    session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["role-grant", "list"])
    assert f"{grant.id}" in listed.output and "bestuur" in listed.output
    refused = runner.invoke(args=["role-grant", "confirm", str(grant.id)])
    assert refused.exit_code == 1 and "iemand in de school" in refused.output
    session.expire_all()
    assert session.get(RoleGrant, grant.id).status == "open"


def test_a_school_without_a_vp_can_still_propose_one(client, session):
    # Only a proposal is possible; the guard against "no vertrouwenspersoon left" must not
    # refuse it because there is none yet.
    session.execute(sa.update(User).where(User.email == "vp@demo.meldpunt.test")
                    .values(active=False))
    session.commit()
    login_2fa(client, session, "admin")
    person = _user(session, "leerkracht7a")
    response = post_form(client, f"/admin/medewerkers/{person.id}",
                         {"roles": ["leerkracht", "vertrouwenspersoon"]}, follow_redirects=True)
    assert "wacht op bevestiging" in response.get_data(as_text=True)
    assert [g.role for g in role_grants.open_grants(session, person)] == ["vertrouwenspersoon"]


def test_flask_user_create_with_a_sealed_role_is_audited_and_told(app, session):
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "extern@vp.nl", "--name", "Externe VP", "--role",
        "vertrouwenspersoon", "--password", "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    person = session.scalar(sa.select(User).where(User.email == "extern@vp.nl"))
    actions = session.scalars(sa.select(AdminAudit.action).where(
        AdminAudit.target == f"user:{person.id}")).all()
    assert sorted(actions) == ["role.console", "staff.create"]
    told = session.scalars(sa.select(OutboxMail).where(
        OutboxMail.key.like(f"role-console:{person.id}:vertrouwenspersoon:%"))).all()
    assert {m.to.split("@")[0] for m in told} == {"vp", "extern", "bestuur", "bestuur2"}

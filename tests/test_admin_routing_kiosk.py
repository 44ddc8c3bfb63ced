"""Admin: kiosk devices and routing rules (try it, refuse rules that reach nobody)."""

from __future__ import annotations

import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.models import AdminAudit, KioskDevice, RoutingRule


def test_enrol_shows_a_one_time_link_and_an_inline_qr_code(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/kiosks/", {"name": "Tablet gang boven"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "/kiosk/aanmelden/" in html and "<svg" in html and "<script" not in html
    link = html.split('class="enrol-link" href="')[1].split('"')[0]
    path = link[link.index("/kiosk/aanmelden/"):]
    tablet = client.application.test_client()
    page = tablet.get(path)
    assert page.status_code == 200
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == "Tablet gang boven"))
    assert device.enrol_token_hash and device.enrol_token_hash not in html


def test_rename_and_revoke_are_audited(client, session):
    login_2fa(client, session, "admin")
    post_form(client, "/admin/kiosks/", {"name": "Tablet A"})
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == "Tablet A"))
    post_form(client, f"/admin/kiosks/{device.id}/naam", {"name": "Tablet hal"},
              form_url="/admin/kiosks/")
    post_form(client, f"/admin/kiosks/{device.id}/intrekken", {}, form_url="/admin/kiosks/")
    session.expire_all()
    device = session.get(KioskDevice, device.id)
    assert device.name == "Tablet hal" and device.revoked_at is not None
    actions = session.scalars(sa.select(AdminAudit.action)
                              .where(AdminAudit.target == f"kiosk:{device.id}")).all()
    assert actions == ["kiosk.enrol", "kiosk.rename", "kiosk.revoke"]


def test_try_it_uses_the_routing_engine(client, session):
    login_2fa(client, session, "admin")
    html = client.get("/admin/routering/?reporter_type=child&category=bullying&group=5"
                      ).get_data(as_text=True)
    assert "leerkracht5@demo.meldpunt.test" in html
    assert "anti-pestco" in html  # informed / reason
    confidential = client.get("/admin/routering/?reporter_type=parent&category=other"
                              "&group=&confidential=y").get_data(as_text=True)
    assert "vp@demo.meldpunt.test" in confidential


def _rule_data(**changes):
    data = {"priority": "5", "category": "phone_misuse", "reporter_types": ["child"],
            "primary_role": "directie", "ack": "1d", "resolve": "5d", "chain": "bestuur",
            "enabled": "y"}
    return data | changes


def test_rule_change_is_recorded_and_applies_to_new_reports(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/routering/nieuw", _rule_data())
    assert response.status_code == 303
    rule = session.scalar(sa.select(RoutingRule).where(RoutingRule.priority == 5))
    audit = session.scalar(sa.select(AdminAudit).where(AdminAudit.target == f"rule:{rule.id}"))
    assert audit.before is None and audit.after["primary_role"] == "directie"
    html = client.get("/admin/routering/?reporter_type=child&category=phone_misuse&group=5"
                      ).get_data(as_text=True)
    assert "directie@demo.meldpunt.test" in html
    post_form(client, f"/admin/routering/{rule.id}/aan-uit", {}, form_url="/admin/routering/")
    session.expire_all()
    assert session.get(RoutingRule, rule.id).enabled is False
    last = session.scalars(sa.select(AdminAudit).where(AdminAudit.target == f"rule:{rule.id}")
                           .order_by(AdminAudit.id)).all()[-1]
    assert last.before["enabled"] is True and last.after["enabled"] is False


def test_rule_that_routes_nowhere_is_refused_with_the_reason(client, session):
    login_2fa(client, session, "admin")
    # Nobody holds FG, nor the roles that would take over from it (directie, then bestuur).
    session.execute(sa.text("DELETE FROM user_role WHERE role = 'fg'"))
    session.execute(sa.text("DELETE FROM user_role WHERE role = 'directie'"))
    session.execute(sa.text("DELETE FROM user_role WHERE role = 'bestuur'"))
    session.commit()
    response = post_form(client, "/admin/routering/nieuw",
                         _rule_data(primary_role="fg", chain="", category="privacy_leak"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "naar niemand" in html
    bad = post_form(client, "/admin/routering/nieuw", _rule_data(ack="morgen"))
    assert bad.status_code == 422 and "begrijpen we niet" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(RoutingRule)
                          .where(RoutingRule.priority == 5)) == 0


def test_rule_form_refuses_unknown_chain_roles(client, session):
    login_2fa(client, session, "admin")
    response = post_form(client, "/admin/routering/nieuw", _rule_data(chain="koning"))
    assert response.status_code == 422 and "Onbekende rol" in response.get_data(as_text=True)

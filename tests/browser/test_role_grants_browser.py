"""A sealed role in the browser: the admin ticks it (a proposal), the VP confirms it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_axe
from tests.browser.test_stored_xss import _login
from tracker.core.db import utcnow
from tracker.models import Role, RoleGrant, User, UserRole

pytestmark = pytest.mark.browser


def test_the_admin_proposes_and_the_vp_confirms(browser, live_server):
    with live_server.session() as db:
        person = User(email="wendy@demo.meldpunt.test", name="Wendy Wouters",
                      created_at=utcnow(), roles=[UserRole(role=Role.LEERKRACHT)])
        db.add(person)
        db.commit()
        person_id = person.id

    admin = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    _login(admin, live_server, "admin")
    admin.goto(f"/admin/medewerkers/{person_id}")
    admin.check("input[value=vertrouwenspersoon]")
    with admin.expect_navigation():
        admin.click("button:has-text('Opslaan')")
    assert "wacht op bevestiging door een huidige vertrouwenspersoon" in admin.content()
    with admin.expect_navigation():
        admin.click("text=Voorstellen voor rollen")
    assert "Je hebt dit zelf voorgesteld" in admin.content()
    assert admin.locator("button:has-text('Bevestigen')").count() == 0

    vp = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    _login(vp, live_server, "vp")
    with vp.expect_navigation():
        vp.click("header nav >> text=Rolvoorstellen")
    check_axe(vp, "role proposals")
    row = vp.locator("tr", has_text="Wendy Wouters")
    with vp.expect_navigation():
        row.locator("button:has-text('Bevestigen')").click()
    assert "Wendy Wouters heeft de rol nu" in vp.content()
    assert "Er wachten geen voorstellen." in vp.content()

    # Beheer → Logboek tells it in words, not as developer output.
    with admin.expect_navigation():
        admin.click("nav.admin-nav >> text=Logboek")
    check_axe(admin, "admin log")
    log = admin.locator("table.audit").inner_text()
    assert "Rol voorgesteld: Wendy Wouters" in log and "Rol bevestigd: Wendy Wouters" in log
    assert "rol: vertrouwenspersoon" in log
    assert "role.propose" not in log and "user:" not in log and "{" not in log

    with live_server.session() as db:
        wendy = db.get(User, person_id)
        assert "vertrouwenspersoon" in wendy.role_keys
        grant = db.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == person_id)).one()
        assert grant.status == "confirmed"
        # Leave the shared demo school as it was for the other browser tests.
        wendy.active = False
        db.commit()

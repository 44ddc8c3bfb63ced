"""Sessions follow a person's rights: a change of roles or active state ends them, and a role
that needs a second factor is enforced on every request, not only at login (issue 11.4)."""

from __future__ import annotations

import sqlalchemy as sa
from admin_support import login_2fa
from conftest import login, post_form

from tracker.models import Role, User, UserRole


def _user(session, who: str) -> User:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def _logged_out(response) -> bool:
    return response.status_code in (302, 303) and "/login" in response.location


def test_a_role_granted_during_a_session_ends_that_session(app, session):
    teacher, admin = app.test_client(), app.test_client()
    login(teacher, "leerkracht1")
    assert teacher.get("/cases/").status_code == 200
    login_2fa(admin, session, "directie")
    person = _user(session, "leerkracht1")
    response = post_form(admin, f"/admin/medewerkers/{person.id}", {
        "roles": ["leerkracht", "directie"]})
    assert response.status_code == 303
    # Her open session does not carry the new rights (directie reads the audit log) without
    # a second factor: it is over, and the login asks for one.
    assert _logged_out(teacher.get("/admin/audit"))
    assert _logged_out(teacher.get("/cases/"))


def test_a_role_taken_away_ends_the_session_too(app, session):
    teacher, admin = app.test_client(), app.test_client()
    login(teacher, "antipest")
    login_2fa(admin, session, "directie")
    person = _user(session, "antipest")
    post_form(admin, f"/admin/medewerkers/{person.id}", {"roles": ["leerkracht"]})
    assert _logged_out(teacher.get("/cases/"))


def test_reactivation_does_not_revive_an_old_session(app, session):
    person = _user(session, "leerkracht2")
    teacher = app.test_client()
    login(teacher, "leerkracht2")
    person.active = False
    session.flush()
    person.active = True
    session.commit()
    assert _logged_out(teacher.get("/cases/"))


def test_second_factor_is_checked_on_every_request_not_only_at_login(app, session):
    teacher = app.test_client()
    login(teacher, "leerkracht3")
    assert teacher.get("/cases/").status_code == 200
    # A role written straight into the database (a script, another tool): the session epoch is
    # untouched, yet the next request asks for the second factor before any page.
    person = _user(session, "leerkracht3")
    session.execute(sa.insert(UserRole).values(user_id=person.id, role=Role.VERTROUWENSPERSOON))
    session.commit()
    response = teacher.get("/vertrouwelijk/")
    assert response.status_code in (302, 303)
    assert "/login/tweestaps" in response.location
    assert teacher.get("/vertrouwelijk/").status_code in (302, 303)

"""A departing colleague's cases, or a role taken away, never hand a case to its subject nor
a sealed case to anyone but a vertrouwenspersoon (issue 11: who sees what, on every path)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.admin import service as admin_service
from tracker.models import (
    CaseEvent,
    CaseParticipant,
    OutboxMail,
    ReporterType,
    Role,
    User,
    UserRole,
)
from tracker.reporting.service import ReportInput, submit_report

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def report(session, key: str, **kw) -> int:
    data = dict(category="bullying", group_number=5) | kw
    case = submit_report(session, ReportInput(
        submission_key=key, channel="web", reporter_type=ReporterType.PARENT,
        description="Iets ernstigs.", **data), NOW).case
    session.commit()
    return case.id


def backup_vp(session) -> None:
    """Make the IB'er a second vertrouwenspersoon (set up as the school's data, not granted)."""
    session.add(UserRole(user_id=user(session, "ib").id, role=Role.VERTROUWENSPERSOON))
    session.commit()
    session.expire_all()


def people_on(session, case_id: int) -> set[str]:
    session.expire_all()
    return {u.email.split("@")[0] for u in session.scalars(
        sa.select(User).join(CaseParticipant).where(CaseParticipant.case_id == case_id))}


def deactivate(client, session, who: str, successor: str | None):
    person = user(session, who)
    data = {"successor": str(user(session, successor).id)} if successor else {}
    return post_form(client, f"/admin/medewerkers/{person.id}/uitschakelen", data,
                     follow_redirects=True)


def test_a_case_about_the_successor_goes_to_the_next_role_instead(app, client, session):
    about = user(session, "leerkracht4")
    case_id = report(session, "hand-1", category="adult_misconduct", about_kind="staff",
                     about_user_id=about.id)
    assert "directie" in people_on(session, case_id)
    login_2fa(client, session, "admin")
    page = deactivate(client, session, "directie", "leerkracht4").get_data(as_text=True)
    on_it = people_on(session, case_id)
    assert "leerkracht4" not in on_it  # never the subject
    assert {"bestuur", "bestuur2"} <= on_it  # the directie is leaving: the bestuur takes it
    assert f"Melding #{case_id} kan niet naar Daan van Dijk (hij gaat over die persoon); " \
           "hij gaat naar Hans Visser, Ingrid Smit." in page
    events = session.scalars(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "reassigned")).all()
    assert {e.data["to_name"] for e in events} == {"Hans Visser", "Ingrid Smit"}
    assert all(e.data["instead_of"] == "Daan van Dijk" for e in events)
    board = app.test_client()
    login_2fa(board, session, "bestuur")
    timeline = board.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "van Marieke de Vries naar Hans Visser (Daan van Dijk kan hem niet krijgen)" in timeline
    mailed = set(session.scalars(sa.select(OutboxMail.to).where(
        OutboxMail.case_id == case_id, OutboxMail.key.like("case-handed-over:%"))))
    assert mailed == {"bestuur@demo.meldpunt.test", "bestuur2@demo.meldpunt.test"}


def test_a_sealed_case_goes_to_another_vertrouwenspersoon_only(client, session):
    case_id = report(session, "hand-2", confidential=True)
    assert people_on(session, case_id) == {"vp"}
    backup_vp(session)
    login_2fa(client, session, "admin")
    vp = user(session, "vp")
    form = client.get(f"/admin/medewerkers/{vp.id}/uitschakelen").get_data(as_text=True)
    assert f"<li>#{case_id} " not in form  # the admin page does not reveal a sealed case
    assert "Vertrouwelijke meldingen gaan vanzelf naar een andere vertrouwenspersoon" in form
    page = deactivate(client, session, "vp", None).get_data(as_text=True)
    assert "Els Janssen kan niet meer inloggen. 0 open meldingen zijn overgedragen." in page
    assert people_on(session, case_id) == {"ib"}  # the other VP, chosen by nobody


def test_a_vertrouwenspersoon_who_loses_the_role_hands_sealed_cases_on(client, session):
    case_id = report(session, "hand-3", confidential=True)
    ordinary_id = report(session, "hand-4")
    backup_vp(session)
    login_2fa(client, session, "admin")
    vp = user(session, "vp")
    response = post_form(client, f"/admin/medewerkers/{vp.id}",
                         {"name": vp.name, "roles": ["leerkracht"], "workdays": ["1"]})
    assert response.status_code == 303
    assert people_on(session, case_id) == {"ib"}
    assert "vp" not in people_on(session, ordinary_id)


def test_nobody_may_take_it_the_case_waits_with_a_warning(client, session):
    about = user(session, "leerkracht4")
    case_id = report(session, "hand-5", category="adult_misconduct", about_kind="staff",
                     about_user_id=about.id)
    for who in ("bestuur", "bestuur2"):
        admin_service.deactivate_staff(session, None, NOW, user(session, who), None)
    session.commit()
    login_2fa(client, session, "admin")
    page = deactivate(client, session, "directie", "leerkracht4").get_data(as_text=True)
    assert f"Melding #{case_id} kan niet naar Daan van Dijk en niemand anders mag hem nu " \
           "krijgen." in page
    assert "leerkracht4" not in people_on(session, case_id)
    event = session.scalar(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "reassigned"))
    assert event.data["unassigned"] is True

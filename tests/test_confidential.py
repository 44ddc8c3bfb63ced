"""The sealed area: confidential cases reach the vertrouwenspersoon only; the access log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.conftest import login, post_form
from tracker.core.security import AccessLogIsAppendOnly
from tracker.models import AccessLog, Case, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECRET = "Mijn collega Zwaluwstaart zegt nare dingen"


def _report(session, key: str, **kw):
    data = dict(submission_key=key, channel="web", reporter_type=ReporterType.PARENT,
                category="bullying", description=SECRET, group_number=5)
    done = submit_report(session, ReportInput(**(data | kw)), NOW)
    session.commit()
    return done.case


@pytest.fixture
def sealed(session):
    return _report(session, "sealed-1", confidential=True)


@pytest.fixture
def ordinary(session):
    return _report(session, "ordinary-1", description="Gewone melding over groep 5")


def test_a_confidential_report_goes_to_the_vp_only(sealed):
    assert sealed.confidential and sealed.primary_role == "vertrouwenspersoon"


def test_the_vp_finds_it_in_the_sealed_queue_and_page(client, sealed):
    login(client, "vp")
    queue = client.get("/vertrouwelijk/").get_data(as_text=True)
    assert f"/vertrouwelijk/{sealed.id}" in queue
    page = client.get(f"/vertrouwelijk/{sealed.id}")
    assert page.status_code == 200 and SECRET in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    # ...and nowhere in the ordinary workspace, not even as a count.
    ordinary_queue = client.get("/cases/").get_data(as_text=True)
    assert f"/cases/{sealed.id}\"" not in ordinary_queue
    assert f"#{sealed.id}<" not in ordinary_queue
    assert '<span class="count">1</span>' not in ordinary_queue


@pytest.mark.parametrize("who", ["directie", "leerkracht5", "antipest", "ib", "bestuur", "fg",
                                 "admin"])
def test_nobody_else_sees_it_anywhere(client, sealed, ordinary, who):
    login(client, who)
    for url in (f"/cases/{sealed.id}", f"/vertrouwelijk/{sealed.id}", "/vertrouwelijk/"):
        assert client.get(url).status_code == 404, url
    queue = client.get("/cases/?status=new").get_data(as_text=True)
    assert f"#{sealed.id}<" not in queue and SECRET not in queue


def test_the_directie_counts_do_not_include_sealed_cases(client, session, sealed, ordinary):
    login(client, "directie")
    queue = client.get("/cases/?status=new").get_data(as_text=True)
    new = session.scalar(sa.select(sa.func.count()).select_from(Case).where(
        Case.status == "new", Case.confidential.is_(False)))
    assert f'<span class="count">{new}</span>' in queue
    assert f"#{ordinary.id}<" in queue


def test_the_sealed_page_logs_the_view_and_shows_the_log_to_the_vp(client, session, sealed):
    login(client, "vp")
    client.get(f"/vertrouwelijk/{sealed.id}")
    page = client.get(f"/vertrouwelijk/{sealed.id}").get_data(as_text=True)
    vp = session.scalar(sa.select(User).where(User.email == "vp@demo.meldpunt.test"))
    logged = session.scalars(sa.select(AccessLog).where(AccessLog.case_id == sealed.id)).all()
    assert [(e.user_id, e.via) for e in logged] == [(vp.id, "sealed")] * 2
    assert "Wie heeft deze melding bekeken" in page and page.count(vp.name) >= 2


def test_an_action_on_a_sealed_case_lands_back_in_the_sealed_area(client, sealed):
    login(client, "vp")
    response = post_form(client, f"/cases/{sealed.id}/acknowledge", {},
                         form_url=f"/vertrouwelijk/{sealed.id}")
    assert response.status_code == 303
    assert response.location.endswith(f"/vertrouwelijk/{sealed.id}")


def test_an_ordinary_case_shows_its_access_log_to_the_directie_only(client, ordinary):
    login(client, "leerkracht5")
    teacher_page = client.get(f"/cases/{ordinary.id}")
    assert "Gewone melding" in teacher_page.get_data(as_text=True)
    assert "Wie heeft deze melding bekeken" not in teacher_page.get_data(as_text=True)
    post_form(client, "/logout", {}, form_url=f"/cases/{ordinary.id}", page=teacher_page)
    login(client, "directie")
    page = client.get(f"/cases/{ordinary.id}").get_data(as_text=True)
    assert "Wie heeft deze melding bekeken" in page
    assert "Esra Yilmaz" in page  # leerkracht5 opened it first


def test_an_ordinary_case_is_not_shown_in_the_sealed_area(client, ordinary):
    login(client, "vp")
    assert client.get(f"/vertrouwelijk/{ordinary.id}").status_code == 404


def test_legal_route_overrides_confidential(session):
    teacher = session.scalar(sa.select(User).where(User.email == "leerkracht3@demo.meldpunt.test"))
    case = _report(session, "legal-1", confidential=True, sexual=True, reporter_type=
                   ReporterType.CHILD, category="adult_misconduct", about_kind="staff",
                   about_user_id=teacher.id)
    assert not case.confidential and case.primary_role == "bestuur"


def test_anonymous_visitors_are_sent_to_login(client, sealed):
    response = client.get("/vertrouwelijk/")
    assert response.status_code == 302 and "/login" in response.location


def test_the_access_log_cannot_be_changed(session, sealed):
    vp = session.scalar(sa.select(User).where(User.email == "vp@demo.meldpunt.test"))
    entry = AccessLog(case_id=sealed.id, user_id=vp.id, at=NOW)
    session.add(entry)
    session.commit()
    entry.via = "forged"
    with pytest.raises(AccessLogIsAppendOnly):
        session.flush()
    session.rollback()
    entry = session.scalar(sa.select(AccessLog).where(AccessLog.case_id == sealed.id))
    session.delete(entry)
    with pytest.raises(AccessLogIsAppendOnly):
        session.flush()


def test_no_mail_about_a_sealed_case_reaches_anyone_but_a_vertrouwenspersoon(session, sealed):
    from tracker.escalation.notify import mail_staff
    from tracker.models import OutboxMail

    people = {who: session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))
              for who in ("directie", "leerkracht5", "vp")}
    queued = mail_staff(session, people.values(), sealed, template="escalated", key="net",
                        now=NOW)
    assert [m.to for m in queued] == [people["vp"].email]
    session.flush()
    keys = set(session.scalars(sa.select(OutboxMail.key).where(OutboxMail.key.like("net:%"))))
    assert keys == {f"net:{people['vp'].id}"}


def test_the_sealed_page_offers_only_what_may_hold_a_sealed_case(client, session, sealed):
    from forms import parse_forms

    from tracker.models import Role, UserRole

    login(client, "vp")
    html = client.get(f"/vertrouwelijk/{sealed.id}").get_data(as_text=True)
    assign = next(f for f in parse_forms(html) if f.action.endswith(f"/{sealed.id}/assign"))
    control = next(c for c in assign.controls if c.name == "assign-role")
    roles = [value for value in control.choices if value]
    assert roles == ["vertrouwenspersoon"]
    # One way back, to the sealed queue; the escalation says where it can go: nowhere yet.
    assert "← Vertrouwelijke meldingen" in html and "← Mijn werkvoorraad" not in html
    assert "niet mogelijk: er is geen andere vertrouwenspersoon" in html
    # A hand-made post of a role that may not hold it gets the true reason.
    refused = post_form(client, f"/cases/{sealed.id}/assign",
                        {"assign-reason": "Graag overnemen"},
                        form_url=f"/vertrouwelijk/{sealed.id}",
                        tampered={"assign-role": "leerkracht"}, follow_redirects=True)
    assert "alleen naar een vertrouwenspersoon" in refused.get_data(as_text=True)

    ib = session.scalar(sa.select(User).where(User.email == "ib@demo.meldpunt.test"))
    ib.roles.append(UserRole(role=Role.VERTROUWENSPERSOON))
    session.commit()
    html = client.get(f"/vertrouwelijk/{sealed.id}").get_data(as_text=True)
    assert "naar een andere vertrouwenspersoon: Fatima El Amrani" in html

"""Whom a report is about, as a person fills in the forms (issue 11.1)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import login, post_form
from tests.forms import find_form
from tracker.models import Case, CaseParticipant, Report, User


def user_id(session, local: str) -> int:
    return session.scalar(sa.select(User.id).where(User.email == f"{local}@demo.meldpunt.test"))


def latest_case(session) -> Case:
    session.expire_all()
    report = session.scalar(sa.select(Report).order_by(Report.id.desc()))
    return report.case


def receivers(session, case: Case) -> set[str]:
    rows = session.scalars(sa.select(User.email).join(CaseParticipant)
                           .where(CaseParticipant.case_id == case.id))
    return {e.split("@")[0] for e in rows}


def test_a_picked_teacher_is_the_subject_even_when_about_says_a_child(client, session):
    # Finding 11.1: groep 5, "Esra Yilmaz" picked, "Over wie gaat het?" left on "Een kind".
    esra = user_id(session, "leerkracht5")
    response = post_form(client, "/melden", {
        "category": "bullying", "description": "De juf lacht mijn zoon uit.", "group": "5",
        "about_staff": str(esra)})
    assert response.status_code == 303
    case = latest_case(session)
    assert case.about_user_id == esra
    assert case.reports[0].about_kind == "staff"
    assert "leerkracht5" not in receivers(session, case)
    assert "ib" in receivers(session, case)
    assert "De melding gaat over de leerkracht zelf" in case.reason
    # and she does not see it anywhere
    login(client, "leerkracht5")
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert f"/cases/{case.id}" not in client.get("/cases/").get_data(as_text=True)


def test_a_staff_member_typed_not_picked_goes_to_directie(client, session):
    # Finding 11.1, second half: "Een medewerker van school" and only a typed name.
    response = post_form(client, "/melden", {
        "category": "bullying", "description": "De meester scheldt.", "group": "5",
        "about_kind": "staff", "about_text": "de meester van groep 5"})
    assert response.status_code == 303
    case = latest_case(session)
    assert case.about_user_id is None and case.reports[0].about_kind == "staff"
    assert case.primary_role == "directie"
    assert "leerkracht5" not in receivers(session, case)
    assert "directie" in receivers(session, case)
    assert "medewerker van school zonder naam" in case.reason
    assert "leerkracht" not in case.escalation_chain


def test_staff_form_picked_colleague_is_the_subject(client, session):
    login(client, "leerkracht3")
    esra = user_id(session, "leerkracht5")
    response = post_form(client, "/cases/new", {
        "category": "phone_misuse", "description": "Collega zit steeds op de telefoon.",
        "group": "5", "about_kind": "other", "about_staff": str(esra)})
    assert response.status_code == 303
    case = latest_case(session)
    assert case.about_user_id == esra
    assert "leerkracht5" not in receivers(session, case)


def test_the_form_loads_its_script_and_no_inline_script(client):
    response = client.get("/melden")
    html = response.get_data(as_text=True)
    assert 'src="/static/js/report-subject.js"' in html
    assert "<script>" not in html
    form = find_form(html, page_url="/melden", action="/melden")
    assert "about_staff" in form.names  # without JavaScript the list is there
    script = client.get("/static/js/report-subject.js")
    try:
        assert script.status_code == 200 and b"about-staff-box" in script.data
    finally:
        script.close()

"""The thin slice: a parent reports bullying; the group's teacher finds and acknowledges it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import login, post_form
from tracker.models import AccessLog, Case, CaseEvent, Report


def report_bullying(client, group="5", text="Mijn zoon wordt elke pauze geduwd."):
    return post_form(client, "/melden", {"category": "bullying", "description": text,
                                         "group": group, "email": ""})


def test_parent_report_reaches_only_the_groups_teacher(app, client, session):
    response = report_bullying(client)
    assert response.status_code == 303
    assert "bedankt" in response.headers["Location"]
    case = session.scalar(sa.select(Case).order_by(Case.id.desc()))
    assert case.category == "bullying" and case.group.number == 5

    teacher = app.test_client()
    login(teacher, "leerkracht5")
    queue = teacher.get("/cases/").get_data(as_text=True)
    assert f"/cases/{case.id}" in queue

    other = app.test_client()
    login(other, "leerkracht4")
    assert f"/cases/{case.id}" not in other.get("/cases/").get_data(as_text=True)
    assert other.get(f"/cases/{case.id}").status_code == 404

    page = teacher.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Mijn zoon wordt elke pauze geduwd." in page
    assert "Ik pak dit op" in page
    response = post_form(teacher, f"/cases/{case.id}/acknowledge", {},
                         form_url=f"/cases/{case.id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Ik pak dit op" not in page
    kinds = session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)
                            .order_by(CaseEvent.id)).all()
    assert kinds == ["created", "routed", "acknowledged"]
    assert "Esra Yilmaz" in page  # who acknowledged, on the timeline
    assert session.scalar(sa.select(sa.func.count()).select_from(AccessLog)
                          .where(AccessLog.case_id == case.id)) >= 2


def test_second_click_on_submit_stores_one_report(client, session):
    from tests.forms import filled

    _, _, data = filled(client, "/melden", {"category": "bullying",
                                            "description": "Twee keer geklikt", "group": "3"})
    first = client.post("/melden", data=data)
    second = client.post("/melden", data=data)
    assert first.status_code == second.status_code == 303
    reports = session.scalars(sa.select(Report)
                              .where(Report.submission_key == data["submission_key"])).all()
    assert [r.description for r in reports] == ["Twee keer geklikt"]


def test_bad_input_refills_the_form_with_dutch_messages(client, session):
    before = session.scalar(sa.select(sa.func.count()).select_from(Report))
    response = post_form(client, "/melden", {"category": "bullying", "description": "x" * 5001,
                                             "group": "5", "email": "geen-adres"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Gebruik ten hoogste 5000 tekens." in html
    assert "Dit e-mailadres klopt niet." in html
    assert "x" * 5001 in html  # what was typed is kept
    for data, tampered, message in [
        ({"description": "a", "group": "5"}, {"category": "stealing"}, "Ongeldige keuze."),
        ({"category": "bullying", "description": "", "group": "5"}, None,
         "Vertel kort wat er is gebeurd."),
        ({"category": "bullying", "description": "a"}, {"group": "99"}, "Ongeldige keuze."),
    ]:
        response = post_form(client, "/melden", data, tampered=tampered)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Report)) == before


def test_stale_csrf_token_keeps_what_was_typed(client, session):
    # The page stood open so long that its token expired.
    response = post_form(client, "/melden", {"category": "bullying", "group": "5",
                                             "description": "Belangrijk verhaal"},
                         tampered={"csrf_token": "verlopen"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het formulier was verlopen" in html
    assert "Belangrijk verhaal" in html


def test_wrong_password_gives_one_generic_message(client):
    for email, password in [("leerkracht5@demo.meldpunt.test", "fout-wachtwoord"),
                            ("niemand@demo.meldpunt.test", "meldpunt-demo")]:
        response = post_form(client, "/login", {"email": email, "password": password})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet." in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database(database):
    from tracker import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:////nonexistent/dir/x.sqlite3"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error"


def test_error_pages_are_dutch_and_never_show_a_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html and "secret internals" not in html
    assert "Traceback" not in html
    assert "Niet gevonden" in client.get("/bestaat-niet").get_data(as_text=True)


def test_the_address_make_run_prints_leads_somewhere(client):
    home = client.get("/")
    html = home.get_data(as_text=True)
    assert home.status_code == 200
    for href in ('href="/melden"', 'href="/volgen/"', 'href="/login"'):
        assert href in html
    login(client, "leerkracht5")
    assert client.get("/").location.endswith("/cases/")  # staff go straight to their work

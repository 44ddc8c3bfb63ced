"""First run: an empty database leads every page to /setup, guarded by a console token."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa
from conftest import ScratchDatabase, csrf_from
from sqlalchemy import orm

from tracker import create_app
from tracker.models import AdminAudit, Setting, User


@pytest.fixture
def empty(tmp_path):
    db = ScratchDatabase(tmp_path).prepare()
    app = create_app({"TESTING": True, "DATABASE_URL": db.env["DATABASE_URL"],
                      "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False})
    yield app, db
    app.extensions["tracker.engine"].dispose()
    db.drop()


def _token(app) -> str:
    result = app.test_cli_runner().invoke(args=["setup-token"])
    assert result.exit_code == 0, result.output
    return result.output.split("installatiecode: ")[1].split()[0]


def test_every_page_leads_to_setup_and_the_token_creates_the_first_admin(empty, capsys):
    app, db = empty
    client = app.test_client()
    for path in ("/", "/login", "/cases/", "/admin/", "/melden"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/setup"), path
    page = client.get("/setup")
    assert page.status_code == 200
    assert "setup code" in capsys.readouterr().err  # announced on the console
    token = _token(app)
    fields = {"school_name": "OBS De Linde", "name": "Ada Admin", "email": "ada@linde.nl",
              "password": "lang-genoeg-wachtwoord", "confirm": "lang-genoeg-wachtwoord"}
    wrong = client.post("/setup", data=csrf_from(page.get_data(as_text=True)) | fields
                        | {"token": "geraden"})
    assert wrong.status_code == 422 and "installatiecode klopt niet" in wrong.get_data(
        as_text=True)
    response = client.post("/setup", data=csrf_from(page.get_data(as_text=True)) | fields
                           | {"token": token, "directie": "y"})
    assert response.status_code == 303 and "/login/tweestaps/instellen" in response.location
    with orm.Session(db.engine) as s:
        ada = s.scalar(sa.select(User))
        assert ada.role_keys == {"admin", "directie"}
        assert s.get(Setting, "school_name").value == "OBS De Linde"
        assert s.get(Setting, "setup_token") is None
        assert s.scalar(sa.select(AdminAudit.action)) == "setup.first_admin"
    # The admin sets up the second factor, then lands in the admin area.
    enrol = client.get(response.location)
    with orm.Session(db.engine) as s:
        secret = s.scalar(sa.select(User.totp_secret))
    done = client.post("/login/tweestaps/instellen", data={
        "csrf_token": csrf_from(enrol.get_data(as_text=True))["csrf_token"],
        "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert client.get("/admin/").status_code == 200
    # Setup is over: the page and the token are gone for good.
    assert client.get("/setup").status_code == 302
    result = app.test_cli_runner().invoke(args=["setup-token"])
    assert "al ingericht" in result.output


def test_a_second_setup_is_refused(empty):
    app, db = empty
    token = _token(app)
    client = app.test_client()
    page = client.get("/setup").get_data(as_text=True)
    fields = {"token": token, "school_name": "S", "name": "A", "email": "a@s.nl",
              "password": "lang-genoeg-wachtwoord", "confirm": "lang-genoeg-wachtwoord"}
    assert client.post("/setup", data=csrf_from(page) | fields).status_code == 303
    other = app.test_client()
    assert other.get("/setup").status_code == 302
    # (an expired page keeps what was typed and goes back to /setup, which is closed now)
    assert other.post("/setup", data=fields).status_code in (302, 303, 400)
    with orm.Session(db.engine) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_setup_names_the_first_vp_bestuur_and_fg_who_get_their_roles_at_once(empty):
    from conftest import post_form

    from tracker.models import OutboxMail

    app, db = empty
    token = _token(app)
    client = app.test_client()
    fields = {"token": token, "school_name": "OBS De Linde", "name": "Ada Admin",
              "email": "ada@linde.nl", "password": "lang-genoeg-wachtwoord",
              "confirm": "lang-genoeg-wachtwoord", "directie": True,
              "vp_name": "Vera Vertrouwd", "vp_email": "ada@linde.nl",
              "bestuur_name": "Bert Bestuur", "bestuur_email": "bert@stichting.nl",
              "fg_name": "Bert Bestuur", "fg_email": "Bert@stichting.nl"}
    # The one who sets up is never a first holder: two people, from the start.
    refused = post_form(client, "/setup", fields)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "iemand anders in dan uzelf" in page and 'value="Bert Bestuur"' in page
    # Half a holder (a name without an address) is asked to be completed.
    half = post_form(client, "/setup", fields | {"vp_email": ""})
    assert half.status_code == 422 and "Vul ook het e-mailadres in." in half.get_data(
        as_text=True)
    done = post_form(client, "/setup", fields | {"vp_email": "vera@linde.nl"})
    assert done.status_code == 303
    with orm.Session(db.engine) as s:
        roles = {u.email: u.role_keys for u in s.scalars(sa.select(User))}
        assert roles == {"ada@linde.nl": {"admin", "directie"},
                         "vera@linde.nl": {"vertrouwenspersoon"},
                         "bert@stichting.nl": {"bestuur", "fg"}}
        granted = s.scalars(sa.select(AdminAudit).where(
            AdminAudit.action == "role.first_holder")).all()
        assert sorted(a.after["role"] for a in granted) == ["bestuur", "fg", "vertrouwenspersoon"]
        invited = s.scalars(sa.select(OutboxMail.to).where(OutboxMail.template == "invite")).all()
        assert sorted(invited) == ["bert@stichting.nl", "vera@linde.nl"]

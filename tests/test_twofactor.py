"""Two-factor login: set up through a mailed link, a code at every login, one-time recovery
codes."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import login, post_form
from tracker.accounts import twofactor
from tracker.accounts.login import PENDING_SINCE
from tracker.models import OutboxMail, User
from tracker.setup.demo import DEMO_PASSWORD

NEW_PASSWORD = "een-nieuw-wachtwoord"


def _user(session, who: str) -> User:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def _password(client, who: str):
    return post_form(client, "/login", {"email": f"{who}@demo.meldpunt.test",
                                         "password": DEMO_PASSWORD})


def _code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(int(time.time()) // 30 + offset)


def _link(session, who: str, template: str = "password_reset") -> str:
    session.expire_all()
    email = f"{who}@demo.meldpunt.test"
    mails = [m for m in session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id))
             if m.to == email and m.template == template]
    link = mails[-1].context["link"]
    return link[link.index("/", len("http://")):]


def _not_enrolled(session, who: str) -> None:
    # The demo's accounts have their second factor already: start like a new colleague.
    twofactor.reset(session, None, _user(session, who), datetime.now(UTC))
    session.commit()


def _via_link(client, session, who: str):
    """Ask for a link by mail, open it and choose a password: the proof of the mailbox."""
    post_form(client, "/wachtwoord/vergeten", {"email": f"{who}@demo.meldpunt.test"})
    return post_form(client, _link(session, who),
                     {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/login/tweestaps/instellen")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True)).group(1)
    done = post_form(client, "/login/tweestaps/instellen", {"code": _code(secret)}, page=page)
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>",
                       done.get_data(as_text=True))
    return secret, codes


@pytest.mark.parametrize("who", ["vp", "directie", "bestuur", "fg", "admin"])
def test_roles_that_need_it_enrol_through_the_mailed_link_before_any_page(client, session, who):
    _not_enrolled(session, who)
    response = _via_link(client, session, who)
    assert response.location.endswith("/login/tweestaps/instellen")
    assert client.get("/cases/").status_code == 302  # not logged in yet
    page = client.get("/login/tweestaps/instellen").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code, made by segno, no script
    assert "otpauth" not in page.replace("data:image/svg+xml", "")  # only inside the image


@pytest.mark.parametrize("who", ["vp", "leerkracht5"])
def test_a_password_alone_never_sets_up_a_second_factor(app, session, who):
    # Issue 11.5: whoever knew the password of an account that had not enrolled yet set up
    # their own authenticator on it.
    _not_enrolled(session, who)
    client = app.test_client()
    response = _password(client, who)
    if who == "leerkracht5":  # no second factor needed: logged in, but not to enrol
        assert response.location.endswith("/cases/")
    else:
        assert response.location.endswith("/login/tweestaps/via-mail")
        told = client.get(response.location).get_data(as_text=True)
        assert "link" in told and "/wachtwoord/vergeten" in told
    page = client.get("/login/tweestaps/instellen")
    assert page.status_code in (302, 303) and "/instellen" not in page.location
    # A hand-made post with any code does not set one up either.
    forged = client.post("/login/tweestaps/instellen", data={"code": "123456"})
    assert forged.status_code in (302, 303, 400)
    user = _user(session, who)
    assert not twofactor.is_enrolled(user) and not user.totp_secret


def test_enrolment_shows_recovery_codes_once_and_stores_only_hashes(client, session):
    _not_enrolled(session, "vp")
    _via_link(client, session, "vp")
    wrong = post_form(client, "/login/tweestaps/instellen", {"code": "000000"})
    assert wrong.status_code == 422 and "klopt niet" in wrong.get_data(as_text=True)
    assert client.get("/cases/").status_code == 302
    secret, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/cases/").status_code == 200
    user = _user(session, "vp")
    assert user.totp_enabled_at is not None and user.totp_secret == secret
    stored = " ".join(user.recovery_codes)
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)
    raw = session.execute(sa.select(sa.type_coerce(User.totp_secret, sa.Text))
                          .where(User.id == user.id)).scalar_one()
    assert secret not in raw  # the secret is encrypted at rest


def test_every_later_login_asks_a_fresh_code_never_the_same_twice(app, session):
    _not_enrolled(session, "directie")
    first = app.test_client()
    _via_link(first, session, "directie")
    secret, _codes = _enrol(first)
    # Another browser: password, then the code of the app.
    second = app.test_client()
    assert post_form(second, "/login", {"email": "directie@demo.meldpunt.test",
                                        "password": NEW_PASSWORD}
                     ).location.endswith("/login/tweestaps")
    page = second.get("/login/tweestaps")
    used = _code(secret)  # the code used at enrolment (same 30 seconds)
    refused = post_form(second, "/login/tweestaps", {"code": used}, page=page)
    assert refused.status_code == 422 and "al gebruikt" in refused.get_data(as_text=True)
    ok = post_form(second, "/login/tweestaps", {"code": _code(secret, 1)}, page=page)
    assert ok.status_code == 302 and second.get("/cases/").status_code == 200


def test_a_recovery_code_works_once(app, session):
    _not_enrolled(session, "bestuur")
    first = app.test_client()
    _via_link(first, session, "bestuur")
    _secret, codes = _enrol(first)
    for attempt, expected in ((codes[3].upper(), 302), (codes[3], 422)):
        other = app.test_client()
        post_form(other, "/login", {"email": "bestuur@demo.meldpunt.test",
                                    "password": NEW_PASSWORD})
        response = post_form(other, "/login/tweestaps", {"code": attempt})
        assert response.status_code == expected
    assert len(_user(session, "bestuur").recovery_codes) == 9


def test_others_log_in_with_a_password_and_may_opt_in(app, session):
    client = app.test_client()
    # Opting in needs the proof of the mailbox too: a link, then the login in that browser.
    assert _via_link(client, session, "leerkracht5").location.endswith("/login")
    response = login(client, "leerkracht5", NEW_PASSWORD)
    assert response.location.endswith("/cases/")
    secret, codes = _enrol(client)  # optional enrolment while logged in
    assert codes and twofactor.is_enrolled(_user(session, "leerkracht5"))
    again = app.test_client()
    assert post_form(again, "/login", {"email": "leerkracht5@demo.meldpunt.test",
                                       "password": NEW_PASSWORD}
                     ).location.endswith("/login/tweestaps")
    assert again.get("/cases/").status_code == 302


def test_the_half_way_state_expires(client):
    _password(client, "fg")
    with client.session_transaction() as s:
        s[PENDING_SINCE] = int(time.time()) - 11 * 60
    response = client.get("/login/tweestaps")
    assert response.status_code == 303 and response.location.endswith("/login")


def test_the_conftest_login_helper_completes_two_factor_for_the_other_tests(client):
    login(client, "vp")
    assert client.get("/vertrouwelijk/").status_code == 200


def test_reset_makes_the_person_enrol_again(app, session):
    client = app.test_client()
    login(client, "admin")
    user = _user(session, "admin")
    twofactor.reset(session, None, user, datetime.now(UTC))
    session.commit()
    assert client.get("/cases/").status_code == 302  # old sessions end with the reset
    assert _password(app.test_client(), "admin").location.endswith("/via-mail")


def test_the_cli_resets_a_lost_second_factor(app, session):
    client = app.test_client()
    login(client, "fg")
    result = app.test_cli_runner().invoke(args=["twofactor", "reset", "fg@demo.meldpunt.test"])
    assert result.exit_code == 0, result.output
    assert not twofactor.is_enrolled(_user(session, "fg"))
    # They set it up again through the link mailed to them (the invitation).
    fresh = app.test_client()
    assert post_form(fresh, _link(session, "fg", "invite"), {
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).location.endswith("/instellen")
    assert _enrol(fresh)[1]
    assert app.test_cli_runner().invoke(args=["twofactor", "reset", "x@y.z"]).exit_code == 1

"""The children's kiosk through the test client: enrolment, five taps, codes, follow-up."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import enrol_kiosk, login
from tests.forms import filled, submit
from tracker.core.db import utcnow
from tracker.kiosk.service import COOKIE_NAME, revoke
from tracker.models import Case, CaseEvent, KioskDevice, Report, User
from tracker.reporting import receipts

CODE_WORDS = re.compile(r'<ol class="picture-code">(.*?)</ol>', re.S)


BUTTONS = ("choice", "picture", "reply", "group")


def tap(client, url: str, **data):
    """Open a kiosk screen, fill what the child fills and tap the button with that value."""
    pressed = next((str(data.pop(k)) for k in BUTTONS if k in data), None)
    return submit(client, url, data, button=pressed)


def rendered(client, url: str, button: str):
    """What the screen's form sends when its button is tapped (for tapping twice)."""
    return filled(client, url, button=button)[2]


def five_taps(client, *, category="bullying", danger="no", talk="no", text=None):
    """Make a report with five taps; return the response of the last one."""
    assert tap(client, "/kiosk/", choice=category).headers["Location"].endswith("/kiosk/waar")
    assert tap(client, "/kiosk/waar", choice="school").status_code == 303
    assert tap(client, "/kiosk/wie", choice="anonymous").headers["Location"].endswith("/gevaar")
    response = tap(client, "/kiosk/gevaar", choice=danger)
    if danger == "yes":
        return response
    extra = {"text": text} if text is not None else {}
    return tap(client, "/kiosk/praten", choice=talk, **extra)


def picture_code(html: str) -> list[str]:
    block = CODE_WORDS.search(html).group(1)
    return re.findall(r"pictos/([a-z]+)\.svg", block)


def latest_case(session) -> Case:
    session.expire_all()
    return session.scalar(sa.select(Case).order_by(Case.id.desc()))


def test_only_enrolled_tablets_get_the_kiosk(app, client, session):
    page = client.get("/kiosk/")
    html = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "Dit scherm is voor de tablet van school" in html and 'href="/melden"' in html
    assert page.headers["Cache-Control"] == "no-store"

    forged = app.test_client()
    forged.set_cookie(COOKIE_NAME, "eyJkIjoxLCJzIjoieCJ9.bad-signature", domain="meldpunt.test",
                      path="/kiosk")
    assert forged.get("/kiosk/").status_code == 403

    token = enrol_kiosk(client, session)
    assert client.get("/kiosk/").status_code == 200
    # The link is one-time: a second tablet cannot use it.
    assert app.test_client().get(f"/kiosk/aanmelden/{token}").status_code == 404

    revoke(session, None, "Hal beneden", utcnow())
    session.commit()
    assert client.get("/kiosk/").status_code == 403


def test_re_enrolment_ends_the_old_tablets_cookie(app, client, session):
    enrol_kiosk(client, session)
    other = app.test_client()
    enrol_kiosk(other, session)
    assert other.get("/kiosk/").status_code == 200
    assert client.get("/kiosk/").status_code == 403


def test_five_taps_send_a_report_that_reaches_the_queue(app, client, session):
    enrol_kiosk(client, session)
    tap(client, "/kiosk/", choice="bullying")
    tap(client, "/kiosk/waar", choice="school")
    assert tap(client, "/kiosk/wie", choice="name").headers["Location"].endswith("/kiosk/naam")
    assert tap(client, "/kiosk/naam", name="Noor 🌈", group="5").status_code == 303
    tap(client, "/kiosk/gevaar", choice="no")
    response = tap(client, "/kiosk/praten", choice="yes")
    assert response.headers["Location"].endswith("/kiosk/klaar")
    done = client.get("/kiosk/klaar")
    html = done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    assert "Dank je wel" in html and "Ga nu meteen" not in html
    assert "komt met je praten" in html  # she said her name and wants to talk
    code = picture_code(html)
    assert len(code) == 5

    case = latest_case(session)
    report = case.reports[0]
    assert (report.channel, report.reporter_type.value, report.location) == ("kiosk", "child",
                                                                              "school")
    assert report.reporter_name == "Noor 🌈" and report.wants_talk and not report.danger
    assert report.kiosk_device_id is not None and case.group.number == 5
    assert case.receipt_kind == "picture" and "-".join(code) not in str(case.receipt_hash)

    teacher = app.test_client()
    login(teacher, "leerkracht5")
    assert f"/cases/{case.id}" in teacher.get("/cases/").get_data(as_text=True)
    page = teacher.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "<dd>Op school</dd>" in page and "<dd>school</dd>" not in page


def test_an_anonymous_child_who_does_not_want_to_talk_is_told_to_use_the_code(app, client,
                                                                               session):
    enrol_kiosk(client, session)
    five_taps(client, talk="no")
    html = client.get("/kiosk/klaar").get_data(as_text=True)
    assert "Je hebt je naam niet gezegd: kijk met je code" in html
    assert "komt met je praten" not in html and "komt die naar je toe" not in html
    staff = app.test_client()
    login(staff, "antipest")
    page = staff.get(f"/cases/{latest_case(session).id}").get_data(as_text=True)
    assert "Wil praten" in page and "Nee, dat hoeft niet" in page  # her answer, for staff too


def test_after_sending_reload_and_back_show_nothing(client, session):
    enrol_kiosk(client, session)
    five_taps(client)
    assert "Dank je wel" in client.get("/kiosk/klaar").get_data(as_text=True)
    for url in ("/kiosk/klaar", "/kiosk/praten", "/kiosk/gevaar", "/kiosk/waar", "/kiosk/naam"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["Location"].endswith("/kiosk/")
    start = client.get("/kiosk/").get_data(as_text=True)
    assert "autocomplete=\"off\"" in start


def test_danger_sends_at_once_as_urgent(client, session):
    enrol_kiosk(client, session)
    response = five_taps(client, category="threat_violence", danger="yes")
    assert response.headers["Location"].endswith("/kiosk/klaar")
    html = client.get("/kiosk/klaar").get_data(as_text=True)
    assert "Ga nu meteen naar een juf of meester." in html
    case = latest_case(session)
    assert case.reports[0].danger and case.urgent


def test_too_long_text_keeps_the_choices(client, session):
    enrol_kiosk(client, session)
    before = session.scalar(sa.select(sa.func.count()).select_from(Report))
    response = five_taps(client, text="<b>x</b>" * 100)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dat is te lang. Je mag 500 tekens gebruiken." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    response = tap(client, "/kiosk/praten", choice="no", text="<script>alert(1)</script> 🙂")
    assert response.headers["Location"].endswith("/kiosk/klaar")
    assert session.scalar(sa.select(sa.func.count()).select_from(Report)) == before + 1
    report = latest_case(session).reports[0]
    assert report.description == "<script>alert(1)</script> 🙂" and report.category == "bullying"


def test_double_tap_on_send_makes_one_report_with_one_code(client, session):
    enrol_kiosk(client, session)
    tap(client, "/kiosk/", choice="bullying")
    tap(client, "/kiosk/waar", choice="online")
    tap(client, "/kiosk/wie", choice="anonymous")
    tap(client, "/kiosk/gevaar", choice="no")
    data = rendered(client, "/kiosk/praten", "no")
    cookie = client.get_cookie("session", domain="meldpunt.test").value
    client.post("/kiosk/praten", data=data)
    first = picture_code(client.get("/kiosk/klaar").get_data(as_text=True))
    client.set_cookie("session", cookie, domain="meldpunt.test")  # the second tap's request
    assert client.post("/kiosk/praten", data=data).headers["Location"].endswith("/kiosk/klaar")
    second = picture_code(client.get("/kiosk/klaar").get_data(as_text=True))
    assert first == second
    assert session.scalar(sa.select(sa.func.count()).select_from(Report)
                          .where(Report.location == "online")) == 1


def test_stale_page_shows_the_same_screen_with_choices_kept(client, session):
    enrol_kiosk(client, session)
    tap(client, "/kiosk/", choice="cyberbullying")
    # The page was open so long that its token expired.
    response = submit(client, "/kiosk/waar", button="online", tampered={"csrf_token": "stale"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/kiosk/waar")
    assert tap(client, "/kiosk/waar", choice="online").headers["Location"].endswith("/wie")


def test_idle_kiosk_forgets_the_draft(app, client, session):
    app.config["KIOSK_IDLE_SECONDS"] = -20  # any draft is already too old
    enrol_kiosk(client, session)
    tap(client, "/kiosk/", choice="bullying")
    assert client.get("/kiosk/waar").headers["Location"].endswith("/kiosk/")


def follow_up_with_code(client, code: list[str]):
    for picture in code:
        response = tap(client, "/kiosk/code", picture=picture)
    return response


def test_child_follows_up_with_the_picture_code_and_replies(client, session):
    enrol_kiosk(client, session)
    five_taps(client)
    code = picture_code(client.get("/kiosk/klaar").get_data(as_text=True))
    case = latest_case(session)
    staff = session.scalar(sa.select(User).where(User.email == "ib@demo.meldpunt.test"))
    receipts.message_reporter(session, case, staff, "Kom je morgen even langs?", utcnow(),
                              follow_up_url="http://x/volgen/")
    session.add(CaseEvent(case_id=case.id, kind="note", at=utcnow(), actor_id=staff.id,
                          body="Interne notitie: broer ook betrokken", data={}))
    session.commit()

    assert follow_up_with_code(client, code).headers["Location"].endswith("/kiosk/code/melding")
    html = client.get("/kiosk/code/melding").get_data(as_text=True)
    assert "Kom je morgen even langs?" in html and "Interne notitie" not in html
    assert "Je melding is aangekomen" in html
    response = tap(client, "/kiosk/code/melding", reply="stopped")
    assert response.headers["Location"].endswith("/kiosk/code/verstuurd")
    assert "Je bericht is verstuurd" in client.get("/kiosk/code/verstuurd").get_data(as_text=True)
    assert client.get("/kiosk/code/melding").headers["Location"].endswith("/kiosk/")
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.kind == "reporter_message"))
    assert (event.actor_label, event.body) == ("child", "Het is gestopt.")


def answer_screen(client, session) -> str:
    """Report with five taps, come back with the picture code; return the answer screen."""
    enrol_kiosk(client, session)
    five_taps(client)
    follow_up_with_code(client, picture_code(client.get("/kiosk/klaar").get_data(as_text=True)))
    return client.get("/kiosk/code/melding").get_data(as_text=True)


def test_switching_language_keeps_the_answer_on_screen(client, session):
    html = answer_screen(client, session)
    assert "/kiosk/taal/en?stap=status" in html
    switched = client.get("/kiosk/taal/en?stap=status")
    assert switched.headers["Location"].endswith("/kiosk/code/melding")
    assert "Your report has arrived." in client.get("/kiosk/code/melding").get_data(as_text=True)


def test_a_double_tap_on_a_reply_stores_it_once(client, session):
    answer_screen(client, session)
    form = rendered(client, "/kiosk/code/melding", "stopped")
    # Both taps leave the tablet before the first answer comes back: same cookie, same form.
    before = client.get_cookie("session", domain="meldpunt.test").value
    assert client.post("/kiosk/code/melding", data=form).status_code == 303
    client.set_cookie("session", before, domain="meldpunt.test")
    assert client.post("/kiosk/code/melding", data=form).status_code == 303
    bodies = session.scalars(sa.select(CaseEvent.body).where(
        CaseEvent.case_id == latest_case(session).id, CaseEvent.kind == "reporter_message"))
    assert list(bodies) == ["Het is gestopt."]


def test_wrong_and_expired_picture_codes(client, session):
    enrol_kiosk(client, session)
    five_taps(client)
    code = picture_code(client.get("/kiosk/klaar").get_data(as_text=True))
    wrong = code[:4] + ["uil" if code[4] != "uil" else "beer"]
    follow_up_with_code(client, wrong)
    assert "Deze code kennen we niet" in client.get("/kiosk/code?fout=unknown").get_data(
        as_text=True)
    case = latest_case(session)
    case.closed_at = utcnow() - receipts.CODE_LIFETIME_AFTER_CLOSE - timedelta(days=1)
    session.commit()
    response = follow_up_with_code(client, code)
    assert response.headers["Location"].endswith("fout=expired")
    assert "werkt niet meer" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_kiosk_cli_enrol_prints_a_link_and_revoke_works(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kiosk", "enroll", "Gang boven"])
    assert result.exit_code == 0, result.output
    assert re.search(r"http://127\.0\.0\.1:5000/kiosk/aanmelden/\S{20,}", result.output)
    result = runner.invoke(args=["kiosk", "revoke", "Gang boven"])
    assert result.exit_code == 0
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == "Gang boven"))
    assert device.revoked_at is not None
    assert runner.invoke(args=["kiosk", "revoke", "Bestaat niet"]).exit_code == 1

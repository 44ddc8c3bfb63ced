"""Follow-up at /volgen: codes, status, messages both ways, limits and kind answers."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import csrf_from, post_form
from tests.forms import filled
from tracker.core.db import utcnow
from tracker.models import Case, CaseEvent, OutboxMail, User
from tracker.reporting import receipts

CODE = re.compile(r'<p class="code"[^>]*>(.*?)</p>', re.S)


def parent_report(client, **extra) -> str:
    """Send a parent report; return the receipt code shown on the thanks page."""
    data = {"category": "bullying", "description": "Mijn dochter wordt buitengesloten.",
            "group": "4", "about_kind": "child"} | extra
    response = post_form(client, "/melden", data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    html = client.get("/melden/bedankt").get_data(as_text=True)
    return "".join(re.findall(r'<span class="group">([A-Z0-9]{4})</span>',
                              CODE.search(html).group(1)))


def latest_case(session) -> Case:
    session.expire_all()
    return session.scalar(sa.select(Case).order_by(Case.id.desc()))


def look_up(client, code: str):
    return post_form(client, "/volgen/", {"code": code})


def test_code_is_shown_once_and_mailed_without_report_content(client, session):
    code = parent_report(client, email="Ouder@Example.org")
    assert len(code) == 20
    again = client.get("/melden/bedankt").get_data(as_text=True)
    assert code[:4] not in again and "al getoond" in again
    case = latest_case(session)
    assert case.receipt_kind == "text" and code not in case.receipt_hash
    mail = session.scalar(sa.select(OutboxMail).where(OutboxMail.case_id == case.id,
                                                      OutboxMail.template == "receipt"))
    assert mail.to == "ouder@example.org" and mail.recipient_kind == "parent"
    assert mail.context["code"].replace("-", "") == code
    assert mail.context["follow_up_url"].endswith("/volgen/")
    assert "buitengesloten" not in str(mail.context)


def test_the_outbox_row_holds_neither_the_code_nor_the_address_in_plain_text(client, session):
    address = "kwartel.ouder@example.org"
    code = parent_report(client, email=address)
    case = latest_case(session)
    # Read the row as the database holds it (plain SQL, none of our column types).
    row = session.execute(sa.text(
        'SELECT "to", context FROM outbox_mail WHERE case_id = :case AND template = :t'),
        {"case": case.id, "t": "receipt"}).one()
    stored = " ".join(str(value) for value in row)
    for secret in (code, code[:4], f"{code[:4]}-{code[4:8]}", address, "kwartel", "volgen"):
        assert secret not in stored, secret
    # The worker still reads the code it must mail.
    mail = session.scalar(sa.select(OutboxMail).where(OutboxMail.case_id == case.id,
                                                      OutboxMail.template == "receipt"))
    assert mail.context["code"].replace("-", "") == code and mail.to == address


def test_no_mail_without_an_address(client, session):
    parent_report(client)
    case = latest_case(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)
                          .where(OutboxMail.case_id == case.id,
                                 OutboxMail.template == "receipt")) == 0


def test_parent_reads_staff_messages_but_never_notes_and_replies(client, session):
    code = parent_report(client, email="ouder@example.org")
    case = latest_case(session)
    staff = session.scalar(sa.select(User).where(User.email == "leerkracht4@demo.meldpunt.test"))
    receipts.message_reporter(session, case, staff, "Wilt u morgen langskomen? <b>15:00</b>",
                              utcnow(), follow_up_url="http://x/volgen/")
    session.add(CaseEvent(case_id=case.id, kind="note", at=utcnow(), actor_id=staff.id,
                          body="Intern: vader eerder gesproken", data={}))
    session.commit()
    mail = session.scalar(sa.select(OutboxMail).where(OutboxMail.template == "reporter_message",
                                                      OutboxMail.case_id == case.id))
    assert "langskomen" not in str(mail.context)

    # Typed loosely: lower case, spaces instead of dashes.
    response = look_up(client, " ".join(code[i:i + 4] for i in range(0, 20, 4)).lower())
    assert response.status_code == 303
    page = client.get("/volgen/melding")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Wilt u morgen langskomen? &lt;b&gt;15:00&lt;/b&gt;" in html
    assert "Intern: vader" not in html and "Mijn dochter" not in html

    response = post_form(client, "/volgen/melding", {"body": "Ja, ik kom 🙂"})
    assert response.status_code == 303
    assert "Ja, ik kom 🙂" in client.get("/volgen/melding").get_data(as_text=True)
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.kind == "reporter_message"))
    assert (event.actor_label, event.body) == ("parent", "Ja, ik kom 🙂")


def test_a_wrong_code_gets_the_same_answer_however_close(client, session):
    code = parent_report(client)
    near = code[:-1] + ("A" if code[-1] != "A" else "B")
    answers = set()
    for attempt in (near, "ABCD-EFGH-JKMN-PQRS-TUVW", "x", "appel-bal", "' OR 1=1 --"):
        html = look_up(client, attempt).get_data(as_text=True)
        answers.add(re.sub(r'value="[^"]*"', "", html))
        assert "Bij deze code vinden we geen melding" in html
    assert len(answers) == 1


def test_an_expired_code_is_told_kindly(client, session):
    code = parent_report(client)
    case = latest_case(session)
    case.closed_at = utcnow() - receipts.CODE_LIFETIME_AFTER_CLOSE - timedelta(hours=1)
    session.commit()
    html = look_up(client, code).get_data(as_text=True)
    assert "Deze code werkt niet meer" in html and "nieuwe melding" in html
    case.closed_at = utcnow() - timedelta(days=3)  # closed recently: still readable
    session.commit()
    assert look_up(client, code).status_code == 303


def test_lookups_are_rate_limited_per_visitor(app, client):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    statuses = [look_up(client, f"ABCD-EFGH-JKMN-PQRS-{i:04d}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    other = app.test_client()
    _, target, body = filled(other, "/volgen/", {"code": "x"})
    response = other.post(target, data=body, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 200


def test_reply_after_the_page_expired_asks_for_the_code_again(client, session):
    code = parent_report(client)
    look_up(client, code)
    page = client.get("/volgen/melding")
    with client.session_transaction() as state:
        state.pop("follow_up")
    response = post_form(client, "/volgen/melding", {"body": "Hallo"}, page=page)
    assert response.headers["Location"].endswith("/volgen/")
    assert "niet verstuurd" in client.get("/volgen/").get_data(as_text=True)


def test_overlong_reply_is_kept_with_a_message(client, session):
    look_up(client, parent_report(client))
    response = post_form(client, "/volgen/melding", {"body": "é" * 2001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Gebruik ten hoogste 2000 tekens." in html and "é" * 2001 in html


def test_a_second_click_on_send_stores_one_reply(client, session):
    look_up(client, parent_report(client))
    page = client.get("/volgen/melding")
    _, target, form = filled(client, "/volgen/melding", {"body": "Dank u, ik bel morgen."},
                             page=page)
    assert client.post("/volgen/melding", data=form).status_code == 303
    assert client.post("/volgen/melding", data=form).status_code == 303  # the second click
    replies = lambda: list(session.scalars(  # noqa: E731
        sa.select(CaseEvent.body).where(CaseEvent.case_id == latest_case(session).id,
                                        CaseEvent.kind == "reporter_message")))
    assert replies() == ["Dank u, ik bel morgen."]
    html = client.get("/volgen/melding").get_data(as_text=True)
    assert html.count("Dank u, ik bel morgen.") == 1 and "Uw bericht is verstuurd." in html

    # Back to the old page, other words typed: that is a new message, never dropped.
    assert post_form(client, "/volgen/melding", {"body": "Of toch overmorgen."},
                     page=page).status_code == 303
    assert replies() == ["Dank u, ik bel morgen.", "Of toch overmorgen."]
    # A fresh page brings a fresh key.
    assert csrf_from(client.get("/volgen/melding").get_data(as_text=True))[
        "submission_key"] != form["submission_key"]


def test_a_picture_code_on_the_public_page_is_a_wrong_code(app, client, session):
    """Issue 11.6: picture codes (about 8 million) work at an enrolled kiosk only; /volgen
    answers one exactly as a wrong code: same page, status, queries and rate-limit count."""
    from tests.conftest import enrol_kiosk
    from tests.test_kiosk import five_taps, follow_up_with_code, picture_code

    tablet = app.test_client()
    enrol_kiosk(tablet, session)
    five_taps(tablet)
    pictures = picture_code(tablet.get("/kiosk/klaar").get_data(as_text=True))
    assert latest_case(session).receipt_kind == "picture"
    typed_code = "-".join(pictures)
    wrong_code = "-".join(pictures[:4] + ["uil" if pictures[4] != "uil" else "beer"])

    engine = session.get_bind()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    answers = {}
    for label, attempt in (("picture", typed_code), ("spaced", " ".join(pictures)),
                           ("wrong picture", wrong_code),
                           ("wrong text", "ABCD-EFGH-JKMN-PQRS-TUVW")):
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            response = look_up(client, attempt)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, label
        assert "Bij deze code vinden we geen melding" in html, label
        answers[label] = (re.sub(r'value="[^"]*"', "", html),
                          len([s for s in statements if "receipt_hash" in s]))
    assert len(set(answers.values())) == 1, answers
    assert client.get("/volgen/melding").headers["Location"].endswith("/volgen/")

    # Counted like any wrong code: the eleventh try of a visitor is refused.
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    guesser = app.test_client()
    statuses = [look_up(guesser, typed_code).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]

    # The same code still works on the kiosk it was made for.
    response = follow_up_with_code(tablet, pictures)
    assert response.headers["Location"].endswith("/kiosk/code/melding")

"""An answer at the end (issue 12.2): resolving asks for an optional closing message for the
reporter, apart from the internal outcome; the reporter reads it at /volgen (and the kiosk),
and a parent who left an address gets a mail without its words."""

from __future__ import annotations

import html as htmllib
import re

import sqlalchemy as sa

from tests.conftest import login, post_form
from tests.test_follow_up import look_up, parent_report
from tracker.models import Case, CaseEvent, OutboxMail

OUTCOME = "Gesprek met beide kinderen; ouders van de ander ingelicht."
CLOSING = "Dank voor uw melding. We hebben met de kinderen gepraat en houden het in de gaten."


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def latest_case(session) -> Case:
    session.expire_all()
    return session.scalar(sa.select(Case).order_by(Case.id.desc()))


def staff(app, who: str):
    client = app.test_client()
    login(client, who)
    return client


def resolve(client, case_id: int, data: dict, page: str | None = None):
    page = page or f"/cases/{case_id}"
    post_form(client, f"/cases/{case_id}/acknowledge", {}, form_url=page)
    return post_form(client, f"/cases/{case_id}/resolve", data, form_url=page)


def test_the_closing_message_has_its_own_fieldset_the_reporter_reads(app, session, client):
    parent_report(client)
    case = latest_case(session)
    teacher = staff(app, "leerkracht4")
    post_form(teacher, f"/cases/{case.id}/acknowledge", {}, form_url=f"/cases/{case.id}")
    page = text(teacher.get(f"/cases/{case.id}"))
    form = page[page.find(f'action="/cases/{case.id}/resolve"'):]
    form = form[:form.find("</form>")]
    fieldset = re.search(r'<fieldset class="to-reporter">(.*?)</fieldset>', form, re.S).group(1)
    assert 'name="resolve-closing_message"' in fieldset and "de melder leest dit" in fieldset
    assert 'name="resolve-outcome"' not in fieldset
    assert "Intern: de melder ziet dit nooit." in form.split("<fieldset")[0]


def test_a_parent_reads_the_closing_message_and_gets_a_content_free_mail(app, session, client):
    code = parent_report(client, email="ouder@example.org")
    case = latest_case(session)
    teacher = staff(app, "leerkracht4")
    response = resolve(teacher, case.id, {"resolve-outcome": OUTCOME,
                                          "resolve-closing_message": CLOSING})
    assert response.status_code == 303
    [event] = session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "closing_message"))
    assert event.body == CLOSING
    [mail] = session.scalars(sa.select(OutboxMail).where(
        OutboxMail.case_id == case.id, OutboxMail.template == "reporter_message"))
    assert mail.to == "ouder@example.org" and "gepraat" not in str(mail.context)

    look_up(client, code)
    follow_up = text(client.get("/volgen/melding"))
    assert CLOSING in follow_up and "School schreef bij het afronden" in follow_up
    assert OUTCOME not in follow_up
    case_page = text(teacher.get(f"/cases/{case.id}"))
    assert "Slotbericht aan de melder" in case_page and CLOSING in case_page


def test_without_a_closing_message_nothing_reaches_the_reporter(app, session, client):
    parent_report(client, email="ouder@example.org")
    case = latest_case(session)
    resolve(staff(app, "leerkracht4"), case.id, {"resolve-outcome": OUTCOME})
    assert latest_case(session).status.value == "resolved"
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMail).where(
        OutboxMail.case_id == case.id, OutboxMail.template == "reporter_message")) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "closing_message")) == 0


def test_a_too_long_closing_message_is_refused_with_both_texts_kept(app, session, client):
    parent_report(client)
    case = latest_case(session)
    too_long = "x" * 2001
    response = resolve(staff(app, "leerkracht4"), case.id, {
        "resolve-outcome": OUTCOME, "resolve-closing_message": too_long})
    assert response.status_code == 422
    page = text(response)
    assert "Gebruik ten hoogste 2000 tekens." in page and too_long in page and OUTCOME in page
    assert latest_case(session).status.value == "acknowledged"


def test_confidential_only_the_vp_resolves_with_the_same_flow(app, session, client):
    code = parent_report(client, confidential=True)
    case = latest_case(session)
    assert case.confidential
    vp = staff(app, "vp")
    response = resolve(vp, case.id, {"resolve-outcome": OUTCOME,
                                     "resolve-closing_message": CLOSING},
                       page=f"/vertrouwelijk/{case.id}")
    assert response.status_code == 303
    look_up(client, code)
    assert CLOSING in text(client.get("/volgen/melding"))

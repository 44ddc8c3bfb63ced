"""Nobody joins a case by a default (issue 11.2): an action's owner is the person adding it
unless they choose someone who may receive the case; that person is told by mail and the
timeline says who added them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from tests.forms import find_form, submit
from tests.test_cases_workflow import client_for, new_case, user_id
from tracker.escalation.tick import run_tick
from tracker.models import CaseAction, CaseParticipant, OutboxMail

DUE = (date.today() + timedelta(days=3)).isoformat()
SECRET = "Hij wordt elke pauze geduwd."  # the report's text (tests/test_cases_workflow.py)


def people_on(session, case_id: int) -> set[int]:
    session.expire_all()
    return set(session.scalars(sa.select(CaseParticipant.user_id)
                               .where(CaseParticipant.case_id == case_id)))


def add_action(client, case_id: int, data: dict, **kw):
    return submit(client, f"/cases/{case_id}", {"action-title": "Gesprek met ouders",
                                                "action-due": DUE, **data},
                  action=f"/cases/{case_id}/action", **kw)


def owner_options(html: str, case_id: int) -> dict[str, bool]:
    form = find_form(html, page_url=f"/cases/{case_id}", action=f"/cases/{case_id}/action")
    [owner] = [c for c in form.controls if c.name == "action-owner"]
    return dict(owner.options)


def test_an_action_left_as_rendered_is_owned_by_whoever_adds_it(app, session):
    case_id = new_case(session, "own-1")
    session.commit()
    before = people_on(session, case_id)
    teacher = client_for(app, "leerkracht5")
    me = user_id(session, "leerkracht5")
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert owner_options(html, case_id)[str(me)] is True  # preselected: herself
    assert add_action(teacher, case_id, {}).status_code == 303
    [action] = session.scalars(sa.select(CaseAction).where(CaseAction.case_id == case_id))
    assert action.owner_id == me
    assert people_on(session, case_id) == before  # nobody joined
    assert not session.scalar(sa.select(OutboxMail.id).where(
        OutboxMail.case_id == case_id, OutboxMail.template == "action_assigned"))


def test_someone_chosen_explicitly_is_added_told_and_named(app, session, smtp_server):
    smtp_server.configure(app)
    case_id = new_case(session, "own-2")
    session.commit()
    teacher = client_for(app, "leerkracht5")
    ib = user_id(session, "ib")
    assert ib not in people_on(session, case_id)
    assert add_action(teacher, case_id, {"action-owner": str(ib)}).status_code == 303
    assert ib in people_on(session, case_id)
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = html[html.index('class="event-action_added"'):]
    assert re.search(r"Actie toegevoegd</strong>\s*— Esra Yilmaz", timeline)  # by whom
    assert "Fatima El Amrani is daarmee toegevoegd en kan de melding inzien" in timeline
    queued = session.scalar(sa.select(OutboxMail).where(
        OutboxMail.case_id == case_id, OutboxMail.template == "action_assigned"))
    with app.app_context():
        run_tick(session, queued.next_attempt_at)  # quiet hours may hold it until morning
    [mail] = [m for m in smtp_server.messages
              if m["X-Envelope-To"] == "ib@demo.meldpunt.test" and "actie" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert f"/cases/{case_id}" in body and SECRET not in body and "Gesprek" not in body
    assert client_for(app, "ib").get(f"/cases/{case_id}").status_code == 200


def test_the_list_offers_only_who_may_receive_the_case(app, session):
    about = user_id(session, "leerkracht4")
    case_id = new_case(session, "own-3", "adult_misconduct", about_kind="staff",
                       about_user_id=about)
    session.commit()
    head = client_for(app, "directie")
    html = head.get(f"/cases/{case_id}").get_data(as_text=True)
    offered = owner_options(html, case_id)
    assert str(about) not in offered and str(user_id(session, "ib")) in offered
    # A crafted request naming the subject: refused in Dutch, the form as typed, nothing saved.
    response = add_action(head, case_id, {"action-title": "Gesprek met Daan"},
                          tampered={"action-owner": str(about)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze persoon kan deze melding niet krijgen. Kies iemand uit de lijst." in page
    assert 'value="Gesprek met Daan"' in page
    assert not session.scalar(sa.select(CaseAction.id).where(CaseAction.case_id == case_id))
    assert about not in people_on(session, case_id)


def test_a_sealed_case_offers_vertrouwenspersonen_only(app, session):
    case_id = new_case(session, "own-4", confidential=True)
    session.commit()
    vp = client_for(app, "vp")
    html = vp.get(f"/vertrouwelijk/{case_id}").get_data(as_text=True)
    form = find_form(html, page_url=f"/vertrouwelijk/{case_id}",
                     action=f"/cases/{case_id}/action")
    [owner] = [c for c in form.controls if c.name == "action-owner"]
    assert owner.options == [(str(user_id(session, "vp")), True)]

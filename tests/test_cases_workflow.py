"""The case page through the test client: a bullying case from report to closed, and refusals."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tests.conftest import act, login, offers, post_form
from tests.forms import find_form, submit
from tracker.domain.calendar import TZ
from tracker.models import Case, CaseEvent, CaseLink, CaseStatus, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

MONDAY = datetime(2026, 9, 14, 10, tzinfo=TZ)
TOKEN = re.compile(r'name="(?:[\w-]*-)?csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="[\w]+-version" type="hidden" value="(\d+)"')


def new_case(session, key: str, category: str = "bullying", *, group: int | None = 5,
             reporter=ReporterType.PARENT, **kw) -> int:
    data = ReportInput(submission_key=key, channel="web", reporter_type=reporter,
                       category=category, description="Hij wordt elke pauze geduwd.",
                       group_number=group, **kw)
    case = submit_report(session, data, MONDAY).case
    session.flush()
    return case.id


def client_for(app, who: str):
    client = app.test_client()
    login(client, who)
    return client


def status(session, case_id: int) -> str:
    return session.scalar(sa.select(Case.status).where(Case.id == case_id)).value


def kinds(session, case_id: int) -> list[str]:
    return list(session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                .order_by(CaseEvent.id)))


def user_id(session, who: str) -> int:
    return session.scalar(sa.select(User.id).where(User.email == f"{who}@demo.meldpunt.test"))


def test_bullying_case_from_report_to_closed(app, session):
    case_id = new_case(session, "wf-1")
    teacher = client_for(app, "leerkracht5")
    assert f"/cases/{case_id}" in teacher.get("/cases/").get_data(as_text=True)
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Doorgestuurd naar de leerkracht van groep 5 omdat: een ouder meldde pesten." in html
    assert "Hij wordt elke pauze geduwd." in html
    assert "<summary>Afronden</summary>" not in html  # the state does not allow it yet
    assert "<summary>Sluiten</summary>" not in html

    response = act(teacher, case_id, "acknowledge", follow=True)
    assert "Je hebt deze melding opgepakt." in response.get_data(as_text=True)
    assert status(session, case_id) == "acknowledged"

    due = (date.today() + timedelta(days=3)).isoformat()
    me = user_id(session, "leerkracht5")
    assert act(teacher, case_id, "action", {"title": "Gesprek met ouders", "owner": me,
                                            "due": due}).status_code == 303
    assert status(session, case_id) == "in_progress"
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    action_id = re.search(r'name="complete_action-action_id"[^>]* value="(\d+)"', html).group(1)
    assert act(teacher, case_id, "complete_action", {"action_id": action_id}).status_code == 303
    act(teacher, case_id, "note", {"body": "Ouders zijn gebeld, zoon is erg stil."})
    act(teacher, case_id, "message", {"body": "Dank voor uw melding; we gaan met de klas aan "
                                              "de slag."})
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert re.search(r'class="note internal".*Ouders zijn gebeld', html)
    assert re.search(r'class="message to-reporter".*we gaan met de klas', html)

    assert not offers(teacher, case_id, "close")  # not while it is in progress

    act(teacher, case_id, "resolve", {"outcome": "Gesprek met de klas en de pester."})
    case = session.get(Case, case_id)
    session.refresh(case)
    assert case.status is CaseStatus.RESOLVED and case.followup_due is not None
    assert case.followup_due.astimezone(TZ).date() > date.today() + timedelta(days=10)
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Controle vastleggen: is het gestopt?" in html

    assert not offers(teacher, case_id, "close")  # the follow-up check comes first
    act(teacher, case_id, "record_check", {"result": "stopped", "note": "Rustig in de klas."})
    response = act(teacher, case_id, "close", follow=True)
    assert "De melding is gesloten." in response.get_data(as_text=True)
    assert status(session, case_id) == "closed"
    assert kinds(session, case_id) == [
        "created", "routed", "acknowledged", "action_added", "action_done", "note",
        "message_to_reporter", "resolved", "check_scheduled", "check_recorded", "closed"]
    # every step names who did it
    actors = session.scalars(sa.select(CaseEvent.actor_id).where(
        CaseEvent.case_id == case_id, CaseEvent.kind.not_in(["created", "routed",
                                                             "check_scheduled"])))
    assert set(actors) == {me}
    html = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Heropenen" in html and "Interne notitie schrijven" not in html

    # Closed work leaves the open queue (read through the participants' open flag) and is
    # found under "Gesloten"; reopened, it is back in everyone's open queue.
    link = f'href="/cases/{case_id}"'
    for who in (teacher, client_for(app, "antipest")):
        assert link not in who.get("/cases/").get_data(as_text=True)
        assert link in who.get("/cases/?status=closed").get_data(as_text=True)
    act(teacher, case_id, "reopen", {"reason": "Het pesten is weer begonnen."})
    assert status(session, case_id) == "reopened"
    for who in (teacher, client_for(app, "antipest")):
        assert link in who.get("/cases/").get_data(as_text=True)
        assert link not in who.get("/cases/?status=closed").get_data(as_text=True)


def test_not_stopped_opens_the_case_again(app, session):
    case_id = new_case(session, "wf-2", "cyberbullying")
    teacher = client_for(app, "leerkracht5")
    assert not offers(teacher, case_id, "start")  # nobody took it on yet
    assert status(session, case_id) == "new"
    act(teacher, case_id, "acknowledge")
    act(teacher, case_id, "resolve", {"outcome": "Besproken."})
    act(teacher, case_id, "record_check", {"result": "not_stopped"})
    assert status(session, case_id) == "reopened"
    assert "Ik pak dit op" in teacher.get(f"/cases/{case_id}").get_data(as_text=True)


def test_refused_actions_say_why(app, session):
    case_id = new_case(session, "wf-3")
    teacher = client_for(app, "leerkracht5")
    assert not offers(teacher, case_id, "resolve")  # not before someone took it on
    # A crafted request (an old tab) meets the reason, and nothing changes.
    act(teacher, case_id, "acknowledge")
    response = act(teacher, case_id, "note", {"body": ""})
    assert response.status_code == 422
    assert "Schrijf de notitie." in response.get_data(as_text=True)
    old_tab = teacher.get(f"/cases/{case_id}")
    act(teacher, case_id, "resolve", {"outcome": "Klaar"})
    act(teacher, case_id, "record_check", {"result": "stopped"})
    act(teacher, case_id, "close")
    html = act(teacher, case_id, "note", {"body": "Nog iets"}, page=old_tab,
               follow=True).get_data(as_text=True)
    assert "Iemand anders heeft deze melding intussen gewijzigd." in html
    assert status(session, case_id) == "closed"


def test_stale_form_is_refused_and_the_fresh_page_shown(app, session):
    case_id = new_case(session, "wf-4")
    teacher = client_for(app, "leerkracht5")
    old_page = teacher.get(f"/cases/{case_id}")  # open in the teacher's browser tab
    colleague = client_for(app, "antipest")  # informed
    assert act(colleague, case_id, "note", {"body": "Ik spreek de klas morgen."}
               ).status_code == 303
    response = act(teacher, case_id, "note", {"body": "Mijn eigen notitie"}, page=old_page)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft deze melding intussen gewijzigd." in html
    assert "Ik spreek de klas morgen." in html  # the fresh page
    assert "Mijn eigen notitie" in html  # what was typed is kept
    assert kinds(session, case_id).count("note") == 1


def test_missing_and_foreign_cases_look_the_same(app, session):
    case_id = new_case(session, "wf-5")
    other = client_for(app, "leerkracht4")
    missing, foreign = other.get("/cases/999999"), other.get(f"/cases/{case_id}")
    assert missing.status_code == foreign.status_code == 404
    # The CSRF token carries a timestamp; two requests may straddle a second.
    def without_token(response):
        return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))

    assert without_token(missing) == without_token(foreign)
    # No page offers this form to them: what a crafted request would send.
    page = other.get("/cases/").get_data(as_text=True)
    token = TOKEN.search(page)
    data = {"note-csrf_token": token[1] if token else "", "note-version": "1", "note-body": "x"}
    # A stale token keeps the text and leads back to the page (tracker/core/resume.py): a 404 too.
    for url in (f"/cases/{case_id}/note", "/cases/999999/note"):
        answer = other.post(url, data=data, follow_redirects=True)
        assert answer.status_code == 404, url
    assert kinds(session, case_id).count("note") == 0


def test_reassign_to_a_person_and_never_to_the_subject(app, session):
    subject = user_id(session, "leerkracht5")
    case_id = new_case(session, "wf-6", about_kind="staff", about_user_id=subject)
    ib = client_for(app, "ib")
    form = find_form(ib.get(f"/cases/{case_id}").get_data(as_text=True),
                     page_url=f"/cases/{case_id}", action=f"/cases/{case_id}/assign")
    offered = next(c.choices for c in form.controls if c.name == "assign-user")
    assert str(subject) not in offered  # the page never offers the subject
    html = submit(ib, f"/cases/{case_id}", {"assign-reason": "Zij is de leerkracht"},
                  action=f"/cases/{case_id}/assign", tampered={"assign-user": str(subject)},
                  follow_redirects=True).get_data(as_text=True)
    assert "Deze melding gaat over Esra Yilmaz; die kan hem niet krijgen." in html
    response = act(ib, case_id, "assign", {"user": user_id(session, "antipest"),
                                           "reason": "Past beter bij de anti-pestcoördinator",
                                           "keep_informed": "y"}, follow=True)
    assert "De melding is toegewezen." in response.get_data(as_text=True)
    antipest = client_for(app, "antipest")
    assert "Ik pak dit op" in antipest.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Past beter bij de anti-pestcoördinator" in ib.get(
        f"/cases/{case_id}").get_data(as_text=True)
    # to a role: the directie
    act(ib, case_id, "assign", {"role": "directie", "reason": "Ernstig"})
    case = session.get(Case, case_id)
    session.refresh(case)
    assert case.primary_role == "directie"


def test_refer_link_and_meldcode(app, session):
    case_id = new_case(session, "wf-7", "home_concern", reporter=ReporterType.STAFF)
    other_id = new_case(session, "wf-8", "home_concern", reporter=ReporterType.STAFF)
    ib = client_for(app, "ib")
    html = ib.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Meldcode: de vijf stappen" in html and "Nog niet vastgelegd." in html
    act(ib, case_id, "acknowledge")
    response = act(ib, case_id, "meldcode/1", {"finding": "Blauwe plekken op de arm.",
                                               "step": "1"}, follow=True)
    html = response.get_data(as_text=True)
    assert "Blauwe plekken op de arm." in html and "Fatima El Amrani" in html
    act(ib, case_id, "refer", {"to": "veilig_thuis", "on": "2026-11-20"})
    assert status(session, case_id) == "referred"
    assert "Veilig Thuis (0800-2000)" in ib.get(f"/cases/{case_id}").get_data(as_text=True)
    act(ib, case_id, "link", {"other": other_id})
    assert session.get(CaseLink, (other_id, case_id)) is not None
    assert f'href="/cases/{case_id}"' in ib.get(f"/cases/{other_id}").get_data(as_text=True)
    html = act(ib, case_id, "link", {"other": 999999}, follow=True).get_data(as_text=True)
    assert "Melding #999999 kun je niet koppelen: niet gevonden." in html


def test_ticking_off_an_action_as_the_page_renders_it(app, session):
    """"Afvinken" sends the form the page renders: one action_id, the action's own (found by
    the invariants machine: the form also carried an empty one first, and answered 422)."""
    case_id = new_case(session, "wf-tick-off")
    session.commit()
    teacher = client_for(app, "leerkracht5")
    due = (date.today() + timedelta(days=3)).isoformat()
    me = str(user_id(session, "leerkracht5"))
    for title in ("Gesprek met ouders", "Gesprek met de klas"):
        added = post_form(teacher, f"/cases/{case_id}/action", {
            "action-title": title, "action-owner": me, "action-due": due},
            form_url=f"/cases/{case_id}")
        assert added.status_code == 303
    response = post_form(teacher, f"/cases/{case_id}/complete_action", {},
                         form_url=f"/cases/{case_id}", follow_redirects=True)
    assert response.status_code == 200
    assert "De actie is afgevinkt." in response.get_data(as_text=True)
    done = session.scalars(sa.select(CaseEvent.body).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "action_done"))
    assert list(done) == ["Gesprek met ouders"]


def test_an_action_planned_before_resolving_can_still_be_ticked_off(app, session):
    """Resolved, the case waits for its check; the talk with the parents planned earlier is
    still on the page with its "Afvinken" (it used to vanish, stranding the action)."""
    case_id = new_case(session, "wf-resolved-action")
    session.commit()
    teacher = client_for(app, "leerkracht5")
    act(teacher, case_id, "acknowledge")
    due = (date.today() + timedelta(days=3)).isoformat()
    act(teacher, case_id, "action", {"title": "Gesprek met ouders",
                                     "owner": user_id(session, "leerkracht5"), "due": due})
    act(teacher, case_id, "resolve", {"outcome": "Afspraken met de klas."})
    assert status(session, case_id) == "resolved"
    assert offers(teacher, case_id, "complete_action")
    response = act(teacher, case_id, "complete_action", follow=True)
    assert "De actie is afgevinkt." in response.get_data(as_text=True)
    assert status(session, case_id) == "resolved"

"""Children on a case page and a child's chronology, through the rendered forms (issue 15)."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from forms import submit

from tests.conftest import login
from tests.test_cases_workflow import new_case, user_id
from tracker.domain.calendar import TZ
from tracker.models import AccessLog, Case, CaseEvent, CasePupil, Pupil, User
from tracker.pupils import case_links as case_pupils
from tracker.pupils import importing as pupil_import

NOW = datetime(2026, 9, 14, 9, tzinfo=TZ)
REGISTER = ("Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep\n"
            "501;Sanne;de;Vries;Groep 5\n502;Mila;;Jansen;Groep 5\n601;Tim;;Bakker;Groep 6\n")


@pytest.fixture
def pupils(session) -> dict[str, int]:
    pupil_import.apply(session, None, NOW, REGISTER.encode(), mark_left=False)
    session.commit()
    return {p.first_name: p.id for p in session.scalars(sa.select(Pupil))}


def as_(app, who: str, *, two_factor: bool = False):
    client = app.test_client()
    if two_factor:
        session = app.extensions["tracker.sessionmaker"]()
        login_2fa(client, session, who)
        session.close()
    else:
        login(client, who)
    return client


def find(client, case_id: int, name: str):
    """Search the case page's pupil search as a person types a name."""
    return submit(client, f"/cases/{case_id}", {"pupil_search-name": name},
                  action=f"/cases/{case_id}/kinderen/zoeken")


def link(client, case_id: int, name: str, pupil_id: int, role: str = "affected"):
    found = find(client, case_id, name)
    assert found.status_code == 200
    return submit(client, f"/cases/{case_id}", {"pupil_link-pupil": pupil_id,
                                                "pupil_link-role": role},
                  page=found, action=f"/cases/{case_id}/kinderen")


def links(session, case_id: int) -> dict[int, str]:
    session.expire_all()
    return dict(session.execute(sa.select(CasePupil.pupil_id, CasePupil.role)
                                .where(CasePupil.case_id == case_id)).all())


def events(session, case_id: int) -> list[tuple[str, dict]]:
    return [(e.kind, e.data) for e in session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case_id,
                                   CaseEvent.kind.like("pupil_%")).order_by(CaseEvent.id))]


def test_a_teacher_links_a_child_of_their_group_and_the_timeline_says_so(app, session, pupils):
    case_id = new_case(session, "cp-1")
    session.commit()
    teacher = as_(app, "leerkracht5")
    done = link(teacher, case_id, "sanne", pupils["Sanne"], "affected")
    assert done.status_code == 303
    assert links(session, case_id) == {pupils["Sanne"]: "affected"}
    # The event holds the pupil's id and role, never the name (the register is encrypted).
    assert events(session, case_id) == [("pupil_linked", {"pupil": pupils["Sanne"],
                                                          "role": "affected"})]
    page = teacher.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Kind gekoppeld" in page and "Sanne de Vries" in page and "getroffen" in page
    # Unlinking: a timeline event too; the report itself is untouched.
    description = session.get(Case, case_id).reports[0].description
    gone = submit(teacher, f"/cases/{case_id}", {}, action=f"/cases/{case_id}/kinderen/ontkoppelen")
    assert gone.status_code == 303 and links(session, case_id) == {}
    assert [k for k, _ in events(session, case_id)] == ["pupil_linked", "pupil_unlinked"]
    assert session.get(Case, case_id).reports[0].description == description


def test_a_teacher_cannot_find_or_link_a_child_outside_their_groups(app, session, pupils):
    case_id = new_case(session, "cp-2")
    session.commit()
    teacher = as_(app, "leerkracht5")
    found = find(teacher, case_id, "tim").get_data(as_text=True)
    assert "Tim Bakker" not in found and "Geen leerling gevonden" in found
    # A crafted request with Tim's id is refused, clearly, and nothing is saved.
    refused = submit(teacher, f"/cases/{case_id}", {"pupil_link-role": "causing"},
                     page=find(teacher, case_id, "s"), action=f"/cases/{case_id}/kinderen",
                     tampered={"pupil_link-pupil": str(pupils["Tim"])})
    assert refused.status_code == 422
    assert "niet in jouw groep" in refused.get_data(as_text=True)
    assert links(session, case_id) == {} and events(session, case_id) == []


def test_the_anti_pest_coordinator_finds_every_child(app, session, pupils):
    case_id = new_case(session, "cp-3")
    session.commit()
    coordinator = as_(app, "antipest")
    assert "Tim Bakker" in find(coordinator, case_id, "Bakker").get_data(as_text=True)
    assert link(coordinator, case_id, "bakker", pupils["Tim"], "causing").status_code == 303
    assert links(session, case_id) == {pupils["Tim"]: "causing"}


def test_a_child_linked_twice_or_without_a_role_is_refused(app, session, pupils):
    case_id = new_case(session, "cp-4")
    session.commit()
    teacher = as_(app, "leerkracht5")
    no_role = submit(teacher, f"/cases/{case_id}", {"pupil_link-pupil": pupils["Mila"]},
                     page=find(teacher, case_id, "mila"), action=f"/cases/{case_id}/kinderen")
    html = no_role.get_data(as_text=True)
    assert no_role.status_code == 422 and "Kies wat het kind in deze melding is." in html
    assert links(session, case_id) == {}
    link(teacher, case_id, "mila", pupils["Mila"], "involved")
    # Mila is no longer offered; a second link (a stale page, a crafted request) is refused.
    again = submit(teacher, f"/cases/{case_id}", {"pupil_link-role": "affected"},
                   page=find(teacher, case_id, "s"), action=f"/cases/{case_id}/kinderen",
                   tampered={"pupil_link-pupil": str(pupils["Mila"])})
    assert again.status_code == 422 and "al aan deze melding gekoppeld" in again.get_data(
        as_text=True)
    assert links(session, case_id) == {pupils["Mila"]: "involved"}
    assert len(events(session, case_id)) == 1


def test_the_chronology_lists_what_the_viewer_may_see_and_logs_each_read(app, session, pupils):
    sanne = pupils["Sanne"]
    first, second = new_case(session, "cp-5a"), new_case(session, "cp-5b", "cyberbullying")
    about_teacher = new_case(session, "cp-5c", about_kind="staff",
                             about_user_id=user_id(session, "leerkracht5"))
    sealed = new_case(session, "cp-5d", confidential=True)
    session.commit()
    for case_id in (first, second, about_teacher):
        case_pupils.link(session, session.get(Case, case_id),
                         _user(session, "directie"), NOW, sanne, "affected")
    assert session.get(Case, sealed).confidential
    case_pupils.link(session, session.get(Case, sealed), _user(session, "vp"), NOW, sanne,
                     "affected")
    session.commit()

    teacher = as_(app, "leerkracht5")
    page = teacher.get(f"/leerlingen/{sanne}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sanne de Vries" in html
    assert f"#{second}" in html and f"#{first}" in html
    assert html.index(f"#{second}") < html.index(f"#{first}")  # newest first
    assert f"#{about_teacher}" not in html  # never a case about the viewer
    assert f"#{sealed}" not in html  # sealed: the vertrouwenspersoon only
    assert "Dit schooljaar" not in html  # the summary is for IB, anti-pest and directie
    logged = set(session.scalars(sa.select(AccessLog.case_id).where(
        AccessLog.via == "chronology", AccessLog.user_id == user_id(session, "leerkracht5"))))
    assert logged == {first, second}

    director = as_(app, "directie", two_factor=True)
    director_page = director.get(f"/leerlingen/{sanne}").get_data(as_text=True)
    assert f"#{about_teacher}" in director_page and f"#{sealed}" not in director_page
    assert "Dit schooljaar" in director_page
    vp_page = as_(app, "vp", two_factor=True).get(f"/leerlingen/{sanne}").get_data(as_text=True)
    assert f"#{sealed}" in vp_page
    # A child outside the teacher's groups has no page for them.
    assert teacher.get(f"/leerlingen/{pupils['Tim']}").status_code == 404


def _user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))

"""Words on the case page and the thanks page say what is true for the person reading them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import login, post_form
from tests.test_cases_workflow import client_for, new_case
from tracker.models import CaseParticipant, User


def test_why_it_came_to_you_only_for_whom_it_was_routed_to(app, session):
    case_id = new_case(session, "why-1")
    session.commit()
    routed = set(session.scalars(sa.select(User.email).join(CaseParticipant)
                                 .where(CaseParticipant.case_id == case_id)))
    assert "leerkracht5@demo.meldpunt.test" in routed
    assert "directie@demo.meldpunt.test" not in routed

    teacher = client_for(app, "leerkracht5").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Waarom bij jou" in teacher and "Doorgestuurd naar" in teacher

    head = client_for(app, "directie").get(f"/cases/{case_id}")
    assert head.status_code == 200
    html = head.get_data(as_text=True)
    assert "Doorgestuurd naar" in html
    assert "Waarom bij jou" not in html and "Waarom doorgestuurd" in html


ONLY_VP = "alleen de vertrouwenspersoon van de school leest hem"


@pytest.mark.parametrize("confidential", [True, False])
def test_the_parent_thanks_page_says_who_reads_a_confidential_report(client, confidential):
    data = {"category": "bullying", "description": "Mijn kind wordt gepest.", "group": "5"}
    if confidential:
        data["confidential"] = "y"
    response = post_form(client, "/melden", data)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (ONLY_VP in html) is confidential
    assert ("gaat naar de juiste persoon" in html) is not confidential


@pytest.mark.parametrize("confidential", [True, False])
def test_the_staff_thanks_page_says_who_reads_a_confidential_report(client, confidential):
    login(client, "leerkracht3")
    data = {"category": "bullying", "description": "Een leerling wordt gepest.", "group": "3"}
    if confidential:
        data["confidential"] = "y"
    response = post_form(client, "/cases/new", data)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (ONLY_VP in html) is confidential
    assert ("gaat naar de juiste persoon" in html) is not confidential

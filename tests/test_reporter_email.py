"""An e-mail address given on /melden is for updates only (issue 11.8): the form says the
school does not see it, and no staff page shows it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.forms import submit
from tracker.models import Case

ADDRESS = "bezorgde.ouder@example.org"


def report(client, session, **fields) -> Case:
    response = submit(client, "/melden", {
        "category": "bullying", "description": "Ze wordt buitengesloten.", "group": "5",
        "about_kind": "child", "email": ADDRESS, **fields})
    assert response.status_code == 303
    case = session.scalar(sa.select(Case).order_by(Case.id.desc()))
    assert case.reporter_email == ADDRESS  # kept, for the updates
    return case


def test_the_form_says_what_the_school_sees(client):
    page = client.get("/melden").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="email-hint">(.*?)</p>', page, re.S)
    assert hint, "the e-mail field has no hint"
    assert "Alleen voor updates: de school ziet uw e-mailadres niet, ook als u uw naam " \
           "invult." in hint.group(1)
    assert 'aria-describedby="email-hint"' in page
    assert "Uw naam en telefoonnummer ziet de school, als u ze invult." in page


@pytest.mark.parametrize("named", [False, True])
def test_staff_never_see_the_address_for_updates(app, client, session, named):
    fields = {"name": "Ouder van Dam", "phone": "06-12345678"} if named else {}
    case = report(client, session, **fields)
    teacher = app.test_client()
    login(teacher, "leerkracht5")
    page = teacher.get(f"/cases/{case.id}").get_data(as_text=True)
    assert ADDRESS not in page and "bezorgde.ouder" not in page
    assert "De melder krijgt updates per mail" in page
    if named:  # what the form says the school sees, it sees
        assert "Ouder van Dam" in page and "06-12345678" in page


def test_the_vertrouwenspersoon_does_not_see_it_either(app, client, session):
    case = report(client, session, confidential="y")
    vp = app.test_client()
    login(vp, "vp")
    page = vp.get(f"/vertrouwelijk/{case.id}").get_data(as_text=True)
    assert ADDRESS not in page and "De melder krijgt updates per mail" in page

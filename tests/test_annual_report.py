"""The yearly overview (issue 14.2): suppressed figures, the directie's words, the PDF."""

from __future__ import annotations

import html
import io
import re

import pytest
from conftest import login, post_form
from insight_seed import seed
from pypdf import PdfReader

URL = "/overzicht/jaarverslag/?schooljaar=2030-2031"


@pytest.fixture
def seeded(app, session):
    made = seed(app, session)
    session.commit()
    return made


def text(response) -> str:
    body = html.unescape(response.get_data(as_text=True))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_small_numbers_are_suppressed_and_sealed_cases_never_counted(client, seeded):
    login(client, "directie")
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    # 8 ordinary cases in 2030-2031 (A-F and the two just outside September-October; the
    # sealed one is never among them). Below 5 reads "minder dan 5"; no share of a small
    # whole is given.
    assert "Meldingen 8 Een jaar eerder minder dan 5" in page
    assert "Soort melding Aantal Pesten (fysiek of verbaal) minder dan 5" in page
    # The web form's 6 is hidden too: with the total, it would give the other two away.
    assert "Kanaal Aantal webformulier niet getoond kiosk minder dan 5 medewerker minder " \
        "dan 5" in page
    assert "Geëscaleerd minder dan 5" in page
    assert "Op tijd opgepakt niet getoond: te weinig meldingen" in page
    assert "Tijd tot oppakken: mediaan 3 uur" in page  # 5 cases: at the threshold, shown
    assert "Anti-pestcoördinator en aanspreekpunt: Jeroen Bakker." in page
    assert " 9 " not in page and "Meldingen 9" not in page


def test_the_directie_writes_its_sections_until_they_are_final(client, seeded):
    login(client, "directie")
    response = post_form(client, "/overzicht/jaarverslag/?schooljaar=2030-2031",
                         {"analysis": "Pesten piekt in september.", "plans": "Kanjertraining."},
                         form_url=URL, follow_redirects=True)
    page = text(response)
    assert "Het jaarverslag 2030-2031 is opgeslagen." in page
    assert "Pesten piekt in september." in page and "Kanjertraining." in page
    response = post_form(client, "/overzicht/jaarverslag/definitief?schooljaar=2030-2031", {},
                         form_url=URL, follow_redirects=True)
    page = text(response)
    assert "is definitief" in page and "Maak het jaarverslag definitief" not in page
    assert 'name="analysis"' not in response.get_data(as_text=True)


def test_others_read_but_do_not_write(client, seeded):
    login(client, "antipest")
    response = client.get(URL)
    assert response.status_code == 200 and 'name="analysis"' not in response.get_data(
        as_text=True)


@pytest.mark.parametrize("year", ["2030-2032", "2030", "dertig", ""])
def test_a_school_year_that_does_not_exist_is_told_in_words(client, year):
    login(client, "directie")
    response = client.get(f"/overzicht/jaarverslag/?schooljaar={year}")
    if not year:
        assert response.status_code == 200  # no year asked: this school year
        return
    assert response.status_code == 404
    assert f"Schooljaar '{year}' bestaat niet" in text(response)


def test_an_empty_year_says_so_instead_of_empty_charts(client):
    login(client, "directie")
    response = client.get("/overzicht/jaarverslag/?schooljaar=2041-2042")
    assert "In dit schooljaar zijn er geen meldingen gedaan" in text(response)
    assert "<svg" not in response.get_data(as_text=True)


def test_the_pdf_holds_the_same_suppressed_figures(client, seeded):
    login(client, "directie")
    response = client.get(URL + "&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        response.get_data())).pages)
    words = re.sub(r"\s+", " ", words)
    assert "Jaarverslag sociale veiligheid 2030-2031" in words
    assert "minder dan 5" in words and "Wet veiligheid op school" in words

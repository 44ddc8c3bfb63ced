"""/overzicht (issue 14): the figures on the page, who sees which, and bad input in words."""

from __future__ import annotations

import html
import re

import pytest
from conftest import login
from insight_seed import FROM, TO, seed

URL = f"/overzicht/?van={FROM}&tot={TO}"


@pytest.fixture
def seeded(app, session):
    made = seed(app, session)
    session.commit()
    return made


def text(response) -> str:
    body = html.unescape(response.get_data(as_text=True))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def row(page: str, label: str) -> str:
    """Return what follows a table row's label (the row's value)."""
    return page.split(label, 1)[1].strip().split(" ")[0]


def test_the_directie_reads_the_periods_figures(client, seeded):
    login(client, "directie")
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    # The page's now is today: F's deadline (in 2030) has not passed, so 4 of 5 are judged.
    assert "Meldingen 6 Een jaar eerder 2 Op tijd opgepakt 80% (4 van 5)" in page
    assert "Melder kreeg bericht 40% (2 van 5)" in page
    assert "sep 2030 4" in page and "okt 2030 2" in page  # the month chart's table
    assert "Pesten (fysiek of verbaal) 2" in page
    assert "Tijd tot oppakken: mediaan 3 uur" in page
    assert "Tijd tot oppakken: 90e percentiel 45,6 uur" in page
    assert "Tijd tot sluiten: mediaan (1 gesloten) 2 dagen" in page
    assert "Geëscaleerd 1" in page and "Doorverwezen naar Veilig Thuis (0800-2000) 1" in page
    assert "Wettelijke route: acuut gevaar of onthulling 1" in page
    assert "Controles vastgelegd 2" in page and "Daarvan: “het is gestopt” 1" in page
    assert "Waar het gebeurde Plaats Aantal onbekend 4 Online 1 Op school 1" in page
    assert "Code opnieuw gebruikt om te kijken hoe het staat (van de melders met een code) " \
        "0% (0 van 4)" in page
    assert "Tijd tot het eerste bericht aan de melder: mediaan 17 uur" in page
    # Charts are pictures with their numbers as a table; nothing the CSP would block.
    body = response.get_data(as_text=True)
    assert body.count("<svg") == 6 and body.count('role="img"') == 6
    assert "<script" not in body and "style=" not in body and "<style" not in body


def test_filters_narrow_the_page(client, seeded):
    login(client, "directie")
    page = text(client.get(URL + "&categorie=bullying&kanaal=kiosk"))
    assert "Meldingen 1 Een jaar eerder 0" in page


def test_sealed_cases_are_counted_only_in_the_vertrouwenspersoons_own_overview(app, client,
                                                                                 seeded):
    login(client, "vp")
    page = text(client.get(URL))
    assert "vertrouwelijke meldingen" in page and "Meldingen 1 " in page
    directie = app.test_client()
    login(directie, "directie")
    assert "Meldingen 6 " in text(directie.get(URL + "&vertrouwelijk=1"))  # not 7


@pytest.mark.parametrize(("who", "status"), [("leerkracht5", 403), ("ib", 200),
                                              ("antipest", 200), ("admin", 403)])
def test_who_may_open_the_overview(client, who, status):
    login(client, who)
    assert client.get("/overzicht/").status_code == status


def test_the_default_is_this_school_year_and_an_empty_one_says_so_in_words(client):
    login(client, "directie")
    response = client.get("/overzicht/?van=2041-08-01&tot=2042-07-31")
    assert response.status_code == 200
    page = text(response)
    assert "geen meldingen die jij mag zien" in page and "<svg" not in page
    assert client.get("/overzicht/").status_code == 200


@pytest.mark.parametrize(("query", "words"), [
    ("van=2030-13-01&tot=2030-12-31", "De begindatum '2030-13-01' is geen datum"),
    ("van=2030-09-01&tot=", "De einddatum '' is geen datum"),
    ("van=2030-09-02&tot=2030-09-01", "De einddatum ligt vóór de begindatum"),
    ("van=2020-01-01&tot=2030-01-01", "Kies een periode van hoogstens 5 jaar"),
    ("van=2030-09-01&tot=2030-09-30&groep=99", "Er klopt iets niet in de filters"),
    ("van=2030-09-01&tot=2030-09-30&categorie=%3Cscript%3E", "Er klopt iets niet"),
])
def test_bad_input_gets_words_and_keeps_what_was_typed(client, query, words):
    login(client, "directie")
    response = client.get(f"/overzicht/?{query}")
    assert response.status_code == 422
    page = text(response)
    assert words in page and "<svg" not in response.get_data(as_text=True)
    typed = query.split("&")[0].split("=")[1]
    assert f'value="{typed}"' in response.get_data(as_text=True)


def test_the_csv_export_holds_metadata_only_and_is_audited(client, seeded, session):
    import sqlalchemy as sa

    from tracker.models import AdminAudit

    login(client, "directie")
    response = client.get(f"/overzicht/export.csv?van={FROM}&tot={TO}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="meldingen-{FROM}-{TO}.csv"'
    body = response.get_data().decode("utf-8")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == ("nummer;gemeld_op;soort;kanaal;melder;groep;status;opgepakt_op;"
                        "op_tijd_opgepakt;afgerond_op;op_tijd_afgerond;gesloten_op;escalaties;"
                        "doorverwezen_naar")
    a, d = seeded["a"].id, seeded["d"].id
    assert len(lines) == 7 and lines[1].startswith(f"{a};2030-09-02 10:00;bullying;web;parent;5;")
    assert lines[1].endswith(";2030-09-04 10:00;0;")
    assert any(line.startswith(f"{d};") and line.endswith(";veilig_thuis") for line in lines)
    assert f"{seeded['s'].id};" not in body  # sealed: not for the directie
    assert "beschrijving" not in body and "ouder@example.org" not in body
    entry = session.scalars(sa.select(AdminAudit).where(AdminAudit.action == "insight.export")
                            ).one()
    assert entry.target == "export.csv" and entry.after["rows"] == 6


def test_the_xlsx_export_is_a_workbook_with_the_same_rows(client, seeded):
    import io
    import zipfile
    from xml.etree import ElementTree

    login(client, "directie")
    response = client.get(f"/overzicht/export.xlsx?van={FROM}&tot={TO}&categorie=bullying")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as z:
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = sheet.findall(".//s:row", ns)
    assert len(rows) == 3  # the header and the two bullying cases
    first = [c.findtext(".//s:t", namespaces=ns) or c.findtext("s:v", namespaces=ns)
             for c in rows[1].findall("s:c", ns)]
    assert first[:6] == [str(seeded["a"].id), "2030-09-02 10:00", "bullying", "web", "parent",
                         "5"]


def test_an_export_of_a_bad_period_explains_instead(client):
    login(client, "directie")
    response = client.get("/overzicht/export.csv?van=2030-09-02&tot=2030-09-01")
    assert response.status_code == 422
    assert "De einddatum ligt vóór de begindatum" in text(response)


def test_coming_back_with_the_code_is_remembered_once_and_leaves_the_case_version(client,
                                                                                  session):
    from tests.test_follow_up import latest_case, look_up, parent_report

    code = parent_report(client)
    case = latest_case(session)
    version = case.version
    assert case.receipt_used_at is None
    assert look_up(client, code).status_code == 303
    first = latest_case(session).receipt_used_at
    assert first is not None and latest_case(session).version == version  # no stale forms
    look_up(client, code)
    assert latest_case(session).receipt_used_at == first

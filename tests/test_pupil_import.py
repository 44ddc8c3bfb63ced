"""The pupil register: ParnasSys/ESIS exports, a new school year, per-line errors (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import csrf_from
from forms import submit

from tracker.core.crypto import raw_values
from tracker.core.db import Base
from tracker.models import Pupil
from tracker.pupils import importing as pupil_import

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
# ParnasSys "Leerlingen" export as Excel saves it: ;, Windows-1252, columns we do not read.
PARNASSYS = ("Leerlingnummer;Roepnaam;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Groep\n"
             "10234;Sanne;Sanne Maria;de;Vries;12-03-2018;Groep 3\n"
             "10235;Daniël;Daniël Johannes;;Özdemir;01-07-2017;Groep 4\n"
             "10236;;Noor Elisabeth;van der;Berg;30-09-2016;5\n"
             "10237;Mees;Mees;;Janssen;14-02-2015;Groep 6\n")
# The same school a year later: everyone one groep up, Mees has left, a new pupil in groep 3.
NEXT_YEAR = ("Leerlingnummer;Roepnaam;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Groep\n"
             "10234;Sanne;Sanne Maria;de;Vries;12-03-2018;Groep 4\n"
             "10235;Daniël;Daniël Johannes;;Özdemir;01-07-2017;Groep 5\n"
             "10236;;Noor Elisabeth;van der;Berg;30-09-2016;6\n"
             "10301;Liam;Liam;;Bakker;03-05-2019;Groep 3\n")
# ESIS: comma-separated UTF-8 with a byte-order mark, "Klas" for the groep, no pupil numbers.
ESIS = ("Roepnaam,Tussenvoegsel,Achternaam,Klas\n"
        "Sanne,de,Vries,3\nDaniël,,Özdemir,4\n")


def run(app, data: bytes, *args: str, tmp_path) -> tuple[int, dict]:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["pupils", "import", str(path), "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def pupils(session) -> dict[str, tuple[int, date | None]]:
    session.expire_all()
    return {p.name: (p.group.number if p.group else None, p.left_on)
            for p in session.scalars(sa.select(Pupil))}


@pytest.mark.parametrize(("data", "encoding"), [
    (PARNASSYS.encode("cp1252"), "Windows-1252"),
    (PARNASSYS.encode("utf-8-sig"), "UTF-8 (BOM)"),
    (PARNASSYS.replace(";", ",").encode("utf-8"), "UTF-8"),
    (ESIS.encode("utf-8-sig"), "UTF-8 (BOM)"),
])
def test_export_shapes_are_read(session, data, encoding):
    preview = pupil_import.parse(session, data)
    assert preview.ok and preview.encoding == encoding
    names = [(line.name, line.group_id is not None) for line in preview.lines]
    assert ("Sanne de Vries", True) in names and ("Daniël Özdemir", True) in names
    if b"Geboortedatum" in data:
        assert preview.ignored_columns == ["Geboortedatum"]
        # No roepnaam: the first of the voornamen.
        assert ("Noor van der Berg", True) in names


def test_import_then_a_new_school_year(app, session, tmp_path):
    code, first = run(app, PARNASSYS.encode("cp1252"), tmp_path=tmp_path)
    assert code == 0
    assert first == {"created": 4, "updated": 0, "moved": 0, "left": 0, "errors": []}
    assert pupils(session)["Daniël Özdemir"] == (4, None)
    # Without confirmation, missing pupils stay; nothing about them changes.
    code, again = run(app, NEXT_YEAR.encode("cp1252"), tmp_path=tmp_path)
    assert code == 0 and again == {"created": 1, "updated": 0, "moved": 3, "left": 0,
                                   "errors": []}
    assert pupils(session)["Mees Janssen"] == (6, None)
    # Confirmed as the whole school: Mees left today; the rest is already in place.
    code, confirmed = run(app, NEXT_YEAR.encode("utf-8"), "--yes", tmp_path=tmp_path)
    assert confirmed == {"created": 0, "updated": 0, "moved": 0, "left": 1, "errors": []}
    register = pupils(session)
    assert register["Mees Janssen"][0] == 6 and register["Mees Janssen"][1] is not None
    assert register["Sanne de Vries"] == (4, None) and register["Liam Bakker"] == (3, None)


def test_without_numbers_a_pupil_is_found_by_name(app, session, tmp_path):
    run(app, ESIS.encode("utf-8-sig"), tmp_path=tmp_path)
    moved = "Roepnaam,Tussenvoegsel,Achternaam,Klas\nSanne,de,Vries,4\nDaniël,,Özdemir,5\n"
    _, result = run(app, moved.encode("utf-8"), tmp_path=tmp_path)
    assert result["created"] == 0 and result["moved"] == 2
    assert pupils(session)["Sanne de Vries"][0] == 4


@pytest.mark.parametrize(("data", "line", "message"), [
    (PARNASSYS + "10234;Pim;Pim;;Kok;01-01-2018;Groep 3\n", 6, "Leerlingnummer 10234 staat "
     "ook op regel 2."),
    (PARNASSYS + "10400;Pim;Pim;;Kok;01-01-2018;Groep 9\n", 6, "Groep 'Groep 9' bestaat niet"),
    (PARNASSYS + "10401;;;;Kok;01-01-2018;Groep 3\n", 6, "De roepnaam (of voornamen) ontbreekt."),
    ("Roepnaam;Achternaam\nPim;Kok\n", 1, "Deze kolommen ontbreken: Groep."),
    ("", 0, "Het bestand is leeg."),
])
def test_bad_lines_are_reported_and_nothing_is_saved(app, session, tmp_path, data, line,
                                                      message):
    code, result = run(app, data.encode("cp1252"), tmp_path=tmp_path)
    assert code == 1 and result["created"] == 0
    assert any(e["line"] == line and e["message"].startswith(message)
               for e in result["errors"]), result["errors"]
    assert pupils(session) == {}


def test_a_binary_file_is_refused(app, session, tmp_path):
    code, result = run(app, b"PK\x03\x04\x00\x00binary", tmp_path=tmp_path)
    assert code == 1 and result["errors"][0]["line"] == 0
    assert "geen CSV-bestand" in result["errors"][0]["message"]


def test_names_and_numbers_are_encrypted_at_rest(app, session, tmp_path):
    run(app, PARNASSYS.encode("cp1252"), tmp_path=tmp_path)
    stored = " ".join(raw_values(session, Base.metadata))
    assert "Özdemir" not in stored and "10234" not in stored
    assert pupils(session)["Sanne de Vries"] == (3, None)


def test_preview_then_confirm_through_the_pages(client, session):
    login_2fa(client, session, "admin")
    page = client.get("/admin/leerlingen/").get_data(as_text=True)
    assert "Leerlingnummer" in page  # the columns are documented
    first = client.post("/admin/leerlingen/", content_type="multipart/form-data",
                        data=csrf_from(page) | {"file": (BytesIO(PARNASSYS.encode("cp1252")),
                                                         "leerlingen.csv")})
    assert first.status_code == 200 and "4 nieuw" in first.get_data(as_text=True)
    assert pupils(session) == {}  # a preview saves nothing
    done = submit(client, "/admin/leerlingen/", {}, page=first,
                  action="/admin/leerlingen/bevestigen")
    assert done.status_code == 303 and len(pupils(session)) == 4
    # A year later: the missing pupil is listed, and leaves only when ticked.
    page = client.get("/admin/leerlingen/").get_data(as_text=True)
    second = client.post("/admin/leerlingen/", content_type="multipart/form-data",
                         data=csrf_from(page) | {"file": (BytesIO(NEXT_YEAR.encode()), "x.csv")})
    html = second.get_data(as_text=True)
    assert "3 naar een andere groep" in html and "Mees Janssen" in html
    submit(client, "/admin/leerlingen/", {"mark_left": True}, page=second,
           action="/admin/leerlingen/bevestigen")
    register = pupils(session)
    assert register["Mees Janssen"][1] is not None and register["Noor van der Berg"][0] == 6


def test_a_bad_file_shows_the_lines_and_no_confirm_button(client, session):
    login_2fa(client, session, "admin")
    page = client.get("/admin/leerlingen/").get_data(as_text=True)
    bad = PARNASSYS + "10234;Pim;Pim;;Kok;01-01-2018;Groep 3\n"
    response = client.post("/admin/leerlingen/", content_type="multipart/form-data",
                           data=csrf_from(page) | {"file": (BytesIO(bad.encode()), "x.csv")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "staat ook op regel 2" in html
    assert "Bevestigen en opslaan" not in html

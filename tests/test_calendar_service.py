"""The school calendar in the database: demo seed, file import, all-or-nothing errors."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker.core.calendar import (
    CalendarImportError,
    import_calendar,
    load_calendar,
    seed_school_year,
)
from tracker.models import ClosedDay


@pytest.mark.parametrize(("day", "school"), [
    (date(2026, 12, 18), True),    # Friday before kerstvakantie
    (date(2026, 12, 21), False),   # kerstvakantie
    (date(2027, 1, 1), False),     # Nieuwjaarsdag, in kerstvakantie
    (date(2027, 1, 4), True),      # first Monday back
    (date(2027, 2, 22), False),    # voorjaarsvakantie regio midden
    (date(2027, 3, 29), False),    # Tweede paasdag (holidays package)
    (date(2027, 4, 27), False),    # Koningsdag
    (date(2027, 5, 6), False),     # Hemelvaartsdag
    (date(2027, 5, 17), False),    # Tweede pinksterdag
    (date(2027, 5, 18), True),
    (date(2026, 12, 19), False),   # Saturday
])
def test_demo_calendar_is_school_year_2026_2027_midden(session, day, school):
    assert load_calendar(session).is_school_day(day) is school


def test_seed_is_idempotent(session):
    assert seed_school_year(session, "2026-2027", "midden") == 0
    kinds = dict(session.execute(sa.select(ClosedDay.day, ClosedDay.kind)).all())
    assert kinds[date(2027, 5, 6)] == "public_holiday"  # Hemelvaartsdag
    assert kinds[date(2027, 4, 27)] == "holiday"  # Koningsdag falls in the meivakantie
    assert kinds[date(2026, 12, 21)] == "holiday"


def test_import_adds_days_and_ranges(session):
    text = ("# studiedagen\n"
            "2026-11-30,study_day,Studiedag team\n"
            "\n"
            "2027-03-08..2027-03-10,holiday,Extra vrij\n")
    assert import_calendar(session, text) == 4
    calendar = load_calendar(session)
    for day in (date(2026, 11, 30), date(2027, 3, 8), date(2027, 3, 10)):
        assert not calendar.is_school_day(day)
    assert calendar.is_school_day(date(2027, 3, 11))
    assert session.get(ClosedDay, date(2026, 11, 30)).name == "Studiedag team"


def test_import_with_errors_saves_nothing_and_names_each_line(session):
    text = ("2026-11-30,study_day,Goed\n"
            "2026-13-01,study_day,Geen maand\n"
            "2026-12-01,vrij,Verkeerde soort\n"
            "2027-01-10..2027-01-05,holiday,Omgekeerd\n"
            "alleen tekst\n")
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(session, text)
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["regel 2", "regel 3", "regel 4", "regel 5"]
    assert "geen datum" in errors[0] and "soort 'vrij'" in errors[1]
    assert "vóór de begindatum" in errors[2]
    assert session.get(ClosedDay, date(2026, 11, 30)) is None


def test_calendar_import_command(app, tmp_path, session):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("2026-12-02,study_day,Studiedag\n", encoding="utf-8")
    bad.write_text("2026-12-03,study_day,Ok\n2026-12-04,feest,Nee\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "import", str(bad)])
    assert result.exit_code == 1
    assert "regel 2: soort 'feest' bestaat niet" in result.output
    assert "Niets opgeslagen" in result.output
    result = runner.invoke(args=["calendar", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert session.get(ClosedDay, date(2026, 12, 2)).kind == "study_day"
    assert session.get(ClosedDay, date(2026, 12, 3)) is None

"""`flask calendar import FILE` and `flask calendar seed`: the school's closed days."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.core.calendar import CalendarImportError, import_calendar, seed_school_year
from tracker.core.db import transaction

calendar_cli = AppGroup("calendar", help="School calendar: holidays and study days.")


@calendar_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def calendar_import(file) -> None:
    """Import closed days: one `YYYY-MM-DD[..YYYY-MM-DD],holiday|study_day,name` a line."""
    with transaction() as session:
        try:
            changed = import_calendar(session, file.read())
        except CalendarImportError as exc:
            for error in exc.errors:
                click.echo(error, err=True)
            raise click.ClickException(
                "Niets opgeslagen: verbeter het bestand en probeer opnieuw.") from None
        except UnicodeDecodeError:
            raise click.ClickException(
                "Het bestand is geen UTF-8-tekst; niets opgeslagen.") from None
    click.echo(f"Schoolkalender bijgewerkt: {changed} dag(en) toegevoegd of gewijzigd.")


@calendar_cli.command("seed")
@click.option("--school-year", default="2026-2027", show_default=True)
@click.option("--region", type=click.Choice(["noord", "midden", "zuid"]), default="midden",
              show_default=True)
def calendar_seed(school_year: str, region: str) -> None:
    """Store a school year's holidays (OCW table) and national holidays."""
    with transaction() as session:
        try:
            changed = seed_school_year(session, school_year, region)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Schoolkalender {school_year} ({region}): {changed} dag(en) bijgewerkt.")


COMMANDS = [calendar_cli]

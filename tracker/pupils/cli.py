"""`flask pupils import FILE [--json] [--yes]`: the pupil register from the school's export."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from tracker.admin.service import AdminError
from tracker.core.db import get_session, utcnow
from tracker.pupils import importing as pupil_import

pupils_cli = AppGroup("pupils", help="The pupil register (leerlingen).")


@pupils_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--yes", is_flag=True,
              help="The file is the whole school: pupils missing from it have left.")
def import_command(file, as_json: bool, yes: bool) -> None:
    """Import pupils (ParnasSys/ESIS export, CSV); nothing is saved when a line is wrong."""
    data = file.read(pupil_import.MAX_BYTES + 1)
    session = get_session()
    preview = pupil_import.parse(session, data)
    mark_left = bool(preview.ok and preview.missing) and (yes or _confirm(preview, as_json))
    result = pupil_import.Result(0, 0, 0, 0)
    if preview.ok:
        try:
            result = pupil_import.apply(session, None, utcnow(), data, mark_left=mark_left)
            session.commit()
        except AdminError:
            session.rollback()
            raise
    else:
        session.rollback()
    errors = preview.errors()
    if as_json:
        click.echo(json.dumps({"created": result.created, "updated": result.updated,
                               "moved": result.moved, "left": result.left,
                               "errors": errors}, ensure_ascii=False))
    else:
        for error in errors:
            click.echo(f"regel {error['line']}: {error['message']}", err=True)
        click.echo(f"nieuw: {result.created}, gewijzigd: {result.updated}, "
                   f"andere groep: {result.moved}, vertrokken: {result.left}")
    if errors:
        if not as_json:
            click.echo("Niets opgeslagen: verbeter het bestand en probeer opnieuw.", err=True)
        raise click.exceptions.Exit(1)
    if preview.missing and not mark_left:
        click.echo(f"{len(preview.missing)} leerling(en) staan niet in het bestand en zijn niet "
                   "als vertrokken gemarkeerd (is dit de hele school? gebruik dan --yes).",
                   err=True)


def _confirm(preview: pupil_import.Preview, as_json: bool) -> bool:
    if as_json or not sys.stdin.isatty():
        return False
    return click.confirm(f"{len(preview.missing)} leerling(en) staan niet in het bestand. "
                         "Is dit de hele school, zodat zij vandaag van school zijn gegaan?",
                         default=False)


COMMANDS = [pupils_cli]

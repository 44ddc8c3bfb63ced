"""`flask retention due`: what the retention rules make due now, changing nothing (issue 16)."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask.cli import AppGroup

from tracker.core.db import get_session, utcnow
from tracker.domain.calendar import TZ

retention_cli = AppGroup("retention", help="Retention: what may be deleted.")


def _fail(message: str) -> None:
    """Print a one-line error and stop with exit status 2."""
    click.echo(f"Fout: {message}", err=True)
    raise click.exceptions.Exit(2)


def _parse_now(text: str | None) -> datetime:
    if not text:
        return utcnow()
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        _fail(f"--now '{text}' is geen ISO-8601-tijdstip (bijv. 2028-09-14T10:00).")
    return at if at.tzinfo is not None else at.replace(tzinfo=TZ)


@retention_cli.command("due")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="As if it were this moment (naive times are Dutch local time).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def due_command(now_text: str | None, as_json: bool) -> None:
    """List the cases due for deletion and those a legal hold keeps; changes nothing."""
    from tracker.retention.service import current_due

    now = _parse_now(now_text)
    session = get_session()
    try:
        view = current_due(session, now)
    finally:
        session.rollback()
    if as_json:
        click.echo(json.dumps({"due": list(view.due), "held": list(view.held),
                               "pupils_due": view.pupils_due}))
        return
    click.echo(f"due: {', '.join(map(str, view.due)) or '-'}")
    for key, count in view.counts.items():
        click.echo(f"  {key}: {count}")
    click.echo(f"held: {', '.join(map(str, view.held)) or '-'}")
    click.echo(f"pupils due: {view.pupils_due} (left longer ago than the pupil setting)")


COMMANDS = [retention_cli]

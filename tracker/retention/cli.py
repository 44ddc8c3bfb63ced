"""`flask retention due`: what the retention rules make due now, changing nothing (issue 16)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from tracker.core.cli import moment
from tracker.core.db import get_session

retention_cli = AppGroup("retention", help="Retention: what may be deleted.")


@retention_cli.command("due")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="As if it were this moment (naive times are Dutch local time).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def due_command(now_text: str | None, as_json: bool) -> None:
    """List the cases due for deletion and those a legal hold keeps; changes nothing."""
    from tracker.retention.service import current_due

    now = moment(now_text)
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

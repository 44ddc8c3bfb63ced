"""`flask stats`: a period's exact figures, for scripts and auditors (issue 14.4)."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from tracker.core.cli import fail, moment
from tracker.core.db import get_session
from tracker.domain.insight import PeriodError, parse_period


@click.command("stats")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD",
              help="First day of the period (school time).")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD",
              help="Last day of the period, included.")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="As if it were this moment (decides which deadlines have passed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def stats_command(start: str, end: str, now_text: str | None, as_json: bool) -> None:
    """Print the figures of a period: all cases; sealed ones only in the total."""
    from tracker.insight.service import stats

    try:
        period = parse_period(start, end)
    except PeriodError as bad:
        fail(str(bad))
    now = moment(now_text)
    session = get_session()
    try:
        figures = stats(session, period, now)
    finally:
        session.rollback()
    if as_json:
        click.echo(json.dumps(figures, sort_keys=False))
        return
    click.echo(f"{figures['from']} t/m {figures['to']}: {figures['reports']} meldingen")
    for key, count in figures["by_category"].items():
        click.echo(f"  {key}: {count}")
    for key in ("acknowledged_in_time", "median_hours_to_acknowledge", "escalated",
                "reporter_heard_back"):
        value = figures[key]
        click.echo(f"{key}: {'-' if value is None else value}")


COMMANDS = [stats_command]

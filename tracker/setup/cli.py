"""`flask --app tracker setup-token`: print the one-time token for the first-run page."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.admin.service import AdminError
from tracker.core.db import get_session, utcnow
from tracker.core.urls import external_url
from tracker.setup.service import new_setup_token


@click.command("setup-token")
@with_appcontext
def setup_token_command() -> None:
    """Print a one-time token to create the first admin at /setup (empty database only)."""
    session = get_session()
    try:
        token = new_setup_token(session, utcnow())
    except AdminError as refused:
        click.echo(str(refused))
        return
    session.commit()
    click.echo("Meldpunt is nog niet ingericht. Open de installatiepagina en vul deze code in:")
    click.echo(f"  {external_url('setup.form')}")
    click.echo(f"  installatiecode: {token}")
    click.echo("De code werkt één keer en verloopt na 24 uur.")


COMMANDS = [setup_token_command]

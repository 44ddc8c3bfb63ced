"""`flask twofactor reset EMAIL`: a person lost their phone and their recovery codes."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.db import get_session
from tracker.models import User
from tracker.services import twofactor

twofactor_cli = AppGroup("twofactor", help="Two-factor login of staff accounts.")


@twofactor_cli.command("reset")
@click.argument("email")
def twofactor_reset(email: str) -> None:
    """Remove a person's second factor; they enrol again at their next login."""
    session = get_session()
    user = session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    twofactor.reset(session, user)
    session.commit()
    click.echo(f"Two-factor login reset for {user.email}; their sessions have ended.")


COMMANDS = [twofactor_cli]

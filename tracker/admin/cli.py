"""`flask role-grant list|confirm`: the console confirms when nobody in the school may."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.admin import role_grants
from tracker.admin.service import AdminError
from tracker.core.db import get_session, transaction, utcnow
from tracker.models import RoleGrant

role_grant_cli = AppGroup("role-grant", help="Proposals for vertrouwenspersoon, bestuur, FG.")


@role_grant_cli.command("list")
def list_command() -> None:
    """List the open proposals."""
    grants = role_grants.open_grants(get_session())
    for grant in grants:
        click.echo(f"  {grant.id:5}  {grant.role:20} user {grant.user_id} "
                   f"(proposed by user {grant.proposed_by_id or '-'})")
    if not grants:
        click.echo("No open proposals.")


@role_grant_cli.command("confirm")
@click.argument("grant_id", type=int)
def confirm_command(grant_id: int) -> None:
    """Confirm a proposal when no holder of the role and no bestuur member may (audited)."""
    with transaction() as session:
        grant = session.get(RoleGrant, grant_id)
        if grant is None:
            raise click.ClickException(f"No proposal {grant_id}.")
        try:
            role_grants.confirm_from_console(session, utcnow(), grant)
        except AdminError as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(f"Confirmed: user {grant.user_id} now holds {grant.role}; their sessions ended.")


COMMANDS = [role_grant_cli]

"""Flask commands: db, user, demo."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import NoReturn

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from tracker.accounts import twofactor
from tracker.accounts.auth import find_user, hash_password
from tracker.accounts.tokens import send_link
from tracker.admin import role_grants
from tracker.admin.service import audit, snapshot
from tracker.core import migrate
from tracker.core.db import transaction, utcnow
from tracker.domain import addresses
from tracker.domain.calendar import TZ
from tracker.models import Role, User, UserRole


def register(app: Flask) -> None:
    for group in (db_cli, user_cli):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    # Every feature module lists its click commands in COMMANDS.
    from tracker.core.app import feature_modules

    for module in feature_modules():
        for command_ in getattr(module, "COMMANDS", ()):
            app.cli.add_command(command_)


def fail(message: str) -> NoReturn:
    """Print a one-line error and stop with exit status 2 (for scripts)."""
    click.echo(f"Fout: {message}", err=True)
    raise click.exceptions.Exit(2)


def moment(text: str | None, option: str = "--now") -> datetime:
    """The moment a command runs as: ISO-8601 text (naive = school time, Europe/Amsterdam),
    or now when none is given."""
    if not text:
        return utcnow()
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        fail(f"{option} '{text}' is geen ISO-8601-tijdstip (bijv. 2026-09-14T10:00).")
    return at if at.tzinfo is not None else at.replace(tzinfo=TZ)


def _url() -> str:
    return current_app.config["DATABASE_URL"]


db_cli = AppGroup("db", help="Database schema (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the database to the latest schema."""
    url = _url()
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(url, revision=revision)
    click.echo(f"Database is at revision {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to an earlier revision."""
    command.downgrade(migrate.alembic_config(_url()), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the database's revision."""
    command.current(migrate.alembic_config(_url()))


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration from the difference between models and database."""
    command.revision(migrate.alembic_config(_url()), message=message,
                     autogenerate=autogenerate)


user_cli = AppGroup("user", help="Staff accounts.")


ROLE_CHOICE = click.Choice([r.value for r in Role])
ADDRESS_PROBLEMS = {  # the command line speaks English, as its help does
    addresses.INVALID: "not a valid e-mail address",
    addresses.TOO_LONG: "the e-mail address is too long",
    addresses.LOCAL_NOT_ASCII: "use plain ASCII letters before the @ (a domain may be "
                               "internationalised, e.g. ouder@bücher.nl)",
}


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name as colleagues know it.")
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICE, required=True,
              help="Role key; repeat for several.")
@click.option("--workdays", default="12345", show_default=True,
              help="ISO weekdays worked, e.g. 12 for Monday and Tuesday.")
@click.option("--password", envvar="TRACKER_NEW_PASSWORD", default=None,
              help="Password (prompted when omitted).")
def user_create(email: str, name: str, roles: tuple[str, ...], workdays: str,
                password: str | None) -> None:
    """Create a staff account."""
    try:
        email = addresses.normalise_address(email)
    except addresses.AddressError as refused:
        raise click.BadParameter(ADDRESS_PROBLEMS[refused.reason], param_hint="EMAIL") from None
    if not workdays or any(c not in "1234567" for c in workdays):
        raise click.BadParameter("use ISO weekday digits 1-7, e.g. 12345", param_hint="--workdays")
    with transaction() as session:
        if find_user(session, email) is not None:
            raise click.ClickException(f"A user with e-mail {email} already exists.")
        if password is None:
            password = getpass.getpass("Password: ")
        if len(password) < 10:
            raise click.ClickException("Use a password of at least 10 characters.")
        user = User(email=email, name=name, password_hash=hash_password(password),
                    workdays="".join(sorted(set(workdays))),
                    roles=[UserRole(role=Role(r)) for r in dict.fromkeys(roles)])
        session.add(user)
        session.flush()
        now = utcnow()
        audit(session, None, now, "staff.create", f"user:{user.id}", None, snapshot(user))
        # Server access stands in for the second person; the holders are still told (issue 11.3).
        role_grants.granted_from_console(session, user, now)
        click.echo(f"Created {email} ({', '.join(roles)}).")
        if twofactor.required_for(user):
            # Two-factor login is set up only through a link from the mailbox (issue 11.5).
            send_link(session, user, "invite", utcnow())
            click.echo("Their role needs two-factor login: they set it up through the link that "
                       "was mailed to them (valid 7 days).")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo school De Regenboog (idempotent) and print its logins."""
    from tracker.setup.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo

    with transaction() as session:
        people = load_demo(session)
    click.echo("Demo school 'Basisschool De Regenboog' is ready. Logins (password "
               f"'{DEMO_PASSWORD}'):")
    for person in people:
        click.echo(f"  {person.email:38} {', '.join(r.value for r in person.roles)}")
    click.echo("Two-factor login (vertrouwenspersoon, directie, bestuur, FG, admin): add the "
               f"key {DEMO_TOTP_SECRET} to an authenticator app.")

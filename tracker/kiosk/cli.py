"""`flask kiosk enroll NAME` and `flask kiosk revoke NAME`: the school's kiosk tablets."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.core.db import transaction, utcnow
from tracker.core.messages import in_english
from tracker.core.urls import external_url
from tracker.kiosk import service as kiosk_service

kiosk_cli = AppGroup("kiosk", help="Kiosk tablets for children.")


@kiosk_cli.command("enroll")
@click.argument("name")
def enroll(name: str) -> None:
    """Print a one-time link that makes a tablet the kiosk NAME (valid 24 hours)."""
    try:
        with transaction() as session:  # audited like the admin page's enrolment
            device, token = kiosk_service.start_enrolment(session, None, name, utcnow())
    except kiosk_service.KioskError as error:
        raise click.ClickException(in_english(error)) from None
    click.echo(f"Open this link once on the tablet {device.name!r} (valid for 24 hours):")
    click.echo(external_url("kiosk.enrol", token=token))


@kiosk_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Stop the kiosk NAME from working; enrol it again to bring it back."""
    try:
        with transaction() as session:
            kiosk_service.revoke(session, None, name, utcnow())
    except kiosk_service.KioskError as error:
        raise click.ClickException(in_english(error)) from None
    click.echo(f"Kiosk {name!r} is revoked; its tablet now shows the 'not this device' page.")


COMMANDS = [kiosk_cli]

"""`flask kiosk enroll NAME` and `flask kiosk revoke NAME`: the school's kiosk tablets."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.core.db import get_session, utcnow
from tracker.kiosk import service as kiosk_service

kiosk_cli = AppGroup("kiosk", help="Kiosk tablets for children.")


@kiosk_cli.command("enroll")
@click.argument("name")
def enroll(name: str) -> None:
    """Print a one-time link that makes a tablet the kiosk NAME (valid 24 hours)."""
    session = get_session()
    try:
        token = kiosk_service.start_enrolment(session, name, utcnow())
    except kiosk_service.KioskError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    base = current_app.config["TRACKER_BASE_URL"].rstrip("/")
    click.echo(f"Open this link once on the tablet {name!r} (valid for 24 hours):")
    click.echo(f"{base}/kiosk/aanmelden/{token}")


@kiosk_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Stop the kiosk NAME from working; enrol it again to bring it back."""
    session = get_session()
    try:
        kiosk_service.revoke(session, name, utcnow())
    except kiosk_service.KioskError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"Kiosk {name!r} is revoked; its tablet now shows the 'not this device' page.")


COMMANDS = [kiosk_cli]

"""`flask tick` does what is due now; `flask worker` ticks every minute."""

from __future__ import annotations

import logging
import time
from datetime import datetime

import click
from flask.cli import with_appcontext

from tracker.core.cli import moment
from tracker.core.db import get_session, utcnow
from tracker.escalation.tick import run_tick

log = logging.getLogger(__name__)


def tick_once(now: datetime) -> str:
    """Run one tick in its own session; return its summary."""
    session = get_session()
    try:
        return run_tick(session, now).summary()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


@click.command("tick")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Act as if it were this moment (naive times are Dutch local time).")
@with_appcontext
def tick_command(now_text: str | None) -> None:
    """Escalate, remind, send the digest and the outbox: everything due now, once."""
    now = moment(now_text)
    click.echo(f"tick {now.isoformat()}: {tick_once(now)}")


@click.command("worker")
@click.option("--interval", default=60, show_default=True, help="Seconds between ticks.")
@click.option("--max-ticks", default=0, help="Stop after this many ticks (0 = run forever).")
@with_appcontext
def worker_command(interval: int, max_ticks: int) -> None:
    """Run a tick every minute until stopped; a failing tick is logged, the loop goes on."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    done = 0
    click.echo(f"Meldpunt worker: a tick every {interval} s (stop with Ctrl-C)")
    try:
        while True:
            started = time.monotonic()
            try:
                log.info("tick: %s", tick_once(utcnow()))
            except Exception:
                log.exception("tick failed; trying again in %s s", interval)
            done += 1
            if max_ticks and done >= max_ticks:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        click.echo("worker stopped")


COMMANDS = [tick_command, worker_command]

"""`flask routing explain`: who would get a report, without saving one (docs/DESIGN.md §4)."""

from __future__ import annotations

import json
from datetime import datetime

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.accounts.auth import find_user
from tracker.core.cli import fail, moment
from tracker.core.db import get_session
from tracker.domain.calendar import local
from tracker.domain.categories import CATEGORY_BY_KEY
from tracker.domain.roles import role_label
from tracker.domain.routing import Decision, ReportFacts, route
from tracker.models import Group
from tracker.reporting.routing import load_rules, load_setup

routing_cli = AppGroup("routing", help="Routing rules: try them out.")


def _iso(t: datetime | None) -> str | None:
    return local(t).isoformat() if t is not None else None


def as_dict(decision: Decision) -> dict:
    """Return the explain contract's JSON object for a decision."""
    return {
        "primary_role": decision.primary_role,
        "assignees": list(decision.assignees),
        "informed": list(decision.informed),
        "confidential": decision.confidential,
        "ack_due": _iso(decision.ack_due),
        "resolve_due": _iso(decision.resolve_due),
        "legal_due": _iso(decision.legal_due),
        "escalation_chain": list(decision.escalation_chain),
        "reason": decision.reason,
    }


def _when(t: datetime | None) -> str:
    return local(t).strftime("%Y-%m-%d %H:%M") if t is not None else "—"


def _print_for_people(decision: Decision) -> None:
    chain = " → ".join(role_label(r) for r in decision.escalation_chain) or "—"
    lines = [
        ("Rol", f"{role_label(decision.primary_role)} ({decision.primary_role})"),
        ("Behandelaars", ", ".join(decision.assignees) or "niemand"),
        ("Geïnformeerd", ", ".join(decision.informed) or "niemand"),
        ("Vertrouwelijk", "ja" if decision.confidential else "nee"),
        ("Spoed", "ja" if decision.urgent else "nee"),
        ("Oppakken vóór", _when(decision.ack_due)),
        ("Afronden vóór", _when(decision.resolve_due)),
        ("Wettelijke termijn", _when(decision.legal_due)),
        ("Escalatie", chain),
        ("Reden", decision.reason),
    ]
    for label, value in lines:
        click.echo(f"{label + ':':20} {value}")
    for note in decision.notes:
        click.echo(f"{'Let op:':20} {note}")


@routing_cli.command("explain")
@click.option("--reporter", type=click.Choice(["child", "parent", "staff"]), required=True)
@click.option("--category", required=True, help="Category key, e.g. bullying.")
@click.option("--group", type=int, default=None, help="Groep number of the child.")
@click.option("--about", default=None, help="E-mail of the staff member the report is about.")
@click.option("--about-staff", is_flag=True,
              help="About a staff member the reporter did not name (use --about to name one).")
@click.option("--sexual", is_flag=True, help="Sexual misconduct suspected.")
@click.option("--danger", is_flag=True, help="A child is in danger now.")
@click.option("--confidential", is_flag=True, help="Reported confidentially (to the VP).")
@click.option("--at", "at_text", default=None,
              help="Moment of the report, ISO-8601 (default now; no offset = Europe/Amsterdam).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def explain(reporter: str, category: str, group: int | None, about: str | None,
            about_staff: bool, sexual: bool, danger: bool, confidential: bool,
            at_text: str | None, as_json: bool) -> None:
    """Show who would get a report, by when and why, without saving anything."""
    if category not in CATEGORY_BY_KEY:
        fail(f"onbekende categorie '{category}'; kies uit: {', '.join(CATEGORY_BY_KEY)}.")
    session = get_session()
    if group is not None and session.scalar(
            sa.select(Group.id).where(Group.number == group)) is None:
        fail(f"groep {group} bestaat niet.")
    about_id = None
    if about is not None:
        about_user = find_user(session, about.strip())
        about_id = about_user.id if about_user else None
        if about_id is None:
            fail(f"er is geen medewerker met e-mailadres '{about}'.")
    facts = ReportFacts(reporter_type=reporter, category=category, at=moment(at_text, "--at"),
                        group=group, about_staff_id=about_id,
                        about_staff=about_staff or about_id is not None, sexual=sexual,
                        danger=danger,
                        confidential=confidential)
    decision = route(facts, load_setup(session), load_rules(session))
    if as_json:
        click.echo(json.dumps(as_dict(decision), ensure_ascii=False))
    else:
        _print_for_people(decision)


COMMANDS = [routing_cli]

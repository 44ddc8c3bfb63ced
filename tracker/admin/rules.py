"""Routing rules admin: validate, save (audited) and try out with the real engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit
from tracker.domain.calendar import DeadlineSpec
from tracker.domain.categories import CATEGORY_BY_KEY
from tracker.domain.messages import Message
from tracker.domain.roles import CASE_ROLES, role_label
from tracker.domain.routing import Decision, ReportFacts, route
from tracker.models import RoutingRule, User
from tracker.reporting.routing import load_rules, load_setup, rule_from_row, split

RULE_ROLES = CASE_ROLES
REPORTER_TYPES = ("child", "parent", "staff")


def rule_snapshot(row: RoutingRule) -> dict[str, Any]:
    """Return the audited view of a rule."""
    return {k: getattr(row, k) for k in ("priority", "category", "reporter_types",
                                         "primary_role", "informed_roles", "ack", "resolve",
                                         "chain", "urgent", "enabled")}


def _check(session: orm.Session, values: dict[str, Any], row: RoutingRule | None,
           now: datetime) -> None:
    """Refuse a rule that cannot work, saying why in Dutch."""
    if values["category"] != "*" and values["category"] not in CATEGORY_BY_KEY:
        raise AdminError("Onbekende soort melding.")
    roles = [values["primary_role"], *split(values["informed_roles"]), *split(values["chain"])]
    unknown = [r for r in roles if r not in RULE_ROLES]
    if unknown:
        raise AdminError(Message("Onbekende rol: %(roles)s. Gebruik: %(known)s.",
                                 roles=", ".join(unknown), known=", ".join(RULE_ROLES)))
    if any(t not in REPORTER_TYPES for t in split(values["reporter_types"])):
        raise AdminError("Onbekend soort melder.")
    for key, label in (("ack", "oppakken"), ("resolve", "afronden")):
        try:
            DeadlineSpec.parse(values[key])
        except ValueError:
            raise AdminError(Message(
                "De termijn voor %(action)s ('%(value)s') begrijpen we niet. Gebruik "
                "bijvoorbeeld 1d, same_day, 4h, 7cd of 3m.", action=label,
                value=values[key])) from None
    if values["enabled"]:
        _check_reaches_someone(session, values, row, now)


def _check_reaches_someone(session: orm.Session, values: dict[str, Any],
                           row: RoutingRule | None, now: datetime) -> None:
    # Ask the engine itself: a report this rule catches must reach at least one person.
    candidate = rule_from_row(RoutingRule(id=row.id if row else -1, **values))
    setup = load_setup(session)
    groups = [n for n, ids in setup.groups.items() if ids] or [None]
    category = values["category"] if values["category"] != "*" else "other"
    reporter = (split(values["reporter_types"]) or REPORTER_TYPES)[0]
    facts = ReportFacts(reporter_type=reporter, category=category, at=now, group=groups[0])
    decision = route(facts, setup, [replace(candidate, priority=-1)])
    if not decision.assignee_ids:
        raise AdminError(Message(
            "Deze regel stuurt meldingen naar niemand: niemand heeft de rol %(role)s, en ook "
            "verderop in de escalatie is niemand. Geef eerst iemand die rol, of kies een andere "
            "rol.", role=role_label(values["primary_role"])))


def save_rule(session: orm.Session, actor: User | None, now: datetime, row: RoutingRule | None,
              values: dict[str, Any]) -> RoutingRule:
    """Create or change a rule; it applies to new reports only (cases keep their decision)."""
    _check(session, values, row, now)
    before = rule_snapshot(row) if row else None
    if row is None:
        row = RoutingRule(**values, updated_at=now)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now
    session.flush()
    audit(session, actor, now, "rule.create" if before is None else "rule.update",
          f"rule:{row.id}", before, rule_snapshot(row))
    return row


def set_enabled(session: orm.Session, actor: User | None, now: datetime, row: RoutingRule,
                enabled: bool) -> None:
    """Switch a rule on or off (switching on checks it still reaches someone)."""
    if enabled:
        _check(session, rule_snapshot(row) | {"enabled": True}, row, now)
    before = rule_snapshot(row)
    row.enabled = enabled
    row.updated_at = now
    session.flush()
    audit(session, actor, now, "rule.enable" if enabled else "rule.disable", f"rule:{row.id}",
          before, rule_snapshot(row))


def all_rules(session: orm.Session) -> list[RoutingRule]:
    """Return every rule, enabled or not, in the order the engine tries them."""
    return list(session.scalars(sa.select(RoutingRule)
                                .order_by(RoutingRule.priority, RoutingRule.id)))


def try_route(session: orm.Session, facts: ReportFacts) -> Decision:
    """Return who would get a report with these facts, exactly as `routing explain` does."""
    return route(facts, load_setup(session), load_rules(session))

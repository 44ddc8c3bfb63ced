"""Admin: routing rules (list, edit, add, disable) and a "try it" panel."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin import rules as service
from tracker.admin.forms import RuleForm, TryForm
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.labels import ROLE, category_label
from tracker.core.web import flash_refusal
from tracker.domain.categories import CATEGORIES
from tracker.domain.routing import ReportFacts
from tracker.models import Group, RoutingRule
from tracker.reporting.routing import split

bp = Blueprint("admin_rules", __name__, url_prefix="/admin/routering")


def _rule_form(**kwargs) -> RuleForm:
    form = RuleForm(**kwargs)
    form.category.choices = [("*", _("elke soort"))] + [
        (c.key, category_label(c.key)) for c in CATEGORIES]
    roles = [(r, str(ROLE[r])) for r in service.RULE_ROLES]
    form.primary_role.choices = roles
    form.informed_roles.choices = roles
    return form


def _try_form() -> TryForm:
    form = TryForm(request.args)
    form.category.choices = [(c.key, category_label(c.key)) for c in CATEGORIES]
    groups = get_session().scalars(sa.select(Group).where(Group.active.is_(True))
                                   .order_by(Group.number))
    form.group.choices = [("", _("onbekend"))] + [(str(g.number), g.name) for g in groups]
    return form


def _rule_or_404(rule_id: int) -> RoutingRule:
    row = get_session().get(RoutingRule, rule_id)
    if row is None:
        abort(404)
    return row


@bp.get("/")
@admin_required
def index():
    db = get_session()
    form = _try_form()
    decision = None
    if "category" in request.args and form.validate():
        facts = ReportFacts(reporter_type=form.reporter_type.data, category=form.category.data,
                            at=utcnow(), group=int(form.group.data) if form.group.data else None,
                            sexual=form.sexual.data, danger=form.danger.data,
                            confidential=form.confidential.data)
        decision = service.try_route(db, facts)
    return render_template("admin/rules.html", rules=service.all_rules(db), try_form=form,
                           decision=decision, button=ButtonForm(), split=split)


@bp.get("/nieuw")
@admin_required
def new():
    return render_template("admin/rule_form.html", rule=None,
                           form=_rule_form(priority=500, ack="2d", resolve="10d", enabled=True))


@bp.get("/<int:rule_id>")
@admin_required
def edit(rule_id: int):
    row = _rule_or_404(rule_id)
    form = _rule_form(
        priority=row.priority, category=row.category,
        reporter_types=list(split(row.reporter_types)), primary_role=row.primary_role,
        informed_roles=list(split(row.informed_roles)), ack=row.ack, resolve=row.resolve,
        chain=row.chain, urgent=row.urgent, enabled=row.enabled)
    return render_template("admin/rule_form.html", rule=row, form=form)


@bp.post("/nieuw", defaults={"rule_id": None})
@bp.post("/<int:rule_id>")
@admin_required
def save(rule_id: int | None):
    row = _rule_or_404(rule_id) if rule_id is not None else None
    form = _rule_form()
    db = get_session()
    if form.validate_on_submit():
        values = {
            "priority": form.priority.data, "category": form.category.data,
            "reporter_types": ",".join(form.reporter_types.data or []),
            "primary_role": form.primary_role.data,
            "informed_roles": ",".join(form.informed_roles.data or []),
            "ack": form.ack.data.strip(), "resolve": (form.resolve.data or "").strip(),
            "chain": ",".join(split((form.chain.data or "").replace(" ", ","))),
            "urgent": form.urgent.data, "enabled": form.enabled.data,
        }
        with flash_refusal(db):
            service.save_rule(db, current_user.model, utcnow(), row, values)
            db.commit()
            flash(_("De regel is opgeslagen. Hij geldt voor nieuwe meldingen; bestaande "
                    "meldingen houden hun routering."), "success")
            return redirect(url_for("admin_rules.index"), code=303)
    return render_template("admin/rule_form.html", rule=row, form=form), 422


@bp.post("/<int:rule_id>/aan-uit")
@admin_required
def toggle(rule_id: int):
    row = _rule_or_404(rule_id)
    db = get_session()
    if ButtonForm().validate_on_submit():
        with flash_refusal(db):
            service.set_enabled(db, current_user.model, utcnow(), row, not row.enabled)
            db.commit()
            flash(_("De regel staat nu aan.") if row.enabled else _("De regel staat nu uit."),
                  "success")
    return redirect(url_for("admin_rules.index"), code=303)

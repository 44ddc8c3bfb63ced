"""Proposals for sealed and legal roles: a second person confirms or declines (issue 11.3)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin import role_grants
from tracker.core.access import require_roles
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.web import flash_refusal
from tracker.domain.grants import TWO_PERSON_ROLES, refusal
from tracker.models import RoleGrant

bp = Blueprint("admin_grants", __name__, url_prefix="/admin/medewerkers/voorstellen")
# Admins see the proposals (read-only); holders of the roles decide on them.
readers_required = require_roles("admin", *TWO_PERSON_ROLES)
deciders_required = require_roles(*TWO_PERSON_ROLES)


@bp.get("/")
@readers_required
def index():
    me = current_user.model
    grants = [(grant, refusal(me.id, me.role_keys, role_grants.proposal_of(grant)))
              for grant in role_grants.open_grants(get_session())]
    return render_template("admin/grants.html", grants=grants, form=ButtonForm())


@bp.post("/<int:grant_id>/bevestigen")
@deciders_required
def confirm(grant_id: int):
    return _decide(grant_id, confirm=True)


@bp.post("/<int:grant_id>/afwijzen")
@deciders_required
def decline(grant_id: int):
    return _decide(grant_id, confirm=False)


def _decide(grant_id: int, *, confirm: bool):
    db = get_session()
    grant = db.get(RoleGrant, grant_id)
    if grant is None:
        abort(404)
    if ButtonForm().validate_on_submit():
        with flash_refusal(db):
            role_grants.decide(db, current_user.model, utcnow(), grant, confirm=confirm)
            db.commit()
            flash(_("Bevestigd: %(name)s heeft de rol nu en logt opnieuw in.",
                    name=grant.user.name) if confirm else
                  _("Afgewezen: %(name)s krijgt de rol niet.", name=grant.user.name), "success")
    return redirect(url_for("admin_grants.index"), code=303)

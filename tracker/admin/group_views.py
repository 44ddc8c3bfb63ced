"""Admin: groups (groep 1-8 and extra groups such as a combination class) and their teachers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin.forms import GroupForm
from tracker.admin.service import save_group
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.web import flash_refusal
from tracker.models import Group, User

bp = Blueprint("admin_groups", __name__, url_prefix="/admin/groepen")


def _form(**kwargs) -> GroupForm:
    form = GroupForm(**kwargs)
    staff = get_session().scalars(sa.select(User).where(User.active.is_(True))
                                  .order_by(User.name))
    form.teachers.choices = [(u.id, u.name) for u in staff]
    return form


def _group_or_404(group_id: int) -> Group:
    group = get_session().get(Group, group_id)
    if group is None:
        abort(404)
    return group


@bp.get("/")
@admin_required
def index():
    groups = get_session().scalars(sa.select(Group).order_by(Group.number)).all()
    return render_template("admin/groups.html", groups=groups)


@bp.get("/nieuw")
@admin_required
def new():
    return render_template("admin/group_form.html", form=_form(), group=None)


@bp.get("/<int:group_id>")
@admin_required
def edit(group_id: int):
    group = _group_or_404(group_id)
    form = _form(number=group.number, name=group.name, active=group.active,
                 teachers=[t.id for t in group.teachers])
    return render_template("admin/group_form.html", form=form, group=group)


@bp.post("/nieuw", defaults={"group_id": None})
@bp.post("/<int:group_id>")
@admin_required
def save(group_id: int | None):
    group = _group_or_404(group_id) if group_id is not None else None
    form = _form()
    db = get_session()
    if form.validate_on_submit():
        with flash_refusal(db):
            saved = save_group(db, current_user.model, utcnow(), group, number=form.number.data,
                               name=form.name.data or "", teacher_ids=form.teachers.data or [],
                               active=form.active.data)
            db.commit()
            flash(_("%(name)s is opgeslagen.", name=saved.name), "success")
            return redirect(url_for("admin_groups.index"), code=303)
    return render_template("admin/group_form.html", form=form, group=group), 422

"""Admin: the pupil register (Beheer → Leerlingen): import with a preview, then confirm."""

from __future__ import annotations

import base64
import binascii
from collections import Counter

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin.forms import ImportForm, PupilImportConfirmForm
from tracker.admin.service import AdminError
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.messages import translate_message
from tracker.core.web import no_store
from tracker.models import Group, Pupil
from tracker.pupils import importing as pupil_import

bp = Blueprint("admin_pupils", __name__, url_prefix="/admin/leerlingen")


def _page(form: ImportForm, preview=None, confirm=None, filename: str = "", status: int = 200):
    db = get_session()
    counts = Counter(db.scalars(sa.select(Pupil.group_id).where(Pupil.left_on.is_(None))))
    left = db.scalar(sa.select(sa.func.count()).select_from(Pupil)
                     .where(Pupil.left_on.is_not(None)))
    groups = db.scalars(sa.select(Group).order_by(Group.number)).all()
    return no_store(render_template(
        "admin/pupils.html", form=form, preview=preview, confirm=confirm, filename=filename,
        groups=[(g, counts.get(g.id, 0)) for g in groups], left=left)), status


@bp.get("/")
@admin_required
def index():
    return _page(ImportForm())


@bp.post("/")
@admin_required
def preview():
    form = ImportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Kies een CSV-bestand."), "error")
        return _page(form, status=422)
    data = upload.read(pupil_import.MAX_BYTES + 1)
    result = pupil_import.parse(get_session(), data)
    confirm = PupilImportConfirmForm(formdata=None,
                                     payload=base64.b64encode(data).decode("ascii"))
    return _page(form, result, confirm, upload.filename, 200 if result.ok else 422)


@bp.post("/bevestigen")
@admin_required
def confirm():
    form = PupilImportConfirmForm()
    try:
        data = base64.b64decode(form.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not form.validate_on_submit() or not data:
        flash(_("De bevestiging was verlopen. Kies het bestand opnieuw."), "error")
        return redirect(url_for("admin_pupils.index"), code=303)
    db = get_session()
    try:
        result = pupil_import.apply(db, current_user.model, utcnow(), data,
                                    mark_left=form.mark_left.data)
        db.commit()
    except AdminError as refused:
        db.rollback()
        flash(translate_message(refused), "error")
        return _page(ImportForm(), pupil_import.parse(db, data), form, status=422)
    flash(_("Leerlingen opgeslagen: %(new)d nieuw, %(changed)d gewijzigd, %(moved)d naar een "
            "andere groep, %(left)d van school.", new=result.created, changed=result.updated,
            moved=result.moved, left=result.left), "success")
    return redirect(url_for("admin_pupils.index"), code=303)

"""Admin: import staff and groups from CSV (preview, per-line report, save on confirm)."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.accounts.tokens import send_link
from tracker.admin import staff_import
from tracker.admin.forms import ImportConfirmForm, ImportForm
from tracker.admin.service import AdminError
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.messages import translate_message

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")


@bp.get("/")
@admin_required
def form():
    return render_template("admin/import.html", form=ImportForm(), preview=None)


@bp.post("/")
@admin_required
def preview():
    form = ImportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Kies een CSV-bestand."), "error")
        return render_template("admin/import.html", form=form, preview=None), 422
    data = upload.read(staff_import.MAX_BYTES + 1)
    result = staff_import.parse(get_session(), data)
    # formdata=None: this POST is the upload, not the confirmation (invites default to on).
    confirm = ImportConfirmForm(formdata=None, send_invites=True,
                                payload=base64.b64encode(data).decode("ascii"))
    return render_template("admin/import.html", form=form, preview=result, confirm=confirm,
                           filename=upload.filename), (200 if result.ok else 422)


@bp.post("/bevestigen")
@admin_required
def confirm():
    confirm_form = ImportConfirmForm()
    if not confirm_form.validate_on_submit():
        flash(_("De bevestiging was verlopen. Kies het bestand opnieuw."), "error")
        return redirect(url_for("admin_import.form"), code=303)
    try:
        data = base64.b64decode(confirm_form.payload.data, validate=True)
    except (binascii.Error, ValueError):
        flash(_("Kies het bestand opnieuw."), "error")
        return redirect(url_for("admin_import.form"), code=303)
    db = get_session()
    try:
        result, created = staff_import.apply(db, current_user.model, utcnow(), data)
        if confirm_form.send_invites.data:
            for user in created:
                send_link(db, user, "invite", utcnow())
        db.commit()
    except AdminError as refused:
        db.rollback()
        flash(translate_message(refused), "error")
        result = staff_import.parse(db, data)
        return render_template("admin/import.html", form=ImportForm(), preview=result,
                               confirm=confirm_form, filename=""), 422
    flash(_("Import opgeslagen: %(new)d nieuw, %(changed)d gewijzigd, %(same)d ongewijzigd.",
            new=result.count("new"), changed=result.count("update"), same=result.count("same")),
          "success")
    return redirect(url_for("admin_staff.index"), code=303)

"""Admin: kiosk devices (enrol with a one-time link and QR code, rename, revoke)."""

from __future__ import annotations

import segno
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from tracker.admin.forms import KioskForm
from tracker.admin.service import AdminError, audit
from tracker.core.access import admin_required
from tracker.core.db import get_session, transaction, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.messages import translate_message
from tracker.core.urls import external_url
from tracker.core.web import no_store
from tracker.kiosk import service as kiosk_service
from tracker.models import KioskDevice

bp = Blueprint("admin_kiosk", __name__, url_prefix="/admin/kiosks")


def _device_or_404(device_id: int) -> KioskDevice:
    device = get_session().get(KioskDevice, device_id)
    if device is None:
        abort(404)
    return device


def _index(form: KioskForm | None = None, status: int = 200):
    devices = get_session().scalars(sa.select(KioskDevice).order_by(KioskDevice.name)).all()
    return render_template("admin/kiosks.html", devices=devices, form=form or KioskForm(),
                           button=ButtonForm()), status


@bp.get("/")
@admin_required
def index():
    return _index()


def _enrol(name: str):
    try:
        with transaction() as db:
            device, token = kiosk_service.start_enrolment(db, current_user.model, name, utcnow())
    except kiosk_service.KioskError as refused:
        raise AdminError(refused.args[0]) from None
    link = external_url("kiosk.enrol", token=token)
    # The QR code is inline SVG: no script, no external request, nothing stored.
    svg = segno.make(link, error="m").svg_inline(
        scale=5, title=_("QR-code om de kiosk aan te melden"))
    # Safe to mark up: segno's SVG of our own enrolment link, no user input in it.
    qr = Markup(svg)  # noqa: S704  # nosec B704
    return no_store(render_template("admin/kiosk_enrol.html", device=device, link=link, qr=qr))


@bp.post("/")
@admin_required
def enrol():
    form = KioskForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    existing = get_session().scalar(sa.select(KioskDevice).where(
        KioskDevice.name == " ".join(form.name.data.split())))
    if existing is not None:
        flash(_("Er is al een apparaat met deze naam. Kies een andere naam, of meld het "
                "opnieuw aan vanuit de lijst."), "error")
        return _index(form, 422)
    try:
        return _enrol(form.name.data)
    except AdminError as refused:
        get_session().rollback()
        flash(translate_message(refused), "error")
        return _index(form, 422)


@bp.post("/<int:device_id>/opnieuw")
@admin_required
def re_enrol(device_id: int):
    device = _device_or_404(device_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("admin_kiosk.index"), code=303)
    return _enrol(device.name)


@bp.post("/<int:device_id>/naam")
@admin_required
def rename(device_id: int):
    device = _device_or_404(device_id)
    form = KioskForm()
    db = get_session()
    if form.validate_on_submit():
        name = " ".join(form.name.data.split())
        clash = db.scalar(sa.select(KioskDevice).where(KioskDevice.name == name,
                                                       KioskDevice.id != device.id))
        if clash is None:
            before = kiosk_service.snapshot(device)
            device.name = name
            audit(db, current_user.model, utcnow(), "kiosk.rename", f"kiosk:{device.id}",
                  before, kiosk_service.snapshot(device))
            db.commit()
            flash(_("De naam is gewijzigd."), "success")
            return redirect(url_for("admin_kiosk.index"), code=303)
        flash(_("Er is al een apparaat met deze naam."), "error")
    return _index(form, 422)


@bp.post("/<int:device_id>/intrekken")
@admin_required
def revoke(device_id: int):
    device = _device_or_404(device_id)
    db = get_session()
    if ButtonForm().validate_on_submit():
        with transaction(db):
            kiosk_service.revoke(db, current_user.model, device.name, utcnow())
        flash(_("%(name)s werkt niet meer als kiosk.", name=device.name), "success")
    return redirect(url_for("admin_kiosk.index"), code=303)

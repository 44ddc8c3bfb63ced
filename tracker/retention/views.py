"""Beheer → Bewaartermijnen: the FG's retention rules, holds, due list and look-up (issue 16)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin.service import AdminError
from tracker.core.access import require_roles
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.input_guard import id_arg
from tracker.core.labels import category_label
from tracker.core.web import flash_refusal, no_store
from tracker.models import DeletionBatch, LegalHold
from tracker.retention import service, subject_access
from tracker.retention.forms import (
    ApproveForm,
    HoldForm,
    LookupForm,
    RetentionSettingsForm,
    RuleForm,
    SubjectRequestForm,
)

bp = Blueprint("retention", __name__, url_prefix="/admin/bewaartermijnen")
fg_required = require_roles("fg")
hold_roles_required = require_roles(*service.HOLD_ROLES)


def rule_label(key: str) -> str:
    if key == service.rules.CONFIDENTIAL:
        return _("Vertrouwelijke meldingen (vertrouwenspersoon)")
    if key == service.rules.LEGAL_ROUTE:
        return _("Wettelijke route (zedenzaak medewerker, datalek)")
    return str(category_label(key))


def _index(rule_forms=None, settings_form=None, status: int = 200):
    db = get_session()
    views = service.rule_views(db)
    rule_forms = rule_forms or {}
    forms = {v.key: rule_forms.get(v.key) or RuleForm(prefix=v.key, data={
        "days": v.days, "source": v.source}) for v in views}
    fg = service.fg_contact(db)
    settings_form = settings_form or RetentionSettingsForm(data={
        **{k: service.setting_days(db, k) for k in service.SETTINGS},
        **{f"fg_{k}": v for k, v in fg.items()}})
    return render_template("retention/index.html", views=views, forms=forms,
                           settings_form=settings_form, rule_label=rule_label), status


@bp.get("/")
@fg_required
def index():
    return _index()


@bp.post("/regel/<key>")
@fg_required
def rule(key: str):
    db = get_session()
    if key not in {v.key for v in service.rule_views(db)}:
        abort(404)
    form = RuleForm(prefix=key)
    if form.validate_on_submit():
        with flash_refusal(db):
            service.save_rule(db, current_user.model, utcnow(), key, form.days.data,
                              form.source.data or "")
            db.commit()
            flash(_("De bewaartermijn voor %(rule)s is opgeslagen.", rule=rule_label(key)),
                  "success")
            return redirect(url_for("retention.index"), code=303)
    return _index(rule_forms={key: form}, status=422)


@bp.post("/instellingen")
@fg_required
def settings():
    db = get_session()
    form = RetentionSettingsForm()
    if form.validate_on_submit():
        with flash_refusal(db):
            for key in service.SETTINGS:
                service.save_setting(db, current_user.model, utcnow(), key,
                                     getattr(form, key).data)
            service.save_fg_contact(db, current_user.model, utcnow(), {
                "name": form.fg_name.data, "email": form.fg_email.data,
                "phone": form.fg_phone.data})
            db.commit()
            flash(_("De bewaarinstellingen zijn opgeslagen."), "success")
            return redirect(url_for("retention.index"), code=303)
    return _index(settings_form=form, status=422)


# --- the due list ---------------------------------------------------------------------------

@bp.get("/verwijderen")
@fg_required
def due():
    db = get_session()
    view = service.current_due(db, utcnow())
    form = ApproveForm(data={"shown": view.fingerprint})
    last = db.scalars(sa.select(DeletionBatch).where(DeletionBatch.status == "approved")
                      .order_by(DeletionBatch.id.desc()).limit(5)).all()
    # Sealed cases are counted, never numbered, outside the vertrouwenspersoon's area.
    numbered = [cid for cid in view.due if view.rules[cid] != service.rules.CONFIDENTIAL]
    return no_store(render_template("retention/due.html", view=view, form=form,
                                    rule_label=rule_label, batches=last, numbered=numbered,
                                    sealed=len(view.due) - len(numbered)))


@bp.post("/verwijderen")
@fg_required
def approve():
    db = get_session()
    form = ApproveForm()
    if not form.validate_on_submit():
        flash(_("De lijst is veranderd sinds u hem zag. Er is niets verwijderd; bekijk de "
                "nieuwe lijst en keur die goed."), "error")
        return redirect(url_for("retention.due"), code=303)
    with flash_refusal(db):
        certificate = service.approve(db, current_user.model, utcnow(), form.shown.data)
        db.commit()
        service.compact(current_app.extensions["tracker.engine"])
        flash(_("%(n)d meldingen zijn verwijderd; het verwijderbewijs staat in het logboek "
                "(lijst %(batch)d).", n=certificate["count"], batch=certificate["batch"]),
              "success")
    return redirect(url_for("retention.due"), code=303)


# --- legal holds ----------------------------------------------------------------------------

@bp.get("/bewaarplicht")
@hold_roles_required
def holds():
    form = HoldForm(data={"case_id": request.args.get("case", type=id_arg)})
    return _holds(form)


def _holds(form: HoldForm, status: int = 200):
    db = get_session()
    rows = service.active_holds(db, utcnow())
    return render_template("retention/holds.html", form=form, holds=rows,
                           release_form=ButtonForm()), status


@bp.post("/bewaarplicht")
@hold_roles_required
def hold():
    db = get_session()
    form = HoldForm()
    if form.validate_on_submit():
        try:
            service.set_hold(db, current_user.model, utcnow(), form.case_id.data,
                             form.reason.data, form.ends_on.data)
        except AdminError as refused:
            db.rollback()
            from tracker.core.messages import translate_message

            form.case_id.errors = [translate_message(refused)]
        else:
            db.commit()
            flash(_("Melding #%(n)d valt nu onder een bewaarplicht.", n=form.case_id.data),
                  "success")
            return redirect(url_for("retention.holds"), code=303)
    return _holds(form, 422)


@bp.post("/bewaarplicht/<int:hold_id>/opheffen")
@hold_roles_required
def release(hold_id: int):
    db = get_session()
    if not ButtonForm().validate_on_submit():
        abort(400)
    with flash_refusal(db):
        service.release_hold(db, current_user.model, utcnow(), hold_id)
        db.commit()
        flash(_("De bewaarplicht is opgeheven."), "success")
    return redirect(url_for("retention.holds"), code=303)


# --- what a person may ask ------------------------------------------------------------------

def _lookup():
    form = LookupForm(request.args)
    found, error = None, None
    if request.args and form.validate():
        try:
            found = subject_access.look_up(get_session(), email=form.email.data or "",
                                           name=form.name.data or "")
        except AdminError as refused:
            from tracker.core.messages import translate_message

            error = translate_message(refused)
    return form, found, error


@bp.get("/inzage")
@fg_required
def lookup():
    form, found, error = _lookup()
    request_form = SubjectRequestForm(data={"email": form.email.data, "name": form.name.data})
    return no_store(render_template("retention/lookup.html", form=form, found=found,
                                    error=error, request_form=request_form))


def _export() -> dict[str, Any] | None:
    """Return the export of what the look-up found (its reads access-logged), or None."""
    form, found, _error = _lookup()
    if found is None:
        return None
    db = get_session()
    data = subject_access.export(db, found, email=form.email.data or "",
                                 name=form.name.data or "", now=utcnow(),
                                 reader=current_user.model)
    db.commit()  # the access-log lines
    return data


@bp.get("/inzage/export.json")
@fg_required
def export_json():
    data = _export()
    if data is None:
        return redirect(url_for("retention.lookup", **request.args), code=303)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="inzage.json"'
    return no_store(response)


@bp.get("/inzage/export")
@fg_required
def export_html():
    data = _export()
    if data is None:
        return redirect(url_for("retention.lookup", **request.args), code=303)
    return no_store(render_template("retention/export.html", data=data))


@bp.post("/inzage/verzoek")
@fg_required
def subject_request():
    db = get_session()
    form = SubjectRequestForm()
    email, name = form.email.data or "", form.name.data or ""
    if form.validate_on_submit():
        with flash_refusal(db):
            found = subject_access.look_up(db, email=email, name=name)
            subject_access.record_request(
                db, current_user.model, utcnow(), kind=form.kind.data, email=email, name=name,
                text=form.text.data, outcome=form.outcome.data, reason=form.reason.data,
                case_ids=[f.case.id for f in found])
            db.commit()
            flash(_("Het verzoek en de uitkomst zijn vastgelegd."), "success")
        return redirect(url_for("retention.lookup", email=email, name=name), code=303)
    lookup_form = LookupForm(data={"email": email, "name": name})
    found = None
    if email or name:
        try:
            found = subject_access.look_up(db, email=email, name=name)
        except AdminError:
            found = None
    return no_store(render_template("retention/lookup.html", form=lookup_form, found=found,
                                    error=None, request_form=form)), 422


__all__ = ["bp", "LegalHold"]

"""Admin: staff accounts (invite, roles, working days, deactivate with case hand-over)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.accounts.tokens import send_link
from tracker.admin import role_grants
from tracker.admin import service as admin_service
from tracker.admin.forms import DeactivateForm, StaffForm
from tracker.cases.hand_over import open_cases_of
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.labels import ROLE
from tracker.core.web import flash_refusal
from tracker.models import User

bp = Blueprint("admin_staff", __name__, url_prefix="/admin/medewerkers")


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _staff_form(**kwargs) -> StaffForm:
    form = StaffForm(**kwargs)
    form.roles.choices = [(key, label) for key, label in ROLE.items()]
    return form


def waiting_for(role: str) -> str:
    """Return what a proposal for this role waits for, in the user's language."""
    if role == "bestuur":
        return _("Voorstel: wacht op bevestiging door een ander bestuurslid.")
    if role == "fg":
        return _("Voorstel: wacht op bevestiging door een huidige FG of een bestuurslid.")
    return _("Voorstel: wacht op bevestiging door een huidige vertrouwenspersoon of een "
             "bestuurslid.")


def _form_page(form: StaffForm, person: User | None, status: int = 200):
    pending = role_grants.open_grants(get_session(), person) if person else []
    return render_template("admin/staff_form.html", form=form, person=person, pending=pending,
                           waiting_for=waiting_for), status


def _flash_pending(person: User) -> None:
    # A tick on vertrouwenspersoon, bestuur or FG proposed the role; it is not given yet.
    for grant in role_grants.open_grants(get_session(), person):
        flash(f"{ROLE[grant.role]} ({person.name}): {waiting_for(grant.role)}", "info")


@bp.get("/")
@admin_required
def index():
    db = get_session()
    people = db.scalars(sa.select(User).order_by(User.active.desc(), User.name)).all()
    proposed: dict[int, list[str]] = {}
    for grant in role_grants.open_grants(db):
        proposed.setdefault(grant.user_id, []).append(grant.role)
    return render_template("admin/staff.html", people=people, proposed=proposed,
                           form=ButtonForm())


@bp.get("/nieuw")
@admin_required
def new():
    return _form_page(_staff_form(workdays=list("12345")), None)


@bp.post("/nieuw")
@admin_required
def create():
    form = _staff_form()
    db = get_session()
    if form.validate_on_submit():
        with flash_refusal(db):
            user = admin_service.create_staff(
                db, current_user.model, utcnow(), name=form.name.data, email=form.email.data,
                roles=form.roles.data, workdays="".join(form.workdays.data))
            send_link(db, user, "invite", utcnow())
            db.commit()
            flash(_("%(name)s is uitgenodigd per e-mail.", name=user.name), "success")
            _flash_pending(user)
            return redirect(url_for("admin_staff.index"), code=303)
    return _form_page(form, None, 422)


@bp.get("/<int:user_id>")
@admin_required
def edit(user_id: int):
    person = _user_or_404(user_id)
    form = _staff_form(name=person.name, email=person.email, roles=sorted(person.role_keys),
                       workdays=list(person.workdays))
    return _form_page(form, person)


@bp.post("/<int:user_id>")
@admin_required
def update(user_id: int):
    person = _user_or_404(user_id)
    form = _staff_form()
    form.email.data = person.email  # the address is the login; it is not edited here
    db = get_session()
    if form.validate_on_submit():
        with flash_refusal(db):
            admin_service.update_staff(db, current_user.model, utcnow(), person,
                                       name=form.name.data, roles=form.roles.data,
                                       workdays="".join(form.workdays.data))
            db.commit()
            flash(_("De gegevens van %(name)s zijn opgeslagen.", name=person.name), "success")
            _flash_pending(person)
            return redirect(url_for("admin_staff.index"), code=303)
    return _form_page(form, person, 422)


@bp.post("/<int:user_id>/uitnodiging")
@admin_required
def invite(user_id: int):
    person = _user_or_404(user_id)
    if ButtonForm().validate_on_submit() and person.active:
        db = get_session()
        send_link(db, person, "invite", utcnow())
        admin_service.audit(db, current_user.model, utcnow(), "staff.invite",
                            f"user:{person.id}", None, {"email": person.email})
        db.commit()
        flash(_("Er is een nieuwe uitnodiging gestuurd naar %(email)s.", email=person.email),
              "success")
    return redirect(url_for("admin_staff.index"), code=303)


def _deactivate_form(person: User) -> DeactivateForm:
    form = DeactivateForm()
    others = get_session().scalars(sa.select(User).where(User.active.is_(True),
                                                         User.id != person.id)
                                   .order_by(User.name))
    form.successor.choices = [("", _("Kies…"))] + [
        (str(u.id), f"{u.name} ({', '.join(str(ROLE.get(r, r)) for r in sorted(u.role_keys))})")
        for u in others]
    return form


def _open_cases(person: User) -> list:
    # Sealed cases are not listed: they go to another vertrouwenspersoon by themselves.
    return [c for c in open_cases_of(get_session(), person) if not c.confidential]


@bp.get("/<int:user_id>/uitschakelen")
@admin_required
def deactivate(user_id: int):
    person = _user_or_404(user_id)
    return render_template("admin/staff_deactivate.html", person=person,
                           cases=_open_cases(person), form=_deactivate_form(person))


@bp.post("/<int:user_id>/uitschakelen")
@admin_required
def deactivate_post(user_id: int):
    person = _user_or_404(user_id)
    form = _deactivate_form(person)
    db = get_session()
    if form.validate_on_submit():
        successor = db.get(User, int(form.successor.data)) if form.successor.data else None
        with flash_refusal(db):
            handed = admin_service.deactivate_staff(db, current_user.model, utcnow(), person,
                                                    successor)
            db.commit()
            _flash_hand_over(person, successor, handed)
            return redirect(url_for("admin_staff.index"), code=303)
    return render_template("admin/staff_deactivate.html", person=person,
                           cases=_open_cases(person), form=form), 422


def _flash_hand_over(person: User, successor: User | None, handed) -> None:
    total = len(handed.moved) + len(handed.rerouted) + len(handed.unassigned)
    flash(_("%(name)s kan niet meer inloggen. %(n)d open meldingen zijn overgedragen.",
            name=person.name, n=total), "success")
    for case_id, names in handed.rerouted:
        flash(_("Melding #%(id)d kan niet naar %(successor)s (hij gaat over die persoon); "
                "hij gaat naar %(names)s.", id=case_id, successor=successor.name,
                names=", ".join(names)), "error")
    for case_id in handed.unassigned:
        flash(_("Melding #%(id)d kan niet naar %(successor)s en niemand anders mag hem nu "
                "krijgen. Zorg dat iemand hem oppakt.", id=case_id, successor=successor.name),
              "error")


@bp.post("/<int:user_id>/activeren")
@admin_required
def reactivate(user_id: int):
    person = _user_or_404(user_id)
    if ButtonForm().validate_on_submit():
        db = get_session()
        admin_service.reactivate_staff(db, current_user.model, utcnow(), person)
        db.commit()
        flash(_("%(name)s kan weer inloggen.", name=person.name), "success")
    return redirect(url_for("admin_staff.index"), code=303)

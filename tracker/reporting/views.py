"""The public report form for parents at /melden, and the language switch."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker.core import ratelimit, school
from tracker.core.db import get_session, utcnow
from tracker.core.extensions import LANGUAGES, csrf
from tracker.core.forms import new_submission_key
from tracker.core.labels import category_choices
from tracker.core.urls import external_url
from tracker.core.web import no_store
from tracker.domain.redirects import safe_redirect_path
from tracker.domain.subject import report_subject
from tracker.escalation.notify import enqueue_mail
from tracker.evidence.forms import checked_files
from tracker.evidence.service import attach
from tracker.models import ReporterType, Role
from tracker.reporting import receipts
from tracker.reporting.forms import ParentReportForm
from tracker.reporting.service import ReportInput, find_submission, submit_report

bp = Blueprint("report", __name__)
# Staff a reporter can name: the people who work with the children.
SCHOOL_ROLES = (Role.LEERKRACHT, Role.IB, Role.ANTI_PEST, Role.DIRECTIE)


def staff_choices(first: str) -> list[tuple[str, str]]:
    """Return (id, name) of active school staff, for "about a staff member"."""
    def make(snapshot: school.School) -> list[tuple[str, str]]:
        roles = {role.value for role in SCHOOL_ROLES}
        return [(str(u.id), u.name) for u in snapshot.staff
                if snapshot.roles.get(u.id, frozenset()) & roles]

    return [("", first)] + school.current().derive("report.staff_choices", make)


def fill_choices(form, audience: str):
    """Give a report form its choices (categories, groups, staff) in the current language."""
    form.category.choices = [("", _("Kies…"))] + category_choices(audience)
    groups = school.current().derive("report.group_choices", lambda s: [
        (str(g.number), g.name) for g in s.groups if g.active])
    form.group.choices = [("", _("Weet ik niet / geen groep"))] + groups
    form.about_staff.choices = staff_choices(_("Kies een naam (niet verplicht)"))
    return form


def report_input(form, *, channel: str, reporter_type: ReporterType) -> ReportInput:
    """Return the report a (validated) parent or staff form describes."""
    # A picked staff member is the subject, whatever "Over wie gaat het?" says (issue 11.1).
    staff_id = form.about_staff.data
    subject = report_subject(form.about_kind.data, int(staff_id) if staff_id else None)

    def text(field) -> str | None:
        if field is None:
            return None
        return (field.data or "").strip() or None

    return ReportInput(
        submission_key=form.submission_key.data, channel=channel,
        reporter_type=reporter_type, category=form.category.data,
        description=form.description.data.strip(),
        group_number=int(form.group.data) if form.group.data else None,
        about_kind=subject.kind, about_user_id=subject.staff_id,
        about_text=text(form.about_text),
        reporter_name=text(getattr(form, "name", None)),
        reporter_email=(text(getattr(form, "email", None)) or "").lower() or None,
        reporter_phone=text(getattr(form, "phone", None)),
        danger=form.danger.data, sexual=form.sexual.data,
        confidential=form.confidential.data, language=str(get_locale() or "nl"))


def save_report(data: ReportInput, actor=None, evidence=()) -> tuple[str, object]:
    """Submit (once per form key) with its files, give it a text receipt code; return
    (code, case)."""
    db = get_session()
    secret = receipts.receipt_key(current_app.config["SECRET_KEY"])
    try:
        submitted = submit_report(db, data, utcnow(), actor=actor)
        case = submitted.case
        if not submitted.duplicate:
            attach(db, case, evidence, utcnow(), source="report", actor=actor,
                   actor_label=None if actor else data.reporter_type.value)
        code = receipts.issue_code(db, case, secret, data.submission_key, "text")
        if data.reporter_email:
            enqueue_mail(db, key=f"receipt:{case.id}", to=data.reporter_email,
                         recipient_kind="parent", template="receipt", now=utcnow(),
                         context={"code": code, "follow_up_url": follow_up_url()},
                         case=case, language=data.language)
        db.commit()
    except sa.exc.IntegrityError:
        # Two clicks raced past each other: the first one's report and code stand.
        db.rollback()
        report = find_submission(db, data.submission_key)
        if report is None:
            raise
        case = report.case
        code = receipts.issue_code(db, case, secret, data.submission_key, "text")
    return code, case


def follow_up_url() -> str:
    return external_url("follow_up.enter")


@bp.get("/")
def home():
    """The address `make run` prints: staff go to their work, everyone else picks a door."""
    if current_user.is_authenticated:
        return redirect(url_for("cases.queue"))
    return render_template("home.html")


@bp.get("/melden")
def form():
    form = fill_choices(ParentReportForm(submission_key=new_submission_key()), "parent")
    return no_store(render_template("report/form.html", form=form))


# The form validates its own CSRF token so a stale one refills the form instead of a 400.
@csrf.exempt
@bp.post("/melden")
def submit():
    form = fill_choices(ParentReportForm(), "parent")
    valid = form.validate_on_submit()
    # Files are checked only in a form that is otherwise right: refused, nothing is saved.
    evidence = checked_files(form, category=form.category.data,
                             sexual=form.sexual.data) if valid else None
    if evidence is None:
        if form.csrf_token.errors:
            flash(_("Het formulier was verlopen. Uw tekst staat er nog: controleer hem en "
                    "verstuur opnieuw."), "error")
        return no_store(render_template("report/form.html", form=form)), 422
    data = report_input(form, channel="web", reporter_type=ReporterType.PARENT)
    # A second click on a sent form is free: it stores nothing new.
    if ratelimit.enabled() and find_submission(get_session(), data.submission_key) is None:
        wait = ratelimit.hit(current_app.config["REPORT_LIMIT_PER_ADDRESS"], "report",
                             ratelimit.visitor())
        if wait:
            # Nothing is saved, and nothing typed is lost: the form comes back filled in.
            flash(_("Er zijn vanaf dit adres kort na elkaar veel meldingen verstuurd. Uw "
                    "tekst staat er nog: verstuur hem %(when)s.",
                    when=ratelimit.wait_text(wait)), "error")
            return no_store(render_template("report/form.html", form=form)), 429
    code, case = save_report(data, evidence=evidence)
    session["last_report"] = data.submission_key
    session["last_report_sealed"] = case.confidential  # the thanks page says who reads it
    session["receipt_code"] = code  # shown once by the thanks page, then gone
    return redirect(url_for("report.thanks"), code=303)


@bp.get("/melden/bedankt")
def thanks():
    if "last_report" not in session:
        return redirect(url_for("report.form"))
    code = session.pop("receipt_code", None)
    return no_store(render_template("report/thanks.html", code=code,
                                    sealed=session.get("last_report_sealed", False)))


@bp.get("/taal/<lang>")
def language(lang: str):
    """Remember the visitor's language and go back to the page they were on."""
    if lang in LANGUAGES:
        session["lang"] = lang
    target = safe_redirect_path(request.args.get("next")) or url_for("report.form")
    return redirect(target, code=303)

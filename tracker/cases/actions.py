"""The case page's actions, each in one place: its form, the use case it runs, and the words
shown when it is done. The URL (POST /cases/<id>/<action>), the page's forms and the handler
are all read from ACTIONS; docs/ARCHITECTURE.md says what else a new action needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from tracker.cases import forms
from tracker.cases import service as case_service
from tracker.cases import work as case_work
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.urls import external_url
from tracker.domain.permissions import role_may_hold


@dataclass(frozen=True)
class CaseAction:
    form: type[forms.CaseForm]
    done: str  # the words shown when it worked (a lazy string)
    run: Callable  # (session, case, actor, now, form) -> None; refuses with ActionRefused


def _follow_up_url() -> str:
    return external_url("follow_up.enter")


# action name (the URL's last part, and the form's prefix) -> what it is
ACTIONS: dict[str, CaseAction] = {
    "start": CaseAction(
        forms.StartForm, _l("De melding staat nu in behandeling."),
        lambda db, c, u, now, f: case_service.start(db, c, u, now, f.version.data)),
    "note": CaseAction(
        forms.NoteForm, _l("Je notitie is opgeslagen."),
        lambda db, c, u, now, f: case_service.add_note(
            db, c, u, now, f.version.data, f.body.data)),
    "message": CaseAction(
        forms.MessageForm, _l("Je bericht aan de melder is verstuurd."),
        lambda db, c, u, now, f: case_service.message_reporter(
            db, c, u, now, f.version.data, f.body.data, follow_up_url=_follow_up_url())),
    "assign": CaseAction(
        forms.AssignForm, _l("De melding is toegewezen."),
        lambda db, c, u, now, f: case_work.assign(
            db, c, u, now, f.version.data, reason=f.reason.data, user_id=f.user.data or None,
            role=f.role.data or None, keep_informed=f.keep_informed.data)),
    "action": CaseAction(
        forms.ActionForm, _l("De actie is toegevoegd."),
        lambda db, c, u, now, f: case_work.add_action(
            db, c, u, now, f.version.data, title=f.title.data, owner_id=f.owner.data,
            due=f.due.data)),
    "complete_action": CaseAction(
        forms.CompleteActionForm, _l("De actie is afgevinkt."),
        lambda db, c, u, now, f: case_work.complete_action(
            db, c, u, now, f.version.data, f.action_id.data)),
    "refer": CaseAction(
        forms.ReferForm, _l("De doorverwijzing is vastgelegd."),
        lambda db, c, u, now, f: case_service.refer(
            db, c, u, now, f.version.data, to=f.to.data, on=f.on.data,
            note=f.note.data or "")),
    "link": CaseAction(
        forms.LinkForm, _l("De meldingen zijn gekoppeld."),
        lambda db, c, u, now, f: case_work.link(db, c, u, now, f.version.data, f.other.data)),
    "resolve": CaseAction(
        forms.ResolveForm, _l("De melding is afgerond."),
        lambda db, c, u, now, f: case_service.resolve(
            db, c, u, now, f.version.data, f.outcome.data,
            closing_message=f.closing_message.data or "", follow_up_url=_follow_up_url())),
    "schedule_check": CaseAction(
        forms.ScheduleCheckForm, _l("De controle is gepland."),
        lambda db, c, u, now, f: case_service.schedule_check(
            db, c, u, now, f.version.data, f.on.data)),
    "record_check": CaseAction(
        forms.RecordCheckForm, _l("De controle is vastgelegd."),
        lambda db, c, u, now, f: case_service.record_check(
            db, c, u, now, f.version.data, f.result.data, f.note.data or "")),
    "close": CaseAction(
        forms.CloseForm, _l("De melding is gesloten."),
        lambda db, c, u, now, f: case_service.close(db, c, u, now, f.version.data)),
    "reopen": CaseAction(
        forms.ReopenForm, _l("De melding is heropend."),
        lambda db, c, u, now, f: case_service.reopen(
            db, c, u, now, f.version.data, f.reason.data)),
    # POST /cases/<id>/meldcode/<step>: one form per step of the meldcode
    "meldcode": CaseAction(
        forms.MeldcodeForm, _l("De stap van de meldcode is vastgelegd."),
        lambda db, c, u, now, f: case_work.record_meldcode_step(
            db, c, u, now, f.version.data, f.step.data, f.finding.data)),
}
ACKNOWLEDGED = _l("Je hebt deze melding opgepakt.")  # acknowledge has its own route and form


def _fill(form: FlaskForm, people: list[SelectChoice]) -> FlaskForm:
    if isinstance(form, forms.AssignForm):
        form.user.choices = [SelectChoice(0, _l("— kies een persoon —")), *people]
    if isinstance(form, forms.ActionForm):
        form.owner.choices = people
    return form


def _people(staff) -> list[SelectChoice]:
    return [SelectChoice(u.id, u.name) for u in staff]


def bound_form(action: str, prefix: str, page) -> forms.CaseForm:
    """Return the posted form of an action, with its choices filled in."""
    return _fill(ACTIONS[action].form(prefix=prefix), _people(page.staff))


class CaseForms(dict):
    """The case page's fresh forms, each made when the page first asks for it: a page shows
    only what the case's state allows, and a dozen unused forms cost more than the rest."""

    DEFAULTS = {"assign": {"keep_informed": True}}

    def __init__(self, case, page, now, actor_id: int | None = None) -> None:
        super().__init__()
        self.case, self.page, self.now, self.actor_id = case, page, now, actor_id
        self._choices: list[SelectChoice] | None = None

    def __missing__(self, name: str) -> FlaskForm:
        version = self.case.version
        if name == "acknowledge":
            form = forms.AcknowledgeForm(formdata=None, version=version)
        elif name.startswith("meldcode"):
            number = int(name.removeprefix("meldcode"))
            found = self.page.meldcode.get(number)
            form = forms.MeldcodeForm(formdata=None, prefix=name, version=version, step=number,
                                finding=found.finding if found else None)
        else:
            defaults = dict(self.DEFAULTS.get(name, {}))
            if name == "refer":
                from tracker.domain.calendar import local_date

                defaults["on"] = local_date(self.now)
            if self._choices is None:
                self._choices = _people(self.page.staff)
            if name == "action":
                # Whoever may act on a case may receive it: they are always in the list.
                defaults["owner"] = self.actor_id
            form = _fill(ACTIONS[name].form(formdata=None, prefix=name, version=version,
                                            **defaults), self._choices)
            if name == "assign":  # a sealed case offers only roles that may hold it
                form.role.choices = forms.choices(
                    {k: v for k, v in forms.ROLES.items()
                     if role_may_hold(k, self.case.confidential)}, _l("— kies een rol —"))
        self[name] = form
        return form

    def __getattr__(self, name: str) -> FlaskForm:
        # Templates write forms.complete_action as well as forms["complete_action"].
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except (KeyError, ValueError) as missing:
            raise AttributeError(name) from missing


def forms_for(case, page, now, actor_id: int | None = None) -> CaseForms:
    """Return the case page's fresh forms (made on first use); an action's owner defaults to
    the person adding it (actor_id)."""
    return CaseForms(case, page, now, actor_id)

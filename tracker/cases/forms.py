"""Forms of the case page: one per action, each carrying the case version it was built from."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import Form, WholeNumberField, id_number
from tracker.domain.states import MELDCODE_STEPS

TEXT_MAX = 5000
MESSAGE_MAX = 2000
REFERRAL_BODIES = {
    "veilig_thuis": _l("Veilig Thuis (0800-2000)"),
    "politie": _l("Politie"),
    "ggd": _l("GGD"),
    "leerplicht": _l("Leerplichtambtenaar"),
    "vertrouwensinspecteur": _l("Vertrouwensinspecteur (0900-1113111)"),
    "other": _l("Andere instantie"),
}
ROLES = {
    "leerkracht": _l("de leerkracht(en) van de groep"),
    "ib": _l("IB'er"),
    "anti_pest": _l("anti-pestcoördinator"),
    "directie": _l("directie"),
    "vertrouwenspersoon": _l("vertrouwenspersoon"),
    "bestuur": _l("bestuur"),
    "fg": _l("functionaris gegevensbescherming"),
}


def choices(labels: dict, empty=None) -> list[SelectChoice]:
    head = [SelectChoice("", empty)] if empty else []
    return head + [SelectChoice(k, v) for k, v in labels.items()]


def _text(label, message, max_=TEXT_MAX, rows=3, description=""):
    return TextAreaField(label, validators=[
        DataRequired(message),
        Length(max=max_, message=_l("Gebruik ten hoogste %(max)d tekens.", max=max_))],
        render_kw={"rows": rows, "maxlength": max_}, description=description)


class CaseForm(Form):
    """Base: the case version the page showed (a stale form is refused)."""

    version = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])


class AcknowledgeForm(Form):
    # The version is optional here: "Ik pak dit op" is safe to repeat (the state refuses it).
    version = WholeNumberField(widget=HiddenInput(), validators=[Optional()])


class StartForm(CaseForm):
    pass


class NoteForm(CaseForm):
    body = _text(_l("Interne notitie (ziet de melder nooit)"), _l("Schrijf de notitie."))


class MessageForm(CaseForm):
    body = _text(_l("Bericht aan de melder"), _l("Schrijf het bericht."), MESSAGE_MAX, 4)


class AssignForm(CaseForm):
    # Not validated against the list: the service refuses with a clear reason (e.g. the subject).
    user = SelectField(_l("Aan een persoon"), coerce=id_number, validate_choice=False)
    role = SelectField(_l("Of aan een rol"), choices=choices(ROLES, _l("— kies een rol —")),
                       validate_choice=False)
    reason = _text(_l("Reden"), _l("Geef een reden op."), 500, 2)
    keep_informed = BooleanField(_l("Wie de melding nu heeft, blijft meelezen"), default=True)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.role.data and self.role.data not in ROLES:
            self.role.errors.append(_l("Kies een rol uit de lijst."))
            return False
        if ok and bool(self.user.data) == bool(self.role.data):
            self.user.errors.append(_l("Kies één persoon óf één rol."))
            return False
        return ok


class ActionForm(CaseForm):
    title = StringField(_l("Actie"), validators=[
        DataRequired(_l("Beschrijf de actie, bijv. ‘gesprek met ouders’.")),
        Length(max=200, message=_l("Gebruik ten hoogste %(max)d tekens.", max=200))],
        render_kw={"maxlength": 200})
    # The list holds only who may receive the case; the person adding the action is chosen
    # unless they pick someone else (nobody joins a case by a form's default).
    owner = SelectField(_l("Wie doet het"), coerce=id_number, validate_choice=False, description=_l(
        "Kies je iemand anders, dan kan die de melding inzien en krijgt een mail."))
    due = DateField(_l("Uiterlijk op"), validators=[InputRequired(_l("Kies een datum."))])

    def validate_owner(self, field) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Deze persoon kan deze melding niet krijgen. Kies iemand "
                                     "uit de lijst."))


class CompleteActionForm(CaseForm):
    action_id = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])


class ReferForm(CaseForm):
    to = SelectField(_l("Doorverwezen naar"), choices=choices(REFERRAL_BODIES),
                     validate_choice=True)
    on = DateField(_l("Datum"), validators=[InputRequired(_l("Kies een datum."))])
    note = TextAreaField(_l("Toelichting (niet verplicht)"), validators=[
        Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 2})


class LinkForm(CaseForm):
    other = WholeNumberField(_l("Nummer van de andere melding"), validators=[
        InputRequired(_l("Vul een meldingnummer in.")),
        NumberRange(min=1, message=_l("Vul een meldingnummer in."))])


class ResolveForm(CaseForm):
    outcome = _text(_l("Uitkomst"), _l("Beschrijf de uitkomst."),
                    description=_l("Intern: de melder ziet dit nooit."))
    # Shown to the reporter at follow-up (issue 12.2): a field set of its own on the page.
    closing_message = TextAreaField(
        _l("Slotbericht aan de melder (niet verplicht): de melder leest dit"), validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("Gebruik ten hoogste %(max)d tekens.",
                                               max=MESSAGE_MAX))],
        render_kw={"rows": 3, "maxlength": MESSAGE_MAX})


class ScheduleCheckForm(CaseForm):
    on = DateField(_l("Controle op"), validators=[InputRequired(_l("Kies een datum."))])


class RecordCheckForm(CaseForm):
    result = RadioField(_l("Is het gestopt?"), choices=[
        SelectChoice("stopped", _l("Ja, het is gestopt")),
        SelectChoice("not_stopped", _l("Nee, het gaat door"))],
        validators=[InputRequired(_l("Kies of het gestopt is."))])
    note = TextAreaField(_l("Toelichting (niet verplicht)"), validators=[
        Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 2})


class CloseForm(CaseForm):
    pass


class ReopenForm(CaseForm):
    reason = _text(_l("Waarom heropenen?"), _l("Geef een reden op."), 500, 2)


class MeldcodeForm(CaseForm):
    step = WholeNumberField(widget=HiddenInput(), validators=[
        InputRequired(), NumberRange(min=1, max=len(MELDCODE_STEPS))])
    finding = _text(_l("Wat is gevonden of besloten"), _l("Schrijf op wat is gevonden of "
                                                          "besloten."))


PUPIL_ROLES = {
    "affected": _l("Getroffen: het overkwam dit kind"),
    "involved": _l("Betrokken, bijvoorbeeld als omstander"),
    "causing": _l("Genoemd als veroorzaker"),
}


class PupilSearchForm(Form):
    name = StringField(_l("Zoek op naam"), validators=[Optional(), Length(max=100)],
                       render_kw={"maxlength": 100, "autocomplete": "off"})


class PupilLinkForm(Form):
    # Not validated against the list: the service refuses a pupil one may not see, clearly.
    pupil = SelectField(_l("Kind"), coerce=id_number, validate_choice=False)
    role = RadioField(_l("Wat is dit kind in de melding?"), choices=choices(PUPIL_ROLES),
                      validators=[InputRequired(_l("Kies wat het kind in deze melding is."))])
    # The search that found the pupils: a refused link shows the same list again.
    query = HiddenField(validators=[Optional(), Length(max=100)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.pupil.data:
            self.pupil.errors = [*self.pupil.errors, _l("Kies een kind.")]
            return False
        return ok


class PupilUnlinkForm(Form):
    pupil = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])

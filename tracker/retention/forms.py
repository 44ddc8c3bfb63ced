"""Forms of Beheer → Bewaartermijnen and the FG's look-up (issue 16)."""

from __future__ import annotations

from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.admin.forms import choices
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import EmailAddress, Form, WholeNumberField
from tracker.domain.retention import MAX_DAYS, MIN_DAYS


def _days():
    return [InputRequired(_l("Vul een aantal dagen in.")),
            NumberRange(min=MIN_DAYS, max=MAX_DAYS,
                        message=_l("Kies tussen 1 en 36500 dagen: nul dagen zou een melding "
                                   "bij het sluiten laten verdwijnen."))]


class RuleForm(Form):
    days = WholeNumberField(_l("Dagen na het sluiten"), validators=_days())
    source = TextAreaField(_l("Bron of reden"), validators=[Length(max=2000)])


class RetentionSettingsForm(Form):
    retention_pupil_days = WholeNumberField(
        _l("Leerlinggegevens: dagen na vertrek van de leerling"), validators=_days())
    retention_outbox_days = WholeNumberField(_l("Verstuurde mail: dagen bewaren na verzending"),
                                             validators=_days())
    retention_access_log_days = WholeNumberField(
        _l("Inzagelog (wie opende welke melding): dagen"), validators=_days())
    retention_audit_log_days = WholeNumberField(_l("Logboek beheer: dagen"), validators=_days())
    fg_name = StringField(_l("Naam van de FG"), validators=[Optional(), Length(max=120)])
    fg_email = EmailField(_l("E-mailadres van de FG"), validators=[Optional(), EmailAddress()])
    fg_phone = StringField(_l("Telefoon van de FG"), validators=[Optional(), Length(max=40)])


class HoldForm(Form):
    case_id = WholeNumberField(_l("Meldingnummer"), validators=[
        InputRequired(_l("Vul het nummer van de melding in.")),
        NumberRange(min=1, message=_l("Vul het nummer van de melding in."))])
    reason = TextAreaField(_l("Reden"), validators=[
        DataRequired(_l("Geef een reden voor de bewaarplicht.")), Length(max=2000)])
    ends_on = DateField(_l("Tot en met (leeg = tot opheffen)"), validators=[Optional()])


class ApproveForm(Form):
    shown = HiddenField(validators=[DataRequired()])


class LookupForm(Form):
    class Meta:
        csrf = False  # a GET search

    email = StringField(_l("E-mailadres"), validators=[Optional(), Length(max=254)])
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=120)])


class SubjectRequestForm(Form):
    kind = SelectField(_l("Soort verzoek"), validate_choice=True, choices=choices(
        ("access", _l("Inzage (art. 15)")), ("correction", _l("Correctie (art. 16)")),
        ("erasure", _l("Verwijdering (art. 17)"))))
    email = HiddenField()
    name = HiddenField()
    text = TextAreaField(_l("Wat is gevraagd, of de correctie"), validators=[
        DataRequired(_l("Vul in wat er gevraagd is.")), Length(max=4000)])
    outcome = SelectField(_l("Uitkomst"), validate_choice=True, choices=choices(
        ("granted", _l("toegekend")), ("partly", _l("deels toegekend")),
        ("refused", _l("afgewezen"))))
    reason = TextAreaField(_l("Reden van de uitkomst"), validators=[
        DataRequired(_l("Geef de reden van de uitkomst.")), Length(max=2000)])

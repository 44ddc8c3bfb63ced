"""Forms of the admin area, the first-run page and the password links (Dutch validators)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.accounts.tokens import MIN_PASSWORD
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import EmailAddress, Form, WholeNumberField, id_number


def choices(*pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs (WTForms 3.3 wants SelectChoice)."""
    return [SelectChoice(value, label) for value, label in pairs]


WEEKDAYS = choices(("1", _l("maandag")), ("2", _l("dinsdag")), ("3", _l("woensdag")),
                   ("4", _l("donderdag")), ("5", _l("vrijdag")), ("6", _l("zaterdag")),
                   ("7", _l("zondag")))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _email():
    return [DataRequired(_l("Vul een e-mailadres in.")), EmailAddress()]


def _optional_email():
    return [Optional(), EmailAddress()]


def _new_password():
    return [DataRequired(_l("Kies een wachtwoord.")),
            Length(min=MIN_PASSWORD, max=200,
                   message=_l("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_PASSWORD))]


class StaffForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")),
                                               Length(max=120)])
    email = EmailField(_l("E-mailadres"), validators=_email())
    roles = CheckboxesField(_l("Rollen"),
                            validators=[DataRequired(_l("Kies minstens één rol."))])
    workdays = CheckboxesField(_l("Werkdagen"), choices=WEEKDAYS,
                               validators=[DataRequired(_l("Kies minstens één werkdag."))])


class DeactivateForm(Form):
    # Not rendered when there is nothing to hand over: then "" (nobody), not an invalid choice.
    successor = SelectField(_l("Wie neemt de open meldingen over?"), validate_choice=True,
                            default="")


class GroupForm(Form):
    number = WholeNumberField(_l("Groepsnummer"), validators=[
        InputRequired(_l("Vul een groepsnummer in.")),
        NumberRange(1, 999, _l("Een groepsnummer ligt tussen 1 en 999."))])
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=60)])
    teachers = CheckboxesField(_l("Leerkrachten"), coerce=id_number, validate_choice=True)
    active = BooleanField(_l("Actief"), default=True)


class ImportForm(Form):
    file = FileField(_l("CSV-bestand"))


class ImportConfirmForm(Form):
    payload = HiddenField(validators=[DataRequired()])
    send_invites = BooleanField(_l("Stuur nieuwe collega's een uitnodiging per e-mail"),
                                default=True)


class ForgotForm(Form):
    email = EmailField(_l("E-mailadres"), validators=_email())


class NewPasswordForm(Form):
    password = PasswordField(_l("Nieuw wachtwoord"), validators=_new_password(),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nog een keer"), validators=[
        EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk."))],
        render_kw={"autocomplete": "new-password"})


class SetupForm(Form):
    token = StringField(_l("Installatiecode uit de console"),
                        validators=[DataRequired(_l("Vul de installatiecode in."))],
                        render_kw={"autocomplete": "off"})
    school_name = StringField(_l("Naam van de school"),
                              validators=[DataRequired(_l("Vul de naam van de school in.")),
                                          Length(max=120)])
    name = StringField(_l("Uw naam"), validators=[DataRequired(_l("Vul een naam in.")),
                                                  Length(max=120)])
    email = EmailField(_l("Uw e-mailadres"), validators=_email(),
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Wachtwoord"), validators=_new_password(),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nog een keer"), validators=[
        EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk."))],
        render_kw={"autocomplete": "new-password"})
    directie = BooleanField(_l("Ik ben ook directie"))
    # The school's first holders of the roles that take two people (issue 11.3): optional.
    vp_name = StringField(_l("Naam vertrouwenspersoon"), validators=[Optional(), Length(max=120)])
    vp_email = EmailField(_l("E-mail vertrouwenspersoon"), validators=_optional_email())
    bestuur_name = StringField(_l("Naam bestuurslid"), validators=[Optional(), Length(max=120)])
    bestuur_email = EmailField(_l("E-mail bestuurslid"), validators=_optional_email())
    fg_name = StringField(_l("Naam FG"), validators=[Optional(), Length(max=120)])
    fg_email = EmailField(_l("E-mail FG"), validators=_optional_email())

    HOLDERS = (("vertrouwenspersoon", "vp"), ("bestuur", "bestuur"), ("fg", "fg"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for _role, prefix in self.HOLDERS:
            name, email = self[f"{prefix}_name"], self[f"{prefix}_email"]
            if (name.data or "").strip() and not (email.data or "").strip():
                email.errors = [*email.errors, _l("Vul ook het e-mailadres in.")]
                ok = False
            elif (email.data or "").strip() and not (name.data or "").strip():
                name.errors = [*name.errors, _l("Vul ook de naam in.")]
                ok = False
        return ok

    def first_holders(self) -> dict[str, tuple[str, str]]:
        """Return {role: (name, email)} for each first holder filled in."""
        return {role: (self[f"{prefix}_name"].data.strip(), self[f"{prefix}_email"].data.strip())
                for role, prefix in self.HOLDERS if (self[f"{prefix}_email"].data or "").strip()}


class KioskForm(Form):
    name = StringField(_l("Naam van het apparaat"), validators=[
        DataRequired(_l("Geef het apparaat een naam, bijvoorbeeld 'Tablet gang boven'.")),
        Length(max=80)])


class RuleForm(Form):
    priority = WholeNumberField(_l("Volgorde (laag = eerst)"), validators=[
        InputRequired(_l("Vul een volgnummer in.")), NumberRange(0, 100000)])
    category = SelectField(_l("Soort melding"), validate_choice=True)
    reporter_types = CheckboxesField(_l("Van wie (leeg = iedereen)"), choices=choices(
        ("child", _l("kind")), ("parent", _l("ouder")), ("staff", _l("medewerker"))))
    primary_role = SelectField(_l("Naar"), validate_choice=True)
    informed_roles = CheckboxesField(_l("Ook op de hoogte"), validate_choice=True)
    ack = StringField(_l("Oppakken binnen"), validators=[
        DataRequired(_l("Vul een termijn in, bijvoorbeeld 1d."))])
    resolve = StringField(_l("Afronden binnen"), validators=[Optional()])
    chain = StringField(_l("Escalatie (rollen, in volgorde, met komma's)"),
                        validators=[Optional(), Length(max=120)])
    urgent = BooleanField(_l("Spoed"))
    enabled = BooleanField(_l("Aan"), default=True)


class TryForm(Form):
    class Meta:
        csrf = False  # read-only GET form

    reporter_type = SelectField(_l("Wie meldt"), choices=choices(
        ("child", _l("kind")), ("parent", _l("ouder")), ("staff", _l("medewerker"))))
    category = SelectField(_l("Soort melding"))
    group = SelectField(_l("Groep"))
    sexual = BooleanField(_l("Seksueel getint"))
    danger = BooleanField(_l("Nu in gevaar"))
    confidential = BooleanField(_l("Vertrouwelijk"))


class ClosedDayForm(Form):
    start = StringField(_l("Van"), validators=[DataRequired(_l("Vul een datum in."))],
                        render_kw={"type": "date"})
    end = StringField(_l("Tot en met (leeg = één dag)"), validators=[Optional()],
                      render_kw={"type": "date"})
    name = StringField(_l("Omschrijving"), validators=[
        DataRequired(_l("Vul een omschrijving in, bijvoorbeeld 'Studiedag'.")), Length(max=80)])
    kind = SelectField(_l("Soort"), choices=choices(("study_day", _l("studiedag")),
                                             ("holiday", _l("vakantie")),
                                             ("public_holiday", _l("feestdag"))))


class RegionImportForm(Form):
    region = SelectField(_l("Regio"), choices=choices(
        ("noord", _l("Noord")), ("midden", _l("Midden")), ("zuid", _l("Zuid"))))
    school_year = SelectField(_l("Schooljaar"))


class SettingsForm(Form):
    school_name = StringField(_l("Naam van de school"), validators=[
        DataRequired(_l("Vul de naam van de school in.")), Length(max=120)])
    logo = FileField(_l("Logo (PNG of SVG, ten hoogste 200 kB)"))
    remove_logo = BooleanField(_l("Logo weghalen"))
    vp_name = StringField(_l("Naam vertrouwenspersoon"), validators=[Optional(), Length(max=120)])
    vp_phone = StringField(_l("Telefoon vertrouwenspersoon"), validators=[
        Optional(), Length(max=30),
        Regexp(r"^[0-9 +()-]+$", message=_l("Gebruik alleen cijfers, spaties, + en -."))])
    vp_email = EmailField(_l("E-mail vertrouwenspersoon"), validators=_optional_email())
    quiet_start = StringField(_l("Stille uren vanaf"), validators=[
        DataRequired(), Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Gebruik uu:mm."))],
        render_kw={"type": "time"})
    quiet_end = StringField(_l("Stille uren tot"), validators=[
        DataRequired(), Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Gebruik uu:mm."))],
        render_kw={"type": "time"})
    followup_days = WholeNumberField(_l("Navraag 'is het gestopt?' na (schooldagen)"), validators=[
        InputRequired(), NumberRange(1, 60, _l("Kies 1 tot 60 schooldagen."))])
    repetition_days = WholeNumberField(_l("Herhaling: een kind opnieuw getroffen bij pesten "
                                      "binnen (schooldagen)"), validators=[
        Optional(), NumberRange(1, 200, _l("Kies 1 tot 200 schooldagen."))])
    repetition_places = WholeNumberField(_l("Herhaling: meldingen van dezelfde plek binnen een "
                                        "maand, vanaf"), validators=[
        Optional(), NumberRange(2, 50, _l("Kies 2 tot 50 meldingen."))])
    default_ack = StringField(_l("Standaard termijn oppakken"), validators=[DataRequired()])
    default_resolve = StringField(_l("Standaard termijn afronden"), validators=[DataRequired()])


class PupilImportConfirmForm(Form):
    payload = HiddenField(validators=[DataRequired()])
    mark_left = BooleanField(_l("Dit is de hele school: wie niet in het bestand staat, is van "
                                "school gegaan"), default=False)

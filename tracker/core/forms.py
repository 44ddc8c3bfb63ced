"""WTForms classes; validators speak the user's language."""

from __future__ import annotations

import secrets

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
)

from tracker.core import resume
from tracker.core.formatting import lazy_gettext as _l
from tracker.domain import addresses
from tracker.domain import evidence as evidence_rules
from tracker.domain.numbers import whole_number

DESCRIPTION_MAX = 5000

ADDRESS_MESSAGES = {
    addresses.INVALID: _l("Dit e-mailadres klopt niet."),
    addresses.TOO_LONG: _l("Dit e-mailadres is te lang."),
    addresses.LOCAL_NOT_ASCII: _l("Vóór de @ kunnen geen letters met accenten staan. Gebruik "
                                  "een adres met gewone letters, cijfers en . - _ + vóór de @."),
}


class EmailAddress:
    """The one address rule (tracker/domain/addresses.py) for every form that takes one.

    Leaves an empty field to DataRequired/Optional; a valid address is stored normalised
    (lower case; an internationalised domain in Unicode, sent IDNA-encoded).
    """

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            field.data = addresses.normalise_address(field.data)
        except addresses.AddressError as refused:
            raise StopValidation(str(ADDRESS_MESSAGES[refused.reason])) from None


class Form(FlaskForm):
    """Every form of the app: on the page a stashed form was sent from (tracker/core/resume.py),
    the form it was comes back filled in with what the person typed (and says so: `restored`)."""

    restored = False

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # On a GET, forms are made empty (formdata None, or left to Flask-WTF): fill the
            # one whose fields were stashed.
            if (formdata is _Auto or formdata is None) and request.method == "GET":
                kept = resume.restored_for({field.name for field in form})
                if kept is not None:
                    form.restored = True
                    return kept
            return super().wrap_formdata(form, formdata)


def id_number(value: object) -> int:
    """Coerce a select's or checkbox's value to an id (`coerce=id_number`): ASCII digits up
    to PostgreSQL's integer, else ValueError (the form says the choice is not valid)."""
    number = value if isinstance(value, int) and 0 <= value else whole_number(value)
    if number is None:
        raise ValueError(value)
    return number


class WholeNumberField(IntegerField):
    """A whole number as a person types it: the digits 0-9, no larger than the database
    holds. IntegerField reads "١٢" as 12 and passes 2**63 on to a query that fails."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = valuelist[0]
        self.data = whole_number(text.strip()) if isinstance(text, str) else None
        if self.data is None:
            raise ValueError(_l("Vul een heel getal in, bijvoorbeeld 5."))


def new_submission_key() -> str:
    """Return a fresh one-time key that makes a second click on submit harmless."""
    return secrets.token_urlsafe(24)


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Wachtwoord"),
                             validators=[DataRequired(_l("Vul je wachtwoord in."))],
                             render_kw={"autocomplete": "current-password"})


class ButtonForm(Form):
    """A form with only its CSRF token: for one-click actions."""


class TwoFactorForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Vul de code in.")),
                                               Length(max=40, message=_l("Deze code is te lang."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text",
                                  "autocapitalize": "off", "spellcheck": "false"})


def evidence_field(label=None) -> MultipleFileField:
    """Return the file input for evidence (issue 17): several files, images and PDF offered.

    What the files may be is checked by tracker/evidence (never by the browser's word).
    """
    return MultipleFileField(label or _l("Bewijs meesturen (niet verplicht)"),
                             render_kw={"accept": evidence_rules.ACCEPT})


class ParentReportForm(Form):
    submission_key = HiddenField(validators=[InputRequired(), Length(max=64)])
    category = SelectField(_l("Wat is er gebeurd?"),
                           validators=[InputRequired(_l("Kies wat er is gebeurd."))],
                           validate_choice=True)
    description = TextAreaField(
        _l("Vertel wat er is gebeurd"),
        validators=[DataRequired(_l("Vertel kort wat er is gebeurd.")),
                    Length(max=DESCRIPTION_MAX,
                           message=_l("Gebruik ten hoogste %(max)d tekens.",
                                      max=DESCRIPTION_MAX))],
        render_kw={"rows": 6, "maxlength": DESCRIPTION_MAX},
    )
    group = SelectField(_l("In welke groep zit het kind?"), validate_choice=True)
    email = EmailField(
        _l("Uw e-mailadres (niet verplicht)"),
        validators=[Optional(), EmailAddress()],
        render_kw={"autocomplete": "off"},
    )
    # Reporting channels (issue 3): about whom, who the reporter is, confidentiality.
    about_kind = RadioField(_l("Over wie gaat het?"), default="child",
                            choices=[SelectChoice("child", _l("Een kind")),
                                     SelectChoice("staff", _l("Een medewerker van school")),
                                     SelectChoice("other", _l("Iemand anders"))],
                            validators=[DataRequired(_l("Kies over wie het gaat."))])
    about_staff = SelectField(_l("Welke medewerker?"), validate_choice=True, default="")
    about_text = StringField(_l("Wie is het? (niet verplicht)"),
                             validators=[Optional(), Length(max=200, message=_l(
                                 "Gebruik ten hoogste %(max)d tekens.", max=200))],
                             render_kw={"autocomplete": "off", "maxlength": 200})
    name = StringField(_l("Uw naam (niet verplicht)"),
                       validators=[Optional(), Length(max=120, message=_l(
                           "Gebruik ten hoogste %(max)d tekens.", max=120))],
                       render_kw={"autocomplete": "off", "maxlength": 120})
    phone = TelField(_l("Uw telefoonnummer (niet verplicht)"),
                     validators=[Optional(), Length(max=30), Regexp(
                         r"^[0-9+() .-]{6,30}$",
                         message=_l("Dit telefoonnummer klopt niet."))],
                     render_kw={"autocomplete": "off", "inputmode": "tel"})
    danger = BooleanField(_l("Een kind is nu in gevaar"))
    sexual = BooleanField(_l("Het gaat om seksueel grensoverschrijdend gedrag"))
    confidential = BooleanField(_l("Ik wil dit vertrouwelijk melden bij de vertrouwenspersoon"))
    evidence = evidence_field()


class StaffReportForm(ParentReportForm):
    """The staff form: the same facts; who reports is known from the login."""

    email = None
    name = None
    phone = None
    about_kind = RadioField(_l("Over wie gaat het?"), default="child",
                            choices=[SelectChoice("child", _l("Een leerling")),
                                     SelectChoice("staff", _l("Een collega")),
                                     SelectChoice("other", _l("Iemand anders"))],
                            validators=[DataRequired(_l("Kies over wie het gaat."))])
    group = SelectField(_l("Om welke groep gaat het?"), validate_choice=True)


class FollowUpForm(Form):
    code = StringField(_l("Uw code"),
                       validators=[DataRequired(_l("Vul uw code in.")), Length(max=200)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "maxlength": 200})


class ReplyForm(Form):
    submission_key = HiddenField(validators=[InputRequired(), Length(max=64)])
    body = TextAreaField(_l("Uw antwoord"),
                         validators=[DataRequired(_l("Schrijf eerst uw bericht.")),
                                     Length(max=2000, message=_l(
                                         "Gebruik ten hoogste %(max)d tekens.", max=2000))],
                         render_kw={"rows": 4, "maxlength": 2000, "autocomplete": "off"})
    evidence = evidence_field()

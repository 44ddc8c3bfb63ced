"""Forms of reporting: the parents' form, a staff report, and a reporter's follow-up."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
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
)

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import DESCRIPTION_MAX, EmailAddress, Form
from tracker.evidence.forms import evidence_field


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

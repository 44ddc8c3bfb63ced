"""WTForms classes; validators speak the user's language."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

DESCRIPTION_MAX = 5000


def new_submission_key() -> str:
    """Return a fresh one-time key that makes a second click on submit harmless."""
    return secrets.token_urlsafe(24)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Wachtwoord"),
                             validators=[DataRequired(_l("Vul je wachtwoord in."))],
                             render_kw={"autocomplete": "current-password"})


class ButtonForm(FlaskForm):
    """A form with only its CSRF token: for one-click actions."""


class ParentReportForm(FlaskForm):
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
        validators=[Optional(), Email(_l("Dit e-mailadres klopt niet."),
                                      check_deliverability=False),
                    Length(max=254)],
        render_kw={"autocomplete": "off"},
    )

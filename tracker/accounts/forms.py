"""Forms of the login: password, then the second factor."""

from __future__ import annotations

from wtforms import (
    EmailField,
    PasswordField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Length,
)

from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Wachtwoord"),
                             validators=[DataRequired(_l("Vul je wachtwoord in."))],
                             render_kw={"autocomplete": "current-password"})


class TwoFactorForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Vul de code in.")),
                                               Length(max=40, message=_l("Deze code is te lang."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text",
                                  "autocapitalize": "off", "spellcheck": "false"})

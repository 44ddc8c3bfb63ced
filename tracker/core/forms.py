"""WTForms classes; validators speak the user's language."""

from __future__ import annotations

import secrets

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import (
    IntegerField,
)
from wtforms.validators import (
    StopValidation,
)

from tracker.core import resume
from tracker.core.formatting import lazy_gettext as _l
from tracker.domain import addresses
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


class ButtonForm(Form):
    """A form with only its CSRF token: for one-click actions."""

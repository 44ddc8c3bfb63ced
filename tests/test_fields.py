"""The form macros write simple fields as plain HTML, byte for byte as WTForms would."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from tracker.cases.actions import ACTIONS
from tracker.reporting.forms import ParentReportForm, ReplyForm, StaffReportForm

MACRO = '{% from "_macros.html" import control, label %}{{ control(f, a) }}|{{ label(f) }}'
POSTED = MultiDict({"category": "nope", "description": 'een "quote" & <tag>', "group": "5",
                    "email": "x@", "about_kind": "staff", "danger": "y", "name": "Ä <b>",
                    "phone": "12"})


def fields(form):
    for f in form:
        yield f
        if f.type == "RadioField":
            yield from f


def check(app, form, extra=None):
    template = app.jinja_env.from_string(MACRO)
    for f in fields(form):
        for attrs in ({}, {"id": False}, {"aria-describedby": f"{f.id}-hint",
                                          "aria-invalid": "true"}, extra or {}):
            ours = template.render(f=f, a=attrs)
            assert ours == f"{f(**attrs)}|{f.label}", f.name


@pytest.mark.parametrize("formdata", [None, POSTED])
def test_report_forms(app, formdata):
    with app.test_request_context("/melden", method="POST" if formdata else "GET"):
        for cls in (ParentReportForm, StaffReportForm):
            form = cls(formdata=formdata, submission_key="k")
            form.category.choices = [("", "Kies…"), ("bullying", "Pesten"), ("other", 'A"b')]
            form.group.choices = [("", "Geen"), ("5", "Groep 5"), ("78", "Groep 7/8")]
            form.about_staff.choices = [("", "Kies"), ("3", "Jan <de> Vries")]
            form.validate()
            check(app, form)


def test_case_forms(app):
    with app.test_request_context("/cases/1"):
        for name, action in ACTIONS.items():
            form = action.form(formdata=None, prefix=name, version=3)
            for f in form:
                if f.type in ("SelectField", "RadioField") and not f.choices:
                    f.choices = [(1, "Een"), (2, "Twee")]
            check(app, form)
        check(app, ReplyForm(formdata=None, submission_key="k"))


def test_what_the_macro_leaves_to_wtforms(app):
    class Odd(Form):
        multi = SelectMultipleField(choices=[SelectChoice("a", "A"), SelectChoice("b", "B")])
        grouped = SelectField(choices=[SelectChoice("a", "A", optgroup="Een"),
                                       SelectChoice("b", "B", optgroup="Twee")])
        marked = SelectField(choices=[SelectChoice("a", "A", render_kw={"lang": "en"})])
        radios = RadioField(choices=[SelectChoice("a", "A")])

    with app.test_request_context("/"):
        check(app, Odd())

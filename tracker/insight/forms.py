"""The overview's filters (issue 14): a GET form, so a view can be bookmarked and shared."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from tracker.core.formatting import lazy_gettext as _l

ALL = ""


class OverviewForm(FlaskForm):
    """Period and filters, read from the query string (a GET changes nothing: no CSRF).

    The dates are checked by tracker.domain.insight (its messages name what is wrong)."""

    class Meta:
        csrf = False

    van = StringField(_l("Van"), validators=[Length(max=40)],
                      render_kw={"type": "date", "autocomplete": "off"})
    tot = StringField(_l("Tot en met"), validators=[Length(max=40)],
                      render_kw={"type": "date", "autocomplete": "off"})
    categorie = SelectField(_l("Soort melding"), validate_choice=True, default=ALL)
    groep = SelectField(_l("Groep"), validate_choice=True, default=ALL)
    kanaal = SelectField(_l("Kanaal"), validate_choice=True, default=ALL)
    melder = SelectField(_l("Melder"), validate_choice=True, default=ALL)

    def __init__(self, *args, categories, groups, channels, reporters, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [(ALL, _l("Alle"))]
        self.categorie.choices = everything + categories
        self.groep.choices = everything + groups
        self.kanaal.choices = everything + channels
        self.melder.choices = everything + reporters


class AnnualReportForm(FlaskForm):
    """The directie's own sections of the yearly overview."""

    policy = TextAreaField(_l("Het beleid voor sociale veiligheid: waar het staat en wat er dit "
                              "jaar aan veranderde"), validators=[Length(max=10_000)],
                           render_kw={"rows": 4})
    analysis = TextAreaField(_l("Analyse: wat zien we in de cijfers?"),
                             validators=[Length(max=10_000)], render_kw={"rows": 6})
    measures = TextAreaField(_l("Genomen maatregelen"), validators=[Length(max=10_000)],
                             render_kw={"rows": 6})
    plans = TextAreaField(_l("Plannen voor het komende jaar"), validators=[Length(max=10_000)],
                          render_kw={"rows": 6})

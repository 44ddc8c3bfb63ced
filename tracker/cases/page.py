"""The case page as its handlers see it: its facts, timeline and one form per action.

The case's own actions (tracker/cases/views.py) and the children on it
(tracker/pupils/case_views.py) both answer with this page, fresh or with a refused form.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker.cases import forms as case_forms
from tracker.cases import queries
from tracker.cases import service as case_service
from tracker.cases.actions import forms_for
from tracker.core.db import get_session, utcnow
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.web import no_store
from tracker.domain.states import MELDCODE_STEPS
from tracker.evidence.page import panel as evidence_panel
from tracker.pupils import case_links as case_pupils


def render_case(case, override: tuple[str, case_forms.CaseForm] | None = None, status: int = 200,
                pupil_query: str = ""):
    """Render the case page with fresh forms (one of them possibly as submitted)."""
    page = queries.case_page(get_session(), case, current_user.model)
    forms = forms_for(case, page, utcnow(), current_user.model.id)
    pupils = _children(forms, case, page, pupil_query)
    if override:
        if override[0] == "pupil_link":
            override[1].pupil.choices = forms["pupil_link"].pupil.choices
        forms[override[0]] = override[1]
    template = "confidential/detail.html" if case.confidential else "cases/detail.html"
    return no_store(render_template(
        template, case=case, page=page, forms=forms, allowed=case_service.allowed(case),
        form=forms["acknowledge"], now=utcnow(), sealed=case.confidential,
        meldcode_steps=MELDCODE_STEPS, pupils=pupils,
        evidence=evidence_panel(get_session(), case))), status


def _children(forms, case, page, query: str) -> case_pupils.Panel:
    """Add the children's forms to the page's forms; return the children part of the page."""
    mentioned = {e.data.get("pupil") for e in page.events if e.kind.startswith("pupil_")}
    panel = case_pupils.panel(get_session(), case, current_user.model, query,
                              mentioned - {None})
    forms["pupil_search"] = case_forms.PupilSearchForm(formdata=None, prefix="pupil_search",
                                                       name=query)
    forms["pupil_link"] = case_forms.PupilLinkForm(formdata=None, prefix="pupil_link",
                                                   query=query)
    forms["pupil_link"].pupil.choices = [SelectChoice(0, _l("— kies een kind —"))] + [
        SelectChoice(p.id, f"{p.name} ({p.group.name})" if p.group else p.name)
        for p in panel.candidates]
    forms["pupil_unlink"] = case_forms.PupilUnlinkForm(formdata=None)
    return panel

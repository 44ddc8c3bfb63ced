"""A child's chronology at /leerlingen/<id> (issue 15.3)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from tracker.core.db import get_session, utcnow
from tracker.core.web import no_store
from tracker.models import Pupil
from tracker.pupils import case_links as case_pupils
from tracker.pupils import chronology as service

bp = Blueprint("pupils", __name__, url_prefix="/leerlingen")


@bp.get("/<int:pupil_id>")
@login_required
def chronology(pupil_id: int):
    db = get_session()
    user = current_user.model
    pupil = db.get(Pupil, pupil_id)
    # A pupil outside the viewer's groups and a missing one look the same.
    if pupil is None or not case_pupils.may_see(db, user, pupil):
        abort(404)
    view = service.chronology(db, pupil, user, utcnow())
    db.commit()  # end the read before writing (see tracker.core.db)
    service.record_reads(db, view, user, utcnow())
    db.commit()
    return no_store(render_template("pupils/chronology.html", view=view))

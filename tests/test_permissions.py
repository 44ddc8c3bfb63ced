"""Who sees what: participants, escalation, the directie, the VP, and never the subject."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tracker.domain.calendar import TZ
from tracker.domain.permissions import CaseScope, Viewer, can_view, may_receive
from tracker.models import CaseParticipant, ParticipantKind, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

AT = datetime(2026, 9, 14, 10, tzinfo=TZ)
OPEN = CaseScope(frozenset({1, 2}), confidential=False, about_user_id=None)
ABOUT_3 = CaseScope(frozenset({1}), confidential=False, about_user_id=3)
SEALED = CaseScope(frozenset({4}), confidential=True, about_user_id=None)


@pytest.mark.parametrize(("viewer", "scope", "sees"), [
    (Viewer(1, frozenset({"leerkracht"})), OPEN, True),  # assignee / informed / escalated
    (Viewer(9, frozenset({"leerkracht"})), OPEN, False),  # not involved
    (Viewer(9, frozenset({"directie"})), OPEN, True),  # oversight
    (Viewer(9, frozenset({"vertrouwenspersoon"})), OPEN, False),
    (Viewer(3, frozenset({"directie"})), ABOUT_3, False),  # the subject, even as directie
    (Viewer(9, frozenset({"directie"})), ABOUT_3, True),
    (Viewer(9, frozenset({"directie"})), SEALED, False),  # confidential: the VP only
    (Viewer(4, frozenset({"leerkracht"})), SEALED, False),
    (Viewer(8, frozenset({"vertrouwenspersoon"})), SEALED, True),
])
def test_can_view_table(viewer, scope, sees):
    assert can_view(viewer, scope) is sees


def uid(session, who: str) -> int:
    return session.scalar(sa.select(User.id).where(User.email == f"{who}@demo.meldpunt.test"))


def new_case(session, key: str, category: str = "bullying", **kw) -> int:
    data = ReportInput(submission_key=key, channel="web", reporter_type=ReporterType.PARENT,
                       category=category, description="Iets ernstigs.", **kw)
    case = submit_report(session, data, AT).case
    session.flush()
    return case.id


def sees(app, who: str, case_id: int) -> tuple[bool, bool]:
    """Return (in the queue, page opens) for a person."""
    client = app.test_client()
    login(client, who)
    queue = client.get("/cases/?status=new").get_data(as_text=True)
    return f'href="/cases/{case_id}"' in queue, client.get(f"/cases/{case_id}").status_code == 200


def test_ordinary_case_reaches_participants_and_the_directie(app, session):
    case_id = new_case(session, "perm-1", group_number=5)
    expected = {"leerkracht5": True, "antipest": True, "directie": True, "leerkracht4": False,
                "ib": False, "bestuur": False, "vp": False}
    for who, visible in expected.items():
        assert sees(app, who, case_id) == (visible, visible), who


def test_escalation_reaches_the_next_role(app, session):
    case_id = new_case(session, "perm-2", group_number=5)
    assert sees(app, "bestuur", case_id) == (False, False)
    session.add(CaseParticipant(case_id=case_id, user_id=uid(session, "bestuur"),
                                kind=ParticipantKind.ESCALATED, added_at=AT))
    session.flush()
    assert sees(app, "bestuur", case_id) == (True, True)


def test_the_subject_never_sees_the_case_nor_its_count(app, session):
    client = app.test_client()
    login(client, "directie")
    before = client.get("/cases/").get_data(as_text=True)
    case_id = new_case(session, "perm-3", "adult_misconduct", group_number=5,
                       about_kind="staff", about_user_id=uid(session, "directie"))
    after = client.get("/cases/").get_data(as_text=True)
    assert f'href="/cases/{case_id}"' not in after
    assert before.count('class="count"') and _counts(before) == _counts(after)
    assert client.get(f"/cases/{case_id}").status_code == 404
    assert sees(app, "bestuur", case_id) == (True, True)  # the bestuur takes it on


def test_confidential_case_is_the_vps_only(app, session):
    case_id = new_case(session, "perm-4", group_number=5, confidential=True)
    for who in ("directie", "leerkracht5", "antipest", "ib", "bestuur"):
        assert sees(app, who, case_id) == (False, False), who
    client = app.test_client()
    login(client, "vp")
    assert client.get(f"/cases/{case_id}").status_code == 200


@pytest.mark.parametrize(("about", "confidential"), [
    (None, False), ("leerkracht5", False), ("directie", False), (None, True), ("vp", True)])
def test_the_owner_list_agrees_with_the_rule(session, about, confidential):
    """The case page's list of who may be given the case (SQL) is `may_receive` (Python)."""
    from tracker.cases.queries import _staff_for
    from tracker.models import Case

    case = Case(about_user_id=uid(session, about) if about else None,
                confidential=confidential)
    listed = {u.id for u in _staff_for(session, case)}
    everyone = session.scalars(sa.select(User)).all()
    assert listed == {u.id for u in everyone if may_receive(
        u.id, u.role_keys, case.about_user_id, confidential, u.active)}


def _counts(html: str) -> list[str]:
    import re

    return re.findall(r'<span class="count">(\d+)</span>', html)

"""Every timeline event reads as words in Dutch and English, with dates as elsewhere."""

from __future__ import annotations

import ast
import html as htmllib
import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from conftest import login

from tracker.core.labels import EVENT
from tracker.core.timeline import add_event
from tracker.domain.events import EventKind
from tracker.models import CaseAction, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "tracker" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
DUE = "2026-12-01T16:00:00+00:00"


def test_every_event_kind_has_words_in_dutch_and_english():
    assert set(EVENT) == set(EventKind)
    with open(PO, "rb") as f:
        english = {m.id: m.string for m in read_po(f) if m.id}
    missing = [kind for kind, label in EVENT.items() if not english.get(label._args[0])]
    assert not missing, f"no English words for {missing}"


def _kinds_written(path: Path) -> list[tuple[int, str]]:
    """Return (line, kind) for every kind a module names: a string passed to add_event /
    record_step as the kind, and every EventKind.X it uses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "EventKind":
            found.append((node.lineno, EventKind[node.attr].value))
        name = isinstance(node, ast.Call) and getattr(node.func, "id",
                                                     getattr(node.func, "attr", None))
        if name in ("add_event", "record_step"):
            position = 2 if name == "add_event" else 6
            args = node.args[position:position + 1] + [k.value for k in node.keywords
                                                         if k.arg == "kind"]
            found.extend((sub.lineno, sub.value) for arg in args for sub in ast.walk(arg)
                         if isinstance(sub, ast.Constant) and isinstance(sub.value, str))
    return found


def test_every_kind_written_anywhere_is_a_known_kind_with_words():
    written = {(str(path.relative_to(ROOT)), line, kind)
               for path in (ROOT / "tracker").rglob("*.py") for line, kind in _kinds_written(path)}
    assert len(written) > 30  # the scan sees the calls (it would pass on nothing otherwise)
    unknown = [w for w in written if w[2] not in EventKind._value2member_map_]
    assert not unknown, f"event kinds written without a label: {sorted(unknown)}"
    assert {w[2] for w in written} == set(EventKind), "a kind nobody writes: remove it"


def test_an_unknown_kind_is_refused_when_written(session):
    done = submit_report(session, ReportInput(
        submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Pesten", group_number=5), WHEN)
    with pytest.raises(ValueError):
        add_event(session, done.case, "frobnicated", WHEN)


def _sample_data(session, case) -> dict[EventKind, dict]:
    teacher = session.scalar(sa.select(User).where(User.email == "leerkracht5@demo.meldpunt.test"))
    action = CaseAction(case_id=case.id, title="Gesprek met de ouders", owner_id=teacher.id,
                        due=date(2026, 11, 27))
    session.add(action)
    session.flush()
    return {
        EventKind.REASSIGNED: {"from_user": 1, "from_name": "Oud", "to_user": 2,
                               "to_name": "Nieuw", "why": "deactivated"},
        EventKind.ESCALATED: {"role": "directie", "level": 2, "to": [], "skipped": [],
                              "ack_due": DUE},
        EventKind.DEADLINE_PASSED: {"deadline": "resolve", "due": DUE},
        EventKind.LEGAL_DEADLINE_NEAR: {"due": DUE},
        EventKind.LEGAL_DEADLINE_PASSED: {"due": DUE},
        EventKind.FOLLOWUP_SCHEDULED: {"due": DUE},
        EventKind.FOLLOWUP_DUE: {"due": DUE},
        EventKind.ACTION_OVERDUE: {"action_id": action.id},
        EventKind.ACTION_ADDED: {"action_id": action.id, "owner": teacher.name,
                                 "due": "2026-11-27"},
        EventKind.CHECK_SCHEDULED: {"on": "2026-12-03"},
        EventKind.REFERRED: {"to": "ggd", "on": "2026-11-25"},
        EventKind.LINKED: {"other": case.id},
        EventKind.ROUTED: {"reason": "pesten gaat naar de leerkracht"},
        EventKind.ASSIGNED: {"to": [teacher.name], "role": "leerkracht"},
        EventKind.CHECK_RECORDED: {"result": "stopped"},
        EventKind.MELDCODE_STEP: {"step": 2},
    }


@pytest.mark.parametrize(("lang", "words", "dates"), [
    ("nl", ["Wettelijke termijn verstreken", "Overgedragen aan een collega", "van Oud naar Nieuw",
            "Actie over tijd", "Gesprek met de ouders", "naar directie"],
     ["di 1 dec 2026 17:00", "vr 27 nov 2026", "do 3 dec 2026"]),
    ("en", ["Legal deadline passed", "Handed over to a colleague", "from Oud to Nieuw",
            "Action overdue", "Gesprek met de ouders", "to head of school"],
     ["Tue 1 Dec 2026 17:00", "Fri 27 Nov 2026", "Thu 3 Dec 2026"]),
])
def test_the_timeline_shows_every_kind_in_words_and_dates_like_elsewhere(
        app, session, lang, words, dates):
    done = submit_report(session, ReportInput(
        submission_key=uuid.uuid4().hex, channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Pesten", group_number=5), WHEN)
    samples = _sample_data(session, done.case)
    for kind in EventKind:
        add_event(session, done.case, kind, WHEN, actor_label="system",
                  **samples.get(kind, {}))
    session.commit()
    client = app.test_client()
    login(client, "directie")
    page = client.get(f"/cases/{done.case.id}?lang={lang}")
    html = page.get_data(as_text=True)
    timeline = htmllib.unescape(html[html.index('<ol class="timeline">'):])
    timeline = timeline[:timeline.index("</ol>")]
    shown = re.findall(r"<strong>([^<]*)</strong>", timeline)
    assert len(shown) >= len(EventKind)
    raw = [kind.value for kind in EventKind if kind.value in shown]
    assert not raw, f"shown as raw keys: {raw}"
    text = re.sub(r"<[^>]+>", "", timeline)
    for expected in words + dates:
        assert expected in text, expected
    assert "2026-12-01" not in text and "T16:00" not in text

"""What a person may ask (AVG art. 15-17): the FG's look-up, export, corrections and requests.

Encrypted columns cannot be searched in SQL (each value has its own nonce), so the look-up reads
the reports and compares in Python: an FG's occasional question, not a hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit
from tracker.core.timeline import add_event
from tracker.domain.events import REPORTER_VISIBLE, EventKind
from tracker.models import Case, CaseEvent, Evidence, Report, SubjectRequest, User

BATCH = 500


@dataclass
class Found:
    """One case the person appears in, and how."""

    case: Case
    own_reports: list[Report] = field(default_factory=list)  # they reported it
    mentions: list[Report] = field(default_factory=list)  # someone else named them


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def look_up(session: orm.Session, *, email: str = "", name: str = "") -> list[Found]:
    """Return the cases a person appears in, by e-mail address and/or name."""
    email, name = _norm(email), _norm(name)
    if not email and not name:
        raise AdminError("Vul een e-mailadres of een naam in.")
    if name and len(name) < 3:
        raise AdminError("Zoek op een naam van minstens drie tekens.")
    found: dict[int, Found] = {}
    last = 0
    while True:
        reports = session.scalars(sa.select(Report).where(Report.id > last)
                                  .order_by(Report.id).limit(BATCH)).all()
        if not reports:
            break
        last = reports[-1].id
        for report in reports:
            own = (email and _norm(report.reporter_email) == email) or (
                name and _norm(report.reporter_name) == name)
            mentioned = name and (name in _norm(report.about_text)
                                  or name in _norm(report.description))
            if email and email in _norm(report.description):
                mentioned = True
            if not (own or mentioned):
                continue
            case = session.get(Case, report.case_id)
            if case.confidential:
                continue  # sealed: the vertrouwenspersoon answers for these (SEALED_NOTE)
            item = found.setdefault(report.case_id, Found(case))
            (item.own_reports if own else item.mentions).append(report)
    if email:
        for case in session.scalars(sa.select(Case).where(Case.reporter_email.is_not(None),
                                                          Case.confidential.is_(False))):
            if _norm(case.reporter_email) == email and case.id not in found:
                found[case.id] = Found(case)
    return [found[k] for k in sorted(found)]


def export(session: orm.Session, found: list[Found], *, email: str, name: str,
           now: datetime, reader: User) -> dict[str, Any]:
    """Return the person's data: their own reports and messages in full; of reports by others
    only what is about them (who it is about), never the other reporter or their words.

    Each case read for it lands in the access log (via "subject_access").
    """
    from tracker.cases.service import record_view

    cases = []
    for item in found:
        case = item.case
        record_view(session, case, reader, now, via="subject_access")
        entry: dict[str, Any] = {
            "case": case.id, "category": case.category, "status": case.status.value,
            "created_at": case.created_at.isoformat(),
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "erased": case.erased_at is not None,
            "role": "reporter" if item.own_reports or _norm(case.reporter_email) == _norm(email)
            else "mentioned",
            "reports": [{"at": r.created_at.isoformat(), "channel": r.channel,
                         "description": r.description, "about": r.about_text,
                         "name": r.reporter_name, "email": r.reporter_email,
                         "phone": r.reporter_phone} for r in item.own_reports],
            "mentioned_in": [{"at": r.created_at.isoformat(), "about": r.about_text,
                              "note": "De tekst en de melder van deze melding zijn van een ander "
                                      "en staan hier niet in."} for r in item.mentions],
            "messages": [],
            "files": [],
            "corrections": [],
        }
        events = session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                                 .order_by(CaseEvent.at, CaseEvent.id)).all()
        if entry["role"] == "reporter":
            entry["messages"] = [{"at": e.at.isoformat(),
                                  "from": "melder" if e.kind == EventKind.REPORTER_MESSAGE
                                  else "school", "text": e.body}
                                 for e in events if e.kind in REPORTER_VISIBLE and e.body]
            # The files they sent themselves: what is kept of each (the file itself the FG
            # downloads from the case page, where that view is logged too).
            entry["files"] = [{"at": f.added_at.isoformat(), "kind": f.kind, "size": f.size,
                               "original_size": f.original_size,
                               "original_sha256": f.original_sha256}
                              for f in session.scalars(
                                  sa.select(Evidence).where(Evidence.case_id == case.id,
                                                            Evidence.added_by_id.is_(None))
                                  .order_by(Evidence.id))]
        entry["corrections"] = [{"at": e.at.isoformat(), "text": e.body}
                                for e in events if e.kind == EventKind.CORRECTION and e.body]
        cases.append(entry)
    requests = [r for r in session.scalars(sa.select(SubjectRequest).order_by(SubjectRequest.id))
                if _matches(r.subject, email, name)]
    return {"subject": {"email": email or None, "name": name or None},
            "generated_at": now.isoformat(), "cases": cases,
            "requests": [{"at": r.at.isoformat(), "kind": r.kind, "outcome": r.outcome,
                          "reason": r.reason} for r in requests]}


def _subject(email: str, name: str) -> str:
    return " / ".join(p for p in (_norm(email), _norm(name)) if p)


def _matches(subject: str, email: str, name: str) -> bool:
    return subject == _subject(email, name)


def record_request(session: orm.Session, actor: User, now: datetime, *, kind: str, email: str,
                   name: str, text: str, outcome: str, reason: str,
                   case_ids: list[int]) -> SubjectRequest:
    """Record an access, correction or erasure request with its outcome and reason.

    A correction also becomes a note on each case it concerns, so it travels with the data.
    """
    if kind not in ("access", "correction", "erasure"):
        raise AdminError("Onbekend soort verzoek.")
    if not _subject(email, name):
        raise AdminError("Vul een e-mailadres of een naam in.")
    row = SubjectRequest(at=now, by_id=actor.id, kind=kind, subject=_subject(email, name),
                         case_ids=case_ids, text=text.strip(), outcome=outcome,
                         reason=reason.strip())
    session.add(row)
    session.flush()
    if kind == "correction" and outcome in ("granted", "partly"):
        for case in session.scalars(sa.select(Case).where(Case.id.in_(case_ids),
                                                          Case.erased_at.is_(None))):
            add_event(session, case, EventKind.CORRECTION, now, actor=actor, body=text.strip(),
                      request=row.id)
    audit(session, actor, now, f"subject_request.{kind}", f"subject_request:{row.id}", None,
          {"cases": case_ids, "outcome": outcome})
    return row

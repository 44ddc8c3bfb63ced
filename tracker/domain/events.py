"""What can happen on a case's timeline: every event kind, written once."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """One line on a case's timeline; each has words in tracker/core/labels.py (EVENT)."""

    CREATED = "created"
    ROUTED = "routed"
    ACKNOWLEDGED = "acknowledged"
    STARTED = "started"
    ASSIGNED = "assigned"
    REASSIGNED = "reassigned"
    ACTION_ADDED = "action_added"
    ACTION_DONE = "action_done"
    ACTION_OVERDUE = "action_overdue"
    NOTE = "note"
    MESSAGE_TO_REPORTER = "message_to_reporter"
    REPORTER_MESSAGE = "reporter_message"
    REFERRED = "referred"
    LINKED = "linked"
    RESOLVED = "resolved"
    CHECK_SCHEDULED = "check_scheduled"
    CHECK_RECORDED = "check_recorded"
    CLOSED = "closed"
    REOPENED = "reopened"
    MELDCODE_STEP = "meldcode_step"
    CORRECTION = "correction"
    ESCALATED = "escalated"
    DEADLINE_PASSED = "deadline_passed"
    LEGAL_DEADLINE_NEAR = "legal_deadline_near"
    LEGAL_DEADLINE_PASSED = "legal_deadline_passed"
    FOLLOWUP_SCHEDULED = "followup_scheduled"
    FOLLOWUP_DUE = "followup_due"
    PUPIL_LINKED = "pupil_linked"
    PUPIL_UNLINKED = "pupil_unlinked"
    REPETITION_SIGNAL = "repetition_signal"
    CLOSING_MESSAGE = "closing_message"
    REOPENED_BY_REPORTER = "reopened_by_reporter"
    INFORMED = "informed"
    EVIDENCE_ADDED = "evidence_added"


# Events the reporter sees too (at /volgen and on the kiosk).
REPORTER_VISIBLE = (EventKind.MESSAGE_TO_REPORTER.value, EventKind.REPORTER_MESSAGE.value,
                    EventKind.CLOSING_MESSAGE.value)

"""What a reporter's message sets off (issue 12.1), as a table."""

from __future__ import annotations

import pytest

from tracker.domain.reporter_news import ReporterSignal, on_reporter_message


@pytest.mark.parametrize(
    ("state", "category", "still", "pending", "confidential", "expected"),
    [
        # A message on an open case: the handlers hear once per stretch of unread messages.
        ("new", "bullying", False, False, False, ReporterSignal(True, False, False)),
        ("in_progress", "other", False, True, False, ReporterSignal(False, False, False)),
        ("in_progress", "bullying", True, False, False, ReporterSignal(True, False, False)),
        ("reopened", "bullying", True, True, False, ReporterSignal(False, False, False)),
        # "Het gebeurt nog steeds" on a settled case opens it again.
        ("resolved", "bullying", True, False, False, ReporterSignal(True, True, True)),
        ("closed", "cyberbullying", True, True, False, ReporterSignal(True, True, True)),
        ("resolved", "threat_violence", True, False, False, ReporterSignal(True, True, False)),
        ("resolved", "bullying", True, False, True, ReporterSignal(True, True, False)),
        # Other words on a settled case do not.
        ("resolved", "bullying", False, False, False, ReporterSignal(True, False, False)),
        ("closed", "bullying", False, True, False, ReporterSignal(False, False, False)),
    ])
def test_reporter_message(state, category, still, pending, confidential, expected):
    assert on_reporter_message(state, category, still_happening=still, news_pending=pending,
                               confidential=confidential) == expected

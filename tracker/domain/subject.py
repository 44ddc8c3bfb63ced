"""Whom a report is about: one subject, whatever state the form was left in (issue 11.1).

A report form asks "Over wie gaat het?" (a child, a staff member, someone else) and, apart
from it, "Welke medewerker?". People fill these in any order and leave stale answers behind,
so the rule is written once here: a staff member picked by name is the subject, always;
"a staff member" without a picked name is a report about an unnamed staff member (routing
then keeps it away from the group's teachers, see tracker.domain.routing).
"""

from __future__ import annotations

from dataclasses import dataclass

CHILD = "child"
STAFF = "staff"
OTHER = "other"
KINDS = (CHILD, STAFF, OTHER)


@dataclass(frozen=True)
class Subject:
    """Whom a report is about: a kind, and the staff member's id when one was named."""

    kind: str
    staff_id: int | None = None

    @property
    def about_staff(self) -> bool:
        """Return whether the report is about a staff member (named or not)."""
        return self.kind == STAFF

    @property
    def unnamed_staff(self) -> bool:
        """Return whether the report is about a staff member nobody named."""
        return self.kind == STAFF and self.staff_id is None


def report_subject(about_kind: str | None, staff_id: int | None) -> Subject:
    """Return the one subject of a report from the form's "about whom" and "which staff".

    A picked staff member wins over any "about whom" answer; without one the answer stands
    (unknown or empty answers mean "a child", the form's default).
    """
    if staff_id is not None:
        return Subject(STAFF, staff_id)
    if about_kind in (STAFF, OTHER):
        return Subject(about_kind)
    return Subject(CHILD)

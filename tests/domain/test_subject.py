"""Whom a report is about (issue 11.1): a picked staff member is always the subject, and a
report about an unnamed staff member never reaches the group's teachers."""

from __future__ import annotations

import pytest

from tests.domain.test_routing import STAFF, decide, facts
from tracker.domain.categories import CATEGORY_BY_KEY
from tracker.domain.rules import DEFAULT_RULES
from tracker.domain.subject import Subject, report_subject


@pytest.mark.parametrize(
    ("about_kind", "staff_id", "subject"),
    [
        # the form's answer stands when nobody was picked
        ("child", None, Subject("child")),
        ("other", None, Subject("other")),
        ("staff", None, Subject("staff")),
        # a picked staff member wins, whatever "Over wie gaat het?" says (finding 11.1)
        ("child", 10, Subject("staff", 10)),
        ("other", 10, Subject("staff", 10)),
        ("staff", 10, Subject("staff", 10)),
        (None, 10, Subject("staff", 10)),
        # no answer or an unknown one: the form's default, a child
        (None, None, Subject("child")),
        ("", None, Subject("child")),
        ("teacher", None, Subject("child")),
    ],
)
def test_report_subject(about_kind: str | None, staff_id: int | None, subject: Subject) -> None:
    assert report_subject(about_kind, staff_id) == subject


def test_unnamed_staff_is_a_staff_subject_without_a_name() -> None:
    assert report_subject("staff", None).unnamed_staff
    assert not report_subject("child", 10).unnamed_staff
    assert report_subject("child", 10).about_staff
    assert not report_subject("other", None).about_staff


# --- Routing a report about an unnamed staff member -------------------------------------------

@pytest.mark.parametrize(
    ("f", "route_", "primary", "assignees", "informed", "chain"),
    [
        # groep 5's teacher (10) never gets it; the directie does (finding 11.1, second half)
        (facts("bullying", "parent", about_staff=True), "rule", "directie", (4,), (11,),
         ("bestuur",)),
        (facts("phone_misuse", "parent", about_staff=True), "rule", "directie", (4,), (),
         ("bestuur",)),
        # the teacher informed by the threat_violence rule is left out too
        (facts("threat_violence", "parent", about_staff=True), "rule", "directie", (4,), (),
         ("bestuur",)),
        (facts("image_shared", "parent", about_staff=True), "rule", "directie", (4,), (),
         ("bestuur",)),
        (facts("adult_misconduct", "parent", about_staff=True), "rule", "directie", (4,),
         (7, 8), ("bestuur",)),
        (facts("bullying", "parent", group=7, about_staff=True), "rule", "directie", (4,),
         (11,), ("bestuur",)),
        # sexual misconduct by staff is the legal route, named or not
        (facts("adult_misconduct", "parent", about_staff=True, sexual=True), "legal_sexual",
         "bestuur", (5, 6), (4,), ("bestuur",)),
        # confidential stays with the VP
        (facts("bullying", "parent", about_staff=True, confidential=True), "confidential",
         "vertrouwenspersoon", (7,), (), ("vertrouwenspersoon",)),
    ],
)
def test_unnamed_staff_goes_to_directie(f, route_, primary, assignees, informed,
                                        chain) -> None:
    d = decide(f)
    assert (d.route, d.primary_role, d.assignee_ids, d.informed_ids, d.escalation_chain) == (
        route_, primary, assignees, informed, chain)


def test_unnamed_staff_reason_says_so() -> None:
    assert decide(facts("bullying", "parent", about_staff=True)).reason == (
        "Doorgestuurd naar de directie omdat: een ouder meldde pesten. De melding gaat over "
        "een medewerker van school zonder naam, dus gaat hij naar de directie en niet naar de "
        "leerkrachten van de groep.")


TEACHERS = {1, 2, 10, 12}
SCHOOL_CATEGORIES = [k for k in CATEGORY_BY_KEY if k != "privacy_leak"]


@pytest.mark.parametrize("category", SCHOOL_CATEGORIES)
@pytest.mark.parametrize("reporter", ["child", "parent", "staff"])
@pytest.mark.parametrize("group", [5, 7, None])
def test_unnamed_staff_never_reaches_a_teacher(category: str, reporter: str,
                                               group: int | None) -> None:
    d = decide(facts(category, reporter, group=group, about_staff=True))
    assert not TEACHERS & (set(d.assignee_ids) | set(d.informed_ids)), d.reason
    assert "leerkracht" not in d.escalation_chain


@pytest.mark.parametrize("category", list(CATEGORY_BY_KEY))
@pytest.mark.parametrize("reporter", ["child", "parent", "staff"])
@pytest.mark.parametrize("subject", [s.id for s in STAFF if s.active])
@pytest.mark.parametrize("flags", [{}, {"sexual": True}, {"confidential": True},
                                   {"danger": True}])
def test_a_named_subject_never_receives_the_case(category: str, reporter: str, subject: int,
                                                 flags: dict) -> None:
    d = decide(facts(category, reporter, about_staff_id=subject, **flags), DEFAULT_RULES)
    assert subject not in d.assignee_ids + d.informed_ids
    assert d.excluded_ids == (subject,)

"""Routing per docs/DESIGN.md §4: legal routes, confidentiality, rules, conflicts and workdays."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tracker.domain.calendar import TZ, build_calendar, school_holidays
from tracker.domain.routing import (
    Decision,
    ReportFacts,
    SchoolSetup,
    StaffMember,
    fallback_rule,
    route,
)
from tracker.domain.rules import DEFAULT_RULES, Rule

CAL = build_calendar(school_holidays("midden", "2026-2027"))
MON, TUE, WED, THU, FRI = range(5)


def staff(id_: int, name: str, *roles: str, days: tuple[int, ...] = (0, 1, 2, 3, 4),
          active: bool = True) -> StaffMember:
    """Build a staff member with e-mail <name>@school.nl."""
    return StaffMember(id_, f"{name}@school.nl", name, frozenset(roles), frozenset(days), active)


STAFF = (
    staff(1, "anna7a", days=(MON, TUE)),
    staff(2, "bert7b", days=(WED,)),
    staff(3, "ina", "ib"),
    staff(4, "dirk", "directie", "admin"),
    staff(5, "bea", "bestuur"),
    staff(6, "bob", "bestuur"),
    staff(7, "vera", "vertrouwenspersoon"),
    staff(8, "victor", "vertrouwenspersoon", days=(THU,)),
    staff(9, "fenna", "fg"),
    staff(10, "lotte5", days=(MON, TUE, WED, THU, FRI)),
    staff(11, "piet", "anti_pest"),
    staff(12, "oud6", active=False),
)
SETUP = SchoolSetup(STAFF, {5: (10,), 6: (12,), 7: (1, 2)}, CAL)
ADMIN_ID = 4


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """Return an aware Europe/Amsterdam datetime."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


MONDAY = at(2026, 9, 14)  # an ordinary school week
DUE_TOMORROW = at(2026, 9, 15, 17)


def facts(category: str, reporter: str = "child", **kw: object) -> ReportFacts:
    """Build report facts with sensible defaults (Monday 10:00, groep 5)."""
    kw.setdefault("group", 5)
    kw.setdefault("at", MONDAY)
    return ReportFacts(reporter_type=reporter, category=category, **kw)  # type: ignore[arg-type]


def decide(f: ReportFacts, rules: tuple[Rule, ...] = DEFAULT_RULES) -> Decision:
    """Route with the demo school."""
    return route(f, SETUP, rules)


# --- Default rules: one row per docs/DESIGN.md §4 table row ---------------------------------------

@pytest.mark.parametrize(
    ("f", "route_", "primary", "assignees", "informed", "ack", "resolve", "chain", "urgent",
     "rule_id"),
    [
        (facts("bullying"), "rule", "leerkracht", (10,), (11,), DUE_TOMORROW,
         at(2026, 9, 28, 17), ("ib", "directie", "bestuur"), False, 1),
        (facts("cyberbullying", "parent"), "rule", "leerkracht", (10,), (11,), DUE_TOMORROW,
         at(2026, 9, 28, 17), ("ib", "directie", "bestuur"), False, 2),
        (facts("image_shared"), "rule", "anti_pest", (11,), (10,), DUE_TOMORROW,
         at(2026, 9, 28, 17), ("directie", "bestuur"), False, 3),
        (facts("harmful_content"), "rule", "leerkracht", (10,), (11,), DUE_TOMORROW,
         at(2026, 9, 21, 17), ("directie", "bestuur"), False, 4),
        (facts("threat_violence"), "rule", "directie", (4,), (10,), at(2026, 9, 14, 17),
         at(2026, 9, 21, 17), ("bestuur",), True, 5),
        (facts("adult_misconduct", "parent", about_staff_id=10), "rule", "directie", (4,), (7, 8),
         at(2026, 9, 16, 17), at(2026, 10, 12, 17), ("bestuur",), False, 6),
        (facts("home_concern", "staff"), "rule", "ib", (3,), (4,), at(2026, 9, 14, 17), None,
         ("directie",), False, 7),
        (facts("phone_misuse"), "rule", "leerkracht", (10,), (), at(2026, 9, 17, 17),
         at(2026, 9, 28, 17), ("directie",), False, 8),
        (facts("privacy_leak", "parent", school_caused=False), "rule", "fg", (9,), (4,),
         at(2026, 9, 14, 17), at(2026, 9, 28, 17), ("bestuur",), False, 9),
        (facts("other"), "rule", "ib", (3,), (), at(2026, 9, 16, 17), at(2026, 9, 28, 17),
         ("directie",), False, 10),
        # legal routes
        (facts("adult_misconduct", "child", about_staff_id=10, sexual=True), "legal_sexual",
         "bestuur", (5, 6), (4,), at(2026, 9, 14, 14), None, ("bestuur",), True, None),
        (facts("privacy_leak", "staff"), "legal_breach", "fg", (9,), (4,), at(2026, 9, 14, 17),
         None, ("bestuur",), True, None),
        (facts("image_shared", "staff", school_caused=True), "legal_breach", "fg", (9,), (4,),
         at(2026, 9, 14, 17), None, ("bestuur",), True, None),
        (facts("home_concern", danger=True), "legal_danger", "ib", (3,), (4,),
         at(2026, 9, 14, 17), None, ("directie", "bestuur"), True, None),
        (facts("home_concern", disclosure=True), "legal_danger", "ib", (3,), (4,),
         at(2026, 9, 14, 17), None, ("directie", "bestuur"), True, None),
        (facts("threat_violence", danger=True), "legal_danger", "ib", (3,), (4,),
         at(2026, 9, 14, 17), None, ("directie", "bestuur"), True, None),
        # confidential: the VP only, legal klokkenluiders terms, backup VP as chain
        (facts("bullying", "staff", confidential=True), "confidential", "vertrouwenspersoon",
         (7,), (), at(2026, 9, 21, 17), at(2026, 12, 14, 17), ("vertrouwenspersoon",), False,
         None),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_route_table(f: ReportFacts, route_: str, primary: str, assignees: tuple[int, ...],
                     informed: tuple[int, ...], ack: datetime, resolve: datetime | None,
                     chain: tuple[str, ...], urgent: bool, rule_id: int | None) -> None:
    d = decide(f)
    assert d.route == route_
    assert d.primary_role == primary
    assert d.assignee_ids == assignees
    assert d.assignees == tuple(s.email for i in assignees for s in STAFF if s.id == i)
    assert d.informed_ids == informed
    assert d.informed == tuple(s.email for i in informed for s in STAFF if s.id == i)
    assert d.ack_due == ack
    assert d.resolve_due == resolve
    assert d.escalation_chain == chain
    assert d.urgent is urgent
    assert d.rule_id == rule_id
    assert d.reason.startswith("Doorgestuurd naar ")


@pytest.mark.parametrize(
    ("f", "reason"),
    [
        (facts("bullying", "parent"),
         "Doorgestuurd naar de leerkracht van groep 5 omdat: een ouder meldde pesten."),
        (facts("bullying", "child", group=7, at=at(2026, 9, 16)),
         "Doorgestuurd naar de leerkrachten van groep 7 omdat: een kind meldde pesten."),
        (facts("image_shared"),
         "Doorgestuurd naar de anti-pestcoördinator omdat: een kind meldde het delen van een "
         "foto of filmpje zonder toestemming."),
        (facts("other", "staff"),
         "Doorgestuurd naar de IB'er omdat: een medewerker meldde iets anders."),
        (facts("bullying", group=None),
         "Doorgestuurd naar de IB'er omdat: een kind meldde pesten. De groep van het kind is "
         "niet bekend, dus gaat hij naar de IB'er."),
        (facts("bullying", group=6),
         "Doorgestuurd naar de IB'er omdat: een kind meldde pesten. Groep 6 heeft geen actieve "
         "leerkracht, dus gaat hij naar de IB'er."),
        (facts("bullying", "parent", about_staff_id=10),
         "Doorgestuurd naar de IB'er omdat: een ouder meldde pesten. De melding gaat over de "
         "leerkracht zelf, dus gaat hij naar de IB'er."),
        (facts("adult_misconduct", "parent", about_staff_id=4),
         "Doorgestuurd naar het bestuur omdat: een ouder meldde grensoverschrijdend gedrag van "
         "een volwassene. De melding gaat over de directie zelf, dus gaat hij naar het "
         "bestuur."),
    ],
)
def test_reason_is_plain_dutch(f: ReportFacts, reason: str) -> None:
    assert decide(f).reason == reason


# --- Rules of the road ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("f", "primary", "assignees", "chain"),
    [
        (facts("bullying", group=None), "ib", (3,), ("directie", "bestuur")),
        (facts("phone_misuse", group=None), "ib", (3,), ("directie",)),
        (facts("harmful_content", group=None), "ib", (3,), ("directie", "bestuur")),
        (facts("bullying", group=6), "ib", (3,), ("directie", "bestuur")),  # inactive teacher
        (facts("bullying", group=99), "ib", (3,), ("directie", "bestuur")),  # unknown group
    ],
)
def test_no_group_goes_to_ib_never_all_teachers(f: ReportFacts, primary: str,
                                                assignees: tuple[int, ...],
                                                chain: tuple[str, ...]) -> None:
    d = decide(f)
    assert (d.primary_role, d.assignee_ids, d.escalation_chain) == (primary, assignees, chain)


@pytest.mark.parametrize(
    ("f", "primary", "assignees", "informed", "chain"),
    [
        # about the child's leerkracht -> IB'er
        (facts("bullying", about_staff_id=10), "ib", (3,), (11,), ("directie", "bestuur")),
        # about one teacher of a duo -> the role passes on, the duo partner is not assigned
        (facts("bullying", group=7, about_staff_id=1, at=at(2026, 9, 14)), "ib", (3,), (11,),
         ("directie", "bestuur")),
        # about the directie -> bestuur, and directie disappears from the chain
        (facts("threat_violence", about_staff_id=4), "bestuur", (5, 6), (10,), ()),
        (facts("adult_misconduct", about_staff_id=4), "bestuur", (5, 6), (7, 8), ()),
        # about the anti-pestcoördinator: not informed
        (facts("bullying", about_staff_id=11), "leerkracht", (10,), (), ("ib", "directie",
                                                                         "bestuur")),
        # about a bestuur member in the sexual route: the other bestuur member only
        (facts("adult_misconduct", about_staff_id=5, sexual=True), "bestuur", (6,), (4,),
         ("bestuur",)),
        # about the directie in the sexual route: directie not informed
        (facts("adult_misconduct", about_staff_id=4, sexual=True), "bestuur", (5, 6), (),
         ("bestuur",)),
        # about the VP while confidential: the backup VP
        (facts("other", confidential=True, about_staff_id=7), "vertrouwenspersoon", (8,), (),
         ("vertrouwenspersoon",)),
    ],
)
def test_conflict_of_interest(f: ReportFacts, primary: str, assignees: tuple[int, ...],
                              informed: tuple[int, ...], chain: tuple[str, ...]) -> None:
    d = decide(f)
    assert (d.primary_role, d.assignee_ids, d.informed_ids, d.escalation_chain) == (
        primary, assignees, informed, chain,
    )
    subject = f.about_staff_id
    assert subject not in d.assignee_ids + d.informed_ids
    assert d.excluded_ids == (subject,)
    subject_mail = next(s.email for s in STAFF if s.id == subject)
    assert subject_mail not in d.assignees + d.informed


def test_sexual_route_cannot_be_confidential() -> None:
    d = decide(facts("adult_misconduct", "parent", about_staff_id=10, sexual=True,
                     confidential=True))
    assert d.route == "legal_sexual"
    assert d.confidential is False
    assert d.assignee_ids == (5, 6)
    assert d.ack_due == MONDAY + timedelta(hours=4)
    assert any("Vertrouwelijk kan hier niet" in n for n in d.notes)
    assert any("0900-1113111" in n for n in d.notes)


def test_sexual_misconduct_by_another_adult_is_not_the_staff_route() -> None:
    d = decide(facts("adult_misconduct", "child", sexual=True))
    assert d.route == "rule" and d.primary_role == "directie"
    assert any("0800-2000" in n for n in d.notes)


@pytest.mark.parametrize(
    ("t", "legal_local"),
    [
        (at(2026, 9, 14, 10), at(2026, 9, 17, 10)),
        (at(2027, 3, 27, 12), at(2027, 3, 30, 13)),  # summer time starts: 72 real hours
        (at(2026, 10, 24, 12), at(2026, 10, 27, 11)),  # summer time ends
        (at(2026, 12, 24, 20), at(2026, 12, 27, 20)),  # holidays do not stop the clock
    ],
)
def test_data_breach_72_hour_clock(t: datetime, legal_local: datetime) -> None:
    d = decide(facts("privacy_leak", "staff", at=t, confidential=True))
    assert d.route == "legal_breach"
    assert d.legal_due == legal_local
    assert d.legal_due - t == timedelta(hours=72)
    assert d.confidential is False
    assert d.urgent is True


def test_danger_has_veilig_thuis_and_overrides_confidential() -> None:
    d = decide(facts("home_concern", danger=True, confidential=True))
    assert d.route == "legal_danger"
    assert d.reason.startswith("Doorgestuurd naar de IB'er (aandachtsfunctionaris) en de directie")
    assert (d.assignee_ids, d.informed_ids, d.urgent, d.confidential) == ((3,), (4,), True, False)
    assert any("Veilig Thuis: 0800-2000" in n for n in d.notes)


def test_confidential_is_visible_to_the_vp_only() -> None:
    d = decide(facts("bullying", "parent", confidential=True, about_staff_id=10))
    assert d.confidential is True
    assert d.assignee_ids == (7,) and d.informed_ids == ()
    assert d.primary_role == "vertrouwenspersoon"


@pytest.mark.parametrize(
    ("category", "sexual", "police"),
    [("image_shared", True, True), ("harmful_content", True, True),
     ("image_shared", False, False), ("bullying", True, False)],
)
def test_police_note_for_sexual_images(category: str, sexual: bool, police: bool) -> None:
    notes = decide(facts(category, sexual=sexual)).notes
    assert any("betrek de politie" in n for n in notes) is police


# --- Working days (groep 7 duo: 7a Mon+Tue, 7b Wed) -----------------------------------------

@pytest.mark.parametrize(
    ("t", "ack", "informed", "ib_at_once"),
    [
        (at(2026, 9, 14, 10), at(2026, 9, 15, 17), (11,), False),  # Mon: 7a works
        (at(2026, 9, 16, 10), at(2026, 9, 17, 17), (11,), False),  # Wed: 7b works Wed
        (at(2026, 9, 17, 10), at(2026, 9, 18, 17), (11, 3), True),  # Thu: nobody Thu/Fri
        (at(2026, 9, 18, 10), at(2026, 9, 21, 17), (11,), False),  # Fri: 7a works Mon
        (at(2026, 9, 19, 10), at(2026, 9, 21, 17), (11,), False),  # Sat: due Mon, 7a works
    ],
)
def test_duo_workdays(t: datetime, ack: datetime, informed: tuple[int, ...],
                      ib_at_once: bool) -> None:
    d = decide(facts("bullying", "parent", group=7, at=t))
    assert d.assignee_ids == (1, 2)
    assert d.ack_due == ack
    assert d.informed_ids == informed
    assert ("de IB'er meteen geïnformeerd" in d.reason) is ib_at_once


def test_confidential_backup_vp_informed_when_vp_is_absent() -> None:
    absent_vp = replace(SETUP, staff=tuple(
        replace(s, workdays=frozenset({4})) if s.id == 7 else s for s in STAFF
    ))
    d = route(facts("other", confidential=True, at=at(2026, 12, 7)), absent_vp, DEFAULT_RULES)
    # ack in 7 calendar days; Vera works Fridays only -> she works Fri 11 Dec: no backup
    assert d.informed_ids == ()
    d = route(facts("other", confidential=True, at=at(2026, 12, 12)), absent_vp, DEFAULT_RULES)
    # reported Sat 12 Dec, due Sat 19 Dec: Fri 18 Dec is a school day she works
    assert d.informed_ids == ()
    gone = replace(absent_vp, staff=tuple(
        replace(s, workdays=frozenset({5})) if s.id == 7 else s for s in STAFF
    ))
    d = route(facts("other", confidential=True), gone, DEFAULT_RULES)
    assert d.informed_ids == (8,)


# --- Rule selection ---------------------------------------------------------------------------

STAFF_ONLY = Rule(50, 5, "bullying", frozenset({"staff"}), "anti_pest", (), "2d", "10d",
                  ("directie",))
DISABLED = Rule(51, 1, "bullying", frozenset(), "directie", (), "1d", "10d", (), enabled=False)


@pytest.mark.parametrize(
    ("reporter", "rules", "rule_id", "primary"),
    [
        ("staff", (STAFF_ONLY, *DEFAULT_RULES), 50, "anti_pest"),
        ("parent", (STAFF_ONLY, *DEFAULT_RULES), 1, "leerkracht"),
        ("child", (DISABLED, *DEFAULT_RULES), 1, "leerkracht"),
        ("child", (), None, "ib"),  # nothing matches: fallback to the IB'er
    ],
)
def test_rule_selection(reporter: str, rules: tuple[Rule, ...], rule_id: int | None,
                        primary: str) -> None:
    d = decide(facts("bullying", reporter), rules)
    assert (d.rule_id, d.primary_role) == (rule_id, primary)
    assert d.route == ("rule" if rule_id else "fallback")


@pytest.mark.parametrize(
    ("fallback", "rules", "ack", "resolve"),
    [
        (None, (), at(2026, 9, 16, 17), at(2026, 9, 28, 17)),  # built-in 2d / 10d
        (("1d", "5d"), (), at(2026, 9, 15, 17), at(2026, 9, 21, 17)),  # the school's defaults
        (("4h", ""), (), at(2026, 9, 14, 14), None),  # no resolve deadline at all
        (("1d", "5d"), DEFAULT_RULES, at(2026, 9, 15, 17), at(2026, 9, 28, 17)),  # rule 1 wins
    ],
)
def test_fallback_uses_the_schools_default_deadlines(
        fallback: tuple[str, str] | None, rules: tuple[Rule, ...], ack: datetime,
        resolve: datetime | None) -> None:
    setup = SETUP if fallback is None else replace(SETUP, fallback=fallback_rule(*fallback))
    d = route(facts("bullying"), setup, rules)
    assert (d.ack_due, d.resolve_due) == (ack, resolve)
    assert d.route == ("rule" if rules else "fallback")


def test_default_rules_are_valid_and_unique() -> None:
    for rule in DEFAULT_RULES:
        rule.validate()
    assert len({r.category for r in DEFAULT_RULES}) == len(DEFAULT_RULES)
    assert len({r.id for r in DEFAULT_RULES}) == len(DEFAULT_RULES)


def test_nobody_available_is_explained() -> None:
    empty = SchoolSetup((staff(1, "x"),), {}, CAL)
    d = route(facts("other"), empty, DEFAULT_RULES)
    assert d.assignee_ids == ()
    assert "de beheerder moet dit oplossen" in d.reason

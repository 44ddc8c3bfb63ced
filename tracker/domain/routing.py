"""Pure routing: (report facts, school setup, rules) -> decision (docs/DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tracker.domain import routing_text as txt
from tracker.domain.calendar import DeadlineSpec, SchoolCalendar, add_hours, local_date
from tracker.domain.categories import get_category
from tracker.domain.roles import SUCCESSOR, Role
from tracker.domain.rules import FALLBACK_RULE, Rule, first_matching

WEEKDAYS = frozenset(range(5))
_IMAGE_CATEGORIES = frozenset({"image_shared", "harmful_content"})


@dataclass(frozen=True, kw_only=True)
class ReportFacts:
    """What routing needs to know about a report.

    school_caused=None means "category default": True for privacy_leak, else False.
    about_staff marks a report about a staff member; about_staff_id names them (None = the
    reporter named nobody: see tracker.domain.subject).
    """

    reporter_type: str
    category: str
    at: datetime
    group: int | None = None
    about_staff_id: int | None = None
    about_staff: bool = False
    sexual: bool = False
    danger: bool = False
    confidential: bool = False
    school_caused: bool | None = None
    disclosure: bool = False

    @property
    def is_about_staff(self) -> bool:
        """Return whether the report is about a staff member, named or not."""
        return self.about_staff or self.about_staff_id is not None

    @property
    def is_about_unnamed_staff(self) -> bool:
        """Return whether the report is about a staff member nobody named."""
        return self.about_staff and self.about_staff_id is None

    @property
    def is_school_caused(self) -> bool:
        """Return whether the school itself caused the leak or sharing."""
        if self.school_caused is None:
            return self.category == "privacy_leak"
        return self.school_caused and self.category in ("privacy_leak", "image_shared")


@dataclass(frozen=True)
class StaffMember:
    """A staff member as routing sees them; workdays 0=Mon..6=Sun, empty = unknown (all)."""

    id: int
    email: str
    name: str
    roles: frozenset[str]
    workdays: frozenset[int] = WEEKDAYS
    active: bool = True

    def works_on(self, weekday: int) -> bool:
        """Return True when this person works on the weekday (unknown = yes)."""
        return not self.workdays or weekday in self.workdays


@dataclass(frozen=True)
class SchoolSetup:
    """Staff, groups (group number -> teacher staff ids), the school calendar, and the rule
    for reports no rule matches (the school's default deadlines; see fallback_rule())."""

    staff: tuple[StaffMember, ...]
    groups: Mapping[int, tuple[int, ...]]
    calendar: SchoolCalendar = field(default_factory=SchoolCalendar)
    fallback: Rule = FALLBACK_RULE

    def people(self, role: str, group: int | None = None) -> list[StaffMember]:
        """Return the active people holding role; leerkracht means the group's teachers."""
        if role == Role.LEERKRACHT:
            ids = self.groups.get(group, ()) if group is not None else ()
            return [s for s in self.staff if s.id in ids and s.active]
        return [s for s in self.staff if role in s.roles and s.active]


@dataclass(frozen=True)
class Decision:
    """Who gets a report, by when, along which chain, and why."""

    primary_role: str
    assignee_ids: tuple[int, ...]
    assignees: tuple[str, ...]
    informed_ids: tuple[int, ...]
    informed: tuple[str, ...]
    confidential: bool
    urgent: bool
    ack_due: datetime | None
    resolve_due: datetime | None
    legal_due: datetime | None
    escalation_chain: tuple[str, ...]
    reason: str
    rule_id: int | None
    route: str
    notes: tuple[str, ...] = ()
    excluded_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Plan:
    """A route before people are resolved."""

    route: str
    primary: str
    informed: tuple[str, ...]
    ack: str
    resolve: str
    chain: tuple[str, ...]
    cause: str
    urgent: bool = False
    confidential: bool = False
    rule_id: int | None = None
    legal_hours: int | None = None
    notes: tuple[str, ...] = ()
    unnamed_staff: bool = False


def route(facts: ReportFacts, setup: SchoolSetup, rules: Sequence[Rule]) -> Decision:
    """Decide who handles a report, applying the rules of the road in order."""
    plan = _plan(facts, list(rules), setup.fallback)
    return _resolve(plan, facts, setup)


def fallback_rule(ack: str, resolve: str) -> Rule:
    """Return the rule for reports no rule matches, with the school's default deadlines."""
    return replace(FALLBACK_RULE, ack=ack, resolve=resolve)


def _plan(facts: ReportFacts, rules: list[Rule], fallback: Rule = FALLBACK_RULE) -> _Plan:
    """Pick the legal route, the confidential route or the first matching rule."""
    extra: list[str] = []
    if facts.sexual and facts.category in _IMAGE_CATEGORIES:
        extra.append(txt.NOTE_POLICE_IMAGES)
    legal = _legal_plan(facts)
    if legal is not None:
        if facts.confidential:
            extra.insert(0, txt.NOT_CONFIDENTIAL[legal.route])
        return _with_notes(legal, extra)
    if facts.confidential:
        return _Plan(
            "confidential", Role.VERTROUWENSPERSOON, (), "7cd", "3m", (Role.VERTROUWENSPERSOON,),
            txt.CAUSE_CONFIDENTIAL, confidential=True, notes=(txt.NOTE_CONFIDENTIAL,),
        )
    rule = first_matching(rules, facts.category, facts.reporter_type) or fallback
    cause = txt.rule_cause(facts.reporter_type, get_category(facts.category).reason_nl)
    if facts.category == "adult_misconduct" and facts.sexual:
        extra.append(txt.NOTE_SEXUAL_OTHER_ADULT)
    if facts.category == "home_concern":
        extra.append(txt.NOTE_MELDCODE)
    if facts.is_about_unnamed_staff:
        return _unnamed_staff_plan(rule, cause, tuple(extra))
    return _Plan(
        "rule" if rule.id is not None else "fallback", rule.primary_role, rule.informed_roles,
        rule.ack, rule.resolve, rule.chain, cause, urgent=rule.urgent, rule_id=rule.id,
        notes=tuple(extra),
    )


def _unnamed_staff_plan(rule: Rule, cause: str, notes: tuple[str, ...]) -> _Plan:
    """Route a report about a staff member nobody named: never to the group's teachers (one
    of them may be the subject), but to the directie, along the rule's deadlines."""
    informed = tuple(r for r in rule.informed_roles
                     if r not in (Role.LEERKRACHT, Role.DIRECTIE))
    chain = rule.chain
    if Role.DIRECTIE in chain:
        chain = chain[chain.index(Role.DIRECTIE) + 1:]
    chain = tuple(r for r in chain if r not in (Role.LEERKRACHT, Role.DIRECTIE)) or (
        Role.BESTUUR,)
    return _Plan(
        "rule" if rule.id is not None else "fallback", Role.DIRECTIE, informed, rule.ack,
        rule.resolve, chain, cause, urgent=rule.urgent, rule_id=rule.id,
        notes=notes, unnamed_staff=True,
    )


def _legal_plan(facts: ReportFacts) -> _Plan | None:
    """Return the legal route that applies, if any."""
    if facts.category == "adult_misconduct" and facts.sexual and facts.is_about_staff:
        return _Plan(
            "legal_sexual", Role.BESTUUR, (Role.DIRECTIE,), "4h", "", (Role.BESTUUR,),
            txt.CAUSE_SEXUAL, urgent=True, notes=txt.NOTES_SEXUAL,
        )
    if facts.is_school_caused:
        return _Plan(
            "legal_breach", Role.FG, (Role.DIRECTIE,), "same_day", "", (Role.BESTUUR,),
            txt.CAUSE_BREACH, urgent=True, legal_hours=72, notes=(txt.NOTE_BREACH,),
        )
    if facts.danger or (facts.category == "home_concern" and facts.disclosure):
        return _Plan(
            "legal_danger", Role.IB, (Role.DIRECTIE,), "same_day", "",
            (Role.DIRECTIE, Role.BESTUUR), txt.CAUSE_DANGER, urgent=True,
            notes=txt.NOTES_DANGER,
        )
    return None


def _with_notes(plan: _Plan, extra: list[str]) -> _Plan:
    """Return plan with extra notes appended."""
    return _Plan(**{**plan.__dict__, "notes": plan.notes + tuple(extra)})


def _next_role(role: str, chain: tuple[str, ...], tried: set[str]) -> str | None:
    """Return who takes over from role: leerkracht -> ib, else the next in the chain."""
    candidates: list[str] = []
    if role == Role.LEERKRACHT:
        candidates.append(Role.IB)
    if role in chain:
        candidates.extend(chain[chain.index(role) + 1:])
    else:
        candidates.extend(chain)
    candidates.append(SUCCESSOR.get(role, ""))
    return next((c for c in candidates if c and c not in tried), None)


def _pick_primary(plan: _Plan, facts: ReportFacts, setup: SchoolSetup,
                  said: list[str]) -> tuple[str, list[StaffMember]]:
    """Resolve the primary role to people, passing it on for conflicts or vacancies."""
    subject, role, tried = facts.about_staff_id, plan.primary, set()
    if plan.route == "confidential":
        vps = [s for s in setup.people(role) if s.id != subject]
        if not vps:
            said.append(txt.NO_VP)
        return role, vps[:1]
    while role:
        tried.add(role)
        people = setup.people(role, facts.group)
        holds = any(s.id == subject for s in people)
        nxt = _next_role(role, plan.chain, tried)
        if people and not holds:
            return role, people
        if holds and nxt is None:
            return role, [s for s in people if s.id != subject]
        if nxt is None:
            break
        said.append(txt.passed_on(role, nxt, facts.group, holds))
        role = nxt
    said.append(txt.NOBODY)
    return role or plan.primary, []


def _resolve(plan: _Plan, facts: ReportFacts, setup: SchoolSetup) -> Decision:
    """Turn a plan into a decision with people, deadlines and a reason."""
    said: list[str] = [txt.UNNAMED_STAFF] if plan.unnamed_staff else []
    subject = facts.about_staff_id
    primary, assignees = _pick_primary(plan, facts, setup, said)
    assignee_ids = [s.id for s in assignees]
    informed: list[StaffMember] = []
    for role in plan.informed:
        people = setup.people(role, facts.group)
        if role == primary or not people:
            continue
        if any(s.id == subject for s in people):
            said.append(txt.not_informed(role))
            continue
        informed.extend(s for s in people if s.id not in assignee_ids)

    held_by_subject = {r for r in plan.chain if any(s.id == subject for s in setup.people(r))}
    chain = plan.chain
    if chain != (plan.primary,):
        chain = chain[chain.index(primary) + 1:] if primary in chain else chain
        chain = tuple(r for r in chain if r != primary and r not in held_by_subject)

    cal = setup.calendar
    ack_due = DeadlineSpec.parse(plan.ack).due(cal, facts.at)
    resolve_due = DeadlineSpec.parse(plan.resolve).due(cal, facts.at)
    legal_due = add_hours(facts.at, plan.legal_hours) if plan.legal_hours else None

    if chain and ack_due is not None and not _anyone_works(assignees, cal, facts.at, ack_due):
        for role in chain:
            extra = [
                s for s in setup.people(role, facts.group)
                if s.id not in assignee_ids and s.id != subject
            ]
            if extra:
                informed.extend(extra)
                said.append(txt.nobody_works(role, bool(assignees)))
                break

    informed = [s for s in dict.fromkeys(informed) if s.id != subject]
    target = txt.target(primary, facts.group, len(assignees), plan.route)
    reason = " ".join([f"Doorgestuurd naar {target} omdat: {plan.cause}.", *said])
    return Decision(
        primary_role=str(primary),
        assignee_ids=tuple(assignee_ids),
        assignees=tuple(s.email for s in assignees),
        informed_ids=tuple(s.id for s in informed),
        informed=tuple(s.email for s in informed),
        confidential=plan.confidential,
        urgent=plan.urgent,
        ack_due=ack_due,
        resolve_due=resolve_due,
        legal_due=legal_due,
        escalation_chain=tuple(str(r) for r in chain),
        reason=reason,
        rule_id=plan.rule_id,
        route=plan.route,
        notes=plan.notes,
        excluded_ids=(subject,) if subject is not None else (),
    )


def _anyone_works(people: list[StaffMember], cal: SchoolCalendar, at: datetime,
                  due: datetime) -> bool:
    """Return True when someone works on a school day from at's date to due's date."""
    days = cal.school_days(local_date(at), local_date(due))
    return any(p.works_on(d.weekday()) for p in people for d in days)

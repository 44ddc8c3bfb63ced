"""Who sees what, explored: issue 11's promises as a stateful property-based test (item 11).

A hypothesis `RuleBasedStateMachine` plays the demo school through HTTP, as its people do:
parents send reports on /melden, staff on /cases/new, children tap them in at an enrolled
kiosk; staff (each in their own browser, logged in with their second factor where their role
needs one) open cases and use whatever form the case page renders; reporters answer at /volgen;
time passes and the tick escalates, reminds and sends the digest and the outbox to a real SMTP
server; the admin deactivates colleagues (their open cases handed to a successor the admin
picks) and changes people's roles, on the admin pages. Each report is about a child, a named
staff member, an unnamed staff member or someone else, may be confidential, about danger or
sexual, anonymous or not.

After every step these promises are checked:

1. the subject: the staff member a report names never sees the case: not in their queue or its
   counts, not on a case page (404), not in any mail or digest, never on the case; a report
   about an unnamed staff member is routed to none of the group's teachers;
2. confidential: a confidential case reaches the vertrouwenspersoon only (the legal routes
   aside): not the directie, not an admin, not in their lists, pages or mail;
3. reasons: everyone on a case (participant or action owner) is there for a reason its
   timeline names, and nobody becomes a participant by a form's default;
4. no response is a 5xx.

Profiles (`TRACKER_INVARIANTS_PROFILE`): "ci" (default) is derandomized and bounded so that the
run is the same every time and takes well under a minute per database, with at least
`MIN_CI_STEPS` steps; it prints a failure's whole sequence without shrinking it, and
"ci-shrink" replays the same run and shrinks the failure to a minimal sequence. "fuzz"
(`make fuzz`) runs long and random, keeping failing examples in hypothesis' example database
(.hypothesis/) so they are replayed first next time.

A promise that main breaks today because of a finding another engineer is fixing is skipped
by `skip_known_broken(finding, ...)` while that finding is listed in KNOWN_BROKEN (the skip is
counted and printed); remove the entry when the fix is on main, and the check is enforced.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from evidence_files import png_screenshot
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import orm

from tests.conftest import enrol_kiosk, login
from tests.forms import find_form, parse_forms, submit
from tracker import create_app
from tracker.domain.categories import categories_for
from tracker.domain.evidence import uploads_forbidden
from tracker.escalation.tick import run_tick
from tracker.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseParticipant,
    Evidence,
    OutboxMail,
    User,
)
from tracker.setup.demo import PEOPLE

# --- known findings (issue 11) that main still has -------------------------------------------
# finding number -> what is skipped. Delete an entry as soon as its fix is on main.
KNOWN_BROKEN: dict[int, str] = {}

# --- profiles ---------------------------------------------------------------------------------
MIN_CI_STEPS = 200
_COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck))
# CI does not shrink a failure (shrinking HTTP steps can take minutes): it prints the whole
# failing sequence; TRACKER_INVARIANTS_PROFILE=ci-shrink replays the same run and shrinks it.
_CI = dict(max_examples=9, stateful_step_count=40, derandomize=True, database=None, **_COMMON)
settings.register_profile("invariants-ci", phases=[Phase.explicit, Phase.generate], **_CI)
settings.register_profile("invariants-ci-shrink", **_CI)
settings.register_profile("invariants-fuzz", max_examples=int(os.environ.get(
    "TRACKER_FUZZ_EXAMPLES", "300")), stateful_step_count=80, derandomize=False,
    print_blob=True, **_COMMON)
PROFILE = os.environ.get("TRACKER_INVARIANTS_PROFILE", "ci")

DOMAIN = "demo.meldpunt.test"
EVERYONE = [p.local for p in PEOPLE]
# Who a reporter can name (the form lists the staff who work with the children).
NAMEABLE = [p.local for p in PEOPLE
            if {r.value for r in p.roles} & {"leerkracht", "ib", "anti_pest", "directie"}]
TEACHERS = {n: [p.local for p in PEOPLE if n in p.groups] for n in range(1, 9)}
# The school's vertrouwenspersoon, appointed when the school was set up.
APPOINTED_VP = {"vp"}
NOT_VP_OVERSEERS = ("directie", "admin")  # see everything ordinary; must not see the sealed
ADMIN = "admin"  # who works the admin pages (never deactivated: someone must stay admin)
# Roles the admin toggles: none needs a second factor (a new 2FA role needs the person's own
# mailbox first, issue 11.5), and the vertrouwenspersoon's own role, whose removal the last
# holder's guard refuses.
TOGGLED_ROLES = ("leerkracht", "ib", "anti_pest")
MAX_DEACTIVATED = 2  # per example: the school keeps enough people to work
CASE_FORM = re.compile(r"^/cases/(\d+)/(acknowledge|meldcode/\d|[a-z_]+)$")
CASE_IN_MAIL = re.compile(r"/cases/(\d+)|\(#(\d+)\)|#(\d+)\b")
QUEUE_LINK = re.compile(r'href="/(?:cases|vertrouwelijk)/(\d+)"')
COUNT = re.compile(r'<span class="count">(\d+)</span>')
CODE = re.compile(r'<p class="code"[^>]*>(.*?)</p>', re.S)
SCREENSHOT = png_screenshot((24, 16))
PARENT_CATEGORIES = [c.key for c in categories_for("parent")]
STAFF_CATEGORIES = [c.key for c in categories_for("staff")]
CHILD_CATEGORIES = [c.key for c in categories_for("child")]


@dataclass
class Stats:
    examples: int = 0
    steps: int = 0
    requests: int = 0
    rules: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (f"invariants [{PROFILE}]: {self.examples} examples, {self.steps} steps, "
                f"{self.requests} requests; rules {dict(self.rules)}; checks "
                f"{dict(self.checks)}; action answers {dict(self.statuses)}; known-broken "
                f"skips {dict(self.known) or 'none'}")


STATS = Stats()


def skip_known_broken(finding: int, message: str) -> None:
    """A promise main breaks today because of a listed finding: count it instead of failing.

    Once the finding is no longer in KNOWN_BROKEN this fails like any broken promise.
    """
    if finding in KNOWN_BROKEN:
        STATS.known[f"finding {finding}"] += 1
        return
    raise AssertionError(f"issue 11 finding {finding} is back: {message}")


class Browser(FlaskClient):
    """A test client that counts its requests and never accepts a 5xx."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        STATS.requests += 1
        request = response.request
        assert response.status_code < 500, (
            f"{response.status_code} on {request.method} {request.path}")
        return response


@dataclass
class Expected:
    """What the test knows about a case from what the reporter did (not from the app)."""

    id: int
    channel: str
    subject: str | None  # the staff member the reporter picked
    unnamed_staff: bool  # "a staff member", without a name
    asked_confidential: bool
    group: int | None
    code: str | None = None  # the text receipt code shown to the reporter


class WhoSeesWhat(RuleBasedStateMachine):
    """The demo school, driven through HTTP; the promises checked after every step."""

    database = None  # the session's ScratchDatabase, set by the test
    smtp = None  # the SMTPRecorder, set by the test

    def __init__(self) -> None:
        super().__init__()
        STATS.examples += 1
        self.conn = self.database.engine.connect()
        self.outer = self.conn.begin()
        self.app = create_app({"TESTING": True, "DATABASE_URL": self.database.url,
                               "SERVER_NAME": "meldpunt.test", "RATELIMIT_ENABLED": False})
        self.app.extensions["tracker.sessionmaker"] = orm.sessionmaker(
            bind=self.conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
        self.app.test_client_class = Browser
        self.smtp.configure(self.app)
        self.smtp.messages.clear()
        self.db = self.app.extensions["tracker.sessionmaker"]()
        users = self.db.scalars(sa.select(User).where(User.email.like(f"%@{DOMAIN}")))
        self.ids = {u.email.split("@")[0]: u.id for u in users}
        self.who_by_id = {i: w for w, i in self.ids.items()}
        self.names = {w: self.db.get(User, i).name for w, i in self.ids.items()}
        self.who_by_name = {n: w for w, n in self.names.items()}
        self.browsers: dict[str, Browser] = {}
        self.kiosk: Browser | None = None
        self.cases: dict[int, Expected] = {}
        self.touched: set[int] = set()
        self.inactive: set[str] = set()
        self.clock = datetime.now(UTC)
        self.serial = 0
        self.mail_seen = 0  # outbox rows and SMTP messages already checked
        self.smtp_seen = 0

    def teardown(self) -> None:
        self.db.close()
        self.outer.rollback()
        self.conn.close()

    # --- helpers ------------------------------------------------------------------------------
    def browser(self, who: str) -> Browser:
        """Return the person's own browser, logged in the way they log in."""
        if who not in self.browsers:
            client = self.app.test_client()
            login(client, who)
            self.browsers[who] = client
        return self.browsers[who]

    def fresh(self) -> orm.Session:
        self.db.expire_all()
        return self.db

    def text(self, what: str) -> str:
        self.serial += 1
        return f"{what} {self.serial}"

    def active(self, people) -> list[str]:
        return [w for w in people if w not in self.inactive]

    def touched_since(self, last_event: int) -> None:
        """Mark the cases that got a timeline event after `last_event` as touched."""
        self.touched |= set(self.fresh().scalars(sa.select(CaseEvent.case_id).where(
            CaseEvent.id > last_event)))

    def last_event(self) -> int:
        return self.fresh().scalar(sa.select(sa.func.max(CaseEvent.id))) or 0

    def step(self, name: str) -> None:
        STATS.steps += 1
        STATS.rules[name] += 1

    def new_case_id(self, before: int) -> int:
        newest = self.fresh().scalar(sa.select(sa.func.max(Case.id)))
        assert newest is not None and newest > before, "the report made no case"
        return newest

    def newest_id(self) -> int:
        return self.fresh().scalar(sa.select(sa.func.max(Case.id))) or 0

    # --- reports ------------------------------------------------------------------------------
    def _report_data(self, data, categories: list[str], *, parent: bool) -> tuple[dict, dict]:
        category = data.draw(st.one_of(st.sampled_from(["adult_misconduct", "bullying"]),
                                       st.sampled_from(categories)), label="category")
        about = data.draw(st.sampled_from(["child", "staff", "other"]), label="about_kind")
        picked = data.draw(st.one_of(st.none(), st.sampled_from(self.active(NAMEABLE))),
                           label="picked")
        group = data.draw(st.one_of(st.none(), st.integers(1, 8)), label="group")
        flags = {k: data.draw(st.booleans(), label=k) for k in ("danger", "sexual",
                                                                "confidential")}
        form = {"category": category, "description": self.text("Wat er gebeurde"),
                "group": str(group) if group else "", "about_kind": about,
                "about_staff": str(self.ids[picked]) if picked else "",
                "about_text": data.draw(st.sampled_from(["", "de juf", "een kind uit groep 6"]),
                                        label="about_text"), **flags}
        if parent:
            identity = data.draw(st.sampled_from(["anonymous", "email", "all"]),
                                 label="identity")
            if identity != "anonymous":
                form["email"] = f"ouder{self.serial}@example.org"
            if identity == "all":
                form |= {"name": "Ouder van Dam", "phone": "06-12345678"}
        facts = {"subject": picked, "unnamed_staff": about == "staff" and not picked,
                 "asked_confidential": flags["confidential"], "group": group}
        return form, facts

    def _receipt(self, client, url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        found = CODE.search(html)
        assert found, f"{url} shows no receipt code"
        return "".join(re.findall(r'<span class="group">([A-Z0-9]{4})</span>', found.group(1)))

    @rule(data=st.data())
    def a_parent_reports(self, data) -> None:
        self.step("parent_report")
        form, facts = self._report_data(data, PARENT_CATEGORIES, parent=True)
        # A screenshot where the form takes one: its file must follow the case's access.
        if data.draw(st.booleans(), label="evidence") and not uploads_forbidden(
                form["category"], sexual=form["sexual"]):
            form["evidence"] = (io.BytesIO(SCREENSHOT), "schermafbeelding.png")
        before = self.newest_id()
        client = self.app.test_client()
        response = submit(client, "/melden", form)
        assert response.status_code == 303, (form, response.get_data(as_text=True)[:3000])
        case_id = self.new_case_id(before)
        self.cases[case_id] = Expected(case_id, "web", code=self._receipt(
            client, "/melden/bedankt"), **facts)
        self.touched.add(case_id)

    @rule(data=st.data())
    def a_staff_member_reports(self, data) -> None:
        self.step("staff_report")
        reporter = data.draw(st.sampled_from(self.active(EVERYONE)), label="reporter")
        form, facts = self._report_data(data, STAFF_CATEGORIES, parent=False)
        before = self.newest_id()
        client = self.browser(reporter)
        response = submit(client, "/cases/new", form)
        assert response.status_code == 303, (form, response.get_data(as_text=True)[:3000])
        case_id = self.new_case_id(before)
        self.cases[case_id] = Expected(case_id, "staff", code=self._receipt(
            client, "/cases/new/bedankt"), **facts)
        self.touched.add(case_id)

    @rule(category=st.sampled_from(CHILD_CATEGORIES), named=st.booleans(),
          group=st.one_of(st.none(), st.integers(1, 8)), danger=st.booleans(),
          talk=st.booleans())
    def a_child_reports_at_the_kiosk(self, category, named, group, danger, talk) -> None:
        self.step("kiosk_report")
        if self.kiosk is None:
            self.kiosk = self.app.test_client()
            enrol_kiosk(self.kiosk, self.db)
        kiosk, before = self.kiosk, self.newest_id()

        def tap(url: str, choice: str, **extra):
            response = submit(kiosk, url, extra, button=choice)
            assert response.status_code == 303, (url, response.status_code)
            return response

        tap("/kiosk/", category)
        tap("/kiosk/waar", "school")
        if named:
            tap("/kiosk/wie", "name")
            tap("/kiosk/naam", str(group or ""), name="Sam")
        else:
            tap("/kiosk/wie", "anonymous")
        tap("/kiosk/gevaar", "yes" if danger else "no")
        if not danger:
            tap("/kiosk/praten", "yes" if talk else "no", text=self.text("Op het plein"))
        assert kiosk.get("/kiosk/klaar").status_code == 200
        case_id = self.new_case_id(before)
        self.cases[case_id] = Expected(case_id, "kiosk", None, False, False,
                                       group if named else None)
        self.touched.add(case_id)

    # --- work on cases ------------------------------------------------------------------------
    def _people_on(self, case_id: int) -> list[str]:
        return [self.who_by_id[i] for i in self.fresh().scalars(
            sa.select(CaseParticipant.user_id).where(CaseParticipant.case_id == case_id))
            if i in self.who_by_id]

    # Work on cases is most of what happens: one rule per kind of work (so hypothesis picks
    # work more often than reports), each using the form the page renders for it, or any
    # other form the page offers when the case's state has no such form.
    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_takes_a_case_on(self, data) -> None:
        self.work(data, "take_on", {"acknowledge", "start"})

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_adds_an_action(self, data) -> None:
        self.work(data, "add_action", {"action", "complete_action"})

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_reassigns_a_case(self, data) -> None:
        self.work(data, "assign", {"assign"})

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_writes(self, data) -> None:
        self.work(data, "write", {"message", "note"})

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_settles_a_case(self, data) -> None:
        self.work(data, "settle", {"resolve", "record_check", "close", "reopen"})

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def someone_uses_another_tool(self, data) -> None:
        self.work(data, "other", set())

    def work(self, data, name: str, wanted: set[str]) -> None:
        self.step(name)
        # Mostly one of the newest cases, so that cases live long enough to be resolved,
        # closed and reopened; sometimes any case.
        recent = data.draw(st.integers(0, 3), label="a recent case") > 0
        case_id = data.draw(st.sampled_from(sorted(self.cases)[-3:] if recent
                                            else sorted(self.cases)), label="case")
        sealed = self.fresh().get(Case, case_id).confidential
        # Mostly someone who has the case; sometimes anyone at all (who should get a 404).
        on_case = self._people_on(case_id) + ["vp" if sealed else "directie"]
        anyone = data.draw(st.integers(0, 4), label="anyone at all") == 0
        who = data.draw(st.sampled_from(self.active(EVERYONE if anyone else on_case)),
                        label="who")
        client = self.browser(who)
        url = f"/vertrouwelijk/{case_id}" if sealed else f"/cases/{case_id}"
        page = client.get(url)
        if page.status_code == 404:
            STATS.statuses["not theirs (404)"] += 1
            return
        assert page.status_code == 200, (url, page.status_code)
        forms = [f for f in parse_forms(page.get_data(as_text=True), f"http://meldpunt.test{url}")
                 if f.method == "post" and CASE_FORM.match(_path(f.action))]
        forms = [f for f in forms if CASE_FORM.match(_path(f.action)).group(2) in wanted] \
            or forms
        if not forms:
            return
        form = data.draw(st.sampled_from(forms), label="form")
        action = CASE_FORM.match(_path(form.action)).group(2)
        values, default_owner = self._fill(data, form, action)
        people_before = set(self._people_on(case_id))
        actions_before = set(self.fresh().scalars(
            sa.select(CaseAction.id).where(CaseAction.case_id == case_id)))
        response = submit(client, url, values, action=_path(form.action), page=page)
        STATS.statuses[f"{action}:{response.status_code}"] += 1
        # The form as rendered, filled with valid values, by the only person at work: done,
        # or refused with a message on the case page; never 422 (invalid) or 409 (stale).
        assert response.status_code == 303, (action, values, response.status_code,
                                              response.get_data(as_text=True)[:3000])
        self.touched.add(case_id)
        if action == "link" and str(values.get("link-other", "")).isdigit():
            self.touched.add(int(values["link-other"]))
        if action == "action" and default_owner and response.status_code == 303:
            self._nobody_by_default(case_id, who, people_before, actions_before)

    def _fill(self, data, form, action: str) -> tuple[dict, bool]:
        """Fill the fields the form renders as a person would; return (values, owner left
        as the form had it)."""
        values: dict[str, object] = {}
        default_owner = False
        prefix = action.replace("/", "")
        for control in form.controls:
            name = control.name
            if not name or control.type in ("hidden", "submit", "button") or name in values:
                continue
            field_name = name.removeprefix(f"{prefix}-")
            if action == "assign" and field_name in ("user", "role"):
                continue
            if action == "action" and field_name == "owner":
                default_owner = data.draw(st.booleans(), label="leave owner as it is")
                if not default_owner:
                    values[name] = data.draw(st.sampled_from(control.choices), label="owner")
                continue
            if field_name == "other":
                values[name] = str(data.draw(st.sampled_from(sorted(self.cases)),
                                             label="link to"))
            elif control.tag == "select":
                choices = [c for c in control.choices if c not in ("", "0")]
                if choices:
                    values[name] = data.draw(st.sampled_from(choices), label=field_name)
            elif control.type == "radio":
                offered = [c.value for c in form.controls if c.name == name]
                values[name] = data.draw(st.sampled_from(offered), label=field_name)
            elif control.type == "checkbox":
                values[name] = data.draw(st.booleans(), label=field_name)
            elif control.type == "date":
                day = self.clock.date() + timedelta(days=data.draw(st.integers(0, 20),
                                                                   label="days ahead"))
                values[name] = day.isoformat()
            else:
                values[name] = self.text(field_name)
        if action == "assign":
            user = next(c for c in form.controls if c.name == "assign-user")
            role = next(c for c in form.controls if c.name == "assign-role")
            if data.draw(st.booleans(), label="assign to a person"):
                values["assign-user"] = data.draw(st.sampled_from(
                    [c for c in user.choices if c != "0"]), label="assign to")
            else:
                values["assign-role"] = data.draw(st.sampled_from(
                    [c for c in role.choices if c]), label="assign to role")
        return values, default_owner

    def _nobody_by_default(self, case_id: int, actor: str, before: set[str],
                           actions_before: set[int]) -> None:
        """Promise 3: a form's default adds nobody; an action's owner defaults to its author."""
        STATS.checks["nobody by default"] += 1
        added = set(self._people_on(case_id)) - before - {actor}
        new = self.fresh().scalars(sa.select(CaseAction).where(
            CaseAction.case_id == case_id, CaseAction.id.not_in(actions_before or {0})))
        owners = {self.who_by_id.get(a.owner_id) for a in new}
        if added or owners - {actor}:
            skip_known_broken(2, f"{actor} added an action to case {case_id} without "
                                 f"choosing an owner: owner {owners}, added {added}")

    @precondition(lambda self: any(c.code for c in self.cases.values()))
    @rule(data=st.data())
    def a_reporter_answers(self, data) -> None:
        self.step("reporter_replies")
        case_id = data.draw(st.sampled_from(sorted(i for i, c in self.cases.items() if c.code)),
                            label="case")
        client = self.app.test_client()
        response = submit(client, "/volgen/", {"code": self.cases[case_id].code})
        if response.status_code == 200:  # a closed case's code has expired
            assert "verlopen" in response.get_data(as_text=True) or \
                self.fresh().get(Case, case_id).closed_at is not None
            return
        assert response.status_code == 303, response.status_code
        response = submit(client, "/volgen/melding", {"body": self.text("Het gaat nog door")})
        assert response.status_code == 303, response.status_code
        self.touched.add(case_id)

    @rule(hours=st.integers(1, 80))
    def time_passes(self, hours: int) -> None:
        """The tick at a later moment: escalations, reminders, the digest and the outbox."""
        self.step("tick")
        self.clock += timedelta(hours=hours)
        last_event = self.last_event()
        with self.app.app_context():
            session = self.app.extensions["tracker.sessionmaker"]()
            try:
                run_tick(session, self.clock)
            finally:
                session.close()
        self.touched_since(last_event)

    # --- the admin ----------------------------------------------------------------------------
    def _admin_form(self, who: str, url: str):
        admin = self.browser(ADMIN)
        page = admin.get(url)
        assert page.status_code == 200, (url, page.status_code)
        return admin, page, find_form(page.get_data(as_text=True), page_url=url, action=url)

    def _admin_answer(self, response, url: str) -> bool:
        """Return whether the admin's change was made; a refusal says why on the page."""
        if response.status_code == 303:
            return True
        assert response.status_code == 422, (url, response.status_code)
        assert 'class="flash flash-error"' in response.get_data(as_text=True), url
        STATS.statuses["admin refused (422)"] += 1
        return False

    @precondition(lambda self: len(self.inactive) < MAX_DEACTIVATED)
    @rule(data=st.data())
    def an_admin_deactivates_someone(self, data) -> None:
        """A colleague leaves: the admin picks who takes their open cases (any active person,
        as the page offers them) and the cases go on by the rules."""
        self.step("deactivate")
        who = data.draw(st.sampled_from(self.active(w for w in EVERYONE if w != ADMIN)),
                        label="deactivate")
        url = f"/admin/medewerkers/{self.ids[who]}/uitschakelen"
        admin, page, form = self._admin_form(who, url)
        values = {}
        successor = next((c for c in form.controls if c.name == "successor"), None)
        if successor is not None:
            values["successor"] = data.draw(st.sampled_from(
                [c for c in successor.choices if c]), label="successor")
        last_event = self.last_event()
        response = submit(admin, url, values, action=url, page=page)
        if self._admin_answer(response, url):
            self.inactive.add(who)
            self.browsers.pop(who, None)
            STATS.statuses["deactivated"] += 1
        self.touched_since(last_event)

    @rule(data=st.data())
    def an_admin_changes_roles(self, data) -> None:
        """The admin ticks roles on or off for someone (their sessions end)."""
        self.step("roles")
        who = data.draw(st.sampled_from(self.active(w for w in EVERYONE if w != ADMIN)),
                        label="person")
        url = f"/admin/medewerkers/{self.ids[who]}"
        admin, page, form = self._admin_form(who, url)
        roles = [c for c in form.controls if c.name == "roles"]
        ticked = {c.value for c in roles if c.checked}
        toggled = data.draw(st.sampled_from(
            [*TOGGLED_ROLES, *(r for r in ("vertrouwenspersoon",) if r in ticked)]),
            label="toggle role")
        wanted = sorted(ticked ^ {toggled}) or [toggled]
        last_event = self.last_event()
        response = submit(admin, url, {"roles": wanted}, action=url, page=page)
        if self._admin_answer(response, url):
            self.browsers.pop(who, None)
            STATS.statuses["roles changed"] += 1
        self.touched_since(last_event)

    # --- the promises -------------------------------------------------------------------------
    @invariant()
    def promises_hold(self) -> None:
        """Check the cases this step touched (a case nobody touched cannot have changed), and
        the mail queued or delivered since the last step."""
        touched, self.touched = self.touched, set()
        self.fresh()
        queues: set[str] = set()
        for case_id in sorted(touched & set(self.cases)):
            expected, case = self.cases[case_id], self.db.get(Case, case_id)
            people = set(self.db.scalars(sa.select(CaseParticipant.user_id)
                                         .where(CaseParticipant.case_id == case_id)))
            owners = set(self.db.scalars(sa.select(CaseAction.owner_id)
                                         .where(CaseAction.case_id == case_id)))
            if self.check_subject(expected, case, people | owners):
                queues.add(expected.subject)
            if self.check_confidential(expected, case, people):
                queues |= set(NOT_VP_OVERSEERS)
            self.check_reasons(case, people | owners)
        for who in sorted(self.active(queues)):
            self.check_queues(who)
        self.check_mail()

    def check_subject(self, expected: Expected, case: Case, people: set[int]) -> bool:
        """Promise 1: the staff member a report names never sees or gets the case. Return
        whether the subject's queues need a look."""
        if expected.unnamed_staff and expected.group:
            STATS.checks["unnamed staff: not routed to the group's teachers"] += 1
            routed = self._routed(case.id)
            reached = {self._who_email(e) for e in routed.data.get("assignees", [])
                       + routed.data.get("informed", [])}
            teachers = reached & set(TEACHERS[expected.group])
            if teachers:
                skip_known_broken(1, f"case {case.id} about an unnamed staff member was "
                                     f"routed to the group's teachers {teachers}")
        subject = expected.subject
        if subject is None:
            return False
        if case.about_user_id != self.ids[subject]:
            skip_known_broken(1, f"case {case.id}: the reporter picked {subject}, the case "
                                 f"is about user {case.about_user_id}")
            return False
        STATS.checks["subject: not on the case, owns no action"] += 1
        assert self.ids[subject] not in people, \
            f"{subject} is on case {case.id} (or owns an action of it), which is about them"
        if subject in self.inactive:
            return False  # switched off: they cannot log in at all
        STATS.checks["subject: case pages 404"] += 1
        client = self.browser(subject)
        for url in (f"/cases/{case.id}", f"/vertrouwelijk/{case.id}", *self._files(case.id)):
            status = client.get(url).status_code
            assert status in (403, 404), f"{subject} opens {url} about them: {status}"
        return True

    def check_confidential(self, expected: Expected, case: Case, people: set[int]) -> bool:
        """Promise 2: a confidential case reaches the vertrouwenspersoon only. Return whether
        the overseers' queues need a look."""
        if expected.asked_confidential:
            STATS.checks["confidential: sealed unless a legal route"] += 1
            assert case.confidential or case.route.startswith("legal_"), (
                f"case {case.id} was reported confidentially and is on route {case.route}")
        if not case.confidential:
            return False
        STATS.checks["confidential: only the VP on it"] += 1
        vps = {self.ids[w] for w in APPOINTED_VP}
        assert people <= vps, (f"confidential case {case.id} reaches "
                               f"{[self.who_by_id.get(i) for i in people - vps]}")
        STATS.checks["confidential: directie and admin get 404"] += 1
        for who in self.active(NOT_VP_OVERSEERS):
            client = self.browser(who)
            for url in (f"/cases/{case.id}", f"/vertrouwelijk/{case.id}",
                        *self._files(case.id)):
                status = client.get(url).status_code
                assert status in (403, 404), f"{who} opens {url}: {status}"
        return True

    def _files(self, case_id: int) -> list[str]:
        """Return the addresses of a case's evidence (issue 17): they follow the case."""
        ids = self.db.scalars(sa.select(Evidence.id).where(Evidence.case_id == case_id))
        urls = [f"/cases/{case_id}/bewijs/{i}" for i in ids]
        if urls:
            STATS.checks["evidence follows the case"] += 1
        return urls

    def check_queues(self, who: str) -> None:
        """The person's queues (open and closed, ordinary and sealed) list no case they may not
        see, and their counts add up to the lines they show."""
        forbidden = {c.id for c in self.cases.values() if c.subject == who
                     and self.db.get(Case, c.id).about_user_id == self.ids[who]}
        if who not in APPOINTED_VP:
            forbidden |= set(self.db.scalars(sa.select(Case.id).where(
                Case.confidential.is_(True), Case.id.in_(self.cases))))
        client = self.browser(who)
        for url in ("/cases/", "/cases/?status=closed", "/vertrouwelijk/"):
            page = client.get(url)
            if page.status_code == 404 and url.startswith("/vertrouwelijk"):
                assert who not in APPOINTED_VP, f"{who} has no sealed area"
                continue
            assert page.status_code == 200, (who, url, page.status_code)
            html = page.get_data(as_text=True)
            listed = set(map(int, QUEUE_LINK.findall(html)))
            STATS.checks["queues list nothing forbidden"] += 1
            assert not listed & forbidden, f"{who} sees {listed & forbidden} in {url}"
            if url == "/cases/":
                STATS.checks["queue counts = lines"] += 1
                counts = [int(c) for c in COUNT.findall(html)]
                assert sum(counts) == len(listed), (
                    f"{who}'s queue counts {counts} but lists {sorted(listed)}")

    def check_reasons(self, case: Case, people: set[int]) -> None:
        """Promise 3: everyone on a case is there for a reason its timeline names."""
        STATS.checks["reason on the timeline"] += 1
        missing = people - self._named_on_timeline(case.id)
        assert not missing, (f"case {case.id}: {[self.who_by_id.get(i) for i in missing]} "
                             f"on it without a reason on its timeline")

    def check_mail(self) -> None:
        """Promises 1 and 2 in mail: queued (outbox) and delivered (SMTP), digests included."""
        db = self.db
        staff_by_email = {f"{w}@{DOMAIN}": i for w, i in self.ids.items()}
        seen: list[tuple[int, set[int]]] = []
        for mail in db.scalars(sa.select(OutboxMail).where(
                OutboxMail.recipient_kind == "staff", OutboxMail.id > self.mail_seen)
                .order_by(OutboxMail.id)):
            self.mail_seen = mail.id
            user_id = staff_by_email.get(mail.to)
            if user_id is None:
                continue
            ids = {mail.case_id} if mail.case_id else set()
            ids |= {c["id"] for c in (mail.context or {}).get("cases", [])}
            seen.append((user_id, ids))
        for message in self.smtp.messages[self.smtp_seen:]:
            self.smtp_seen += 1
            user_id = staff_by_email.get(message["X-Envelope-To"])
            if user_id is None:
                continue
            body = message.get_body(("plain",))
            text = f"{message['Subject']}\n{body.get_content() if body else ''}"
            seen.append((user_id, {int(next(g for g in m if g))
                                   for m in CASE_IN_MAIL.findall(text)}))
        vps = {self.ids[w] for w in APPOINTED_VP}
        for user_id, ids in seen:
            STATS.checks["mail: outbox and SMTP"] += 1
            for case_id in ids & set(self.cases):
                case, expected = db.get(Case, case_id), self.cases[case_id]
                if expected.subject and self.ids[expected.subject] == user_id:
                    if case.about_user_id == user_id:
                        raise AssertionError(f"{self.who_by_id[user_id]} got mail about case "
                                             f"{case_id}, which is about them")
                    skip_known_broken(1, f"{self.who_by_id[user_id]} got mail about case "
                                         f"{case_id} that the reporter said was about them")
                assert not case.confidential or user_id in vps, (
                    f"{self.who_by_id[user_id]} got mail about confidential case {case_id}")

    # --- timeline reading ---------------------------------------------------------------------
    def _routed(self, case_id: int) -> CaseEvent:
        return self.fresh().scalar(sa.select(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.kind == "routed"))

    def _who_email(self, email: str) -> str | None:
        return email.split("@")[0] if email.endswith(f"@{DOMAIN}") else None

    def _named_on_timeline(self, case_id: int) -> set[int]:
        """Return the people the timeline gives a reason for: routed, assigned, escalated,
        owner of an action, or handed a departing colleague's cases."""
        named: set[int] = set()
        for event in self.db.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id)):
            data = event.data or {}
            emails = []
            if event.kind == "routed":
                emails = list(data.get("assignees", [])) + list(data.get("informed", []))
            elif event.kind == "escalated":
                emails = list(data.get("to", []))
            elif event.kind == "assigned":
                named |= {self.ids[self.who_by_name[n]] for n in data.get("to", [])
                          if n in self.who_by_name}
                named |= {self.ids[self.who_by_name[n]] for n in data.get("previous", [])
                          if n in self.who_by_name}
            elif event.kind == "action_added" and data.get("owner") in self.who_by_name:
                named.add(self.ids[self.who_by_name[data["owner"]]])
            elif event.kind == "reassigned" and data.get("to_user"):
                named.add(int(data["to_user"]))
            elif event.kind == "repetition_signal":  # the anti-pestcoördinator, informed
                named |= {int(i) for i in data.get("informed", [])}
            named |= {self.ids[w] for e in emails if (w := self._who_email(e)) in self.ids}
        return named


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_who_sees_what(database, smtp_server, capsys) -> None:
    """Random reports and work by random staff keep issue 11's promises (module docstring)."""
    WhoSeesWhat.database, WhoSeesWhat.smtp = database, smtp_server
    before = Stats(STATS.examples, STATS.steps)
    try:
        run_state_machine_as_test(WhoSeesWhat,
                                  settings=settings.get_profile(f"invariants-{PROFILE}"))
    finally:
        with capsys.disabled():
            print(f"\n{STATS.summary()}")
    if PROFILE.startswith("ci"):
        assert STATS.steps - before.steps >= MIN_CI_STEPS, STATS.summary()

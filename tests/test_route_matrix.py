"""One access mechanism, proven: every URL rule × every kind of visitor against a table.

Each endpoint has an entry in EXPECT saying who may use it. The test walks every rule of
`app.url_map` (each method) for anonymous visitors, an enrolled kiosk tablet and each demo
role, with an ordinary case, a confidential case and a case about the visitor. A route
without an entry fails the test: whoever adds a route must say who may use it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from tests.conftest import enrol_kiosk, login
from tracker.core.db import utcnow
from tracker.models import Case, CaseParticipant, Evidence, ReporterType, User
from tracker.reporting.service import ReportInput, submit_report

ANON, KIOSK = "anonymous", "kiosk"
STAFF = ("leerkracht5", "ib", "antipest", "directie", "vp", "bestuur", "fg", "admin")
VISITORS = (ANON, KIOSK, *STAFF)
ADMINS = frozenset({"admin", "directie"})  # the demo directie also holds the admin role


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint. `kind` says what everyone else gets."""

    kind: str  # public | kiosk | token | staff | roles | case | sealed
    allowed: frozenset[str] = frozenset()
    cases: dict[str, frozenset[str]] = field(default_factory=dict)


PUBLIC = Rule("public")  # anyone, logged in or not
KIOSK_ONLY = Rule("kiosk")  # only an enrolled tablet; everyone else the friendly 403 page
TOKEN = Rule("token")  # a one-time link: a made-up token opens nothing, for anyone
STAFF_ONLY = Rule("staff")  # any logged-in staff member; others are sent to /login
ADMIN = Rule("roles", ADMINS)
OVERSIGHT = Rule("roles", frozenset({"admin", "directie"}))
SEALED = Rule("sealed", frozenset({"vp"}))  # the vertrouwenspersoon; others 404
# Case routes: per kind of case, who may open it (everyone else: the same 404 as "missing").
# assignee (the groep-5 teacher), informed (anti-pestcoördinator), oversight (directie)
ORDINARY_READERS = frozenset({"leerkracht5", "antipest", "directie"})
CASE = Rule("case", cases={"ordinary": ORDINARY_READERS, "sealed": frozenset({"vp"}),
                           "about_me": frozenset()})
SEALED_CASE = Rule("case", cases={"ordinary": frozenset(), "sealed": frozenset({"vp"}),
                                  "about_me": frozenset()})

EXPECT: dict[str, Rule] = {
    "static": PUBLIC, "health.healthz": PUBLIC,
    # Public reporting and follow-up.
    "report.home": PUBLIC, "report.form": PUBLIC, "report.submit": PUBLIC, "report.thanks": PUBLIC,
    "report.language": PUBLIC,
    "follow_up.enter": PUBLIC, "follow_up.look_up": PUBLIC, "follow_up.case": PUBLIC,
    "follow_up.reply": PUBLIC, "follow_up.leave": PUBLIC,
    # Logging in, second factor, password links.
    "auth.login": PUBLIC, "auth.login_post": PUBLIC, "auth.logout": PUBLIC,
    "auth.two_factor": PUBLIC, "auth.two_factor_post": PUBLIC,
    "auth.enrol": PUBLIC, "auth.enrol_post": PUBLIC, "auth.enrol_by_link": PUBLIC,
    "password.forgot": PUBLIC, "password.forgot_post": PUBLIC,
    "password.reset": TOKEN, "password.reset_post": TOKEN,
    "password.invite": TOKEN, "password.invite_post": TOKEN,
    # First run: once the school exists, /setup sends everyone to the login page.
    "setup.form": PUBLIC, "setup.submit": PUBLIC, "setup.logo": PUBLIC,
    # The kiosk tablet.
    "kiosk.enrol": TOKEN, "kiosk.enrol_confirm": TOKEN,
    **{f"kiosk.{name}": KIOSK_ONLY for name in (
        "start", "choose_category", "where", "who", "name", "name_answer", "danger", "talk",
        "done", "restart", "language", "code", "code_tap", "status", "reply", "replied")},
    # Staff workspace.
    "cases.queue": STAFF_ONLY, "staff_report.form": STAFF_ONLY,
    "staff_report.submit": STAFF_ONLY, "staff_report.thanks": STAFF_ONLY,
    "cases.detail": CASE, "cases.acknowledge": CASE, "cases.act": CASE,
    "case_pupils.search": CASE, "case_pupils.link": CASE, "case_pupils.unlink": CASE,
    "evidence.show": CASE, "evidence.upload": CASE,
    # A child's chronology: any staff member, then a made-up pupil is not found.
    "pupils.chronology": Rule("roles", frozenset(STAFF)),
    # The sealed area.
    "confidential.queue": SEALED, "confidential.case": SEALED_CASE,
    # Administration.
    "admin.audit": OVERSIGHT,
    **{endpoint: ADMIN for endpoint in (
        "admin.index", "admin.settings", "admin.settings_post",
        "admin_calendar.index", "admin_calendar.add_days", "admin_calendar.remove_day",
        "admin_calendar.import_region",
        "admin_groups.index", "admin_groups.new", "admin_groups.edit", "admin_groups.save",
        "admin_import.form", "admin_import.preview", "admin_import.confirm",
        "admin_pupils.index", "admin_pupils.preview", "admin_pupils.confirm",
        "admin_kiosk.index", "admin_kiosk.enrol", "admin_kiosk.re_enrol",
        "admin_kiosk.rename", "admin_kiosk.revoke",
        "admin_rules.index", "admin_rules.new", "admin_rules.edit", "admin_rules.save",
        "admin_rules.toggle",
        "admin_staff.index", "admin_staff.new", "admin_staff.create", "admin_staff.edit",
        "admin_staff.update", "admin_staff.invite", "admin_staff.deactivate",
        "admin_staff.deactivate_post", "admin_staff.reactivate")},
    # Proposals for sealed and legal roles (issue 11.3): admins read, holders decide.
    "admin_grants.index": Rule("roles", frozenset({"admin", "directie", "vp", "bestuur", "fg"})),
    **{f"admin_grants.{name}": Rule("roles", frozenset({"vp", "bestuur", "fg"}))
       for name in ("confirm", "decline")},
    # Insight (issue 14): the people who analyse; the vertrouwenspersoon has an own overview.
    **{f"insight.{name}": Rule("roles", frozenset({"directie", "ib", "antipest", "fg", "vp"}))
       for name in ("index", "export")},
    "annual_report.show": Rule("roles", frozenset({"directie", "ib", "antipest", "fg"})),
    "annual_report.save": Rule("roles", frozenset({"directie"})),
    "annual_report.finalize": Rule("roles", frozenset({"directie"})),
    # Retention (issue 16): the FG; legal holds also the directie; /privacy for everyone.
    "privacy.statement": PUBLIC,
    **{f"retention.{name}": Rule("roles", frozenset({"fg"})) for name in (
        "index", "rule", "settings", "due", "approve", "lookup", "export_json", "export_html",
        "subject_request")},
    **{f"retention.{name}": Rule("roles", frozenset({"fg", "directie"})) for name in (
        "holds", "hold", "release")},
}

# URL values: made-up ids for admin objects (an admin then gets "not found", others are
# stopped before the lookup), real ids for the cases.
MISSING = 987654
VALUES = {"user_id": MISSING, "group_id": MISSING, "device_id": MISSING, "rule_id": MISSING,
          "token": "made-up-token-0000", "lang": "en", "day": "2026-12-25",
          "filename": "css/app.css", "step": 1, "action": "note", "key": "bullying",
          "hold_id": MISSING, "grant_id": MISSING,
          "pupil_id": MISSING, "kind": "csv"}
# Walked last: they end the visitor's session.
LAST = ("auth.logout",)


def _case(session, key: str, **kw) -> Case:
    data = dict(submission_key=f"matrix-{key}-{uuid.uuid4().hex[:6]}", channel="web",
                reporter_type=ReporterType.PARENT, category="bullying",
                description="Matrix", group_number=5)
    return submit_report(session, ReportInput(**(data | kw)), utcnow()).case


@pytest.fixture
def cases(session):
    users = {u.email.split("@")[0]: u for u in session.scalars(sa.select(User))}
    made = {"ordinary": _case(session, "ordinary"),
            "sealed": _case(session, "sealed", confidential=True)}
    made = {k: v for k, v in made.items()}
    # A case about each staff visitor (not sexual: the ordinary route, conflict of interest).
    about = {who: _case(session, f"about-{who}", category="adult_misconduct",
                        about_kind="staff", about_user_id=users[who].id).id for who in STAFF}
    # A file on each case, for the evidence routes (stored directly: this is about access).
    files = {case_id: _evidence(session, case_id)
             for case_id in [made["ordinary"].id, made["sealed"].id, *about.values()]}
    session.commit()
    session.expire_all()
    readers = {p.user.email.split("@")[0] for p in session.scalars(
        sa.select(CaseParticipant).where(CaseParticipant.case_id == made["ordinary"].id))}
    readers |= {"directie"}
    assert readers == ORDINARY_READERS, readers  # the table's premise about the demo school
    return {"ordinary": made["ordinary"].id, "sealed": made["sealed"].id, "about": about,
            "evidence": files}


def _evidence(session, case_id: int) -> int:
    png = b"\x89PNG\r\n\x1a\n matrix"
    row = Evidence(case_id=case_id, source="staff", kind="png", size=len(png), sha256="0" * 64,
                   original_size=len(png), original_sha256="0" * 64, content=png)
    session.add(row)
    session.flush()
    return row.id


def _rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _client(app, session, visitor):
    client = app.test_client()
    if visitor == KIOSK:
        enrol_kiosk(client, session, f"Matrix {uuid.uuid4().hex[:6]}")
    elif visitor != ANON:
        login(client, visitor)
    return client


def _csrf(client) -> str:
    page = client.get("/wachtwoord/vergeten").get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def expected(visitor: str, rule: Rule, case_kind: str | None) -> str:
    """Return what the visitor must get: 'ok', 'login', '403' or '404'."""
    staff = visitor in STAFF
    if rule.kind == "public":
        return "ok"
    if rule.kind == "token":
        return "gone"
    if rule.kind == "kiosk":
        return "ok" if visitor == KIOSK else "403"
    if not staff:
        return "login"
    if rule.kind == "staff":
        return "ok"
    if rule.kind == "roles":
        return "ok" if visitor in rule.allowed else "403"
    if rule.kind == "sealed":
        return "ok" if visitor in rule.allowed else "404"
    return "ok" if visitor in rule.cases[case_kind] else "404"


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"ERROR {status}"
    if status in (302, 303) and "/login" in response.location and \
            "/login/" not in response.location:
        return "login"
    if status in (403, 404):
        return str(status)
    if status == 410:
        return "gone"
    return "ok"


def _matches(want: str, got: str, rule: Rule) -> bool:
    if want == "gone":
        return got in ("gone", "404")
    if want == "ok" and rule.kind in ("roles", "public", "kiosk") and got == "404":
        return True  # allowed in, then a made-up id is simply not found
    if want == "ok" and rule.kind == "public" and got == "login":
        return True  # e.g. the second-factor pages send a stranger back to the login
    return want == got


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - EXPECT.keys()) == [], "routes without an access rule"
    assert sorted(EXPECT.keys() - endpoints) == [], "rules for routes that do not exist"


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_matrix(app, session, cases, visitor):
    client = _client(app, session, visitor)
    token = _csrf(client)
    walked, wrong = 0, []
    rules = sorted(_rules(app), key=lambda rm: (rm[0].endpoint in LAST, rm[0].rule, rm[1]))
    for rule, method in rules:
        spec = EXPECT[rule.endpoint]
        kinds = ["ordinary", "sealed", "about_me"] if "case_id" in rule.arguments else [None]
        for kind in kinds:
            values = {a: VALUES[a] for a in rule.arguments if a in VALUES}
            if kind == "about_me":
                subject = visitor if visitor in STAFF else "leerkracht5"
                values["case_id"] = cases["about"][subject]
            elif kind:
                values["case_id"] = cases[kind]
            if "evidence_id" in rule.arguments:
                values["evidence_id"] = cases["evidence"][values["case_id"]]
            if rule.defaults:
                values.update({k: v for k, v in rule.defaults.items() if v is not None})
                values = {k: v for k, v in values.items() if k in rule.arguments}
            with app.test_request_context():
                url = app.url_map.bind("meldpunt.test").build(rule.endpoint, values,
                                                              method=method)
            data = {"csrf_token": token} if method == "POST" else None
            if data and spec is TOKEN:  # a complete form: only the made-up token is wrong
                data |= {"password": "een-heel-goed-wachtwoord-42",
                         "confirm": "een-heel-goed-wachtwoord-42"}
            response = client.open(url, method=method, data=data)
            want, got = expected(visitor, spec, kind), outcome(response)
            response.close()
            walked += 1
            if not _matches(want, got, spec):
                wrong.append(f"{method} {url} [{rule.endpoint}, {kind}]: want {want}, "
                             f"got {got} ({response.status_code})")
    MATRIX[visitor] = walked
    if wrong:
        pytest.fail(f"{visitor}: {len(wrong)} of {walked} requests wrong:\n" + "\n".join(wrong))


MATRIX: dict[str, int] = {}

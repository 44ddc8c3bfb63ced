"""`flask routing explain` gives docs/DESIGN.md §4's answers with the demo school (a contract)."""

from __future__ import annotations

import json

import pytest

MONDAY = "2026-09-14T10:00"  # an ordinary school week; naive = Europe/Amsterdam


def mail(*who: str) -> list[str]:
    return [f"{w}@demo.meldpunt.test" for w in who]


def day(d: str, hm: str = "17:00", offset: str = "+02:00") -> str:
    return f"{d}T{hm}:00{offset}"


def explain(app, *args: str, at: str = MONDAY):
    result = app.test_cli_runner().invoke(
        args=["routing", "explain", *args, "--at", at, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# One row per row of docs/DESIGN.md §4's table of default rules, plus the legal and
# confidential rows.
TABLE = [
    # args, primary, assignees, informed, ack, resolve, legal, chain
    (("--reporter", "child", "--category", "bullying", "--group", "5"), "leerkracht",
     mail("leerkracht5"), mail("antipest"), day("2026-09-15"), day("2026-09-28"), None,
     ["ib", "directie", "bestuur"]),
    (("--reporter", "parent", "--category", "cyberbullying", "--group", "5"), "leerkracht",
     mail("leerkracht5"), mail("antipest"), day("2026-09-15"), day("2026-09-28"), None,
     ["ib", "directie", "bestuur"]),
    (("--reporter", "child", "--category", "image_shared", "--group", "5"), "anti_pest",
     mail("antipest"), mail("leerkracht5"), day("2026-09-15"), day("2026-09-28"), None,
     ["directie", "bestuur"]),
    (("--reporter", "child", "--category", "harmful_content", "--group", "5"), "leerkracht",
     mail("leerkracht5"), mail("antipest"), day("2026-09-15"), day("2026-09-21"), None,
     ["directie", "bestuur"]),
    (("--reporter", "child", "--category", "threat_violence", "--group", "5"), "directie",
     mail("directie"), mail("leerkracht5"), day("2026-09-14"), day("2026-09-21"), None,
     ["bestuur"]),
    (("--reporter", "parent", "--category", "adult_misconduct", "--group", "5", "--about",
      "leerkracht5@demo.meldpunt.test"), "directie", mail("directie"), mail("vp"),
     day("2026-09-16"), day("2026-10-12"), None, ["bestuur"]),
    (("--reporter", "parent", "--category", "adult_misconduct", "--about",
      "directie@demo.meldpunt.test"), "bestuur", mail("bestuur", "bestuur2"), mail("vp"),
     day("2026-09-16"), day("2026-10-12"), None, []),
    (("--reporter", "child", "--category", "adult_misconduct", "--group", "5", "--sexual",
      "--about", "leerkracht5@demo.meldpunt.test"), "bestuur", mail("bestuur", "bestuur2"),
     mail("directie"), day("2026-09-14", "14:00"), None, None, ["bestuur"]),
    (("--reporter", "child", "--category", "adult_misconduct", "--sexual", "--about",
      "directie@demo.meldpunt.test"), "bestuur", mail("bestuur", "bestuur2"), [],
     day("2026-09-14", "14:00"), None, None, ["bestuur"]),
    (("--reporter", "staff", "--category", "home_concern", "--group", "5"), "ib", mail("ib"),
     mail("directie"), day("2026-09-14"), None, None, ["directie"]),
    (("--reporter", "child", "--category", "phone_misuse", "--group", "5"), "leerkracht",
     mail("leerkracht5"), [], day("2026-09-17"), day("2026-09-28"), None, ["directie"]),
    (("--reporter", "staff", "--category", "privacy_leak"), "fg", mail("fg"), mail("directie"),
     day("2026-09-14"), None, day("2026-09-17", "10:00"), ["bestuur"]),
    (("--reporter", "parent", "--category", "bullying", "--group", "5", "--confidential"),
     "vertrouwenspersoon", mail("vp"), [], day("2026-09-21"), day("2026-12-14", "17:00", "+01:00"),
     None, ["vertrouwenspersoon"]),
    (("--reporter", "staff", "--category", "other"), "ib", mail("ib"), [], day("2026-09-16"),
     day("2026-09-28"), None, ["directie"]),
]


@pytest.mark.parametrize(("args", "primary", "assignees", "informed", "ack", "resolve",
                          "legal", "chain"), TABLE, ids=lambda v: None)
def test_design_table(app, args, primary, assignees, informed, ack, resolve, legal, chain):
    out = explain(app, *args)
    assert list(out) == ["primary_role", "assignees", "informed", "confidential", "ack_due",
                         "resolve_due", "legal_due", "escalation_chain", "reason"]
    assert out["primary_role"] == primary
    assert out["assignees"] == assignees
    assert out["informed"] == informed
    assert out["ack_due"] == ack
    assert out["resolve_due"] == resolve
    assert out["legal_due"] == legal
    assert out["escalation_chain"] == chain
    assert out["confidential"] is ("--confidential" in args and primary == "vertrouwenspersoon")
    assert out["reason"].startswith("Doorgestuurd naar ")


def test_reason_is_dutch(app):
    out = explain(app, "--reporter", "parent", "--category", "bullying", "--group", "5")
    assert out["reason"] == ("Doorgestuurd naar de leerkracht van groep 5 omdat: een ouder "
                             "meldde pesten.")


@pytest.mark.parametrize(("args", "primary", "assignees", "informed", "chain", "subject"), [
    # 1. conflict of interest: the child's leerkracht -> IB'er; directie -> bestuur
    (("--category", "bullying", "--group", "5", "--about", "leerkracht5@demo.meldpunt.test"),
     "ib", mail("ib"), mail("antipest"), ["directie", "bestuur"], "leerkracht5"),
    (("--category", "threat_violence", "--group", "5", "--about", "directie@demo.meldpunt.test"),
     "bestuur", mail("bestuur", "bestuur2"), mail("leerkracht5"), [], "directie"),
    (("--category", "bullying", "--group", "5", "--about", "antipest@demo.meldpunt.test"),
     "leerkracht", mail("leerkracht5"), [], ["ib", "directie", "bestuur"], "antipest"),
    # one teacher of the duo: the role passes on, the partner is not assigned
    (("--category", "bullying", "--group", "7", "--about", "leerkracht7a@demo.meldpunt.test"),
     "ib", mail("ib"), mail("antipest"), ["directie", "bestuur"], "leerkracht7a"),
    (("--category", "other", "--confidential", "--about", "vp@demo.meldpunt.test"),
     "vertrouwenspersoon", [], [], ["vertrouwenspersoon"], "vp"),
])
def test_conflict_of_interest(app, args, primary, assignees, informed, chain, subject):
    out = explain(app, "--reporter", "parent", *args)
    assert (out["primary_role"], out["assignees"], out["informed"], out["escalation_chain"]) == (
        primary, assignees, informed, chain)
    assert mail(subject)[0] not in json.dumps(out)


def test_about_an_unnamed_staff_member(app):
    # Issue 11.1: "a staff member" without a name never goes to the group's teachers.
    out = explain(app, "--reporter", "parent", "--category", "bullying", "--group", "5",
                  "--about-staff")
    assert (out["primary_role"], out["assignees"], out["informed"], out["escalation_chain"]) == (
        "directie", mail("directie"), mail("antipest"), ["bestuur"])
    assert "medewerker van school zonder naam" in out["reason"]


@pytest.mark.parametrize(("args", "primary", "informed"), [
    (("--category", "home_concern", "--danger", "--confidential"), "ib", mail("directie")),
    (("--category", "bullying", "--danger"), "ib", mail("directie")),
    (("--category", "adult_misconduct", "--sexual", "--confidential", "--about",
      "leerkracht3@demo.meldpunt.test"), "bestuur", mail("directie")),
])
def test_legal_routes_beat_confidential_and_rules(app, args, primary, informed):
    out = explain(app, "--reporter", "child", "--group", "5", *args)
    assert out["primary_role"] == primary
    assert out["informed"] == informed
    assert out["confidential"] is False


def test_danger_reason(app):
    out = explain(app, "--reporter", "child", "--category", "home_concern", "--danger")
    assert "in gevaar" in out["reason"]


def test_no_group_goes_to_the_ib_never_to_all_teachers(app):
    out = explain(app, "--reporter", "child", "--category", "bullying")
    assert out["assignees"] == mail("ib")
    assert "groep van het kind is niet bekend" in out["reason"]


@pytest.mark.parametrize(("at", "ack", "informed"), [
    ("2026-09-14T10:00", day("2026-09-15"), mail("antipest")),  # Mon: 7a works
    ("2026-09-16T10:00", day("2026-09-17"), mail("antipest")),  # Wed: 7b works
    ("2026-09-17T10:00", day("2026-09-18"), mail("antipest", "ib")),  # Thu: nobody Thu/Fri
    ("2026-09-18T10:00", day("2026-09-21"), mail("antipest")),  # Fri: 7a works Mon
])
def test_groep_7_duo(app, at, ack, informed):
    out = explain(app, "--reporter", "parent", "--category", "bullying", "--group", "7", at=at)
    assert out["assignees"] == mail("leerkracht7a", "leerkracht7b")
    assert out["ack_due"] == ack
    assert out["informed"] == informed
    assert ("de IB'er meteen geïnformeerd" in out["reason"]) is (len(informed) == 2)


def test_at_with_offset_equals_local_time(app):
    base = ("--reporter", "child", "--category", "threat_violence", "--group", "5")
    assert explain(app, *base, at="2026-09-14T08:00:00+00:00") == explain(app, *base)


def test_without_json_prints_for_a_person(app):
    result = app.test_cli_runner().invoke(args=[
        "routing", "explain", "--reporter", "child", "--category", "home_concern", "--danger",
        "--at", MONDAY])
    assert result.exit_code == 0
    assert "Behandelaars:" in result.stdout and "ib@demo.meldpunt.test" in result.stdout
    assert "0800-2000" in result.stdout
    assert "2026-09-14 17:00" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--category", "stealing"), "onbekende categorie 'stealing'"),
    (("--category", "bullying", "--group", "99"), "groep 99 bestaat niet"),
    (("--category", "bullying", "--about", "niemand@demo.meldpunt.test"), "niemand@demo"),
    (("--category", "bullying", "--at", "maandag"), "geen ISO-8601"),
])
def test_bad_input_is_one_line_and_exit_2(app, args, message):
    result = app.test_cli_runner().invoke(
        args=["routing", "explain", "--reporter", "child", *args, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr

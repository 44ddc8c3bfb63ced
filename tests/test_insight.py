"""Insight figures (issue 14): a known set of cases, every figure found exactly."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from insight_seed import EXPECTED_STATS, FROM, NOW, TO, ams, person, seed

from tracker.core.access import sealed_clause, visible_clause
from tracker.domain.insight import Period, parse_period, percentile
from tracker.insight.service import Filters, figures
from tracker.models import Case


@pytest.fixture
def seeded(app, session):
    return seed(app, session)


def test_every_figure_of_the_period_for_the_directie(seeded, session):
    f = figures(session, parse_period(FROM, TO), visible_clause(person(session, "directie")),
                NOW)
    assert f.reports == 6  # the sealed case is not even counted
    assert f.by_month == [(date(2030, 9, 1), 4), (date(2030, 10, 1), 2)]
    assert f.by_category == EXPECTED_STATS["by_category"]
    assert f.by_channel == {"web": 4, "kiosk": 1, "staff": 1}
    assert f.by_reporter_type == {"parent": 4, "child": 1, "staff": 1}
    assert f.by_group == {5: 4, 3: 1, None: 1}
    assert f.by_location == {"school": 1, "online": 1, None: 4}
    assert (f.ack_in_time, f.ack_judged) == (4, 6)
    assert (f.to_acknowledge.n, f.to_acknowledge.median, f.to_acknowledge.p90) == (5, 3, 45.6)
    assert (f.to_close.n, f.to_close.median, f.to_close.p90) == (1, 48, 48)
    assert f.escalated == 1
    assert f.referrals == {"veilig_thuis": 1}
    assert (f.meldcode_cases, f.meldcode_steps) == (2, {0: 1, 2: 1})
    assert f.legal_routes == {"legal_danger": 1}
    assert (f.checks_recorded, f.checks_stopped) == (2, 1)
    assert (f.reachable, f.heard_back, f.receipts) == (5, 2, 4)
    assert (f.to_first_message.n, f.to_first_message.median,
            f.to_first_message.p90) == (2, 17, 27.4)
    assert (f.year_before, f.year_before_by_category) == (2, {"bullying": 1, "other": 1})


def test_the_sql_percentiles_agree_with_the_rule(seeded, session):
    f = figures(session, parse_period(FROM, TO), Case.confidential.is_(False), NOW)
    hours = [2, 6, 72, 1, 3]
    assert f.to_acknowledge.median == percentile(hours, 50)
    assert f.to_acknowledge.p90 == pytest.approx(percentile(hours, 90))


def test_filters_narrow_every_figure(seeded, session):
    scope = visible_clause(person(session, "directie"))
    f = figures(session, parse_period(FROM, TO), scope, NOW, Filters(category="bullying"))
    assert (f.reports, f.by_channel, f.heard_back, f.year_before) == (
        2, {"web": 1, "kiosk": 1}, 2, 1)
    f = figures(session, parse_period(FROM, TO), scope, NOW,
                Filters(group=5, reporter_type="parent"))
    assert (f.reports, f.by_category) == (3, {"bullying": 1, "home_concern": 1, "other": 1})
    f = figures(session, parse_period(FROM, TO), scope, NOW, Filters(channel="kiosk"))
    assert (f.reports, f.to_acknowledge.median) == (1, 6)


def test_each_person_counts_only_what_they_may_see(seeded, session):
    period = parse_period(FROM, TO)
    # The IB'er sees what routing gave them (the two home cases), not the threat (C).
    ib = figures(session, period, visible_clause(person(session, "ib")), NOW)
    assert ib.by_category.get("home_concern") == 2 and "threat_violence" not in ib.by_category
    vp = figures(session, period, sealed_clause(person(session, "vp")), NOW)
    assert (vp.reports, vp.by_category) == (1, {"bullying": 1})
    # Nobody but the vertrouwenspersoon has a sealed overview, not even the directie.
    assert figures(session, period, sealed_clause(person(session, "directie")), NOW).reports == 0


def test_a_period_without_cases_gives_zero_and_no_made_up_shares(session):
    f = figures(session, Period(date(2031, 9, 1), date(2031, 9, 30)), sa.true(), NOW)
    assert (f.reports, f.by_month, f.acknowledged_in_time, f.to_acknowledge.median,
            f.reporter_heard_back) == (0, [(date(2031, 9, 1), 0)], None, None, None)


def stats(app, *args: str):
    return app.test_cli_runner().invoke(args=["stats", *args])


def test_the_cli_prints_the_contract_exactly(seeded, app, session):
    session.commit()
    result = stats(app, "--from", FROM, "--to", TO, "--now", NOW.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert list(got) == ["from", "to", "reports", "by_category", "acknowledged_in_time",
                         "median_hours_to_acknowledge", "escalated", "reporter_heard_back"]
    assert got == {**EXPECTED_STATS, "acknowledged_in_time": pytest.approx(4 / 6),
                   "reporter_heard_back": pytest.approx(0.4)}


def test_the_cli_with_no_cases_says_null_not_zero(app):
    result = stats(app, "--from", "2040-01-01", "--to", "2040-01-31", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "from": "2040-01-01", "to": "2040-01-31", "reports": 0, "by_category": {},
        "acknowledged_in_time": None, "median_hours_to_acknowledge": None, "escalated": 0,
        "reporter_heard_back": None}


@pytest.mark.parametrize(("args", "words"), [
    (["--from", "2030-13-01", "--to", "2030-12-31"], "De begindatum '2030-13-01' is geen datum"),
    (["--from", "2030-09-01", "--to", "gisteren"], "De einddatum 'gisteren' is geen datum"),
    (["--from", "2030-09-02", "--to", "2030-09-01"], "vóór de begindatum"),
    (["--from", "2020-01-01", "--to", "2030-01-01"], "hoogstens 5 jaar"),
])
def test_the_cli_refuses_bad_dates_in_one_line_with_exit_2(app, args, words):
    result = stats(app, *args, "--json")
    assert result.exit_code == 2
    assert words in result.output and result.output.count("\n") == 1


def test_the_seed_walked_as_told(seeded):
    # Guards the story the figures rest on (a change in routing would show here first).
    assert seeded["c"].escalation_level == 1 and seeded["b"].escalation_level == 0
    assert seeded["e"].route == "legal_danger"
    assert seeded["s"].confidential and seeded["out1"].created_at < ams(2030, 9, 1)

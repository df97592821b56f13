"""The suppression checker over every month of the demo county: nothing hidden can be
worked out from the public outputs; under the old rule (small numbers only) it can."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from ingest import demo
from scorecard import store
from scorecard.cli import main
from scorecard.metrics import cache as metrics_cache
from scorecard.metrics import report as report_module
from scorecard.metrics.cache import council_metrics
from scorecard.metrics.disclosure import PRIMARY, SECONDARY
from scorecard.metrics.disclosure_check import check_disclosure
from scorecard.metrics.report import CouncilMetrics, report_table

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def metrics(demo_database_url):
    return council_metrics(store.engine(demo_database_url), demo.COUNCIL)


def fresh(metrics, complementary: bool) -> CouncilMetrics:
    """A council's metrics deciding afresh (none of the shared object's decisions kept)."""
    figures = CouncilMetrics(metrics.engine, metrics.council, metrics.catalogue, metrics.neighbour_values)
    figures.complementary_suppression = complementary
    return figures


def test_no_hidden_count_can_be_worked_out_in_any_month(metrics):
    assert len(metrics.periods()) == 36
    leaks = check_disclosure(metrics)
    assert leaks == [], "\n".join(leak.text() for leak in leaks[:20])


def test_the_old_rule_lets_hidden_counts_be_worked_out(metrics):
    old = fresh(metrics, complementary=False)
    latest = old.latest_period()
    leaks = check_disclosure(old, [latest])
    assert leaks, "the checker must find what the old rule let through"
    assert any(leak.indicator == "iha_in_timescale" and leak.breakdown == "area" and leak.group == "Out of area"
               for leak in check_disclosure(old, old.periods()[-6:]))
    assert {leak.how.split(" (")[0] for leak in leaks} >= {"the total minus the other groups"}


def test_every_hidden_figure_says_why_in_every_output(metrics):
    latest = metrics.latest_period()
    decision = metrics.suppressions([latest])[latest]
    assert decision.count(PRIMARY) and decision.count(SECONDARY)
    table = report_table(metrics, latest, breakdowns=True, public=True)
    hidden = table[table["note"].fillna("").str.startswith("suppressed")]
    assert len(hidden) == len(decision.hidden)  # the report hides exactly what the month's decision hides
    assert set(hidden["note"]) == {"suppressed: fewer than 5",
                                   "suppressed so that a small number elsewhere cannot be worked out"}
    assert hidden[["numerator", "denominator", "value", "rag"]].isna().all().all()
    iha = table[(table["indicator"] == "iha_in_timescale") & (table["breakdown"] == "area")]
    assert iha["value"].isna().all(), "in area and out of area: one small, the other hidden beside it"
    assert table[(table["indicator"] == "iha_in_timescale") & (table["breakdown"] == "total")]["value"].notna().all()


def test_hidden_counts_before_and_after(metrics):
    """Measured, and printed with -s: the demo's latest month, old rule and new."""
    latest = metrics.latest_period()
    old = fresh(metrics, complementary=False).suppressions([latest])[latest]
    new = metrics.suppressions([latest])[latest]
    print(f"\n{latest}: old rule hides {old.count()} figures; complementary suppression hides {new.count()} "
          f"({new.count(PRIMARY)} small numbers, {new.count(SECONDARY)} beside them)")
    assert new.count(PRIMARY) == old.count() and new.count(SECONDARY) > 0


def test_the_commands(demo_database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    store.engine.cache_clear()
    checked = CliRunner().invoke(main, ["metrics", "check-disclosure", "--council", demo.COUNCIL,
                                        "--period", "2025-03", "--period", "2025-02"])
    assert checked.exit_code == 0, checked.output
    assert "2 months (2025-02 to 2025-03)" in checked.output
    assert "no hidden count can be worked out from what is shown" in checked.output
    report = CliRunner().invoke(main, ["report", "--public", "--breakdowns", "--format", "csv",
                                       "--council", demo.COUNCIL])
    assert report.exit_code == 0, report.output
    assert "suppressed so that a small number elsewhere cannot be worked out" in report.output
    # Under the old rule the command finds the leaks, lists them and fails.
    monkeypatch.setattr(report_module.CouncilMetrics, "complementary_suppression", False)
    metrics_cache.forget_all()
    try:
        failed = CliRunner().invoke(main, ["metrics", "check-disclosure", "--council", demo.COUNCIL,
                                           "--period", "2025-03"])
    finally:
        # The figures decided under the old rule must not serve the tests after this one.
        metrics_cache.forget_all()
    assert failed.exit_code == 1
    assert "hidden counts can be worked out from what is shown" in failed.output
    assert "hidden numerator" in failed.output and "is the total minus the other groups" in failed.output
    store.engine.cache_clear()

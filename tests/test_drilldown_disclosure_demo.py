"""The drill-down on the demo county follows the month's decision: the month-by-month
view hides exactly what the month's breakdowns hide, two-way margins are hidden or shown
as the one-way breakdowns are, and the checker, reading the drill-downs with every other
public output, finds nothing; with the old small-number-only drill-down it finds leaks."""
from __future__ import annotations

import pytest

from ingest import demo
from scorecard import store
from scorecard.metrics.cache import council_metrics
from scorecard.metrics.compute import TOTAL
from scorecard.metrics.disclosure_check import (
    check_disclosure,
    drilldown_rows,
    find_leaks,
    populations,
    public_rows,
)
from scorecard.metrics.drilldown import Drilldown
from scorecard.metrics.report import CouncilMetrics
from scorecard.metrics.suppression import suppression_notes

pytestmark = pytest.mark.slow
COMPANION = suppression_notes(5)["secondary"]


@pytest.fixture(scope="module")
def metrics(demo_database_url):
    return council_metrics(store.engine(demo_database_url), demo.COUNCIL)


def old_drilldown(metrics) -> CouncilMetrics:
    """The same council and month decisions, with the drill-down hiding small numbers only."""
    old = CouncilMetrics(metrics.engine, metrics.council, metrics.catalogue, metrics.neighbour_values)
    old._suppressions = metrics._suppressions
    new = metrics.drilldown
    old.__dict__["drilldown"] = Drilldown(new.records, new.catalogue, new.hidden, new.suppressed_note)
    return old


def test_month_by_month_hides_exactly_what_the_months_breakdowns_hide(metrics):
    latest = metrics.latest_period()
    indicator = metrics.catalogue.by_id["iha_in_timescale"]
    for breakdown in indicator.breakdowns:
        series = metrics.drilldown.series(indicator.id, breakdown, latest, public=True)
        for (group, period), figure in series.figures.items():
            on_report = metrics.suppressed_because(indicator, period, TOTAL if group == TOTAL else breakdown, group)
            assert (figure.note if figure.note.startswith("suppressed") else "") == on_report, (breakdown, group, period)


def test_two_way_margins_are_as_the_month_decides_and_companions_say_why(metrics):
    latest = metrics.latest_period()
    indicator = metrics.catalogue.by_id["visits_in_timescale"]
    table = metrics.drilldown.crossed(indicator.id, "district", "age_band", latest, public=True)
    for breakdown, margins in (("district", table.row_margins), ("age_band", table.column_margins)):
        for group, figure in margins.items():
            assert (figure.value is None and figure.note.startswith("suppressed")) == \
                bool(metrics.suppressed_because(indicator, latest, breakdown, group)), (breakdown, group)
    assert COMPANION in {f.note for f in table.cells.values()}
    # The same table the other way round hides the same cells.
    turned = metrics.drilldown.crossed(indicator.id, "age_band", "district", latest, public=True)
    assert {k for k, f in table.cells.items() if f.value is None and f.note.startswith("suppressed")} == \
        {k[::-1] for k, f in turned.cells.items() if f.value is None and f.note.startswith("suppressed")}


def test_the_checker_finds_the_old_drilldowns_leaks_and_none_now(metrics):
    latest = metrics.latest_period()
    old = old_drilldown(metrics)
    leaks = find_leaks(public_rows(old, [latest]) + drilldown_rows(old, latest), old.catalogue, populations(old))
    print("\nold drill-down:", len(leaks), "leaks, e.g.", *[leak.text() for leak in leaks[:5]], sep="\n  ")
    assert any(" by " in leak.breakdown for leak in leaks), "a two-way cell worked out from its margin"
    assert any(leak.how == "shown in another output" for leak in leaks), "a companion shown on the trend"
    new = check_disclosure(metrics, [latest])
    assert new == [], "\n".join(leak.text() for leak in new[:20])

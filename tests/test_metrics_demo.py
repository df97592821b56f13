"""The demo county computes without errors for every indicator and month, and the
patterns it was built with (ingest/demo/__init__.py) show in the figures."""
from __future__ import annotations

from statistics import mean

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, event

from ingest import demo
from scorecard import store
from scorecard.cli import main
from scorecard.metrics.cache import council_metrics
from scorecard.settings import REFERENCE_DIR


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'store.db'}"
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", url)
    store.engine.cache_clear()
    result = CliRunner().invoke(main, ["demo", "--out", str(folder / "files")])
    assert result.exit_code == 0, result.output
    loaded = CliRunner().invoke(main, ["benchmarks", "import", str(REFERENCE_DIR / "dfe")])
    assert loaded.exit_code == 0, loaded.output
    engine = create_engine(url)
    event.listen(engine, "connect", store._tune_sqlite)
    yield council_metrics(engine, demo.COUNCIL)
    patch.undo()
    store.engine.cache_clear()


def series(metrics, indicator):
    rows = metrics.values[(metrics.values["indicator"] == indicator) & (metrics.values["breakdown"] == "total")]
    return dict(zip(rows["period"], rows["value"]))


@pytest.mark.slow
def test_every_indicator_every_month_once_a_year_of_history_is_loaded(metrics):
    table = metrics.values
    assert set(table["indicator"]) == {i.id for i in metrics.catalogue.indicators}
    assert sorted(set(table["period"])) == metrics.periods()
    settled = table[table["period"] >= "2023-03"]
    assert settled["value"].notna().all(), settled[settled["value"].isna()][["indicator", "period", "note"]]
    early = table[table["value"].isna()]
    assert set(early["indicator"]) <= {i.id for i in metrics.catalogue.indicators
                                       if i.cohort in ("looked_after_12_months_at_month_end",
                                                       "care_leavers_with_birthday_in_last_12_months")}
    assert early["note"].str.startswith("needs 12 months of").all()
    assert all(len(ids) for ids in settled["extract_ids"])


@pytest.mark.slow
def test_the_steady_background(metrics):
    for indicator, low, high in [
        ("children_in_care", 720, 800), ("uasc_percent", 0.07, 0.13), ("placement_stability_short", 0.07, 0.14),
        ("placement_stability_long", 0.6, 0.8), ("placed_out_of_area", 0.25, 0.35), ("placed_20_miles", 0.2, 0.3),
        ("care_leavers_in_touch_19_21", 0.8, 0.97), ("care_leavers_eet_19_21", 0.45, 0.62),
    ]:
        values = [v for p, v in series(metrics, indicator).items() if p >= "2023-03"]
        assert low <= mean(values) <= high, (indicator, mean(values))


@pytest.mark.slow
def test_the_deliberate_patterns(metrics):
    missing = series(metrics, "missing_episodes")
    summer = ("2023-07", "2023-08")
    assert mean(missing[p] for p in summer) > 1.25 * mean(v for p, v in missing.items() if p not in summer)

    visits = series(metrics, "visits_in_timescale")
    winter = ("2023-12", "2024-01", "2024-02")
    assert mean(visits[p] for p in winter) < mean(v for p, v in visits.items() if p not in winter) - 0.1

    iha = series(metrics, "iha_in_timescale")
    dip = ("2023-09", "2023-10", "2023-11", "2023-12")
    assert mean(iha[p] for p in dip) < mean(v for p, v in iha.items() if p not in dip) - 0.15
    groups = metrics.breakdowns("iha_in_timescale", metrics.periods()[-12:])
    area = groups[groups["breakdown"] == "area"].groupby("group")[["numerator", "denominator"]].sum()
    rates = area["numerator"] / area["denominator"]
    assert rates["Out of area"] < rates["In area"] - 0.25

    within = series(metrics, "rhi_within_72_hours")
    periods = sorted(within)
    assert mean(within[p] for p in periods[-3:]) > mean(within[p] for p in periods[:24]) + 0.1

    card = metrics.scorecard(periods[-1])
    assert set(card["rag"].dropna()) <= {"green", "amber", "red", "too_few", "not_rated"}
    short = card.set_index("indicator").loc["placement_stability_short"]
    assert (short["england_period"], short["england_state"]) == ("2024/25", "published")
    # The demo county is compared as Leicestershire: every comparator it lists is a published figure.
    compared = card[card["england_state"].notna()]
    assert len(compared) == 15 and set(compared["england_state"]) == {"published"}
    assert set(compared["region_name"]) == {"East Midlands"} and set(compared["region_state"]) == {"published"}
    with_neighbours = compared[compared["statistical_neighbours_state"].notna()]
    assert len(with_neighbours) == 14 and set(with_neighbours["statistical_neighbours_state"]) == {"published"}


@pytest.mark.slow
def test_trend_as_at_and_series_breaks(metrics):
    from scorecard.metrics.catalogue import SeriesBreak

    trend = metrics.trend("missing_episodes", "2025-03", 13)
    assert list(trend["period"]) == [f"2024-{m:02d}" for m in range(3, 13)] + ["2025-01", "2025-02", "2025-03"]
    assert trend["value"].notna().all() and (trend["series_break"] == "").all()
    as_at = metrics.as_at("2025-03")
    assert str(as_at["month_end"]) == "2025-03-31" and as_at["loaded_at"] is not None
    original = metrics.catalogue.by_id["missing_episodes"]
    broken = original.model_copy(update={"series_breaks": (SeriesBreak(period="2024-06", reason="new system"),)})
    metrics.catalogue.by_id["missing_episodes"] = broken
    try:
        trend = metrics.trend("missing_episodes", "2025-03", 13)
    finally:
        metrics.catalogue.by_id["missing_episodes"] = original
    assert trend.set_index("period").loc["2024-06", "series_break"] == "new system"


@pytest.mark.slow
def test_breakdowns_carry_rag_and_direction_like_the_whole(metrics):
    groups = metrics.breakdowns("visits_in_timescale", ["2024-01"])
    # Team from the visits file; age band and district from the child's care record.
    assert set(groups["breakdown"]) == {"team", "age_band", "district"}
    assert "Not recorded" not in set(groups["group"]), "every demo visit's child has a care record"
    groups = groups[groups["breakdown"] == "team"].set_index("group")
    for team, row in groups.iterrows():
        expected = "too_few" if row["denominator"] < 10 else (
            "green" if row["value"] >= 0.9 else "amber" if row["value"] >= 0.85 else "red")
        assert row["rag"] == expected, team
        assert row["last_year_direction"] in ("improving", "worsening", "no_change"), team
    # The staff shortage of winter 2023-24: most teams are worse than a year before.
    assert (groups["last_year_direction"] == "worsening").sum() > len(groups) / 2

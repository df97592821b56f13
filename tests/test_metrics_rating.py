"""RAG, direction of travel, benchmark choice, neighbours and small numbers, by hand."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from scorecard.metrics.calendar import Month, add_working_days, same_day_months_before, years_between
from scorecard.metrics.catalogue import Comparator, RagRule, Target, load_catalogue
from scorecard.metrics.comparators import Comparison, PublishedFigures, area_comparison, neighbour_average
from scorecard.metrics.compute import ratio
from scorecard.metrics.rating import direction, rate, suppressed


def indicator(indicator_id, **changes):
    return load_catalogue().by_id[indicator_id].model_copy(update=changes)


VISITS = "visits_in_timescale"  # higher is better; green from 90%, amber from 85%
SHORT = "placement_stability_short"  # lower is better; green to 10%, amber to 12%


@pytest.mark.parametrize(("indicator_id", "value", "expected"), [
    (VISITS, 0.90, "green"), (VISITS, 0.8999, "amber"), (VISITS, 0.85, "amber"), (VISITS, 0.84, "red"),
    (SHORT, 0.10, "green"), (SHORT, 0.11, "amber"), (SHORT, 0.12, "amber"), (SHORT, 0.121, "red"),
])
def test_rag_against_a_target_respects_polarity(indicator_id, value, expected):
    chosen = indicator(indicator_id)
    assert rate(chosen, value, 100, chosen.target_for("2024-03"), None, None, 10).rag == expected


def test_rag_withheld_for_small_numbers_context_and_missing_targets():
    visits = indicator(VISITS)
    assert rate(visits, 0.5, 9, visits.target_for("2024-03"), None, None, 10).rag == "too_few"
    assert rate(visits, 0.5, 10, visits.target_for("2024-03"), None, None, 10).rag == "red"
    assert rate(visits, 0.5, 100, None, None, None, 10).rag == "not_rated"
    assert rate(indicator("uasc_percent"), 0.1, 100, None, None, None, 10).rag is None


def test_rag_from_benchmarks():
    chosen = indicator(VISITS, rag=RagRule.BENCHMARKS, benchmarks=(Comparator.ENGLAND, Comparator.STATISTICAL_NEIGHBOURS))
    england, neighbours = Comparison("england", "published", 0.80), Comparison("statistical_neighbours", "published", 0.70)
    assert rate(chosen, 0.85, 100, None, england, neighbours, 10).rag == "green"
    assert rate(chosen, 0.75, 100, None, england, neighbours, 10).rag == "amber"
    assert rate(chosen, 0.65, 100, None, england, neighbours, 10).rag == "red"
    missing = Comparison("statistical_neighbours", "not_yet_published")
    assert rate(chosen, 0.85, 100, None, england, missing, 10).reason == "no statistical neighbours benchmark"


def test_targets_apply_from_their_month():
    chosen = indicator(VISITS, targets=(Target(**{"from": "2019-04", "green": 0.9, "amber": 0.85}),
                                        Target(**{"from": "2024-04", "green": 0.95, "amber": 0.9})))
    assert chosen.target_for("2024-03").green == 0.9
    assert chosen.target_for("2024-04").green == 0.95
    assert chosen.target_for("2019-03") is None


def test_direction_of_travel_is_polarity_aware_with_a_threshold():
    assert direction(indicator(VISITS), 0.90, 0.88, 0.01) == "improving"
    assert direction(indicator(SHORT), 0.12, 0.10, 0.01) == "worsening"
    assert direction(indicator(SHORT), 0.10, 0.12, 0.01) == "improving"
    assert direction(indicator(VISITS), 0.90, 0.89, 0.01) == "no_change"  # one point: noise
    assert direction(indicator("uasc_percent"), 0.12, 0.10, 0.01) == "up"
    assert direction(indicator(VISITS), 0.90, None, 0.01) is None


def test_small_counts_are_suppressed_for_public_outputs():
    assert [suppressed(n, 5) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


def published(*rows):
    """Published England figures: (year, value, release's latest year) each."""
    return PublishedFigures(pd.DataFrame([dict(
        id=i, release_id=latest, measure="ees:f:x", indicator="x", area_code="E92000001", level="national",
        year=year, value=value, numerator=None, denominator=None, state="published", source_file="f.csv",
        latest_year=latest) for i, (year, value, latest) in enumerate(rows)]))


def test_a_month_is_compared_with_the_year_covering_it_and_its_latest_release():
    figures = published((2023, 0.10, 2023), (2024, 0.11, 2024), (2024, 0.12, 2025))  # 2023/24 revised a year later

    def england(period):
        return area_comparison(figures, "x", Month.parse(period), "england", "E92000001", "England")

    chosen = england("2024-03")
    assert (chosen.state, chosen.period, chosen.value) == ("published", "2023/24", 0.12)
    assert england("2023-04").period == "2023/24"
    assert england("2023-03").period == "2022/23"
    later = england("2024-09")
    assert (later.state, later.period) == ("older", "2023/24") and "older than 2024-09" in later.note
    assert england("2022-03").state == "not_yet_published"
    assert area_comparison(published(), "x", Month.parse("2024-03"), "england", "E92000001",
                           "England").state == "not_yet_published"


def test_neighbour_average_pools_numerators_and_denominators_and_ranks():
    values = {"A": (10, 100), "B": (30, 100), "C": (None, None)}
    result = neighbour_average(values, lambda n, d: ratio(load_catalogue().by_id[VISITS].unit, n, d), 0.25, True)
    assert result.value == pytest.approx(40 / 200)  # not the mean of 10% and 30% by accident: pooled
    assert (result.rank, result.rank_of) == (2, 3)  # B (30%) is better than us (25%), A worse
    uneven = neighbour_average({"A": (1, 10), "B": (90, 100)}, lambda n, d: n / d, None, None)
    assert uneven.value == pytest.approx(91 / 110)  # an average of 10% and 90% would say 50%


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    starts = np.array(["2024-03-08", "2024-03-09", "2024-03-01", "2023-05-05", "2022-09-16", None],
                      dtype="datetime64[D]")
    assert [str(d) for d in add_working_days(starts, 20)[:5]] == [
        "2024-04-09",  # over Good Friday and Easter Monday
        "2024-04-09",  # a Saturday start counts as the Friday
        "2024-04-02",
        "2023-06-06",  # over the coronation bank holiday (8 May 2023) and the late May one (29 May)
        "2022-10-17",  # over the Queen's state funeral (19 September 2022)
    ]
    assert np.isnat(add_working_days(starts, 20)[5])


def test_months_ages_and_years_back():
    assert same_day_months_before(np.datetime64("2024-02-29"), 12) == np.datetime64("2023-02-28")
    assert same_day_months_before(np.datetime64("2024-03-31"), 1) == np.datetime64("2024-02-29")
    born = np.array(["2008-03-31", "2008-02-29"], dtype="datetime64[D]")
    assert list(years_between(born, np.datetime64("2024-03-31"))) == [16, 16]
    assert list(years_between(born, np.datetime64("2024-02-28"))) == [15, 15]
    month = Month.parse("2024-02")
    assert (str(month.first), str(month.last), month.shift(-12).period) == ("2024-02-01", "2024-02-29", "2023-02")

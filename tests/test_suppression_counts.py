"""The month's disclosure decision is made from `compute(..., lineage=False)`, the
counts-only path: over every month of the demo county it must give exactly the counts
of the full path (the one pages show, with lineage) and so exactly the same decisions."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ingest import demo
from scorecard import store
from scorecard.metrics.catalogue import Catalogue, Numerator, Unit, load_catalogue
from scorecard.metrics.compute import TOTAL, compute, crossed
from scorecard.metrics.disclosure import PRIMARY, SECONDARY
from scorecard.metrics.records import Records, load_records
from scorecard.metrics.report import CouncilMetrics
from scorecard.metrics.suppression import decide

pytestmark = pytest.mark.slow

# Compared as they are: the figure's counts, the notes, and the group's value itself.
COMPARED = ["indicator", "period", "breakdown", "group", "numerator", "denominator", "value", "note",
            "incomplete", "history_note"]


@pytest.fixture(scope="module")
def records(demo_database_url) -> Records:
    return load_records(store.engine(demo_database_url), demo.COUNCIL)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def both(records, catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every indicator, month and breakdown group of the demo county, by each path."""
    return (compute(records, catalogue, breakdowns=True),
            compute(records, catalogue, breakdowns=True, lineage=False))


def assert_same_counts(full: pd.DataFrame, counts: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(full[COMPARED], counts[COMPARED])
    for column in ("group", "numerator", "denominator"):  # the same Python types too, not merely equal values
        assert list(map(type, full[column])) == list(map(type, counts[column])), column
    assert all(ids == () for ids in counts["extract_ids"])


def test_the_counts_only_path_gives_the_full_paths_counts_in_every_month(both):
    full, counts = both
    assert full["period"].nunique() == 36
    assert (full["breakdown"] != TOTAL).sum() > 10_000, "the demo county's breakdowns must be there to compare"
    assert full["numerator"].notna().sum() > 10_000
    assert_same_counts(full, counts)
    assert full.loc[full["breakdown"] == TOTAL, "extract_ids"].map(len).gt(0).any(), "the full path keeps lineage"


def test_the_decisions_from_the_counts_only_path_are_the_full_paths_in_every_month(both, catalogue):
    full, counts = both
    reasons = set()
    for period in sorted(full["period"].unique()):
        for secondary in (True, False):
            expected = decide(full[full["period"] == period], catalogue, secondary)
            decided = decide(counts[counts["period"] == period], catalogue, secondary)
            assert decided.hidden == expected.hidden, (period, secondary)
            reasons |= set(expected.hidden.values())
    assert reasons == {PRIMARY, SECONDARY}, "the demo county must have figures hidden for each reason"


def test_the_councils_decisions_are_those_of_the_full_path(both, records, catalogue, demo_database_url):
    full, _ = both
    metrics = CouncilMetrics(store.engine(demo_database_url), demo.COUNCIL, catalogue)
    periods = sorted(full["period"].unique())
    decisions = metrics.suppressions(periods)
    for period in periods:
        assert decisions[period].hidden == decide(full[full["period"] == period], catalogue).hidden, period


def test_sums_distinct_counts_and_two_way_tables_count_the_same(records, catalogue):
    # No indicator sums a column today: a sum of miles (floats, blanks among them) shows
    # that each group adds up its rows as the full path does, to the last bit.
    miles = catalogue.by_id["placed_20_miles"].model_copy(update={
        "id": "miles_placed_away", "unit": Unit.COUNT, "denominator": None,
        "numerator": Numerator(sum="distance_miles")})
    fields = {name: getattr(catalogue, name) for name in Catalogue.model_fields}
    extended = Catalogue(**{**fields, "indicators": (*catalogue.indicators, miles)})
    months = ["2023-09", "2024-03", "2025-03"]
    asked = {("miles_placed_away", "children_in_care"): ["sex", ("placement_type", "legal_status")],
             ("visits_in_timescale",): ["team", ("district", "age_band")],
             ("children_missing",): ["care_status", ("district", "care_status")]}
    full, counts = (pd.concat([compute(records, extended, ids, breakdowns=wanted, periods=months, lineage=lineage)
                               for ids, wanted in asked.items()], ignore_index=True) for lineage in (True, False))
    assert_same_counts(full, counts)
    summed = full[(full["indicator"] == "miles_placed_away") & (full["breakdown"] != TOTAL)]["numerator"]
    assert (summed % 1 != 0).any(), "the miles must not all be whole numbers, or the sum tests nothing"
    assert (full["breakdown"] == crossed("district", "age_band")).sum() > 20
    assert full.loc[full["indicator"] == "children_missing", "numerator"].sum() > 0


def test_blank_groups_are_counted_as_the_full_path_counts_them(records, catalogue):
    # The cohorts label every unknown ("Not recorded"), so no group is blank today; were
    # one blank, the counts-only path must still count it as the full path does.
    frame = records.frames["children_in_care"].copy()
    frame["ethnic_group"] = frame["ethnic_group"].astype(object)
    frame.loc[frame.index[::7], "ethnic_group"] = None
    frame.loc[frame.index[3::11], "ethnic_group"] = np.nan
    blanked = Records(council=records.council, frames={**records.frames, "children_in_care": frame},
                      extracts=records.extracts)
    months = ["2024-03", "2025-03"]
    ids = ["children_in_care", "uasc_percent", "placement_residential"]
    full = compute(blanked, catalogue, ids, breakdowns=["ethnicity", "sex"], periods=months)
    counts = compute(blanked, catalogue, ids, breakdowns=["ethnicity", "sex"], periods=months, lineage=False)
    assert full["group"].isna().any(), "some group must be blank"
    assert_same_counts(full, counts)

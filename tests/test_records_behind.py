"""The records behind a figure: the same rows `compute` counts, listed with the fields the
definition uses and where each came from; never a name; only for those who may see them;
a CSV whose cells can never run as spreadsheet formulas."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from conftest import write_csv

from ingest.datasets import DATASETS
from scorecard import store
from scorecard.access import Forbidden, Identity, Role
from scorecard.cli import main
from scorecard.metrics import cache as metrics_cache
from scorecard.metrics import council_metrics
from scorecard.metrics.compute import TOTAL, compute
from scorecard.metrics.records_behind import (
    COUNTED,
    DENOMINATOR_ONLY,
    INCLUDED,
    is_identifying,
    list_records,
    records_behind,
)
from scorecard.ui.records_view import build_records_page, records_csv

COUNCIL = "E10000099"
VIEWER, MANAGER = Identity("viewer", Role.VIEWER), Identity("manager", Role.MANAGER)
ANALYST, ADMIN = Identity("analyst", Role.ANALYST), Identity("admin", Role.ADMIN)
CIC_HEADER = ["child_id", "date_of_birth", "sex", "uasc", "legal_status", "period_start", "episode_start",
              "placement_type", "placement_provider", "placed_in_area", "distance_miles", "home_postcode", "district"]
MISSING_HEADER = ["episode_id", "child_id", "in_care", "missing_from", "found_at", "district"]
# Child ids as a hostile or careless export might write them: each would be a formula in Excel.
# (At most 40 characters: the store's child_id column holds no more.)
HOSTILE = ['=HYPERLINK("http://x.invalid","go")', "@SUM(1)", "+44 7700", "-7"]


def child(child_id, uasc="N", in_area="Y", miles="3", postcode="LE1 1AA"):
    return [child_id, "2012-05-01", "M", uasc, "C2", "2023-01-10", "2024-01-10", "U4", "PR1", in_area, miles,
            postcode, "North"]


@pytest.fixture
def hand_built(database_url, tmp_path):
    """A store loaded through the ingest from two files: eight children in care in March 2024
    (two UASC, three placed out of the area, one with no area recorded, four with hostile ids)
    and five missing episodes of three children."""
    children = [CIC_HEADER, child(HOSTILE[0], in_area="N"), child(HOSTILE[1], in_area="N", miles="25"),
                child(HOSTILE[2], uasc="Y"), child(HOSTILE[3]), child("c5", in_area="N"), child("c6", uasc="Y",
                in_area="N"), child("c7", in_area=""), child("c8")]
    missing = [MISSING_HEADER] + [[f"m{n}", who, "Y", f"0{n + 1}/03/2024 10:00", f"0{n + 1}/03/2024 22:00", "North"]
                                  for n, who in enumerate(["c5", "c5", "c6", HOSTILE[1], "c5"])]
    files = [write_csv(tmp_path / "cic.csv", children), write_csv(tmp_path / "missing.csv", missing)]
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--period", "2024-03", "--council", COUNCIL,
                                       *map(str, files)])
    assert result.exit_code == 0, result.output
    metrics_cache.forget_all()
    yield council_metrics(store.engine(), COUNCIL)
    metrics_cache.forget_all()


def test_the_list_is_the_figure_counted_and_in_the_denominator_only(hand_built):
    listing = records_behind(hand_built, "placed_out_of_area", "2024-03", MANAGER)
    table = listing.table
    # Not UASC and the area recorded: six children; placed outside: four of them (c6 is UASC, c7 unrecorded).
    assert sorted(table.loc[table[INCLUDED] == COUNTED, "child_id"]) == sorted([HOSTILE[0], HOSTILE[1], "c5"])
    assert sorted(table.loc[table[INCLUDED] == DENOMINATOR_ONLY, "child_id"]) == sorted([HOSTILE[3], "c8"])
    assert (listing.numerator, listing.denominator) == (3, 5)
    figure = hand_built.total("placed_out_of_area", "2024-03")
    assert (figure["numerator"], figure["denominator"]) == (3, 5)
    # The fields the definition tests, and where each record came from, are there.
    assert {"uasc", "placed_in_area", "episode_start", "extract_id", "source_row"} <= set(table.columns)
    assert table["source_row"].notna().all() and table["extract_id"].notna().all()


def test_a_distinct_count_lists_every_episode_and_counts_each_child_once(hand_built):
    listing = records_behind(hand_built, "children_missing", "2024-03", MANAGER)
    assert len(listing.table) == 5 and listing.numerator == 3 and listing.denominator is None
    assert listing.numerator == hand_built.total("children_missing", "2024-03")["numerator"]
    assert {"missing_from", "found_at"} <= set(listing.table.columns)
    episodes = records_behind(hand_built, "missing_episodes", "2024-03", MANAGER)
    assert episodes.numerator == 5 == hand_built.total("missing_episodes", "2024-03")["numerator"]


def test_source_rows_point_at_the_rows_of_the_file(hand_built):
    listing = records_behind(hand_built, "children_in_care", "2024-03", MANAGER)
    rows = dict(zip(listing.table["child_id"], listing.table["source_row"], strict=True))
    # The header is row 1 of the file: the first child is on row 2, the eighth on row 9.
    assert rows[HOSTILE[0]] == 2 and rows["c8"] == 9


def test_only_those_who_may_see_records_get_them(hand_built):
    for refused in (VIEWER, None):
        with pytest.raises(Forbidden):
            records_behind(hand_built, "placed_out_of_area", "2024-03", refused)
        with pytest.raises(Forbidden):
            records_csv(hand_built, "placed_out_of_area", "2024-03", refused)
        with pytest.raises(Forbidden):
            build_records_page(hand_built, "placed_out_of_area", "2024-03", refused)
    for allowed in (MANAGER, ANALYST, ADMIN):
        assert records_behind(hand_built, "placed_out_of_area", "2024-03", allowed).counted == 3


def test_the_csv_neutralises_every_cell_a_spreadsheet_would_run(hand_built):
    _, content = records_csv(hand_built, "children_in_care", "2024-03", MANAGER)
    text = content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    ids = {row["child_id"] for row in rows}
    assert {"'" + hostile for hostile in HOSTILE} <= ids
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    # Numbers stay numbers (the row a record came from), and yes/no are words.
    assert {row["source_row"] for row in rows} == {str(n) for n in range(2, 10)}


def test_no_name_date_of_birth_or_postcode_is_ever_listed(hand_built):
    for indicator in hand_built.catalogue.indicators:
        listing = records_behind(hand_built, indicator.id, "2024-03", MANAGER)
        listed = set(listing.table.columns)
        assert not any(is_identifying(c) for c in listed), (indicator.id, listed)
        assert not {"date_of_birth", "home_postcode", "placement_postcode"} & listed
        assert not any("name" in c.lower() for c in listed)
        # Nor is any value: the postcodes loaded are nowhere in the file.
        if listing.offered and len(listing.table):
            _, content = records_csv(hand_built, indicator.id, "2024-03", MANAGER)
            assert b"LE1 1AA" not in content and b"2012-05-01" not in content


def test_no_dataset_has_a_field_for_a_name_and_the_identifying_ones_are_known():
    fields = {f.name for dataset in DATASETS.values() for f in dataset.fields}
    assert not [f for f in fields if "name" in f.lower()]
    assert {f for f in fields if is_identifying(f)} == {"date_of_birth", "home_postcode", "placement_postcode"}


def test_a_rate_per_head_of_population_offers_no_list_and_says_where_its_children_are(hand_built):
    listing = records_behind(hand_built, "children_in_care_rate", "2024-03", MANAGER)
    assert not listing.offered and listing.table.empty
    assert "rate per 10,000 of the child population" in listing.reason and "“Children in care”" in listing.reason
    with pytest.raises(LookupError):
        records_csv(hand_built, "children_in_care_rate", "2024-03", MANAGER)


def test_a_month_without_its_extract_says_why_rather_than_listing_nobody(hand_built):
    listing = records_behind(hand_built, "visits_in_timescale", "2024-03", MANAGER)
    assert listing.offered and listing.table.empty
    assert listing.reason.startswith("No figure for 2024-03: no visits extract loaded")


# --- the demo county: every indicator that offers a list, several months -------------------

MONTHS = ("2023-04", "2024-01", "2024-09", "2025-03")


def test_every_list_adds_up_to_its_figure_in_the_demo_county(metrics):
    checked = 0
    for indicator in metrics.catalogue.indicators:
        for period in MONTHS:
            listing = list_records(metrics.records, metrics.catalogue, indicator.id, period)
            figure = metrics.total(indicator.id, period)
            if not listing.offered or figure["numerator"] is None or figure["numerator"] != figure["numerator"]:
                continue
            assert listing.numerator == figure["numerator"], (indicator.id, period)
            if indicator.unit.value != "count":
                assert listing.denominator == figure["denominator"], (indicator.id, period)
            assert not any(is_identifying(c) for c in listing.table.columns)
            checked += 1
    assert checked >= 25 * len(MONTHS) - 10  # nearly every indicator in every month has a figure


def test_the_list_agrees_with_compute_recounted_from_scratch(metrics):
    """Against a fresh `compute` of the month (not the cached figures the page reads)."""
    table = compute(metrics.records, metrics.catalogue, ["rhi_within_72_hours", "iha_in_timescale"],
                    periods=["2025-03"])
    for row in table[table["breakdown"] == TOTAL].itertuples():
        listing = list_records(metrics.records, metrics.catalogue, row.indicator, "2025-03")
        assert (listing.numerator, listing.denominator) == (row.numerator, row.denominator)


def test_the_records_page_says_the_list_matches_and_is_not_for_publication(metrics):
    page = build_records_page(metrics, "placed_out_of_area", "2025-03", MANAGER)
    assert page.agrees and page.offered
    assert page.figure_text == "The figure: 29.6% (209 of 705)."
    assert page.totals_text == "209 records counted; 705 records listed in all (the denominator)."
    assert page.marking.startswith("Not for publication")
    assert page.headings[:4] == ("Included", "Child id", "UASC", "Placed in area")
    assert page.extracts and page.csv_href == "/download/records/placed_out_of_area/2025-03.csv"
    unknown_month = build_records_page(metrics, "placed_out_of_area", "2031-01", MANAGER)
    assert unknown_month.period == metrics.periods()[-1]
    assert "There are no figures for January 2031" in unknown_month.notice

"""The drill-down against figures worked out by hand on a few hand-built records: a
breakdown month by month and over rolling 12 months (a ratio of sums), two breakdowns
crossed with margins that are the one-way breakdowns, and the small-number rule applied
to every cell."""
from __future__ import annotations

import textwrap

import pytest
from metrics_builders import episode, make_records, months

from scorecard.metrics.catalogue import CATALOGUE_PATH, load_catalogue
from scorecard.metrics.compute import TOTAL, compute
from scorecard.metrics.drilldown import Drilldown, Figure, rolling_refusal
from scorecard.metrics.rating import suppressed

NOTE = "suppressed: fewer than 5"


def public_rule(indicator, numerator, denominator) -> bool:
    """Today's rule (CouncilMetrics.hidden): a count of 1 to 4 in either is hidden."""
    return any(suppressed(count, 5) for count in (numerator, denominator))


def drilldown(records) -> Drilldown:
    return Drilldown(records, load_catalogue(), public_rule, NOTE)


CHILDREN = [episode("A", "2020-01-01", None, born="2010-01-01", district="North"),
            episode("B", "2021-05-01", None, born="2020-06-01", district="South")]


def visit(child: str, due: str, on_time: bool, team: str = "Team 1") -> dict:
    done = due if on_time else f"{due[:8]}28"
    return {"child_id": child, "date_due": due, "date_done": done, "team": team, "period": due[:7]}


@pytest.fixture(scope="module")
def march():
    """March 2024: A (North, 14) 2 of 3 on time, B (South, 3) 1 of 2, C (no care record) 0 of 1."""
    visits = [visit("A", "2024-03-04", True), visit("A", "2024-03-11", True), visit("A", "2024-03-18", False),
              visit("B", "2024-03-05", True, "Team 2"), visit("B", "2024-03-12", False, "Team 2"),
              visit("C", "2024-03-06", False, "Team 2")]
    return make_records({"visits": visits, "children_in_care": CHILDREN})


def test_visits_take_age_band_and_district_from_the_childs_care_record(march):
    table = compute(march, load_catalogue(), ["visits_in_timescale"], breakdowns=True, periods=["2024-03"])
    found = {(r.breakdown, r.group): (r.numerator, r.denominator) for r in table.itertuples()}
    assert found[("district", "North")] == (2, 3) and found[("district", "South")] == (1, 2)
    assert found[("age_band", "10 to 15")] == (2, 3) and found[("age_band", "1 to 4")] == (1, 2)
    # No care record for C: not recorded, never a guess.
    assert found[("district", "Not recorded")] == (0, 1) and found[("age_band", "Not recorded")] == (0, 1)
    lineage = {(r.breakdown, r.group): set(r.extract_ids) for r in table.itertuples()}
    care_extract = int(march.extracts.loc[march.extracts["dataset"] == "children_in_care", "id"].iloc[0])
    assert care_extract in lineage[("district", "North")], "a district's figure names the care record's file"
    assert care_extract not in lineage[(TOTAL, TOTAL)], "the whole figure does not depend on it"


def test_two_way_cells_and_margins(march):
    table = drilldown(march).crossed("visits_in_timescale", "district", "age_band", "2024-03")
    assert table.row_groups == ("North", "South", "Not recorded")
    assert table.column_groups == ("1 to 4", "10 to 15", "Not recorded")
    assert table.cells[("North", "10 to 15")] == Figure(2, 3, pytest.approx(2 / 3))
    assert table.cells[("South", "1 to 4")] == Figure(1, 2, 0.5)
    assert table.cells[("North", "1 to 4")].denominator == 0 and table.cells[("North", "1 to 4")].value is None
    assert table.total == Figure(3, 6, 0.5)
    one_way = compute(march, load_catalogue(), ["visits_in_timescale"], breakdowns=["district", "age_band"],
                      periods=["2024-03"])
    for margins, name in ((table.row_margins, "district"), (table.column_margins, "age_band")):
        expected = {r.group: (r.numerator, r.denominator) for r in one_way.itertuples() if r.breakdown == name}
        assert {g: (f.numerator, f.denominator) for g, f in margins.items()} == expected
    for row in table.row_groups:  # a row's cells add up to its margin (a row count, not distinct children)
        cells = [table.cells[(row, column)] for column in table.column_groups]
        assert sum(c.numerator for c in cells) == table.row_margins[row].numerator
        assert sum(c.denominator for c in cells) == table.row_margins[row].denominator


def test_every_cell_margin_and_total_is_hidden_publicly_when_small(march):
    table = drilldown(march).crossed("visits_in_timescale", "district", "age_band", "2024-03", public=True)
    assert table.cells[("North", "10 to 15")] == Figure(None, None, None, NOTE)
    assert table.row_margins["South"] == Figure(None, None, None, NOTE)
    assert table.cells[("North", "1 to 4")].denominator == 0, "a zero identifies no one"
    assert table.total.note == NOTE  # 3 of 6: the numerator is a small number


@pytest.fixture(scope="module")
def year():
    """April 2023 to March 2024: A (North) one visit a month, on time in the even months;
    B (South) one a month in the first four, all on time."""
    shown = months("2023-04", "2024-03")
    visits = [visit("A", f"{m}-10", index % 2 == 0) for index, m in enumerate(shown)]
    visits += [visit("B", f"{m}-12", True, "Team 2") for m in shown[:4]]
    return make_records({"visits": visits, "children_in_care": CHILDREN})


def test_rolling_twelve_months_is_a_ratio_of_sums(year):
    series = drilldown(year).series("visits_in_timescale", "district", "2024-03", months=12, rolling=True)
    assert series.window == 12 and series.periods[-1] == "2024-03"
    assert series.figures[("North", "2024-03")] == Figure(6, 12, 0.5)
    assert series.figures[("South", "2024-03")] == Figure(4, 4, 1.0)
    whole = series.figures[(TOTAL, "2024-03")]
    assert whole == Figure(10, 16, 0.625)
    monthly = drilldown(year).series("visits_in_timescale", "district", "2024-03", months=12)
    average_of_ratios = sum(monthly.figures[(TOTAL, m)].value for m in monthly.periods) / 12
    assert average_of_ratios == pytest.approx(7 / 12) != whole.value
    # February's 12 months reach back to March 2023, which no extract covers: no figure, and why.
    february = series.figures[("North", "2024-02")]
    assert february.value is None and february.note.startswith("no figure for 2023-03")


def test_month_by_month_each_group(year):
    series = drilldown(year).series("visits_in_timescale", "district", "2024-03", months=12)
    assert series.groups == ("North", "South") and series.window == 1
    assert [series.figures[("North", m)].numerator for m in series.periods] == [1, 0] * 6
    assert series.figures[("South", "2023-07")] == Figure(1, 1, 1.0)
    # No visit of B's was due in March: none in the denominator, not 0%.
    assert series.figures[("South", "2024-03")] == Figure(0, 0, None, "none in the denominator")
    public = drilldown(year).series("visits_in_timescale", "district", "2024-03", months=12, public=True)
    assert public.figures[("South", "2023-07")] == Figure(None, None, None, NOTE)
    assert public.figures[("South", "2024-03")].denominator == 0


def test_a_count_sums_its_counts_over_twelve_months():
    shown = months("2023-04", "2024-03")
    episodes = [{"episode_id": f"E{n}", "child_id": f"K{n}", "in_care": True, "missing_from": f"{m}-03 20:00",
                 "found_at": f"{m}-04 09:00", "district": "North" if n % 3 else "East", "period": m}
                for n, m in enumerate(shown)]
    records = make_records({"missing_episodes": episodes}, loaded={"return_interviews": shown})
    series = drilldown(records).series("missing_episodes", "district", "2024-03", months=1, rolling=True)
    assert series.figures[(TOTAL, "2024-03")] == Figure(12, None, 12.0)
    assert series.figures[("East", "2024-03")] == Figure(4, None, 4.0)  # episodes 0, 3, 6, 9
    assert series.figures[("North", "2024-03")] == Figure(8, None, 8.0)


def test_which_indicators_have_a_rolling_view_and_which_open_on_it(march):
    catalogue = load_catalogue()
    assert rolling_refusal(catalogue.by_id["visits_in_timescale"]) == ""
    assert "snapshot" in rolling_refusal(catalogue.by_id["children_in_care"])
    assert "once a month" in rolling_refusal(catalogue.by_id["children_missing"])
    assert "already covers the 12 months" in rolling_refusal(catalogue.by_id["care_leavers_eet_19_21"])
    opens, why = drilldown(march).opens_rolling(catalogue.by_id["visits_in_timescale"], "2024-03")
    assert opens and "typical month has only 6 in the denominator (fewer than 30)" in why
    assert drilldown(march).opens_rolling(catalogue.by_id["children_in_care"], "2024-03") == (False, "")


def test_a_filter_on_a_column_from_the_care_record_reads_the_record(tmp_path, march):
    """The care record is joined only when a figure needs it: a filter by district does."""
    addition = textwrap.dedent("""
      - id: visits_in_timescale_north
        label: Statutory visits in timescale, North district
        description: The share of visits to children in the North district made by the date they were due.
        definition:
          numerator: Visits due in the month to children in the North district, done by the due date.
          denominator: Visits due in the month to children in the North district.
          timescale: Visits due in the month.
        themes: {"2021": [placements], "2019": [voices]}
        unit: percent
        polarity: higher
        rag: none
        cohort: visits_due_in_month
        numerator: {where: [{column: done_by_due_date, op: eq, value: true}]}
        denominator: {where: [{column: district_label, op: eq, value: North}]}
    """)
    path = tmp_path / "metrics.yaml"
    path.write_text(CATALOGUE_PATH.read_text(encoding="utf-8") + textwrap.indent(addition, "  "), encoding="utf-8")
    catalogue = load_catalogue(path)
    assert "district" not in catalogue.by_id["visits_in_timescale_north"].breakdowns  # one group: not offered
    table = compute(march, catalogue, ["visits_in_timescale_north"], periods=["2024-03"])
    assert (table.iloc[0]["numerator"], table.iloc[0]["denominator"]) == (2, 3)


def test_a_figure_lacking_some_history_is_shown_with_its_caveat_as_the_whole_is():
    """A's care began in 2022, but the store holds only their episode from 2024: whether
    they had 3 placements in the year is unknown. The scorecard shows the figure, unrated."""
    records = make_records({"children_in_care": [
        episode("A", "2024-01-01", None, reason="P", period_start="2022-01-01"), episode("B", "2020-01-01", None)]})
    series = drilldown(records).series("placement_stability_short", "district", "2024-03", months=1)
    north = series.figures[("North", "2024-03")]
    assert (north.numerator, north.denominator, north.value) == (0, 2, 0.0)
    assert north.note.startswith("history incomplete for 1 child")

"""Small numbers that stay hidden: primary and complementary suppression on hand-built
tables, the scorecard's figures as such a table, and the checker reading what is shown."""
from __future__ import annotations

import pandas as pd
import pytest

from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    Range,
    Ratio,
    Relation,
    Table,
    determined,
    is_small,
    narrowed,
    protect,
    reader_ranges,
    recover,
)
from scorecard.metrics.disclosure_check import find_leaks
from scorecard.metrics.suppression import (
    count_keys,
    decide,
    figures_table,
    suppression_notes,
)

THRESHOLD = 5


def one_way(total: float, groups: dict[str, float]) -> Table:
    """A total and its groups, each cell showing one count."""
    counts = {"total": total, **groups}
    return Table(counts, {key: (key,) for key in counts}, [Relation("total", tuple(groups))])


def shown_after(table: Table, decision) -> dict:
    return {count: value for count, value in table.counts.items()
            if any(cell not in decision.hidden for cell, counts in table.cells.items() if count in counts)}


def assert_nothing_recoverable(table: Table, decision) -> None:
    shown = shown_after(table, decision)
    hidden = set(table.counts) - set(shown)
    assert not recover(shown, table.relations, unknown=hidden)
    assert not determined(hidden, table.relations, set(shown))


def test_zero_is_shown_and_one_to_four_hidden():
    assert [is_small(n, THRESHOLD) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


def test_two_groups_one_small_hides_the_other_not_the_total():
    table = one_way(20, {"in area": 17, "out of area": 3})
    decision = protect(table, THRESHOLD)
    assert decision.hidden == {"out of area": PRIMARY, "in area": SECONDARY}
    assert_nothing_recoverable(table, decision)


def test_the_old_rule_lets_the_small_group_be_worked_out():
    table = one_way(20, {"in area": 17, "out of area": 3})
    decision = protect(table, THRESHOLD, secondary=False)
    found = recover(shown_after(table, decision), table.relations)
    assert found["out of area"].value == 3 and found["out of area"].how == "the total minus the other groups"


def test_three_groups_the_companion_is_the_smallest_that_keeps_the_small_one_vague():
    # 2 with 6 would add up to 8: a reader who knows the small one is 1-4 and its companion
    # is not could narrow it to 1-3. 2 with 9 leaves it anywhere in 1-4.
    table = one_way(40, {"a": 2, "b": 6, "c": 9, "d": 23})
    assert protect(table, THRESHOLD).hidden == {"a": PRIMARY, "c": SECONDARY}
    table = one_way(40, {"a": 2, "b": 7, "c": 9, "d": 22})
    assert protect(table, THRESHOLD).hidden == {"a": PRIMARY, "b": SECONDARY}  # 2 + 7 = 9: enough


def test_two_small_groups_protect_each_other():
    table = one_way(30, {"a": 2, "b": 3, "c": 25})
    decision = protect(table, THRESHOLD)
    assert decision.hidden == {"a": PRIMARY, "b": PRIMARY}
    assert_nothing_recoverable(table, decision)


def test_a_small_total_hides_its_groups_and_a_lone_group_is_not_left_giving_it_away():
    # A total of 4: every group is 4 or less, so every non-zero group is hidden already;
    # the zero is shown (it tells nothing: 4 - 0 leaves the two hidden groups' sum).
    table = one_way(4, {"a": 3, "b": 1, "c": 0})
    decision = protect(table, THRESHOLD)
    assert decision.hidden == {"total": PRIMARY, "a": PRIMARY, "b": PRIMARY}
    assert_nothing_recoverable(table, decision)


def test_zero_groups_are_not_chosen_as_companions():
    table = one_way(12, {"a": 3, "b": 0, "c": 9, "d": 0})
    decision = protect(table, THRESHOLD)
    assert decision.hidden == {"a": PRIMARY, "c": SECONDARY}


def test_a_hidden_total_with_every_group_shown_is_given_away_by_its_groups():
    # The total hidden for another reason (it is a part elsewhere): its groups add up to it.
    counts = {"total": 30, "a": 10, "b": 20, "all": 33, "other": 3}
    table = Table(counts, {key: (key,) for key in counts},
                  [Relation("total", ("a", "b")), Relation("all", ("total", "other"))])
    decision = protect(table, THRESHOLD)
    assert decision.reason("other") == PRIMARY and decision.reason("total") == SECONDARY
    assert decision.reason("a") == SECONDARY  # else a + b gives the total, and 33 - 30 the 3
    assert_nothing_recoverable(table, decision)


def test_a_count_shown_by_two_cells_is_hidden_only_when_both_hide_it():
    # Two indicators with the same denominator (children in care): hiding one figure does
    # not hide the denominator while the other figure shows it.
    counts = {"den": 50, "den_x": 20, "den_y": 30, "num_a": 6, "num_a_x": 3, "num_a_y": 3,
              "num_b": 40, "num_b_x": 15, "num_b_y": 25}
    cells = {"a": ("num_a", "den"), "a x": ("num_a_x", "den_x"), "a y": ("num_a_y", "den_y"),
             "b": ("num_b", "den"), "b x": ("num_b_x", "den_x"), "b y": ("num_b_y", "den_y")}
    relations = [Relation("den", ("den_x", "den_y")), Relation("num_a", ("num_a_x", "num_a_y")),
                 Relation("num_b", ("num_b_x", "num_b_y"))]
    table = Table(counts, cells, relations)
    decision = protect(table, THRESHOLD)
    assert decision.hidden == {"a x": PRIMARY, "a y": PRIMARY}  # denominators still shown by b
    assert_nothing_recoverable(table, decision)


def test_relations_taken_together_are_tested_by_elimination():
    # x + y, x + z and y + z known: three equations pin all three down, although each
    # equation has two unknowns.
    counts = {"p": 10, "q": 11, "r": 13, "x": 4, "y": 6, "z": 7}
    relations = [Relation("p", ("x", "y")), Relation("q", ("x", "z")), Relation("r", ("y", "z"))]
    assert determined({"x", "y", "z"}, relations, {"p", "q", "r"}) == {"x", "y", "z"}
    table = Table(counts, {key: (key,) for key in counts}, relations)
    decision = protect(table, THRESHOLD)
    assert decision.reason("x") == PRIMARY and len(decision.hidden) > 3
    assert_nothing_recoverable(table, decision)


def test_a_small_number_and_a_companion_adding_up_to_little_give_each_other_away():
    # Total 26, shown 20: the two hidden add up to 6. A small one is 1-4 and its companion
    # 5 or more: only 1 and 5 fit.
    relations = [Relation("total", ("a", "b", "c"))]
    ranges = reader_ranges({"a": ("a",), "b": ("b",)}, {"a": PRIMARY, "b": SECONDARY}, THRESHOLD)
    assert ranges == {"a": Range(1, 4), "b": Range(not_small=True)}
    found = narrowed({"total": 26, "c": 20}, relations, ranges, THRESHOLD)
    assert {key: r.value for key, r in found.items()} == {"a": 1, "b": 5}
    assert narrowed({"total": 29, "c": 20}, relations, ranges, THRESHOLD) == {}
    # A companion that adds nothing (0 + 3) is seen to be zero: the small one is 3.
    assert {k: r.value for k, r in narrowed({"total": 23, "c": 20}, relations, ranges, THRESHOLD).items()} \
        == {"a": 3, "b": 0}
    # protect avoids that companion when it can
    table = one_way(26, {"a": 1, "b": 5, "c": 20})
    assert protect(table, THRESHOLD).hidden == {"a": PRIMARY, "c": SECONDARY}


def test_small_groups_adding_up_to_their_number_are_each_one():
    # Six host councils with one child each, the rest shown: each hidden 1 is pinned down
    # by the six adding up to 6, unless a companion is hidden with them.
    groups = {f"council {n}": 1 for n in range(6)}
    table = one_way(26, {**groups, "in county": 12, "elsewhere": 8})
    old = protect(table, THRESHOLD, secondary=False)
    shown = shown_after(table, old)
    ranges = reader_ranges(table.cells, old.hidden, THRESHOLD)
    assert set(narrowed(shown, table.relations, ranges, THRESHOLD)) == set(groups)
    decision = protect(table, THRESHOLD)
    assert decision.reason("elsewhere") == SECONDARY
    shown = shown_after(table, decision)
    assert narrowed(shown, table.relations, reader_ranges(table.cells, decision.hidden, THRESHOLD), THRESHOLD) == {}


def test_a_value_gives_a_count_back_from_the_other():
    found = recover({"den": 8}, [], [Ratio("num", "den", 0.25)])
    assert found["num"].value == 2 and found["num"].how == "the value times the denominator"
    found = recover({"num": 3}, [], [Ratio("num", "den", 0.375)])
    assert found["den"].value == 8
    # A rate per 10,000 of a published population gives its count back too.
    assert recover({}, [], [Ratio("num", None, 3 / 120_000 * 10_000, 10_000, fixed=120_000)])["num"].value == 3


# --- The scorecard's figures as a disclosure table

@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def figures(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(("indicator", "period", "breakdown", "group", "numerator", "denominator",
                                   "value"), row, strict=True)) for row in rows])


IHA = [("iha_in_timescale", "2025-03", "total", "total", 12, 20, 0.6),
       ("iha_in_timescale", "2025-03", "area", "In area", 10, 12, 10 / 12),
       ("iha_in_timescale", "2025-03", "area", "Out of area", 2, 8, 0.25)]


def test_iha_from_the_issue_the_in_area_figure_is_hidden_beside_the_small_one(catalogue):
    decision = decide(figures(IHA), catalogue)
    assert decision.hidden == {("iha_in_timescale", "2025-03", "area", "Out of area"): PRIMARY,
                               ("iha_in_timescale", "2025-03", "area", "In area"): SECONDARY}
    assert suppression_notes(5)[SECONDARY] == "suppressed so that a small number elsewhere cannot be worked out"


def shown_rows(rows: list[tuple], decision) -> list[dict]:
    """The rows as a public output shows them under `decision`."""
    notes = suppression_notes(5)
    out = []
    for row in figures(rows).to_dict("records"):
        reason = decision.reason((row["indicator"], row["period"], row["breakdown"], row["group"]))
        if reason:
            row = dict(row, numerator=None, denominator=None, value=None, note=notes[reason])
        out.append(row)
    return out


def test_the_checker_finds_the_iha_leak_under_the_old_rule_and_none_under_the_new(catalogue):
    old = decide(figures(IHA), catalogue, secondary=False)
    leaks = find_leaks(shown_rows(IHA, old), catalogue)
    assert [(leak.group, leak.count, leak.value) for leak in leaks] == [("Out of area", "denominator", 8),
                                                                        ("Out of area", "numerator", 2)]
    assert leaks[1].text() == ("iha_in_timescale 2025-03, area Out of area: hidden numerator 2 is the total minus "
                               "the other groups (area In area, the total)")
    assert find_leaks(shown_rows(IHA, decide(figures(IHA), catalogue)), catalogue) == []


def test_the_checker_reads_a_value_shown_as_last_months(catalogue):
    # The month hides its out-of-area figure, but the next month's row shows it as last
    # month's: with the denominator shown elsewhere that gives the count back.
    rows = shown_rows(IHA, decide(figures(IHA), catalogue, secondary=False))
    rows.append({"indicator": "iha_in_timescale", "period": "2025-04", "breakdown": "area", "group": "Out of area",
                 "last_month": 0.25})
    assert {leak.count for leak in find_leaks(rows, catalogue)} == {"numerator", "denominator", "value"}
    rows = shown_rows(IHA, decide(figures(IHA), catalogue)) + rows[-1:]
    assert [(leak.group, leak.count, leak.how) for leak in find_leaks(rows, catalogue)] == [
        ("Out of area", "value", "shown in another output")]


def test_a_count_without_denominator_and_a_rate_of_the_population(catalogue):
    rows = [("missing_episodes", "2025-03", "total", "total", 30, None, 30.0),
            ("missing_episodes", "2025-03", "care_status", "Children in care", 27, None, 27.0),
            ("missing_episodes", "2025-03", "care_status", "Other children", 3, None, 3.0),
            # 4 children in care of 120,000: the count is small, the population is not a count
            ("children_in_care_rate", "2025-03", "total", "total", 4, 120_000, 4 / 12)]
    decision = decide(figures(rows), catalogue)
    assert decision.reason(("missing_episodes", "2025-03", "care_status", "Other children")) == PRIMARY
    assert decision.reason(("missing_episodes", "2025-03", "care_status", "Children in care")) == SECONDARY
    assert decision.reason(("children_in_care_rate", "2025-03", "total", "total")) == PRIMARY
    assert count_keys(catalogue.by_id["children_in_care_rate"], "2025-03", "total", "total")[1] is None
    # A population (even an absurd one of 3) is no count of children: it hides nothing.
    assert decide(figures([("children_in_care_rate", "2025-03", "total", "total", 700, 3, 7000 / 3 * 1e4)]),
                  catalogue).hidden == {}
    leaks = find_leaks(shown_rows(rows, decision) + [
        {"indicator": "children_in_care_rate", "period": "2025-02", "last_month": None}], catalogue,
        {("children_in_care_rate", "2025-03"): 120_000})
    assert leaks == []


def test_figures_with_the_same_count_share_it(catalogue):
    # Every placement-mix indicator is out of the children in care: one count, not six.
    keys = {count_keys(catalogue.by_id[i], "2025-03", "district", "East")[1]
            for i in ("placement_in_house_fostering", "placement_adoption", "placement_stability_short")}
    assert len(keys) == 1
    assert count_keys(catalogue.by_id["children_in_care"], "2025-03", "district", "East")[0] in keys
    # The RHIs within 72 hours are out of the RHIs completed.
    completed = count_keys(catalogue.by_id["rhi_completed"], "2025-03", "total", "total")[0]
    assert count_keys(catalogue.by_id["rhi_within_72_hours"], "2025-03", "total", "total")[1] == completed
    table = figures_table(figures(IHA), catalogue)
    assert len(table.relations) == 2  # numerators and denominators add up separately
    # A breakdown group is the count of the indicator filtered the same way.
    cic = catalogue.by_id["children_in_care"]
    assert count_keys(cic, "2025-03", "placement_type", "Residential")[0] == \
        count_keys(catalogue.by_id["placement_residential"], "2025-03", "total", "total")[0]
    assert count_keys(cic, "2025-03", "uasc", "UASC")[0] == \
        count_keys(catalogue.by_id["uasc_percent"], "2025-03", "total", "total")[0]


def test_a_companion_shown_as_another_indicator_is_no_companion(catalogue):
    # Adoption is 3 of the 50 children in care; residential, the companion the placement-type
    # breakdown would choose, is also the residential placement mix's own headline figure.
    rows = [("children_in_care", "2025-03", "total", "total", 50, None, 50.0),
            ("children_in_care", "2025-03", "placement_type", "Placed for adoption", 3, None, 3.0),
            ("children_in_care", "2025-03", "placement_type", "Residential", 7, None, 7.0),
            ("children_in_care", "2025-03", "placement_type", "In-house fostering", 40, None, 40.0),
            ("placement_residential", "2025-03", "total", "total", 7, 50, 7 / 50)]
    decision = decide(figures(rows), catalogue)
    # Hiding residential in the breakdown hides the residential headline too: else 50 - 40 - 7.
    assert decision.hidden == {("children_in_care", "2025-03", "placement_type", "Placed for adoption"): PRIMARY,
                               ("children_in_care", "2025-03", "placement_type", "Residential"): SECONDARY,
                               ("placement_residential", "2025-03", "total", "total"): SECONDARY}
    assert find_leaks(shown_rows(rows, decision), catalogue) == []
    apart = decide(figures(rows[:-1]), catalogue)  # as if the headline were another count
    leaks = find_leaks(shown_rows(rows, apart), catalogue)
    assert ("Placed for adoption", "numerator", 3) in [(leak.group, leak.count, leak.value) for leak in leaks]


def test_a_two_way_table_adds_up_by_rows_and_columns(catalogue):
    # Children in care by district and by age band, and district by age band.
    one_way = {("district", "East"): 20, ("district", "West"): 30, ("age_band", "Under 10"): 22,
               ("age_band", "10 and over"): 28}
    crossed = {("East", "Under 10"): 3, ("East", "10 and over"): 17, ("West", "Under 10"): 19,
               ("West", "10 and over"): 11}
    rows = [("children_in_care", "2025-03", "total", "total", 50, None, 50.0)]
    rows += [("children_in_care", "2025-03", b, g, n, None, float(n)) for (b, g), n in one_way.items()]
    rows += [("children_in_care", "2025-03", "district by age band", g, n, None, float(n)) for g, n in crossed.items()]
    two_way = {"district by age band": ("district", "age_band")}
    table = figures_table(figures(rows), catalogue, two_way)
    assert len(table.relations) == 3 + 4  # total by each breakdown; two rows, two columns
    decision = decide(figures(rows), catalogue, two_way=two_way)
    hidden = {key[3] for key, _ in decision.hidden.items()}
    # The classic four: the small cell, one in its row, one in its column, and the fourth corner.
    assert hidden == set(crossed) and decision.count(PRIMARY) == 1
    assert_nothing_recoverable(table, decision)

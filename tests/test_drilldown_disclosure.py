"""The drill-down's public tables decided with the figures around them, on hand-built
tables: a two-way table's margins fixed as the month's decision says and its cells hidden
around a small one; a rolling 12 months hidden when it would give away a hidden month."""
from __future__ import annotations

from scorecard.metrics.compute import TOTAL
from scorecard.metrics.compute import crossed as crossed_name
from scorecard.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    Relation,
    Table,
    determined,
    protect,
    recover,
)
from scorecard.metrics.drilldown import Figure
from scorecard.metrics.drilldown_disclosure import (
    SHOWN,
    Figures,
    add_crossed,
    gives_away,
    protect_figures,
    roll_up,
)

THRESHOLD = 5


def counts_of(figures: Figures, decision) -> tuple[dict, list[Relation]]:
    """What a reader sees (the shown figures' numerators) and how they add up."""
    shown = {key: float(f.numerator) for key, f in figures.figures.items()
             if f.numerator is not None and key not in decision.hidden}
    relations = [Relation(total, tuple(parts)) for total, parts in figures.sums]
    return shown, relations


def decision_counts(figures: Figures, decision) -> set:
    return {key for key in decision.hidden if figures.figures[key].numerator is not None}


def two_by_two(margin_fixed) -> Figures:
    """Children by area (In, Out) and sex (F, M): one small cell, In and F, 2 children."""
    cells = {("In", "F"): 2, ("In", "M"): 20, ("Out", "F"): 30, ("Out", "M"): 40}
    name = crossed_name("area", "sex")
    sums = {(name, pair): n for pair, n in cells.items()}
    sums |= {("area", g): sum(n for (a, _), n in cells.items() if a == g) for g in ("In", "Out")}
    sums |= {("sex", g): sum(n for (_, s), n in cells.items() if s == g) for g in ("F", "M")}
    sums[(TOTAL, TOTAL)] = sum(cells.values())
    figures = Figures()
    add_crossed(figures, "area", "sex", (("In", "Out"), ("F", "M")), "2025-03", ["2025-03"],
                lambda breakdown, group, months: Figure(sums[(breakdown, group)], None, None), margin_fixed)
    return figures


def test_a_small_cell_hides_the_four_corners_and_leaves_the_margins_as_decided():
    figures = two_by_two(lambda key, figure: SHOWN)  # the month's breakdowns show every margin
    decision = protect_figures(figures, THRESHOLD, denominators_counted=False)
    name = crossed_name("area", "sex")
    assert decision.hidden == {(1, name, ("In", "F"), "2025-03"): PRIMARY, (1, name, ("In", "M"), "2025-03"): SECONDARY,
                               (1, name, ("Out", "F"), "2025-03"): SECONDARY,
                               (1, name, ("Out", "M"), "2025-03"): SECONDARY}
    shown, relations = counts_of(figures, decision)
    assert not recover(shown, relations), "no hidden cell is a margin minus the shown cells"
    # Primary-only hiding gives the small cell away: row In's margin minus its other cell.
    old = protect_figures(figures, THRESHOLD, denominators_counted=False)
    old.hidden = {k: why for k, why in old.hidden.items() if why == PRIMARY}
    found = recover(*counts_of(figures, old))
    assert found[(1, name, ("In", "F"), "2025-03")].value == 2


def test_a_margin_the_month_hides_stays_hidden_and_its_cells_are_hidden_with_it():
    # The month's decision hid both areas (companions of a small number in another indicator).
    figures = two_by_two(lambda key, figure: SECONDARY if key[1] == "area" else SHOWN)
    decision = protect_figures(figures, THRESHOLD, denominators_counted=False)
    margins = {key: why for key, why in decision.hidden.items() if key[1] in ("area", "sex", TOTAL)}
    assert margins == {(1, "area", "In", "2025-03"): SECONDARY, (1, "area", "Out", "2025-03"): SECONDARY}, \
        "no margin the month shows is hidden here"
    shown, relations = counts_of(figures, decision)
    assert not recover(shown, relations), "neither hidden area is the sum of its shown cells"
    assert not determined(decision_counts(figures, decision), relations, shown), "nor by elimination"
    # The small cell and a companion in its column: the hidden margins already cover the rows.
    assert decision.count() == 4


def test_protect_never_picks_a_cell_that_must_stay_shown():
    table = Table({"total": 20, "a": 3, "b": 7, "c": 10}, {"t": ("total",), "a": ("a",), "b": ("b",), "c": ("c",)},
                  [Relation("total", ("a", "b", "c"))])
    assert protect(table, THRESHOLD).hidden == {"a": PRIMARY, "b": SECONDARY}
    assert protect(table, THRESHOLD, shown=["b"]).hidden == {"a": PRIMARY, "c": SECONDARY}
    given = protect(table, THRESHOLD, hidden={"c": SECONDARY}, shown=["b"])
    assert given.hidden == {"a": PRIMARY, "c": SECONDARY}, "c, hidden already, is the small one's companion"


MONTHS = [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]
WINDOW = {"2025-03": MONTHS}


def out_of_area(group: str, month: str) -> int:
    """IHAs by area: 10 in area and 6 out of area every month, but 2 out of area in July."""
    monthly = {"In": 10, "Out": 2 if month == "2024-07" else 6}
    return monthly["In"] + monthly["Out"] if group == TOTAL else monthly[group]


def summed(breakdown, group, months):
    return Figure(sum(out_of_area(group, m) for m in months), None, None)


def july_hidden(key) -> bool:
    """July's decision: out of area small, in area hidden beside it; the whole shown."""
    return key[3] == "2024-07" and key[2] in ("In", "Out")


def reader(hidden: set) -> tuple[dict, list[Relation]]:
    """What the trend views show (each month, and the 12 months to March) and how they add up."""
    lines = [(TOTAL, TOTAL), ("area", "In"), ("area", "Out")]
    every = {(1, b, g, m): out_of_area(g, m) for b, g in lines for m in MONTHS}
    every |= {(12, b, g, "2025-03"): summed(b, g, MONTHS).numerator for b, g in lines}
    relations = [Relation((12, b, g, "2025-03"), tuple((1, b, g, m) for m in MONTHS)) for b, g in lines]
    relations += [Relation((w, TOTAL, TOTAL, p), ((w, "area", "In", p), (w, "area", "Out", p)))
                  for w, p in [(1, m) for m in MONTHS] + [(12, "2025-03")]]
    return {k: float(v) for k, v in every.items() if k not in hidden}, relations


def test_a_rolling_figure_that_would_give_away_a_hidden_month_is_hidden():
    decision = roll_up(july_hidden, [(TOTAL, TOTAL), ("area", "In"), ("area", "Out")], WINDOW, summed,
                       lambda figure: 0 < figure.numerator < THRESHOLD)
    assert decision.hidden == {(12, "area", "In", "2025-03"): SECONDARY, (12, "area", "Out", "2025-03"): SECONDARY}
    july = {(1, "area", "In", "2024-07"), (1, "area", "Out", "2024-07")}
    shown, relations = reader(july | set(decision.hidden))
    assert not recover(shown, relations), "the hidden July is not the 12 months minus the 11 shown"
    assert not determined(july | set(decision.hidden), relations, shown), "nor by elimination"
    # Shown, the 12 months out of area (68: not small) minus 11 months of 6 is July's 2.
    found = recover(*reader(july))
    assert found[(1, "area", "Out", "2024-07")].value == 2


def test_a_table_whose_fixed_margins_give_a_cell_away_is_found_out():
    """Out of area (10) hidden beside In area (1), which is small: F is 6 of which Out of
    area F is not small (5 or more), so In area F is 1, whatever else the table hides."""
    cells = {("In", "F"): 1, ("In", "M"): 0, ("Out", "F"): 5, ("Out", "M"): 5}
    name = crossed_name("area", "sex")
    sums = {(name, pair): n for pair, n in cells.items()}
    sums |= {("area", "In"): 1, ("area", "Out"): 10, ("sex", "F"): 6, ("sex", "M"): 5, (TOTAL, TOTAL): 11}
    figures = Figures()
    add_crossed(figures, "area", "sex", (("In", "Out"), ("F", "M")), "2025-03", ["2025-03"],
                lambda breakdown, group, months: Figure(sums[(breakdown, group)], None, None),
                lambda key, figure: {"In": PRIMARY, "Out": SECONDARY}.get(key[2], SHOWN) if key[1] == "area"
                else SHOWN)
    decision = protect_figures(figures, THRESHOLD, denominators_counted=False)
    assert gives_away(figures, decision, THRESHOLD, denominators_counted=False)
    # With both areas shown there is nothing to narrow down: the table is protected.
    shown_areas = two_by_two(lambda key, figure: SHOWN)
    assert not gives_away(shown_areas, protect_figures(shown_areas, THRESHOLD, False), THRESHOLD, False)

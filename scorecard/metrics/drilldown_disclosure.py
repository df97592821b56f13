"""The drill-down's public tables as disclosure tables (see `disclosure`), joined to what
the other outputs show.

The drill-down shows figures that the month's decision never saw: two-way cells, and
each group's rolling 12 months. Decided on their own they would give away what the
month's decision hides, or hide what it shows:
  - a two-way table's margins are the month's one-way breakdowns and its total the
    figure itself: hidden or shown as the month's decision says (fixed here), and the
    cells hidden around them, so that no hidden margin is the sum of shown cells and no
    hidden cell the margin minus the others;
  - a rolling 12 months is the sum of 12 monthly figures the month-by-month view shows
    (each as its month's decision says): with one month hidden and the rolling figure
    and the other 11 shown, the hidden month is their difference. So a rolling figure is
    hidden whenever any of its months is (`roll_up`, which says why that is safe), over
    every month the council has (a page's 24 months overlap the next page's);
  - a two-way table over 12 months likewise: its margins are the one-way rolling
    figures, each cell hidden whenever that cell is hidden in any of its months' tables.

A figure is keyed (window, breakdown, group, period): window 1 or 12, breakdown TOTAL for
the whole, a one-way breakdown, or a two-way table's `crossed` name with the pair as group.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

from scorecard.metrics.compute import TOTAL
from scorecard.metrics.compute import crossed as crossed_name
from scorecard.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    Decision,
    Relation,
    Table,
    determined,
    narrowed,
    protect,
    reader_ranges,
    recover,
)

SHOWN = "shown"  # a figure another output shows: it must stay shown here
# A two-way table whose margins give away a hidden count whatever cells are hidden shows
# none of its cells: a refusal rather than a table that tells.
WITHHELD = "withheld"
WITHHELD_NOTE = ("not shown: with the margins shown and hidden as the month's breakdowns are, this table's cells "
                 "would let a hidden figure be worked out")
FigureKey = tuple  # (window, breakdown, group, period)
Summed = Callable[[str, object, list[str]], object]       # (breakdown, group, months) -> Figure
Fixed = Callable[[FigureKey, object], str]                # (key, figure) -> reason hidden or SHOWN


@dataclass(frozen=True)
class PublicRule:
    """How public outputs hide figures, for the drill-down to follow: the month's decision
    (`month_reason(indicator, period, breakdown, group, numerator, denominator)`: PRIMARY,
    SECONDARY or None), the months a council has (`periods`), and a way to decide many
    months in one go before asking (`decide_months`)."""
    threshold: int
    notes: Mapping[str, str]
    month_reason: Callable[..., str | None]
    decide_months: Callable[[list[str]], object]
    periods: Callable[[], list[str]]


@dataclass
class Figures:
    """Drill-down figures, how they add up (total, parts), and which are decided elsewhere."""
    figures: dict[FigureKey, object] = field(default_factory=dict)
    sums: list[tuple[FigureKey, list[FigureKey]]] = field(default_factory=list)
    fixed: dict[FigureKey, str] = field(default_factory=dict)

    def add(self, key: FigureKey, figure, fixed: Fixed | None = None) -> None:
        self.figures[key] = figure
        if fixed is not None:
            self.fixed[key] = fixed(key, figure)


def protect_figures(figures: Figures, threshold: int, denominators_counted: bool) -> Decision:
    """Which drill-down figures to hide: every small one, the fixed ones as decided, and
    companions among the free ones. A figure shows its numerator and, unless the
    denominator is no count of children (a population), its denominator; a figure with no
    numerator (no figure for a month) shows nothing and is left out, and so is any sum it
    is in (it gives nothing away)."""
    table = _table(figures, denominators_counted)
    hidden = {key: why for key, why in figures.fixed.items() if why != SHOWN and key in table.cells}
    shown = [key for key, why in figures.fixed.items() if why == SHOWN and key in table.cells]
    return protect(table, threshold, hidden=hidden, shown=shown)


def gives_away(figures: Figures, decision: Decision, threshold: int, denominators_counted: bool) -> bool:
    """Whether a reader works out a hidden count of these figures however the free ones are
    hidden: `protect` stops when only fixed figures are left to hide (a two-way table's
    margins), and the margins and what each hidden cell says of itself can still pin one
    down. The same three ways in as the checker's."""
    table = _table(figures, denominators_counted)
    secret = {count for cell, counts in table.cells.items() if cell in decision.hidden for count in counts}
    shown = {count: value for count, value in table.counts.items() if count not in secret}
    if set(recover(shown, table.relations, unknown=secret)) & secret:
        return True
    if determined(secret, table.relations, shown):
        return True
    ranges = reader_ranges(table.cells, decision.hidden, threshold)
    return bool(set(narrowed(shown, table.relations, ranges, threshold)) & secret)


def _table(figures: Figures, denominators_counted: bool) -> Table:
    counts: dict[Hashable, float] = {}
    cells: dict[FigureKey, tuple] = {}
    for key, figure in figures.figures.items():
        if figure.numerator is None:
            continue
        shown = [(key, 0)]
        counts[(key, 0)] = float(figure.numerator)
        if denominators_counted and figure.denominator is not None:
            counts[(key, 1)] = float(figure.denominator)
            shown.append((key, 1))
        cells[key] = tuple(shown)
    relations = []
    for total, parts in figures.sums:
        for position in (0, 1):
            members = [(total, position), *((part, position) for part in parts)]
            if all(member in counts for member in members):
                relations.append(Relation(members[0], tuple(members[1:])))
    return Table(counts, cells, list(dict.fromkeys(relations)))


def add_crossed(figures: Figures, first: str, second: str, groups: tuple[tuple, tuple], period: str,
                months: list[str], summed: Summed, margin_fixed: Fixed, cell_fixed: Fixed | None = None) -> None:
    """A two-way table over `months` (1 or 12) to `period`: its cells (free unless
    `cell_fixed`), margins and total (fixed), each row's and column's cells adding up to
    its margin, each side's margins to the total."""
    window, name = len(months), crossed_name(first, second)
    total = (window, TOTAL, TOTAL, period)
    figures.add(total, summed(TOTAL, TOTAL, months), margin_fixed)
    pairs = [(r, c) for r in groups[0] for c in groups[1]]
    for pair in pairs:
        figures.add((window, name, pair, period), summed(name, pair, months), cell_fixed)
    for side, breakdown in enumerate((first, second)):
        for group in groups[side]:
            key = (window, breakdown, group, period)
            figures.add(key, summed(breakdown, group, months), margin_fixed)
            figures.sums.append((key, [(window, name, pair, period) for pair in pairs if pair[side] == group]))
        figures.sums.append((total, [(window, breakdown, g, period) for g in groups[side]]))


def roll_up(month_hidden: Callable[[FigureKey], bool], lines: list[tuple[str, object]],
            windows: Mapping[str, list[str]], summed: Summed, small: Callable[[object], bool]) -> Decision:
    """Which rolling 12-month figures to hide: a small one, and one any of whose 12 months
    is hidden (`month_hidden((1, breakdown, group, month))`).

    Why that is enough, without elimination: take any way of changing the hidden figures
    of one month that keeps its sums true (there is one moving each hidden figure: its
    month's decision made sure). Change every rolling figure whose window holds that
    month by the same amount as its group's figure in the month: each is hidden (its
    month is), each still the sum of its months, each breakdown's groups still add up to
    the whole. So a hidden month stays as unknown beside the rolling figures as without
    them, and so does each hidden rolling figure (it moves with its hidden month)."""
    hidden: dict[FigureKey, str] = {}
    for breakdown, group in lines:
        for period, months in windows.items():
            figure = summed(breakdown, group, months)
            if figure.numerator is None:
                continue
            key = (len(months), breakdown, group, period)
            if small(figure):
                hidden[key] = PRIMARY
            elif any(month_hidden((1, breakdown, group, month)) for month in months):
                hidden[key] = SECONDARY
    return Decision(hidden)

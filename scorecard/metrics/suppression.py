"""The scorecard's figures as a disclosure table (see `disclosure`): which counts each
figure shows, which of them are the same count, and how they add up.

A figure is one indicator in one month for one breakdown group (the whole council is
the group `total` of the breakdown `total`). It shows its numerator, its denominator
and its value, which gives either count from the other: so a figure is shown or hidden
whole. A denominator taken from the population (an ONS estimate) is not a count of
children and protects nothing: it is left out.

Two figures can show the same count: every placement-mix indicator's denominator is the
number of children in care, and so is the children-in-care count; the RHIs within 72
hours are out of the RHIs completed. A count is named by what it counts (the cohort, the
filters its rows pass, how it counts them, the month and the group), not by the
indicator, so that it is hidden only where no figure still shows it.
"""
from __future__ import annotations

import json
from collections.abc import Hashable, Mapping

import pandas as pd

from scorecard.metrics.catalogue import Catalogue, Filter, Indicator, Op, Unit
from scorecard.metrics.cohorts import BREAKDOWNS
from scorecard.metrics.compute import TOTAL
from scorecard.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    Decision,
    Relation,
    Table,
    protect,
)
from scorecard.metrics.records import PLACEMENT_MIX_LABELS

FigureKey = tuple[str, str, str, object]  # (indicator, period, breakdown, group)


def suppression_notes(threshold: int) -> dict[str, str]:
    """What a hidden figure says instead of its value, by reason."""
    return {PRIMARY: f"suppressed: fewer than {threshold}",
            SECONDARY: "suppressed so that a small number elsewhere cannot be worked out"}


def numerator_identity(indicator: Indicator) -> tuple:
    """What the indicator's numerator counts, whatever indicator it belongs to."""
    spec = indicator.numerator
    method = f"distinct {spec.count_distinct}" if spec.count_distinct else f"sum {spec.sum}" if spec.sum else "rows"
    filters = (*(indicator.denominator.where if indicator.denominator else ()), *spec.where)
    return indicator.cohort, method, _filters(filters)


def denominator_identity(indicator: Indicator) -> tuple | None:
    """What the denominator counts; None when it is no count of children (a count
    indicator has none; a rate per 10,000 divides by the population)."""
    if indicator.unit is Unit.COUNT or indicator.denominator is None or indicator.denominator.reference is not None:
        return None
    return indicator.cohort, "rows", _filters(indicator.denominator.where)


def _filters(filters) -> frozenset:
    return frozenset(_filter_text(f) for f in filters)


def _filter_text(where: Filter) -> str:
    value = where.value
    if where.op in (Op.IN, Op.NOT_IN) and isinstance(value, list | tuple):
        value = sorted(value, key=str)  # the same set of values, however listed
    return json.dumps([where.column, where.op.value, value], default=str)


def count_keys(indicator: Indicator, period: str, breakdown: str, group) -> tuple[Hashable, Hashable | None]:
    """The keys of the counts a figure shows: (numerator, denominator or None). A breakdown
    group is one more filter on the rows counted, so that the same children counted two ways
    are one count: the children in care's group "Residential" is the residential placement
    mix's numerator, their group "UASC" the UASC share's."""
    numerator, denominator = _identities(indicator)
    extra = frozenset() if breakdown == TOTAL else frozenset([_group_filter(breakdown, _group(group))])

    def key(identity):
        cohort, method, filters = identity
        return cohort, method, filters | extra, period
    return key(numerator), (None if denominator is None else key(denominator))


# Breakdown columns that are labels of a column filters use, and each label's value, as
# records.prepare makes them: a group filter is written on the filters' column.
LABELLED_COLUMNS = {
    "placement_mix_label": ("placement_mix", {label: value for value, label in PLACEMENT_MIX_LABELS.items()}),
    "uasc_status": ("uasc", {"UASC": True, "Not UASC": False}),
}


# Read once: a group filter is written for every figure of every month, and an enum
# member's value is looked up afresh on each reading.
_EQUALS = Op.EQ.value


def _group_filter(breakdown: str, group) -> str:
    spec = BREAKDOWNS.get(breakdown)
    if spec is None:  # not a one-way breakdown of the cohorts (a two-way table): named as it is
        return json.dumps([breakdown, "group", group], default=str)
    column, values = LABELLED_COLUMNS.get(spec.column, (spec.column, None))
    if values is not None and group in values:
        return json.dumps([column, _EQUALS, values[group]], default=str)
    return json.dumps([spec.column, _EQUALS, group], default=str)


_IDENTITIES: dict[int, tuple[Indicator, tuple]] = {}


def _identities(indicator: Indicator) -> tuple:
    # Asked for every figure of every month: worked out once per indicator object (kept
    # with its answer, so that its id cannot be reused by another while it is cached).
    cached = _IDENTITIES.get(id(indicator))
    if cached is None or cached[0] is not indicator:
        if len(_IDENTITIES) > 1024:
            _IDENTITIES.clear()
        cached = _IDENTITIES[id(indicator)] = indicator, (numerator_identity(indicator), denominator_identity(indicator))
    return cached[1]


def figure_key(indicator_id: str, period: str, breakdown: str = TOTAL, group=TOTAL) -> FigureKey:
    """How a decision names a figure."""
    return indicator_id, period, breakdown, _group(group)


def _group(group):
    # Groups come as numpy scalars or Python values; both must name the same figure.
    return group.item() if hasattr(group, "item") else group


def figures_table(values: pd.DataFrame, catalogue: Catalogue,
                  two_way: Mapping[str, tuple[str, str]] | None = None) -> Table:
    """The disclosure table of computed figures (compute's columns, breakdowns included):
    every breakdown's groups add up to the total. `two_way` names the breakdowns that cross
    two others, {"district by age band": ("district", "age_band")}, whose groups are pairs
    (district, age band): each row and each column adds up to its group of the one-way
    breakdown too, so those must be among the `values`. Every figure any public output
    shows must be in `values`, or the decision cannot keep it consistent."""
    counts: dict[Hashable, float] = {}
    cells: dict[FigureKey, tuple] = {}
    groups: dict[tuple, list] = {}
    # Only the columns read here: the others (lineage, notes) would be unpacked for nothing.
    for row in values[["indicator", "period", "breakdown", "group", "numerator", "denominator"]].itertuples(
            index=False):
        indicator = catalogue.by_id.get(row.indicator)
        if indicator is None or _missing(row.numerator):
            continue
        numerator_key, denominator_key = count_keys(indicator, row.period, row.breakdown, row.group)
        shown = [numerator_key]
        counts[numerator_key] = float(row.numerator)
        if denominator_key is not None and not _missing(row.denominator):
            counts[denominator_key] = float(row.denominator)
            shown.append(denominator_key)
        cells[figure_key(row.indicator, row.period, row.breakdown, row.group)] = tuple(shown)
        if row.breakdown != TOTAL:
            groups.setdefault((row.indicator, row.period, row.breakdown), []).append(_group(row.group))
    relations = []
    for (indicator_id, period, breakdown), members in groups.items():
        relations += _adding_up(cells, (indicator_id, period, TOTAL, TOTAL),
                                [(indicator_id, period, breakdown, g) for g in members])
        if breakdown in (two_way or {}):
            for side, margin in enumerate(two_way[breakdown]):
                for value in dict.fromkeys(g[side] for g in members):
                    relations += _adding_up(cells, (indicator_id, period, margin, value),
                                            [(indicator_id, period, breakdown, g) for g in members if g[side] == value])
    return Table(counts, cells, list(dict.fromkeys(relations)))


def _adding_up(cells: Mapping[FigureKey, tuple], total: FigureKey, parts: list[FigureKey]) -> list[Relation]:
    """The figure `total` is the sum of `parts`: its numerator is theirs, and its denominator."""
    if total not in cells:
        return []
    counts = [cells[p] for p in parts]
    return [Relation(total_key, tuple(c[position] for c in counts))
            for position, total_key in enumerate(cells[total]) if all(len(c) > position for c in counts)]


def decide(values: pd.DataFrame, catalogue: Catalogue, secondary: bool = True,
           two_way: Mapping[str, tuple[str, str]] | None = None) -> Decision:
    """Which figures public outputs hide, and why; keyed by (indicator, period, breakdown, group)."""
    return protect(figures_table(values, catalogue, two_way), catalogue.defaults.suppress_below, secondary)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))

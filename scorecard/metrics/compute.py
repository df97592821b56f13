"""Every indicator for every month: numerator, denominator, value and the extracts used.

An indicator counts rows of its cohort: the denominator those matching its denominator
filters, the numerator those that also match the numerator filters. The value is
computed last, from the two sums, at whatever grain is shown (a breakdown group sums its
own rows): a ratio of sums, never an average of ratios. Values are kept as fractions;
formatting as a percentage happens at the edge.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from scorecard.metrics.calendar import Month, months_between
from scorecard.metrics.catalogue import Catalogue, Filter, Indicator, Op, Unit
from scorecard.metrics.cohorts import (
    BREAKDOWNS,
    COHORTS,
    HISTORY_COLUMNS,
    Context,
    group_order,
)
from scorecard.metrics.records import Records
from scorecard.metrics.reference import population_for

TOTAL = "total"
# True (every breakdown offered), or the breakdowns wanted: a name, or a pair for a two-way table.
Breakdowns = bool | Sequence[str | tuple[str, str]]
COLUMNS = ["indicator", "period", "breakdown", "group", "numerator", "denominator", "value", "extract_ids",
           "note", "incomplete", "history_note"]

_OPS = {
    Op.EQ: np.equal,
    Op.NE: np.not_equal,
    Op.IN: lambda column, value: np.isin(column, value),
    Op.NOT_IN: lambda column, value: ~np.isin(column, value),
    Op.LT: np.less,
    Op.LE: np.less_equal,
    Op.GT: np.greater,
    Op.GE: np.greater_equal,
}


def matching(frame: pd.DataFrame, filters: Iterable[Filter]) -> np.ndarray:
    """Rows meeting every filter. A blank never meets a comparison (blank is not 'not UASC')."""
    mask = np.ones(len(frame), dtype=bool)
    for where in filters:
        column = frame[where.column].to_numpy()
        blank = pd.isna(column)
        if where.op is Op.IS_NULL:
            mask &= blank
        elif where.op is Op.NOT_NULL:
            mask &= ~blank
        else:
            known = ~blank
            result = np.zeros(len(column), dtype=bool)
            result[known] = _OPS[where.op](column[known], where.value)
            mask &= result
    return mask


def ratio(unit: Unit, numerator: float | None, denominator: float | None) -> float | None:
    """The value shown, from the summed numerator and denominator."""
    if numerator is None:
        return None
    if unit is Unit.COUNT:
        return float(numerator)
    if not denominator:
        return None
    value = numerator / denominator
    return value * 10_000 if unit is Unit.RATE_PER_10000 else value


def compute(records: Records, catalogue: Catalogue, indicators: Iterable[str] | None = None,
            breakdowns: Breakdowns = False, periods: Iterable[str] | None = None,
            lineage: bool = True) -> pd.DataFrame:
    """The tidy table: one row per indicator, month and (if asked) breakdown group.

    `breakdowns` True gives every breakdown each indicator offers; a list names them, a
    pair of names asks for the two-way table (breakdown `crossed(a, b)`, group a pair).
    `lineage` False leaves every row's `extract_ids` empty and counts the breakdown groups
    with one group-by per breakdown rather than a selection per group: the same rows,
    counts and notes, several times faster, for callers that need only the counts (the
    month's disclosure decision); a figure a page shows must say where it came from."""
    chosen = [catalogue.by_id[i] for i in indicators] if indicators is not None else list(catalogue.indicators)
    if periods is not None:
        months = [Month.parse(p) for p in periods]
    elif records.all_periods():
        months = months_between(records.all_periods()[0], records.all_periods()[-1])
    else:
        months = []
    context = Context(records)
    rows: list[tuple] = []
    for month in months:
        coded = None if lineage else _CodedColumns()
        for indicator in chosen:
            rows.extend(_indicator_month(context, indicator, month, breakdowns, coded))
        context.forget()
    return pd.DataFrame.from_records(rows, columns=COLUMNS)


def _indicator_month(context: Context, indicator: Indicator, month: Month, breakdowns: Breakdowns,
                     coded: _CodedColumns | None = None) -> list[tuple]:
    """The figure's rows; with `coded` (the month's breakdown columns), counts only, no lineage."""
    records = context.records
    cohort = COHORTS[indicator.cohort]
    absent = [d for d in cohort.datasets if not records.has_month(d, month.period, d in cohort.status_ok)]
    if absent:
        flags_only = [d for d in absent if records.has_month(d, month.period)]
        note = f"no {', '.join(absent)} extract loaded for {month.period}"
        if flags_only:
            note = (f"no {', '.join(flags_only)} extract listing them covers {month.period}: the SSDA903 gives only "
                    "the up-to-date flags at 31 March")
        return [_no_value(indicator, month, note)]
    for dataset, months in cohort.history.items():
        missing = records.missing_months(dataset, [month.shift(-back).period for back in range(months - 1, -1, -1)])
        if missing:
            return [_no_value(indicator, month, f"needs {months} months of {dataset} extracts up to "
                              f"{month.period}; none covers {month_spans(missing)}")]
    specs = _specs(indicator, breakdowns) if breakdowns else []
    frame = context.cohort(indicator.cohort, month, joined=_needs_joined(cohort, indicator, specs))
    month_extracts = np.array([i for d in cohort.datasets
                               for i in records.extract_ids(d, month.period, d in cohort.status_ok)])
    denominator_spec = indicator.denominator
    in_denominator = matching(frame, denominator_spec.where) if denominator_spec else np.ones(len(frame), bool)
    in_numerator = in_denominator & matching(frame, indicator.numerator.where)
    note = _scope_note(records, cohort, month)
    population = None
    if denominator_spec is not None and denominator_spec.reference is not None:
        population, note = population_for(records.council, month)
        if population is None:
            return [_no_value(indicator, month, note)]
    incomplete, history_note = _history(records, indicator, month, frame, in_denominator)
    if not note and indicator.unit is not Unit.COUNT and population is None and not in_denominator.any() and len(frame):
        note = _nothing_recorded(indicator, records.formats(cohort.datasets[0], month.period))

    def row(breakdown, group, numerator, denominator, extract_ids=()) -> tuple:
        if population is not None:
            denominator = population
        elif indicator.unit is Unit.COUNT:
            denominator = None
        return (indicator.id, month.period, breakdown, group, numerator, denominator,
                ratio(indicator.unit, numerator, denominator), extract_ids, note,
                incomplete if breakdown == TOTAL else None, history_note)

    wanted = bool(breakdowns) and population is None
    if coded is not None:
        counts = [(TOTAL, TOTAL, _numerator(indicator, frame, in_numerator), int(in_denominator.sum()))]
        if wanted:
            counts += _group_counts(frame, cohort, indicator, specs, in_numerator, in_denominator, coded)
        return [row(*c) for c in counts]
    groups = [(TOTAL, TOTAL, slice(None), ())]
    if wanted:
        groups += _groups(frame, cohort, specs, in_denominator | in_numerator)
    rows = []
    for breakdown, group, selected, joined in groups:
        num_rows, den_rows, part = in_numerator[selected], in_denominator[selected], frame.loc[selected]
        rows.append(row(breakdown, group, _numerator(indicator, part, num_rows), int(den_rows.sum()),
                        _lineage(part, den_rows | num_rows, month_extracts, joined)))
    return rows


def crossed(first: str, second: str) -> str:
    """The `breakdown` of a two-way table's cells: their `group` is a (first, second) pair."""
    return f"{first} by {second}"


def _specs(indicator: Indicator, breakdowns: Breakdowns) -> list[tuple[str, ...]]:
    """The breakdowns asked for, each as a tuple of one or two names."""
    if breakdowns is True:
        return [(name,) for name in indicator.breakdowns]
    return [(spec,) if isinstance(spec, str) else tuple(spec) for spec in breakdowns]


def _needs_joined(cohort, indicator: Indicator, specs: list[tuple[str, ...]]) -> bool:
    """Whether the figure reads a column the cohort takes from another dataset's records."""
    if not cohort.joined:
        return False
    filters = [*indicator.numerator.where, *(indicator.denominator.where if indicator.denominator else ())]
    used = {f.column for f in filters} | {BREAKDOWNS[n].column for names in specs for n in names}
    return bool(used & set(cohort.joined))


def _groups(frame: pd.DataFrame, cohort, specs: list[tuple[str, ...]], shown: np.ndarray) -> list[tuple]:
    """(breakdown, group, rows, extract columns) for every group with a row in the figure;
    a pair of breakdowns makes a group of each pair of their groups that occurs."""
    groups = []
    for names in specs:
        columns = [frame[BREAKDOWNS[n].column].to_numpy(dtype=object) for n in names]
        joined = tuple(c for n in names for c in cohort.lineage_columns(BREAKDOWNS[n].column))
        keys = {tuple(key) for key in zip(*(column[shown] for column in columns))}
        for key in sorted(keys, key=lambda k: tuple(group_order(n, g) for n, g in zip(names, k))):
            selected = np.ones(len(frame), dtype=bool)
            for column, value in zip(columns, key):
                selected &= column == value
            name = names[0] if len(names) == 1 else crossed(*names)
            groups.append((name, key[0] if len(names) == 1 else key, selected, joined))
    return groups


class _CodedColumns:
    """A month's breakdown columns, each row's group numbered (-1 for a blank): coded once
    per cohort frame, which all the cohort's indicators share."""

    def __init__(self):
        self._coded: dict[tuple[int, str], tuple[pd.DataFrame, np.ndarray, np.ndarray]] = {}

    def __call__(self, frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The column's values (as objects) and their codes."""
        # Keyed by the frame's id, and kept with the frame so that the id is not reused.
        cached = self._coded.get((id(frame), column))
        if cached is None:
            values = frame[column].to_numpy(dtype=object)
            cached = self._coded[(id(frame), column)] = frame, values, pd.factorize(values)[0]
        return cached[1], cached[2]


def _group_counts(frame: pd.DataFrame, cohort, indicator: Indicator, specs: list[tuple[str, ...]],
                  in_numerator: np.ndarray, in_denominator: np.ndarray, coded: _CodedColumns) -> list[tuple]:
    """(breakdown, group, numerator, denominator) for the groups `_groups` gives, in its
    order, with the same counts: each breakdown's rows are coded by group once and counted
    with `bincount` (sums and distinct counts over each group's rows in their own order,
    so that a float sum adds up exactly as `_numerator` adds it)."""
    shown = np.flatnonzero(in_denominator | in_numerator)
    numerator_rows = in_numerator[shown]
    denominator_rows = in_denominator[shown]
    counted = []
    for names in specs:
        columns = [coded(frame, BREAKDOWNS[n].column) for n in names]
        if any((column_codes[shown] < 0).any() for _, column_codes in columns):
            # A blank group is no value `==` can find (NaN equals nothing): `_groups`' own
            # selections say what such a group counts.
            counted += _selected_counts(frame, cohort, indicator, [names], in_numerator, in_denominator)
            continue
        codes, keys = _codes(columns, shown)
        numerators = _numerators_by_group(indicator, frame, shown[numerator_rows], codes[numerator_rows], len(keys))
        denominators = np.bincount(codes[denominator_rows], minlength=len(keys))
        name = names[0] if len(names) == 1 else crossed(*names)
        for code in sorted(range(len(keys)), key=lambda c: tuple(group_order(n, g) for n, g in zip(names, keys[c]))):
            key = keys[code]
            counted.append((name, key[0] if len(names) == 1 else key, numerators[code], int(denominators[code])))
    return counted


def _selected_counts(frame: pd.DataFrame, cohort, indicator: Indicator, specs: list[tuple[str, ...]],
                     in_numerator: np.ndarray, in_denominator: np.ndarray) -> list[tuple]:
    return [(breakdown, group, _numerator(indicator, frame, in_numerator & selected),
             int((in_denominator & selected).sum()))
            for breakdown, group, selected, _ in _groups(frame, cohort, specs, in_denominator | in_numerator)]


def _codes(columns: list[tuple[np.ndarray, np.ndarray]], rows: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """The group of each of `rows` (numbered 0, 1, ... among them) and each group's key:
    a tuple of one value per column, the values as the group's first row holds them (as
    `_groups`' set of keys keeps them)."""
    combined, size = np.zeros(len(rows), dtype=np.int64), 1
    for _, column_codes in columns:
        width = int(column_codes.max(initial=-1)) + 1
        combined, size = combined * width + column_codes[rows], size * width
    # The codes are few and small: counting them is linear where np.unique sorts.
    present = np.flatnonzero(np.bincount(combined, minlength=size))
    renumbered = np.zeros(size, dtype=np.int64)
    renumbered[present] = np.arange(len(present))
    codes = renumbered[combined]
    firsts = np.full(len(present), len(rows), dtype=np.int64)
    np.minimum.at(firsts, codes, np.arange(len(rows)))
    return codes, [tuple(values[rows[i]] for values, _ in columns) for i in firsts]


def _numerators_by_group(indicator: Indicator, frame: pd.DataFrame, rows: np.ndarray, codes: np.ndarray,
                         groups: int) -> list[float]:
    """`_numerator` of each group: `rows` are the numerator's rows (positions in `frame`),
    `codes` their groups."""
    spec = indicator.numerator
    if not (spec.count_distinct or spec.sum):
        return [int(n) for n in np.bincount(codes, minlength=groups)]
    # Each group's rows side by side, in the order they come in the frame (a stable sort).
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(groups + 1))
    if spec.count_distinct:
        values = frame[spec.count_distinct].to_numpy()[rows[order]]
        return [int(pd.unique(values[start:end]).size) for start, end in pairwise(bounds)]
    values = frame[spec.sum].to_numpy(dtype=float)[rows[order]]
    return [float(np.nansum(values[start:end])) for start, end in pairwise(bounds)]


def _no_value(indicator: Indicator, month: Month, note: str) -> tuple:
    return (indicator.id, month.period, TOTAL, TOTAL, None, None, None, (), note, None, "")


def _scope_note(records: Records, cohort, month: Month) -> str:
    """Say so when the month's records cover only part of the population (the 903's
    missing episodes are of children in care only)."""
    for dataset in cohort.datasets:
        only = records.only(dataset, month.period)
        if only:
            return f"{ONLY_WORDS.get(only, only.replace('_', ' ') + ' only')}: the file for {month.period} lists no others"
    return ""


ONLY_WORDS = {"in_care": "children in care only"}


COLUMN_WORDS = {"placed_in_area": "placement area (in or out of the council's area)",
                "distance_miles": "placement distance"}


def _nothing_recorded(indicator: Indicator, formats: set[str]) -> str:
    """Why a rate has no figure although its cohort has rows: nothing in it is recorded."""
    unrecorded = [COLUMN_WORDS.get(f.column, f.column.replace("_", " ")) for f in indicator.denominator.where
                  if f.op is Op.NOT_NULL] if indicator.denominator else []
    if unrecorded:
        why = " (the SSDA903 does not give it)" if formats == {"ssda903"} else ""
        return f"not recorded: no {' or '.join(unrecorded)} in this month's data{why}"
    return "no children or events in the denominator this month"


def month_spans(months: list[str]) -> str:
    """'2018-04 to 2019-03' for consecutive months; several runs joined with commas."""
    runs: list[list[str]] = []
    for month in months:
        if runs and Month.parse(runs[-1][-1]).shift(1).period == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)


def history_columns(indicator: Indicator) -> set[str]:
    """The columns of an indicator's filters that need the children's history."""
    filters = [*indicator.numerator.where, *(indicator.denominator.where if indicator.denominator else ())]
    return {f.column for f in filters} & set(HISTORY_COLUMNS)


def _history(records: Records, indicator: Indicator, month: Month, frame: pd.DataFrame,
             in_denominator: np.ndarray) -> tuple[int | None, str]:
    """How many children the figure cannot place for want of history, and why, in words.

    A child is counted when a filter the figure uses cannot be answered for them (their
    care began before the earliest data loaded) and they pass, or might pass, the others;
    and where months inside the look-back have no children in care extract at all.
    """
    columns = history_columns(indicator)
    undetermined_members = int(frame.attrs.get("undetermined_members", 0))
    if not columns and not undetermined_members:
        return None, ""
    possible = np.ones(len(frame), dtype=bool)
    for where in indicator.denominator.where if indicator.denominator else ():
        unknown = frame.get(f"{where.column}_unknown")
        passes = matching(frame, [where])
        possible &= passes | (unknown.to_numpy(dtype=bool) if unknown is not None else False)
    unknown_any = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if f"{column}_unknown" in frame:
            unknown_any |= frame[f"{column}_unknown"].to_numpy(dtype=bool)
    count = int((possible & unknown_any).sum()) + undetermined_members
    notes = []
    if count:
        notes.append(f"history incomplete for {count:,} child{'ren' if count != 1 else ''}: their care began before "
                     "the earliest children in care data loaded (load earlier SSDA903 returns, or a first extract "
                     "with every episode of each child's period of care)")
    lookback = max((HISTORY_COLUMNS[c] for c in columns), default=12)
    window = [month.shift(-back).period for back in range(lookback, -1, -1)]
    covered = records.all_covered("children_in_care")
    gaps = [m for m in window if m not in covered and covered and m > min(covered)]
    if gaps:
        notes.append(f"no children in care extract covers {month_spans(gaps)}, inside the {lookback} months this "
                     "figure looks back over")
    return count, "; ".join(notes)


def _numerator(indicator: Indicator, frame: pd.DataFrame, rows: np.ndarray) -> float:
    spec = indicator.numerator
    if spec.count_distinct:
        return int(pd.unique(frame[spec.count_distinct].to_numpy()[rows]).size)
    if spec.sum:
        return float(np.nansum(frame[spec.sum].to_numpy(dtype=float)[rows]))
    return int(rows.sum())


def _lineage(frame: pd.DataFrame, rows: np.ndarray, month_extracts: np.ndarray,
             joined: tuple[str, ...] = ()) -> tuple[int, ...]:
    """The extracts a value came from: those of its rows, and the month's own extracts
    (a count of zero still comes from a file that listed nobody); for a group made from
    another dataset's records (a visit's district), the extracts those came from too."""
    columns = [c for c in frame.columns if c == "extract_id" or c.endswith("_extract_id")] + list(joined)
    values = [frame[c].to_numpy(dtype=float, na_value=np.nan)[rows] for c in columns]
    values.append(month_extracts.astype(float))
    ids = np.concatenate(values)
    ids = ids[~np.isnan(ids)].astype(np.int64)
    # Extract ids are small integers: counting them is linear, sorting them is not.
    return tuple(int(i) for i in np.flatnonzero(np.bincount(ids))) if ids.size else ()

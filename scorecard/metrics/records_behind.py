"""The records behind a figure: the pseudonymised list a head of service checks a number by.

One row per record of the figure's cohort that the figure counts, or that its denominator
counts and its numerator does not ("in the denominator only"): the child's id (the
case-management system's pseudonym, never a name), the fields the indicator's definition
tests (its numerator's and denominator's `where` columns, and what it counts distinct or
sums), the dates that place the record in the month, and the extract and spreadsheet row
the record came from. The rows are selected by the same code `compute` sums
(`compute.rows_behind`), so the list's totals are the figure's numerator and denominator.

Never listed, whatever a definition uses: names (no dataset has one; a column whose name
says "name" is refused all the same), dates of birth (the figures use the age made from
them) and postcodes. A rate per head of population offers no list: its denominator is an
estimate, not children; the count of the same children does.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scorecard.access import Identity, Permission, require
from scorecard.metrics.catalogue import Catalogue, Indicator, Unit
from scorecard.metrics.cohorts import COHORTS
from scorecard.metrics.compute import FigureRows, rows_behind
from scorecard.metrics.records import DATE_COLUMNS, DATETIME_COLUMNS, Records
from scorecard.metrics.suppression import numerator_identity

INCLUDED = "included"
COUNTED = "counted"
DENOMINATOR_ONLY = "in the denominator only"
# Never on the list: they identify a child without telling anything the figure tests.
IDENTIFYING = frozenset({"date_of_birth", "home_postcode", "placement_postcode"})
SOURCE_COLUMNS = ("extract_id", "source_row")


@dataclass(frozen=True)
class RecordList:
    """The records behind one figure in one month; `reason` says why there are none to list."""
    indicator: str
    label: str
    unit: str
    period: str
    table: pd.DataFrame          # INCLUDED, child_id, the definition's fields, dates, extract_id, source_row, ...
    numerator: float | None      # the list's own totals: what the figure counts among the rows counted
    denominator: int | None      # every row listed (None for a count, which has no denominator)
    counts_what: str             # 'records', 'different children (child_id)', 'the sum of ...'
    reason: str = ""             # not offered, or no figure this month, in words
    offered: bool = True

    @property
    def counted(self) -> int:
        return int((self.table[INCLUDED] == COUNTED).sum()) if len(self.table) else 0


def is_identifying(column: str) -> bool:
    return column in IDENTIFYING or "name" in column.lower()


def refusal(indicator: Indicator, catalogue: Catalogue) -> str:
    """Why the indicator offers no list of records ("" when it does)."""
    if indicator.denominator is None or indicator.denominator.reference is None:
        return ""
    same = same_children(indicator, catalogue)
    instead = f"; the children it counts are listed behind \u201c{catalogue.by_id[same].label}\u201d" if same else ""
    return (f"{indicator.label} is a rate per 10,000 of the child population, an estimate rather than a list "
            f"of children, so it has no records behind it{instead}.")


def same_children(indicator: Indicator, catalogue: Catalogue) -> str | None:
    """The count indicator that counts the same records as `indicator`'s numerator: for a
    rate per head of population, the figure whose list gives its children."""
    return next((other.id for other in catalogue.indicators if other.unit is Unit.COUNT and other.id != indicator.id
                 and numerator_identity(other) == numerator_identity(indicator)), None)


def records_behind(metrics, indicator_id: str, period: str, who: Identity | None) -> RecordList:
    """The records behind the council's figure (`metrics`: its CouncilMetrics) for the
    month; Forbidden unless `who` may see them. KeyError for an unknown indicator."""
    require(who, Permission.RECORDS)
    return list_records(metrics.records, metrics.catalogue, indicator_id, period)


def list_records(records: Records, catalogue: Catalogue, indicator_id: str, period: str) -> RecordList:
    """The list from the records themselves (no permission asked: callers ask it)."""
    indicator = catalogue.by_id[indicator_id]
    empty = pd.DataFrame(columns=[INCLUDED, "child_id"])
    parts = {"indicator": indicator.id, "label": indicator.label, "unit": indicator.unit.value, "period": period,
             "counts_what": counts_what(indicator)}
    why_not = refusal(indicator, catalogue)
    if why_not:
        return RecordList(table=empty, numerator=None, denominator=None, reason=why_not, offered=False, **parts)
    selected = rows_behind(records, catalogue, indicator_id, period)
    if isinstance(selected, str):
        return RecordList(table=empty, numerator=None, denominator=None, reason=f"No figure for {period}: {selected}.",
                          **parts)
    table = _table(records, indicator, selected)
    counted = table[table[INCLUDED] == COUNTED]
    return RecordList(table=table, numerator=numerator_of(indicator, counted),
                      denominator=None if indicator.unit is Unit.COUNT else len(table), **parts)


def counts_what(indicator: Indicator) -> str:
    spec = indicator.numerator
    if spec.count_distinct:
        return "different children" if spec.count_distinct == "child_id" else f"different {spec.count_distinct}"
    if spec.sum:
        return f"the sum of {spec.sum}"
    return "records"


def numerator_of(indicator: Indicator, counted: pd.DataFrame) -> float:
    """The numerator as `compute` counts it, from the rows counted."""
    spec = indicator.numerator
    if spec.count_distinct:
        return int(counted[spec.count_distinct].nunique(dropna=False))
    if spec.sum:
        return float(np.nansum(counted[spec.sum].to_numpy(dtype=float)))
    return len(counted)


def definition_columns(indicator: Indicator) -> list[str]:
    """The columns the definition tests or counts, in the order it names them."""
    filters = [*(indicator.denominator.where if indicator.denominator else ()), *indicator.numerator.where]
    named = [f.column for f in filters] + [c for c in (indicator.numerator.count_distinct, indicator.numerator.sum) if c]
    return list(dict.fromkeys(named))


def record_dates(dataset: str) -> tuple[str, ...]:
    """The dates that place a record of the dataset in a month (never the date of birth)."""
    return tuple(c for c in (*DATE_COLUMNS.get(dataset, ()), *DATETIME_COLUMNS.get(dataset, ()))
                 if not is_identifying(c))


def _table(records: Records, indicator: Indicator, selected: FigureRows) -> pd.DataFrame:
    frame = selected.frame
    listed = selected.in_denominator if indicator.unit is not Unit.COUNT else selected.in_numerator
    rows = frame.loc[listed].reset_index(drop=True)
    included = np.where(selected.in_numerator[listed], COUNTED, DENOMINATOR_ONLY)
    fields = [c for c in definition_columns(indicator) if c in rows and c != "child_id"]
    # A filter that needs a child's history has a twin saying where the store cannot tell.
    fields += [f"{c}_unknown" for c in fields if f"{c}_unknown" in rows]
    derived_dates = [c for c in rows.columns if pd.api.types.is_datetime64_any_dtype(rows[c])]
    dataset = COHORTS[indicator.cohort].datasets[0]
    source = records[dataset]
    dates = [c for c in record_dates(dataset) if c in source and c not in derived_dates]
    if dates:
        # A record is one row of one file: (extract, row) finds it among the dataset's records.
        found = source[[*SOURCE_COLUMNS, *dates]].drop_duplicates(list(SOURCE_COLUMNS))
        rows = rows.merge(found, on=list(SOURCE_COLUMNS), how="left", validate="many_to_one")
    joined = [c for c in rows.columns if c.endswith("_extract_id") or c == "child_record_extract"]
    columns = ["child_id", *fields, *derived_dates, *dates, *SOURCE_COLUMNS, *joined]
    columns = [c for c in dict.fromkeys(columns) if not is_identifying(c)]
    table = rows[columns].copy()
    table.insert(0, INCLUDED, included)
    table["child_id"] = table["child_id"].astype(str)
    for column in ("source_row", "extract_id", *joined):
        table[column] = table[column].astype("Int64")
    order = [table[INCLUDED] != COUNTED, table["child_id"]]
    return table.iloc[np.lexsort([o.to_numpy() for o in reversed(order)])].reset_index(drop=True)

"""The monthly extracts against the SSDA903 return, figure by figure: what councils check
every summer, done for them (`scorecard reconcile`).

Each route's records are read on their own (the monthly extracts only, then the returns
only), every indicator is computed from each for the months both cover, and the two are
set side by side. Where the return covers part of the population only (missing episodes
of children in care), the monthly figure for that part is the one compared. A figure one
route cannot give (the 903 has no placement distance, visits or interviews) is listed as
not comparable, with the reason, never as a difference.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from scorecard.metrics.catalogue import Catalogue
from scorecard.metrics.compute import TOTAL, compute
from scorecard.metrics.records import Records, load_records

MONTHLY, RETURN = "template", "ssda903"
# The breakdown group of the monthly figure that matches a return listing one part only.
_PART = {"in_care": ("care_status", "Children in care")}
COLUMNS = ["indicator", "label", "unit", "period", "monthly_numerator", "monthly_denominator", "monthly_value",
           "return_numerator", "return_denominator", "return_value", "difference", "agree", "compared_as", "note"]


@dataclass
class Reconciliation:
    council: str
    months: list[str]
    """The months both routes' children in care extracts cover."""
    table: pd.DataFrame
    """One row per indicator and month (COLUMNS); `agree` is None where not comparable."""

    def differences(self) -> pd.DataFrame:
        return self.table[self.table["agree"].eq(False)]

    def not_comparable(self) -> pd.DataFrame:
        return self.table[self.table["agree"].isna()]


def shared_months(monthly: Records, returns: Records) -> list[str]:
    both = monthly.all_covered("children_in_care") & returns.all_covered("children_in_care")
    return sorted(both)


def reconcile(engine: Engine, council: str, catalogue: Catalogue, periods: list[str] | None = None) -> Reconciliation:
    monthly = load_records(engine, council, (MONTHLY,))
    returns = load_records(engine, council, (RETURN,))
    months = [m for m in shared_months(monthly, returns) if periods is None or m in periods]
    if not months:
        return Reconciliation(council, [], pd.DataFrame(columns=COLUMNS))
    theirs = compute(returns, catalogue, periods=months)
    ours = compute(monthly, catalogue, periods=months)
    parted = [i.id for i in catalogue.indicators if any(b in i.breakdowns for b, _ in _PART.values())]
    if parted:  # the groups a part-population return is compared with
        ours = pd.concat([ours, compute(monthly, catalogue, parted, breakdowns=True, periods=months)])
    ours_by = {(r.indicator, r.period, r.breakdown, r.group): r for r in ours.itertuples()}
    rows = []
    for row in theirs.itertuples():
        indicator = catalogue.by_id[row.indicator]
        part = _part_compared(returns, catalogue, row)
        compared_as = "all"
        mine = ours_by[(row.indicator, row.period, TOTAL, TOTAL)]
        if part is not None:
            mine = ours_by.get((row.indicator, row.period, *part), mine)
            compared_as = f"{part[1].lower()} only"
        agree, note = _verdict(mine, row)
        difference = None if agree is None else _difference(mine.value, row.value)
        rows.append((row.indicator, indicator.label, indicator.unit.value, row.period, _plain(mine.numerator),
                     _plain(mine.denominator), _plain(mine.value), _plain(row.numerator), _plain(row.denominator),
                     _plain(row.value), difference, agree, compared_as, note))
    return Reconciliation(council, months, pd.DataFrame(rows, columns=COLUMNS))


def _part_compared(returns: Records, catalogue: Catalogue, row) -> tuple[str, str] | None:
    from scorecard.metrics.cohorts import COHORTS

    cohort = COHORTS[catalogue.by_id[row.indicator].cohort]
    for dataset in cohort.datasets:
        only = returns.only(dataset, row.period)
        if only in _PART and _PART[only][0] in catalogue.by_id[row.indicator].breakdowns:
            return _PART[only]
    return None


def _verdict(mine, theirs) -> tuple[bool | None, str]:
    """Agree, differ, or (None) not comparable with the reason."""
    if _plain(mine.value) is None or _plain(theirs.value) is None:
        reasons = [f"{name}: {r.note}" for name, r in (("monthly", mine), ("return", theirs))
                   if _plain(r.value) is None and r.note]
        return None, "; ".join(reasons) or "no figure"
    same = (_plain(mine.numerator), _plain(mine.denominator)) == (_plain(theirs.numerator), _plain(theirs.denominator))
    notes = "; ".join(n for n in (getattr(theirs, "history_note", ""), getattr(mine, "history_note", "")) if n)
    return same, notes


def _difference(mine, theirs) -> float | None:
    mine, theirs = _plain(mine), _plain(theirs)
    return None if mine is None or theirs is None else theirs - mine


def _plain(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value

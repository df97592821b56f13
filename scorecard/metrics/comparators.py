"""Which published benchmark a month is compared with, and the statistical-neighbour
average when the store holds the neighbours' own data.

A benchmark is for a year (2022/23: the year to 31 March 2023). A month is compared with
the year that covers it; when that year is not published yet, with the latest earlier
one, saying so; when there is none, the state is "not yet published", never a blank.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scorecard.metrics.calendar import Month, to_date

PUBLISHED = "published"
OLDER = "older"
NOT_YET_PUBLISHED = "not_yet_published"
FROM_DATA = "computed"


@dataclass(frozen=True)
class Comparison:
    comparator: str
    state: str
    value: float | None = None
    period: str | None = None
    release_date: dt.date | None = None
    publication: str | None = None
    note: str = ""
    rank: int | None = None
    rank_of: int | None = None


def choose_benchmark(rows: pd.DataFrame, comparator: str, month: Month) -> Comparison:
    """The benchmark for a month from one indicator's rows for one comparator and area.

    Revisions: of several releases for the same year, the latest release is used.
    """
    if rows.empty:
        return Comparison(comparator, NOT_YET_PUBLISHED, note="not yet published")
    month_end = to_date(month.last)
    year_on = to_date(month.shift(12).last)
    ends = rows["period_end"]
    # A year's figure covers the twelve month ends up to and including its period end.
    covering = rows[(ends >= month_end) & (ends < year_on)]
    state, note = PUBLISHED, ""
    chosen = covering
    if chosen.empty:
        chosen = rows[ends < month_end]
        if chosen.empty:
            return Comparison(comparator, NOT_YET_PUBLISHED, note="not yet published for this period")
        chosen = chosen[chosen["period_end"] == chosen["period_end"].max()]
        state = OLDER
        note = f"latest published is {chosen.iloc[0]['period']}, older than {month.period}"
    best = chosen.sort_values(["release_date", "id"], na_position="first").iloc[-1]
    return Comparison(comparator, state, float(best["value"]), best["period"], best["release_date"],
                      best["publication"], note)


def neighbour_average(values: dict[str, tuple[float | None, float | None]], unit_ratio, own: float | None,
                      higher_is_better: bool | None) -> Comparison | None:
    """Pooled value of the neighbours with data (sum of numerators over sum of
    denominators, as for any ratio here) and the council's rank among them and itself.

    `values` maps each neighbour to its (numerator, denominator) for the month.
    """
    usable = {code: nd for code, nd in values.items() if nd[0] is not None}
    if not usable:
        return None
    numerator = sum(n for n, _ in usable.values())
    denominators = [d for _, d in usable.values()]
    denominator = None if any(d is None for d in denominators) else sum(denominators)
    average = unit_ratio(numerator, denominator)
    if average is None:
        return None
    rank = rank_of = None
    if own is not None and higher_is_better is not None:
        others = [unit_ratio(n, d) for n, d in usable.values()]
        everyone = np.array([v for v in others if v is not None] + [own])
        better = (everyone > own) if higher_is_better else (everyone < own)
        rank, rank_of = int(better.sum()) + 1, len(everyone)
    return Comparison("statistical_neighbours", FROM_DATA, average, None, None, None,
                      f"computed from {len(usable)} neighbours' data", rank, rank_of)

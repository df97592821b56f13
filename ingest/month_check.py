"""Whether a monthly extract's own dates agree with the month it is loaded as.

Loading a file as the wrong month replaces that month's figures, and the per-row warnings
(dates after the month's end, retired codes) do not say so: April 2022's files loaded with
`--period 2025-03` replaced March 2025 with four warnings. So each monthly table's dates are
weighed as its dataset defines its month (`scorecard.vocabulary.Completeness`):

- a dated dataset (visits due, missing episodes, health assessments, care leavers'
  birthdays) lists the records dated in its month: when most of its rows' dates fall outside
  the month given, the file is for another month, the one most of them fall in;
- children in care list the episodes open in the month (and often every earlier one, so
  episodes that ended long before prove nothing): when most of them start or end after the
  month, or the latest start or end in the file is six months or more before it (a
  county's children start and end placements every month; a small council's may not for
  a quarter, and the browser's upload has no --force), the file is for the month of its
  latest date.

Either refuses the table (an error: nothing is loaded) unless the analyst says the month is
right (`scorecard ingest --force`), when it is a warning. Return home interviews say only
what changed, so their dates prove nothing about the month; nor do a few rows (a small
council's month may hold three visits, or children none of whom moved for months): the
rule weighs tables of `MIN_ROWS` dated rows or more, and the per-row warnings (a date after
the month's end) still speak for the others.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from ingest.parse import Table
from ingest.problems import Problem, Severity
from scorecard.periods import month_end, month_first, month_of
from scorecard.vocabulary import DATED, SPANS

MIN_ROWS = 10
STALE_MONTHS = 6
"""A children in care file whose latest date is this many months before the month given is old."""


def check_months(tables: Iterable[Table], period: str, force: bool = False) -> list[Problem]:
    problems = []
    for table in tables:
        if table.source_format != "template" or not len(table):
            continue
        rule = table.complete_for
        found = _dated(table, period) if rule.kind == DATED else _spans(table, period) if rule.kind == SPANS else None
        if found is None:
            continue
        why, pointed = found
        if force:
            message = f"{why}: it points at {pointed}, and was loaded as {period} because --force was given"
        else:
            message = (f"{why}: it looks like the file for {pointed}, not {period}. Check the month given and the "
                       f"file; if {period} is right, load it with --force (on the command line)")
        problems.append(Problem("wrong-month", message, file=table.file, sheet=table.sheet,
                                severity=Severity.WARNING if force else Severity.ERROR))
    return problems


def _bounds(sample: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The month's first and last moment, comparable with `sample` (a date or a datetime)."""
    first, last = month_first(period), month_end(period)
    if isinstance(sample, dt.datetime):
        return dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last, dt.time.max)
    return first, last


def _headers(table: Table, names: Sequence[str]) -> str:
    return " or ".join(f"'{table.headers.get(name, name)}'" for name in names if name in table.columns)


def _dated(table: Table, period: str) -> tuple[str, str] | None:
    names = [name for name in table.complete_for.dates if name in table.columns]
    if not names:
        return None
    days = list(table.columns[names[0]])
    for name in names[1:]:  # the first given of the dates, as the dataset's rule reads them
        days = [day if day is not None else other for day, other in zip(days, table.columns[name])]
    days = [day for day in days if day is not None]
    if len(days) < MIN_ROWS:
        return None
    first, last = _bounds(days[0], period)
    inside = sum(1 for day in days if first <= day <= last)
    if inside * 2 >= len(days):
        return None
    pointed, _ = Counter(map(month_of, days)).most_common(1)[0]
    return (f"{len(days) - inside:,} of the {len(days):,} dates in {_headers(table, names)} fall outside {period}, "
            f"the month given; most fall in {pointed}"), pointed


def _spans(table: Table, period: str) -> tuple[str, str] | None:
    rule = table.complete_for
    start_name, end_name = rule.dates[0], rule.end
    if start_name not in table.columns:
        return None
    starts = table.columns[start_name]
    ends = table.columns.get(end_name) or [None] * len(starts)
    dates = [day for day in (*starts, *ends) if day is not None]
    if sum(1 for start in starts if start is not None) < MIN_ROWS:
        return None
    last = _bounds(dates[0], period)[1]
    latest = max(dates)
    spans = [(start, end) for start, end in zip(starts, ends) if start is not None]
    later = sum(1 for start, end in spans if start > last or (end is not None and end > last))
    headers = _headers(table, [start_name, end_name])
    if later * 2 > len(spans):
        return (f"{later:,} of its {len(spans):,} records start or end after {period}, the month given (by "
                f"{headers}); its latest date is {latest:%d/%m/%Y}"), month_of(latest)
    behind = _month_number(period) - _month_number(month_of(latest))
    if behind >= STALE_MONTHS:
        return (f"its latest date in {headers} is {latest:%d/%m/%Y}, {behind} months before {period}, the month "
                "given (a month's extract has episodes that start or end in it)"), month_of(latest)
    return None


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number)

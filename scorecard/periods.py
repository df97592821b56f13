"""Months and DfE collection years: the one place they are parsed and written.

A month is written `YYYY-MM` ("2019-09"). A collection year runs from 1 April to 31 March
and is written as the DfE writes it, "2019-20"; "2019/20" and "201920" are read too. Both
the ingest and the metrics layer use these, so a month means the same thing everywhere.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH = re.compile(r"(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"(\d{4})\s*[-/]?\s*(\d{2}|\d{4})$")


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of a month written YYYY-MM; ValueError with a plain message otherwise."""
    match = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month written YYYY-MM, e.g. 2019-09")
    return int(match.group(1)), int(match.group(2))


def month_name(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def normal_month(text: str) -> str:
    """The month as YYYY-MM ("2019-9" -> "2019-09")."""
    return month_name(*parse_month(text))


def month_first(period: str) -> dt.date:
    year, month = parse_month(period)
    return dt.date(year, month, 1)


def last_day(year: int, month: int) -> dt.date:
    """The last day of a month given as numbers."""
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def month_end(period: str) -> dt.date:
    """The last day of a YYYY-MM month."""
    return last_day(*parse_month(period))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` on: the birthday of someone born on `day` at that age (29
    February on 28 February in other years, as the DfE counts ages)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 2, 28)


def month_of(day: dt.date) -> str:
    return month_name(day.year, day.month)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive, oldest first (empty if last < first)."""
    start, end = parse_month(first), parse_month(last)
    return [month_name(i // 12, i % 12 + 1)
            for i in range(start[0] * 12 + start[1] - 1, end[0] * 12 + end[1])]


@dataclass(frozen=True, order=True)
class CollectionYear:
    """A DfE collection year: 1 April of `start` to 31 March of `start + 1`."""

    start: int

    @classmethod
    def parse(cls, text: str) -> CollectionYear:
        """'2019-20' (also '2019/20', '201920', '2019-2020'); ValueError with a plain message otherwise."""
        match = _YEAR.match(text.strip()) if isinstance(text, str) else None
        if match:
            start, end = int(match.group(1)), match.group(2)
            following = int(end) if len(end) == 4 else (start + 1) % 100
            if (len(end) == 4 and following == start + 1) or (len(end) == 2 and int(end) == following):
                return cls(start)
        raise ValueError(f"{text!r} is not a collection year written like 2019-20 (1 April 2019 to 31 March 2020)")

    @classmethod
    def of(cls, day: dt.date) -> CollectionYear:
        """The collection year a day falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def of_month(cls, period: str) -> CollectionYear:
        return cls.of(month_first(period))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def first_month(self) -> str:
        return month_name(self.start, 4)

    @property
    def last_month(self) -> str:
        return month_name(self.start + 1, 3)

    def __str__(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

"""Months, ages and England and Wales working days, on whole columns at once.

Dates in the metrics layer are numpy `datetime64[D]` (days) and date-times
`datetime64[s]`: comparing a month's bounds against 300,000 episodes is then one
vectorised operation, which is what keeps a national-scale store quick.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays
import numpy as np

from scorecard.periods import month_name, parse_month

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Month:
    """A calendar month, named YYYY-MM, with its first and last days."""

    period: str
    first: np.datetime64  # [D]
    last: np.datetime64  # [D]

    @classmethod
    def parse(cls, period: str) -> Month:
        name = month_name(*parse_month(period))  # the one reading of YYYY-MM (scorecard.periods)
        first = np.datetime64(name, "M")
        return cls(name, first.astype("datetime64[D]"), (first + 1).astype("datetime64[D]") - DAY)

    @property
    def after(self) -> np.datetime64:
        """The first day after the month: events in the month are >= first and < after."""
        return self.last + DAY

    def shift(self, months: int) -> Month:
        month = np.datetime64(self.period, "M") + months
        return Month.parse(str(month))

    def __str__(self) -> str:
        return self.period


def months_between(first: str, last: str) -> list[Month]:
    """Every month from `first` to `last` (YYYY-MM), oldest first."""
    start, end = np.datetime64(first, "M"), np.datetime64(last, "M")
    return [Month.parse(str(m)) for m in np.arange(start, end + 1)]


def same_day_months_before(day: np.datetime64, months: int) -> np.datetime64:
    """The same day `months` months earlier, or that month's last day if it is shorter.

    12 months before 29 February 2024 is 28 February 2023.
    """
    month = day.astype("datetime64[M]") - months
    offset = day - day.astype("datetime64[M]").astype("datetime64[D]")
    month_last = (month + 1).astype("datetime64[D]") - DAY
    return min(month.astype("datetime64[D]") + offset, month_last)


def years_between(born: np.ndarray, on: np.ndarray | np.datetime64) -> np.ndarray:
    """Age in whole years on a date (birthdays counted on the day), for whole columns."""
    born = born.astype("datetime64[D]")
    on = np.broadcast_to(np.asarray(on, dtype="datetime64[D]"), born.shape)
    born_year = born.astype("datetime64[Y]")
    on_year = on.astype("datetime64[Y]")
    years = (on_year - born_year).astype(int)
    # Day of year as (month, day), compared through the offset from 1 January.
    born_md = _month_day(born)
    on_md = _month_day(on)
    return years - (on_md < born_md)


def _month_day(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[M]")
    return (months - months.astype("datetime64[Y]")).astype(int) * 100 + (
        days - months.astype("datetime64[D]")).astype(int)


@functools.cache
def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays in those years, from the `holidays` package.

    One-off days (the 2022 state funeral, the 2023 coronation) are included.
    """
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def add_working_days(start: np.ndarray, days: int) -> np.ndarray:
    """The date `days` England and Wales working days after each start date.

    The start day itself is not counted, whatever day it is: 20 working days after a
    Saturday is the same as 20 after the Friday before it. Missing starts stay missing.
    """
    start = np.asarray(start, dtype="datetime64[D]")
    known = ~np.isnat(start)
    result = np.full(start.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if known.any():
        years = start[known].astype("datetime64[Y]").astype(int) + 1970
        calendar = bank_holidays(int(years.min()), int(years.max()) + 1)
        result[known] = np.busday_offset(start[known], days, roll="backward", holidays=calendar)
    return result


def to_date(value: np.datetime64) -> dt.date:
    return value.astype("datetime64[D]").astype(dt.date)

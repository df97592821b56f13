"""Dates for the demo county: months, ages, collection years and England and Wales working days."""
from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

from scorecard.periods import CollectionYear, add_years, last_day, months_between, parse_month

__all__ = ["DAY", "HOUR", "add_months", "add_working_days", "add_years", "age_on", "bank_holidays", "birthday",
           "collection_year", "is_working_day", "month_last", "periods_ending"]

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


month_last = last_day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months on, or that month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, month_last(year, month + 1).day))


def birthday(dob: dt.date, age: int) -> dt.date:
    return add_years(dob, age)


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def collection_year(day: dt.date) -> int:
    """The year an April-to-March DfE collection year starts: 2024 for 2024-25."""
    return CollectionYear.of(day).start


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays, one-off ones included (e.g. the 2023 coronation).

    A frozen set per year, because the simulation asks about many days and a set answers
    about ten times faster than a `holidays` calendar.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The working day `days` working days after `start` (England and Wales)."""
    day = start
    while days > 0:
        day += DAY
        if is_working_day(day):
            days -= 1
    return day


def periods_ending(last_period: str, months: int) -> list[str]:
    """The `months` periods (YYYY-MM) ending at `last_period`, oldest first."""
    year, month = parse_month(last_period)
    first = year * 12 + month - months
    return months_between(f"{first // 12:04d}-{first % 12 + 1:02d}", last_period)

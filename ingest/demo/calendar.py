"""Dates for the demo county: months, ages, collection years and England and Wales working days."""
from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def month_last(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - DAY


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months on, or that month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, month_last(year, month + 1).day))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 2, 28)


def birthday(dob: dt.date, age: int) -> dt.date:
    return add_years(dob, age)


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def collection_year(day: dt.date) -> int:
    """The year an April-to-March DfE collection year starts: 2024 for 2024-25."""
    return day.year if day.month >= 4 else day.year - 1


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
    parts = last_period.split("-") if isinstance(last_period, str) else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"last period {last_period!r} is not a month written YYYY-MM, e.g. 2025-03")
    year, month = int(parts[0]), int(parts[1])
    end = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(end - months + 1, end + 1)]

"""Turning the cells of real exports into typed values.

Each converter takes one column's raw cells and returns the typed values and the
problems (row index, message). Converters work a whole column at a time and remember
each distinct raw value, because real columns repeat themselves (dates, codes, Y/N):
this is what makes validating 100,000 rows cheap next to reading them.

What real exports contain, and we accept:
- dates as Excel date cells, Excel serial numbers, dd/mm/yyyy (or d/m/yy) text,
  ISO text (2019-09-30, with or without a time), "30 Sep 2019", 20190930;
- date-times the same, with hh:mm or hh:mm:ss;
- flags as Y/N, Yes/No, 1/0, True/False, In/Out;
- identifiers typed as numbers (123456.0 is the id "123456").
Dates are read day first, as English systems write them: 04/05/2019 is 4 May.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from scorecard.codes import CodeList

Problem = tuple[int, str]  # (index in the column, message)
Converter = Callable[[Sequence[Any]], tuple[list[Any], list[Problem]]]

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Excel serials between these are the years 1927 to 2064: anything else is not a date
# anyone in care could have, and is far more likely a mistyped number.
SERIAL_MIN, SERIAL_MAX = 10_000, 60_000

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s*([AaPp])\.?[Mm]\.?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"$")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + r"$")
_DMONY = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})[ \-,]+(\d{4}|\d{2})" + _TIME + r"$")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")

TRUE_WORDS = {"y", "yes", "true", "t", "1", "in", "inside", "inarea", "incounty", "inla"}
FALSE_WORDS = {"n", "no", "false", "f", "0", "out", "outside", "outofarea", "outofcounty", "outla", "outsidela"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # 19 -> 2019, 85 -> 1985: two-digit years within a child's lifetime
        year += 2000 if year < 70 else 1900
    return year


def _on_24_hour_clock(hour: int, meridiem: str | None) -> int | None:
    """9 with 'PM' is 21; a 12-hour clock reads 1 to 12 (None otherwise)."""
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if meridiem[0].lower() == "p" else 0)


def _datetime_from_text(text: str) -> dt.datetime | None:
    text = text.strip()
    meridiem = None
    match = _ISO.match(text)
    if match:
        y, m, d, hh, mm, ss, meridiem = match.groups()
        year, month, day = int(y), int(m), int(d)
    elif match := _DMY.match(text):
        d, m, y, hh, mm, ss, meridiem = match.groups()
        year, month, day = _year(y), int(m), int(d)
    elif match := _DMONY.match(text):
        d, mon, y, hh, mm, ss, meridiem = match.groups()
        month = _MONTHS.get(mon.lower())
        if month is None:
            return None
        year, day = _year(y), int(d)
    elif match := _COMPACT.match(text):
        y, m, d = match.groups()
        year, month, day, hh, mm, ss = int(y), int(m), int(d), None, None, None
    else:
        return None
    hour = _on_24_hour_clock(int(hh or 0), meridiem)
    if hour is None:
        return None
    try:
        return dt.datetime(year, month, day, hour, int(mm or 0), int(ss or 0))
    except ValueError:
        return None


def _to_second(moment: dt.datetime) -> dt.datetime:
    """Round to the nearest second: Excel stores times as fractions of a day, so 10:00
    can come back as 09:59:59.999998."""
    if not moment.microsecond and moment.tzinfo is None:
        return moment
    moment = moment.replace(tzinfo=None)
    if moment.microsecond >= 500_000:
        moment += dt.timedelta(seconds=1)
    return moment.replace(microsecond=0)


def _datetime_from_cell(value: Any) -> dt.datetime | str:
    """A datetime, or the reason the cell is not one."""
    if value.__class__ is dt.datetime or isinstance(value, dt.datetime):
        return _to_second(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "is not a date"
    if isinstance(value, (int, float)):
        if SERIAL_MIN <= value <= SERIAL_MAX:
            return _to_second(EXCEL_EPOCH + dt.timedelta(days=float(value)))
        return "is a number, not a date"
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) == 5 and SERIAL_MIN <= int(text) <= SERIAL_MAX:
            return EXCEL_EPOCH + dt.timedelta(days=int(text))
        parsed = _datetime_from_text(text)
        if parsed is not None:
            return parsed
        return "is not a date (write dates as dd/mm/yyyy)"
    return "is not a date"


def _memoised(convert_one: Callable[[Any], Any], blank: Any = None,
              bulk: Callable[[set], dict | None] | None = None) -> Converter:
    """Build a column converter from a cell converter (which returns a value or a `_Bad`).

    Each distinct cell is converted once and the column is mapped through the results,
    so the per-cell work happens in C (set, dict, map). `bulk`, when given, converts a
    whole set of distinct cells at C speed when they are all of one clean shape (every
    cell already a datetime, every id already tidy text) and returns None otherwise.
    """

    def convert(cells: Sequence[Any]) -> tuple[list[Any], list[Problem]]:
        distinct = set(cells)
        distinct.discard(None)
        distinct.discard("")
        results: dict[Any, Any] = {None: blank, "": blank}
        bad: dict[Any, str] = {}
        converted = bulk(distinct) if bulk is not None and distinct else None
        if converted is AS_THEY_ARE:
            converted = OnlyThese()
        if converted.__class__ is OnlyThese:  # the rest as they are: mapped at C speed, no lookup table
            changes = {None: blank, "": blank, **converted}
            return list(map(changes.get, cells, cells)), []
        if converted is not None:  # bulk conversions never fail
            results.update(converted)
        else:
            for cell in distinct:
                result = blank if cell.__class__ is str and not cell.strip() else convert_one(cell)
                if result.__class__ is _Bad:
                    bad[cell] = result.message
                results[cell] = result
        problems: list[Problem] = []
        if bad:
            problems = [(index, bad[cell]) for index, cell in enumerate(cells) if cell in bad]
            results.update(dict.fromkeys(bad))
        return list(map(results.__getitem__, cells)), problems

    return convert


def _types(values: set) -> set[type]:
    return set(map(type, values))


AS_THEY_ARE = object()
"""What a bulk converter returns when every value is already in its converted form."""


class OnlyThese(dict):
    """What a bulk converter returns when only these values change (value -> converted) and
    every other is already in its converted form."""

# Text that needs no tidying: no leading, trailing or repeated spaces, no tabs or breaks.
_UNTIDY = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)|\s\s|[^\S ]")
_ASCII_UNTIDY = ("  ", "\x00 ", " \x00", *"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")


def _is_tidy(joined: str) -> bool:
    if joined.isascii():  # substring searches run at memchr speed; the regex is for the rest
        return not (joined[:1] == " " or joined[-1:] == " " or any(s in joined for s in _ASCII_UNTIDY))
    return not _UNTIDY.search(joined)


def _bulk_text(values: set) -> object | None:
    if _types(values) == {str} and _is_tidy("\x00".join(values)):
        return AS_THEY_ARE
    return None


def _bulk_datetime(values: set) -> dict | None:
    types = _types(values)
    if types == {str}:
        try:  # ISO text, as CSV exports and databases write it
            parsed = list(map(dt.datetime.fromisoformat, values))
        except ValueError:
            return None
        if any(v.tzinfo is not None or v.microsecond for v in parsed):
            return None
        return dict(zip(values, parsed))
    if not types or not types <= {dt.datetime, dt.date}:
        return None
    # Every step is a map or a compress (C speed) but `_to_second`: calamine gives a whole
    # day (midnight) as a date, made a datetime; whole seconds with no time zone (what a
    # workbook usually holds) stay as they are (`_to_second` gives them back), so only the
    # others go in the table the column is mapped by.
    ordered = list(values)
    changes = OnlyThese()
    if dt.date in types:
        is_day = list(map(operator.is_, map(type, ordered), repeat(dt.date)))
        days = list(compress(ordered, is_day))
        changes.update(zip(days, map(dt.datetime.combine, days, repeat(dt.time()))))
        ordered = list(compress(ordered, map(operator.not_, is_day)))
    seconds = list(map(_to_second, ordered))
    changes.update(compress(zip(ordered, seconds), map(operator.is_not, ordered, seconds)))
    return changes


def _bulk_date(values: set) -> dict | None:
    types = _types(values)
    if types == {dt.date}:
        return dict(zip(values, values))
    if types == {dt.datetime}:
        return dict(zip(values, map(dt.datetime.date, values)))
    if types == {str}:
        try:
            return dict(zip(values, map(dt.date.fromisoformat, values)))
        except ValueError:
            return None
    return None


class _Bad:
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _date_cell(value: Any) -> dt.date | _Bad:
    if value.__class__ is dt.datetime:
        return value.date()
    result = _datetime_from_cell(value)
    return _Bad(result) if isinstance(result, str) else result.date()


def _datetime_cell(value: Any) -> dt.datetime | _Bad:
    if value.__class__ is dt.datetime and not value.microsecond and value.tzinfo is None:
        return value
    result = _datetime_from_cell(value)
    return _Bad(result.replace("a date", "a date and time")) if isinstance(result, str) else result


def _text_cell(value: Any) -> str:
    if value.__class__ is str:
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return " ".join(str(value).split())


def _bool_cell(value: Any) -> bool | _Bad:
    if isinstance(value, bool):
        return value
    word = "".join(ch for ch in _text_cell(value).lower() if ch.isalnum())
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return _Bad("is not a yes/no value (use Y or N)")


def _number_cell(value: Any) -> float | _Bad:
    if isinstance(value, bool):
        return _Bad("is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return _Bad("is not a number")


def _integer_cell(value: Any) -> int | _Bad:
    number = _number_cell(value)
    if isinstance(number, _Bad) or not number.is_integer():
        return _Bad("is not a whole number")
    return int(number)


convert_date = _memoised(_date_cell, bulk=_bulk_date)
convert_datetime = _memoised(_datetime_cell, bulk=_bulk_datetime)
convert_text = _memoised(_text_cell, bulk=_bulk_text)
convert_number = _memoised(_number_cell)
convert_integer = _memoised(_integer_cell)


def convert_bool(cells: Sequence[Any], blank_means: bool | None = None) -> tuple[list[Any], list[Problem]]:
    return _memoised(_bool_cell, blank=blank_means)(cells)


def convert_code(cells: Sequence[Any], codes: CodeList,
                 aliases: Mapping[str, str] | None = None) -> tuple[list[Any], list[Problem]]:
    """Codes from the code itself, its label or an alias, a council's own `aliases` (by
    token), or the label's words where they match one code only (`CodeList.match`)."""
    def one(value: Any) -> str | _Bad:
        written = _text_cell(value)
        code = codes.match(written, aliases)
        if code is None:
            closest = codes.closest(written)
            hint = f"closest: {', '.join(closest)}; " if closest else ""
            return _Bad(f"is not a known {codes.name.replace('_', ' ')} code ({hint}expected one of {codes.describe()})")
        return code

    return _memoised(one)(cells)


_TIME_TEXT = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
_TIME_COMPACT = re.compile(r"(\d{2})(\d{2})$")


def _time_cell(value: Any) -> dt.time | _Bad:
    """A time of day: an Excel time cell, a fraction of a day, or '14:30', '14:30:05',
    '2.30pm', '1430'. A date-time cell gives its time."""
    if isinstance(value, dt.datetime):
        return _to_second(value).time()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.timedelta) and 0 <= value.total_seconds() < 86400:
        return (dt.datetime.min + value).time().replace(microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        return _to_second(dt.datetime.min + dt.timedelta(days=float(value))).time()
    text = str(value).strip()
    if match := _TIME_TEXT.match(text):
        hour = _on_24_hour_clock(int(match.group(1)), match.group(4))
        minute, second = int(match.group(2)), int(match.group(3) or 0)
    elif match := _TIME_COMPACT.match(text):
        hour, minute, second = int(match.group(1)), int(match.group(2)), 0
    else:
        hour = None
    if hour is None or hour > 23 or minute > 59 or second > 59:
        return _Bad("is not a time of day (write times as hh:mm)")
    return dt.time(hour, minute, second)


convert_time = _memoised(_time_cell)


class AgeReached(int):
    """A birthday written as the age reached ('18', '18th'): a date once the date of birth is known."""

    @property
    def age(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"AgeReached({int(self)})"


_AGE_TEXT = re.compile(r"(?:age\s*)?(\d{1,2})(?:\.0+)?(?:st|nd|rd|th)?(?:\s*birthday)?$", re.IGNORECASE)


def _date_or_age_cell(value: Any) -> dt.date | AgeReached | _Bad:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 0 <= value < 100:
        return AgeReached(int(value))
    if isinstance(value, str) and (match := _AGE_TEXT.match(value.strip())):
        return AgeReached(int(match.group(1)))
    return _date_cell(value)


convert_date_or_age = _memoised(_date_or_age_cell)
"""A birthday given as a date or as the age reached; ages become dates with the date of birth."""


_NUMBER_AS_TEXT = re.compile(r"\d+\.0+")


def convert_identifier(cells: Sequence[Any]) -> tuple[list[Any], list[Problem]]:
    """Identifiers as text; one a system wrote as a number ("100101.0" in a CSV, 100101.0 in
    a workbook) is the id "100101"."""
    values, problems = convert_text(cells)
    distinct = set(values)
    distinct.discard(None)
    if _types(distinct) <= {str} and "." not in "".join(distinct):  # no decimal point anywhere: nothing to do
        return values, problems
    if any(v.__class__ is str and v.endswith("0") and "." in v for v in distinct):
        values = [v[: v.index(".")] if v.__class__ is str and _NUMBER_AS_TEXT.fullmatch(v) else v for v in values]
    return values, problems

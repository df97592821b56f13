"""The month an upload is as at, found from the files themselves, and how it was found.

`scorecard ingest` is told the month (--period). In the browser the analyst drops files,
so the month is read from what the files say, and shown with its evidence for the analyst
to confirm or correct; it is never guessed:

- the file name ("cla_2019-09.xlsx", "Missing Sept 2019.csv", "visits 30.09.2019.xlsx");
- a title row above the header ("Children looked after at 30/09/2019"), but not a run
  date ("Run on 01/10/2019": the day the report ran, not the day it is as at);
- the rows of a dataset that lists the records dated in its month (visits due, missing
  episodes started, health assessments due or done, care leavers' birthdays): when every
  row's date falls in one month, that is the month;
- an SSDA903 return's latest date, which falls in its collection year (the command line's
  "--year 2018-19?" hint): the year's last month stands for it, as any month of a
  collection year gives the year.

When the clues name one month, it is found; when they name several, or none, it is not,
and the analyst types it (the upload is refused until they do).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ingest import ssda903
from ingest.parse import Table
from ingest.readers import SourceFile
from scorecard.periods import month_name, month_of
from scorecard.vocabulary import DATED

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](20\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(20\d{2})[\-_./ ](\d{1,2})(?:[\-_./ ](\d{1,2}))?(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?:\d{2})?(?!\d)")
_NAMED = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?[\s_\-']*(20\d{2}|\d{2})\b",
                    re.IGNORECASE)
_RUN_DATE = re.compile(r"\b(run|ran|printed|produced|generated|extracted|exported|created|downloaded)\b",
                       re.IGNORECASE)
TITLE_ROWS = 10


@dataclass(frozen=True)
class MonthClue:
    month: str
    """YYYY-MM."""
    file: str
    how: str
    """Where it was read, as a phrase: "its name", "the title 'Children looked after at
    30/09/2019' (sheet Report, row 1)", "every Date Due in its 568 rows"."""

    def describe(self) -> str:
        return f"{self.file}: {self.how}"


@dataclass
class MonthFound:
    month: str | None
    clues: list[MonthClue] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        return sorted({c.month for c in self.clues})

    @property
    def conflicting(self) -> bool:
        return len(self.months) > 1


def _valid(year: int, month: int) -> str | None:
    return month_name(year, month) if 2000 <= year <= 2099 and 1 <= month <= 12 else None


def months_in_text(text: str, compact: bool = False) -> list[str]:
    """The months a piece of text names (dates read day first, as in England); `compact`
    also reads 201909 (for file names, where long numbers are rarely anything else)."""
    found: list[str] = []
    rest = text
    for pattern in (_DAY_MONTH_YEAR, _ISO, *([_COMPACT] if compact else [])):
        for match in pattern.finditer(rest):
            if pattern is _DAY_MONTH_YEAR:
                month = _valid(int(match.group(3)), int(match.group(2)))
            else:
                month = _valid(int(match.group(1)), int(match.group(2)))
            if month:
                found.append(month)
        rest = pattern.sub(" ", rest)
    for match in _NAMED.finditer(rest):
        year = int(match.group(2))
        month = _valid(year if year > 99 else 2000 + year, _MONTHS.index(match.group(1)[:3].lower()) + 1)
        if month:
            found.append(month)
    return list(dict.fromkeys(found))


def clues_in_name(name: str) -> list[MonthClue]:
    stem = name.rsplit(".", 1)[0]
    return [MonthClue(month, name, f"its name '{name}'") for month in months_in_text(stem, compact=True)]


def title_rows(source: SourceFile) -> Iterator[tuple[str, str]]:
    """(text, where) of each title row above a sheet's header (rows of one or two cells),
    where is "row 1 of sheet 'Report'"; what the upload reads the month and council from."""
    for sheet in source.sheets:
        for number, row in enumerate(sheet.head(TITLE_ROWS), start=1):
            filled = [cell for cell in row if cell not in (None, "")]
            if len(filled) > 2:
                break  # the header: titles are above it
            text = " ".join(cell.strftime("%d/%m/%Y") if isinstance(cell, dt.date) else str(cell) for cell in filled)
            if text:
                yield text, f"row {number}" + (f" of sheet '{sheet.name}'" if sheet.name else "")


def clues_in_titles(source: SourceFile) -> list[MonthClue]:
    """Months named by the title rows above a sheet's header, but not by a run date."""
    clues = []
    for text, where in title_rows(source):
        if _RUN_DATE.search(text):
            continue
        shown = text if len(text) <= 80 else text[:77] + "..."
        clues += [MonthClue(month, source.name, f"the title '{shown}' ({where})") for month in months_in_text(text)]
    return clues


def clue_in_rows(table: Table) -> MonthClue | None:
    """The month every row of a dated table falls in (its dataset lists the records dated
    in its month), if there is one."""
    rule = table.complete_for
    if table.source_format != "template" or rule.kind != DATED or not len(table):
        return None
    months = set()
    for values in zip(*(table.column_or_blank(name) for name in rule.dates)):
        first = next((v for v in values if isinstance(v, dt.date)), None)
        if first is None:
            continue
        months.add(month_of(first))
        if len(months) > 1:
            return None
    if len(months) != 1:
        return None
    headers = " or ".join(f"'{table.headers.get(name, name)}'" for name in rule.dates if name in table.headers)
    where = f" (sheet '{table.sheet}')" if table.sheet else ""
    return MonthClue(months.pop(), table.file, f"every {headers} in its {len(table):,} rows{where} falls in it")


def clue_in_return(tables: Iterable[Table]) -> MonthClue | None:
    """The collection year an SSDA903 return's latest date falls in, as its last month."""
    returns = {t.dataset.name: t for t in tables if t.dataset.source_format == ssda903.FORMAT}
    year = ssda903.dates_suggest(returns) if returns else None
    if year is None:
        return None
    files = ", ".join(sorted({t.file for t in returns.values()}))
    return MonthClue(year.last_month, files, f"the return's latest date is in the collection year {year}, "
                     f"whose last month is {year.last_month}")


def find_month(sources: Sequence[SourceFile], tables: Iterable[Table]) -> MonthFound:
    """Every clue to the upload's month; the month when they agree on one."""
    clues: list[MonthClue] = []
    for source in sources:
        clues += clues_in_name(source.name)
        clues += clues_in_titles(source)
    tables = list(tables)
    clues += [clue for clue in map(clue_in_rows, tables) if clue is not None]
    clues += [clue for clue in [clue_in_return(tables)] if clue is not None]
    months = {c.month for c in clues}
    return MonthFound(months.pop() if len(months) == 1 else None, clues)

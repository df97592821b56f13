"""Validating one located table and turning it into typed columns.

Validation is lazy: every problem in the table is collected, none stops the others
from being found. The result holds the typed columns (field name -> values) and, for
each row, the spreadsheet row it came from, which is stored with the row as lineage.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest import cells
from scorecard.codes import code_list
from ingest.locate import HeaderMatch
from ingest.problems import Problem, Severity
from ingest.schema import Dataset, Field, Kind

# Words in the rows below (or inside) a table that mark them as not data: totals,
# counts, "report run on ..." footers.
_FOOTER_WORDS = ("total", "subtotal", "count", "report", "run on", "produced", "generated", "printed", "end of", "source",
                 "note")
_FOOTER = re.compile(r"\b(" + "|".join(_FOOTER_WORDS) + r")", re.IGNORECASE)
_BLANK_TEXT = re.compile(r"(?:^|\x00)\s*(?:\x00|$)")


@dataclass
class Table:
    """A validated table: typed columns, and the spreadsheet row of each row."""

    dataset: Dataset
    file: str
    sheet: str | None
    sha256: str
    columns: dict[str, list[Any]]
    source_rows: list[int]
    headers: dict[str, str] = field(default_factory=dict)
    """field name -> header as written in the file."""
    also_from: list[dict] = field(default_factory=list)
    """Further files joined in (the SSDA903 Header and UASC files)."""
    source_format: str = "template"

    def __len__(self) -> int:
        return len(self.source_rows)

    def column_or_blank(self, name: str) -> list[Any]:
        return self.columns.get(name) or [None] * len(self)


def _converter(f: Field):
    if f.kind is Kind.DATE:
        return cells.convert_date
    if f.kind is Kind.DATETIME:
        return cells.convert_datetime
    if f.kind is Kind.FLAG:
        return lambda column: cells.convert_bool(column, blank_means=f.blank_means)
    if f.kind is Kind.NUMBER:
        return cells.convert_number
    if f.kind is Kind.INTEGER:
        return cells.convert_integer
    if f.kind is Kind.CODE:
        codes = code_list(f.codes)
        return lambda column: cells.convert_code(column, codes)
    return cells.convert_text


def _is_not_data(row: Sequence[Any], required_indexes: Sequence[int]) -> bool:
    """Blank rows, and totals or footer rows: nothing in the required columns but words
    like 'Total' or 'Report run on'."""
    filled = [row[i] for i in required_indexes if i < len(row) and not cells.is_blank(row[i])]
    if any(not (isinstance(v, str) and _FOOTER.search(v)) for v in filled):
        return False
    if filled:
        return True
    text = " ".join(str(c) for c in row if not cells.is_blank(c))
    return not text or bool(_FOOTER.search(text))


def _footer_values(values: set) -> set:
    """The values that could start a blank, totals or note row (nothing, or words like 'Total')."""
    joined = "\x00".join(v for v in values if v.__class__ is str)
    lowered = joined.lower()
    # Plain substring searches over all the text find the usual case, no footer at all,
    # at C speed; the word-boundary regex then runs only on the few candidates.
    if (None not in values and not any(word in lowered for word in _FOOTER_WORDS)
            and not _BLANK_TEXT.search(joined)):
        return set()
    return {v for v in values if v is None or (v.__class__ is str and (not v.strip() or _FOOTER.search(v)))}


def collection_year(day: dt.date) -> str:
    """The DfE collection year (1 April to 31 March) a day falls in, as '2024-25'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


class _Problems(list):
    """The problems of one table, each placed in its file and sheet."""

    def __init__(self, file: str, sheet: str | None):
        super().__init__()
        self.file, self.sheet = file, sheet

    def add(self, code: str, message: str, row: int | None = None, column: str | None = None,
            value: Any = None, severity: Severity = Severity.ERROR) -> None:
        self.append(Problem(code=code, message=message, file=self.file, sheet=self.sheet, row=row, column=column,
                            value=None if value is None else _shown(value), severity=severity))


def _check_code_years(f: Field, values: Sequence[Any], source_rows: Sequence[int], written: str,
                      period_end: dt.date, problems: _Problems) -> None:
    """Warn, once per code, when a retired code is still used (e.g. SEX 1/2 after the change
    to M/F/U): the load goes ahead, and the analyst can ask for the system to be updated.
    (Codes used before their first year are not warned about: a label such as 'Male'
    means today's code whatever the month.)"""
    codes = code_list(f.codes)
    year = collection_year(period_end)
    for code in sorted(set(values) - {None}):
        entry = codes.codes[code]
        if entry.last_year and year > entry.last_year:
            rows = [source_rows[i] for i, v in enumerate(values) if v == code]
            problems.add("code-out-of-date", f"'{code}' ({entry.label}) is a DfE code used until {entry.last_year}, "
                         f"not in {year}; it is in {len(rows)} row{'s' if len(rows) != 1 else ''} "
                         f"(first: row {rows[0]})", row=rows[0], column=written, value=code,
                         severity=Severity.WARNING)


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _data_rows(rows: Sequence[Sequence[Any]], match: HeaderMatch,
               problems: _Problems) -> tuple[list[Sequence[Any]], list[int]]:
    """The sheet's columns below the header, without blank, totals and note rows, and the
    spreadsheet row number of each row kept."""
    header_row = match.header_index + 1  # spreadsheet rows count from 1
    required_indexes = [match.columns[f.name][0] for f in match.dataset.required if f.name in match.columns]
    body = rows[match.header_index + 1:]
    # Rows from calamine all have the sheet's width; CSV rows can be ragged.
    lengths = set(map(len, body))
    width = max(lengths, default=0)
    if len(lengths) > 1:
        body = [list(r) + [None] * (width - len(r)) for r in body]
    columns = list(zip(*body)) if body else []
    # Only rows with nothing (or a word like 'Total') in the first required column can be
    # blank, totals or notes: find them column-wise, then look at those few rows whole.
    first = columns[required_indexes[0]] if required_indexes and columns else ()
    suspicious = _footer_values(set(first))
    skipped = set()
    for offset in (i for i, v in enumerate(first) if v in suspicious) if suspicious else ():
        row = body[offset]
        if _is_not_data(row, required_indexes):
            skipped.add(offset)
            if any(not cells.is_blank(c) for c in row):
                problems.add("skipped-row", "row has no value in any required column and looks like a total or "
                             "note; it was not loaded", row=header_row + 1 + offset, severity=Severity.INFO)
    if not skipped:
        return columns, list(range(header_row + 1, header_row + 1 + len(body)))
    keep = [i for i in range(len(body)) if i not in skipped]
    data = [body[i] for i in keep]
    return (list(zip(*data)) if data else []), [header_row + 1 + i for i in keep]


def _parse_field(f: Field, raw: Sequence[Any], source_rows: Sequence[int], written: str,
                 period_end: dt.date | None, problems: _Problems) -> list[Any]:
    """One column's typed values; its problems are added to `problems`."""
    values, bad = _converter(f)(raw)
    for i, message in bad:
        problems.add("type-error" if f.kind is not Kind.CODE else "constraint-error",
                     f"'{_shown(raw[i])}' {message}", row=source_rows[i], column=written, value=raw[i])
    if f.required and f.blank_means is None and None in values:
        for i, value in enumerate(values):
            if value is None and cells.is_blank(raw[i]):
                problems.add("missing-value", f"{f.header} is required and is empty", row=source_rows[i],
                             column=written)
    if f.not_after_period and period_end is not None:
        limit = period_end if f.kind is Kind.DATE else dt.datetime.combine(period_end, dt.time.max)
        latest = max(set(values) - {None}, default=None)
        for i, value in enumerate(values if latest is not None and latest > limit else ()):
            if value is not None and value > limit:
                problems.add("date-after-period", f"{_shown(value)} is after the end of the month being loaded "
                             f"({period_end:%d/%m/%Y}); check the extract is for the right month",
                             row=source_rows[i], column=written, value=value, severity=Severity.WARNING)
    if f.kind is Kind.CODE and period_end is not None:
        _check_code_years(f, values, source_rows, written, period_end, problems)
    return values


def _check_keys(dataset: Dataset, columns: dict[str, list[Any]], headers: dict[str, str],
                source_rows: Sequence[int], problems: _Problems) -> None:
    key_columns = [columns[name] for name in dataset.key if name in columns]
    keys = list(zip(*key_columns))
    if len(key_columns) != len(dataset.key) or len(set(keys)) == len(keys):
        return
    first_seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key[0] is None:
            continue
        if key in first_seen:
            problems.add("duplicate-key", "same " + " and ".join(dataset.field(n).header for n in dataset.key)
                         + f" as row {source_rows[first_seen[key]]}", row=source_rows[i],
                         column=headers[dataset.key[0]])
        else:
            first_seen[key] = i


def parse_table(
    rows: Sequence[Sequence[Any]],
    match: HeaderMatch,
    file: str,
    sheet: str | None,
    sha256: str,
    period_end: dt.date | None,
) -> tuple[Table, list[Problem]]:
    """Validate the table `match` found in `rows`; return it typed, with every problem."""
    dataset = match.dataset
    problems = _Problems(file, sheet)
    for f in match.missing:
        problems.add("missing-column", f"the required column '{f.header}' ({f.meaning}) is missing; "
                     f"accepted headers: {', '.join(f.headers)}")
    for _, written in match.extra:
        problems.add("extra-column", f"column '{written}' is not part of the {dataset.title.lower()} template "
                     "and was ignored", column=written, severity=Severity.INFO)

    raw_columns, source_rows = _data_rows(rows, match, problems)
    if not source_rows and not match.missing:
        problems.add("empty-file", "the table has a header but no rows of data")

    columns: dict[str, list[Any]] = {}
    headers: dict[str, str] = {}
    for f in dataset.fields:
        if f.name in match.columns:
            index, headers[f.name] = match.columns[f.name]
            raw = raw_columns[index] if index < len(raw_columns) else (None,) * len(source_rows)
            columns[f.name] = _parse_field(f, raw, source_rows, headers[f.name], period_end, problems)

    for rule in dataset.rules:
        for i, name, message in rule(columns):
            problems.add("row-constraint", message, row=source_rows[i], column=headers.get(name, name),
                         value=columns[name][i] if name in columns else None)
    _check_keys(dataset, columns, headers, source_rows, problems)

    table = Table(dataset=dataset, file=file, sheet=sheet, sha256=sha256, columns=columns,
                  source_rows=source_rows, headers=headers)
    return table, list(problems)

"""Validating one located table and turning it into typed columns.

Validation is lazy: every problem in the table is collected, none stops the others
from being found. The result holds the typed columns (field name -> values) and, for
each row, the spreadsheet row it came from, which is stored with the row as lineage.

What is not data is skipped and said (as information): blank rows; totals and footers,
whose first filled cell is a word such as "Total", "Count" or "Report run on", whatever
numbers stand beside it; and notes below the last row of data.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest import cells
from ingest.locate import HeaderMatch
from ingest.mappings import ColumnMapping, mapping_command, value_command
from ingest.problems import Problem, Severity
from ingest.schema import Dataset, Field, Kind
from scorecard.codes import code_list
from scorecard.periods import CollectionYear
from scorecard.vocabulary import Completeness

# The first filled cell of a totals, footer or note row.
_FOOTER = re.compile(
    r"^\s*(?:[*†#]|(?:grand\s*total|sub\s*-?\s*totals?|totals?|count|sum|number\s+of|no\.?\s+of|records?|"
    r"rows?|report|run\s+(?:on|date|by|at)|date\s+run|produced|generated|printed|extracted|exported|"
    r"end\s+of|source|notes?|filters?|criteria|page\s+\d+|prepared\s+by|data\s+as\s+at)\b)", re.IGNORECASE)


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
    first_month: str | None = None
    last_month: str | None = None
    as_at: dt.date | None = None
    """The months the table covers and the day it is as at (set by the upload)."""
    completeness: Completeness | None = None
    """What it lists in full for those months; the dataset's own rule unless set."""
    mapping: ColumnMapping | None = None
    """The saved column mapping the file was read with, if any."""
    carried: frozenset[str] | None = None
    """The fields the file has (None: every column in `columns`). A file says nothing about
    the others: a later version from it does not erase them."""

    def __len__(self) -> int:
        return len(self.source_rows)

    def column_or_blank(self, name: str) -> list[Any]:
        return self.columns.get(name) or [None] * len(self)

    @property
    def complete_for(self) -> Completeness:
        return self.completeness or self.dataset.completeness

    @property
    def fields(self) -> list[str]:
        """The stored fields the file carries, in the dataset's order."""
        carried = self.carried if self.carried is not None else frozenset(self.columns)
        return [f.name for f in self.dataset.stored_fields if f.name in carried]


def _converter(f: Field, aliases: dict[str, str] | None = None):
    if f.accepts_age:
        return cells.convert_date_or_age
    if f.identifier:
        return cells.convert_identifier
    if f.kind is Kind.DATE:
        return cells.convert_date
    if f.kind is Kind.DATETIME:
        return cells.convert_datetime
    if f.kind is Kind.TIME:
        return cells.convert_time
    if f.kind is Kind.FLAG:
        return lambda column: cells.convert_bool(column, blank_means=f.blank_means)
    if f.kind is Kind.NUMBER:
        return cells.convert_number
    if f.kind is Kind.INTEGER:
        return cells.convert_integer
    if f.kind is Kind.CODE:
        codes = code_list(f.codes)
        return lambda column: cells.convert_code(column, codes, aliases)
    return cells.convert_text


def is_footer(value: Any) -> bool:
    return isinstance(value, str) and bool(_FOOTER.match(value))


# A blank or footer value among text cells joined by NULs (which no cell holds: CSV files
# with them are refused, XML cannot carry them), found by one regex search.
_BLANK_OR_FOOTER_JOINED = re.compile("\x00" + r"\s*(?:(?=\x00)|" + _FOOTER.pattern.removeprefix(r"^\s*") + ")",
                                     re.IGNORECASE)


def _blank_or_footer(values: set) -> set:
    """The values that `cells.is_blank` or `is_footer` would pick out, from a column's
    distinct values: one regex search over the text joined, not two calls a value (a
    100,000-row sheet's first column usually has as many distinct values as rows)."""
    if set(map(type, values)) <= {str}:
        texts, found = values, set()
    else:
        texts = [v for v in values if v.__class__ is str]
        found = {v for v in values if v.__class__ is not str and (cells.is_blank(v) or is_footer(v))}
    joined = "\x00" + "\x00".join(texts) + "\x00"
    if joined.count("\x00") != len(texts) + 1:  # a NUL after all: one at a time
        return found | {v for v in texts if cells.is_blank(v) or is_footer(v)}
    for match in _BLANK_OR_FOOTER_JOINED.finditer(joined):
        start = match.start() + 1
        found.add(joined[start:joined.index("\x00", start)])
    return found


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    year = str(CollectionYear.of(period_end))
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


def _first_filled(row: Sequence[Any], start: int) -> Any:
    for value in row[start:]:
        if not cells.is_blank(value):
            return value
    return None


def _data_rows(rows: Sequence[Sequence[Any]], match: HeaderMatch,
               problems: _Problems) -> tuple[list[Sequence[Any]], list[int]]:
    """The sheet's columns below the header, without blank, totals, footer and note rows,
    and the spreadsheet row number of each row kept."""
    header_row = match.header_index + 1  # spreadsheet rows count from 1
    required_indexes = [match.columns[f.name][0] for f in match.dataset.required if f.name in match.columns]
    header_indexes = [index for index, _ in match.columns.values()] + [index for index, _ in match.extra]
    first_index = min(header_indexes, default=0)
    body = rows[match.header_index + 1:]
    # Rows from calamine all have the sheet's width; CSV rows can be ragged.
    lengths = set(map(len, body))
    width = max(lengths, default=0)
    if len(lengths) > 1:
        body = [list(r) + [None] * (width - len(r)) for r in body]
    columns = list(zip(*body)) if body else []
    first = columns[first_index] if first_index < len(columns) else ()
    # Only rows whose first cell is blank or a footer word can be blank, totals or notes:
    # find them column-wise (at C speed), then look at those few rows whole.
    suspicious = _blank_or_footer(set(first))
    skipped: set[int] = set()

    def skip(offset: int, why: str) -> None:
        skipped.add(offset)
        problems.add("skipped-row", why, row=header_row + 1 + offset, severity=Severity.INFO)

    for offset in (i for i, v in enumerate(first) if v in suspicious) if suspicious else ():
        lead = _first_filled(body[offset], 0)
        if lead is None:
            skipped.add(offset)
        elif is_footer(lead):
            skip(offset, f"row starts with '{_shown(lead)[:40]}': a total, footer or note, not data; it was not loaded")
    needed = min(2, len(required_indexes)) or 1
    for offset in range(len(body) - 1, -1, -1):  # notes below the last row of data
        if offset in skipped:
            continue
        row = body[offset]
        if sum(1 for i in required_indexes if i < len(row) and not cells.is_blank(row[i])) >= needed:
            break
        skip(offset, "row below the last row of data looks like a note (it has too few of the required "
                     "columns); it was not loaded")
    if not skipped:
        return columns, list(range(header_row + 1, header_row + 1 + len(body)))
    keep = [i for i in range(len(body)) if i not in skipped]
    data = [body[i] for i in keep]
    return (list(zip(*data)) if data else []), [header_row + 1 + i for i in keep]


def _parse_field(f: Field, raw: Sequence[Any], source_rows: Sequence[int], written: str,
                 period_end: dt.date | None, problems: _Problems, aliases: dict[str, str] | None = None,
                 hint: Callable[[str], str] | None = None) -> list[Any]:
    """One column's typed values; its problems are added to `problems`. `hint(value)` adds
    what to do about a bad value."""
    values, bad = _converter(f, aliases)(raw)
    for i, message in bad:
        problems.add("type-error" if f.kind is not Kind.CODE else "constraint-error",
                     f"'{_shown(raw[i])}' {message}" + (hint(_shown(raw[i])) if hint else ""),
                     row=source_rows[i], column=written, value=raw[i])
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
                problems.add("date-after-period", f"{_shown(value)} is after the end of the months being loaded "
                             f"({period_end:%d/%m/%Y}); check the extract is for the right month",
                             row=source_rows[i], column=written, value=value, severity=Severity.WARNING)
    if f.kind is Kind.CODE and period_end is not None:
        _check_code_years(f, values, source_rows, written, period_end, problems)
    return values


def _value_hint(council: str, dataset: Dataset, f: Field) -> Callable[[str], str] | None:
    """For a coded field of a council's export: how to say once what an unknown value means."""
    if f.kind is not Kind.CODE or dataset.source_format != "template":
        return None
    return lambda value: f"; if it means one of them, map it once with: " \
                         f"{value_command(council, dataset.name, f.name, value)}"


def _check_keys(dataset: Dataset, columns: dict[str, list[Any]], headers: dict[str, str],
                source_rows: Sequence[int], problems: _Problems) -> None:
    key_columns = [columns[name] for name in dataset.key if name in columns]
    if len(key_columns) != len(dataset.key):
        return
    if len(key_columns) == 1 and len(set(key_columns[0])) == len(key_columns[0]):
        return  # one key column with no repeats: no tuples to build
    keys = list(zip(*key_columns))
    if len(set(keys)) == len(keys):
        return
    first_seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key[0] is None:
            continue
        if key in first_seen:
            problems.add("duplicate-key", "same " + " and ".join(dataset.field(n).header for n in dataset.key)
                         + f" as row {source_rows[first_seen[key]]}", row=source_rows[i],
                         column=headers.get(dataset.key[0]))
        else:
            first_seen[key] = i


def _check_duplicate_headers(match: HeaderMatch, raw_columns: list, source_rows: Sequence[int], council: str,
                             problems: _Problems) -> None:
    """Two columns whose headers both name one field: harmless when they hold the same
    values (the first is read), an error otherwise, until a mapping says which to read."""
    def raw(index: int) -> Sequence[Any]:
        return raw_columns[index] if index < len(raw_columns) else (None,) * len(source_rows)

    for name, others in match.duplicates.items():
        index, written = match.columns[name]
        f = match.dataset.field(name)
        for other_index, other in others:
            where = f"'{written}' (column {column_letter(index)}) and '{other}' (column {column_letter(other_index)})"
            differ = next((i for i, (a, b) in enumerate(zip(raw(index), raw(other_index))) if a != b), None)
            if differ is None:
                problems.add("duplicate-column", f"columns {where} both name {f.header} and hold the same values; "
                             f"'{written}' was read", column=other, severity=Severity.INFO)
                continue
            problems.add("duplicate-column", f"columns {where} both name {f.header} and differ (row "
                         f"{source_rows[differ]}: '{_shown(raw(index)[differ])}' and "
                         f"'{_shown(raw(other_index)[differ])}'); say which to read with: "
                         f"{mapping_command(council, match.dataset.name, name, written)}", column=other)


def missing_column_message(f: Field, match: HeaderMatch, council: str) -> str:
    message = (f"the required column '{f.header}' ({f.meaning}) is missing; accepted headers: "
               f"{', '.join(f.headers)}")
    closest = match.closest_headers(f)
    if closest:
        message += (f"; did you mean {' or '.join(repr(c) for c in closest)}? If so, map it once with: "
                    f"{mapping_command(council, match.dataset.name, f.name, closest[0])}")
    else:
        message += f"; if the export calls it something else, map it once with: " \
                   f"{mapping_command(council, match.dataset.name, f.name, 'HEADER AS WRITTEN')}"
    return message


def _derive(dataset: Dataset, columns: dict[str, list[Any]], headers: dict[str, str],
            source_rows: Sequence[int], problems: _Problems) -> None:
    """Work out fields the file gives in another form (see `Dataset.derivations`), then drop
    the columns read only for that."""
    for derivation in dataset.derivations:
        if not derivation.applies(columns):
            continue
        values, bad = derivation.compute(columns)
        column = headers.get(derivation.sources[-1], derivation.sources[-1])
        for i, message in bad:
            problems.add("type-error", f"'{_shown(columns[derivation.sources[-1]][i])}' {message}",
                         row=source_rows[i], column=column, value=columns[derivation.sources[-1]][i])
        columns[derivation.target] = values
        headers.setdefault(derivation.target, " + ".join(headers.get(s, s) for s in derivation.sources))
    for f in dataset.fields:
        if f.input_only:
            columns.pop(f.name, None)


def parse_table(
    rows: Sequence[Sequence[Any]],
    match: HeaderMatch,
    file: str,
    sheet: str | None,
    sha256: str,
    period_end: dt.date | None,
    council: str = "",
    mapping: ColumnMapping | None = None,
) -> tuple[Table, list[Problem]]:
    """Validate the table `match` found in `rows`; return it typed, with every problem.

    A header with no rows is a table of no records: an answer (no one went missing), not
    an error. `mapping` is the council's saved mapping for the dataset, if any.
    """
    dataset = match.dataset
    problems = _Problems(file, sheet)
    for f in match.missing:
        problems.add("missing-column", missing_column_message(f, match, council))
    for _, written in match.extra:
        problems.add("extra-column", f"column '{written}' is not part of the {dataset.title.lower()} template "
                     "and was ignored", column=written, severity=Severity.INFO)

    raw_columns, source_rows = _data_rows(rows, match, problems)
    if not source_rows and not match.missing:
        problems.add("no-rows", "the table has its header and no rows of data: loaded as no records for the "
                     "months it covers", severity=Severity.INFO)
    _check_duplicate_headers(match, raw_columns, source_rows, council, problems)

    columns: dict[str, list[Any]] = {}
    headers: dict[str, str] = {}
    for f in dataset.fields:
        if f.name in match.columns:
            index, headers[f.name] = match.columns[f.name]
            raw = raw_columns[index] if index < len(raw_columns) else (None,) * len(source_rows)
            aliases = mapping.value_aliases(f.name) if mapping and f.kind is Kind.CODE else None
            columns[f.name] = _parse_field(f, raw, source_rows, headers[f.name], period_end, problems, aliases,
                                           _value_hint(council, dataset, f))
    _derive(dataset, columns, headers, source_rows, problems)

    for rule in dataset.rules:
        for i, name, message in rule(columns):
            problems.add("row-constraint", message, row=source_rows[i], column=headers.get(name, name),
                         value=columns[name][i] if name in columns else None)
    _check_keys(dataset, columns, headers, source_rows, problems)

    table = Table(dataset=dataset, file=file, sheet=sheet, sha256=sha256, columns=columns,
                  source_rows=source_rows, headers=headers, mapping=mapping if match.mapped or _uses_values(
                      mapping, columns) else None)
    return table, list(problems)


def _uses_values(mapping: ColumnMapping | None, columns: dict) -> bool:
    return bool(mapping and any(name in columns for name in mapping.values))

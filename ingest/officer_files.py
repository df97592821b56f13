"""Reading the small tables officers keep beside the figures (commentary, improvement
actions, meeting dates) from a CSV or xlsx file: each sheet with the dataset's column
headers is parsed like an extract (headers in any case, title rows above them), and
every problem goes into the report rather than stopping at the first."""
from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.locate import HEADER_SEARCH_ROWS, locate
from ingest.parse import Table, parse_table
from ingest.problems import Problem, Report, Severity
from ingest.readers import ReadError, read_file
from ingest.schema import Dataset


@dataclass
class OfficerLoad:
    """The outcome of loading one of these files: nothing is loaded unless `ok`."""

    file: str
    rows: int = 0
    """Rows found in the file."""
    loaded: int = 0
    skipped: int = 0
    """Rows identical to one already stored (or to an earlier row of the file)."""
    report: Report = field(default_factory=Report)

    @property
    def ok(self) -> bool:
        return self.report.ok


def tidy(text: str | None) -> str:
    """Text as stored: spaces, tabs and line breaks run together into single spaces, as the file reader does."""
    return " ".join(str(text).split()) if text is not None else ""


def indicator_problem(indicator: str, known_indicators: Collection[str]) -> str | None:
    if indicator in known_indicators:
        return None
    close = difflib.get_close_matches(indicator, sorted(known_indicators), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else " (the ids are listed in docs/metrics.md)"
    return f"'{indicator}' is not an indicator id in metrics.yaml{hint}"


def read_tables(path: Path, dataset: Dataset, report: Report, month_field: str | None = None) -> list[Table]:
    """The dataset's table on each sheet of the file that has its headers.

    `month_field` names a YYYY-MM column: Excel turns 2024-10 typed in a cell into the
    date 1 October 2024, which is read back as that month.
    """
    try:
        source = read_file(path)
    except ReadError as error:
        report.append(Problem("file-error", f"the file {error}", file=path.name))
        return []
    tables = []
    for sheet in source.sheets:
        match = locate(sheet.head(HEADER_SEARCH_ROWS), [dataset])
        if match is None:
            if len(source.sheets) > 1:
                report.append(Problem("ignored-sheet", f"no {dataset.title.lower()} column headers were found on "
                                      "this sheet; it was ignored", file=source.name, sheet=sheet.name,
                                      severity=Severity.INFO))
            continue
        rows = sheet.rows
        if month_field and month_field in match.columns:
            rows = _months_from_date_cells(rows, match.columns[month_field][0], match.header_index)
        table, problems = parse_table(rows, match, source.name, sheet.name, source.sha256, None)
        report.extend(problems)
        tables.append(table)
    if not tables:
        required = ", ".join(f.name for f in dataset.fields if f.required)
        optional = ", ".join(f.name for f in dataset.fields if not f.required)
        report.append(Problem("unknown-dataset", f"no sheet has the {dataset.title.lower()} column headers "
                              f"({required}{'; optional: ' + optional if optional else ''})", file=source.name))
    return tables


def _months_from_date_cells(rows: Sequence[Sequence[Any]], column: int, header_index: int) -> list[list[Any]]:
    rows = [list(row) for row in rows]
    for row in rows[header_index + 1:]:
        cell = row[column] if column < len(row) else None
        if isinstance(cell, dt.date) and cell.day == 1 and not (isinstance(cell, dt.datetime) and cell.time()):
            row[column] = f"{cell.year:04d}-{cell.month:02d}"
    return rows

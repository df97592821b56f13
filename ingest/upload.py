"""An upload: the files an analyst loads together, validated as a whole.

`validate_upload` reads every file, finds which dataset each sheet holds (with the
council's saved column mappings), validates every row, joins SSDA903 tables onto the
datasets, sets the months each table covers, runs the cross-file checks (against the
other files in the upload and what the store already holds) and works out what the load
would change. It returns the tables ready to load and the full problem report; it never
writes.

A monthly extract covers the month given with `--period`; an SSDA903 return covers its
collection year, given with `--year` (or `--period` with any month of it).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection

from ingest import crosscheck, month_check, ssda903, store_fit
from ingest.changes import DatasetChanges, changes_for
from ingest.datasets import DATASETS
from ingest.locate import HEADER_SEARCH_ROWS, HeaderMatch, locate
from ingest.mappings import ColumnMapping, current_mappings
from ingest.parse import Table, missing_column_message, parse_table
from ingest.problems import Problem, Report, Severity
from ingest.readers import ReadError, SourceFile, read_file
from ingest.schema import TEMPLATE_SHEETS, Dataset
from scorecard.periods import CollectionYear, month_end

ALL_SCHEMAS: dict[str, Dataset] = {**DATASETS, **ssda903.TABLES}


def period_end(period: str) -> dt.date:
    """The last day of a YYYY-MM period (ValueError with a plain message otherwise)."""
    return month_end(period)


@dataclass
class Upload:
    period: str | None
    council: str
    tables: list[Table] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    year: CollectionYear | None = None
    changes: dict[str, DatasetChanges] = field(default_factory=dict)
    """dataset -> what loading it would change in the store (when checked against one)."""
    found: list[Table] = field(default_factory=list)
    """Every table recognised in the files, months set or not (the browser finds the month
    an upload is as at from them when none was given)."""

    @property
    def ok(self) -> bool:
        return self.report.ok and bool(self.tables)

    @property
    def row_count(self) -> int:
        return sum(len(t) for t in self.tables)

    @property
    def mappings_used(self) -> list[ColumnMapping]:
        return list({t.mapping.id: t.mapping for t in self.tables if t.mapping is not None}.values())


def _closest(source: SourceFile, candidates: Sequence[Dataset], mappings: dict) -> tuple[HeaderMatch | None, str | None]:
    """The dataset a file comes closest to, however poorly, and the sheet it is on."""
    matches = [(locate(sheet.head(HEADER_SEARCH_ROWS), candidates, min_share=0, min_columns=0, mappings=mappings),
                sheet.name) for sheet in source.sheets]
    matches = [(m, name) for m, name in matches if m is not None]
    return max(matches, key=lambda pair: pair[0].score(), default=(None, None))


@dataclass
class _Context:
    """What reading one upload's files needs to know."""
    council: str
    period: str | None
    year: CollectionYear | None
    mappings: dict[str, ColumnMapping]
    report: Report

    @property
    def mapped_headers(self) -> dict[str, dict[str, str]]:
        return {name: mapping.header_fields for name, mapping in self.mappings.items()}

    def end_for(self, dataset: Dataset) -> dt.date | None:
        """The last day a table's dates may reach: its month's end, or its return's year end."""
        if dataset.source_format == ssda903.FORMAT and self.year is not None:
            return self.year.last_day
        return month_end(self.period) if self.period else None


def _tables_in_file(source: SourceFile, candidates: Sequence[Dataset], sheet_name: str | None,
                    context: _Context) -> list[Table]:
    report = context.report

    def problem(code: str, message: str, sheet: str | None = None, severity: Severity = Severity.ERROR) -> None:
        report.append(Problem(code=code, message=message, file=source.name, sheet=sheet, severity=severity))

    sheets = source.sheets
    if sheet_name is not None:
        sheets = [s for s in sheets if s.name == sheet_name]
        if not sheets and not source.is_csv:
            problem("missing-sheet", f"has no sheet named '{sheet_name}' (it has: "
                    f"{', '.join(s.name for s in source.sheets)})")
            return []
        sheets = sheets or source.sheets
    tables = []
    ignored = []
    recognised = False
    for sheet in sheets:
        match = locate(sheet.head(HEADER_SEARCH_ROWS), candidates, mappings=context.mapped_headers)
        if match is None:
            ignored.append(sheet.name)
            continue
        recognised = True
        if match.dataset.ignored:
            problem("ignored-table", f"this is the return's {match.dataset.title} table, which the scorecard does "
                    "not use; it was not loaded", sheet=sheet.name, severity=Severity.INFO)
            continue
        table, problems = parse_table(sheet.rows, match, source.name, sheet.name, source.sha256,
                                      context.end_for(match.dataset), context.council,
                                      context.mappings.get(match.dataset.name))
        report.extend(problems)
        tables.append(table)
    for name in ignored:
        if len(source.sheets) > 1 and not (recognised and name in TEMPLATE_SHEETS):
            problem("ignored-sheet", "no dataset's column headers were found on this sheet; it was ignored",
                    sheet=name, severity=Severity.INFO)
    if not recognised:
        names = ", ".join(d.title.lower() for d in candidates if d.source_format == "template")
        message = f"no sheet has the column headers of a dataset ({names}, or the SSDA903 tables)"
        closest, sheet = _closest(source, candidates, context.mapped_headers)
        if closest is not None and closest.columns:
            missing = ", ".join(f"'{f.header}'" for f in closest.missing)
            message += f"; the closest is {closest.dataset.title.lower()}, which also needs {missing}"
            message += f" (sheet '{sheet}')" if sheet and len(source.sheets) > 1 else ""
        problem("unknown-dataset", message)
        if closest is not None and closest.columns and closest.dataset.source_format == "template":
            for f in closest.missing:  # what to map, header by header, if it is that dataset
                problem("missing-column", f"if this is {closest.dataset.title.lower()}: "
                        + missing_column_message(f, closest, context.council), sheet=sheet)
    return tables


def _one_per_dataset(found: list[Table], report: Report) -> dict[str, Table]:
    by_name: dict[str, Table] = {}
    for table in found:
        if table.dataset.name in by_name:
            first = by_name[table.dataset.name]
            report.append(Problem("duplicate-dataset", f"{table.dataset.title} is also in {first.file}"
                                  + (f" (sheet '{first.sheet}')" if first.sheet else "")
                                  + "; load one file per dataset", file=table.file, sheet=table.sheet))
        else:
            by_name[table.dataset.name] = table
    return by_name


def _set_months(tables: dict[str, Table], period: str | None, report: Report) -> None:
    """A monthly extract covers its month; without --period it cannot be loaded."""
    for table in tables.values():
        if period is None:
            report.append(Problem("missing-period", f"{table.dataset.title} is a monthly extract: give the month it "
                                  "is as at with --period YYYY-MM", file=table.file, sheet=table.sheet))
            continue
        table.first_month = table.last_month = period
        table.as_at = month_end(period)


def _year(period: str | None, year: CollectionYear | None, report: Report) -> tuple[CollectionYear | None, str]:
    """The collection year a return is for: --year, else the year --period falls in."""
    if year is not None:
        if period is not None and CollectionYear.of_month(period) != year:
            report.append(Problem("wrong-year", f"--period {period} is not in the collection year {year} given "
                                  "with --year", file="(command line)"))
        return year, "--year"
    if period is not None:
        return CollectionYear.of_month(period), f"--period {period}"
    return None, "--year"


def validate_upload(
    paths: Iterable[Path],
    period: str | None,
    council: str,
    conn: Connection | None = None,
    dataset: str | None = None,
    sheet: str | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    read: Callable[[Path], SourceFile] = read_file,
    year: CollectionYear | None = None,
    force_month: bool = False,
) -> Upload:
    """Validate an upload; `conn` (if given) is used to read the council's saved mappings,
    to check references against the store and to work out what the load would change.

    `read` reads one file (e.g. `ReadAhead(paths).get`, which parses files in the background).
    `force_month`: the analyst says the month is right even where a file's dates point at
    another (`ingest.month_check`): a warning, not an error.
    """
    upload = Upload(period=period, council=council)
    report = upload.report
    if period is not None:
        period_end(period)  # a malformed month is the caller's error, raised before anything is read
    if dataset is not None and dataset not in ALL_SCHEMAS:
        report.append(Problem("unknown-dataset", f"there is no dataset '{dataset}' (choose from "
                              f"{', '.join(ALL_SCHEMAS)})", file="(command line)"))
        return upload
    candidates = [ALL_SCHEMAS[dataset]] if dataset else list(ALL_SCHEMAS.values())
    upload.year, year_given_as = _year(period, year, report)
    context = _Context(council, period, upload.year, current_mappings(conn, council), report)

    found: list[Table] = []
    for path in paths:
        path = Path(path)
        try:
            source = read(path)
        except ReadError as exc:
            report.append(Problem("file-error", f"the file {exc}", file=path.name))
            progress(path)
            continue
        found.extend(_tables_in_file(source, candidates, sheet, context))
        progress(path)

    upload.found = found
    by_name = _one_per_dataset(found, report)
    templates = {name: t for name, t in by_name.items() if t.dataset.source_format == "template"}
    _set_months(templates, period, report)
    if period is not None:
        report.extend(month_check.check_months(templates.values(), period, force_month))
    returns = {name: t for name, t in by_name.items() if t.dataset.source_format == ssda903.FORMAT}
    if returns:
        joined, problems = ssda903.to_datasets(returns, upload.year, year_given_as)
        report.extend(problems)
        for table in joined:
            if table.dataset.name in templates:
                report.append(Problem("duplicate-dataset", f"{table.dataset.title} comes both from this 903 file "
                                      f"and from {templates[table.dataset.name].file}; load one of them",
                                      file=table.file))
            else:
                templates[table.dataset.name] = table

    report.extend(store_fit.check_tables(templates.values()))
    report.extend(crosscheck.check_upload(templates, council, conn))
    order = list(DATASETS)
    upload.tables = sorted((t for t in templates.values() if t.first_month is not None),
                           key=lambda t: order.index(t.dataset.name))
    if conn is not None and report.ok:
        upload.changes = {t.dataset.name: changes_for(conn, council, t) for t in upload.tables}
        report.extend(crosscheck.check_against_stored(templates, council, conn))
    return upload

"""An upload: the files an analyst loads together for one month, validated as a whole.

`validate_upload` reads every file, finds which dataset each sheet holds, validates
every row, joins SSDA903 tables onto the datasets, and runs the cross-file checks
(against the other files in the upload and what the store already holds). It returns
the tables ready to load and the full problem report; it never writes.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection

from ingest import ssda903
from ingest.datasets import DATASETS, MISSING_EPISODES, RETURN_INTERVIEWS, CHILDREN_IN_CARE, VISITS
from ingest.locate import HEADER_SEARCH_ROWS, HeaderMatch, locate
from ingest.parse import Table, parse_table
from ingest.problems import Problem, Report, Severity
from ingest.readers import ReadError, SourceFile, read_file
from ingest.schema import TEMPLATE_SHEETS, Dataset
from scorecard import store

ALL_SCHEMAS: dict[str, Dataset] = {**DATASETS, **ssda903.TABLES}
_PERIOD = re.compile(r"(\d{4})-(\d{2})$")


def period_end(period: str) -> dt.date:
    """The last day of a YYYY-MM period."""
    match = _PERIOD.match(period or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"period {period!r} is not a month written YYYY-MM, e.g. 2019-09")
    year, month = int(match.group(1)), int(match.group(2))
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


@dataclass
class Upload:
    period: str
    council: str
    tables: list[Table] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def ok(self) -> bool:
        return self.report.ok and bool(self.tables)

    @property
    def row_count(self) -> int:
        return sum(len(t) for t in self.tables)


def _closest(source: SourceFile, candidates: Sequence[Dataset]) -> HeaderMatch | None:
    matches = [locate(sheet.head(HEADER_SEARCH_ROWS), candidates, min_share=0, min_columns=0)
               for sheet in source.sheets]
    return max((m for m in matches if m is not None), key=HeaderMatch.score, default=None)


def _tables_in_file(source: SourceFile, candidates: Sequence[Dataset], sheet_name: str | None,
                    end: dt.date, report: Report) -> list[Table]:
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
    for sheet in sheets:
        match = locate(sheet.head(HEADER_SEARCH_ROWS), candidates)
        if match is None:
            ignored.append(sheet.name)
            continue
        table, problems = parse_table(sheet.rows, match, source.name, sheet.name, source.sha256, end)
        report.extend(problems)
        tables.append(table)
    for name in ignored:
        if len(source.sheets) > 1 and not (tables and name in TEMPLATE_SHEETS):
            problem("ignored-sheet", "no dataset's column headers were found on this sheet; it was ignored",
                    sheet=name, severity=Severity.INFO)
    if not tables:
        names = ", ".join(d.title.lower() for d in candidates if d.source_format == "template")
        message = f"no sheet has the column headers of a dataset ({names}, or the SSDA903 tables)"
        closest = _closest(source, candidates)
        if closest is not None and closest.columns:
            missing = ", ".join(f"'{f.header}'" for f in closest.missing)
            message += f"; the closest is {closest.dataset.title.lower()}, which also needs {missing}"
        problem("unknown-dataset", message)
    return tables


def _reference_check(report: Report, tables: dict[str, Table], child: Dataset, column: str, parent: Dataset,
                     parent_column: str, known: Callable[[], set], message: Callable[[object], str]) -> None:
    """Every value of child.column must be a value of parent.parent_column, in this upload or the store."""
    if child.name not in tables:
        return
    table = tables[child.name]
    values = set(tables[parent.name].columns.get(parent_column, [])) if parent.name in tables else set()
    unknown = {v for v in table.columns.get(column, []) if v is not None} - values
    if unknown:
        unknown -= known()
    if not unknown:
        return
    for i, value in enumerate(table.columns[column]):
        if value in unknown:
            report.append(Problem(code="reference-error", message=message(value), file=table.file,
                                  sheet=table.sheet, row=table.source_rows[i], column=table.headers.get(column),
                                  value=str(value)))


def validate_upload(
    paths: Iterable[Path],
    period: str,
    council: str,
    conn: Connection | None = None,
    dataset: str | None = None,
    sheet: str | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    read: Callable[[Path], SourceFile] = read_file,
) -> Upload:
    """Validate an upload; `conn` (if given) is used to check references against the store.

    `read` reads one file (e.g. `ReadAhead(paths).get`, which parses files in the background).
    """
    upload = Upload(period=period, council=council)
    report = upload.report
    end = period_end(period)
    if dataset is not None and dataset not in ALL_SCHEMAS:
        report.append(Problem("unknown-dataset", f"there is no dataset '{dataset}' (choose from "
                              f"{', '.join(ALL_SCHEMAS)})", file="(command line)"))
        return upload
    candidates = [ALL_SCHEMAS[dataset]] if dataset else list(ALL_SCHEMAS.values())

    found: list[Table] = []
    for path in paths:
        path = Path(path)
        try:
            source = read(path)
        except ReadError as exc:
            report.append(Problem("file-error", f"the file {exc}", file=path.name))
            progress(path)
            continue
        found.extend(_tables_in_file(source, candidates, sheet, end, report))
        progress(path)

    by_name: dict[str, Table] = {}
    for table in found:
        if table.dataset.name in by_name:
            first = by_name[table.dataset.name]
            report.append(Problem("duplicate-dataset", f"{table.dataset.title} is also in {first.file}"
                                  + (f" (sheet '{first.sheet}')" if first.sheet else "")
                                  + "; load one file per dataset", file=table.file, sheet=table.sheet))
        else:
            by_name[table.dataset.name] = table

    templates = {name: t for name, t in by_name.items() if t.dataset.source_format == "template"}
    returns = {name: t for name, t in by_name.items() if t.dataset.source_format == ssda903.FORMAT}
    if returns:
        joined, problems = ssda903.to_datasets(returns, end)
        report.extend(problems)
        for table in joined:
            if table.dataset.name in templates:
                report.append(Problem("duplicate-dataset", f"{table.dataset.title} comes both from this 903 file "
                                      f"and from {templates[table.dataset.name].file}; load one of them",
                                      file=table.file))
            else:
                templates[table.dataset.name] = table

    def stored(dataset_name: str, column: str) -> Callable[[], set]:
        return lambda: store.distinct_values(conn, council, dataset_name, column) if conn is not None else set()

    _reference_check(report, templates, RETURN_INTERVIEWS, "episode_id", MISSING_EPISODES, "episode_id",
                     stored(MISSING_EPISODES.name, "episode_id"),
                     lambda v: f"return home interview for missing episode '{v}', which is not in the missing "
                     "episodes file nor already loaded")
    _reference_check(report, templates, VISITS, "child_id", CHILDREN_IN_CARE, "child_id",
                     stored(CHILDREN_IN_CARE.name, "child_id"),
                     lambda v: f"visit for child '{v}', who is not in the children in care file nor already "
                     "loaded")

    order = list(DATASETS)
    upload.tables = sorted(templates.values(), key=lambda t: order.index(t.dataset.name))
    return upload

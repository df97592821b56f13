"""Problems found in an upload, as values: a report to print, save or assert on.

Each problem has a stable code (frictionless' vocabulary where it has one), a severity,
and where it is as the analyst sees it: file, sheet, spreadsheet row (the header row
is the row number Excel shows), the column header as written in the file, and the value.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"      # nothing is loaded while there is one
    WARNING = "warning"  # loaded, but worth a look
    INFO = "info"        # what was ignored: extra columns, totals rows, other sheets


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = Severity.ERROR

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def line(self) -> str:
        return f"{self.severity.value.upper()} {self.where()}: {self.message} [{self.code}]"


FIELDS = ["severity", "code", "file", "sheet", "row", "column", "value", "message"]


class Report(list):
    """A list of Problems with ways to read it."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rows(self) -> list[dict]:
        return [{**asdict(p), "severity": p.severity.value} for p in self]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows({k: row[k] for k in FIELDS} for row in self.rows())
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(self.rows(), indent=2, default=str)

"""Reading spreadsheet and CSV files into raw rows, exactly as the analyst sees them.

A Sheet's `rows[0]` is spreadsheet row 1, so a row number in a problem report is the
number Excel shows. Cells keep the types the reader gives (datetime, float, str); the
parsing into field types happens in `ingest.parse`.
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}


class ReadError(Exception):
    """The file cannot be read at all (wrong type, corrupt, empty)."""


@dataclass
class Sheet:
    name: str | None
    """None for a CSV file."""
    _load: Callable[[], list[list[Any]]] = field(repr=False)
    _rows: list[list[Any]] | None = field(default=None, repr=False)

    def head(self, count: int) -> list[list[Any]]:
        """The first `count` rows. (calamine parses a whole sheet whatever is asked of it,
        so the sheet is read once and kept.)"""
        return self.rows[:count]

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows


@dataclass
class SourceFile:
    path: Path
    sha256: str
    sheets: list[Sheet]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() in CSV_SUFFIXES


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path) -> SourceFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ReadError("is empty")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        sheets = _spreadsheet_sheets(data)
    elif suffix in CSV_SUFFIXES:
        sheets = [_csv_sheet(data)]
    else:
        raise ReadError(f"is a '{suffix or 'no extension'}' file: save it as .xlsx or .csv")
    return SourceFile(path=path, sha256=sha256_of(data), sheets=sheets)


def _spreadsheet_sheets(data: bytes) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for each format
        raise ReadError(f"is not a readable spreadsheet ({exc})") from exc

    def loader(name: str) -> Callable[[], list[list[Any]]]:
        # skip_empty_area=False keeps leading blank rows, so row numbers match Excel's.
        return lambda: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)

    return [Sheet(name=name, _load=loader(name)) for name in workbook.sheet_names]


def decode_text(data: bytes) -> str:
    """CSV text from UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on English Windows writes Windows-1252 (e.g. £, é, curly quotes).
        return data.decode("cp1252", errors="replace")


def _csv_sheet(data: bytes) -> Sheet:
    text = decode_text(data)
    sample = "\n".join(text.splitlines()[:30])  # title rows above the header may have no delimiter
    delimiter = max([",", ";", "\t", "|"], key=sample.count)
    rows = [
        [cell if cell.strip() else None for cell in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return Sheet(name=None, _load=lambda: rows, _rows=rows)

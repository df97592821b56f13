"""Reading spreadsheet and CSV files into raw rows, exactly as the analyst sees them.

A Sheet's `rows[0]` is spreadsheet row 1, so a row number in a problem report is the
number Excel shows. Cells keep the types the reader gives (datetime, float, str); the
parsing into field types happens in `ingest.parse`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from ingest import file_guard

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}


class ReadError(Exception):
    """The file cannot be read at all (wrong type, corrupt, empty)."""


@dataclass
class Sheet:
    name: str | None
    """None for a CSV file."""
    rows: list[list[Any]] = field(repr=False)

    def head(self, count: int) -> list[list[Any]]:
        return self.rows[:count]


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


def read_file(path: Path, limits: file_guard.Limits = file_guard.LIMITS) -> SourceFile:
    path = Path(path)
    return read_bytes(path, _regular_file_bytes(path, limits.max_file_bytes), limits)


def _regular_file_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`. Anything else is refused before
    a byte is read: a FIFO would block for ever, a device such as /dev/zero never ends, a
    directory is not a file. Links are followed (an analyst may link an export into a
    folder); what they lead to is what is checked. The file is opened without blocking and
    checked again once open, in case it was swapped between the two looks."""
    try:
        _check_regular(path, os.stat(path), max_bytes)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        size = _check_regular(path, os.fstat(descriptor), max_bytes)
        try:
            data = handle.read(size + 1)  # one byte more than it said: a file still growing is caught
            if len(data) > size:
                data += handle.read(max_bytes + 1 - len(data))
        except OSError as exc:
            raise ReadError(f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ReadError(_too_large(len(data), max_bytes))
    return data


def _check_regular(path: Path, facts: os.stat_result, max_bytes: int) -> int:
    if stat.S_ISDIR(facts.st_mode):
        raise ReadError("is a folder, not a file: give the files in it (e.g. folder/*.xlsx)")
    if not stat.S_ISREG(facts.st_mode):
        what = ("a pipe (FIFO)" if stat.S_ISFIFO(facts.st_mode) else "a device" if stat.S_ISCHR(facts.st_mode)
                or stat.S_ISBLK(facts.st_mode) else "a socket" if stat.S_ISSOCK(facts.st_mode) else "not a plain file")
        leads = f" ({path} leads to {os.path.realpath(path)})" if os.path.islink(path) else ""
        raise ReadError(f"is {what}, not a plain file{leads}: only saved .xlsx and .csv files are read")
    if facts.st_size > max_bytes:
        raise ReadError(_too_large(facts.st_size, max_bytes))
    return facts.st_size


def _too_large(size: int, max_bytes: int) -> str:
    return (f"is {size / file_guard.MiB:,.0f} MB; the limit is {max_bytes / file_guard.MiB:,.0f} MB a file "
            "(more than any month's extract needs): check it is the right file, or split it")


def read_bytes(path: Path, data: bytes, limits: file_guard.Limits = file_guard.LIMITS) -> SourceFile:
    """A file's sheets from its bytes (a browser upload is never written to disk); `path`
    names it (its suffix says how to read it). The checks in `ingest.file_guard` come first."""
    path = Path(path)
    if not data.strip():
        raise ReadError("is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            sheets = _spreadsheet_sheets(data, suffix, limits)
        elif suffix in CSV_SUFFIXES:
            sheets = [_csv_sheet(data, limits)]
        else:
            raise ReadError(f"is a '{suffix or 'no extension'}' file: save it as .xlsx or .csv")
    except file_guard.FileRefused as exc:
        raise ReadError(str(exc)) from exc
    return SourceFile(path=path, sha256=sha256_of(data), sheets=sheets)


def _spreadsheet_sheets(data: bytes, suffix: str, limits: file_guard.Limits) -> list[Sheet]:
    kind = file_guard.kind_of(data)
    if kind == "damaged":
        raise ReadError("is not a readable spreadsheet: it is damaged (its zip directory cannot be read)")
    if suffix in (".xlsx", ".xlsm") and kind != "xlsx":
        raise ReadError(f"is named {suffix} but is not an Excel workbook (it lacks the parts every .xlsx "
                        "holds): save it from Excel as .xlsx, or as CSV")
    if file_guard.is_zip(data):  # .xlsx, .xlsm, .xlsb and .ods are zips: the bomb checks first
        file_guard.check_workbook(data, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        # skip_empty_area=False keeps leading blank rows, so row numbers match Excel's.
        sheets = [Sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in workbook.sheet_names]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own errors for each format, and a panic in its Rust code
        # (pyo3's PanicException derives from BaseException, so `except Exception` lets it through)
        raise ReadError(f"is not a readable spreadsheet ({exc})") from exc
    for sheet in sheets:
        file_guard.check_width(sheet.rows, sheet.name, limits)
    return sheets


def decode_text(data: bytes) -> str:
    """CSV text from UTF-8 (with or without BOM), UTF-16 (with or without BOM), or
    Windows-1252. Raises ReadError for text in no encoding we can tell."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16")
    if b"\x00" in data[:4096]:
        return _decode(data, _utf16_without_bom(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's "CSV" on English Windows writes Windows-1252 (e.g. £, é, curly quotes).
        return data.decode("cp1252", errors="replace")


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 written without a byte-order mark (some reporting tools' "Unicode text"):
    text in Latin letters then has a zero byte beside every character, after it
    (little-endian) or before it (big-endian). Anything else with zero bytes is not text."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    raise ReadError("contains zero bytes, so it is not text in UTF-8, UTF-16 or Windows-1252 (is it a "
                    "spreadsheet saved with a .csv name?): save it as CSV UTF-8 or as .xlsx")


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(f"is not valid {encoding.upper()} text (byte {exc.start}): save it as CSV UTF-8") from exc
    if "\x00" in text:
        raise ReadError(f"contains NUL characters after decoding it as {encoding.upper()}: save it as CSV UTF-8")
    return text


def _csv_sheet(data: bytes, limits: file_guard.Limits = file_guard.LIMITS) -> Sheet:
    text = decode_text(data)
    file_guard.check_text(text, limits)
    sample = "\n".join(text.splitlines()[:30])  # title rows above the header may have no delimiter
    delimiter = max([",", ";", "\t", "|"], key=sample.count)
    try:
        rows = [
            [cell if cell.strip() else None for cell in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise _csv_refusal(text, delimiter, exc) from exc
    file_guard.check_width(rows, None, limits)
    return Sheet(name=None, rows=rows)


def _csv_refusal(text: str, delimiter: str, error: csv.Error) -> ReadError:
    """Why Python's CSV reader stopped, and on which line the record it choked on began
    (read again record by record: this only happens to a file that is refused)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    if "field larger than field limit" in str(error):
        return ReadError(f"has a cell longer than {csv.field_size_limit():,} characters, starting on line {start:,}: "
                         f"a quote (\") was probably left open there, so everything after it was read as one "
                         f"cell; close or remove that quote and save the file again")
    return ReadError(f"cannot be read as CSV from line {start:,} ({error}): save it again as CSV UTF-8")


class ReadAhead:
    """Read and parse files in background threads, so that the next file (and the
    program's own start-up) proceed while one is parsed: calamine parses without
    holding the GIL, so on two cores two workbooks parse at once.

    `get(path)` returns the SourceFile, waiting for it, or raises its ReadError.
    """

    def __init__(self, paths: Iterable[Path], workers: int = 2):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read-ahead")
        self._futures: dict[Path, Future] = {}
        for path in paths:
            self._futures.setdefault(Path(path), self._pool.submit(read_file, Path(path)))
        self._pool.shutdown(wait=False)

    def get(self, path: Path) -> SourceFile:
        # Handed over once, so that the raw cells are freed as soon as the caller is done.
        future = self._futures.pop(Path(path), None)
        return future.result() if future is not None else read_file(path)


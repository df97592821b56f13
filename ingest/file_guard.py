"""Checks on a file's bytes before any reader parses them: what it really is, and whether
reading it would take more memory than any real extract needs.

An .xlsx is a zip of XML files, so a few kilobytes can inflate to gigabytes (a "zip bomb"),
and a sheet can claim a million rows of nothing. Before calamine sees a workbook we read
its zip directory (the members' declared sizes: their sum, and each one's compression
ratio), then inflate every member once, in chunks, without keeping it: the zip's CRC
check then proves the declared sizes true (Python stops at the declared size, so a member
that would inflate further fails its CRC), and each worksheet's <dimension ref> and its
<row> elements are counted on the way (by substring counts, not a regex: see
`_count_rows`). A CSV must decode as text with no NUL characters.

The command line (`scorecard ingest`) and the browser's upload read through the same
checks (ingest.readers); each refusal names the file and the limit it broke.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from ingest.sheet_parts import CellReach, sheet_names

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_uncompressed: int = 1024 * MiB
    """The sum of a workbook's members' sizes once inflated."""
    max_ratio: float = 100.0
    """How much one member may inflate (real sheets inflate about 10 times)..."""
    ratio_from: int = 1 * MiB
    """...counted only for members larger than this once inflated (tiny XML parts inflate more)."""
    max_rows: int = 1_000_000
    """Rows in one sheet or CSV file (a county's monthly extract has thousands)."""
    max_cells: int = 30_000_000
    """Cells a sheet may span: its <dimension ref>, or its last row times its last column."""
    max_columns: int = 1_000
    """Columns in one sheet or CSV file (a wide export has a hundred or two). Finding the
    header weighs every cell of the first rows against every dataset, so 10,000 columns took
    seconds a row."""
    max_file_bytes: int = 512 * MiB
    """A file read from disk (the command line). Enough for a sheet of `max_rows` rows; the
    browser's uploads have their own, lower cap (SCORECARD_MAX_UPLOAD_MB, all files together)."""


LIMITS = Limits()
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_PLAIN_ROWS = (b"<row ", b"<row>", b"<row/")
_CHUNK = 4 * 1024 * 1024


class FileRefused(Exception):
    """The file is not what its name says, or reading it would exceed a limit. The message
    completes "the file ...", like a ReadError's."""


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def kind_of(data: bytes) -> str:
    """What the bytes are, whatever the file is called: 'xlsx', 'zip' (another zip-based
    file: .xlsm, .ods, .xlsb), 'damaged' (a zip whose directory cannot be read), 'ole' (an
    old binary .xls), or 'text'."""
    if is_zip(data):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "damaged"
        return "xlsx" if all(part in names for part in XLSX_PARTS) else "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "text"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(data: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a zip-based workbook whose reading would exceed `limits` (FileRefused)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused(f"is not a readable workbook: its zip directory is damaged ({exc})") from exc
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise FileRefused(f"would inflate to {total / MiB:,.0f} MB once unzipped; the limit is "
                          f"{limits.max_uncompressed / MiB:,.0f} MB (is it a zip bomb?)")
    for member in members:
        if member.file_size > limits.ratio_from and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise FileRefused(f"has a part ({member.filename}) that inflates {member.file_size / max(member.compress_size, 1):,.0f} "
                              f"times once unzipped; real workbooks inflate about 10 times and the limit is "
                              f"{limits.max_ratio:,.0f} (is it a zip bomb?)")
    names = _sheet_names(archive)
    for member in members:
        _inflate_and_count(archive, member, limits, names)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> "sheet 'Name'", for the refusals (parts of a sane size only)."""
    try:
        parts = [archive.getinfo(part) for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if any(part.file_size > _CHUNK for part in parts):
            return {}
        names = sheet_names(*(archive.read(part) for part in parts))
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        return {}  # the inflation below says what is wrong with the parts
    return {part: f"'{name}'" for part, name in names.items()}


def _inflate_and_count(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits,
                       names: dict[str, str]) -> None:
    """Inflate one member in chunks, keeping none (its CRC proves its declared size), and
    count a worksheet's rows and how far its cells reach."""
    sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    name = names.get(member.filename, member.filename.rsplit("/", 1)[-1])
    rows, tail, first = 0, b"", True
    reach = CellReach(limits.max_rows)
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                if not sheet:
                    continue
                text = tail + chunk
                if first:
                    _check_dimension(text[:65536], name, limits)
                    first = False
                rows += _count_rows(text) - _count_rows(tail)
                tail = text[-16:]
                if rows > limits.max_rows:
                    raise FileRefused(f"has more than {limits.max_rows:,} rows in its sheet {name}; the limit is "
                                      f"{limits.max_rows:,} rows a sheet")
                reach.feed(chunk)
                _check_reach(reach, name, limits)
            if reach.wide:
                _check_wide_sheet(archive, member, name, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        # A CRC failure here means the member inflates to more than its declared size; a zlib
        # error, that its compressed bytes are corrupt.
        raise FileRefused(f"is not a readable workbook: its part {member.filename} is damaged or larger than "
                          f"it declares ({exc})") from exc
    except NotImplementedError as exc:
        raise FileRefused(f"uses a compression the scorecard does not read ({exc}): save it again from Excel") from exc


def _check_wide_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    """A sheet wider than Z, read again with every cell reference's row counted."""
    reach = CellReach(limits.max_rows, full=True)
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            reach.feed(chunk)
            _check_reach(reach, name, limits)


def _check_reach(reach: CellReach, name: str, limits: Limits) -> None:
    """Refuse a sheet whose cells reach further than the limits, whatever its <dimension> says."""
    if reach.longest > 20:
        raise FileRefused(f"has a cell reference in its sheet {name} with a row number of {reach.longest} digits, "
                          "which Excel never writes: save the workbook again from Excel")
    where = f"row {reach.rows:,}" + (f", column {_column_letters(reach.columns)}" if reach.columns else "")
    if reach.rows > limits.max_rows:
        raise FileRefused(f"has a cell in its sheet {name} at {where}; the limit is {limits.max_rows:,} rows a "
                          "sheet: delete what is below the data (Ctrl+End in Excel shows the last cell), or save "
                          "it as CSV")
    if reach.rows * reach.columns > limits.max_cells:
        raise FileRefused(f"has cells in its sheet {name} reaching {where}, so it spans "
                          f"{reach.rows * reach.columns:,} cells; the limit is {limits.max_cells:,} cells a sheet: "
                          "delete what is below and to the right of the data (Ctrl+End in Excel shows the last "
                          "cell), or save it as CSV")


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _count_rows(text: bytes) -> int:
    """The <row> elements `_ROW` finds in `text`, counted at memchr speed: the regex costs as
    much as inflating the sheet. Rows are written `<row r="1" ...>` by every writer we know;
    only when some `<row` is not followed by a space, `>` or `/` (a tab, `<rowBreaks>`), or
    a namespace prefix may be in use, does the regex count that chunk."""
    if b":row" not in text:
        rows = text.count(b"<row")
        if text.count(b"<row ") == rows or sum(map(text.count, _PLAIN_ROWS)) == rows:
            return rows  # (three passes over the text in the usual case, each at about 1 GB/s)
    return len(_ROW.findall(text))


def _check_dimension(head: bytes, name: str, limits: Limits) -> None:
    """A sheet's <dimension ref="A1:Q5000"> says how many rows and columns it spans."""
    found = _DIMENSION.search(head)
    if not found or not found.group(3):
        return
    rows = int(found.group(4)) - int(found.group(2)) + 1
    columns = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
    ref = f"{found.group(1).decode()}{found.group(2).decode()}:{found.group(3).decode()}{found.group(4).decode()}"
    if rows > limits.max_rows:
        raise FileRefused(f"has a sheet ({name}) that spans {rows:,} rows ({ref}); the limit is {limits.max_rows:,} "
                          "rows a sheet: delete the empty rows below the data, or save it as CSV")
    if rows * columns > limits.max_cells:
        raise FileRefused(f"has a sheet ({name}) that spans {rows * columns:,} cells ({ref}); the limit is "
                          f"{limits.max_cells:,} cells a sheet: delete the empty rows and columns around the data")


def check_text(text: str, limits: Limits = LIMITS) -> None:
    """Refuse decoded CSV text holding NUL characters or more rows than the limit."""
    if "\x00" in text:
        position = text.index("\x00")
        line = text.count("\n", 0, position) + 1
        raise FileRefused(f"contains a NUL character (line {line}), so it is not a text CSV file: save it as "
                          "CSV UTF-8 or as .xlsx")
    lines = text.count("\n") + 1
    if lines > limits.max_rows:
        raise FileRefused(f"has {lines:,} lines; the limit is {limits.max_rows:,} rows a file")


def check_width(rows: list[list], sheet: str | None, limits: Limits = LIMITS) -> None:
    """Refuse a sheet (or CSV file, `sheet` None) wider than the column limit, once read."""
    width = max(map(len, rows), default=0)
    if width > limits.max_columns:
        where = f"its sheet '{sheet}'" if sheet is not None else "a row"
        raise FileRefused(f"has {width:,} columns in {where} (up to column {_column_letters(width)}); the limit is "
                          f"{limits.max_columns:,}: delete the columns to the right of the data, or export only the "
                          "columns the scorecard reads")


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse a file larger than `max_bytes` (the upload limit, SCORECARD_MAX_UPLOAD_MB)."""
    if len(data) > max_bytes:
        raise FileRefused(f"is {len(data) / MiB:,.1f} MB; the upload limit is {max_bytes / MiB:,.0f} MB "
                          "(SCORECARD_MAX_UPLOAD_MB)")


def check_named_kind(name: str, data: bytes) -> str:
    """For a browser upload: the kind of file by its bytes, which must agree with its name;
    'xlsx' or 'csv', or FileRefused."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = kind_of(data)
    if suffix == "xlsx":
        if kind == "xlsx":
            return "xlsx"
        if kind == "damaged":
            raise FileRefused("is not a readable spreadsheet: it is damaged (its zip directory cannot be read)")
        what = {"zip": "a zip file that is not an Excel workbook", "ole": "an old Excel .xls workbook",
                "text": "text, not an Excel workbook"}[kind]
        raise FileRefused(f"is named .xlsx but is {what}: save it from Excel as .xlsx, or as CSV")
    if suffix == "csv":
        if kind == "text":
            return "csv"
        what = {"xlsx": "an Excel workbook: rename it .xlsx", "zip": "a zip file, not text",
                "damaged": "a damaged zip file, not text", "ole": "an old Excel .xls workbook, not text"}[kind]
        raise FileRefused(f"is named .csv but is {what}")
    raise FileRefused(f"is a '.{suffix}' file: only .xlsx workbooks and .csv files are accepted" if suffix else
                      "has no .xlsx or .csv extension: only .xlsx workbooks and .csv files are accepted")

"""The checks every file gets before a reader parses it (ingest.file_guard), on the command
line and in the browser: a zip bomb, a sheet too large, a zip that lies about its sizes,
a .xlsx that is not one, a CSV with NUL bytes, a file over the upload limit."""
from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from builders import CIC_HEADER, cic_rows, write_children_in_care
from click.testing import CliRunner
from conftest import write_xlsx

from ingest import file_guard
from ingest.file_guard import FileRefused, Limits, check_named_kind, check_workbook
from ingest.readers import ReadError, read_bytes, read_file
from scorecard.cli import main

SHEET = "xl/worksheets/sheet1.xml"


def _with_sheet(workbook: bytes, chunks, member: str = SHEET) -> bytes:
    """The workbook with one worksheet's XML replaced by `chunks`, streamed into the zip (so
    a test can build a bomb of hundreds of megabytes without holding it)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == member:
                with target.open(member, "w") as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


@pytest.fixture
def workbook(tmp_path) -> bytes:
    return write_children_in_care(tmp_path).read_bytes()


def bomb_chunks(megabytes: int):
    yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b"<sheetData>"
    blank = b" " * (1024 * 1024)
    for _ in range(megabytes):
        yield blank
    yield b"</sheetData></worksheet>"


def test_a_zip_bomb_is_refused_before_it_is_inflated_on_the_command_line_too(workbook, tmp_path):
    bomb = _with_sheet(workbook, bomb_chunks(300))
    assert len(bomb) < 2 * 1024 * 1024  # a small file that would inflate to 300 MB
    with pytest.raises(ReadError, match=r"inflates [\d,]+ times once unzipped.*the limit is 100 \(is it a zip bomb\?\)"):
        read_bytes(tmp_path / "cla.xlsx", bomb)

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--dry-run", str(path), "--period", "2019-09"])
    assert result.exit_code == 1
    assert "bomb.xlsx" in result.output and "is it a zip bomb?" in result.output


def test_the_sum_of_the_inflated_sizes_is_capped(workbook, tmp_path):
    with pytest.raises(FileRefused, match=r"would inflate to [\d,]+ MB once unzipped; the limit is 0 MB"):
        check_workbook(workbook, Limits(max_uncompressed=1000))


def test_a_sheet_whose_dimension_spans_too_many_rows_is_refused_before_reading(workbook, tmp_path):
    huge = [(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:Q2000000"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
            b"</row></sheetData></worksheet>")]
    with pytest.raises(ReadError, match=r"spans 2,000,000 rows \(A1:Q2000000\); the limit is 1,000,000 rows a sheet"):
        read_bytes(tmp_path / "cla.xlsx", _with_sheet(workbook, huge))


def test_rows_are_counted_as_the_sheet_inflates_whatever_its_dimension_says(tmp_path):
    rows = [CIC_HEADER, *cic_rows() * 3]
    data = write_xlsx(tmp_path / "cla.xlsx", {"CLA": rows}).read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    understated = _with_sheet(data, [re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:Q2"/>', xml)])
    check_workbook(understated, Limits(max_rows=len(rows)))  # at the limit: read
    with pytest.raises(FileRefused, match=f"more than {len(rows) - 1:,} rows in its sheet 'CLA'"):
        check_workbook(understated, Limits(max_rows=len(rows) - 1))


def _lying(workbook: bytes, member: str, claimed: int) -> bytes:
    """The zip with one member's declared inflated size (local header and central directory)
    changed to `claimed`: a bomb that hides from a check of the directory alone."""
    data = bytearray(workbook)
    info = zipfile.ZipFile(io.BytesIO(workbook)).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, claimed)
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, claimed)
    return bytes(data)


def test_a_member_larger_than_it_declares_fails_its_check(workbook, tmp_path):
    big = _with_sheet(workbook, bomb_chunks(3))
    lying = _lying(big, SHEET, 2000)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo(SHEET).file_size == 2000  # the directory says 2 KB
    with pytest.raises(ReadError, match=r"its part xl/worksheets/sheet1.xml is damaged or larger than it declares"):
        read_bytes(tmp_path / "cla.xlsx", lying)


def test_a_file_named_xlsx_that_is_not_one_is_refused_by_its_content(tmp_path):
    text = tmp_path / "cla.xlsx"
    text.write_text("Child ID,DOB\nC1,01/01/2010\n")
    with pytest.raises(ReadError, match=r"is named .xlsx but is not an Excel workbook"):
        read_file(text)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    with pytest.raises(FileRefused, match="is named .xlsx but is a zip file that is not an Excel workbook"):
        check_named_kind("cla.xlsx", archive.getvalue())
    with pytest.raises(FileRefused, match="is named .csv but is an Excel workbook: rename it .xlsx"):
        check_named_kind("cla.csv", write_children_in_care(tmp_path).read_bytes())
    with pytest.raises(FileRefused, match="only .xlsx workbooks and .csv files are accepted"):
        check_named_kind("cla.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert check_named_kind("cla.xlsx", write_children_in_care(tmp_path).read_bytes()) == "xlsx"
    assert check_named_kind("cla.csv", b"Child ID,DOB\n") == "csv"


@pytest.mark.parametrize("where", [10, 10_000])
def test_a_csv_with_nul_bytes_is_refused(tmp_path, where):
    """Near the start (where UTF-16 would show) and far in (past the encoding sniffing)."""
    text = "Child ID,DOB\n" + "C1,01/01/2010\n" * (where // 14 + 1)
    data = text[:where].encode() + b"\x00" + text[where:].encode()
    path = tmp_path / "cla.csv"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="(zero bytes|NUL character)"):
        read_file(path)


def test_a_csv_with_too_many_lines_is_refused(tmp_path):
    with pytest.raises(FileRefused, match="has 6 lines; the limit is 5 rows a file"):
        file_guard.check_text("a\n" * 5, Limits(max_rows=5))


def test_a_file_over_the_upload_limit_is_refused():
    with pytest.raises(FileRefused, match=r"is 2.0 MB; the upload limit is 1 MB \(SCORECARD_MAX_UPLOAD_MB\)"):
        file_guard.check_size(b"x" * (2 * 1024 * 1024), 1024 * 1024)


def test_the_upload_limit_is_a_setting_in_megabytes(monkeypatch):
    from scorecard import settings

    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "2")
    assert settings.max_upload_bytes() == 2 * 1024 * 1024
    assert settings.max_request_bytes() > 2 * settings.max_upload_bytes()  # base64 in JSON, twice over
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "lots")
    with pytest.raises(settings.SettingError, match="SCORECARD_MAX_UPLOAD_MB='lots': it must be a positive number"):
        settings.max_upload_bytes()

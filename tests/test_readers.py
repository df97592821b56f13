"""Reading files as real systems write them: encodings, separators, sheets, row numbers."""
from __future__ import annotations

import pytest

from builders import MISSING_HEADER, missing_rows, write_missing, write_visits
from conftest import write_csv, write_xlsx
from ingest.readers import read_file
from ingest.upload import validate_upload


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = write_missing(tmp_path, encoding=encoding)
    upload = validate_upload([path], "2019-09", "E10000099")
    assert upload.report.errors == []
    districts = upload.tables[0].columns["district"]
    assert districts[0] == "North – Redditch" and districts[2] == "Sévérn"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_separators(tmp_path, delimiter):
    path = write_csv(tmp_path / "missing.csv", [MISSING_HEADER, *missing_rows()], delimiter=delimiter)
    upload = validate_upload([path], "2019-09", "E10000099")
    assert upload.report.errors == [] and len(upload.tables[0]) == 4


def test_ragged_csv_rows_are_padded_not_lost(tmp_path):
    rows = [MISSING_HEADER, *[row[:5] for row in missing_rows()]]  # no trailing empty cells
    upload = validate_upload([write_csv(tmp_path / "m.csv", rows)], "2019-09", "E10000099")
    assert upload.report.errors == [] and upload.tables[0].columns["absence_type"] == [None] * 4


def test_leading_blank_rows_keep_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"Sheet1": [[], [], [None, None], MISSING_HEADER, *missing_rows()]})
    assert read_file(path).sheets[0].rows[3] == MISSING_HEADER
    upload = validate_upload([path], "2019-09", "E10000099")
    assert upload.tables[0].source_rows == [5, 6, 7, 8]


def test_the_right_sheet_is_found_by_its_headers_or_named(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {
        "Cover": [["Monthly pack"]],
        "Pivot": [["District", "Count"], ["North", 3]],
        "Data": [MISSING_HEADER, *missing_rows()],
        "Copy": [MISSING_HEADER, *missing_rows()],
    })
    upload = validate_upload([path], "2019-09", "E10000099")
    assert [p.code for p in upload.report.errors] == ["duplicate-dataset"]  # two sheets hold the same dataset
    upload = validate_upload([path], "2019-09", "E10000099", sheet="Data")
    assert upload.report.errors == [] and upload.tables[0].sheet == "Data"


def test_a_dataset_can_be_forced(tmp_path):
    path = write_visits(tmp_path)
    upload = validate_upload([path], "2019-09", "E10000099", dataset="missing_episodes")
    codes = [p.code for p in upload.report.errors]
    assert codes[0] == "unknown-dataset" and set(codes[1:]) == {"missing-column"}  # what to map, if it is that
    assert "no sheet has the column headers" in upload.report.errors[0].message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path, encoding):
    path = write_missing(tmp_path, encoding=encoding)  # Python's utf-16-le/be write no BOM
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    upload = validate_upload([path], "2019-09", "E10000099")
    assert upload.report.errors == [] and upload.tables[0].columns["district"][2] == "Sévérn"


def test_a_binary_file_named_csv_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)) * 4)
    upload = validate_upload([path], "2019-09", "E10000099")
    message = upload.report.errors[0].message
    assert upload.report.errors[0].code == "file-error" and "zero bytes" in message and "CSV UTF-8" in message

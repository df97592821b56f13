"""The workbook guard counts a sheet's rows by substring counts (ingest.file_guard._count_rows),
not a regex over every byte: it must count exactly what the regex counts, however a writer
spells a row and wherever the inflating chunks split it."""
from __future__ import annotations

import io
import random
import zipfile

import pytest

from ingest import file_guard
from ingest.file_guard import FileRefused, Limits, check_workbook

SPELLINGS = [b'<row r="1">', b"<row>", b"<row/>", b'<row\tr="2">', b'<row\nr="3">', b'<x:row r="4">',
             b"<rowBreaks>", b"<ro", b"w ", b"row", b":row", b"<c><v>1</v></c>", b"</row>", b" " * 7]


def test_rows_are_counted_as_the_regex_counts_them_however_they_are_written():
    rng = random.Random(13)
    for _ in range(5000):
        text = b"".join(rng.choice(SPELLINGS) for _ in range(rng.randrange(40)))
        assert file_guard._count_rows(text) == len(file_guard._ROW.findall(text)), text


def _workbook(sheet_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", "<workbook/>")
        target.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


@pytest.mark.parametrize("spelling", [b'<row r="9">', b'<row\tr="9">', b'<x:row r="9">'])
def test_rows_split_between_chunks_are_counted_once(spelling):
    """Rows on both sides of every chunk boundary, one of them straddling it, in each spelling."""
    row = spelling + b"<c><v>1</v></c></row>"
    per_chunk = file_guard._CHUNK // len(row)
    padding = b" " * (file_guard._CHUNK - per_chunk * len(row) - 3)  # the fourth chunk's first row straddles
    count = 3 * per_chunk + 1
    xml = b"<worksheet><sheetData>" + padding + row * count + b"</sheetData></worksheet>"
    workbook = _workbook(xml)
    check_workbook(workbook, Limits(max_rows=count, max_ratio=1e9))  # at the limit: read
    with pytest.raises(FileRefused, match=f"more than {count - 1:,} rows in its sheet sheet1.xml"):
        check_workbook(workbook, Limits(max_rows=count - 1, max_ratio=1e9))

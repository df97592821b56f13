"""CSV downloads that are safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or line break) could be run as a formula, or a
DDE call, when the file is opened in Excel or LibreOffice: it is written with a leading
apostrophe, which those show as text (OWASP's advice for CSV injection). The workbook
uses Excel's own quote prefix instead (excel_cells.write_cell), from the same list.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from scorecard.packs.excel_cells import FORMULA_STARTS


def neutralise(value) -> str:
    """A cell's text, kept text: never a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a number, even a negative one, is not a formula
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

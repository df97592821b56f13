"""How the workbook writes a cell and a table: formats made once, numbers as numbers, dates
as dates, text that Excel could take for a formula kept as text, and tables declared as
columns (heading, meaning, width, how to read the value) so the About sheet can explain
every column from the same declaration that writes it."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scorecard.ui.style import (
    EXCEL_NUMBER_FORMATS,
    GRID,
    INK,
    MUTED,
    PACK_HEADING,
    rag_style,
)

# A text cell starting with one of these could be read as a formula (or a DDE call) when
# someone edits it or saves the sheet as CSV: it is written with Excel's quote prefix,
# which keeps it text on editing without changing what it says.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
COUNT_FORMAT = EXCEL_NUMBER_FORMATS["count"]
WHOLE_NUMBER = "0"
TABLE_STYLE = "Table Style Light 1"
TITLE_ROWS = 4             # title, as-at date, a note, a gap: every sheet's table starts below them

WORKBOOK_OPTIONS = {
    "in_memory": True,
    # write() would otherwise make a formula of any text starting "=", a link of any URL
    # and a number of any numeric-looking text. Every cell here is written by type anyway.
    "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    "default_date_format": DATE_FORMAT,
}


class Formats:
    """The workbook's cell formats, each made once (XlsxWriter adds every format object it is
    given), asked for by their properties."""

    def __init__(self, workbook):
        self._workbook, self._made = workbook, {}
        self.base = {"font_name": "Arial", "font_size": 10, "font_color": INK, "valign": "top"}
        self.title = {"bold": True, "font_size": 14}
        self.subtitle = {"font_color": MUTED}
        self.header = {"bold": True, "bg_color": PACK_HEADING, "bottom": 1, "text_wrap": True, "valign": "bottom"}
        self.text = {}
        self.wrap = {"text_wrap": True}
        self.bold = {"bold": True}
        self.section = {"bold": True, "font_size": 12}
        self.date = {"num_format": DATE_FORMAT, "align": "left"}

    def get(self, properties: dict | None = None, **more):
        merged = dict(self.base, **(properties or {}), **more)
        key = tuple(sorted(merged.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(merged)
        return self._made[key]

    @staticmethod
    def number(unit: str) -> dict:
        return {"num_format": EXCEL_NUMBER_FORMATS.get(unit, "General")}

    @staticmethod
    def rag(rag: str | None) -> dict:
        style = rag_style(rag)
        return {"bold": True, "bg_color": style.colour, "font_color": style.text, "border": 1, "border_color": GRID}


def write_cell(sheet, formats: Formats, row: int, column: int, value, style: dict | None = None) -> None:
    """One cell by its type: None and "" as an empty cell (never 0), numbers as numbers,
    dates as dates (with a date format unless `style` gives one), text as text."""
    style = dict(style or {})
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, column, None, formats.get(style))
    elif isinstance(value, bool):
        raise TypeError(f"a yes/no is written as words, not {value!r}")
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value, formats.get(style))
    elif isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # PostgreSQL's timestamptz; Excel has no time zones: UTC, as SQLite keeps it
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        sheet.write_datetime(row, column, value, formats.get({"num_format": DATETIME_FORMAT, **style}))
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()),
                             formats.get({"num_format": DATE_FORMAT, **style}))
    else:
        text = str(value)
        if text.startswith(FORMULA_STARTS):
            style["quote_prefix"] = True
        sheet.write_string(row, column, text, formats.get(style))


def write_merged(sheet, formats: Formats, row: int, first_column: int, last_column: int, text: str,
                 style: dict | None = None) -> None:
    """Text across several cells of a row (the About sheet's explanations), kept text as `write_cell` keeps it."""
    style = dict(style or {})
    if text.startswith(FORMULA_STARTS):
        style["quote_prefix"] = True
    sheet.merge_range(row, first_column, row, last_column, "", formats.get(style))
    sheet.write_string(row, first_column, text, formats.get(style))


@dataclass(frozen=True)
class Column:
    """One column of a table: its heading, what it means (for the About sheet), its width,
    how to read its value from a record, and its cell style (which may depend on the record)."""
    heading: str
    meaning: str
    value: Callable[[Any], Any]
    width: float = 12
    style: Callable[[Formats, Any], dict] | dict | None = None

    def style_for(self, formats: Formats, record) -> dict:
        if callable(self.style):
            return self.style(formats, record)
        return dict(self.style or {})


def write_table(sheet, formats: Formats, first_row: int, columns: list[Column], records: list, name: str) -> int:
    """A header row and one row per record, as an Excel table (filter buttons, a name for
    formulas and pivot tables); returns the last row written."""
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    for offset, record in enumerate(records, start=1):
        for index, column in enumerate(columns):
            write_cell(sheet, formats, first_row + offset, index, column.value(record), column.style_for(formats, record))
    last_row = first_row + len(records)
    header = formats.get(formats.header)
    if records:
        sheet.add_table(first_row, 0, last_row, len(columns) - 1, {
            "name": name, "style": TABLE_STYLE, "autofilter": True,
            "columns": [{"header": c.heading, "header_format": header} for c in columns]})
    else:  # an Excel table needs a data row: the headings alone, with a filter
        for index, column in enumerate(columns):
            sheet.write_string(first_row, index, column.heading, header)
        sheet.autofilter(first_row, 0, first_row, len(columns) - 1)
    sheet.set_row(first_row, 45)
    return last_row


def title_block(sheet, formats: Formats, title: str, as_at: dt.date, as_at_text: str, note: str = "") -> None:
    """What every sheet starts with: its title, the "as at" date as a date and as words, a note."""
    write_cell(sheet, formats, 0, 0, title, formats.title)
    write_cell(sheet, formats, 1, 0, "As at", formats.bold)
    write_cell(sheet, formats, 1, 1, as_at, formats.date)
    write_cell(sheet, formats, 1, 2, as_at_text, formats.text)
    if note:
        write_cell(sheet, formats, 2, 0, note, formats.subtitle)

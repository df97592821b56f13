"""The data templates: one workbook per dataset, generated from the schemas.

Each workbook has the data sheet (the headers, date formats, and a drop-down of codes
for coded columns), a Notes sheet giving every field's meaning, type, whether it is
required, its allowed codes and the other header names accepted, and a Codes sheet
with each code list and the DfE source it comes from. The demo county writes its
monthly extracts with the same function, so the demo exercises the real templates.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from scorecard.codes import code_list
from ingest.datasets import DATASETS
from ingest.schema import TEMPLATE_SHEETS, Dataset, Kind

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_ROWS = 1_048_575


def _code_lists(dataset: Dataset) -> list[str]:
    return list(dict.fromkeys(f.codes for f in dataset.fields if f.codes))


def write_workbook(path: Path, dataset: Dataset, rows: Iterable[Sequence[Any]] = (),
                   title_rows: Sequence[str] = ()) -> Path:
    """Write `rows` (values in the order of `dataset.stored_fields`) as a template workbook.

    `title_rows` are written above the header, as some systems' exports do.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": DATE_FORMAT})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDDDDD",
                                "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats = {Kind.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
               Kind.DATETIME: workbook.add_format({"num_format": DATETIME_FORMAT})}

    data = workbook.add_worksheet(dataset.sheet_name or dataset.title)
    for r, text in enumerate(title_rows):
        data.write_string(r, 0, text)
    header_row = len(title_rows)
    data_fields = dataset.stored_fields
    for c, f in enumerate(data_fields):
        data.write_string(header_row, c, f.header, bold)
        data.set_column(c, c, max(12, min(30, len(f.header) + 4)), formats.get(f.kind))
    data.freeze_panes(header_row + 1, 0)
    kinds = [f.kind for f in data_fields]
    for r, row in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                data.write_datetime(r, c, value, formats.get(kinds[c], formats[Kind.DATE]))
            else:
                data.write(r, c, value)

    notes_name, codes_name = TEMPLATE_SHEETS
    notes = workbook.add_worksheet(notes_name)
    notes.write_string(0, 0, f"{dataset.title}: {dataset.description}", wrap)
    columns = ["Column header", "Field", "Meaning", "Type", "Required", "Allowed values", "Also accepted as header"]
    for c, name in enumerate(columns):
        notes.write_string(2, c, name, bold)
    for r, f in enumerate(dataset.fields, start=3):
        allowed = f"see the Codes sheet: {f.codes.replace('_', ' ')} ({code_list(f.codes).describe(8)})" if f.codes else ""
        if f.kind is Kind.FLAG:
            allowed = "Y or N" + (" (empty means No)" if f.blank_means is False else "")
        required = "Yes" if f.required else "No"
        if f.input_only:
            required = "No: not a template column, accepted from exports that have it"
        for c, text in enumerate([f.header, f.name, f.meaning, f.describe_type(), required, allowed,
                                  ", ".join(f.headers[1:])]):
            notes.write_string(r, c, text, wrap)
    for c, width in enumerate([24, 20, 60, 22, 10, 50, 50]):
        notes.set_column(c, c, width)

    codes_sheet = workbook.add_worksheet(codes_name)
    for c, name in enumerate(["List", "Code", "Meaning", "Group", "Valid from", "Valid to", "Source"]):
        codes_sheet.write_string(0, c, name, bold)
    r = 1
    ranges = {}
    for name in _code_lists(dataset):
        codes = code_list(name)
        first = r
        for code in codes.codes.values():
            for c, text in enumerate([name, code.code, code.label, code.group, code.first_year, code.last_year,
                                      codes.source]):
                codes_sheet.write_string(r, c, text)
            r += 1
        ranges[name] = f"={codes_name}!$B${first + 1}:$B${r}"
    for c, width in enumerate([22, 8, 70, 18, 10, 10, 60]):
        codes_sheet.set_column(c, c, width)
    # Drop-downs guide typing but allow labels too: the loader accepts both.
    for c, f in enumerate(data_fields):
        if f.codes:
            data.data_validation(header_row + 1, c, MAX_ROWS, c, {
                "validate": "list", "source": ranges[f.codes], "error_type": "information",
                "input_title": f.header[:32], "input_message": f.meaning[:255]})
    workbook.close()
    return path


def write_templates(out_dir: Path) -> list[Path]:
    """A blank template per dataset in `out_dir`."""
    return [write_workbook(Path(out_dir) / f"{d.name}.xlsx", d) for d in DATASETS.values()]

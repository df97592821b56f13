"""The templates are generated from the schemas, read back by the loader, and documented."""
from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from scorecard.codes import code_list
from ingest.datasets import DATASETS
from ingest.templates import write_workbook
from ingest.upload import validate_upload
from scorecard.cli import main


def test_templates_command_writes_a_documented_workbook_per_dataset(tmp_path):
    result = CliRunner().invoke(main, ["templates", str(tmp_path)])
    assert result.exit_code == 0
    for dataset in DATASETS.values():
        workbook = CalamineWorkbook.from_path(str(tmp_path / f"{dataset.name}.xlsx"))
        assert workbook.sheet_names == [dataset.sheet_name, "Notes", "Codes"]
        header = workbook.get_sheet_by_name(dataset.sheet_name).to_python()[0]
        assert header == [f.header for f in dataset.stored_fields]  # input-only fields are not template columns
        notes = workbook.get_sheet_by_name("Notes").to_python()
        documented = {row[1]: row for row in notes[3:]}
        for f in dataset.fields:
            header_cell, _, meaning, kind, required = documented[f.name][:5]
            assert (header_cell, meaning) == (f.header, f.meaning)
            assert required == ("Yes" if f.required else "No") or f.input_only and required.startswith("No: ")
        codes = workbook.get_sheet_by_name("Codes").to_python()
        listed = {(row[0], row[1]) for row in codes[1:]}
        for f in dataset.fields:
            if f.codes:
                assert {(f.codes, c) for c in code_list(f.codes).codes} <= listed


def test_a_filled_template_validates_and_blank_ones_are_recognised(tmp_path):
    missing = DATASETS["missing_episodes"]
    row = ["M1", "C1", "Y", dt.datetime(2019, 9, 3, 22, 15), dt.datetime(2019, 9, 4, 8, 0), "M", "North"]
    path = write_workbook(tmp_path / "missing.xlsx", missing, [row], title_rows=["Missing episodes, September 2019"])
    upload = validate_upload([path], "2019-09", "E10000099")
    assert upload.report.errors == [] and upload.tables[0].dataset is missing
    assert not [p for p in upload.report if p.code == "ignored-sheet"]  # its own Notes and Codes sheets
    assert upload.tables[0].source_rows == [3]
    assert upload.tables[0].columns["missing_from"] == [dt.datetime(2019, 9, 3, 22, 15)]

    # A blank template is a month with no missing episodes: an answer, not an error.
    blank = write_workbook(tmp_path / "blank.xlsx", missing)
    upload = validate_upload([blank], "2019-09", "E10000099")
    assert upload.report.errors == [] and [p.code for p in upload.report] == ["no-rows"]
    assert len(upload.tables) == 1 and len(upload.tables[0]) == 0 and upload.tables[0].first_month == "2019-09"

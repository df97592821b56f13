"""Every kind of bad input gets its clear message, where it is, and the store is untouched."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from builders import (
    cic_rows,
    good_month,
    missing_rows,
    rhi_rows,
    visit_rows,
    write_children_in_care,
    write_missing,
    write_rhi,
    write_visits,
)
from conftest import write_xlsx
from scorecard import store
from scorecard.cli import main


def failed_upload(engine, files, period="2019-09", *extra):
    """Run an upload that must fail; return its problems (from the CSV report) after
    checking the exit code and that the store is exactly as before."""
    with engine.connect() as conn:
        before = store.dump(conn)
    report = files[0].parent / "report.csv"
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), "--period", period,
                                       "--report", str(report), *extra])
    assert result.exit_code == 1, result.output
    assert "Nothing loaded" in result.output and "the store is unchanged" in result.output
    with engine.connect() as conn:
        assert store.dump(conn) == before
    return list(csv.DictReader(io.StringIO(report.read_text())))


def find(problems, code, **where):
    hits = [p for p in problems if p["code"] == code and all(p[k] == str(v) for k, v in where.items())]
    assert hits, f"no {code} problem at {where} in:\n" + "\n".join(map(str, problems))
    return hits[0]


@pytest.fixture
def loaded(engine, database_url, tmp_path):
    """A store that already holds August: a failed upload must leave it exactly so."""
    files = good_month(tmp_path / "2019-08")
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), "--period", "2019-09"])
    assert result.exit_code == 0, result.output
    return engine


def test_row_level_problems_are_all_reported_with_row_column_and_value(loaded, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    cic = cic_rows()
    cic[0][1] = "31/02/2010"          # row 5: a date that does not exist
    cic[1][11] = "U9"                 # row 6: an unknown placement code
    cic[2][0] = None                  # row 7: no child id
    cic[3][8] = "01/07/2019"          # row 8: episode ends before it starts (01/08/2019)
    cic.append(list(cic[1]))          # row 9: the same child and episode start as row 6
    cic[4][11] = "U6"
    missing = missing_rows()
    missing[2][4] = "20/09/2019 22:00"  # found before going missing (23:10)
    missing[3][2] = "Maybe"             # not a yes/no
    files = [write_children_in_care(folder, cic), write_missing(folder, missing)]
    problems = failed_upload(loaded, files)

    assert find(problems, "type-error", file="cla.xlsx", sheet="Report", row=5, column="Date of Birth",
                value="31/02/2010")["message"] == "'31/02/2010' is not a date (write dates as dd/mm/yyyy)"
    assert "not a known placement type code" in find(problems, "constraint-error", row=6, column="Placement Type",
                                                     value="U9")["message"]
    assert find(problems, "missing-value", row=7, column="Child ID")["message"] == \
        "Child ID is required and is empty"
    assert find(problems, "row-constraint", row=8, column="Placement End Date")["message"] == \
        "the episode ends before it starts"
    assert "same Child ID and Episode Start as row 6" in find(problems, "duplicate-key", row=9)["message"]
    assert find(problems, "row-constraint", file="missing.csv", row=5, column="Date Found")["message"] == \
        "the child was found before going missing"
    assert "not a yes/no value" in find(problems, "type-error", file="missing.csv", row=6,
                                        column="Looked After")["message"]


def test_file_level_problems(loaded, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    empty = folder / "empty.csv"
    empty.write_text("")
    pdf = folder / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a spreadsheet")
    fake = folder / "corrupt.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not really a workbook")
    unknown = write_xlsx(folder / "budget.xlsx", {"Budget": [["Cost centre", "Spend", "Month"], ["A1", 10, "Sep"]]})
    no_provider = write_xlsx(folder / "cla_short.xlsx", {"CLA": [
        ["Child ID", "DOB", "Sex", "UASC", "Legal Status", "Period Start", "Episode Start", "Placement Type"],
        ["C1", "01/01/2010", "M", "N", "C2", "01/01/2019", "01/01/2019", "U4"]]})
    problems = failed_upload(loaded, [empty, pdf, fake, unknown, no_provider])

    assert find(problems, "file-error", file="empty.csv")["message"] == "the file is empty"
    assert "save it as .xlsx or .csv" in find(problems, "file-error", file="report.pdf")["message"]
    assert "not a readable spreadsheet" in find(problems, "file-error", file="corrupt.xlsx")["message"]
    assert "no sheet has the column headers of a dataset" in find(problems, "unknown-dataset",
                                                                  file="budget.xlsx")["message"]
    message = find(problems, "missing-column", file="cla_short.xlsx", sheet="CLA")["message"]
    assert "'Placement Provider'" in message and "PLACE_PROVIDER" in message


def test_cross_file_references(loaded, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    rhi = rhi_rows() + [["M99", "C001", "Completed", "07/09/2019 12:00", "08/09/2019 12:00"]]
    visits = visit_rows() + [["Z404", "2019-09-12", "2019-09-12", "North"]]
    files = [write_children_in_care(folder), write_missing(folder), write_rhi(folder, rhi), write_visits(folder, visits)]
    problems = failed_upload(loaded, files)
    assert "missing episode 'M99', which is not in the missing episodes file nor already loaded" in find(
        problems, "reference-error", file="rhi.csv", row=5, column="Missing ID", value="M99")["message"]
    assert "child 'Z404', who is not in the children in care file" in find(
        problems, "reference-error", file="visits.xlsx", row=5, column="Child ID")["message"]


def test_a_completed_interview_needs_its_date(loaded, tmp_path):
    rhi = rhi_rows()
    rhi[0][4] = None
    problems = failed_upload(loaded, [write_rhi(tmp_path, rhi)])
    assert find(problems, "row-constraint", row=2, column="Date RHI Held")["message"] == \
        "a completed interview needs the date and time it was held"


def test_two_files_for_one_dataset_are_refused(loaded, tmp_path):
    first = write_missing(tmp_path, name="missing_a.csv")
    second = write_missing(tmp_path, name="missing_b.csv")
    problems = failed_upload(loaded, [first, second])
    assert "Missing episodes is also in missing_a.csv" in find(problems, "duplicate-dataset",
                                                               file="missing_b.csv")["message"]


def test_a_named_sheet_that_is_not_there(loaded, tmp_path):
    problems = failed_upload(loaded, [write_visits(tmp_path)], "2019-09", "--sheet", "September")
    assert "has no sheet named 'September' (it has: Visits)" in find(problems, "missing-sheet")["message"]


def test_a_bad_period_is_refused_before_anything_is_read(loaded, tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(write_visits(tmp_path)), "--period", "Sept 2019"])
    assert result.exit_code == 2 and "is not a month written YYYY-MM" in result.output


def test_retired_codes_load_with_one_warning_per_code(engine, database_url, tmp_path):
    rows = cic_rows()
    rows[0][2] = "2"  # SEX 2 became F from 2024-25
    result = CliRunner().invoke(main, ["ingest", "--quiet", str(write_children_in_care(tmp_path, rows)),
                                       "--period", "2025-04"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "[code-out-of-date]" in line]
    assert warnings == ["WARNING cla.xlsx, sheet 'Report', row 5, column 'Gender': '2' (Female) is a DfE code used "
                        "until 2023-24, not in 2025-26; it is in 2 rows (first: row 5) [code-out-of-date]"]


def test_care_leaver_and_episode_rules(loaded, tmp_path):
    from builders import write_care_leavers
    problems = failed_upload(loaded, [write_care_leavers(tmp_path, [
        ["L1", "01/05/2003", "01/05/2019", "YES", "F5", "B1"],   # a 16th birthday
        ["L2", "01/05/2001", "02/05/2019", "YES", "F5", "B1"],   # not a birthday
    ])])
    assert "this is the child's 16th birthday" in find(problems, "row-constraint", row=2, column="Relevant Birthday",
                                                       value="01/05/2019")["message"]
    assert "this is not a birthday of the child" in find(problems, "row-constraint", row=3)["message"]
    rows = cic_rows()
    rows[3][10] = "E4A"  # a reason the episode ended, but no end date
    problems = failed_upload(loaded, [write_children_in_care(tmp_path, rows)])
    assert find(problems, "row-constraint", row=8, column="Placement End Date")["message"] == \
        "a reason the episode ended is given, but no end date"

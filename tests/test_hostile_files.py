"""Hostile and broken files through the real `scorecard ingest`: each ends in a clear refusal
naming the file (and the sheet, row and column where there is one), with the store
unchanged, never a traceback, a crash, a hang or a memory blow-up. The ones that crashed or
hung the process before they were guarded run it in a child process (tests/hostile_files.py)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile

import pytest
from builders import (
    cic_rows,
    good_month,
    visit_rows,
    write_children_in_care,
    write_visits,
)
from click.testing import CliRunner
from conftest import write_csv, write_xlsx
from hostile_files import (
    VISITS_HEADER_ROW,
    cell,
    repeated_blank_member,
    run_ingest,
    sheet_xml,
    workbook,
    write,
)
from sqlalchemy import create_engine

from ingest.file_guard import MiB
from scorecard import store
from scorecard.cli import main

VISIT_ROW = '<row r="2">' + cell("A2", "C001") + cell("B2", "10/09/2019") + cell("C2", "09/09/2019") + "</row>"


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    """A SQLite store holding one good month (loaded in this process), for a child process
    to refuse a file into."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store.engine.cache_clear()
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, good_month(tmp_path / "good")),
                                       "--period", "2019-09"])
    assert result.exit_code == 0, result.output
    store.engine().dispose()
    store.engine.cache_clear()
    return url


def dump(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return store.dump(conn)
    finally:
        engine.dispose()


def assert_refused(run, *phrases: str) -> None:
    assert run.returncode == 1, f"exit {run.returncode} (a negative code is the signal that killed it):\n{run.output}"
    assert "Traceback" not in run.output and "panicked" not in run.output, run.output
    assert "Nothing loaded" in run.stderr and "the store is unchanged" in run.stderr, run.output
    for phrase in phrases:
        assert phrase in run.stderr, f"{phrase!r} not in:\n{run.stderr}"


# 1. A used range reaching XFD1048576: calamine would allocate a cell for every position
# (17 billion, 512 GB) and abort the process.
REACHES = {
    "dimension": sheet_xml(VISITS_HEADER_ROW + VISIT_ROW, dimension="A1:XFD1048576"),
    "one far cell, no dimension": sheet_xml(VISITS_HEADER_ROW + VISIT_ROW
                                            + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "a dimension that lies": sheet_xml(VISITS_HEADER_ROW + VISIT_ROW + '<row r="3"><c r="XFD1048576"><v>1</v></c></row>',
                                       dimension="A1:C3"),
    "in lower case": sheet_xml(VISITS_HEADER_ROW + VISIT_ROW + '<row r="3"><c r="xfd1048576"><v>1</v></c></row>'),
    "wide, not deep": sheet_xml(VISITS_HEADER_ROW + VISIT_ROW + '<row r="5000"><c r="XFD5000"><v>1</v></c></row>'),
    "a tall cell before a wide one": sheet_xml(VISITS_HEADER_ROW + '<row r="999999"><c r="A999999"><v>1</v></c></row>'
                                               + '<row r="1000"><c r="ZZ1000"><v>1</v></c></row>'),
}
REACH_MESSAGES = {
    "dimension": "spans 1,048,576 rows (A1:XFD1048576)",
    "wide, not deep": "reaching row 5,000, column XFD, so it spans 81,920,000 cells; the limit is 30,000,000",
    "a tall cell before a wide one": "reaching row 999,999, column ZZ",
}


@pytest.mark.parametrize("shape", REACHES)
def test_a_small_workbook_whose_cells_reach_xfd1048576_is_refused_before_calamine_reads_it(shape, sqlite_url,
                                                                                            tmp_path):
    path = write(tmp_path / "visits.xlsx", workbook(REACHES[shape]))
    assert path.stat().st_size < 2048
    before = dump(sqlite_url)
    run = run_ingest(sqlite_url, str(path), "--period", "2019-09")
    assert_refused(run, "visits.xlsx: the file has", "in its sheet 'Visits'" if shape != "dimension" else "'Visits'",
                   REACH_MESSAGES.get(shape, "at row 1,048,576, column XFD; the limit is 1,000,000 rows a sheet"))
    assert run.peak_kb is not None and run.peak_kb < 300 * 1024, run.peak_kb
    assert dump(sqlite_url) == before


# 2. A 3 MB workbook inflating to 3 GB of sheet XML, its sizes declared truly or not.
@pytest.mark.parametrize("declared", ["truly", "as 1 MB"])
def test_a_3_mb_workbook_inflating_to_3_gb_is_refused_without_inflating_it(declared, sqlite_url, tmp_path):
    bomb = repeated_blank_member(3 * 1024)
    assert bomb.size > 3 * 1024 * MiB
    path = write(tmp_path / "visits.xlsx", workbook(bomb, declared_size=MiB if declared == "as 1 MB" else None))
    assert 2 * MiB < path.stat().st_size < 4 * MiB
    before = dump(sqlite_url)
    run = run_ingest(sqlite_url, str(path), "--period", "2019-09")
    if declared == "truly":
        assert_refused(run, "would inflate to 3,072 MB once unzipped; the limit is 1,024 MB (is it a zip bomb?)")
    else:  # the check inflates only the 1 MB the zip declares, then finds it is more
        assert_refused(run, "its part xl/worksheets/sheet1.xml is damaged or larger than it declares")
    assert run.peak_kb is not None and run.peak_kb < 300 * 1024, run.peak_kb
    print(f"peak memory refusing the 3 GB bomb (declared {declared}): {run.peak_kb / 1024:.0f} MB")
    assert dump(sqlite_url) == before


# 3. What is not a plain file, or is too large, is refused before a byte is read.
def test_devices_pipes_folders_and_huge_files_are_refused_before_reading(sqlite_url, tmp_path):
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: 513 MB on paper, nothing on disk
        handle.truncate(513 * MiB)
    linked = tmp_path / "linked_visits.xlsx"
    (tmp_path / "real").mkdir()
    linked.symlink_to(write_visits(tmp_path / "real"))
    before = dump(sqlite_url)
    run = run_ingest(sqlite_url, *map(str, [zero, fifo, folder, huge, linked]), "--period", "2019-09", timeout=60)
    assert_refused(run, f"zero.csv: the file is a device, not a plain file ({zero} leads to /dev/zero)",
                   "pipe.csv: the file is a pipe (FIFO), not a plain file",
                   "folder.xlsx: the file is a folder, not a file",
                   "huge.csv: the file is 513 MB; the limit is 512 MB a file")
    assert "ERROR linked_visits.xlsx" not in run.stderr  # a link to a real file is read as that file
    assert "5 errors" not in run.stderr and "4 errors" in run.stderr
    assert run.peak_kb < 300 * 1024, run.peak_kb
    assert dump(sqlite_url) == before


# 4. A CSV cell longer than Python's csv field limit: a quote left open swallows the file.
def failed_ingest(engine, *args) -> str:
    with engine.connect() as conn:
        before = store.dump(conn)
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, args)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Nothing loaded" in result.output and "the store is unchanged" in result.output, result.output
    with engine.connect() as conn:
        assert store.dump(conn) == before
    return result.output


def test_a_csv_cell_over_the_field_limit_is_refused_with_its_line(engine, database_url, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text('Child ID,Date Due,Date Done\nC001,10/09/2019,09/09/2019\n"C002,16/09/2019,\n'
                    + "C003,30/09/2019,01/10/2019\n" * 6000, encoding="utf-8")
    output = failed_ingest(engine, path, "--period", "2019-09")
    assert ("visits.csv: the file has a cell longer than 131,072 characters, starting on line 3: a quote (\") was "
            "probably left open there") in output, output


# 5. Text longer than the store's columns, and NUL characters, on SQLite and PostgreSQL.
def _with_text(path, old: str, new: str):
    """The workbook with one cell's text replaced in its XML (openpyxl refuses to write a NUL;
    Excel writes one as _x0000_)."""
    data = path.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                part = part.replace(f"<t>{old}</t>".encode(), f"<t>{new}</t>".encode(), 1)
            target.writestr(info.filename, part)
    path.write_bytes(out.getvalue())
    return path


def test_text_longer_than_the_stores_columns_is_refused_at_its_row_and_column(engine, database_url, tmp_path):
    rows = visit_rows()
    rows[1][0] = "C" * 5000
    rows[2][3] = "East " * 20  # Allocated Team: 99 characters once trimmed, the store holds 80
    output = failed_ingest(engine, write_visits(tmp_path, rows), "--period", "2019-09")
    assert ("visits.xlsx, sheet 'Visits', row 3, column 'Child ID': '" + "C" * 40 + "...' is 5,000 characters long; "
            "Child ID holds at most 40") in output, output
    assert "row 4, column 'Allocated Team': 'East East" in output and "is 99 characters long; Allocated Team holds " \
        "at most 80" in output, output
    csv_rows = [["Child ID", "Visit Due Date"], ["C" * 5000, "10/09/2019"]]
    output = failed_ingest(engine, write_csv(tmp_path / "visits.csv", csv_rows), "--period", "2019-09")
    assert "visits.csv, row 2, column 'Child ID'" in output and "is 5,000 characters long" in output, output


@pytest.mark.parametrize("written", ["Nor_x0000_th", "Nor\x00th"])
def test_a_nul_character_in_a_workbook_cell_is_refused_at_its_row_and_column(engine, database_url, tmp_path, written):
    path = _with_text(write_children_in_care(tmp_path), "North", written)
    output = failed_ingest(engine, path, "--period", "2019-09")
    assert ("cla.xlsx, sheet 'Report', row 5, column 'District': District holds a NUL character (a zero byte, "
            "invisible in Excel) at position 4, which the store cannot hold") in output, output


def test_a_nul_byte_in_a_csv_is_refused_with_its_line(engine, database_url, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_bytes(b"Child ID,Visit Due Date\nC001,10/09/2019\nC0\x0002,16/09/2019\n")
    output = failed_ingest(engine, path, "--period", "2019-09")
    assert "visits.csv: the file contains zero bytes" in output or "NUL character (line 3)" in output, output


# 6. A month loaded as another month.
def _busier_month(folder) -> list:
    """September 2019 with a dozen children and visits (the rule weighs no smaller table)."""
    folder.mkdir(parents=True, exist_ok=True)
    first = cic_rows()[2]
    children = [[f"C{i:03d}", *first[1:]] for i in range(12)]
    visits = [[f"C{i:03d}", dt.date(2019, 9, 1 + i), None, "North"] for i in range(12)]
    return [write_children_in_care(folder, children), write_visits(folder, visits)]


def test_files_whose_dates_point_at_another_month_are_refused_unless_forced(engine, database_url, tmp_path):
    files = _busier_month(tmp_path / "september")
    loaded = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), "--period", "2019-09"])
    assert loaded.exit_code == 0, loaded.output
    output = failed_ingest(engine, *files, "--period", "2022-03")
    assert ("visits.xlsx, sheet 'Visits': 12 of the 12 dates in 'Visit Due Date' fall outside 2022-03, the month "
            "given; most fall in 2019-09: it looks like the file for 2019-09, not 2022-03") in output, output
    assert "if 2022-03 is right, load it with --force" in output
    assert ("cla.xlsx, sheet 'Report': its latest date in 'Placement Start Date' or 'Placement End Date' is "
            "02/09/2019, 30 months before 2022-03") in output, output
    # The month after: the same rule (September's visits are not October's).
    output = failed_ingest(engine, files[1], "--period", "2019-10")
    assert "visits.xlsx, sheet 'Visits': 12 of the 12 dates in 'Visit Due Date' fall outside 2019-10" in output, output
    # A file for a later month loaded as an earlier one.
    later = _busier_month(tmp_path / "later")
    output = failed_ingest(engine, later[0], "--period", "2019-06")
    assert "cla.xlsx, sheet 'Report': 12 of its 12 records start or end after 2019-06" in output, output

    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), "--period", "2022-03", "--force"])
    assert result.exit_code == 0, result.output
    assert "WARNING visits.xlsx, sheet 'Visits': 12 of the 12 dates" in result.output
    assert "was loaded as 2022-03 because --force was given [wrong-month]" in result.output
    with engine.connect() as conn:
        assert {e["first_month"] for e in store.list_extracts(conn)} == {"2019-09", "2022-03"}


def test_a_file_with_some_dates_outside_its_month_still_loads(engine, database_url, tmp_path):
    files = _busier_month(tmp_path)
    rows = [[f"C{i:03d}", dt.date(2019, 9 - (i % 3 == 0), 10), None, "North"] for i in range(12)]  # 4 of 12 in August
    result = CliRunner().invoke(main, ["ingest", "--quiet", str(files[0]), str(write_visits(tmp_path, rows)),
                                       "--period", "2019-09"])
    assert result.exit_code == 0 and "wrong-month" not in result.output, result.output


def test_the_report_of_a_refusal_keeps_every_problem_readable(engine, database_url, tmp_path):
    rows = visit_rows()
    rows[0][0] = "C" * 5000
    report = tmp_path / "report.csv"
    failed_ingest(engine, write_visits(tmp_path, rows), "--period", "2019-09", "--report", report)
    problems = list(csv.DictReader(io.StringIO(report.read_text())))
    long = [p for p in problems if p["code"] == "constraint-error"]
    assert [(p["row"], p["column"], p["value"]) for p in long] == [("2", "Child ID", "C" * 40 + "...")], problems


def test_the_browsers_check_refuses_a_wrong_month_and_a_nul_with_the_same_sentences(engine, database_url, tmp_path):
    """The browser's upload runs the same check: a month typed that the files' dates
    contradict is refused with the same sentence, and a NUL in a cell too; each refusal is
    written to the audit log (on PostgreSQL too: the value is quoted with its NUL spelled \\0)."""
    import base64

    from ingest import web_upload
    from scorecard.access import Identity, Role

    def as_upload(*paths):
        return ([f"data:application/octet-stream;base64,{base64.b64encode(p.read_bytes()).decode()}" for p in paths],
                [p.name for p in paths])

    analyst = Identity("ann.analyst", Role.ANALYST)
    visits = _busier_month(tmp_path / "september")[1]
    preview = web_upload.check(analyst, *as_upload(visits), month_text="2022-03")
    assert not preview.ok
    assert any(p["code"] == "wrong-month" and "it looks like the file for 2019-09, not 2022-03" in p["message"]
               for p in preview.problems), preview.problems
    nul = _with_text(write_xlsx(tmp_path / "nul.xlsx", {"Visits": [["Child ID", "Visit Due Date", "Allocated Team"],
                                                                   ["C001", dt.date(2019, 9, 10), "North"]]}),
                     "North", "No_x0000_rth")
    preview = web_upload.check(analyst, *as_upload(nul), month_text="2019-09")
    errors = [p for p in preview.problems if p["severity"] == "error"]
    assert [(p["row"], p["column"], p["value"]) for p in errors] == [(2, "Allocated Team", "No\\0rth")], errors
    with engine.connect() as conn:
        refused = [row for row in store.audit_rows(conn, action="upload") if '"refused"' in row["details"]]
    assert len(refused) == 2


def test_a_small_councils_quiet_months_are_not_taken_for_an_old_file(engine, database_url, tmp_path):
    """Twelve children, none of whom started or left a placement since September: their
    list for January (four months on) loads; for March (six months on) it is refused as
    an old file, which --force would load."""
    children = _busier_month(tmp_path / "september")[0]
    quiet = CliRunner().invoke(main, ["ingest", "--quiet", str(children), "--period", "2020-01"])
    assert quiet.exit_code == 0, quiet.output
    output = failed_ingest(engine, children, "--period", "2020-03")
    assert "6 months before 2020-03" in output, output

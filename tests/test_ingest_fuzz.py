"""The ingest fuzzed with hypothesis: random bytes named .xlsx and .csv, real workbooks (written
by the project's own template writer) cut short or with bytes flipped, wrong types in every
column, huge cells, formulas and 10,000 columns.

The property, whatever the file: the check (`ingest.loading.check`, which `scorecard ingest`
and the browser's upload both run) returns, never raises; when it refuses, every error is a
sentence naming the file, and the store is exactly as before; when it accepts, the load
writes it. Bounded and derandomised, so CI sees the same examples every run.
"""
from __future__ import annotations

import datetime as dt
import inspect
import io
from collections import Counter
from pathlib import Path

import pytest
from builders import VISITS_HEADER
from click.testing import CliRunner
from conftest import write_csv, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import loading
from ingest.datasets import VISITS
from ingest.templates import write_workbook
from scorecard import store
from scorecard.cli import main

COUNCIL = "E10000099"
PERIOD = "2019-09"
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def _template_bytes(folder: Path) -> bytes:
    rows = [(f"C{i:03d}", dt.date(2019, 9, 1 + i), dt.date(2019, 9, 2 + i) if i % 2 else None, "North")
            for i in range(20)]
    return write_workbook(folder / "template.xlsx", VISITS, rows).read_bytes()


OUTCOMES: Counter = Counter()
"""(test, "loaded" | "refused") -> examples, printed at the end (pytest -s) for the closing note."""


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    for (test, outcome), count in sorted(OUTCOMES.items()):
        print(f"{test}: {count} {outcome}")


@pytest.fixture
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def upload_holds(engine, path: Path) -> str:
    """Check the file against the store, then load it if it passed: the property each test
    asserts. Returns "loaded" or "refused"."""
    with engine.connect() as conn:
        before = store.dump(conn)
    checked = loading.check([path], PERIOD, None, COUNCIL, engine=engine)
    if checked.ok:
        loading.load(engine, checked, "fuzz")
        return _tallied("loaded")
    errors = checked.upload.report.errors
    assert errors or not checked.upload.tables, checked.upload.report  # refused: it says why, or found nothing
    for problem in errors:
        assert problem.file == path.name and problem.message and "Traceback" not in problem.message, problem
    with engine.connect() as conn:
        assert store.dump(conn) == before
    return _tallied("refused")


def _tallied(outcome: str) -> str:
    test = next(frame.function for frame in inspect.stack() if frame.function.startswith("test_"))
    OUTCOMES[(test, outcome)] += 1
    return outcome


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_random_bytes_are_refused_or_loaded_never_a_crash(engine, folder, data, suffix):
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    upload_holds(engine, path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=100_000),
       flips=st.lists(st.tuples(st.integers(min_value=0, max_value=100_000), st.integers(1, 255)), max_size=8))
def test_a_real_workbook_cut_short_or_corrupted_is_refused_or_loaded(engine, folder, cut, flips):
    data = bytearray(_template_bytes(folder))
    for position, mask in flips:
        data[position % len(data)] ^= mask
    data = bytes(data[: max(1, cut % (len(data) + 1))]) if cut % 3 == 0 else bytes(data)
    path = folder / "visits.xlsx"
    path.write_bytes(data)
    upload_holds(engine, path)


_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 63), max_value=2 ** 63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(["=1+1", '=HYPERLINK("http://example.org","C001")', "=A1", "=1/0", "@SUM(A1:A3)", "#N/A",
                     "-", "'C001", "0", "1e400", "31/02/2019", "00/00/0000", "2019-13-01", "C001"]),
)


def _as_csv(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value


@FUZZ
@given(rows=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=12),
       as_csv=st.booleans())
def test_wrong_types_and_formulas_in_every_column_are_refused_or_loaded(engine, folder, rows, as_csv):
    if as_csv:
        path = write_csv(folder / "visits.csv", [VISITS_HEADER, *[[_as_csv(v) for v in row] for row in rows]])
    else:
        path = write_xlsx(folder / "visits.xlsx", {"Visits": [VISITS_HEADER, *rows]})
    upload_holds(engine, path)


@settings(FUZZ, max_examples=12)
@given(length=st.sampled_from([41, 81, 32_767, 131_073, 300_000]), column=st.integers(0, 3),
       quoted=st.booleans(), as_csv=st.booleans(), character=st.sampled_from(["C", "é", '"', ",", "\n", "\x00"]))
def test_huge_cells_are_refused_or_loaded(engine, folder, length, column, quoted, as_csv, character):
    row = ["C001", "10/09/2019", None, "North"]
    row[column] = character * length
    if as_csv:
        text = io.StringIO()
        text.write(",".join(VISITS_HEADER) + "\n")
        text.write(",".join(f'"{v}' if quoted and i == column else (v or "") for i, v in enumerate(row)) + "\n")
        path = folder / "visits.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
    else:
        if character == "\x00":
            row[column] = "C" * length  # openpyxl will not write a NUL (tests/test_hostile_files.py writes one)
        path = write_xlsx(folder / "visits.xlsx", {"Visits": [VISITS_HEADER, row]})
    upload_holds(engine, path)


@pytest.mark.parametrize("columns", [1_000, 10_000, 16_384])
@pytest.mark.parametrize("as_csv", [True, False])
def test_ten_thousand_columns_are_refused_through_the_command_line(engine, database_url, folder, columns, as_csv):
    header = [*VISITS_HEADER, *(f"Extra {i}" for i in range(columns - len(VISITS_HEADER)))]
    rows = [header, ["C001", dt.datetime(2019, 9, 10), None, "North", *range(columns - 4)]]
    path = write_csv(folder / "visits.csv", rows) if as_csv else write_xlsx(folder / "visits.xlsx", {"Visits": rows})
    with engine.connect() as conn:
        before = store.dump(conn)
    result = CliRunner().invoke(main, ["ingest", "--quiet", str(path), "--period", PERIOD])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if columns <= 1_000:  # at the limit: read, the extra columns ignored with a note each
        assert result.exit_code == 0 and "column 'Extra 9' is not part of" in result.output, result.output
        return
    assert result.exit_code == 1, result.output
    where = "a row" if as_csv else "its sheet 'Visits'"
    assert f"the file has {columns:,} columns in {where} (up to column" in result.output, result.output
    with engine.connect() as conn:
        assert store.dump(conn) == before

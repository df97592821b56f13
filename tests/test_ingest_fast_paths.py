"""The shortcuts a large sheet takes through validation give exactly what the cell-by-cell
rules give: dates and times in bulk (a workbook's whole days come as dates among the
datetimes), identifiers with no decimal point, and the blank and footer first cells."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from ingest import cells, parse

MOMENTS = [dt.datetime(2024, 3, 1, 9, 30), dt.datetime(2024, 3, 2, 9, 59, 59, 999_998), dt.date(2024, 3, 3),
           dt.datetime(2024, 3, 4, 7, tzinfo=dt.timezone(dt.timedelta(hours=1))), dt.datetime(2024, 3, 5), None, ""]


@pytest.mark.parametrize("seed", range(20))
def test_datetimes_in_bulk_are_the_cell_by_cell_ones(seed):
    rng = random.Random(seed)
    column = [rng.choice(MOMENTS) for _ in range(rng.randrange(1, 30))]
    expected = [None if v is None or v == "" else cells._datetime_cell(v) for v in column]
    assert cells.convert_datetime(column) == (expected, [])
    assert all(type(v) is dt.datetime for v in cells.convert_datetime(column)[0] if v is not None)


@pytest.mark.parametrize("column, expected", [
    (["C100", "C200", None], ["C100", "C200", None]),
    (["100101.0", "C2"], ["100101", "C2"]),
    ([100101.0, "C2"], ["100101", "C2"]),
    (["1.5", "2.0"], ["1.5", "2"]),
])
def test_identifiers_written_as_numbers_lose_their_decimal_point_and_only_they(column, expected):
    assert cells.convert_identifier(column) == (expected, [])


TEXTS = ["", " ", "\t", "\u00a0", "Total", "total rows", "Grand Total", "ME001", "*", "† note", "page 3", "Page x",
         "report", "reporting", "Notes:", "x", "  Total", "sub-totals", "C1", "records", "data as at 31/3", "Sum"]


@pytest.mark.parametrize("seed", range(50))
def test_blank_and_footer_first_cells_are_found_as_one_by_one(seed):
    rng = random.Random(seed)
    values = {rng.choice(TEXTS) + rng.choice(["", *TEXTS]) for _ in range(rng.randrange(12))}
    values |= set(rng.sample([None, 3.0, 0, dt.date(2024, 1, 1)], rng.randrange(3)))
    assert parse._blank_or_footer(values) == {v for v in values if cells.is_blank(v) or parse.is_footer(v)}

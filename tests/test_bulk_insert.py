"""store.insert_columns writes exactly the rows it is given, in order, whatever their count:
on SQLite many rows a statement (and the rest one a statement), on PostgreSQL by COPY."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from scorecard import store
from scorecard.store import bulk

NOW = dt.datetime(2025, 4, 2, 9, 0, tzinfo=dt.UTC)


def _extract(conn) -> int:
    extract_id, _ = store.add_extract(conn, {
        "upload_id": "u", "council": "E10000099", "dataset": "missing_episodes", "first_month": "2025-03",
        "last_month": "2025-03",
        "as_at": dt.date(2025, 3, 31), "complete_for": "dated:missing_from", "source_format": "template",
        "source_file": "missing.xlsx", "sha256": "x", "row_count": 0, "loaded_at": NOW, "loaded_by": "analyst"})
    return extract_id


def _columns(extract_id: int, count: int) -> dict[str, list]:
    start = dt.datetime(2025, 3, 1, 8, 30)
    return {
        "extract_id": [extract_id] * count,
        "source_row": list(range(2, count + 2)),
        "episode_id": [f"ME{i:05d}" for i in range(count)],
        "child_id": [f"C{i % 7}" for i in range(count)],
        "in_care": [i % 3 == 0 for i in range(count)],
        "missing_from": [start + dt.timedelta(hours=i) for i in range(count)],
        "found_at": [None if i % 5 == 0 else start + dt.timedelta(hours=i, minutes=45) for i in range(count)],
        "absence_type": [None if i % 4 == 0 else "MA"[i % 2] for i in range(count)],
        "district": ["North"] * count,
    }


@pytest.mark.parametrize("count", [1, 110, 111, 112, 250, 2_000])
def test_every_row_is_written_once_with_its_values(engine, count):
    per = bulk._MAX_PARAMETERS // 9  # nine columns: 111 rows a statement on SQLite
    assert per == 111
    table = store.RECORD_TABLES["missing_episodes"]
    with store.write_transaction(engine) as conn:
        columns = _columns(_extract(conn), count)
        assert store.insert_columns(conn, table, columns) == count
    with engine.connect() as conn:
        rows = conn.execute(select(*(table.c[name] for name in columns)).order_by(table.c.id)).all()
    assert [tuple(row) for row in rows] == list(zip(*columns.values()))

"""Loading published benchmarks (England, region, statistical neighbours) into the store.

The file is `data/reference/benchmarks.csv` or a council's own in the same columns.
Every release is kept: the DfE revises earlier years, and a paper printed last year
must be reproducible. Loading the same file twice adds nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from scorecard import store

COLUMNS = ("indicator", "comparator", "area_code", "period", "period_end", "value", "publication",
           "release_date", "source", "notes")
REQUIRED = ("indicator", "comparator", "area_code", "period", "period_end", "value", "publication")
COMPARATORS = ("england", "region", "statistical_neighbours")


@dataclass
class BenchmarkLoad:
    loaded: int = 0
    already_loaded: int = 0
    problems: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read_benchmarks(path: Path, known_indicators: Collection[str]) -> tuple[list[dict], list[str]]:
    """The rows of a benchmarks CSV, checked; problems name the file and row as a spreadsheet shows it."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            return [], [f"{path.name}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"]
        rows, problems = [], []
        for number, raw in enumerate(reader, start=2):
            row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
            where = f"{path.name}:{number}"
            try:
                row["value"] = float(row["value"])
                row["period_end"] = _date(row["period_end"])
                row["release_date"] = _date(row["release_date"])
            except ValueError as error:
                problems.append(f"{where}: {error}")
                continue
            blank = [c for c in REQUIRED if row[c] in ("", None)]
            if blank:
                problems.append(f"{where}: {', '.join(blank)} must not be blank")
            elif row["indicator"] not in known_indicators:
                problems.append(f"{where}: no indicator {row['indicator']!r} in metrics.yaml")
            elif row["comparator"] not in COMPARATORS:
                problems.append(f"{where}: comparator {row['comparator']!r} is not one of {', '.join(COMPARATORS)}")
            else:
                rows.append(row)
    return rows, problems


def _identity(row: dict) -> tuple:
    return tuple(row[c] for c in ("indicator", "comparator", "area_code", "period", "release_date", "value"))


def load_benchmarks(engine: Engine, path: Path, known_indicators: Collection[str], loaded_by: str) -> BenchmarkLoad:
    """Check the whole file, then load its new rows in one transaction (or nothing)."""
    result = BenchmarkLoad()
    rows, result.problems = read_benchmarks(path, known_indicators)
    if result.problems:
        return result
    now = dt.datetime.now(dt.UTC)
    with store.write_transaction(engine) as conn:
        stored = {_identity(row) for row in store.benchmark_rows(conn)}
        new = [row for row in rows if _identity(row) not in stored]
        result.already_loaded = len(rows) - len(new)
        if new:
            columns = {c: [row[c] or None for row in new] for c in COLUMNS}
            columns["value"] = [row["value"] for row in new]
            columns["source_file"] = [path.name] * len(new)
            columns["loaded_at"] = [now] * len(new)
            columns["loaded_by"] = [loaded_by] * len(new)
            result.loaded = store.insert_columns(conn, store.benchmarks, columns)
    return result

"""Reference data the metrics need besides the records: councils and child population.

`data/reference/councils.csv` says each council's region and its statistical neighbours
(a DfE model: the ~10 most similar authorities); `child_population.csv` holds ONS
mid-year estimates of children aged 0-17, for rates per 10,000. Both are plain files a
council edits; the published benchmarks are loaded into the store instead, because
every release of them is kept.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from scorecard.metrics.calendar import Month
from scorecard.settings import REFERENCE_DIR

COUNCILS_PATH = REFERENCE_DIR / "councils.csv"
POPULATION_PATH = REFERENCE_DIR / "child_population.csv"
ENGLAND = "E92000001"


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    region_code: str
    region_name: str
    statistical_neighbours: tuple[str, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@functools.cache
def councils(path: Path = COUNCILS_PATH) -> dict[str, Council]:
    return {
        row["code"]: Council(row["code"], row["name"], row["region_code"], row["region_name"],
                             tuple(code.strip() for code in row["statistical_neighbours"].split(";") if code.strip()))
        for row in _rows(path)
    }


def council(code: str) -> Council:
    """The council's reference entry; one not listed has no region or neighbours yet."""
    return councils().get(code) or Council(code, code, "", "", ())


@functools.cache
def child_population(path: Path = POPULATION_PATH) -> dict[str, dict[int, int]]:
    result: dict[str, dict[int, int]] = {}
    for row in _rows(path):
        result.setdefault(row["area_code"], {})[int(row["year"])] = int(row["population_0_17"])
    return result


def population_for(council_code: str, month: Month) -> tuple[int | None, str]:
    """The 0-17 population for a month: that year's mid-year estimate, or the latest
    earlier one (estimates are published about a year late), with a note saying which."""
    years = child_population().get(council_code, {})
    year = int(month.period[:4])
    usable = [y for y in years if y <= year]
    if not usable:
        return None, f"no child population estimate for {council_code} in {POPULATION_PATH.name}"
    used = max(usable)
    note = "" if used == year else f"mid-{used} population estimate used (latest available)"
    return years[used], note

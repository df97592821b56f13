"""Child population, for rates per 10,000: the ONS mid-year estimates of children aged
0 to 17 for every council (`data/reference/dfe/population/`), and
`data/reference/child_population.csv` for councils the ONS file does not have (the demo
county). Councils, regions and neighbours are in `scorecard.councils`.
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

from scorecard.councils import ENGLAND, POPULATION, open_text
from scorecard.metrics.calendar import Month
from scorecard.settings import REFERENCE_DIR

__all__ = ["ENGLAND", "child_population", "population_for"]

POPULATION_PATH = REFERENCE_DIR / "child_population.csv"


@functools.cache
def child_population(path: Path = POPULATION_PATH) -> dict[str, dict[int, int]]:
    result: dict[str, dict[int, int]] = {}
    with open_text(POPULATION) as handle:
        for row in csv.DictReader(handle):
            code = row["new_la_code"] if row["geographic_level"] == "Local authority" else \
                row["region_code"] if row["geographic_level"] == "Regional" else ENGLAND
            if code and row["population_estimate"].strip().isdigit():
                result.setdefault(code, {})[int(row["time_period"])] = int(row["population_estimate"])
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result.setdefault(row["area_code"].strip(), {})[int(row["year"])] = int(row["population_0_17"])
    return result


def population_for(council_code: str, month: Month) -> tuple[int | None, str]:
    """The 0-17 population for a month: that year's mid-year estimate, or the latest
    earlier one (estimates are published about a year late), with a note saying which."""
    years = child_population().get(council_code, {})
    year = int(month.period[:4])
    usable = [y for y in years if y <= year]
    if not usable:
        return None, f"no child population estimate for {council_code} in {POPULATION_PATH.name} or the ONS file"
    used = max(usable)
    note = "" if used == year else f"mid-{used} population estimate used (latest available)"
    return years[used], note

"""Small EES-shaped files and store readers for the tests of the DfE's published figures."""
from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select

from scorecard import councils, store
from scorecard.metrics.calendar import Month
from scorecard.metrics.comparators import (
    PublishedFigures,
)

DFE = councils.DFE_DIR
HEALTH_FILE = DFE / "ees" / "la_conviction_health_outcome_cla.csv.gz"
STABILITY_FILE = DFE / "ees" / "la_cla_placement_stability.csv.gz"
LAIT_FILE = DFE / "lait" / "lait_children_looked_after.csv.gz"

LEICESTERSHIRE, EAST_MIDLANDS, ENGLAND, DEMO = "E10000018", "E12000004", "E92000001", "E10000099"
HEALTH = "health_assessments_up_to_date"
SHORT, LONG = "placement_stability_short", "placement_stability_long"  # lower / higher is better

# The header of the DfE's la_cla_placement_stability.csv, as published.
STABILITY_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                    "old_la_code,la_name,new_la_code,cla_group,placement_stability,children_count,children_percent")
GROUPS = {SHORT: ("CLA on 31 March", "With 3 or more placements during the year"),
          LONG: ("Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
                 "Living with the same carer for at least 2 years")}
COUNTS_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                 "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000")
ON_31_MARCH = "Children looked after on 31 March each year"

# Month whose covering year (ending 31 March) is the key.
MONTH = {2023: Month.parse("2022-12"), 2024: Month.parse("2023-12"), 2025: Month.parse("2025-03")}


# --- writing small EES-shaped files -------------------------------------------------------

def area(code: str) -> list[str]:
    """The geography columns (geographic_level ... new_la_code) of England, a region or a council."""
    if code == ENGLAND:
        return ["National", ENGLAND, "England", "", "", "", "", ""]
    if code in councils.regions():
        return ["Regional", ENGLAND, "England", code, councils.regions()[code], "", "", ""]
    found = councils.find(code)
    return ["Local authority", ENGLAND, "England", found.region_code, found.region_name, found.la_number,
            found.name, found.code]


def percent(numerator, denominator) -> str:
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
        return str(round(100 * numerator / denominator))
    return numerator if isinstance(numerator, str) else "x"


def stability(year: int, geography: list[str], indicator: str, numerator, denominator) -> list[list]:
    """The two rows (numerator, 'Total children') of one area's figure in la_cla_placement_stability."""
    group, label = GROUPS[indicator]
    start = [str(year), "Reporting year", *geography, group]
    return [[*start, label, str(numerator), percent(numerator, denominator)],
            [*start, "Total children", str(denominator), "100" if isinstance(denominator, int) else str(denominator)]]


def write_file(path: Path, header: str, rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        writer.writerows(rows)
    return path


def stability_file(path: Path, figures: list[tuple]) -> Path:
    """figures: (year, area code, indicator, numerator, denominator), a count or an EES symbol."""
    rows = []
    for year, code, indicator, numerator, denominator in figures:
        rows += stability(year, area(code), indicator, numerator, denominator)
    return write_file(path, STABILITY_HEADER, rows)


# --- reading the store and the DfE's files ------------------------------------------------

def stored(engine, **where) -> list[dict]:
    with store.read_connection(engine) as conn:
        rows = store.published_rows(conn)
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def one(engine, **where) -> dict:
    rows = stored(engine, **where)
    assert len(rows) == 1, f"expected one stored figure for {where}, found {len(rows)}"
    return rows[0]


def figure_count(engine) -> int:
    with store.read_connection(engine) as conn:
        return conn.execute(select(func.count()).select_from(store.published_figures)).scalar_one()


def published(engine) -> PublishedFigures:
    with store.read_connection(engine) as conn:
        return PublishedFigures(pd.DataFrame(store.published_rows(conn)))


def raw_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))

"""Hand-built records for the metrics tests: rows as the store holds them, no database.

`make_records` gives each (dataset, month) its own extract id, runs the same
preparation the store's records go through (types, latest version, derived columns),
and returns the `Records` the cohorts read. Tests name only the columns they care about.
"""
from __future__ import annotations

import itertools

import pandas as pd

from ingest.datasets import DATASETS
from scorecard import store
from scorecard.metrics.records import EXTRACT_COLUMNS, Records, prepare
from scorecard.periods import month_end

COUNCIL = "E10000099"
MONTH = "2024-03"


def make_records(rows: dict[str, list[dict]], month: str = MONTH, loaded: dict[str, list[str]] | None = None,
                 council: str = COUNCIL) -> Records:
    """Records from rows per dataset. A row's `period` (default `month`) is the month of
    the monthly extract it came from. `loaded` adds months whose extracts exist (perhaps empty)."""
    ids = itertools.count(1)
    extract_ids: dict[tuple[str, str], int] = {}
    for dataset in store.RECORD_TABLES:
        months = {row.get("period", month) for row in rows.get(dataset, [])} | {month}
        months |= set((loaded or {}).get(dataset, []))
        for period in sorted(months):
            extract_ids[(dataset, period)] = next(ids)
    extracts = pd.DataFrame(
        [{"id": i, "dataset": d, "first_month": p, "last_month": p, "as_at": month_end(p),
          "complete_for": DATASETS[d].completeness.code(), "source_format": "template", "fields": None,
          "source_file": f"{d}-{p}.csv", "loaded_at": None}
         for (d, p), i in extract_ids.items()], columns=EXTRACT_COLUMNS)
    frames = {}
    for dataset, table in store.RECORD_TABLES.items():
        names = [c.name for c in table.c if c.name != "id"]
        records = []
        for number, row in enumerate(rows.get(dataset, []), start=2):
            period = row.get("period", month)
            full = {name: None for name in names}
            full.update({k: v for k, v in row.items() if k != "period"})
            full.update(extract_id=extract_ids[(dataset, period)], source_row=number,
                        extract_as_at=month_end(period).isoformat())
            records.append(full)
        frame = pd.DataFrame.from_records(records, columns=[*names, "extract_as_at"])
        frames[dataset] = prepare(dataset, frame, extracts)
    return Records(council=council, frames=frames, extracts=extracts)


def months(first: str, last: str) -> list[str]:
    return [str(m) for m in pd.period_range(first, last, freq="M")]


def episode(child: str, start: str, end: str | None, *, reason: str = "S", placement: str = "U4",
            provider: str | None = "PR1", born: str = "2012-01-01", period_start: str | None = None,
            uasc: bool = False, in_area: bool | None = True, miles: float | None = None, legal: str = "C2",
            sex: str = "M", district: str = "North") -> dict:
    return {"child_id": child, "date_of_birth": born, "sex": sex, "ethnicity": "WBRI", "uasc": uasc,
            "legal_status": legal, "period_start": period_start or start, "episode_start": start,
            "episode_end": end, "reason_new_episode": reason, "placement_type": placement,
            "placement_provider": provider, "placed_in_area": in_area, "distance_miles": miles,
            "district": district}

"""A small store with known gaps, blanks and mismatches, written straight through the
store's door (no file reading), for the data-quality tests. Every count the tests expect
is worked out by hand in the comments of `known_store`.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from ingest.datasets import DATASETS
from scorecard import store
from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.report import CouncilMetrics
from scorecard.periods import month_end

COUNCIL = "E10000099"
LOADED_AT = dt.datetime(2024, 4, 2, 9, 0, tzinfo=dt.UTC)


def add_extract(conn, dataset: str, month: str, rows: list[dict], changes: dict | None = None,
                council: str = COUNCIL, fields: list[str] | None = None) -> int:
    """A monthly extract of `rows` (the columns each row names; the others blank), through
    the store's versioning rule: a second extract of the same month supersedes the first."""
    extract_id, _ = store.add_extract(conn, {
        "upload_id": str(uuid.uuid4()), "council": council, "dataset": dataset, "first_month": month, "last_month": month,
        "as_at": month_end(month), "complete_for": DATASETS[dataset].completeness.code(), "source_format": "template",
        "source_file": f"{dataset}-{month}.csv", "source_sheet": None, "sha256": "0" * 64, "row_count": len(rows),
        "fields": ",".join(fields) if fields else None, "loaded_at": LOADED_AT, "loaded_by": "tester"})
    if changes is not None:
        store.set_extract_changes(conn, extract_id, json.dumps(changes))
    table = store.RECORD_TABLES[dataset]
    names = [c.name for c in table.c if c.name not in ("id", "extract_id", "source_row")]
    store.insert_columns(conn, table, {
        "extract_id": [extract_id] * len(rows), "source_row": list(range(2, len(rows) + 2)),
        **{name: [_value(table, name, row.get(name)) for row in rows] for name in names}})
    return extract_id


def _value(table, name, value):
    if isinstance(value, str) and table.c[name].type.python_type in (dt.date, dt.datetime):
        return (dt.datetime.fromisoformat(value) if table.c[name].type.python_type is dt.datetime
                else dt.date.fromisoformat(value))
    return value


def child(child_id: str, start: str, end: str | None = None, **fields) -> dict:
    values = {"child_id": child_id, "date_of_birth": "2012-05-01", "sex": "1", "ethnicity": "WBRI", "uasc": False,
                  "legal_status": "C2", "period_start": start, "episode_start": start, "episode_end": end,
                  "reason_new_episode": "S", "placement_type": "U4", "placement_provider": "PR1", "placed_in_area": True,
                  "distance_miles": 3.0, "district": "North"}
    return {**values, **fields}


def visit(child_id: str, due: str, team: str | None = "Team A") -> dict:
    return {"child_id": child_id, "date_due": due, "date_done": due, "team": team}


def missing(episode_id: str, child_id: str, in_care: bool, start: str) -> dict:
    return {"episode_id": episode_id, "child_id": child_id, "in_care": in_care, "missing_from": f"{start}T20:00",
                "found_at": f"{start}T23:00", "district": "North"}


def interview(episode_id: str, child_id: str, held: str) -> dict:
    return {"episode_id": episode_id, "child_id": child_id, "outcome": "completed", "held_at": f"{held}T10:00"}


def known_store(engine) -> dict[str, int]:
    """The store; returns the ids of the extracts the tests name.

    Loaded: children in care for 2024-01 and 2024-03 (2024-02 missing), visits for
    2024-01 to 2024-03 (2024-02 loaded twice), missing episodes for 2024-01 only (two
    months behind), return home interviews for 2024-03; no health assessments or care
    leavers.
    """
    ids = {}
    with store.write_transaction(engine) as conn:
        c1, c2 = child("C1", "2023-06-01"), child("C2", "2023-09-01")
        ids["cic_jan"] = add_extract(conn, "children_in_care", "2024-01", [
            c1, c2, child("C4", "2023-01-01", "2023-12-31")])  # C4 left care on 31 December
        # March: C1 with no ethnicity; C2 with no district, placement area, distance nor
        # provider (a fostering placement, so the provider matters); C3 came into care on
        # 10 March in a residential placement (no provider needed), its first stored
        # episode continuing a period of care the store does not hold (history incomplete).
        ids["cic_mar"] = add_extract(conn, "children_in_care", "2024-03", [
            {**c1, "ethnicity": None},
            {**c2, "district": None, "placed_in_area": None, "distance_miles": None, "placement_provider": None},
            child("C3", "2024-03-10", placement_type="K2", placement_provider=None, reason_new_episode="P",
                  period_start=None)],
            changes={"dataset": "children_in_care", "rows": 3, "new": 1, "updated": 2, "ended": 2,
                     "ended_examples": ["C7 01/02/2024"], "withdrawn": 0})
        ids["visits_jan"] = add_extract(conn, "visits", "2024-01", [
            visit("C1", "2024-01-20"), visit("C4", "2024-01-10")])   # C4 was no longer in care
        ids["visits_feb_first"] = add_extract(conn, "visits", "2024-02", [
            visit("C2", "2024-02-14"), visit("C1", "2024-02-20")])
        # The corrected February file leaves out C1's visit of 20 February: it disappears.
        # C2's visit cannot be checked: no children in care list covers February.
        ids["visits_feb"] = add_extract(conn, "visits", "2024-02", [visit("C2", "2024-02-14")],
                                        changes={"dataset": "visits", "rows": 1, "unchanged": 1, "dropped": 1})
        ids["visits_mar"] = add_extract(conn, "visits", "2024-03", [
            visit("C1", "2024-03-05", team=None),   # no team
            visit("C3", "2024-03-05")])             # due before C3 came into care
        ids["missing_jan"] = add_extract(conn, "missing_episodes", "2024-01", [
            missing("M1", "C1", True, "2024-01-10"),    # in care: agrees
            missing("M2", "C3", True, "2024-01-15"),    # flagged in care, not in care until March
            missing("M3", "X9", False, "2024-01-20"),   # not in care: agrees
            missing("M4", "C2", False, "2024-01-05"),   # flagged not in care, but C2 was
            missing("M5", "Z1", True, "2024-01-25")])   # flagged in care, in no list at all
        ids["rhi_mar"] = add_extract(conn, "return_interviews", "2024-03", [
            interview("M1", "C1", "2024-01-12"),        # its episode is loaded
            interview("M9", "C9", "2024-01-20"),        # no episode M9, and January's missing file is loaded
            interview("M8", "C8", "2024-03-03")])       # no episode M8, but no missing file covers March
    return ids


def known_metrics(engine) -> CouncilMetrics:
    return CouncilMetrics(engine, COUNCIL, load_catalogue())

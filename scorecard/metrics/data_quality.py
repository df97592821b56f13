"""The data-quality page's findings: what an analyst checks before trusting a month's figures.

    report = data_quality(who, metrics)          # every section, for the latest month with figures
    report.section("freshness").summary          # counts, one row per dataset, field or check
    report.section("freshness").records          # the records (or months) behind those counts

Seven sections, each a `Section` of two tables: the counts, and the records behind them
(child ids, extract ids and source rows; never names, which the store does not hold):
loads and their status; uploads the store refused, with their problems; how fresh each
dataset is and the months missing; blanks in the fields the figures depend on
(`data_quality_fields`); checks of one dataset against another, records that disappeared
between loads and figures flagged for incomplete history (`data_quality_checks`).

Only analysts (Permission.DATA_QUALITY) may ask: the records are child-level.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from scorecard import store
from scorecard.access import Identity, Permission
from scorecard.metrics.compute import month_spans
from scorecard.metrics.records import Records
from scorecard.metrics.report import CouncilMetrics
from scorecard.periods import months_between
from scorecard.vocabulary import DATASET_TITLES

UPLOAD_ACTION = "upload"
CHANGE_COUNTS = ("new", "updated", "unchanged", "dropped", "ended", "withdrawn")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    why: str
    summary: pd.DataFrame
    """The counts: one row per load, dataset, field or check."""
    records: pd.DataFrame | None
    """What the counts are made of: records (child id, extract, source row) or months;
    None where the counts name their records themselves (each load is its extract)."""
    found: int
    """How many problems the section found (0: none found)."""
    note: str = ""
    """What the section covers (the month, say), or why part of it could not be checked."""


@dataclass(frozen=True)
class DataQuality:
    council: str
    period: str | None
    """The month the completeness of fields is measured for: the latest with figures."""
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"no data-quality section {key!r}; there are {', '.join(s.key for s in self.sections)}")


SECTION_KEYS = ("loads", "uploads", "freshness", "completeness", "reconciliation", "disappeared", "history")


def data_quality(who: Identity, metrics: CouncilMetrics, period: str | None = None) -> DataQuality:
    """Every section for the council whose figures `metrics` holds. `period` chooses the
    month whose records' blanks are counted (default: the latest month with figures)."""
    who.require(Permission.DATA_QUALITY)
    from scorecard.metrics.data_quality_checks import (
        disappeared_records,
        incomplete_history,
        reconciliation,
    )
    from scorecard.metrics.data_quality_fields import completeness

    periods = metrics.periods()
    period = period if period in periods else (periods[-1] if periods else None)
    with store.read_connection(metrics.engine) as conn:
        extracts = store.list_extracts(conn, metrics.council)
        events = store.audit_rows(conn, action=UPLOAD_ACTION)
        disappeared = disappeared_records(conn, metrics.records, extracts)
        blanks = completeness(conn, metrics.records, metrics.catalogue, period)
    return DataQuality(metrics.council, period, (
        loads(extracts),
        refused_uploads(events, metrics.council),
        freshness(metrics.records),
        blanks,
        reconciliation(metrics.records),
        disappeared,
        incomplete_history(metrics),
    ))


# --- loads ---------------------------------------------------------------------------------

def load_summary(changes: str | None) -> dict:
    """An extract's load summary (ingest.changes.DatasetChanges as JSON), or {} when it
    has none or it cannot be read: a load made before summaries were kept has none."""
    if not changes:
        return {}
    try:
        summary = json.loads(changes)
    except ValueError:
        return {}
    return summary if isinstance(summary, dict) else {}


def months_text(first: str, last: str) -> str:
    return first if first == last else f"{first} to {last}"


def loads(extracts: list[dict]) -> Section:
    """Every extract ever loaded, newest first, with its status and what the load changed."""
    rows = []
    for extract in sorted(extracts, key=lambda e: e["id"], reverse=True):
        summary = load_summary(extract.get("changes"))
        rows.append({
            "extract_id": extract["id"], "dataset": DATASET_TITLES.get(extract["dataset"], extract["dataset"]),
            "months": months_text(extract["first_month"], extract["last_month"]),
            "format": extract["source_format"], "source_file": extract["source_file"],
            "rows": extract["row_count"], "loaded_at": _when(extract["loaded_at"]), "loaded_by": extract["loaded_by"],
            "status": extract["status"], "superseded_by": extract["superseded_by"],
            **{name: _count(summary.get(name)) for name in CHANGE_COUNTS},
        })
    summary = pd.DataFrame(rows, columns=["extract_id", "dataset", "months", "format", "source_file", "rows",
                                          "loaded_at", "loaded_by", "status", "superseded_by", *CHANGE_COUNTS])
    summary = summary.astype({name: "Int64" for name in ("superseded_by", *CHANGE_COUNTS)})
    superseded = int((summary["status"] == store.SUPERSEDED).sum())
    note = f"{len(summary):,} loads, newest first." if len(summary) else "Nothing has been loaded yet."
    return Section("loads", "Every load", "Each figure comes from the current load of its months; a superseded "
                   "load's records are kept and no longer count, and each load's summary says what it changed.",
                   summary, None, superseded, note)


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _when(value) -> str:
    if value is None:
        return ""
    text = value.isoformat(" ", "minutes") if hasattr(value, "isoformat") else str(value)
    return text[:16]


# --- uploads the store refused, from the audit log -----------------------------------------

PROBLEM_FIELDS = ("file", "sheet", "row", "column", "value", "message", "severity")


def upload_details(details: str | None) -> dict:
    """An upload event's details, tolerant of any shape: the upload page writes
    {"files": [...], "status": "loaded"|"refused", "problems": [{file, sheet, row, column,
    value, message, severity}...], "problems_total": N, "datasets": {...}}, but an event
    written by an older release, or by hand, may lack any of it."""
    details = load_summary(details)
    files = details.get("files")
    problems = details.get("problems")
    return {
        "files": [_file_name(f) for f in files] if isinstance(files, list) else [],
        "status": str(details.get("status") or "not recorded"),
        "problems": [p for p in problems if isinstance(p, dict)] if isinstance(problems, list) else [],
        "problems_total": _count(details.get("problems_total")),
    }


def _file_name(entry) -> str:
    if isinstance(entry, dict):
        return str(entry.get("name") or entry.get("file") or "")
    return str(entry)


def refused_uploads(events: Iterable[dict], council: str) -> Section:
    """Every upload in the audit log, with its problems: refused ones left the store
    unchanged, and loaded ones may carry warnings."""
    rows, problems = [], []
    for event in events:
        if event.get("council") not in (None, council):
            continue
        details = upload_details(event.get("details"))
        listed = details["problems"]
        severities = [str(p.get("severity") or "error").lower() for p in listed]
        rows.append({"event_id": event["id"], "at": _when(event.get("at")), "by": event.get("actor") or "",
                     "status": details["status"], "files": "; ".join(details["files"]),
                     "problems": details["problems_total"] if details["problems_total"] is not None else len(listed),
                     "errors_listed": severities.count("error"), "warnings_listed": severities.count("warning"),
                     "problems_listed": len(listed)})
        problems += [{"event_id": event["id"], **{name: _plain(p.get(name)) for name in PROBLEM_FIELDS}}
                     for p in listed]
    summary = pd.DataFrame(rows, columns=["event_id", "at", "by", "status", "files", "problems", "errors_listed",
                                          "warnings_listed", "problems_listed"])
    records = pd.DataFrame(problems, columns=["event_id", *PROBLEM_FIELDS])
    refused = int((summary["status"] == "refused").sum())
    shortened = summary[summary["problems"] > summary["problems_listed"]]
    note = f"{len(shortened):,} uploads list only their first problems; the count is of all of them" \
        if len(shortened) else ""
    return Section("uploads", "Uploads and their problems", "A refused upload left the store unchanged: its month "
                   "is not in the figures until a corrected file is loaded.", summary, records, refused, note)


def _plain(value):
    return value if value is None or isinstance(value, (int, float, str)) else str(value)


# --- freshness -----------------------------------------------------------------------------

def freshness(records: Records) -> Section:
    """Each dataset's first and latest month, the months missing between them, and the
    months it is behind the latest month any dataset covers."""
    covered = {dataset: records.all_covered(dataset) for dataset in store.RECORD_TABLES}
    latest_any = max((max(months) for months in covered.values() if months), default=None)
    rows, missing = [], []
    for dataset, months in covered.items():
        title = DATASET_TITLES.get(dataset, dataset)
        if not months:
            missing.append({"dataset": title, "month": "", "kind": "never loaded"})
            rows.append({"dataset": title, "first_month": None, "latest_month": None, "months_loaded": 0,
                         "gaps": 0, "gap_months": "", "behind": 0, "behind_months": "",
                         "state": "never loaded"})
            continue
        first, latest = min(months), max(months)
        gaps = [m for m in months_between(first, latest) if m not in months]
        behind = months_between(latest, latest_any)[1:]
        missing += [{"dataset": title, "month": m, "kind": "gap"} for m in gaps]
        missing += [{"dataset": title, "month": m, "kind": "not yet loaded"} for m in behind]
        rows.append({"dataset": title, "first_month": first, "latest_month": latest, "months_loaded": len(months),
                     "gaps": len(gaps), "gap_months": month_spans(gaps), "behind": len(behind),
                     "behind_months": month_spans(behind),
                     "state": "up to date" if not gaps and not behind else "months missing"})
    summary = pd.DataFrame(rows)
    note = f"Up to {latest_any}, the latest month any dataset covers." if latest_any else "Nothing is loaded yet."
    return Section("freshness", "How up to date each dataset is", "A month missing from a dataset leaves its "
                   "figures blank for that month, and a figure that looks back (12 months of health assessments, "
                   "placements) blank or flagged for months after.",
                   summary, pd.DataFrame(missing, columns=["dataset", "month", "kind"]),
                   int((summary["state"] != "up to date").sum()), note)

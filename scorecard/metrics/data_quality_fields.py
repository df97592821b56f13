"""Blanks in the fields the figures depend on, found from metrics.yaml rather than a list.

Each indicator names the cohort columns it filters on, counts or sums, and breaks down
by; each such column is made from a stored field (`FIELDS_BEHIND` says which, where the
names differ). A blank in a field a figure filters on leaves the record out of the figure
(a child with no placement distance is not in the 20-miles share); a blank in a
breakdown's field puts it in the "Not recorded" group. Fields the store requires cannot
be blank and are not listed; nor are dates whose blank means "not done yet".
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from scorecard import store
from scorecard.metrics.catalogue import Catalogue, Indicator
from scorecard.metrics.cohorts import BREAKDOWNS, COHORTS
from scorecard.metrics.data_quality import Section
from scorecard.metrics.data_quality_keys import (
    key_columns,
    key_frame,
    key_index,
    record_names,
)
from scorecard.metrics.records import Records
from scorecard.vocabulary import DATASET_TITLES

FIGURE, BREAKDOWN = "figure", "breakdown"


@dataclass(frozen=True)
class Behind:
    """The stored field a cohort column is made from, and which records need it."""
    field: str
    applies_to: str = ""
    """Words for `needed_by`: 'fostering placements'; '' for every record."""
    needed_by: Callable[[pd.DataFrame], np.ndarray] | None = None


def _fostering(frame: pd.DataFrame) -> np.ndarray:
    return (frame["placement_group"] == "fostering").to_numpy()


def _placed_outside(frame: pd.DataFrame) -> np.ndarray:
    return frame["placed_in_area"].eq(False).fillna(False).to_numpy(dtype=bool)


def _initial(frame: pd.DataFrame) -> np.ndarray:
    return (frame["assessment_type"] == "initial").to_numpy()


# Periods of care (and so placements in 12 months, long-term stability) are read from each
# episode's reason: without one, only a gap between episodes tells a new period.
_EPISODE_REASON = Behind("reason_new_episode")
# Cohort columns made from a stored field of another name (`cohorts.py`, `records.py`);
# any other column is its stored field's own name.
FIELDS_BEHIND: dict[str, Behind] = {
    "ethnic_group": Behind("ethnicity"),
    "district_label": Behind("district"),
    "team_label": Behind("team"),
    "area": Behind("placed_in_area"),
    "host_label": Behind("host_la", "children placed outside the area", _placed_outside),
    "placement_mix": Behind("placement_provider", "fostering placements", _fostering),
    "placement_mix_label": Behind("placement_provider", "fostering placements", _fostering),
    "in_eet": Behind("activity"),
    "suitably_accommodated": Behind("accommodation"),
    "placements_last_12_months": _EPISODE_REASON,
    "long_term_cohort": _EPISODE_REASON,
    "same_placement_2_years": _EPISODE_REASON,
    "in_timescale": Behind("looked_after_date", "initial health assessments", _initial),
}


@dataclass(frozen=True)
class Dependency:
    dataset: str
    behind: Behind
    indicator: Indicator
    use: str
    """FIGURE (the figure filters on it or counts it) or BREAKDOWN (its groups come from it)."""


def dependencies(catalogue: Catalogue) -> list[Dependency]:
    """Every (stored field, indicator) pair where the indicator reads a field that can be blank."""
    found = []
    for indicator in catalogue.indicators:
        cohort = COHORTS[indicator.cohort]
        filters = [*indicator.numerator.where, *(indicator.denominator.where if indicator.denominator else ())]
        used = [(f.column, FIGURE) for f in filters]
        used += [(c, FIGURE) for c in (indicator.numerator.count_distinct, indicator.numerator.sum) if c]
        used += [(BREAKDOWNS[b].column, BREAKDOWN) for b in indicator.breakdowns]
        for column, use in used:
            behind = FIELDS_BEHIND.get(column, Behind(column))
            dataset = _dataset_of(cohort, column, behind.field)
            if dataset is not None:
                found.append(Dependency(dataset, behind, indicator, use))
    return found


def _dataset_of(cohort, column: str, field: str) -> str | None:
    """The dataset whose stored, nullable `field` the cohort's column comes from: a column
    the cohort joins from the child's care record comes from the children in care."""
    datasets = ("children_in_care",) if column in (cohort.joined or {}) else cohort.datasets
    for dataset in datasets:
        table = store.RECORD_TABLES[dataset]
        if field in table.c and table.c[field].nullable:
            return dataset
    return None


SUMMARY_COLUMNS = ["dataset", "field", "applies_to", "records", "recorded", "blank", "blank_percent",
                   "blank_not_in_file", "figures", "breakdowns"]
RECORD_COLUMNS = ["dataset", "field", "child_id", "record", "extract_id", "source_row", "in_file"]


def completeness(conn: Connection, records: Records, catalogue: Catalogue, period: str | None) -> Section:
    """For each field the figures depend on: the records the files covering `period` list,
    in the version the figures read (a later file may have filled a blank in, or blanked
    a field), that need it and leave it blank, and the indicators a blank affects."""
    why = ("A blank field leaves a child out of the figures that need it, or counts them as "
           "\u201cnot recorded\u201d in a breakdown.")
    title = "Blank fields the figures depend on"
    if period is None:
        return Section("completeness", title, why, pd.DataFrame(columns=SUMMARY_COLUMNS),
                       pd.DataFrame(columns=RECORD_COLUMNS), 0, "No month has figures yet.")
    grouped: dict[tuple[str, str, str], list[Dependency]] = {}
    for dependency in dependencies(catalogue):
        key = (dependency.dataset, dependency.behind.field, dependency.behind.applies_to)
        grouped.setdefault(key, []).append(dependency)
    rows, blanks, uncovered = [], [], []
    listed: dict[str, np.ndarray] = {}
    for (dataset, field, applies_to), uses in grouped.items():
        ids = records.extract_ids(dataset, period, status_ok=False)
        if not ids:
            uncovered.append(DATASET_TITLES.get(dataset, dataset))
            continue
        frame = records[dataset]
        if dataset not in listed:
            listed[dataset] = _listed_in(conn, dataset, ids, frame)
        in_month = listed[dataset]
        needed_by = uses[0].behind.needed_by
        relevant = in_month & (needed_by(frame) if needed_by else True)
        blank = relevant & frame[field].isna().to_numpy()
        in_file = _file_has(records, field, frame["extract_id"].to_numpy())
        count, blank_count = int(relevant.sum()), int(blank.sum())
        rows.append({
            "dataset": DATASET_TITLES.get(dataset, dataset), "field": field, "applies_to": applies_to,
            "records": count, "recorded": count - blank_count, "blank": blank_count,
            "blank_percent": round(100 * blank_count / count, 1) if count else None,
            "blank_not_in_file": int((blank & ~in_file).sum()),
            "figures": _labels(uses, FIGURE), "breakdowns": _labels(uses, BREAKDOWN),
        })
        chosen = frame.loc[blank]
        blanks.append(pd.DataFrame({
            "dataset": DATASET_TITLES.get(dataset, dataset), "field": field,
            "child_id": chosen["child_id"].to_numpy(dtype=object), "record": record_names(dataset, chosen),
            "extract_id": chosen["extract_id"].to_numpy(), "source_row": chosen["source_row"].to_numpy(),
            "in_file": in_file[blank]}, columns=RECORD_COLUMNS))
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS).sort_values(["dataset", "field"], kind="stable")
    listed = pd.concat(blanks, ignore_index=True) if blanks else pd.DataFrame(columns=RECORD_COLUMNS)
    note = f"Records in the files covering {period}."
    if uncovered:
        note += f" No file covers {period} for: {', '.join(sorted(set(uncovered)))}."
    return Section("completeness", title, why, summary.reset_index(drop=True), listed, int(summary["blank"].sum()),
                   note)


def _listed_in(conn: Connection, dataset: str, extract_ids: list[int], frame: pd.DataFrame) -> np.ndarray:
    """Which of the frame's records (their latest versions) the extracts list."""
    names, rows = store.extract_records(conn, dataset, extract_ids, key_columns(dataset))
    return key_index(frame, dataset).isin(key_index(key_frame(dataset, names, rows), dataset))


def _labels(uses: list[Dependency], use: str) -> str:
    return "; ".join(dict.fromkeys(d.indicator.label for d in uses if d.use == use))


def _file_has(records: Records, field: str, extract_ids: np.ndarray) -> np.ndarray:
    """Whether each record's file had the field at all (an SSDA903 return has no district);
    an extract that did not record its fields is taken to have them all."""
    extracts = records.extracts
    lacking = {int(i) for i, fields in zip(extracts["id"], extracts["fields"])
               if isinstance(fields, str) and field not in fields.split(",")}
    return ~np.isin(extract_ids, list(lacking)) if lacking else np.ones(len(extract_ids), dtype=bool)



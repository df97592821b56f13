"""The stored records a council's metrics are computed from, one frame per dataset.

The contract with the analysts (README, "Loading a month"): a month's file may repeat
earlier records, corrected or completed, so each record is read in its latest version,
by its key, across every current extract. A record that a later file leaves out is not
deleted: files list what is open or due, not everything that ever happened.

Each frame keeps `extract_id` (and `extract_period`) so every figure can name the files
it came from. Codes are turned into their groups here, once, from the same code lists
the ingest validates against.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import String
from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.codes import code_list

# The key that identifies a record across monthly files. Health assessments are keyed
# by their due date, not (as within one file) also by the date done: next month's file
# completes this month's overdue assessment rather than adding a second one.
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "children_in_care": ("child_id", "episode_start"),
    "visits": ("child_id", "date_due"),
    "missing_episodes": ("episode_id",),
    "return_interviews": ("episode_id",),
    "health_assessments": ("child_id", "assessment_type", "due_or_done"),
    "care_leavers": ("child_id", "birthday"),
}

DATE_COLUMNS = {
    "children_in_care": ("date_of_birth", "period_start", "episode_start", "episode_end"),
    "visits": ("date_due", "date_done"),
    "health_assessments": ("looked_after_date", "date_due", "date_completed"),
    "care_leavers": ("date_of_birth", "birthday"),
}
DATETIME_COLUMNS = {
    "missing_episodes": ("missing_from", "found_at"),
    "return_interviews": ("offered_at", "held_at"),
}

# Reasons for a new episode that do not start a new placement: a change of legal status
# only. Every other reason (started care, changed placement or carer) does.
SAME_PLACEMENT_REASONS = frozenset({"L"})


@dataclass
class Records:
    """A council's records, deduplicated, with the extracts they can come from."""

    council: str
    frames: dict[str, pd.DataFrame]
    extracts: pd.DataFrame  # id, dataset, period, source_file, loaded_at
    _by_month: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)

    _first: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for extract_id, dataset, period in self.extracts[["id", "dataset", "period"]].itertuples(index=False):
            self._by_month.setdefault((dataset, period), []).append(int(extract_id))
            self._first[dataset] = min(period, self._first.get(dataset, period))

    def __getitem__(self, dataset: str) -> pd.DataFrame:
        return self.frames[dataset]

    def has_month(self, dataset: str, period: str) -> bool:
        """Whether a current extract of this dataset is loaded for the month."""
        return (dataset, period) in self._by_month

    def extract_ids(self, dataset: str, period: str) -> list[int]:
        return self._by_month.get((dataset, period), [])

    def first_period(self, dataset: str) -> str | None:
        return self._first.get(dataset)

    def all_periods(self) -> list[str]:
        return sorted(set(self.extracts["period"]))


def load_records(engine: Engine, council: str) -> Records:
    with store.read_connection(engine) as conn:
        extracts = pd.DataFrame(store.current_extracts(conn, council),
                                columns=["id", "dataset", "period", "source_file", "loaded_at"])
        frames = {}
        for dataset in store.RECORD_TABLES:
            names, rows = store.current_records(conn, council, dataset)
            # Column by column: pandas inspects every row object it is given as a record,
            # which on SQLAlchemy rows costs more than the query.
            columns = zip(*rows) if rows else ([] for _ in names)
            frame = pd.DataFrame({name: _column(dataset, name, values) for name, values in zip(names, columns)})
            frames[dataset] = prepare(dataset, frame)
    return Records(council=council, frames=frames, extracts=extracts)


def _column(dataset: str, name: str, values) -> pd.Series | list:
    # Text as plain Python strings from the start: pandas would otherwise build Arrow
    # strings, which cost more on the row selections the cohorts make every month.
    table = store.RECORD_TABLES[dataset]
    if name == "extract_period" or (name in table.c and isinstance(table.c[name].type, String)):
        return pd.Series(values, dtype=object)
    return list(values)


def prepare(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Types, latest version of each record, and the columns derived once per load."""
    for column in frame.columns:
        if column in DATE_COLUMNS.get(dataset, ()) or column in DATETIME_COLUMNS.get(dataset, ()):
            frame[column] = _parse(frame[column])
        elif frame[column].dtype == "str":  # records built in tests or by other callers
            frame[column] = frame[column].astype(object)
    if dataset == "health_assessments":
        frame["due_or_done"] = frame["date_due"].fillna(frame["date_completed"])
    frame = latest_versions(frame, RECORD_KEYS[dataset])
    derive = _DERIVED.get(dataset)
    return derive(frame) if derive else frame


def _parse(column: pd.Series) -> pd.Series:
    """ISO dates and date-times as datetime64[s] (pandas' coarsest unit; dates are midnight).

    numpy parses ISO text about four times faster than pandas; anything else (date
    objects from a caller, odd text) goes through pandas.
    """
    try:
        parsed = column.to_numpy(dtype=object).astype("datetime64[us]").astype("datetime64[s]")
    except (ValueError, TypeError):
        return pd.to_datetime(column, format="ISO8601").astype("datetime64[s]")
    return pd.Series(parsed, index=column.index)


def latest_versions(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """One row per key: the one from the latest month's extract (the latest load if two)."""
    repeated = frame.duplicated(list(key), keep=False).to_numpy()
    if not repeated.any():
        return frame.reset_index(drop=True)
    # Only records that appear more than once need sorting into their versions.
    versions = frame.loc[repeated].sort_values(["extract_period", "extract_id", "source_row"], kind="stable")
    latest = versions.drop_duplicates(list(key), keep="last")
    return pd.concat([frame.loc[~repeated], latest], ignore_index=True)


def code_groups(codes: pd.Series, list_name: str, unknown: str = "unknown") -> pd.Series:
    """Each code's group in its code list ("U4" -> "fostering"); blanks are `unknown`."""
    groups = {code: entry.group or code for code, entry in code_list(list_name).codes.items()}
    return text(codes.map(groups).fillna(unknown).to_numpy(dtype=object), codes.index)


def code_labels(codes: pd.Series, list_name: str, unknown: str = "Not recorded") -> pd.Series:
    names = {code: entry.label for code, entry in code_list(list_name).codes.items()}
    return text(codes.map(names).fillna(unknown).to_numpy(dtype=object), codes.index)


NOT_RECORDED = "Not recorded"
PLACEMENT_MIX_LABELS = {
    "in_house_fostering": "In-house fostering",
    "agency_fostering": "Agency fostering",
    "residential": "Residential",
    "placed_with_parents": "Placed with parents",
    "adoption": "Placed for adoption",
    "other": "Other placements",
}


def text(values, index: pd.Index) -> pd.Series:
    """A column of Python strings. pandas would make Arrow strings of any new text
    column, and every month's row selections on those cost several times more."""
    return pd.Series(values, index=index, dtype=object)


def labels(values: pd.Series, names: dict | None = None, unknown: str = NOT_RECORDED) -> pd.Series:
    """Readable breakdown groups: 'care_order' -> 'Care order', blanks -> 'Not recorded'."""
    def label(value):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value in ("", "unknown"):
            return unknown
        if names and value in names:
            return names[value]
        return str(value).replace("_", " ").capitalize()
    mapping = {value: label(value) for value in pd.unique(values)}
    return text(values.map(mapping).to_numpy(dtype=object), values.index)


def area_labels(placed_in_area: pd.Series) -> pd.Series:
    return labels(placed_in_area.map({True: "in", False: "out"}), {"in": "In area", "out": "Out of area"})


def placement_mix(placement_group: pd.Series, provider_group: pd.Series) -> pd.Series:
    """The six-way mix councillors see: fostering split by who provides it."""
    fostering = placement_group.to_numpy() == "fostering"
    provider = provider_group.to_numpy()
    mix = np.where(np.isin(placement_group, ["residential", "placed_with_parents", "adoption"]),
                   placement_group, "other").astype(object)
    mix[fostering & (provider == "in_house")] = "in_house_fostering"
    mix[fostering & np.isin(provider, ["private", "voluntary"])] = "agency_fostering"
    return text(mix, placement_group.index)


def _derive_children_in_care(frame: pd.DataFrame) -> pd.DataFrame:
    """Placements: a run of episodes that changed only the legal status is one placement.

    `placement_start` is the start of the run an episode belongs to (for "same placement
    for two years"); `placement_number` numbers a child's placements in order (for "three
    or more placements in twelve months").
    """
    frame = frame.sort_values(["child_id", "episode_start"], kind="stable").reset_index(drop=True)
    frame["child_number"] = pd.factorize(frame["child_id"])[0]
    new_child = frame["child_id"].ne(frame["child_id"].shift())
    new_placement = new_child | ~frame["reason_new_episode"].isin(SAME_PLACEMENT_REASONS)
    frame["placement_number"] = new_placement.cumsum()
    frame["placement_start"] = frame.groupby("placement_number")["episode_start"].transform("min")
    frame["placement_group"] = code_groups(frame["placement_type"], "placement_type")
    frame["provider_group"] = code_groups(frame["placement_provider"], "placement_provider")
    frame["sex_group"] = code_groups(frame["sex"], "sex")
    frame["ethnic_group"] = code_groups(frame["ethnicity"], "ethnicity", unknown="Not known")
    frame["legal_group"] = code_groups(frame["legal_status"], "legal_status")
    # Breakdown labels, once per load rather than once per month.
    frame["uasc"] = frame["uasc"].astype(bool)
    frame["uasc_status"] = text(np.where(frame["uasc"].to_numpy(), "UASC", "Not UASC"), frame.index)
    frame["placed_in_area"] = frame["placed_in_area"].astype("boolean")
    frame["area"] = area_labels(frame["placed_in_area"])
    frame["distance_miles"] = frame["distance_miles"].astype(float)
    frame["placement_mix"] = placement_mix(frame["placement_group"], frame["provider_group"])
    frame["placement_mix_label"] = labels(frame["placement_mix"], PLACEMENT_MIX_LABELS)
    frame["legal_label"] = labels(frame["legal_group"])
    frame["sex_label"] = labels(frame["sex_group"])
    frame["ethnic_group"] = labels(frame["ethnic_group"], unknown="Not known")
    frame["district_label"] = labels(frame["district"])
    return frame


def _derive_care_leavers(frame: pd.DataFrame) -> pd.DataFrame:
    frame["in_touch_group"] = code_groups(frame["in_touch"], "in_touch")
    frame["activity_group"] = code_groups(frame["activity"], "activity")
    frame["accommodation_group"] = code_groups(frame["accommodation"], "accommodation")
    return frame


def _derive_return_interviews(frame: pd.DataFrame) -> pd.DataFrame:
    frame["outcome_group"] = code_groups(frame["outcome"], "rhi_outcome")
    frame["outcome_label"] = code_labels(frame["outcome"], "rhi_outcome")
    return frame


def _derive_visits(frame: pd.DataFrame) -> pd.DataFrame:
    frame["team_label"] = labels(frame["team"])
    return frame


def _derive_missing_episodes(frame: pd.DataFrame) -> pd.DataFrame:
    frame["in_care"] = frame["in_care"].astype(bool)
    frame["care_status"] = text(np.where(frame["in_care"].to_numpy(), "Children in care", "Other children"),
                                frame.index)
    frame["district_label"] = labels(frame["district"])
    return frame


_DERIVED = {
    "children_in_care": _derive_children_in_care,
    "care_leavers": _derive_care_leavers,
    "return_interviews": _derive_return_interviews,
    "missing_episodes": _derive_missing_episodes,
    "visits": _derive_visits,
}

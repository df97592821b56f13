"""The stored records a council's metrics are computed from, one frame per dataset.

The contract with the analysts (README, "Which record wins"): a file may repeat earlier
records, corrected or completed, so each record is read in its latest version, by its
key, across every current extract: the version from the file as at the latest date (for
the same date, the later load). A file says nothing about a field it does not have: the
SSDA903 has no district, so a return's version of an episode keeps the district a monthly
extract gave it; and a return's dates without times do not erase a time given for the
same day. A record that a later file leaves out is ended or withdrawn only where that
file lists every such record for its months (`scorecard.vocabulary.Completeness`).

Facts about a child's history are derived here, from all of the child's current records
whatever file or year they came from (`history.py`): periods of care, placements, and
whether the store holds enough of the child's history to answer a question.

Each frame keeps `extract_id` (and `extract_as_at`) so every figure can name the files
it came from. Codes are turned into their groups here, once, from the same code lists
the ingest validates against.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import String
from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.codes import code_list
from scorecard.metrics.history import derive_periods_of_care
from scorecard.periods import months_between
from scorecard.vocabulary import (DATED, RECORD_KEYS, SPANS, STATUS, CompleteFile, Completeness, omissions,
                                  same_missing_episodes)

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
EXTRACT_COLUMNS = list(store.EXTRACT_COLUMNS)
_VERSION_ORDER = ["extract_as_at", "extract_id", "source_row"]
_RECORD_FIELDS = frozenset(c.name for t in store.RECORD_TABLES.values() for c in t.c) - {"id", "extract_id",
                                                                                          "source_row"}


@dataclass
class Records:
    """A council's records, deduplicated, with the extracts they can come from."""

    council: str
    frames: dict[str, pd.DataFrame]
    extracts: pd.DataFrame  # EXTRACT_COLUMNS
    _covering: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)
    _status_months: set[tuple[str, str]] = field(default_factory=set, repr=False)
    _rules: dict[int, Completeness] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.extracts.itertuples(index=False):
            rule = self._rules[int(row.id)] = Completeness.parse(row.complete_for)
            for month in months_between(row.first_month, row.last_month):
                self._covering.setdefault((row.dataset, month), []).append(int(row.id))
            if rule.kind == STATUS:
                self._status_months.add((row.dataset, row.last_month))

    def __getitem__(self, dataset: str) -> pd.DataFrame:
        return self.frames[dataset]

    def has_month(self, dataset: str, period: str, status_ok: bool = True) -> bool:
        """Whether a current extract of this dataset covers the month; with `status_ok`
        False, one listing records (not only the 903's status flags as at 31 March)."""
        return bool(self.extract_ids(dataset, period, status_ok))

    def extract_ids(self, dataset: str, period: str, status_ok: bool = True) -> list[int]:
        """The current extracts of a dataset that cover the month."""
        found = self._covering.get((dataset, period), [])
        return found if status_ok else [i for i in found if self._rules[i].kind != STATUS]

    def formats(self, dataset: str, period: str) -> set[str]:
        """The source formats ('template', 'ssda903') of the extracts covering a month."""
        ids = set(self.extract_ids(dataset, period))
        return set(self.extracts.loc[self.extracts["id"].isin(ids), "source_format"])

    def only(self, dataset: str, period: str) -> str | None:
        """The flag every extract covering the month narrows its records to (the 903 lists
        the missing episodes of children in care only), or None when one lists them all."""
        scopes = {self._rules[i].only for i in self.extract_ids(dataset, period, status_ok=False)}
        return scopes.pop() if len(scopes) == 1 else None

    def missing_months(self, dataset: str, months: Sequence[str]) -> list[str]:
        """Which of these months no extract of the dataset covers. A status extract (the
        903's OC2 flags as at 31 March) answers for the year to its month on its own."""
        if months and (dataset, months[-1]) in self._status_months:
            return []
        return [m for m in months if (dataset, m) not in self._covering]

    def all_periods(self) -> list[str]:
        return sorted({month for _, month in self._covering})

    def all_covered(self, dataset: str) -> set[str]:
        """Every month some current extract of the dataset covers."""
        return {month for name, month in self._covering if name == dataset}


def load_records(engine: Engine, council: str, source_formats: Sequence[str] | None = None) -> Records:
    """The council's current records; `source_formats` keeps only extracts of those formats
    ('template' for monthly extracts, 'ssda903' for returns), as `scorecard reconcile` does."""
    with store.read_connection(engine) as conn:
        extracts = pd.DataFrame(store.current_extracts(conn, council, source_formats), columns=EXTRACT_COLUMNS)
        frames = {}
        for dataset in store.RECORD_TABLES:
            names, rows = store.current_records(conn, council, dataset, source_formats=source_formats)
            # Column by column: pandas inspects every row object it is given as a record,
            # which on SQLAlchemy rows costs more than the query.
            columns = zip(*rows) if rows else ([] for _ in names)
            frame = pd.DataFrame({name: _column(dataset, name, values) for name, values in zip(names, columns)})
            frames[dataset] = prepare(dataset, frame, extracts)
    return Records(council=council, frames=frames, extracts=extracts)


def _column(dataset: str, name: str, values) -> pd.Series | list:
    # Text as plain Python strings from the start: pandas would otherwise build Arrow
    # strings, which cost more on the row selections the cohorts make every month.
    table = store.RECORD_TABLES[dataset]
    if name == "extract_as_at" or (name in table.c and isinstance(table.c[name].type, String)):
        return pd.Series(values, dtype=object)
    return list(values)


def prepare(dataset: str, frame: pd.DataFrame, extracts: pd.DataFrame) -> pd.DataFrame:
    """Types, latest version of each record, omissions, and the columns derived once per load."""
    for column in frame.columns:
        if column in DATE_COLUMNS.get(dataset, ()) or column in DATETIME_COLUMNS.get(dataset, ()):
            frame[column] = _parse(frame[column])
        elif frame[column].dtype == "str":  # records built in tests or by other callers
            frame[column] = frame[column].astype(object)
    frame["extract_as_at"] = frame["extract_as_at"].astype(str).str.slice(0, 10)
    if dataset == "health_assessments":
        frame["due_or_done"] = frame["date_due"].fillna(frame["date_completed"])
    if dataset == "missing_episodes":
        frame["episode_id"] = same_episode_ids(frame, extracts)
    frame = latest_versions(frame, RECORD_KEYS[dataset], extracts)
    frame = apply_omissions(dataset, frame, extracts)
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


def same_episode_ids(frame: pd.DataFrame, extracts: pd.DataFrame) -> pd.Series:
    """A return's missing episodes take the ids of the monthly extracts' episodes they are
    (`scorecard.vocabulary.same_missing_episodes`), so the two are versions of one record."""
    ids = frame["episode_id"]
    returns = set(extracts.loc[extracts["source_format"] == "ssda903", "id"])
    from_return = frame["extract_id"].isin(returns).to_numpy()
    if not from_return.any() or from_return.all():
        return ids
    sides = [list(zip(ids[mask], frame["child_id"][mask], frame["missing_from"][mask].astype(str)))
             for mask in (from_return, ~from_return)]
    renaming = same_missing_episodes(*(list({e[0]: e for e in side}.values()) for side in sides))
    return ids.map(lambda episode: renaming.get(episode, episode)).astype(object)


def latest_versions(frame: pd.DataFrame, key: tuple[str, ...], extracts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per key: the one from the extract as at the latest date (the latest load if
    two), with each field a file does not have taken from the latest version that has it."""
    repeated = frame.duplicated(list(key), keep=False).to_numpy()
    if not repeated.any():
        return frame.reset_index(drop=True)
    # Only records that appear more than once need sorting into their versions.
    versions = frame.loc[repeated].sort_values(_VERSION_ORDER, kind="stable")
    latest = versions.drop_duplicates(list(key), keep="last").copy()
    _fill_fields_not_carried(latest, versions, key, extracts)
    _keep_times_of_day(latest, versions, key)
    return pd.concat([frame.loc[~repeated], latest], ignore_index=True)


def _fill_fields_not_carried(latest: pd.DataFrame, versions: pd.DataFrame, key: tuple[str, ...],
                             extracts: pd.DataFrame | None) -> None:
    """A file says nothing about the fields it does not have: take those from the latest
    version whose file has them (a monthly extract's district under a return's episode)."""
    if extracts is None or "fields" not in extracts or not len(latest):
        return
    ids = versions["extract_id"].to_numpy(dtype=np.int64)
    known = extracts[extracts["id"].isin(set(ids)) & extracts["fields"].notna()]
    carried = {int(i): set(str(f).split(",")) for i, f in zip(known["id"], known["fields"])}
    if not carried:
        return
    names = set.union(*carried.values()) - set.intersection(*carried.values())
    size = int(max(ids.max(), latest["extract_id"].max())) + 1
    for name in sorted(names & set(latest.columns) & _RECORD_FIELDS):
        by_id = np.ones(size, dtype=bool)  # extracts saying nothing of their fields carry them all
        for extract_id, fields in carried.items():
            by_id[extract_id] = name in fields
        lacking = ~by_id[latest["extract_id"].to_numpy(dtype=np.int64)]
        having = versions.loc[by_id[ids]].drop_duplicates(list(key), keep="last")
        if not lacking.any() or having.empty:
            continue
        values = having.set_index(list(key))[name]
        wanted = latest.loc[lacking, list(key)]
        found = values.reindex(pd.MultiIndex.from_frame(wanted) if len(key) > 1 else wanted[key[0]])
        present = found.notna().to_numpy()
        column = latest[name].to_numpy().copy() if latest[name].dtype != object else \
            latest[name].to_numpy(dtype=object).copy()
        column[np.flatnonzero(lacking)[present]] = found.to_numpy()[present]
        latest[name] = pd.Series(column, index=latest.index, dtype=latest[name].dtype)


def _keep_times_of_day(latest: pd.DataFrame, versions: pd.DataFrame, key: tuple[str, ...]) -> None:
    """A later file giving a date without its time (the 903: midnight) keeps the time an
    earlier file gave for the same day."""
    for name in [c for c in latest.columns if str(latest[c].dtype).startswith("datetime64[s")]:
        values = latest[name].to_numpy()
        midnight = ~np.isnat(values) & (values == values.astype("datetime64[D]"))
        if not midnight.any():
            continue
        timed = versions.loc[~np.isnat(versions[name].to_numpy())
                             & (versions[name].to_numpy() != versions[name].to_numpy().astype("datetime64[D]"))]
        if timed.empty:
            continue
        timed = timed.assign(_day=timed[name].to_numpy().astype("datetime64[D]"))
        lookup = timed.drop_duplicates([*key, "_day"], keep="last").set_index([*key, "_day"])[name]
        wanted = latest.loc[midnight, list(key)].assign(_day=values[midnight].astype("datetime64[D]"))
        found = lookup.reindex(pd.MultiIndex.from_frame(wanted)).to_numpy()
        keep = ~np.isnat(found)
        values = values.copy()
        values[np.flatnonzero(midnight)[keep]] = found[keep]
        latest[name] = values


def apply_omissions(dataset: str, frame: pd.DataFrame, extracts: pd.DataFrame) -> pd.DataFrame:
    """Records a later complete file leaves out: ended by its first day, or withdrawn.

    A record's latest version comes from the latest-dated file that lists it, so every
    file dated later than that does not list it: each such file with a `spans` or
    `dated` rule says the record was not in its months (`Completeness.apply_omission`).
    """
    own = extracts[(extracts["dataset"] == dataset) & extracts["complete_for"].notna()]
    files = [CompleteFile(Completeness.parse(row.complete_for), row.first_month, str(row.as_at)[:10])
             for row in own.itertuples(index=False)]
    files = [f for f in files if f.rule.kind in (SPANS, DATED)]
    if not files or frame.empty:
        return frame
    names = {name for f in files for name in f.rule.date_columns}
    columns = {name: frame[name].to_numpy().astype("datetime64[D]") for name in names if name in frame}
    flags = {f.rule.only: frame[f.rule.only].fillna(False).to_numpy(dtype=bool) for f in files if f.rule.only}
    withdrawn, clipped, ends = omissions(files, columns, flags, frame["extract_as_at"].to_numpy(dtype=object))
    if dataset == "children_in_care" and "episode_end" in ends:
        ends["episode_end"] = _bridge_to_continuations(frame, ends["episode_end"], clipped)
    for name, values in ends.items():
        frame[name] = values.astype("datetime64[s]")
    return frame.loc[~withdrawn].reset_index(drop=True) if withdrawn.any() else frame


def _bridge_to_continuations(frame: pd.DataFrame, ends: np.ndarray, clipped: np.ndarray) -> np.ndarray:
    """An episode a later file left out, taken as ended by that file's first day, ends
    instead when the child's next episode begins, where that episode continues the period
    of care (RNE not S) and begins later: a return that starts a child's year with a
    continuing episode from inside the year has left out the one open on 1 April, and the
    child was in care, in the earlier placement, until the new one began."""
    if not clipped.any():
        return ends
    order = np.lexsort((frame["episode_start"].to_numpy(), frame["child_id"].to_numpy(dtype=object)))
    child = frame["child_id"].to_numpy(dtype=object)[order]
    start = frame["episode_start"].to_numpy().astype("datetime64[D]")[order]
    reason = frame["reason_new_episode"].to_numpy(dtype=object)[order]
    original = frame["episode_end"].to_numpy().astype("datetime64[D]")[order]
    ends = ends.copy()
    for position in np.flatnonzero(clipped[order][:-1]):
        following = position + 1
        row = order[position]
        if (child[following] == child[position] and reason[following] not in (None, "S")
                and start[following] > ends[row]
                and (np.isnat(original[position]) or start[following] <= original[position])):
            ends[row] = start[following]
    return ends


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
    """Periods of care and placements from the child's whole history (`history.py`), then
    the groups and breakdown labels, once per load rather than once per month."""
    frame = derive_periods_of_care(frame)
    frame["placement_group"] = code_groups(frame["placement_type"], "placement_type")
    frame["provider_group"] = code_groups(frame["placement_provider"], "placement_provider")
    frame["sex_group"] = code_groups(frame["sex"], "sex")
    frame["ethnic_group"] = code_groups(frame["ethnicity"], "ethnicity", unknown="Not known")
    frame["legal_group"] = code_groups(frame["legal_status"], "legal_status")
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

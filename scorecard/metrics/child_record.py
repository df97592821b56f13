"""A child's details on a day, from their children in care record, for cohorts of events
whose own file lacks them (a visit or a health assessment names the child, not their age
or district). Nothing is guessed: without a care record begun by that day, 'Not recorded'.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.metrics.calendar import years_between
from scorecard.metrics.records import NOT_RECORDED, text

AGE_BANDS = ((0, "Under 1"), (1, "1 to 4"), (5, "5 to 9"), (10, "10 to 15"), (16, "16 and over"))
# The column naming the care record's extract: a group's figure made from it names that file.
CHILD_RECORD_EXTRACT = "child_record_extract"


def age_band(ages: np.ndarray) -> np.ndarray:
    bounds = np.array([lower for lower, _ in AGE_BANDS])
    names = np.array([name for _, name in AGE_BANDS], dtype=object)
    return names[np.searchsorted(bounds, ages, side="right") - 1]


def with_child_record(ctx, frame: pd.DataFrame, days: np.ndarray) -> pd.DataFrame:
    """The frame with each child's age band on the day, their district, and the extract
    those came from (`CHILD_RECORD_EXTRACT`; blank where the store holds no record).
    `ctx` is the cohorts' Context: the records, and `once` to index the episodes once."""
    district, born, extract = _child_on_day(ctx, frame["child_id"].to_numpy(dtype=object), days)
    known = ~np.isnat(born)
    ages = years_between(np.where(known, born, np.datetime64("2000-01-01")), days)
    frame["age_band"] = text(np.where(known, age_band(np.maximum(ages, 0)), NOT_RECORDED), frame.index)
    frame["district_label"] = text(district, frame.index)
    frame[CHILD_RECORD_EXTRACT] = extract
    return frame


def _child_on_day(ctx, children: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each (child, day): the district of the child's latest children in care episode
    begun on or before the day (an event after the child left care keeps the district they
    had), the child's date of birth, and the extract of that episode.

    'Not recorded' and NaT where the store has no such episode: never a guess from a later one."""
    episodes = ctx.once("episodes by start", lambda: _episodes_by_start(ctx.records["children_in_care"]))
    wanted = pd.DataFrame({"child_id": pd.Series(children, dtype=object), "day": days.astype("datetime64[s]"),
                           "position": np.arange(len(children))})
    wanted = wanted[~np.isnat(wanted["day"].to_numpy())].sort_values("day", kind="stable")
    found = pd.merge_asof(wanted, episodes, left_on="day", right_on="episode_start", by="child_id",
                          direction="backward")
    district = np.full(len(children), NOT_RECORDED, dtype=object)
    born = np.full(len(children), np.datetime64("NaT"), dtype="datetime64[s]")
    extract = np.full(len(children), np.nan)
    matched = found["episode_start"].notna().to_numpy()
    at = found["position"].to_numpy()[matched]
    district[at] = found["district_label"].to_numpy(dtype=object)[matched]
    born[at] = found["date_of_birth"].to_numpy()[matched]
    extract[at] = found["extract_id"].to_numpy(dtype=float)[matched]
    return district, born, extract


def _episodes_by_start(episodes: pd.DataFrame) -> pd.DataFrame:
    columns = ["child_id", "episode_start", "district_label", "date_of_birth", "extract_id"]
    ordered = episodes.loc[episodes["episode_start"].notna(), columns].sort_values("episode_start", kind="stable")
    ordered["child_id"] = ordered["child_id"].astype(object)
    ordered["episode_start"] = ordered["episode_start"].astype("datetime64[s]")
    return ordered.reset_index(drop=True)

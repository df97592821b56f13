"""A child's history in care, from all of the child's current records in the store.

A period of care is a run of episodes: it begins with an episode whose reason is "started
to be looked after" (RNE S), and every other reason continues it, as in the DfE's own
derivation, whatever file or year each episode came from. Without a reason (an export
that does not give one) a gap between episodes begins a new period. A monthly extract
may give the period's start itself; it is used where given.

What the store cannot know is said, not guessed. A child whose earliest stored episode
continues a period (the first return loaded starts, for a child in care for years, with
the episode open on 1 April) has an unknown period start: the earliest episode's start
is a lower bound. Each question asked of the history ("in care 12 months?", "same
placement 2 years?", "3 placements in 12 months?") is then answered where the lower
bound is enough, and marked unknown where it is not (`*_unknown` columns in the cohorts).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Reasons for a new episode that begin a new placement (all but a change of legal status only).
NEW_PLACEMENT_REASONS = frozenset({"S", "P", "T", "B", "U"})
SAME_PLACEMENT_REASONS = frozenset({"L"})
STARTED = "S"


def _first_in_group(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each row's value at the first row of its group (rows are sorted by group)."""
    starts = np.r_[True, groups[1:] != groups[:-1]] if groups.size else np.zeros(0, dtype=bool)
    return values[np.flatnonzero(starts)][np.cumsum(starts) - 1]


def derive_periods_of_care(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort a council's episodes by child and start, and add:

    - `child_number`: the child's position (0, 1, ...), for dense per-child arrays;
    - `period_start` (given, or worked out) and `period_start_known`;
    - `placement_number` (a child's placements in order, counting across periods) and
      `placement_start`, with `placement_start_known`: a run of episodes that changed
      only the legal status is one placement;
    - `history_before_unknown`: the child's earliest stored episode does not begin a
      period of care whose start is known, so earlier episodes of that period are missing;
      `first_known_start`: that episode's start.
    """
    frame = frame.sort_values(["child_id", "episode_start"], kind="stable").reset_index(drop=True)
    child = pd.factorize(frame["child_id"])[0]
    frame["child_number"] = child
    count = len(frame)
    new_child = np.r_[True, child[1:] != child[:-1]] if count else np.zeros(0, dtype=bool)
    start = frame["episode_start"].to_numpy()
    end = frame["episode_end"].to_numpy()
    given = frame["period_start"].to_numpy() if "period_start" in frame else np.full(count, np.datetime64("NaT"))
    reason = frame["reason_new_episode"].to_numpy(dtype=object)
    no_reason = pd.isna(reason)
    previous_end = np.r_[np.datetime64("NaT"), end[:-1]] if count else end
    previous_given = np.r_[np.datetime64("NaT"), given[:-1]] if count else given
    gap = ~np.isnat(previous_end) & (previous_end < start)
    new_period = (new_child | (reason == STARTED) | (no_reason & gap)
                  | (~np.isnat(given) & ((given == start) | (~np.isnat(previous_given) & (given != previous_given)))))
    period = np.cumsum(new_period)
    first_start = _first_in_group(period, start)
    first_reason = _first_in_group(period, reason)
    given_in_period = pd.Series(given).groupby(period).transform("min").to_numpy()
    known = ~np.isnat(given_in_period) | (first_reason == STARTED)
    period_start = np.where(np.isnat(given_in_period), first_start, given_in_period)
    complete = known & (first_start == period_start)  # every episode of the period is stored
    frame["period_start"] = period_start.astype("datetime64[s]")
    frame["period_start_known"] = known

    new_placement = new_period | ~np.isin(reason, list(SAME_PLACEMENT_REASONS))
    placement = np.cumsum(new_placement)
    frame["placement_number"] = placement
    frame["placement_start"] = _first_in_group(placement, start).astype("datetime64[s]")
    opens_period = _first_in_group(placement, new_period)
    opening_reason = _first_in_group(placement, reason)
    frame["placement_start_known"] = ~opens_period | complete | np.isin(opening_reason, list(NEW_PLACEMENT_REASONS))

    first_row_complete = _first_in_group(child, complete)
    frame["history_before_unknown"] = ~first_row_complete
    frame["first_known_start"] = _first_in_group(child, start).astype("datetime64[s]")
    return frame

"""The event tables of the national store: visits, health assessments, missing episodes with
their return interviews, and care leavers.

Each table is built from the simulated children of `national.py` (which imports this module
and writes the store); this module also holds the small vectorised helpers and the regions
both modules use, so the imports run one way, from `national.py` to here.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scorecard.metrics.calendar import add_working_days, years_between  # noqa: E402

if TYPE_CHECKING:
    from national import Window

REGIONS = {"North East": 5, "North West": 14, "Yorkshire and The Humber": 10, "East Midlands": 7,
           "West Midlands": 12, "East of England": 9, "London": 12, "South East": 14, "South West": 8}

# Rates at scale 1.0.
MISSING_A_MONTH = 10_000
MISSING_IN_CARE_SHARE = 1 / 3
OTHER_CHILDREN_POOL = 60_000  # children not in care who go missing, turning over 3% a month
VISIT_EVERY_DAYS = 42

# Care leavers: looked after 13 weeks since 14 and left at 16 or over, unless adopted, under a
# special guardianship or child arrangements order, transferred or died.
NOT_CARE_LEAVERS = {"E2", "E3", "E11", "E12", "E41", "E43", "E44", "E45", "E46", "E47", "E48"}
MISSING_HOURS = dict(enumerate((3, 2, 1.5, 1, 0.6, 0.5, 0.6, 1, 1.5, 2, 2, 2.5, 3, 3.5, 4, 5, 6.5, 8, 9, 10, 10,
                                9, 7, 5)))
RHI_OUTCOMES = {"completed": 81, "refused_child": 7, "missing_again": 5, "refused_parent": 3, "not_completed": 2.5,
                "exempt": 1.5}
IN_TOUCH_18 = {"YES": 96, "NO": 1.5, "REFU": 1, "NREQ": 1.5}
IN_TOUCH_19_21 = {"YES": 89, "NO": 4, "REFU": 3, "NREQ": 2.6, "RHOM": 1.2, "DIED": 0.2}
ACTIVITY_17_18 = {"F2": 45, "P2": 5, "F4": 6, "F5": 9, "P5": 3, "G4": 6, "G5": 21, "G6": 5}
ACTIVITY_19_21 = {"F1": 9, "P1": 2, "F2": 12, "P2": 4, "F4": 6, "P4": 1, "F5": 16, "P5": 7, "G4": 10, "G5": 20,
                  "G6": 8}
ACCOM_18 = {"D1": 36, "E1": 17, "B1": 13, "U1": 9, "C1": 6, "T1": 5, "K1": 2, "Y1": 2, "D2": 1.5, "B2": 1,
            "S2": 0.5, "V2": 0.5, "W2": 0.5, "E2": 0.5}
ACCOM_19_21 = {"U1": 40, "D1": 18, "B1": 14, "E1": 8, "T1": 3, "K1": 3, "C1": 2, "Y1": 2, "G1": 0.5, "R1": 0.5,
               "U2": 1.2, "D2": 1, "B2": 0.8, "S2": 0.8, "X2": 0.5, "V2": 0.3, "W2": 0.2, "K2": 0.2}

DAY_SECONDS = 86_400


# -- small vectorised helpers ----------------------------------------------------------------------

def pick(rng: np.random.Generator, table: dict, size: int) -> np.ndarray:
    """`size` weighted draws from {value: weight}, as an object array (values as given)."""
    values = np.empty(len(table), dtype=object)
    values[:] = list(table)
    weights = np.fromiter(table.values(), float)
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def ranges(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts [2, 0, 3]: owners [0, 0, 2, 2, 2] and positions [0, 1, 0, 1, 2]."""
    counts = np.asarray(counts, dtype=np.int64)
    owners = np.repeat(np.arange(len(counts)), counts)
    firsts = np.cumsum(counts) - counts
    return owners, np.arange(counts.sum()) - firsts[owners]


def days(values: np.ndarray) -> np.ndarray:
    """int64 days since 1970 as datetime64[D]."""
    return np.asarray(values, dtype=np.int64).astype("datetime64[D]")


def month_of(day_numbers: np.ndarray, first_month: np.datetime64) -> np.ndarray:
    """Index of each day's month counted from `first_month` (datetime64[M])."""
    return (days(day_numbers).astype("datetime64[M]") - first_month).astype(np.int64)


def add_years(dob: np.ndarray, years: int) -> np.ndarray:
    """The date `years` years after each date of birth (29 February: 1 March), as day numbers."""
    born = days(dob)
    month = born.astype("datetime64[M]")
    offset = (born - month.astype("datetime64[D]")).astype(np.int64)
    return (month + 12 * years).astype("datetime64[D]").astype(np.int64) + offset


# -- the event tables ------------------------------------------------------------------------------

def visits_table(rng: np.random.Generator, children: dict, who: np.ndarray, window: Window) -> dict:
    """A visit a week after entering care, then every six weeks until care ends."""
    first_due = children["entry"][who] + 7
    stop = np.minimum(children["end"][who], window.last_day + 1)  # dues before this
    total = np.maximum(0, -(-(stop - first_due) // VISIT_EVERY_DAYS))
    skipped = np.clip(-(-(window.first_day - first_due) // VISIT_EVERY_DAYS), 0, total)
    owner, position = ranges(total - skipped)
    child = who[owner]
    due = first_due[owner] + (skipped[owner] + position) * VISIT_EVERY_DAYS
    n = len(due)
    draw = rng.random(n)
    done = np.where(draw < 0.875, due - rng.integers(0, 10, n), due + rng.integers(1, 25, n))
    done = np.maximum(done, children["entry"][child])
    blank = (draw >= 0.975) | (done >= children["end"][child]) | (done > window.last_day)
    return {
        "_month": month_of(due, window.first_month),
        "child_id": children["child_id"][child],
        "date_due": days(due),
        "date_done": np.where(blank, np.datetime64("NaT"), days(done)).astype("datetime64[D]"),
        "team": children["team"][child],
    }


def health_table(rng: np.random.Generator, children: dict, who: np.ndarray, window: Window,
                 placements: dict) -> dict:
    """Initial assessments, reviews (six-monthly under 5, yearly from 5) and yearly dental checks."""
    entry, end, dob = children["entry"][who], children["end"][who], children["dob"][who]
    stop = np.minimum(end, window.last_day + 1)
    parts = []
    initial_due = add_working_days(days(entry), 20).astype(np.int64)
    parts.append(("initial", np.arange(len(who)), initial_due, entry))
    half_years = np.maximum(0, (stop - entry - 1) // 182)
    owner, position = ranges(half_years)
    due = entry[owner] + (position + 1) * 182
    under_5 = years_between(days(dob[owner]), days(due)) < 5
    yearly = (position % 2) == 1
    review = under_5 | yearly
    parts.append(("review", owner[review], due[review], None))
    owner, position = ranges(np.maximum(0, (stop - entry - 1) // 365))
    parts.append(("dental", owner, entry[owner] + (position + 1) * 365, None))

    kinds, owners, dues, looked_after = [], [], [], []
    for kind, owner, due, started in parts:
        keep = (due >= window.first_day) & (due < stop[owner])
        kinds.append(np.full(int(keep.sum()), kind, dtype=object))
        owners.append(owner[keep])
        dues.append(due[keep])
        looked_after.append(started[keep] if started is not None else np.full(int(keep.sum()), -1))
    kind = np.concatenate(kinds)
    owner = np.concatenate(owners)
    due = np.concatenate(dues)
    looked_after = np.concatenate(looked_after)
    child = who[owner]
    n = len(due)
    # Where the child lived when it fell due: the latest episode started by then.
    key = placements["child"].astype(np.int64) * 100_000 + placements["start"]
    at = np.searchsorted(key, child.astype(np.int64) * 100_000 + due, side="right") - 1
    in_area = placements["in_area"][at]
    host = np.where(in_area, None, placements["placement_la"][at]).astype(object)
    initial = kind == "initial"
    on_time = np.select([initial & in_area, initial], [0.85, 0.40], np.where(kind == "dental", 0.80, 0.86))
    never = np.where(kind == "dental", 0.15, 0.05)
    late_days = np.where(initial & ~in_area, 90, 60)
    first, second = rng.random(n), rng.random(n)
    done = np.where(first < on_time, np.maximum(due - rng.integers(0, 16, n), children["entry"][child] + 2),
                    due + 1 + (rng.random(n) * late_days).astype(np.int64))
    blank = ((first >= on_time) & (second < never)) | (done >= children["end"][child]) | (done > window.last_day)
    return {
        "_month": month_of(due, window.first_month),
        "child_id": children["child_id"][child],
        "assessment_type": kind,
        "looked_after_date": np.where(looked_after >= 0, days(looked_after), np.datetime64("NaT")).astype(
            "datetime64[D]"),
        "date_due": days(due),
        "date_completed": np.where(blank, np.datetime64("NaT"), days(done)).astype("datetime64[D]"),
        "placed_in_area": in_area,
        "host_la": host,
    }


def missing_tables(rng: np.random.Generator, children: dict, who: np.ndarray, window: Window,
                   scale: float) -> tuple[dict, dict]:
    """Missing episodes month by month (children in care and others) and their return interviews."""
    entry, end, dob = children["entry"][who], children["end"][who], children["dob"][who]
    propensity = children["missing_propensity"][who]
    pool_size = max(100, int(OTHER_CHILDREN_POOL * scale))
    pool_id = np.arange(pool_size)
    next_other = pool_size
    pool_propensity = rng.lognormal(0, 1.4, pool_size)
    pool_region = pick(rng, {i: w for i, w in enumerate(REGIONS.values())}, pool_size).astype(np.int64)
    hour_values = np.fromiter(MISSING_HOURS, np.int64)
    hour_weights = np.fromiter(MISSING_HOURS.values(), float)
    hour_weights /= hour_weights.sum()
    parts = []
    for k in range(window.months):
        first, last = window.month_first[k], window.month_last[k]
        in_care = (entry <= last) & (end > first)
        age = years_between(days(dob[in_care]), days(np.full(int(in_care.sum()), last)))
        candidates = np.flatnonzero(in_care)[age >= 10]
        weight = propensity[candidates] * np.where(age[age >= 10] >= 13, 1.0, 0.3)
        n_care = rng.poisson(MISSING_A_MONTH * MISSING_IN_CARE_SHARE * scale)
        chosen = candidates[rng.choice(len(candidates), n_care, p=weight / weight.sum())]
        lo = np.maximum(first, entry[chosen])
        hi = np.minimum(last, end[chosen] - 1)
        care_day = lo + (rng.random(n_care) * (hi - lo + 1)).astype(np.int64)
        # Other children: a pool that turns over slowly.
        turnover = rng.choice(pool_size, max(1, pool_size * 3 // 100), replace=False)
        pool_id[turnover] = next_other + np.arange(len(turnover))
        next_other += len(turnover)
        pool_propensity[turnover] = rng.lognormal(0, 1.4, len(turnover))
        n_other = rng.poisson(MISSING_A_MONTH * (1 - MISSING_IN_CARE_SHARE) * scale)
        others = rng.choice(pool_size, n_other, p=pool_propensity / pool_propensity.sum())
        other_day = first + rng.integers(0, last - first + 1, n_other)
        day = np.concatenate([care_day, other_day])
        n = len(day)
        hours = rng.choice(hour_values, n, p=hour_weights)
        went = day * DAY_SECONDS + hours * 3600 + rng.integers(0, 60, n) * 60
        away = np.clip(rng.lognormal(np.log(7), 1.25, n), 0.5, 240)
        found = went + np.round(away * 60).astype(np.int64) * 60
        order = np.argsort(went, kind="stable")
        is_care = np.arange(n) < n_care
        child_ids = np.concatenate([children["child_id"][who[chosen]],
                                    np.array([f"M{i:08d}" for i in pool_id[others]], dtype=object)])
        region = np.concatenate([children["region"][who[chosen]], pool_region[others]])
        parts.append({"went": went[order], "found": found[order], "in_care": is_care[order],
                      "child_id": child_ids[order], "region": region[order]})
    went = np.concatenate([p["went"] for p in parts])
    found = np.concatenate([p["found"] for p in parts])
    in_care = np.concatenate([p["in_care"] for p in parts])
    child_id = np.concatenate([p["child_id"] for p in parts])
    region = np.concatenate([p["region"] for p in parts])
    n = len(went)
    episode_id = np.array([f"ME{i:09d}" for i in 1_000_000 + np.arange(n)], dtype=object)
    window_end = (window.last_day + 1) * DAY_SECONDS - 1
    still_missing = found > window_end
    seconds = "datetime64[s]"
    episodes = {
        "_month": month_of(went // DAY_SECONDS, window.first_month),
        "episode_id": episode_id,
        "child_id": child_id,
        "in_care": in_care,
        "missing_from": went.astype(seconds),
        "found_at": np.where(still_missing, np.datetime64("NaT"), found.astype(seconds)).astype(seconds),
        "absence_type": np.where(in_care & (rng.random(n) < 0.3), "A", "M").astype(object),
        "district": np.array(list(REGIONS), dtype=object)[region],
    }
    # Return home interviews: for most episodes found.
    has = ~still_missing & (rng.random(n) < 0.96)
    idx = np.flatnonzero(has)
    m = len(idx)
    outcome = pick(rng, RHI_OUTCOMES, m)
    completed = outcome == "completed"
    offered = found[idx] + (rng.uniform(1, 5, m) * 3600).astype(np.int64) // 60 * 60
    quick = rng.random(m) < 0.45
    wait_hours = np.where(quick, rng.uniform(4, 72, m), rng.uniform(72, 240, m))
    held = found[idx] + (wait_hours * 3600).astype(np.int64) // 900 * 900
    keep = ~completed | (held <= window_end)
    record_month = np.where(completed, month_of(held // DAY_SECONDS, window.first_month),
                            episodes["_month"][idx])
    offered_at = np.where(outcome == "exempt", np.datetime64("NaT"), offered.astype(seconds)).astype(seconds)
    interviews = {
        "_month": record_month[keep],
        "episode_id": episode_id[idx][keep],
        "child_id": child_id[idx][keep],
        "outcome": outcome[keep],
        "offered_at": offered_at[keep],
        "held_at": np.where(completed, held.astype(seconds), np.datetime64("NaT")).astype(seconds)[keep],
    }
    return episodes, interviews


def care_leavers_table(rng: np.random.Generator, children: dict, window: Window) -> dict:
    """Rows for the 17th-21st birthdays (after leaving) of children who left care aged 16 or over."""
    entry, end, dob = children["entry"], children["end"], children["dob"]
    left_at = years_between(days(dob), days(end))
    since = np.maximum(entry, add_years(dob, 14))
    leaver = ((end <= window.last_day) & (left_at >= 16) & (end - since >= 91)
              & ~np.isin(children["reason"], list(NOT_CARE_LEAVERS)))
    who = np.flatnonzero(leaver)
    rows = []
    for age in range(17, 22):
        birthday = add_years(dob[who], age)
        keep = (birthday >= end[who]) & (birthday >= window.first_day) & (birthday <= window.last_day)
        rows.append((who[keep], birthday[keep], np.full(int(keep.sum()), age)))
    child = np.concatenate([r[0] for r in rows])
    birthday = np.concatenate([r[1] for r in rows])
    age = np.concatenate([r[2] for r in rows])
    n = len(child)
    younger = age <= 18
    in_touch = np.where(younger, pick(rng, IN_TOUCH_18, n), pick(rng, IN_TOUCH_19_21, n)).astype(object)
    activity = np.where(younger, pick(rng, ACTIVITY_17_18, n), pick(rng, ACTIVITY_19_21, n)).astype(object)
    accommodation = np.where(younger, pick(rng, ACCOM_18, n), pick(rng, ACCOM_19_21, n)).astype(object)
    staying_put = (children["reason"][child] == "E17") & (rng.random(n) < np.select(
        [age == 18, age <= 20], [0.9, 0.35], 0.1))
    accommodation[staying_put] = "Z1"
    not_in_touch = in_touch != "YES"
    activity[not_in_touch] = "0"
    accommodation[not_in_touch] = "0"
    return {
        "_month": month_of(birthday, window.first_month),
        "child_id": children["child_id"][child],
        "date_of_birth": days(dob[child]),
        "birthday": days(birthday),
        "in_touch": in_touch,
        "activity": activity,
        "accommodation": accommodation,
    }

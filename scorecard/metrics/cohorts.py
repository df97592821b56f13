"""Cohorts: the named measure functions that say which children or events count in a month.

metrics.yaml declares an indicator as filters over one cohort's columns ("of the children
in care at month end who are not UASC, those placed out of area"). Whatever filters
cannot say (three placements in twelve months, twenty working days, seventy-two hours,
the care leavers' birthday window) is worked out here, once per month, as a column.

Each cohort registers the datasets it reads, the columns filters may use, and the
breakdowns it offers; metrics.yaml is checked against those lists. Every frame carries
`extract_id` (and `*_extract_id` for records joined in) so each figure names its files, and
`source_row`, so that the records behind a figure can be listed (`records_behind`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.councils import area_name
from scorecard.metrics.calendar import (
    DAY,
    Month,
    add_working_days,
    same_day_months_before,
    years_between,
)
from scorecard.metrics.child_record import (
    AGE_BANDS,
    CHILD_RECORD_EXTRACT,
    age_band,
    with_child_record,
)
from scorecard.metrics.records import NOT_RECORDED, Records, area_labels, labels, text

IHA_WORKING_DAYS = 20
RHI_HOURS = 72
STABILITY_WINDOW_MONTHS = 12
LONG_TERM_CARE_MONTHS = 30
LONG_TERM_PLACEMENT_MONTHS = 24
CARE_LEAVER_WINDOW_MONTHS = 12



@dataclass(frozen=True)
class Breakdown:
    name: str
    label: str
    column: str
    # The cohort columns the groups are made from: an indicator that tests one of them
    # has groups that are all or nothing, and is not offered the breakdown by default.
    sources: tuple[str, ...] = ()


BREAKDOWNS: dict[str, Breakdown] = {b.name: b for b in (
    Breakdown("area", "In or out of area", "area", ("placed_in_area",)),
    Breakdown("uasc", "UASC or not", "uasc_status", ("uasc",)),
    Breakdown("age_band", "Age band", "age_band", ("age",)),
    Breakdown("sex", "Sex", "sex_label", ("sex_group",)),
    Breakdown("ethnicity", "Ethnic group", "ethnic_group"),
    Breakdown("legal_status", "Legal status", "legal_label", ("legal_group",)),
    Breakdown("placement_type", "Placement type", "placement_mix_label", ("placement_mix", "placement_group")),
    Breakdown("district", "District", "district_label"),
    Breakdown("team", "Team", "team_label"),
    Breakdown("host_la", "Host council", "host_label"),
    Breakdown("care_status", "Children in care or other children", "care_status", ("in_care",)),
    Breakdown("rhi_outcome", "Return interview outcome", "rhi_outcome_label", ("rhi_completed",)),
    Breakdown("care_leaver_age", "Age at birthday", "age_label", ("age",)),
)}


def default_breakdowns(cohort_name: str, is_count: bool, numerator_columns: set[str],
                       pinned_columns: set[str]) -> tuple[str, ...]:
    """The breakdowns an indicator offers when metrics.yaml lists none: all its cohort's,
    but those whose groups would say nothing. A share whose numerator tests the breakdown
    (the out-of-area share by area) is 0% or 100% in every group; a denominator holding
    the column to one value (UASC excluded) leaves one group."""
    cohort = COHORTS.get(cohort_name)
    if cohort is None:
        return ()
    trivial = pinned_columns | (set() if is_count else numerator_columns)
    return tuple(name for name in cohort.breakdowns
                 if not trivial & {BREAKDOWNS[name].column, *BREAKDOWNS[name].sources})


_AGE_ORDER = {name: index for index, (_, name) in enumerate(AGE_BANDS)}
_UNKNOWN_GROUPS = {NOT_RECORDED, "Not known", "No interview recorded"}


def group_order(breakdown: str, group) -> tuple:
    """Where a group sorts in its breakdown: age bands youngest first, others by name, and
    the groups of unknowns last."""
    text_group = str(group)
    known = text_group not in _UNKNOWN_GROUPS
    if breakdown == "age_band" and text_group in _AGE_ORDER:
        return (0, _AGE_ORDER[text_group], "")
    return (1 if known else 2, 0, text_group)


class Context:
    """The records, and the cohorts already built for the month being computed."""

    def __init__(self, records: Records):
        self.records = records
        self._built: dict[tuple[str, str], pd.DataFrame] = {}
        self._derived: dict[str, Any] = {}

    def cohort(self, name: str, month: Month, joined: bool = False) -> pd.DataFrame:
        """The cohort's frame for the month; with `joined`, also the columns it takes from
        another dataset's records (`Cohort.joined`), which only breakdowns and filters by
        them need: joined for every month of every figure, they would cost more than the rest."""
        key = (name, month.period)
        if key not in self._built:
            self._built[key] = COHORTS[name].build(self, month)
        cohort = COHORTS[name]
        if not joined or not cohort.joined:
            return self._built[key]
        with_joined = (name, f"{month.period} joined")
        if with_joined not in self._built:
            frame = self._built[key]
            self._built[with_joined] = with_child_record(self, frame.copy(), frame[cohort.joined_on].to_numpy())
        return self._built[with_joined]

    def once(self, name: str, build: Callable[[], Any]) -> Any:
        """A frame derived from the records alone, built once for every month."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    def forget(self) -> None:
        """Drop built cohorts: at national scale a month's frames are tens of megabytes."""
        self._built.clear()


@dataclass(frozen=True)
class Cohort:
    name: str
    description: str
    timing: str
    datasets: tuple[str, ...]
    columns: frozenset[str]
    breakdowns: tuple[str, ...]
    build: Callable[[Context, Month], pd.DataFrame]
    # Months of a dataset's extracts that must be loaded before a month can be computed:
    # a look-back over records that only monthly files carry (assessments done last
    # year). Without them the figure would be wrong, not just early.
    history: dict[str, int]
    # Datasets for which the 903's status flags as at 31 March (OC2) answer the cohort's
    # question; for any other, only extracts that list records count.
    status_ok: frozenset[str] = frozenset()
    # Breakdown columns taken from another dataset's records, each with the column naming
    # the extract it came from: a group's figure names that file, the whole figure does not.
    joined: dict[str, str] | None = None
    joined_on: str = ""   # the frame's column of the day the child's care record is read on

    def lineage_columns(self, breakdown_column: str) -> tuple[str, ...]:
        """The extract columns a breakdown's groups add to their figure's lineage."""
        column = (self.joined or {}).get(breakdown_column)
        return (column,) if column else ()


COHORTS: dict[str, Cohort] = {}


def cohort(name: str, *, description: str, timing: str, datasets: tuple[str, ...], columns: set[str],
           breakdowns: tuple[str, ...], history: dict[str, int] | None = None, status_ok: tuple[str, ...] = (),
           joined: dict[str, str] | None = None, joined_on: str = ""):
    """Register a cohort builder under the name metrics.yaml uses."""
    def register(build: Callable[[Context, Month], pd.DataFrame]):
        COHORTS[name] = Cohort(name, description, timing, datasets,
                               frozenset(columns) | {BREAKDOWNS[b].column for b in breakdowns}, breakdowns, build,
                               history or {}, frozenset(status_ok), joined, joined_on)
        return build
    return register


def _dated_in_month(ctx: Context, dataset: str, column: str, month: Month) -> pd.DataFrame:
    """The records whose `column` falls in the month, by binary search in a copy sorted
    once by that column: at national scale a scan of 7 million visits a month is the
    slowest part of the computation, a search is not."""
    ordered, dates = ctx.once(f"{dataset} by {column}", lambda: _sorted_by(ctx.records[dataset], column))
    first, after = np.searchsorted(dates, [month.first, month.after], side="left")
    return ordered.iloc[first:after]


def _sorted_by(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame sorted by a date column (blanks last), and that column's known dates."""
    ordered = frame.sort_values(column, kind="stable", na_position="last")
    dates = ordered[column].to_numpy()
    return ordered, dates[: len(dates) - int(np.isnat(dates).sum())]


CHILD_COLUMNS = {"child_id", "age", "uasc", "placed_in_area", "distance_miles", "placement_group",
                 "placement_mix", "placements_last_12_months", "long_term_cohort", "same_placement_2_years",
                 "looked_after_12_months", "legal_group", "sex_group"}
CHILD_BREAKDOWNS = ("area", "uasc", "age_band", "sex", "ethnicity", "legal_status", "placement_type", "district")
# Columns that need a child's history, with the months of it they look back over. Each
# has an `<column>_unknown` twin: True where the store does not hold enough to say.
HISTORY_COLUMNS = {"placements_last_12_months": STABILITY_WINDOW_MONTHS, "long_term_cohort": LONG_TERM_CARE_MONTHS,
                   "same_placement_2_years": LONG_TERM_PLACEMENT_MONTHS, "looked_after_12_months": 12}


def at_least_months_before(day: np.datetime64, months: int) -> np.datetime64:
    """The latest start that makes `months` months by `day`, counting the start day: in
    care from 1 April 2023 is 12 months at 31 March 2024, as the DfE counts it."""
    return same_day_months_before(day, months) + DAY


@cohort("children_in_care_at_month_end",
        description="children looked after on the last day of the month (one row per child, their open episode)",
        timing="month_end", datasets=("children_in_care",), columns=CHILD_COLUMNS, breakdowns=CHILD_BREAKDOWNS)
def children_in_care_at_month_end(ctx: Context, month: Month) -> pd.DataFrame:
    episodes = ctx.records["children_in_care"]
    start = episodes["episode_start"].to_numpy()
    end = episodes["episode_end"].to_numpy()
    # An episode that ended on the last day does not count: the child left care that day.
    open_now = (start <= month.last) & (np.isnat(end) | (end > month.last))
    # Episodes are sorted by child and start: a child with two open episodes (a data
    # error) counts once, in the later one.
    chosen = np.flatnonzero(open_now)
    child = episodes["child_number"].to_numpy()[chosen]
    last_of_child = np.r_[child[1:] != child[:-1], True] if child.size else np.zeros(0, dtype=bool)
    # Only the columns the cohort keeps are copied each month (a narrow frame made once).
    narrow = ctx.once("children_in_care columns", lambda: episodes[_EPISODE_COLUMNS])
    frame = narrow.iloc[chosen[last_of_child]].reset_index(drop=True)
    age = years_between(frame["date_of_birth"].to_numpy(), month.last)
    frame["age"] = age
    frame["age_band"] = text(age_band(age), frame.index)
    placements, window_first = _placements_in_window(episodes, month, frame["child_number"].to_numpy())
    frame["placements_last_12_months"] = placements
    frame["placements_last_12_months_unknown"] = (frame["history_before_unknown"].to_numpy()
                                                  & (frame["first_known_start"].to_numpy() > window_first)
                                                  & (placements < 3))
    period_start = frame["period_start"].to_numpy()
    known = frame["period_start_known"].to_numpy(dtype=bool)
    twelve = period_start <= at_least_months_before(month.last, 12)
    frame["looked_after_12_months"] = twelve
    frame["looked_after_12_months_unknown"] = ~known & ~twelve
    long_term = period_start <= at_least_months_before(month.last, LONG_TERM_CARE_MONTHS)
    frame["long_term_cohort"] = (age < 16) & long_term
    frame["long_term_cohort_unknown"] = (age < 16) & ~known & ~long_term
    same = ((frame["placement_start"].to_numpy() <= at_least_months_before(month.last, LONG_TERM_PLACEMENT_MONTHS))
            | (frame["placement_group"].to_numpy() == "adoption"))
    frame["same_placement_2_years"] = same
    frame["same_placement_2_years_unknown"] = ~frame["placement_start_known"].to_numpy(dtype=bool) & ~same
    return frame.drop(columns=["date_of_birth", "period_start", "placement_start", "period_start_known",
                               "placement_start_known", "history_before_unknown", "first_known_start"])


_EPISODE_COLUMNS = ["child_id", "extract_id", "source_row", "uasc", "uasc_status", "placed_in_area", "area", "distance_miles",
                    "placement_group", "placement_mix", "placement_mix_label", "legal_group", "legal_label",
                    "sex_group", "sex_label", "ethnic_group", "district_label", "date_of_birth", "period_start",
                    "placement_start", "child_number", "period_start_known", "placement_start_known",
                    "history_before_unknown", "first_known_start"]


def _placements_in_window(episodes: pd.DataFrame, month: Month, children: np.ndarray) -> tuple[np.ndarray, np.datetime64]:
    """How many placements each child had at any time in the twelve months to the month
    end, and the window's first day.

    A placement open when the window starts counts, as does each one begun in it; an
    episode that only changed the legal status is not a new placement.
    """
    first = same_day_months_before(month.last, STABILITY_WINDOW_MONTHS) + DAY
    start = episodes["episode_start"].to_numpy()
    end = episodes["episode_end"].to_numpy()
    in_window = (start <= month.last) & (np.isnat(end) | (end >= first))
    child = episodes["child_number"].to_numpy()[in_window]
    placement = episodes["placement_number"].to_numpy()[in_window]
    # A child's episodes are in date order and numbered by placement, and those touching
    # the window are consecutive: the count is the last number less the first, plus one.
    counts = np.zeros(len(episodes), dtype=int)  # child numbers are below the number of episodes
    if child.size:
        firsts = np.flatnonzero(np.r_[True, child[1:] != child[:-1]])
        lasts = np.r_[firsts[1:], child.size] - 1
        counts[child[firsts]] = placement[lasts] - placement[firsts] + 1
    return counts[children], first


@cohort("looked_after_12_months_at_month_end",
        description="children looked after continuously for 12 months or more at the month end, with "
        "their latest health assessment and dental check",
        timing="month_end", datasets=("children_in_care", "health_assessments"),
        columns=CHILD_COLUMNS | {"health_assessment_up_to_date", "dental_check_up_to_date"},
        breakdowns=CHILD_BREAKDOWNS, history={"health_assessments": 12}, status_ok=("health_assessments",))
def looked_after_12_months_at_month_end(ctx: Context, month: Month) -> pd.DataFrame:
    children = ctx.cohort("children_in_care_at_month_end", month)
    # The SSDA903's OC2 lists the children looked after 12 months at 31 March, with the
    # DfE's up-to-date flags: being listed settles a start the store cannot see.
    flags = ctx.once("status_flags", lambda: _status_flags(ctx)).get(np.datetime64(month.last, "s"), {})
    listed = children["child_id"].isin(flags.get("listed", ())).to_numpy()
    member = children["looked_after_12_months"].to_numpy() | listed
    frame = children.loc[member].reset_index(drop=True)
    # Children who may have been in care 12 months, whose start the store does not hold.
    frame.attrs["undetermined_members"] = int((children["looked_after_12_months_unknown"].to_numpy() & ~listed).sum())
    year_before = same_day_months_before(month.last, 12)
    numbers = frame["child_number"].to_numpy()
    health_done, health_extract = _latest(ctx.once("health_checks", lambda: _completed(ctx, ["initial", "review"])),
                                          numbers, year_before, month.last)
    dental_done, dental_extract = _latest(ctx.once("dental_checks", lambda: _completed(ctx, ["dental"])),
                                          numbers, year_before, month.last)
    # "Within 12 months" means on or after the same date a year before (6 months for under-5s).
    since = np.where(frame["age"].to_numpy() < 5, same_day_months_before(month.last, 6),
                     same_day_months_before(month.last, 12)).astype("datetime64[s]")
    ids = frame["child_id"]
    review, dental = flags.get("review", {}), flags.get("dental", {})
    frame["health_assessment_up_to_date"] = (health_done >= since) | ids.map(review).eq(True).to_numpy()
    frame["dental_check_up_to_date"] = (dental_done >= year_before) | ids.map(dental).eq(True).to_numpy()
    frame["health_extract_id"] = np.where(np.isnan(health_extract), ids.map(flags.get("review_extract", {})),
                                          health_extract).astype(float)
    frame["dental_extract_id"] = np.where(np.isnan(dental_extract), ids.map(flags.get("dental_extract", {})),
                                          dental_extract).astype(float)
    return frame


def _status_flags(ctx: Context) -> dict:
    """The 903 OC2 flags by the day they are as at: the children listed, and each child's
    review (annual health assessment) and dental flag with the extract it came from."""
    health = ctx.records["health_assessments"]
    flagged = health.loc[health["up_to_date"].notna(), ["child_id", "assessment_type", "due_or_done", "up_to_date",
                                                        "extract_id"]]
    found: dict = {}
    for day, rows in flagged.groupby("due_or_done"):
        entry = found.setdefault(np.datetime64(day, "s"), {"listed": set(rows["child_id"])})
        for kind in ("review", "dental"):
            chosen = rows[rows["assessment_type"] == kind]
            entry[kind] = dict(zip(chosen["child_id"], chosen["up_to_date"].astype(bool)))
            entry[f"{kind}_extract"] = dict(zip(chosen["child_id"], chosen["extract_id"].astype(float)))
    return found


def _completed(ctx: Context, kinds: list[str]) -> tuple[pd.DataFrame, int]:
    """Assessments of these kinds that were done, by date, each with its child's number
    among the children in care (-1 for a child with no episode), and how many children."""
    health = ctx.records["health_assessments"]
    done = health.loc[health["assessment_type"].isin(kinds) & health["date_completed"].notna(),
                      ["child_id", "date_completed", "extract_id"]].sort_values("date_completed", kind="stable")
    # Children in care are numbered in the order they first appear: position = number.
    children = pd.Index(pd.unique(ctx.records["children_in_care"]["child_id"]))
    done["child_number"] = children.get_indexer(done["child_id"])
    return done[done["child_number"] >= 0], len(children)


def _latest(completed: tuple[pd.DataFrame, int], children: np.ndarray, since: np.datetime64,
            until: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """For each child (by number), the date and extract of their latest assessment done
    in [since, until], or NaT: only the last year can make a child up to date."""
    done, child_count = completed
    dates = done["date_completed"].to_numpy()
    window = done.iloc[np.searchsorted(dates, since, "left"):np.searchsorted(dates, until, "right")]
    window = window.drop_duplicates("child_number", keep="last")
    latest = np.full(child_count, np.datetime64("NaT"), dtype="datetime64[s]")
    extract = np.full(child_count, np.nan)
    latest[window["child_number"].to_numpy()] = window["date_completed"].to_numpy()
    extract[window["child_number"].to_numpy()] = window["extract_id"].to_numpy()
    return latest[children], extract[children]


# The child's age band and district, for cohorts of events whose own file has neither,
# come from the child's children in care record on the day (`_child_on_day`).
CHILD_RECORD_BREAKDOWNS = ("age_band", "district")
_FROM_CHILD_RECORD = {BREAKDOWNS[b].column: CHILD_RECORD_EXTRACT for b in CHILD_RECORD_BREAKDOWNS}


@cohort("visits_due_in_month",
        description="statutory visits due in the month (one row per visit); the child's age band (at the due "
        "date) and district come from their children in care record",
        timing="in_month", datasets=("visits",), columns={"child_id", "done_by_due_date"},
        breakdowns=("team", *CHILD_RECORD_BREAKDOWNS), joined=_FROM_CHILD_RECORD, joined_on="date_due")
def visits_due_in_month(ctx: Context, month: Month) -> pd.DataFrame:
    rows = _dated_in_month(ctx, "visits", "date_due", month)
    done = rows["date_done"].to_numpy()
    frame = rows[["child_id", "extract_id", "source_row", "team_label"]].reset_index(drop=True)
    frame["done_by_due_date"] = ~np.isnat(done) & (done <= rows["date_due"].to_numpy())
    frame["date_due"] = rows["date_due"].to_numpy()
    return frame


@cohort("missing_episodes_started_in_month",
        description="missing episodes that started in the month (one row per episode)",
        timing="in_month", datasets=("missing_episodes",), columns={"episode_id", "child_id", "in_care"},
        breakdowns=("care_status", "district"))
def missing_episodes_started_in_month(ctx: Context, month: Month) -> pd.DataFrame:
    rows = _dated_in_month(ctx, "missing_episodes", "missing_from", month)
    return rows[_MISSING_COLUMNS].reset_index(drop=True)


_MISSING_COLUMNS = ["episode_id", "child_id", "extract_id", "source_row", "in_care", "care_status", "district_label"]


@cohort("missing_episodes_ended_in_month",
        description="missing episodes that ended (the child was found) in the month, with their return "
        "home interview",
        timing="in_month", datasets=("missing_episodes", "return_interviews"),
        columns={"episode_id", "child_id", "in_care", "rhi_completed", "rhi_within_72_hours"},
        breakdowns=("care_status", "district", "rhi_outcome"))
def missing_episodes_ended_in_month(ctx: Context, month: Month) -> pd.DataFrame:
    rows = _dated_in_month(ctx, "missing_episodes", "found_at", month)
    interview = ctx.once("interviews_by_episode", lambda: ctx.records["return_interviews"].set_index("episode_id"))
    interview = interview.reindex(rows["episode_id"].to_numpy())
    completed = (interview["outcome_group"] == "completed").to_numpy() & interview["held_at"].notna().to_numpy()
    waited = interview["held_at"].to_numpy() - rows["found_at"].to_numpy()
    frame = rows[_MISSING_COLUMNS].reset_index(drop=True)
    frame["rhi_extract_id"] = interview["extract_id"].to_numpy()
    frame["rhi_completed"] = completed
    # Hours on the clock, weekends included: a child found on Friday evening is owed an
    # interview by Monday evening.
    frame["rhi_within_72_hours"] = completed & (waited <= np.timedelta64(RHI_HOURS, "h"))
    frame["rhi_outcome_label"] = text(interview["outcome_label"].fillna("No interview recorded").to_numpy(dtype=object),
                                      frame.index)
    return frame


@cohort("initial_health_assessments_due_in_month",
        description="initial health assessments that fell due in the month: 20 working days (England and "
        "Wales bank holidays excluded) after the child became looked after; the child's age band (at the due date) "
        "and district come from their children in care record",
        timing="in_month", datasets=("health_assessments",),
        columns={"child_id", "placed_in_area", "in_timescale"}, breakdowns=("area", "host_la", *CHILD_RECORD_BREAKDOWNS),
        joined=_FROM_CHILD_RECORD, joined_on="iha_due")
def initial_health_assessments_due_in_month(ctx: Context, month: Month) -> pd.DataFrame:
    initial = ctx.once("initial_assessments", lambda: _initial_assessments(ctx))
    due = initial["iha_due"].to_numpy()
    in_month = (due >= month.first) & (due < month.after)
    columns = ["child_id", "extract_id", "source_row", "placed_in_area", "area", "host_label", "in_timescale",
               "iha_due"]
    return initial.loc[in_month, columns].reset_index(drop=True)


def _initial_assessments(ctx: Context) -> pd.DataFrame:
    """Every initial assessment with the date it fell due and whether it was done by then."""
    health = ctx.records["health_assessments"]
    initial = health.loc[health["assessment_type"] == "initial"].copy()
    due = add_working_days(initial["looked_after_date"].to_numpy(), IHA_WORKING_DAYS).astype("datetime64[s]")
    # Without the date the child became looked after, trust the due date the file gives.
    initial["iha_due"] = np.where(np.isnat(due), initial["date_due"].to_numpy(), due)
    done = initial["date_completed"].to_numpy()
    initial["in_timescale"] = ~np.isnat(done) & (done <= initial["iha_due"].to_numpy())
    initial["placed_in_area"] = initial["placed_in_area"].astype("boolean")
    initial["area"] = area_labels(initial["placed_in_area"])
    # Children placed in the area have no host council: their own council assesses them.
    own = initial["placed_in_area"].fillna(False).to_numpy(dtype=bool) & initial["host_la"].isna().to_numpy()
    host = text(np.where(own, "Own council", initial["host_la"].to_numpy(dtype=object)), initial.index)
    # Host councils by name, as the DfE's files name them; a code no file lists stays a code.
    names = {code: area_name(code) for code in pd.unique(host) if isinstance(code, str)}
    initial["host_label"] = labels(host, {**names, "Own council": "Own council"})
    return initial


@cohort("care_leavers_with_birthday_in_last_12_months",
        description="care leavers whose 17th to 21st birthday fell in the 12 months to the month end, "
        "one row per birthday",
        timing="rolling_12_months", datasets=("care_leavers",),
        columns={"child_id", "age", "in_touch", "in_eet", "suitably_accommodated"},
        breakdowns=("care_leaver_age",), history={"care_leavers": CARE_LEAVER_WINDOW_MONTHS})
def care_leavers_with_birthday_in_last_12_months(ctx: Context, month: Month) -> pd.DataFrame:
    leavers = ctx.records["care_leavers"]
    first = month.shift(1 - CARE_LEAVER_WINDOW_MONTHS).first
    birthday = leavers["birthday"].to_numpy()
    rows = leavers.loc[(birthday >= first) & (birthday <= month.last)]
    # The age reached at the birthday: a 29 February child's 19th, on 28 February, is 19.
    age = (rows["birthday"].to_numpy().astype("datetime64[Y]").astype(int)
           - rows["date_of_birth"].to_numpy().astype("datetime64[Y]").astype(int))
    frame = rows[["child_id", "extract_id", "source_row"]].reset_index(drop=True)
    frame["age"] = age
    frame["age_label"] = text([f"Aged {a}" for a in age], frame.index)
    frame["in_touch"] = (rows["in_touch_group"] == "in_touch").to_numpy()
    frame["in_eet"] = (rows["activity_group"] == "eet").to_numpy()
    frame["suitably_accommodated"] = (rows["accommodation_group"] == "suitable").to_numpy()
    return frame

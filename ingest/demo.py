"""The demo county: a fictional council's monthly extracts, simulated.

"Exampleshire" (council code E10000099; districts North, South, East, West and
Central) looks after about 750 children. `generate` simulates its children's care
histories month by month with one seeded `random.Random` (same seed, same files)
and writes, for each month, the six extracts an analyst would receive, with the
real templates (`ingest.templates.write_workbook`), so the demo exercises exactly
what a council loads:

    <out_dir>/<YYYY-MM>/children_in_care.xlsx   every placement episode open at any time in the month
                                                (the first month: every episode of each child's
                                                current period of care, so stability has history)
                        visits.xlsx             statutory visits due in the month, done or not
                        missing_episodes.xlsx   episodes that started in the month, episodes still
                                                missing at the start of the month (updated), and
                                                earlier episodes whose return interview is in this
                                                month's file (so every month checks on its own)
                        return_interviews.xlsx  interviews completed, refused or given up in the month
                        health_assessments.xlsx initial assessments, reviews, dental checks and SDQs
                                                due in the month, and late ones completed in it
                        care_leavers.xlsx       care leavers whose 17th-21st birthday is in the month

A month's file shows only what was known at its month end: an episode that ends
later is open, a child still missing has no found date, a visit done late is blank.
The loader keeps the latest version of each record, so later files complete them.
Before the first month the county is simulated for `BURN_IN_MONTHS` unwritten
months, so the first month already has long-staying children and care leavers.

Deliberate patterns, to check by eye on the scorecard. Dates are for the default
window (36 months to March 2025); with another `last_period` every pattern keeps its
distance from the last month:

1. Children in care: about 750 at each month end (between about 720 and 800), the
   number who are not UASC drifting up by about 35 over the window; about 10% are
   unaccompanied asylum-seeking children (UASC).
2. UASC arrivals peak every summer (July to September, about three times the winter
   rate); UASC are aged 15-17 and nearly all boys.
3. Missing episodes spike in July and August 2023 (about 45% more, for children in
   care and other children alike); otherwise about 100 a month, a third by children
   in care.
4. Initial health assessments (IHA) in timescale dip for four months, September to
   December 2023 (in county from about 85% to about 45%, out of county from about
   40% to about 20%), and recover from January 2024. Out-of-county IHAs are always
   much worse than in-county ones.
5. Statutory visits in timescale dip in the winter of December 2023 to February 2024
   (a staff shortage: from about 88% to about 70%), partly recover in March and are
   back to normal from April 2024.
6. Return home interviews (RHI) within 72 hours of the child being found improve
   over the last 12 months, from about 35-40% to about 55-60% of those completed;
   about 78% of ended episodes get a completed RHI throughout (fewer in the last
   month, whose late interviews are not held yet). Children found on a Friday
   evening or at a weekend wait for Monday.
7. Code changes as real exports show them: sex is written 1/2 for about a third of
   the children (records migrated from an older system) up to March 2024 and M/F for
   everyone from April 2024 (the DfE change in 2024-25); H5 and P2 (semi-independent
   and independent living) are written K3 from April 2024; Z1 is written Z11 from
   April 2025.
8. Steady background: about 10% of children in care have had 3+ placements in the
   last 12 months; about 70% of under-16s in care 2.5+ years have been in the same
   placement 2+ years; about 30% of children (excluding UASC) are placed outside the
   county and about 25% 20+ miles from home; statutory visits about 88% in
   timescale; care leavers in touch about 90%, in suitable accommodation about 87%,
   and about 50-55% of those aged 19-21 in education, employment or training.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import accumulate
from pathlib import Path
from typing import Any

from ingest.datasets import (
    CARE_LEAVERS,
    CHILDREN_IN_CARE,
    HEALTH_ASSESSMENTS,
    MISSING_EPISODES,
    RETURN_INTERVIEWS,
    VISITS,
)
from ingest.schema import Dataset
from ingest.templates import write_workbook

COUNCIL = "E10000099"
COUNCIL_NAME = "Exampleshire"
BURN_IN_MONTHS = 16 * 12
"""Months simulated before the first written month (so 21-year-old care leavers exist)."""

FILES: tuple[tuple[str, Dataset], ...] = (
    ("children_in_care.xlsx", CHILDREN_IN_CARE),
    ("visits.xlsx", VISITS),
    ("missing_episodes.xlsx", MISSING_EPISODES),
    ("return_interviews.xlsx", RETURN_INTERVIEWS),
    ("health_assessments.xlsx", HEALTH_ASSESSMENTS),
    ("care_leavers.xlsx", CARE_LEAVERS),
)

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

# (district, postcode districts, share of the county's children)
DISTRICTS = (
    ("North", ("XS1", "XS2", "XS3"), 18),
    ("South", ("XS10", "XS11", "XS12"), 22),
    ("East", ("XS20", "XS21", "XS22"), 19),
    ("West", ("XS30", "XS31", "XS32"), 17),
    ("Central", ("XS4", "XS5", "XS6"), 24),
)
DISTRICT_POSTCODES = {name: codes for name, codes, _ in DISTRICTS}

# Councils children are placed in when placed out of county: (code, postcode area, weight).
NEIGHBOURS = (
    ("E10000016", "ME", 9), ("E10000030", "GU", 7), ("E10000014", "SO", 7), ("E10000015", "AL", 6),
    ("E10000012", "CM", 6), ("E10000025", "OX", 6), ("E10000032", "RH", 5), ("E10000031", "CV", 5),
    ("E10000034", "WR", 4), ("E10000028", "ST", 4), ("E08000025", "B", 5), ("E10000018", "LE", 3),
    ("E10000024", "NG", 3), ("E10000019", "LN", 2), ("E10000020", "NR", 2), ("E10000029", "IP", 2),
    ("E10000003", "CB", 3), ("E06000030", "SN", 3), ("E06000038", "RG", 3), ("E06000042", "MK", 3),
    ("E10000017", "PR", 2),
)


def _table(weights: dict[Any, float]) -> tuple[list[Any], list[float]]:
    """A weighted choice, prepared once: (values, cumulative weights)."""
    return list(weights), list(accumulate(weights.values()))


ENTRY_AGE = _table({0: 22, 1: 5, 2: 5, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4, 11: 4, 12: 5,
                    13: 6, 14: 7, 15: 7, 16: 3.5, 17: 1.2})
UASC_AGE = _table({15: 3, 16: 5, 17: 2})
ETHNICITY = _table({"WBRI": 70, "WOTH": 4, "WIRT": 0.5, "WROM": 1, "WIRI": 0.5, "MWBC": 4, "MWBA": 1.5,
                    "MWAS": 2, "MOTH": 3, "AIND": 0.7, "APKN": 1.5, "ABAN": 0.5, "AOTH": 1, "BCRB": 1.5,
                    "BAFR": 2, "BOTH": 1, "CHNE": 0.3, "OOTH": 1.5, "REFU": 0.3, "NOBT": 0.7})
UASC_ETHNICITY = _table({"AOTH": 32, "BAFR": 33, "OOTH": 22, "WOTH": 10, "BOTH": 3})
CATEGORY_OF_NEED = _table({"N1": 62, "N2": 4, "N3": 3, "N4": 7, "N5": 15, "N6": 2, "N7": 0.5, "N8": 6.5})
DISTRICT_CHOICE = _table({name: share for name, _, share in DISTRICTS})
NEIGHBOUR_CHOICE = _table({(code, area): weight for code, area, weight in NEIGHBOURS})

# Legal status on entering care, by age.
ENTRY_LS_YOUNG = _table({"V2": 30, "C1": 52, "L2": 11, "L1": 7})
ENTRY_LS_TEEN = _table({"V2": 42, "C1": 42, "L1": 4, "L2": 6, "J1": 3})
ENTRY_LS_OLDER = _table({"V2": 72, "C1": 18, "J1": 10})

# First placements and moves, by age group.
PLACE_UNDER_5 = _table({"U6": 70, "U3": 18, "U2": 1, "R3": 3, "U5": 3})
PLACE_5_TO_11 = _table({"U6": 70, "U3": 17, "K2": 6, "S1": 1})
PLACE_12_TO_15 = _table({"U6": 58, "U3": 10, "K2": 24, "K1": 1, "Z1": 3, "S1": 2, "R1": 1})
PLACE_12_TO_15_VOLATILE = _table({"U6": 40, "U3": 5, "K2": 48, "K1": 2, "Z1": 4, "R1": 1})
PLACE_16_17 = _table({"INDEPENDENT": 32, "U6": 42, "K2": 20, "U3": 6})
PLACE_UASC_16_17 = _table({"INDEPENDENT": 45, "U6": 40, "K2": 15})
PLACE_UASC_15 = _table({"U6": 80, "K2": 20})

PROVIDERS = {
    "FOSTER": _table({"PR1": 53, "PR4": 37, "PR5": 6, "PR2": 4}),
    "KINSHIP": _table({"PR1": 1}),
    "K2": _table({"PR4": 82, "PR1": 12, "PR5": 6}),
    "K1": _table({"PR2": 1}),
    "ADOPTION": _table({"PR1": 45, "PR2": 35, "PR5": 20}),
    "INDEPENDENT": _table({"PR4": 50, "PR5": 50}),
    "P2": _table({"PR1": 50, "PR4": 50}),
    "P1": _table({"PR0": 1}),
    "R2": _table({"PR3": 1}),
    "R3": _table({"PR4": 60, "PR3": 40}),
    "OTHER": _table({"PR4": 1}),
}
# Chance a placement is inside the county, by (provider group, provider).
IN_AREA = {
    ("KINSHIP", "PR1"): 0.80, ("FOSTER", "PR1"): 0.93, ("FOSTER", "PR4"): 0.57, ("FOSTER", "PR5"): 0.60,
    ("FOSTER", "PR2"): 0.1,
    ("K2", "PR4"): 0.33, ("K2", "PR1"): 1.0, ("K2", "PR5"): 0.5, ("K1", "PR2"): 0.0,
    ("ADOPTION", "PR1"): 0.6, ("ADOPTION", "PR2"): 0.15, ("ADOPTION", "PR5"): 0.4,
    ("INDEPENDENT", "PR4"): 0.75, ("INDEPENDENT", "PR5"): 0.75, ("P2", "PR1"): 1.0, ("P2", "PR4"): 0.8,
    ("P1", "PR0"): 0.93,
}

# Why an 18-year-old's care ends, by the kind of placement they leave.
LEAVE_AT_18_FOSTER = _table({"E17": 38, "E5": 35, "E6": 5, "E8": 14, "E4A": 5, "E13": 3})
LEAVE_AT_18_OTHER = _table({"E5": 55, "E6": 15, "E8": 20, "E7": 4, "E4A": 3, "E9": 1, "E13": 2})
LEAVE_AT_18_UASC = _table({"E5": 58, "E6": 15, "E8": 22, "E16": 3, "E17": 2})
RETURN_HOME = _table({"E4A": 78, "E4B": 10, "E13": 12})
LEAVE_FROM_PARENTS = _table({"E4A": 3, "E41": 1})
LEAVE_LONG_TERM_YOUNG = _table({"E45": 3, "E46": 2, "E4A": 3, "E41": 1})
LEAVE_LONG_TERM_OLDER = _table({"E4A": 4, "E8": 1, "E13": 1, "E45": 1})
# Outcomes of the final hearing for a child on an interim care order: a legal status, or a reason care ends.
HEARING_YOUNG = _table({"E1": 42, "C2": 28, "P1": 5, "E47": 8, "E48": 4, "E41": 5, "E4A": 8})
HEARING_OLDER = _table({"C2": 66, "E47": 6, "E48": 2, "E41": 6, "E4A": 8, "P1": 12})

# Care leavers: (in touch, activity, accommodation) tables.
IN_TOUCH_18 = _table({"YES": 96, "NO": 1.5, "REFU": 1, "NREQ": 1.5})
IN_TOUCH_19_21 = _table({"YES": 89, "NO": 4, "REFU": 3, "NREQ": 2.6, "RHOM": 1.2, "DIED": 0.2})
ACTIVITY_17_18 = _table({"F2": 45, "P2": 5, "F4": 6, "F5": 9, "P5": 3, "G4": 6, "G5": 21, "G6": 5})
ACTIVITY_19_21 = _table({"F1": 9, "P1": 2, "F2": 12, "P2": 4, "F4": 6, "P4": 1, "F5": 16, "P5": 7,
                         "G4": 10, "G5": 20, "G6": 8})
ACCOM_18 = _table({"D1": 36, "E1": 17, "B1": 13, "U1": 9, "C1": 6, "T1": 5, "K1": 2, "Y1": 2,
                   "D2": 1.5, "B2": 1, "S2": 0.5, "V2": 0.5, "W2": 0.5, "E2": 0.5})
ACCOM_19_21 = _table({"U1": 40, "D1": 18, "B1": 14, "E1": 8, "T1": 3, "K1": 3, "C1": 2, "Y1": 2,
                      "G1": 0.5, "R1": 0.5, "U2": 1.2, "D2": 1, "B2": 0.8, "S2": 0.8, "X2": 0.5,
                      "V2": 0.3, "W2": 0.2, "K2": 0.2})

RHI_OTHER_OUTCOMES = _table({"completed": 110, "refused_child": 9, "refused_parent": 3.5, "exempt": 2.5,
                             "not_completed": 5})
# Hours of the day children are reported missing: mostly evenings.
MISSING_HOURS = _table({h: w for h, w in enumerate(
    (3, 2, 1.5, 1, 0.6, 0.5, 0.6, 1, 1.5, 2, 2, 2.5, 3, 3.5, 4, 5, 6.5, 8, 9, 10, 10, 9, 7, 5))})

UNSTABLE_PLACE = {"K2", "K1", "R1", "Z1", "Z11"}
FOSTER_TYPES = {"U1", "U2", "U3", "U4", "U5", "U6"}
ADOPTION_TYPES = {"A3", "A4", "A5", "A6"}
INDEPENDENT_TYPES = {"H5", "P2", "K3"}


# -- calendar -------------------------------------------------------------------------------------

def _month_first(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _month_last(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - DAY


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _month_last(year, month + 1).day))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 2, 28)


def _birthday(dob: dt.date, age: int) -> dt.date:
    return _add_years(dob, age)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _collection_year(day: dt.date) -> int:
    """The year an April-to-March DfE collection year starts: 2024 for 2024-25."""
    return day.year if day.month >= 4 else day.year - 1


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


_HOLIDAYS: dict[int, frozenset[dt.date]] = {}


def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays (with the one-off changes of 2020, 2022 and 2023)."""
    if year in _HOLIDAYS:
        return _HOLIDAYS[year]

    def monday_on_or_after(day: dt.date) -> dt.date:
        return day + dt.timedelta(days=(7 - day.weekday()) % 7)

    def last_monday(month: int) -> dt.date:
        last = _month_last(year, month)
        return last - dt.timedelta(days=last.weekday())

    easter = _easter(year)
    new_year = dt.date(year, 1, 1)
    days = {monday_on_or_after(new_year) if new_year.weekday() >= 5 else new_year,
            easter - 2 * DAY, easter + DAY, monday_on_or_after(dt.date(year, 5, 1)), last_monday(5),
            last_monday(8)}
    christmas = dt.date(year, 12, 25)
    if christmas.weekday() == 5:      # Saturday: Monday and Tuesday
        days |= {christmas + 2 * DAY, christmas + 3 * DAY}
    elif christmas.weekday() == 6:    # Sunday: Boxing Day Monday, substitute Tuesday
        days |= {christmas + DAY, christmas + 2 * DAY}
    elif christmas.weekday() == 4:    # Friday: Boxing Day moves to Monday
        days |= {christmas, christmas + 3 * DAY}
    else:
        days |= {christmas, christmas + DAY}
    if year == 2020:  # VE day
        days.discard(monday_on_or_after(dt.date(2020, 5, 1)))
        days.add(dt.date(2020, 5, 8))
    if year == 2022:  # Platinum Jubilee, state funeral
        days.discard(last_monday(5))
        days |= {dt.date(2022, 6, 2), dt.date(2022, 6, 3), dt.date(2022, 9, 19)}
    if year == 2023:  # coronation
        days.add(dt.date(2023, 5, 8))
    _HOLIDAYS[year] = frozenset(days)
    return _HOLIDAYS[year]


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The working day `days` working days after `start` (England and Wales)."""
    day = start
    while days > 0:
        day += DAY
        if is_working_day(day):
            days -= 1
    return day


def periods_ending(last_period: str, months: int) -> list[str]:
    """The `months` periods (YYYY-MM) ending at `last_period`, oldest first."""
    parts = last_period.split("-") if isinstance(last_period, str) else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"last period {last_period!r} is not a month written YYYY-MM, e.g. 2025-03")
    year, month = int(parts[0]), int(parts[1])
    end = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(end - months + 1, end + 1)]


# -- the simulated people -------------------------------------------------------------------------

class Placement:
    __slots__ = ("ptype", "provider", "in_area", "la", "distance", "postcode", "since")

    def __init__(self, ptype, provider, in_area, la, distance, postcode, since):
        self.ptype, self.provider, self.in_area, self.la = ptype, provider, in_area, la
        self.distance, self.postcode, self.since = distance, postcode, since


class Episode:
    __slots__ = ("start", "end", "rne", "rec", "ls", "place", "period_start")

    def __init__(self, start, rne, ls, place, period_start):
        self.start, self.end, self.rne, self.rec = start, None, rne, None
        self.ls, self.place, self.period_start = ls, place, period_start


class Child:
    __slots__ = ("cid", "dob", "male", "old_codes", "ethnicity", "uasc", "disability", "cin", "district",
                 "home_pc", "volatile", "visit_long", "miss", "episodes", "periods", "sched", "in_care",
                 "last_found")

    def __init__(self, cid, dob, male, ethnicity, uasc, district, home_pc):
        self.cid, self.dob, self.male, self.ethnicity, self.uasc = cid, dob, male, ethnicity, uasc
        self.district, self.home_pc = district, home_pc
        self.old_codes = self.disability = self.volatile = self.visit_long = False
        self.cin, self.miss = "N1", 1.0
        self.episodes: list[Episode] = []
        self.periods: list[list] = []  # [start, end, reason ceased]
        self.sched: tuple | None = None
        self.in_care = False
        self.last_found: dt.datetime | None = None

    def episode_on(self, day: dt.date) -> Episode:
        for episode in reversed(self.episodes):
            if episode.start <= day:
                return episode
        return self.episodes[0]


class Leaver:
    __slots__ = ("child", "left", "rec", "died")

    def __init__(self, child, left, rec):
        self.child, self.left, self.rec, self.died = child, left, rec, False


class OtherChild:
    """A child who is not in care but goes missing."""
    __slots__ = ("cid", "district", "miss", "last_found")

    def __init__(self, cid, district, miss):
        self.cid, self.district, self.miss, self.last_found = cid, district, miss, None


class MissingEpisode:
    __slots__ = ("eid", "child", "in_care", "start", "found", "absence", "month")

    def __init__(self, eid, child, in_care, start, found, absence, month):
        self.eid, self.child, self.in_care, self.start, self.found = eid, child, in_care, start, found
        self.absence, self.month = absence, month


# -- the simulation -------------------------------------------------------------------------------

class _County:
    def __init__(self, rng: random.Random, periods: Sequence[str]):
        self.rng = rng
        self.periods = list(periods)
        self.n = len(self.periods)
        first_year, first_month = (int(p) for p in self.periods[0].split("-"))
        self.base = first_year * 12 + first_month - 1 - BURN_IN_MONTHS  # month index 0 = first simulated
        self.total = BURN_IN_MONTHS + self.n
        self.bounds = []
        for i in range(self.total):
            year, month = divmod(self.base + i, 12)
            self.bounds.append((_month_first(year, month + 1), _month_last(year, month + 1)))
        self.window_first = self.bounds[BURN_IN_MONTHS][0]
        self.window_last = self.bounds[-1][1]
        self._patterns()
        self.next_id = 100000 + rng.randint(0, 5000)
        self.children: list[Child] = []
        self.in_care: list[Child] = []
        self.returned: list[Child] = []
        self.leavers: list[Leaver] = []

    # Month indexes: 0 is the first burn-in month; BURN_IN_MONTHS is the first written month.
    def index(self, day: dt.date) -> int:
        return day.year * 12 + day.month - 1 - self.base

    def data_index(self, day: dt.date) -> int:
        """Index into the written months (may be out of range)."""
        return self.index(day) - BURN_IN_MONTHS

    def _patterns(self) -> None:
        def find(calendar_month: int, lo: int, hi: int) -> int:
            for i in range(self.total):
                before_last = self.total - 1 - i
                if lo <= before_last <= hi and (self.base + i) % 12 + 1 == calendar_month:
                    return i
            return -100

        july = find(7, 18, 29)
        self.missing_spike = {july: 1.4, july + 1: 1.5}
        december = find(12, 12, 23)
        self.visit_dip = {december: 0.72, december + 1: 0.68, december + 2: 0.72, december + 3: 0.82}
        self.iha_dip = {december - 3: 0.6, december - 2: 0.5, december - 1: 0.5, december: 0.55}

    # -- people ----------------------------------------------------------------------------------

    def pick(self, table):
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def new_id(self) -> str:
        self.next_id += self.rng.randint(1, 37)
        return str(self.next_id)

    def new_child(self, day: dt.date, uasc: bool) -> Child:
        rng = self.rng
        age = self.pick(UASC_AGE if uasc else ENTRY_AGE)
        dob = _add_years(day, -age) - dt.timedelta(days=rng.randint(1, 330 if age == 17 else 364))
        district = self.pick(DISTRICT_CHOICE)
        child = Child(self.new_id(), dob, rng.random() < (0.93 if uasc else 0.52),
                      self.pick(UASC_ETHNICITY if uasc else ETHNICITY), uasc, district,
                      rng.choice(DISTRICT_POSTCODES[district]))
        child.old_codes = rng.random() < 0.35
        child.disability = not uasc and rng.random() < 0.09
        child.cin = "N8" if uasc else ("N2" if child.disability and rng.random() < 0.4 else self.pick(CATEGORY_OF_NEED))
        volatile_share = 0.04 if age < 5 else 0.10 if age < 12 else 0.27
        child.volatile = not uasc and rng.random() < volatile_share
        child.visit_long = not child.volatile and rng.random() < 0.55
        child.miss = rng.lognormvariate(0, 1.2) * (3 if child.volatile else 1)
        self.children.append(child)
        return child

    def placement(self, child: Child, day: dt.date, kind: str = "move") -> Placement:
        rng = self.rng
        age = _age(child.dob, day)
        if kind == "adoption_new":
            ptype = "A6" if rng.random() < 0.93 else "A4"
        elif kind == "adoption_same":  # foster carers adopting: with a placement order, or with consent
            ptype = "A5" if rng.random() < 0.9 else "A3"
        elif kind == "parents":
            ptype = "P1"
        elif kind == "independence":
            ptype = "INDEPENDENT"
        elif child.uasc:
            ptype = self.pick(PLACE_UASC_16_17 if age >= 16 else PLACE_UASC_15)
        elif age < 5:
            ptype = self.pick(PLACE_UNDER_5)
        elif age < 12:
            ptype = self.pick(PLACE_5_TO_11)
        elif age < 16:
            ptype = self.pick(PLACE_12_TO_15_VOLATILE if child.volatile else PLACE_12_TO_15)
        else:
            ptype = self.pick(PLACE_16_17)
        if ptype == "INDEPENDENT":
            ptype = "K3" if _collection_year(day) >= 2024 else ("H5" if rng.random() < 0.7 else "P2")
        # Settled children moving on usually go to long-term foster carers.
        if kind == "move" and ptype == "U6" and child.periods and (day - child.periods[-1][0]).days > 270 \
                and rng.random() < 0.45:
            ptype = "U4"
        if ptype == "U3" and kind == "move" and rng.random() < 0.3:
            ptype = "U1"
        if ptype == "Z1" and _collection_year(day) >= 2025:
            ptype = "Z11"

        if ptype in FOSTER_TYPES:
            group = "KINSHIP" if ptype in {"U1", "U2", "U3"} else "FOSTER"
        elif ptype in ADOPTION_TYPES:
            group = "ADOPTION"
        elif ptype in {"H5", "K3"}:
            group = "INDEPENDENT"
        elif ptype in {"P2", "P1", "K2", "K1", "R2", "R3"}:
            group = ptype
        else:
            group = "OTHER"
        provider = self.pick(PROVIDERS[group])
        in_area = rng.random() < IN_AREA.get((group, provider), 0.35)
        if ptype == "P1":
            distance = round(rng.uniform(0, 3), 1)
            postcode = child.home_pc if in_area else None
        elif in_area:
            distance = round(min(34.0, 0.5 + rng.lognormvariate(math.log(5), 0.75)), 1)
            postcode = None
        elif rng.random() < 0.18:  # just over the county border
            distance = round(rng.uniform(6, 20), 1)
            postcode = None
        else:
            distance = round(min(150.0, 20 + rng.lognormvariate(math.log(28), 0.8)), 1)
            postcode = None
        if in_area:
            la = COUNCIL
            if postcode is None:
                district = child.district if rng.random() < 0.5 else self.pick(DISTRICT_CHOICE)
                postcode = rng.choice(DISTRICT_POSTCODES[district])
        else:
            la, area = self.pick(NEIGHBOUR_CHOICE)
            postcode = f"{area}{rng.randint(1, 20)}"
        return Placement(ptype, provider, in_area, la, distance, postcode, day)

    # -- events ----------------------------------------------------------------------------------

    def enter(self, day: dt.date, uasc: bool) -> None:
        rng = self.rng
        child = None
        if not uasc and self.returned and rng.random() < 0.06:
            j = rng.randrange(len(self.returned))
            candidate = self.returned[j]
            if candidate.periods[-1][1] <= day - 60 * DAY and _age(candidate.dob, day) <= 16:
                child = self.returned.pop(j)
        if child is None:
            child = self.new_child(day, uasc)
        age = _age(child.dob, day)
        child.periods.append([day, None, None])
        child.in_care = True
        child.sched = None
        if uasc:
            ls = "V2"
            r = rng.random()
            if r < 0.05:  # the national transfer scheme moves some on
                child.sched = (day + rng.randint(10, 45) * DAY, "leave", "E3")
            elif r < 0.08:
                child.sched = (day + rng.randint(30, 150) * DAY, "leave", "E15")
        else:
            ls = self.pick(ENTRY_LS_YOUNG if age < 12 else ENTRY_LS_TEEN if age < 16 else ENTRY_LS_OLDER)
            if ls in ("L1", "L2"):
                child.sched = (day + rng.randint(1, 8) * DAY, "emergency")
            elif ls == "C1":
                child.sched = (day + rng.randint(150, 300) * DAY, "hearing")
            elif ls == "J1":
                child.sched = (day + rng.randint(14, 100) * DAY, "remand_end")
            else:
                r = rng.random()
                home_share = 0.55 if age < 12 else 0.45
                if r < home_share:
                    wait = max(7, int(rng.expovariate(1 / 150)))
                    child.sched = (day + wait * DAY, "leave", self.pick(RETURN_HOME))
                elif r < home_share + 0.15:
                    child.sched = (day + rng.randint(20, 200) * DAY, "ls", "C1")
        place = self.placement(child, day, "entry")
        child.episodes.append(Episode(day, "S", ls, place, day))
        self.in_care.append(child)

    def new_episode(self, child: Child, day: dt.date, rne: str, ls: str | None = None,
                    place: Placement | None = None) -> None:
        last = child.episodes[-1]
        last.end, last.rec = day, "X1"
        child.episodes.append(Episode(day, rne, ls or last.ls, place or last.place, last.period_start))

    def leave(self, child: Child, day: dt.date, rec: str) -> None:
        last = child.episodes[-1]
        last.end, last.rec = day, rec
        child.periods[-1][1:] = [day, rec]
        child.in_care = False
        child.sched = None
        age = _age(child.dob, day)
        if rec in ("E4A", "E4B", "E13") and age < 16:
            self.returned.append(child)
        since = max(child.periods[-1][0], _birthday(child.dob, 14))
        if age >= 16 and (day - since).days >= 91 and rec in {"E5", "E6", "E7", "E8", "E9", "E14", "E17", "E13"}:
            self.leavers.append(Leaver(child, day, rec))

    def step(self, child: Child, first: dt.date, last: dt.date) -> None:
        rng = self.rng
        episode = child.episodes[-1]
        eighteen = _birthday(child.dob, 18)
        if eighteen <= last:
            place = episode.place.ptype
            table = LEAVE_AT_18_UASC if child.uasc else \
                LEAVE_AT_18_FOSTER if place in FOSTER_TYPES else LEAVE_AT_18_OTHER
            self.leave(child, max(eighteen, episode.start + DAY), self.pick(table))
            return
        earliest = max(first, episode.start + DAY)
        if earliest > last:
            return
        if child.sched is not None and child.sched[0] <= last:
            self.scheduled(child, max(child.sched[0], earliest))
            return
        age = _age(child.dob, first)
        ptype = episode.place.ptype

        def some_day() -> dt.date:
            return earliest + rng.randint(0, (last - earliest).days) * DAY

        if child.sched is None and not child.uasc:
            # Children with no plan in train: long-term care, and the ways it ends.
            if ptype == "P1":
                leave_chance, table = 0.012, LEAVE_FROM_PARENTS
            elif episode.ls == "V2":
                leave_chance, table = 0.02, RETURN_HOME
            elif age < 12:
                leave_chance, table = 0.008, LEAVE_LONG_TERM_YOUNG
            else:
                leave_chance, table = 0.006, LEAVE_LONG_TERM_OLDER
            if rng.random() < leave_chance:
                self.leave(child, some_day(), self.pick(table))
                return
        months_in = (first - episode.place.since).days / 30.4
        if child.volatile:
            hazard = 0.21
        elif months_in < 3:
            hazard = 0.07
        elif months_in < 12:
            hazard = 0.018
        else:
            hazard = 0.006
        if ptype in ADOPTION_TYPES or ptype == "P1":
            hazard *= 0.25
        if rng.random() < hazard:
            day = some_day()
            self.new_episode(child, day, "P", place=self.placement(child, day))
            return
        if age >= 16 and ptype not in INDEPENDENT_TYPES and ptype != "P1" and rng.random() < 0.02:
            day = some_day()
            self.new_episode(child, day, "P", place=self.placement(child, day, "independence"))
            return
        # Short-term carers becoming the child's long-term carers: same carers, new placement type.
        if ptype in ("U6", "U3") and episode.ls == "C2" and months_in >= 6 and rng.random() < 0.012:
            old = episode.place
            place = Placement("U4" if ptype == "U6" else "U1", old.provider, old.in_area, old.la, old.distance,
                              old.postcode, old.since)
            self.new_episode(child, some_day(), "T", place=place)

    def scheduled(self, child: Child, day: dt.date) -> None:
        rng = self.rng
        kind = child.sched[1]
        argument = child.sched[2] if len(child.sched) > 2 else None
        child.sched = None
        age = _age(child.dob, day)
        if kind == "leave":
            self.leave(child, day, argument)
        elif kind == "emergency":
            if rng.random() < 0.25:
                self.leave(child, day, "E4A")
            else:
                self.change_status(child, day, "C1")
                child.sched = (day + rng.randint(150, 300) * DAY, "hearing")
        elif kind == "ls":
            self.change_status(child, day, argument)
            child.sched = (day + rng.randint(150, 300) * DAY, "hearing")
        elif kind == "hearing":
            outcome = self.pick(HEARING_YOUNG if age < 5 else HEARING_OLDER)
            if outcome in ("E41", "E47", "E48", "E4A"):  # care ends: child arrangements, SGO, home
                self.leave(child, day, outcome)
            elif outcome == "E1":
                self.change_status(child, day, "E1")
                child.sched = (day + rng.randint(60, 210) * DAY, "adoption_placement")
            elif outcome == "P1":
                self.new_episode(child, day, "B", ls="C2", place=self.placement(child, day, "parents"))
            else:
                self.change_status(child, day, "C2")
        elif kind == "adoption_placement":
            same = child.episodes[-1].place.ptype in FOSTER_TYPES and rng.random() < 0.2
            place = self.placement(child, day, "adoption_same" if same else "adoption_new")
            if same:
                old = child.episodes[-1].place
                place.in_area, place.la, place.distance = old.in_area, old.la, old.distance
                place.postcode = old.postcode
            self.new_episode(child, day, "T" if same else "P", place=place)
            child.sched = (day + rng.randint(100, 320) * DAY, "leave", "E11" if rng.random() < 0.85 else "E12")
        elif kind == "remand_end":
            r = rng.random()
            if r < 0.65:
                self.leave(child, day, "E14")
            elif r < 0.72:
                self.leave(child, day, "E9")
            else:
                self.change_status(child, day, "V2")

    def change_status(self, child: Child, day: dt.date, ls: str) -> None:
        """A change of legal status: most keep the placement (RNE L); some move at the same time (B)."""
        if self.rng.random() < 0.25:
            self.new_episode(child, day, "B", ls=ls, place=self.placement(child, day))
        else:
            self.new_episode(child, day, "L", ls=ls)

    def simulate(self) -> None:
        rng = self.rng
        for i, (first, last) in enumerate(self.bounds):
            written = i - BURN_IN_MONTHS
            target = 655 + (35 * max(0, written) / max(1, self.n - 1) if written >= 0 else 0)
            non_uasc = sum(1 for c in self.in_care if not c.uasc)
            wanted = 23 + 0.25 * (target - non_uasc) + rng.gauss(0, 3)
            arrivals = [False] * max(0, min(90, round(wanted)))
            season = {7: 2.0, 8: 2.2, 9: 1.8, 6: 1.2, 10: 1.1}.get(first.month, 0.65)
            arrivals += [True] * _poisson(rng, 3.8 * season)
            days = (last - first).days
            for uasc in arrivals:
                self.enter(first + rng.randint(0, days) * DAY, uasc)
            for child in self.in_care:
                self.step(child, first, last)
            self.in_care = [c for c in self.in_care if c.in_care]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


# -- the monthly extracts -------------------------------------------------------------------------

def _flag(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


def _row(dataset: Dataset, values: dict[str, Any]) -> tuple:
    return tuple(values.get(f.name) for f in dataset.fields)


class _Extracts:
    """Turns the simulated county into each month's rows, as known at that month's end."""

    def __init__(self, county: _County):
        self.c = county
        self.rng = county.rng
        n = county.n
        self.cic_children: list[list[tuple[Child, int]]] = [[] for _ in range(n)]
        self.visits: list[list[tuple]] = [[] for _ in range(n)]
        self.health: list[list[tuple]] = [[] for _ in range(n)]
        self.missing: list[list[MissingEpisode]] = [[] for _ in range(n)]
        self.rhi: list[list[tuple]] = [[] for _ in range(n)]
        self.rhi_episodes: list[list[MissingEpisode]] = [[] for _ in range(n)]
        self.carried: list[list[MissingEpisode]] = [[] for _ in range(n)]

    def build(self) -> None:
        for child in self.c.children:
            for number, (start, end, _) in enumerate(child.periods):
                lo = max(0, self.c.data_index(start))
                hi = min(self.c.n - 1, self.c.data_index(end) if end else self.c.n - 1)
                for k in range(lo, hi + 1):
                    self.cic_children[k].append((child, number))
                if end is None or end >= self.c.window_first - 400 * DAY:
                    self.schedule_visits(child, start, end)
                    self.schedule_health(child, start, end)
        self.missing_episodes()
        self.return_interviews()

    # -- children in care --------------------------------------------------------------------------

    def cic_rows(self, k: int) -> list[tuple]:
        first, last = self.c.bounds[BURN_IN_MONTHS + k]
        year = _collection_year(first)
        rows = []
        for child, number in self.cic_children[k]:
            period_start = child.periods[number][0]
            if child.old_codes and year <= 2023:
                sex = "1" if child.male else "2"
            else:
                sex = "M" if child.male else "F"
            for episode in child.episodes:
                if episode.period_start != period_start or episode.start > last:
                    continue
                if k > 0 and episode.end is not None and episode.end < first:
                    continue
                ended = episode.end is not None and episode.end <= last
                place = episode.place
                ptype = place.ptype
                if ptype in ("H5", "P2") and year >= 2024:
                    ptype = "K3"
                if ptype == "Z1" and year >= 2025:
                    ptype = "Z11"
                rows.append(_row(CHILDREN_IN_CARE, {
                    "child_id": child.cid, "date_of_birth": child.dob, "sex": sex, "ethnicity": child.ethnicity,
                    "uasc": _flag(child.uasc), "disability": _flag(child.disability), "legal_status": episode.ls,
                    "period_start": period_start, "episode_start": episode.start,
                    "episode_end": episode.end if ended else None, "reason_new_episode": episode.rne,
                    "reason_episode_ceased": episode.rec if ended else None, "category_of_need": child.cin,
                    "placement_type": ptype, "placement_provider": place.provider,
                    "placed_in_area": _flag(place.in_area), "placement_la": place.la,
                    "distance_miles": place.distance, "home_postcode": child.home_pc,
                    "placement_postcode": place.postcode, "district": child.district,
                }))
        return rows

    # -- visits ----------------------------------------------------------------------------------

    def visit_on_time(self, k: int) -> float:
        return self.c.visit_dip.get(k + BURN_IN_MONTHS, 0.885)

    def schedule_visits(self, child: Child, start: dt.date, end: dt.date | None) -> None:
        rng = self.rng
        stop = min(end - DAY if end else self.c.window_last, self.c.window_last)
        moves = [e.start for e in child.episodes
                 if e.period_start == start and e.rne in ("P", "B") and e.start > start]
        due = start + 7 * DAY
        previous_done = start
        while due <= stop:
            k = self.c.data_index(due)
            done = due
            if k >= 0:
                if rng.random() < self.visit_on_time(k):
                    done = max(due - rng.randint(0, 9) * DAY, previous_done + DAY)
                elif rng.random() < 0.8:
                    done = due + rng.randint(1, 24) * DAY
                else:
                    done = None
                if done is not None and end is not None and done >= end:
                    done = None
                self.visits[k].append((child.cid, due, done, child.district))
            base = done or due
            previous_done = base
            placement = child.episode_on(due).place
            settled = child.visit_long and (due - start).days >= 365 and (due - placement.since).days >= 365
            following = base + (84 if settled else 42) * DAY
            for move in moves:
                if base < move and move + 7 * DAY < following:
                    following = move + 7 * DAY
                    break
            due = max(following, due + DAY)

    def visit_rows(self, k: int) -> list[tuple]:
        last = self.c.bounds[BURN_IN_MONTHS + k][1]
        return [_row(VISITS, {"child_id": cid, "date_due": due, "date_done": done if done and done <= last else None,
                              "team": team})
                for cid, due, done, team in sorted(self.visits[k], key=lambda v: (v[1], v[0]))]

    # -- health ----------------------------------------------------------------------------------

    def schedule_health(self, child: Child, start: dt.date, end: dt.date | None) -> None:
        rng = self.rng
        c = self.c
        stop = min(end - DAY if end else c.window_last, c.window_last)

        def record(kind: str, due: dt.date, on_time: float, late_days: int, never: float,
                   looked_after: dt.date | None = None, score: int | None = None) -> dt.date | None:
            """Decide when an assessment due on `due` is done; file it if due in the window."""
            if rng.random() < on_time:
                done = max(due - rng.randint(0, 15) * DAY, start + 2 * DAY)
            elif rng.random() < never:
                done = None
            else:
                done = due + rng.randint(1, late_days) * DAY
            if done is not None and end is not None and done >= end:
                done = None
            k = c.data_index(due)
            if 0 <= k < c.n:
                place = child.episode_on(due).place
                row = (child.cid, kind, looked_after, due, done, place.in_area, None if place.in_area else place.la,
                       score if done else None)
                self.health[k].append(row)
                if done is not None and c.data_index(done) > k and c.data_index(done) < c.n:
                    self.health[c.data_index(done)].append(row)
            return done

        # Initial health assessment: 20 working days from becoming looked after.
        due = add_working_days(start, 20)
        if due > stop:
            return
        k = c.data_index(due)
        in_area = child.episode_on(due).place.in_area
        if in_area:
            on_time = 0.88 * c.iha_dip.get(k + BURN_IN_MONTHS, 1.0) if k >= 0 else 0.88
        else:
            on_time = 0.40 * c.iha_dip.get(k + BURN_IN_MONTHS, 1.0) if k >= 0 else 0.40
        done = record("initial", due, on_time, 60 if in_area else 90, 0.05, looked_after=start)
        last = done or due
        # Review health assessments: every 6 months under 5, every 12 months from 5.
        while True:
            due = _add_months(last, 6 if _age(child.dob, last) < 5 else 12)
            if due > stop:
                break
            done = record("review", due, 0.86, 60, 0.05)
            last = done or due
        # Dental checks and SDQs: yearly, from 12 months in care.
        due = _add_months(start, 12)
        while due <= stop:
            done = record("dental", due, 0.80, 90, 0.15)
            due = _add_months(done or due, 12)
        due = _add_months(start, 12) + rng.randint(0, 20) * DAY
        while due <= stop:
            if 4 <= _age(child.dob, due) <= 16:
                score = max(0, min(40, round(rng.gauss(14, 7))))
                record("sdq", due, 0.75, 60, 0.3, score=score)
            due = _add_months(due, 12)

    def health_rows(self, k: int) -> list[tuple]:
        last = self.c.bounds[BURN_IN_MONTHS + k][1]
        rows = []
        for cid, kind, looked_after, due, done, in_area, host, score in self.health[k]:
            known = done if done is not None and done <= last else None
            rows.append(_row(HEALTH_ASSESSMENTS, {
                "child_id": cid, "assessment_type": kind, "looked_after_date": looked_after, "date_due": due,
                "date_completed": known, "placed_in_area": _flag(in_area), "host_la": host,
                "sdq_score": score if known else None}))
        return rows

    # -- missing episodes and return interviews ----------------------------------------------------

    def missing_time(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        rng = self.rng
        days = (end.date() - start.date()).days
        for _ in range(20):
            day = start.date() + rng.randint(0, days) * DAY
            if day.weekday() < 4 and rng.random() < 0.3:  # evenings and weekends are busier
                continue
            moment = dt.datetime.combine(day, dt.time(self.c.pick(MISSING_HOURS), rng.randint(0, 59)))
            if start <= moment <= end:
                return moment
        return start + (end - start) * rng.random()

    def episodes_for(self, child, count: int, start: dt.datetime, end: dt.datetime, k: int,
                     in_care: bool) -> None:
        rng = self.rng
        if child.last_found is not None:
            start = max(start, child.last_found + HOUR)
        if start >= end:
            return
        starts = sorted(self.missing_time(start, end).replace(second=0, microsecond=0) for _ in range(count))
        for j in range(1, len(starts)):
            starts[j] = max(starts[j], starts[j - 1] + 2 * HOUR)
        starts = [s for s in starts if s <= end]
        for j, begin in enumerate(starts):
            hours = min(240.0, max(0.5, rng.lognormvariate(math.log(7), 1.25)))
            found = begin + dt.timedelta(hours=hours)
            if j + 1 < len(starts) and found >= starts[j + 1] - HOUR:
                found = begin + (starts[j + 1] - begin) * rng.uniform(0.3, 0.8)
            found = found.replace(second=0, microsecond=0)
            if found <= begin:
                found = begin + dt.timedelta(minutes=30)
            absence = "A" if in_care and rng.random() < 0.3 else "M"
            self.missing[k].append(MissingEpisode("", child, in_care, begin, found, absence, k))
            child.last_found = found

    def missing_episodes(self) -> None:
        rng = self.rng
        c = self.c
        next_episode = rng.randint(1000, 9000) * 10
        pool = [OtherChild(str(600000 + i * 7 + rng.randint(0, 6)), self.c.pick(DISTRICT_CHOICE),
                           rng.lognormvariate(0, 1.4)) for i in range(600)]
        next_other = 600000 + 600 * 7
        for k in range(c.n):
            first, last = c.bounds[BURN_IN_MONTHS + k]
            month_start = dt.datetime.combine(first, dt.time(0, 0))
            month_end = dt.datetime.combine(last, dt.time(23, 59))
            spike = c.missing_spike.get(k + BURN_IN_MONTHS, 1.0)
            # Children in care: teenagers, in children's homes and unsettled placements most.
            candidates, weights, windows = [], [], []
            for child, number in self.cic_children[k]:
                start, end = child.periods[number][:2]
                age = _age(child.dob, last)
                if age < 10:
                    continue
                window = (max(month_start, dt.datetime.combine(start, dt.time(0, 0))),
                          min(month_end, dt.datetime.combine(end, dt.time(23, 59)) if end else month_end))
                if window[0] >= window[1]:
                    continue
                place = child.episode_on(min(last, end or last)).place.ptype
                weight = child.miss * (1.0 if age >= 13 else 0.3) * (3 if place in UNSTABLE_PLACE else 1)
                candidates.append(child)
                weights.append(weight)
                windows.append(window)
            picked: dict[int, int] = {}
            for j in rng.choices(range(len(candidates)), weights, k=max(0, round(rng.gauss(34 * spike, 4)))):
                picked[j] = picked.get(j, 0) + 1
            for j, count in picked.items():
                self.episodes_for(candidates[j], min(count, 6), *windows[j], k, True)
            # Other children: a pool that turns over slowly, a few going missing again and again.
            for _ in range(18):
                j = rng.randrange(len(pool))
                next_other += rng.randint(1, 9)
                pool[j] = OtherChild(str(next_other), c.pick(DISTRICT_CHOICE), rng.lognormvariate(0, 1.4))
            picked = {}
            for j in rng.choices(range(len(pool)), [p.miss for p in pool], k=max(0, round(rng.gauss(66 * spike, 6)))):
                picked[j] = picked.get(j, 0) + 1
            for j, count in picked.items():
                self.episodes_for(pool[j], min(count, 6), month_start, month_end, k, False)
            self.missing[k].sort(key=lambda e: (e.start, e.child.cid))
            for episode in self.missing[k]:  # numbered as the system would: in the order reported
                next_episode += 1
                episode.eid = f"ME{next_episode:06d}"
            # Episodes still open at a month end are in every later file until the child is found.
            for episode in self.missing[k]:
                later = k + 1
                while later < c.n and episode.found > dt.datetime.combine(
                        c.bounds[BURN_IN_MONTHS + later - 1][1], dt.time(23, 59, 59)):
                    self.carried[later].append(episode)
                    later += 1

    def rhi_quick_share(self, k: int) -> float:
        """Chance an interview is offered for the same or next working day: improves over the last year."""
        before_last = self.c.n - 1 - k
        if before_last >= 12:
            return 0.38
        return 0.38 + 0.24 * (12 - before_last) / 12

    def next_working_time(self, moment: dt.datetime) -> dt.datetime:
        day, hour = moment.date(), moment.hour
        if is_working_day(day) and 9 <= hour < 17:
            return moment
        if is_working_day(day) and hour < 9:
            return dt.datetime.combine(day, dt.time(9, self.rng.randint(0, 59)))
        day += DAY
        while not is_working_day(day):
            day += DAY
        return dt.datetime.combine(day, dt.time(9, self.rng.randint(0, 59)))

    def return_interviews(self) -> None:
        rng = self.rng
        c = self.c
        by_child: dict[str, list[MissingEpisode]] = {}
        for k in range(c.n):
            for episode in self.missing[k]:
                by_child.setdefault(episode.child.cid, []).append(episode)
        for k in range(c.n):
            for episode in self.missing[k]:
                found = episode.found
                found_k = c.data_index(found.date())
                if found_k >= c.n:
                    continue
                siblings = by_child[episode.child.cid]
                following = [e.start for e in siblings if e.start > episode.start]
                next_missing = following[0] if following else None
                offered = self.next_working_time(found + dt.timedelta(hours=rng.uniform(1, 5)))
                offered = offered.replace(second=0, microsecond=0)
                if rng.random() < self.rhi_quick_share(found_k):
                    lag = 0 if offered.hour < 14 and rng.random() < 0.5 else 1
                else:
                    lag = rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 10))
                day = offered.date()
                for _ in range(lag):
                    day += DAY
                    while not is_working_day(day):
                        day += DAY
                held = dt.datetime.combine(day, dt.time(rng.randint(10, 18), rng.choice((0, 15, 30, 45))))
                if held <= offered:
                    held = offered + dt.timedelta(hours=rng.randint(1, 3))
                if next_missing is not None and next_missing < held:
                    outcome = "missing_again"
                    when = next_missing
                    offered_at = offered if offered < next_missing else None
                    held = None
                else:
                    outcome = self.c.pick(RHI_OTHER_OUTCOMES)
                    offered_at = offered
                    if outcome == "completed":
                        when = held
                    elif outcome == "exempt":
                        when, offered_at, held = found, None, None
                    elif outcome == "not_completed":
                        when, held = offered + 10 * DAY, None
                    else:
                        when, held = offered + rng.randint(0, 48) * HOUR, None
                record_k = c.data_index(when.date())
                if record_k >= c.n:
                    continue
                self.rhi[record_k].append((episode.eid, episode.child.cid, outcome, offered_at, held))
                if record_k > k:
                    self.rhi_episodes[record_k].append(episode)

    def missing_rows(self, k: int) -> list[tuple]:
        last = dt.datetime.combine(self.c.bounds[BURN_IN_MONTHS + k][1], dt.time(23, 59, 59))
        episodes: dict[str, MissingEpisode] = {}
        for episode in self.carried[k] + self.missing[k] + self.rhi_episodes[k]:
            episodes.setdefault(episode.eid, episode)
        rows = []
        for episode in sorted(episodes.values(), key=lambda e: (e.start, e.eid)):
            rows.append(_row(MISSING_EPISODES, {
                "episode_id": episode.eid, "child_id": episode.child.cid, "in_care": _flag(episode.in_care),
                "missing_from": episode.start, "found_at": episode.found if episode.found <= last else None,
                "absence_type": episode.absence, "district": episode.child.district}))
        return rows

    def rhi_rows(self, k: int) -> list[tuple]:
        return [_row(RETURN_INTERVIEWS, {"episode_id": eid, "child_id": cid, "outcome": outcome,
                                         "offered_at": offered, "held_at": held})
                for eid, cid, outcome, offered, held in self.rhi[k]]

    # -- care leavers ----------------------------------------------------------------------------

    def care_leaver_rows(self, k: int) -> list[tuple]:
        rng = self.rng
        first, last = self.c.bounds[BURN_IN_MONTHS + k]
        rows = []
        for leaver in self.by_birth_month[first.month]:
            if leaver.died:
                continue
            child = leaver.child
            for age in range(17, 22):
                birthday = _birthday(child.dob, age)
                if not first <= birthday <= last or birthday < leaver.left:
                    continue
                if age <= 18:
                    in_touch = self.c.pick(IN_TOUCH_18)
                else:
                    in_touch = self.c.pick(IN_TOUCH_19_21)
                if in_touch == "DIED":
                    leaver.died = True
                activity = accommodation = "0"
                if in_touch == "YES":
                    activity = self.c.pick(ACTIVITY_17_18 if age <= 18 else ACTIVITY_19_21)
                    if leaver.rec == "E17" and rng.random() < (0.9 if age == 18 else 0.35 if age <= 20 else 0.1):
                        accommodation = "Z1"  # staying put with former foster carers
                    else:
                        accommodation = self.c.pick(ACCOM_18 if age <= 18 else ACCOM_19_21)
                        if accommodation == "G1" and not child.uasc:
                            accommodation = "U1"
                rows.append(_row(CARE_LEAVERS, {"child_id": child.cid, "date_of_birth": child.dob,
                                                "birthday": birthday, "in_touch": in_touch, "activity": activity,
                                                "accommodation": accommodation}))
        rows.sort(key=lambda r: (r[2], r[0]))
        return rows

    def index_leavers(self) -> None:
        self.by_birth_month: dict[int, list[Leaver]] = {m: [] for m in range(1, 13)}
        for leaver in self.c.leavers:
            self.by_birth_month[leaver.child.dob.month].append(leaver)


def simulate(months: int = 36, last_period: str = "2025-03", seed: int = 2019) -> tuple[list[str], _Extracts]:
    """The simulated county and its extracts' rows, without writing anything."""
    periods = periods_ending(last_period, months)
    county = _County(random.Random(seed), periods)
    county.simulate()
    extracts = _Extracts(county)
    extracts.build()
    extracts.index_leavers()
    return periods, extracts


def _write_month(folder: Path, tables: Sequence[tuple[str, str, list[tuple]]]) -> list[Path]:
    """Write one month's workbooks: (file name, dataset name, rows) each."""
    from ingest.datasets import DATASETS

    return [write_workbook(Path(folder) / name, DATASETS[dataset], rows) for name, dataset, rows in tables]


def generate(out_dir: Path, months: int = 36, last_period: str = "2025-03", seed: int = 2019, *,
             workers: int | None = None) -> list[tuple[str, list[Path]]]:
    """Write `months` months of the demo county's extracts, ending at `last_period`.

    Returns [(period, [paths of its six files]), ...], oldest month first. The rows are
    simulated in this process; writing the workbooks (most of the time: XlsxWriter does
    about 100,000 cells a second) is shared between `workers` processes (default: one
    per CPU, at most 4). The files' content does not depend on `workers`.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    periods, extracts = simulate(months, last_period, seed)
    builders = (extracts.cic_rows, extracts.visit_rows, extracts.missing_rows, extracts.rhi_rows,
                extracts.health_rows, extracts.care_leaver_rows)
    folders = [Path(out_dir) / period for period in periods]
    jobs = [[(name, dataset.name, build(k)) for (name, dataset), build in zip(FILES, builders)]
            for k in range(len(periods))]
    workers = min(4, os.cpu_count() or 1) if workers is None else workers
    written = None
    if workers > 1 and len(jobs) > 1:
        try:
            with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
                written = list(pool.map(_write_month, folders, jobs))
        except (OSError, RuntimeError, BrokenProcessPool):
            written = None  # no worker processes to be had: write here (a real error re-raises below)
    if written is None:
        written = [_write_month(folder, job) for folder, job in zip(folders, jobs)]
    return list(zip(periods, written))

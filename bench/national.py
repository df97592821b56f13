"""A national-scale store for the metrics benchmark: England as one council, ten years of months.

Builds, with numpy and one seeded generator (same seed, same records; only `loaded_at`
differs), a SQLite store for council E92000001 holding 120 monthly extracts
(2015-04 to 2025-03) of each of the six datasets, written straight through
`store.insert_columns` (no workbooks, no ingest):

    children_in_care    about 84,000 children in care at every month end; about 32,000
                        children enter care a year (about 15% of them UASC, aged 15-17,
                        so about 9-10% of those in care) and as many leave; 1-4 episodes
                        each, some only a change of legal status (reason L)
    visits              a statutory visit due a week after entering care, then every six
                        weeks while in care (about 87% done by the due date): ~7 million
    missing_episodes    about 10,000 a month, a third by children in care
    return_interviews   for most episodes found: about 78% of ended episodes completed,
                        with a mix of hours to the interview
    health_assessments  an initial assessment 20 working days after entering care, then
                        reviews (six-monthly under 5) and dental checks yearly
    care_leavers        the 17th to 21st birthdays of children who left care aged 16 or
                        over: about 4,000 a month

Each record is written once, in one month's extract: episodes in the month they start
(the first month's extract holds every earlier episode of the children in care then),
visits and assessments in the month they are due, missing episodes in the month they
start, return interviews in the month held (refusals and the like: the episode's
month), care leavers in their birthday month. Records carry what is known at the end
of the last month (an episode that ends later is open), not at their own month's end:
enough for timing the metrics, not a replay of how files arrive.

The children are simulated from 19 years before the first month (so the first month
already has children in care since birth, and care leavers up to 21) to the last. Their
episodes are built here; the other tables, from the same children, in national_events.py.

    .venv/bin/python bench/national.py PATH.db [--scale 1.0] [--seed 2015] [--months 120]

At --scale 1.0 it writes about 12.9 million rows (7.4 million of them visits) into a
1.2 GB store in about a minute and a half on one core (the simulation about 11 s, the
rest SQLite inserting), peaking at about 1.7 GB of memory. --scale 0.1 gives a tenth of
everything (1.3 million rows, about 10 s), for trying things.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # for national_events, when imported rather than run
    sys.path.insert(0, str(HERE))

from national_events import (  # noqa: E402
    REGIONS,
    add_years,
    care_leavers_table,
    days,
    health_table,
    missing_tables,
    month_of,
    pick,
    ranges,
    visits_table,
)

from scorecard import store  # noqa: E402
from scorecard.metrics.calendar import years_between  # noqa: E402
from scorecard.periods import month_end as last_day_of  # noqa: E402

COUNCIL = "E92000001"
LAST_PERIOD = "2025-03"
BURN_IN_YEARS = 19
DATASETS = tuple(store.RECORD_TABLES)

# Rates at scale 1.0.
ENTRIES_A_YEAR = 32_000
UASC_SHARE = 0.17
LONG_STAY_MEAN_DAYS = 4_200  # children who stay: leaving hazard before 18 (x3 from 12), tuned for ~84,000 in care

TEAMS_PER_REGION = 6  # in each of the REGIONS (from national_events.py)
# Local authority codes children live in and are placed in (plausible ONS codes).
LA_CODES = ([f"E06{n:06d}" for n in range(1, 63)] + [f"E08{n:06d}" for n in range(1, 38)]
            + [f"E09{n:06d}" for n in range(1, 34)] + [f"E10{n:06d}" for n in range(2, 35)])
POSTCODE_AREAS = ("B", "BS", "CB", "CM", "CV", "DE", "DN", "E", "GU", "HU", "IP", "L", "LE", "LN", "LS", "M",
                  "ME", "MK", "N", "NE", "NG", "NR", "OX", "PE", "PL", "PO", "RG", "S", "SE", "SN", "SO", "ST",
                  "SW", "TS", "W", "WR")

ENTRY_AGE = {0: 22, 1: 5, 2: 5, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4, 11: 4, 12: 5, 13: 6, 14: 7,
             15: 7, 16: 3.5, 17: 1.2}
UASC_AGE = {15: 3, 16: 5, 17: 2}
ETHNICITY = {"WBRI": 70, "WOTH": 4, "WIRT": 0.5, "WROM": 1, "WIRI": 0.5, "MWBC": 4, "MWBA": 1.5, "MWAS": 2,
             "MOTH": 3, "AIND": 0.7, "APKN": 1.5, "ABAN": 0.5, "AOTH": 1, "BCRB": 1.5, "BAFR": 2, "BOTH": 1,
             "CHNE": 0.3, "OOTH": 1.5, "REFU": 0.3, "NOBT": 0.7}
UASC_ETHNICITY = {"AOTH": 32, "BAFR": 33, "OOTH": 22, "WOTH": 10, "BOTH": 3}
CATEGORY_OF_NEED = {"N1": 66, "N2": 4, "N3": 3, "N4": 7, "N5": 15, "N6": 2, "N7": 0.5}
ENTRY_LEGAL = {"young": {"V2": 30, "C1": 52, "L2": 11, "L1": 7}, "teen": {"V2": 42, "C1": 42, "L1": 4, "L2": 6,
               "J1": 3}, "older": {"V2": 72, "C1": 18, "J1": 10}, "uasc": {"V2": 1}}
LATER_LEGAL = {"C2": 65, "C1": 10, "E1": 10, "V2": 12, "J1": 3}
LATER_REASON = {"P": 62, "L": 22, "B": 8, "T": 8}
PLACEMENTS = {  # by age group at the episode's start; INDEPENDENT is H5 before 2024-25, K3 from
    "under_5": {"U6": 68, "U4": 8, "U3": 14, "R3": 3, "U5": 3, "P1": 4},
    "5_to_11": {"U6": 55, "U4": 22, "U3": 12, "K2": 6, "P1": 4, "S1": 1},
    "12_to_15": {"U6": 42, "U4": 14, "U3": 8, "K2": 24, "Z1": 3, "P1": 5, "S1": 2, "R1": 2},
    "16_17": {"INDEPENDENT": 30, "U6": 33, "U4": 10, "K2": 20, "P1": 5, "U3": 2},
    "uasc_15": {"U6": 80, "K2": 20},
    "uasc_16_17": {"INDEPENDENT": 45, "U6": 40, "K2": 15},
}
ADOPTION_PLACEMENT = {"A6": 80, "A5": 20}
PROVIDERS = {
    "foster": {"PR1": 53, "PR4": 37, "PR5": 6, "PR2": 4}, "kinship": {"PR1": 1},
    "residential": {"PR4": 82, "PR1": 12, "PR5": 6}, "adoption": {"PR1": 45, "PR2": 35, "PR5": 20},
    "independent": {"PR4": 50, "PR5": 50}, "parents": {"PR0": 1}, "health": {"PR3": 40, "PR4": 60},
    "other": {"PR4": 70, "PR1": 30},
}
PROVIDER_GROUP = {"U4": "foster", "U5": "foster", "U6": "foster", "U1": "kinship", "U2": "kinship",
                  "U3": "kinship", "K2": "residential", "K1": "residential", "R1": "residential", "S1": "other",
                  "Z1": "other", "A5": "adoption", "A6": "adoption", "H5": "independent", "K3": "independent",
                  "INDEPENDENT": "independent", "P1": "parents", "R3": "health"}
IN_AREA = {"PR0": 0.93, "PR1": 0.9, "PR2": 0.1, "PR3": 0.7, "PR4": 0.57, "PR5": 0.6}
RETURN_HOME = {"E4A": 78, "E4B": 10, "E13": 12}
LEAVE_AT_18_FOSTER = {"E17": 38, "E5": 35, "E6": 5, "E8": 14, "E4A": 5, "E13": 3}
LEAVE_AT_18_OTHER = {"E5": 55, "E6": 15, "E8": 20, "E7": 4, "E4A": 3, "E9": 1, "E13": 2}
LEAVE_AT_18_UASC = {"E5": 58, "E6": 15, "E8": 22, "E16": 3, "E17": 2}
LEAVE_LONG_TERM = {"E4A": 4, "E8": 1, "E13": 1, "E45": 1, "E41": 1}
LEAVE_MEDIUM_YOUNG = {"E11": 55, "E12": 3, "E45": 12, "E46": 8, "E41": 8, "E4A": 14}
LEAVE_MEDIUM_OLDER = {"E45": 25, "E41": 20, "E4A": 40, "E13": 15}

INSERT_CHUNK = 100_000


# -- small vectorised helpers (the shared ones are in national_events.py) ---------------------------

def day_number(value: str) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


def forward_fill(values: np.ndarray, changed: np.ndarray) -> np.ndarray:
    """Each row's value from the latest row at or before it where `changed` (row 0 must be)."""
    source = np.maximum.accumulate(np.where(changed, np.arange(len(changed)), 0))
    return values[source]


# -- the simulation ----------------------------------------------------------------------------------

class Window:
    def __init__(self, months: int):
        last = np.datetime64(LAST_PERIOD, "M")
        self.first_month = last - (months - 1)
        self.months = months
        self.periods = [str(self.first_month + k) for k in range(months)]
        self.first_day = int(self.first_month.astype("datetime64[D]").astype(np.int64))
        self.last_day = int((last + 1).astype("datetime64[D]").astype(np.int64)) - 1
        month_firsts = (self.first_month + np.arange(months + 1)).astype("datetime64[D]").astype(np.int64)
        self.month_first = month_firsts[:-1]
        self.month_last = month_firsts[1:] - 1


def simulate_children(rng: np.random.Generator, window: Window, scale: float) -> dict[str, np.ndarray]:
    """Every child entering care from the burn-in to the last month: one period of care each."""
    start = window.first_day - int(BURN_IN_YEARS * 365.25)
    span = window.last_day - start + 1
    n = rng.poisson(ENTRIES_A_YEAR * scale / 365.25 * span)
    entry = np.sort(start + rng.integers(0, span, n))
    uasc = rng.random(n) < UASC_SHARE
    age = np.where(uasc, pick(rng, UASC_AGE, n), pick(rng, ENTRY_AGE, n)).astype(np.int64)
    dob = entry - np.round(age * 365.25).astype(np.int64) - rng.integers(1, 365, n)
    to_18 = np.maximum(add_years(dob, 18) - entry, 1)
    # How care ends: soon (home), in a few years (adoption, special guardianship, home), or
    # not until 18 for many (with a small leaving hazard).
    young, middle = age < 5, (age >= 5) & (age < 12)
    p_short = np.select([young, middle, age < 16], [0.30, 0.40, 0.40], 0.30)
    p_medium = np.select([young, middle, age < 16], [0.40, 0.20, 0.10], 0.0)
    draw = rng.random(n)
    kind = np.where(draw < p_short, 0, np.where(draw < p_short + p_medium, 1, 2))  # short, medium, long
    stay = np.select([kind == 0, kind == 1],
                     [rng.exponential(100, n) + 1, rng.uniform(240, 1100, n)],
                     rng.exponential(np.where(age >= 12, 3 * LONG_STAY_MEAN_DAYS, LONG_STAY_MEAN_DAYS)))
    transferred = uasc & (rng.random(n) < 0.05)  # the national transfer scheme moves some on
    stay = np.where(uasc, np.where(transferred, rng.uniform(10, 45, n), to_18), stay)
    stay = np.clip(stay.astype(np.int64), 1, to_18)
    end = entry + stay
    at_18 = stay == to_18
    reason = np.empty(n, dtype=object)
    for mask, table in (
        (kind == 0, RETURN_HOME),
        ((kind == 1) & young, LEAVE_MEDIUM_YOUNG),
        ((kind == 1) & ~young, LEAVE_MEDIUM_OLDER),
        ((kind == 2) & ~at_18, LEAVE_LONG_TERM),
        ((kind == 2) & at_18, LEAVE_AT_18_OTHER),
        (uasc, LEAVE_AT_18_UASC),
        (transferred, {"E3": 1}),
    ):
        reason[mask] = pick(rng, table, int(mask.sum()))
    fostered_at_18 = (kind == 2) & at_18 & ~uasc & (rng.random(n) < 0.6)
    reason[fostered_at_18] = pick(rng, LEAVE_AT_18_FOSTER, int(fostered_at_18.sum()))
    region_names = list(REGIONS)
    region = pick(rng, {i: w for i, w in enumerate(REGIONS.values())}, n).astype(np.int64)
    male = rng.random(n) < np.where(uasc, 0.93, 0.52)
    ethnicity = np.where(uasc, pick(rng, UASC_ETHNICITY, n), pick(rng, ETHNICITY, n))
    need = np.where(uasc, "N8", pick(rng, CATEGORY_OF_NEED, n)).astype(object)
    return {
        "entry": entry, "end": end, "dob": dob, "age": age, "uasc": uasc, "kind": kind, "reason": reason,
        "child_id": np.array([f"N{i:08d}" for i in 10_000_000 + np.arange(n) * 3 + rng.integers(0, 3, n)],
                             dtype=object),
        "sex": np.where(male, "M", "F").astype(object), "ethnicity": ethnicity.astype(object),
        "disability": ~uasc & (rng.random(n) < 0.09), "need": need,
        "region": region, "district": np.array(region_names, dtype=object)[region],
        "team": np.array([f"{r} team {t + 1}" for r in region_names for t in range(TEAMS_PER_REGION)],
                         dtype=object)[region * TEAMS_PER_REGION + rng.integers(0, TEAMS_PER_REGION, n)],
        "home_la": rng.integers(0, len(LA_CODES), n),
        "home_postcode": postcodes(rng, n),
        "missing_propensity": rng.lognormal(0, 1.2, n),
    }


def postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    pool = np.array([f"{area}{number}" for area in POSTCODE_AREAS for number in range(1, 41)], dtype=object)
    return pool[rng.integers(0, len(pool), n)]


def written_children(children: dict[str, np.ndarray], window: Window) -> np.ndarray:
    """The children in care at some time in the window: the ones whose episodes are written."""
    return np.flatnonzero((children["end"] > window.first_day) & (children["entry"] <= window.last_day))


def episodes_table(rng: np.random.Generator, children: dict, who: np.ndarray, window: Window) -> dict:
    entry, end = children["entry"][who], children["end"][who]
    stay = end - entry
    years = stay / 365.25
    count = np.clip(1 + rng.poisson(0.3 + 0.35 * years), 1, 4)
    count = np.minimum(count, stay)  # at least a day each
    owner, position = ranges(count)
    # Breaks between episodes: sorted uniform fractions, spread so every episode has a day.
    fraction = rng.random(len(owner))
    order = np.lexsort((fraction, owner))
    fraction = fraction[order]
    span = (stay - count)[owner]
    offset = np.where(position == 0, 0, 1 + np.floor(fraction * span).astype(np.int64) + position - 1)
    # `fraction` is sorted within each child but includes the first episode's draw; the offset of
    # episode j uses the j-th smallest, still increasing, and stays within 1..stay-1.
    start = entry[owner] + offset
    last = position == count[owner] - 1
    next_start = np.append(start[1:], 0)
    episode_end = np.where(last, end[owner], next_start)
    child = who[owner]
    age = years_between(days(children["dob"][child]), days(start))
    m = len(owner)

    reason_new = np.where(position == 0, "S", pick(rng, LATER_REASON, m)).astype(object)
    uasc = children["uasc"][child]
    adopted = last & np.isin(children["reason"][child], ["E11", "E12"]) & (position > 0)
    reason_new[adopted] = "P"
    new_placement = reason_new != "L"

    legal = pick(rng, LATER_LEGAL, m)
    entry_group = np.select([uasc, age < 12, age < 16], ["uasc", "young", "teen"], "older")
    for group, table in ENTRY_LEGAL.items():
        mask = (position == 0) & (entry_group == group)
        legal[mask] = pick(rng, table, int(mask.sum()))
    legal[adopted] = "E1"
    legal = forward_fill(legal, (position == 0) | np.isin(reason_new, ["L", "B"]) | adopted)

    ptype = np.empty(m, dtype=object)
    placement_group = np.select(
        [uasc & (age < 16), uasc, age < 5, age < 12, age < 16],
        ["uasc_15", "uasc_16_17", "under_5", "5_to_11", "12_to_15"], "16_17")
    for group, table in PLACEMENTS.items():
        mask = placement_group == group
        ptype[mask] = pick(rng, table, int(mask.sum()))
    ptype[adopted] = pick(rng, ADOPTION_PLACEMENT, int(adopted.sum()))
    independent = ptype == "INDEPENDENT"
    ptype[independent] = np.where(start[independent] >= day_number("2024-04-01"), "K3", "H5")
    provider = np.empty(m, dtype=object)
    groups = np.array([PROVIDER_GROUP[t] for t in ptype], dtype=object)
    for group, table in PROVIDERS.items():
        mask = groups == group
        provider[mask] = pick(rng, table, int(mask.sum()))
    in_area = rng.random(m) < np.array([IN_AREA[p] for p in provider])
    la_codes = np.array(LA_CODES, dtype=object)
    home_la = children["home_la"][child]
    elsewhere = (home_la + rng.integers(1, len(LA_CODES), m)) % len(LA_CODES)
    placement_la = la_codes[np.where(in_area, home_la, elsewhere)]
    near = 0.5 + rng.lognormal(np.log(5), 0.75, m)
    far = np.where(rng.random(m) < 0.18, rng.uniform(6, 20, m), 20 + rng.lognormal(np.log(28), 0.8, m))
    distance = np.round(np.select([ptype == "P1", in_area], [rng.uniform(0, 3, m), np.minimum(near, 34.0)],
                                  np.minimum(far, 150.0)), 1)
    distance[rng.random(m) < 0.03] = np.nan
    home_postcode = children["home_postcode"][child]
    placement_postcode = np.where((ptype == "P1") & in_area, home_postcode, postcodes(rng, m))
    # A change of legal status only keeps the placement.
    ptype, provider, in_area, placement_la, distance, placement_postcode = (
        forward_fill(values, new_placement) for values in
        (ptype, provider, in_area, placement_la, distance, placement_postcode))

    ended = episode_end <= window.last_day
    ceased = np.where(last, children["reason"][child], "X1").astype(object)
    ceased[~ended] = None
    keep = start <= window.last_day
    month = np.maximum(month_of(start, window.first_month), 0)
    return {
        "_month": month[keep],
        "child_id": children["child_id"][child][keep],
        "date_of_birth": days(children["dob"][child][keep]),
        "sex": children["sex"][child][keep],
        "ethnicity": children["ethnicity"][child][keep],
        "uasc": uasc[keep],
        "disability": children["disability"][child][keep],
        "legal_status": legal[keep],
        "period_start": days(entry[owner][keep]),
        "episode_start": days(start[keep]),
        "episode_end": np.where(ended, days(episode_end), np.datetime64("NaT"))[keep].astype("datetime64[D]"),
        "reason_new_episode": reason_new[keep],
        "reason_episode_ceased": ceased[keep],
        "category_of_need": children["need"][child][keep],
        "placement_type": ptype[keep],
        "placement_provider": provider[keep],
        "placed_in_area": in_area[keep],
        "placement_la": placement_la[keep],
        "distance_miles": distance[keep],
        "home_postcode": home_postcode[keep],
        "placement_postcode": placement_postcode[keep],
        "district": children["district"][child][keep],
    }, {"child": child, "start": start, "in_area": in_area, "placement_la": placement_la}


# -- writing ---------------------------------------------------------------------------------------

def _python(values: np.ndarray) -> list:
    """Column values as the Python objects `insert_columns` takes (dates, datetimes, None)."""
    if values.dtype.kind == "f":
        blank = np.isnan(values)
        return [None if b else v for v, b in zip(values.tolist(), blank.tolist())]
    return values.tolist()  # datetime64[D] -> date, [s] -> datetime, NaT -> None


def write_store(engine, tables: dict[str, dict], window: Window, seed: int, council: str = COUNCIL,
                periods: slice = slice(None)) -> None:
    """Each month's extracts of the six datasets, one transaction a month; only the months in
    `periods` (bench/regional.py holds a council's last month back, to load it later)."""
    rng = np.random.default_rng(seed + 1)
    by_month = {}
    for dataset, table in tables.items():
        order = np.argsort(table["_month"], kind="stable")
        bounds = np.searchsorted(table["_month"][order], np.arange(window.months + 1))
        by_month[dataset] = (order, bounds)
    loaded_at = dt.datetime.now(dt.UTC)
    wanted = set(range(window.months)[periods])
    for k, period in enumerate(window.periods):
        upload_id = str(uuid.UUID(bytes=rng.bytes(16), version=4))
        if k not in wanted:
            continue
        with store.write_transaction(engine) as conn:
            for dataset, table in tables.items():
                order, bounds = by_month[dataset]
                rows = order[bounds[k]:bounds[k + 1]]
                # Each record is written once, in the month it belongs to: these files list
                # what is new, not every record open in their month ("none" complete).
                result = conn.execute(store.extracts.insert().values(
                    upload_id=upload_id, council=council, dataset=dataset, first_month=period, last_month=period,
                    as_at=last_day_of(period), complete_for="none", source_format="template",
                    source_file=f"national/{period}/{dataset}.xlsx",
                    sha256=hashlib.sha256(f"{seed}/{period}/{dataset}".encode()).hexdigest(),
                    row_count=len(rows), loaded_at=loaded_at, loaded_by="bench/national.py", status=store.CURRENT))
                extract_id = result.inserted_primary_key[0]
                for first in range(0, len(rows), INSERT_CHUNK):
                    chunk = rows[first:first + INSERT_CHUNK]
                    columns = {"extract_id": [extract_id] * len(chunk),
                               "source_row": list(range(first + 2, first + 2 + len(chunk)))}
                    for name, values in table.items():
                        if not name.startswith("_"):
                            columns[name] = _python(values[chunk])
                    store.insert_columns(conn, store.RECORD_TABLES[dataset], columns)


def generate(seed: int = 2015, months: int = 120, scale: float = 1.0) -> tuple[dict[str, dict], Window, dict]:
    """The six datasets' columns (numpy arrays, plus `_month`: the extract each row goes in)."""
    rng = np.random.default_rng(seed)
    window = Window(months)
    children = simulate_children(rng, window, scale)
    who = written_children(children, window)
    episodes, placements = episodes_table(rng, children, who, window)
    missing, interviews = missing_tables(rng, children, who, window, scale)
    tables = {
        "children_in_care": episodes,
        "visits": visits_table(rng, children, who, window),
        "missing_episodes": missing,
        "return_interviews": interviews,
        "health_assessments": health_table(rng, children, who, window, placements),
        "care_leavers": care_leavers_table(rng, children, window),
    }
    return tables, window, children


def check_shape(tables: dict[str, dict], window: Window, children: dict) -> dict[str, str]:
    """A few figures to compare with the targets in the docstring."""
    month_end = window.month_last
    entry, end = np.sort(children["entry"]), np.sort(children["end"])
    in_care = np.searchsorted(entry, month_end, side="right") - np.searchsorted(end, month_end, side="right")
    inside = (children["entry"] >= window.first_day) & (children["entry"] <= window.last_day)
    uasc_now = ((children["entry"] <= month_end[-1]) & (children["end"] > month_end[-1]) & children["uasc"]).sum()
    visits = tables["visits"]
    on_time = ~np.isnat(visits["date_done"]) & (visits["date_done"] <= visits["date_due"])
    missing = tables["missing_episodes"]
    rhi = tables["return_interviews"]
    found = (~np.isnat(missing["found_at"])).sum()
    per_month = window.months
    return {
        "children in care at month ends": f"{in_care.min():,} to {in_care.max():,} (mean {in_care.mean():,.0f})",
        "entering care a year": f"{inside.sum() / (per_month / 12):,.0f}",
        "UASC share in care, last month": f"{uasc_now / in_care[-1]:.1%}",
        "visits done by due date": f"{on_time.mean():.1%}",
        "missing episodes a month": f"{len(missing['episode_id']) / per_month:,.0f}",
        "RHI completed / episodes found": f"{(rhi['outcome'] == 'completed').sum() / max(found, 1):.1%}",
        "care leaver birthdays a month": f"{len(tables['care_leavers']['child_id']) / per_month:,.0f}",
    }


def build_national_store(path: str | Path, seed: int = 2015, months: int = 120, scale: float = 1.0,
                         verbose: bool = False) -> dict[str, int]:
    """Write the national store to a new SQLite file at `path`; the row count of each dataset."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists: delete it or choose another path")
    started = time.perf_counter()
    tables, window, children = generate(seed, months, scale)
    simulated = time.perf_counter() - started
    if verbose:
        print(f"simulated in {simulated:.1f} s:")
        for name, value in check_shape(tables, window, children).items():
            print(f"  {name:<34} {value}")
    del children
    engine = store.engine(f"sqlite:///{path}")
    store.create_all(engine)
    write_store(engine, tables, window, seed)
    engine.dispose()
    counts = {dataset: len(table["_month"]) for dataset, table in tables.items()}
    if verbose:
        print(f"written in {time.perf_counter() - started - simulated:.1f} s")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the SQLite file to create")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--months", type=int, default=120)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build_national_store(args.path, args.seed, args.months, args.scale, verbose=True)
    seconds = time.perf_counter() - started
    print(f"{'dataset':<20} {'rows':>12}")
    for dataset, count in counts.items():
        print(f"{dataset:<20} {count:>12,}")
    print(f"{'total':<20} {sum(counts.values()):>12,}")
    print(f"national store ({COUNCIL}, {args.months} months, scale {args.scale}) generated in {seconds:.1f} s: "
          f"{args.path} ({args.path.stat().st_size / 1e9:.2f} GB)")


if __name__ == "__main__":
    main()

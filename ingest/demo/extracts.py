"""The monthly extracts: the simulated county's rows for each written month, as known at that
month's end, and the workbooks they are written to."""
from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ingest.datasets import (
    CARE_LEAVERS,
    CHILDREN_IN_CARE,
    DATASETS,
    HEALTH_ASSESSMENTS,
    MISSING_EPISODES,
    RETURN_INTERVIEWS,
    VISITS,
)
from ingest.demo.appointments import Appointments
from ingest.demo.calendar import DAY, birthday, collection_year, periods_ending
from ingest.demo.county import County
from ingest.demo.missing import MissingRecords
from ingest.demo.people import Child, Leaver, MissingEpisode
from ingest.demo.tables import (
    ACCOM_18, ACCOM_19_21, ACTIVITY_17_18, ACTIVITY_19_21, IN_TOUCH_18, IN_TOUCH_19_21, as_written,
)
from ingest.schema import Dataset
from ingest.templates import write_workbook

FILES: tuple[tuple[str, Dataset], ...] = (
    ("children_in_care.xlsx", CHILDREN_IN_CARE),
    ("visits.xlsx", VISITS),
    ("missing_episodes.xlsx", MISSING_EPISODES),
    ("return_interviews.xlsx", RETURN_INTERVIEWS),
    ("health_assessments.xlsx", HEALTH_ASSESSMENTS),
    ("care_leavers.xlsx", CARE_LEAVERS),
)
SCHEDULED_BEFORE_WINDOW = 400 * DAY
"""Periods of care that ended this long before the first written month have no visits or
assessments left to file."""


def flag(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


def row(dataset: Dataset, values: dict[str, Any]) -> tuple:
    return tuple(values.get(f.name) for f in dataset.stored_fields)


class Extracts:
    """Turns the simulated county into each written month's rows."""

    def __init__(self, county: County):
        self.county = county
        self.rng = county.rng
        self.cic_children: list[list[tuple[Child, int]]] = [[] for _ in range(county.n)]
        """(child, number of the period of care) of the children in care at any time in each month."""
        self.appointments = Appointments(county)
        self.missing = MissingRecords(county)
        self.by_birth_month: dict[int, list[Leaver]] = {m: [] for m in range(1, 13)}
        self.care_leavers_made: list[list[tuple] | None] = [None] * county.n
        """Each written month's care-leaver rows once made (None before): the annual returns'
        OC3 is copied from them, because making them draws from the generator."""

    def build(self) -> None:
        c = self.county
        for child in c.children:
            for number, (start, end, _) in enumerate(child.periods):
                lo = max(0, c.written_index(start))
                hi = min(c.n - 1, c.written_index(end) if end else c.n - 1)
                for k in range(lo, hi + 1):
                    self.cic_children[k].append((child, number))
                if end is None or end >= c.window_first - SCHEDULED_BEFORE_WINDOW:
                    self.appointments.schedule(child, start, end)
        self.missing.simulate(self.cic_children)
        self.missing.interviews()
        for leaver in c.leavers:
            self.by_birth_month[leaver.child.dob.month].append(leaver)

    def builders(self) -> tuple[Callable[[int], list[tuple]], ...]:
        """Each file's row builder (month index -> rows), in the order of FILES."""
        return (self.cic_rows, self.visit_rows, self.missing_rows, self.rhi_rows, self.health_rows,
                self.care_leaver_rows)

    def cic_rows(self, k: int) -> list[tuple]:
        first, last = self.county.written_month(k)
        year = collection_year(first)
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
                rows.append(row(CHILDREN_IN_CARE, {
                    "child_id": child.cid, "date_of_birth": child.dob, "sex": sex, "ethnicity": child.ethnicity,
                    "uasc": flag(child.uasc), "disability": flag(child.disability), "legal_status": episode.ls,
                    "period_start": period_start, "episode_start": episode.start,
                    "episode_end": episode.end if ended else None, "reason_new_episode": episode.rne,
                    "reason_episode_ceased": episode.rec if ended else None, "category_of_need": child.cin,
                    "placement_type": as_written(place.ptype, year), "placement_provider": place.provider,
                    "placed_in_area": flag(place.in_area), "placement_la": place.la,
                    "distance_miles": place.distance, "home_postcode": child.home_pc,
                    "placement_postcode": place.postcode, "district": child.district,
                }))
        return rows

    def visit_rows(self, k: int) -> list[tuple]:
        last = self.county.written_month(k)[1]
        return [row(VISITS, {"child_id": cid, "date_due": due, "date_done": done if done and done <= last else None,
                             "team": team})
                for cid, due, done, team in sorted(self.appointments.visits[k], key=lambda v: (v[1], v[0]))]

    def health_rows(self, k: int) -> list[tuple]:
        last = self.county.written_month(k)[1]
        rows = []
        for cid, kind, looked_after, due, done, in_area, host, score in self.appointments.health[k]:
            known = done if done is not None and done <= last else None
            rows.append(row(HEALTH_ASSESSMENTS, {
                "child_id": cid, "assessment_type": kind, "looked_after_date": looked_after, "date_due": due,
                "date_completed": known, "placed_in_area": flag(in_area), "host_la": host,
                "sdq_score": score if known else None}))
        return rows

    def missing_rows(self, k: int) -> list[tuple]:
        last = dt.datetime.combine(self.county.written_month(k)[1], dt.time(23, 59, 59))
        records = self.missing
        episodes: dict[str, MissingEpisode] = {}
        for episode in records.carried[k] + records.missing[k] + records.rhi_episodes[k]:
            episodes.setdefault(episode.eid, episode)
        return [row(MISSING_EPISODES, {
                    "episode_id": episode.eid, "child_id": episode.child.cid, "in_care": flag(episode.in_care),
                    "missing_from": episode.start, "found_at": episode.found if episode.found <= last else None,
                    "absence_type": episode.absence, "district": episode.child.district})
                for episode in sorted(episodes.values(), key=lambda e: (e.start, e.eid))]

    def rhi_rows(self, k: int) -> list[tuple]:
        return [row(RETURN_INTERVIEWS, {"episode_id": eid, "child_id": cid, "outcome": outcome,
                                        "offered_at": offered, "held_at": held})
                for eid, cid, outcome, offered, held in self.missing.rhi[k]]

    def care_leaver_rows(self, k: int) -> list[tuple]:
        """Care leavers whose 17th to 21st birthday is in month `k`: how they are doing then.

        Draws from the county's generator, so months must be made in order, each once.
        """
        rng = self.rng
        pick = self.county.pick
        first, last = self.county.written_month(k)
        rows = []
        for leaver in self.by_birth_month[first.month]:
            if leaver.died:
                continue
            child = leaver.child
            for age in range(17, 22):
                day = birthday(child.dob, age)
                if not first <= day <= last or day < leaver.left:
                    continue
                in_touch = pick(IN_TOUCH_18 if age <= 18 else IN_TOUCH_19_21)
                if in_touch == "DIED":
                    leaver.died = True
                activity = accommodation = "0"
                if in_touch == "YES":
                    activity = pick(ACTIVITY_17_18 if age <= 18 else ACTIVITY_19_21)
                    if leaver.rec == "E17" and rng.random() < (0.9 if age == 18 else 0.35 if age <= 20 else 0.1):
                        accommodation = "Z1"  # staying put with former foster carers
                    else:
                        accommodation = pick(ACCOM_18 if age <= 18 else ACCOM_19_21)
                        if accommodation == "G1" and not child.uasc:
                            accommodation = "U1"
                rows.append(row(CARE_LEAVERS, {"child_id": child.cid, "date_of_birth": child.dob,
                                               "birthday": day, "in_touch": in_touch, "activity": activity,
                                               "accommodation": accommodation}))
        rows.sort(key=lambda r: (r[2], r[0]))
        self.care_leavers_made[k] = rows
        return rows


def simulate(months: int = 36, last_period: str = "2025-03", seed: int = 2019) -> tuple[list[str], Extracts]:
    """The simulated county and its extracts' rows, without writing anything."""
    periods = periods_ending(last_period, months)
    county = County(random.Random(seed), periods)
    county.simulate()
    extracts = Extracts(county)
    extracts.build()
    return periods, extracts


def write_month(folder: Path, tables: Sequence[tuple[str, str, list[tuple]]]) -> list[Path]:
    """Write one month's workbooks: (file name, dataset name, rows) each.

    Takes the dataset by name so that a worker process is sent only plain data.
    """
    return [write_workbook(Path(folder) / name, DATASETS[dataset], rows) for name, dataset, rows in tables]


def write_extracts(out_dir: Path, periods: Sequence[str], extracts: Extracts,
                   workers: int | None = None) -> list[list[Path]]:
    """Write every month's workbooks into <out_dir>/<period>/, sharing the writing among
    `workers` processes (default: one per CPU, at most 4); each month's paths, oldest first."""
    folders = [Path(out_dir) / period for period in periods]
    # Rows are made here, month by month in order: the care leavers' rows draw from the generator.
    jobs = [[(name, dataset.name, build(k)) for (name, dataset), build in zip(FILES, extracts.builders())]
            for k in range(len(periods))]
    workers = min(4, os.cpu_count() or 1) if workers is None else workers
    if workers > 1 and len(jobs) > 1:
        try:
            with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
                return list(pool.map(write_month, folders, jobs))
        except (OSError, RuntimeError, BrokenProcessPool):
            pass  # no worker processes to be had: write here (a real error re-raises below)
    return [write_month(folder, job) for folder, job in zip(folders, jobs)]

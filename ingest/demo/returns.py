"""The demo county's annual SSDA903 returns (the DfE's children-looked-after return), written
from the same simulated children as the monthly extracts, so that figures computed from the
returns and from the monthly files can be reconciled.

A return covers one collection year ("2023-24": 1 April 2023 to 31 March 2024) and is as at
its 31 March: nothing that happened after that day is in it. Each year is six CSV files
(RETURN_FILES; UTF-8, a header row of the DfE column names, dates dd/mm/yyyy, blank for no
value), following the DfE's definitions:

- episodes.csv: every episode of care open at any time in the year (burn-in children
  included), with its original start (DECOM) and reason for new episode (RNE); DEC and REC
  only if the episode ended by 31 March. PLACE is written as that year writes it (H5 and
  P2 as K3 from 2024-25, Z1 as Z11 from 2025-26). Rows by child, then DECOM.
- header.csv: each child in episodes.csv; SEX 1/2 up to 2023-24 and M/F from 2024-25.
- uasc.csv: the unaccompanied asylum-seeking children among them; DUC (the date UASC status
  ceased) is the 18th birthday if it is by 31 March.
- missing.csv: the missing and away episodes that children in care started in the year,
  as the monthly missing files list them; MIS_END only if the child was found by 31 March.
- oc2.csv: children looked after continuously for 12 months at 31 March (in care that day,
  their period of care begun by 1 April), with their health assessment (within 12 months,
  6 for the under-5s), dental check (within 12 months) and the latest SDQ score of the year,
  worked out from the monthly health assessment records. An assessment counts from the day
  it was done: one done in March but due in April is first listed in April's monthly file.
- oc3.csv: care leavers whose 17th to 21st birthday fell in the year, with exactly the
  monthly care_leavers files' in-touch, activity and accommodation values.

The simulation has missing episodes, health records and care-leaver rows only for the
written months. So missing.csv lists only episodes that began in written months (empty for
years before the window), and oc2.csv and oc3.csv are written with their header row only
for any year not wholly inside the written months: there is nothing to compare them with.
The first simulated year starts from an empty county (it fills within months), and the
burn-in years are written with today's codes (E45-E48, U1-U6, ...) whatever the year.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ingest.datasets import CARE_LEAVERS
from ingest.demo.calendar import add_months, age_on, birthday, collection_year
from ingest.demo.extracts import Extracts
from ingest.demo.people import Child, Episode, MissingEpisode
from ingest.demo.tables import as_written
from scorecard.periods import CollectionYear, parse_month

COLUMNS: dict[str, tuple[str, ...]] = {
    "header.csv": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes.csv": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                     "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "uasc.csv": ("CHILD", "SEX", "DOB", "DUC"),
    "missing.csv": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "oc2.csv": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
                "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED"),
    "oc3.csv": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
}
"""Each file's DfE columns, in the DfE's order."""
RETURN_FILES = tuple(COLUMNS)

SEX_AS_LETTERS_FROM = 2024
"""The DfE changed SEX from 1/2 to M/F in 2024-25."""
HEALTH_ASSESSMENT_KINDS = ("initial", "review")
UNDER_FIVES_LOOK_BACK_MONTHS = 6
"""Under-5s have a health assessment every 6 months, so up to date means within 6 months."""
LOOK_BACK_MONTHS = 12

Row = tuple[Any, ...]


def _year_span(periods: Sequence[str]) -> tuple[int, int]:
    """The first calendar years of (the first collection year starting on or after the first
    written month, the last collection year ending by the last written month)."""
    if not periods:
        raise ValueError("no written months")
    first_year, first_month = parse_month(periods[0])
    last_year, last_month = parse_month(periods[-1])
    return (first_year if first_month <= 4 else first_year + 1,
            last_year - 1 if last_month >= 3 else last_year - 2)


def return_years(periods: Sequence[str], history_years: int = 0) -> list[str]:
    """The collection years ('2022-23') wholly inside the written months `periods` (YYYY-MM, oldest
    first), preceded by `history_years` earlier years (from the simulation's burn-in), oldest first."""
    if history_years < 0:
        raise ValueError("history_years must be 0 or more")
    first_whole, last_whole = _year_span(periods)
    # Without a whole year, the history years count back from the last one that ends in time.
    history_end = min(first_whole, last_whole + 1)
    firsts = [*range(history_end - history_years, history_end), *range(first_whole, last_whole + 1)]
    return [str(CollectionYear(first)) for first in firsts]


def history_years_needed(extracts: Extracts) -> int:
    """How many years before the written ones the returns need so that every episode of every
    child in care at any time in the written months (earlier periods of care too) is in some
    return, back to the first one."""
    in_window = {child for month in extracts.cic_children for child, _ in month}
    earliest = min((e.start for child in in_window for e in child.episodes), default=None)
    if earliest is None:
        return 0
    first_whole, last_whole = _year_span(extracts.county.periods)
    return max(0, min(first_whole, last_whole + 1) - collection_year(earliest))


def _open_in(episode: Episode, year: CollectionYear) -> bool:
    return episode.start <= year.last_day and (episode.end is None or episode.end >= year.first_day)


def _in_care_on(episode: Episode, day: dt.date) -> bool:
    """Open on `day`; an episode that ends on a day is no longer open that day."""
    return episode.start <= day and (episode.end is None or episode.end > day)


def looked_after_12_months(episode: Episode, year: CollectionYear) -> bool:
    """Whether the child of `episode` was looked after continuously for at least 12 months at
    the year's 31 March (the DfE's OC2 cohort): the episode is open that day, in a period of
    care that began on or before 1 April, the year's first day."""
    return _in_care_on(episode, year.last_day) and episode.period_start <= year.first_day


def _sex(child: Child, year: CollectionYear) -> str:
    if year.start >= SEX_AS_LETTERS_FROM:
        return "M" if child.male else "F"
    return "1" if child.male else "2"


def _by_or_blank(day: dt.date | None, year: CollectionYear) -> dt.date | None:
    """`day` if it is known at the year's 31 March, else blank."""
    return day if day is not None and day <= year.last_day else None


class Returns:
    """The simulated children and the monthly extracts' health, missing and care-leaver
    records, indexed once, and each year's tables made from them."""

    def __init__(self, extracts: Extracts):
        self.county = extracts.county
        self.children = sorted(self.county.children, key=lambda child: child.cid)
        self.care_leavers_made = extracts.care_leavers_made
        self.health_done: dict[str, list[tuple[str, dt.date, int | None]]] = defaultdict(list)
        """(kind, date done, SDQ score) of each child's assessments that were done."""
        seen = set()
        for month in extracts.appointments.health:
            for cid, kind, _, due, done, _, _, score in month:
                # An assessment done late is in its due month's file and its done month's file.
                if (cid, kind, due) not in seen and done is not None:
                    self.health_done[cid].append((kind, done, score))
                seen.add((cid, kind, due))
        self.missing_by_year: dict[int, list[MissingEpisode]] = defaultdict(list)
        for month in extracts.missing.missing:  # each episode once, in the month it started
            for episode in month:
                if episode.in_care:
                    self.missing_by_year[collection_year(episode.start.date())].append(episode)

    def written_whole(self, year: CollectionYear) -> bool:
        """Whether every month of `year` is a written month."""
        return self.county.window_first <= year.first_day and year.last_day <= self.county.window_last

    def check(self, year: CollectionYear) -> None:
        """Refuse a year the simulation cannot give as at its 31 March."""
        simulated_from = self.county.bounds[0][0]
        if year.last_day < simulated_from or year.last_day > self.county.window_last:
            raise ValueError(f"collection year {str(year)} is outside the simulated months "
                             f"({simulated_from:%d/%m/%Y} to {self.county.window_last:%d/%m/%Y})")
        if self.written_whole(year):
            first = self.county.written_index(year.first_day)
            for k in range(first, first + 12):
                if self.care_leavers_made[k] is None:
                    raise RuntimeError(
                        f"the care leavers' rows of {self.county.periods[k]} have not been made: write the "
                        "monthly extracts (write_extracts) before the returns, because making those rows "
                        "draws from the county's generator and OC3 must repeat them")

    def tables(self, year: CollectionYear) -> dict[str, list[Row]]:
        """The year's rows for each file of RETURN_FILES."""
        episodes = [(child, e) for child in self.children for e in child.episodes if _open_in(e, year)]
        children = list(dict.fromkeys(child for child, _ in episodes))
        whole = self.written_whole(year)
        return {
            "header.csv": [(c.cid, _sex(c, year), c.dob, c.ethnicity, None, None, None) for c in children],
            "episodes.csv": [self.episode_row(child, e, year) for child, e in episodes],
            "uasc.csv": [(c.cid, _sex(c, year), c.dob, _by_or_blank(birthday(c.dob, 18), year))
                         for c in children if c.uasc],
            "missing.csv": self.missing_rows(year),
            "oc2.csv": self.oc2_rows(year, episodes) if whole else [],
            "oc3.csv": self.oc3_rows(year) if whole else [],
        }

    @staticmethod
    def episode_row(child: Child, episode: Episode, year: CollectionYear) -> Row:
        ended = _by_or_blank(episode.end, year)
        place = episode.place
        return (child.cid, episode.start, episode.rne, episode.ls, child.cin, as_written(place.ptype, year.start),
                place.provider, ended, episode.rec if ended else None, None, child.home_pc, place.postcode, None)

    def missing_rows(self, year: CollectionYear) -> list[Row]:
        episodes = sorted(self.missing_by_year[year.start], key=lambda e: (e.child.cid, e.start, e.eid))
        return [(e.child.cid, e.child.dob, e.absence, e.start.date(), _by_or_blank(e.found.date(), year))
                for e in episodes]

    def oc2_rows(self, year: CollectionYear, episodes: Iterable[tuple[Child, Episode]]) -> list[Row]:
        """Each child looked after continuously for 12 months at 31 March, with their health."""
        rows = []
        for child, episode in episodes:
            if not looked_after_12_months(episode, year):
                continue
            under_five = age_on(child.dob, year.last_day) < 5
            months = UNDER_FIVES_LOOK_BACK_MONTHS if under_five else LOOK_BACK_MONTHS
            assessed = self.done_between(child, HEALTH_ASSESSMENT_KINDS, add_months(year.last_day, -months), year.last_day)
            dental = self.done_between(child, ("dental",), add_months(year.last_day, -LOOK_BACK_MONTHS), year.last_day)
            sdqs = sorted(self.done_in(child, ("sdq",), year.first_day, year.last_day), key=lambda done: done[1])
            assessment = "1" if assessed else "0"
            rows.append((child.cid, child.dob, sdqs[-1][2] if sdqs else None, None, "0",
                         assessment if under_five else None, None, "1" if dental else "0", assessment, "0",
                         None, None))
        return rows

    def done_in(self, child: Child, kinds: Sequence[str], since: dt.date,
                until: dt.date) -> list[tuple[str, dt.date, int | None]]:
        """The child's assessments of these kinds done from `since` to `until`, both included."""
        return [done for done in self.health_done[child.cid] if done[0] in kinds and since <= done[1] <= until]

    def done_between(self, child: Child, kinds: Sequence[str], since: dt.date, until: dt.date) -> bool:
        return bool(self.done_in(child, kinds, since, until))

    def oc3_rows(self, year: CollectionYear) -> list[Row]:
        names = [f.name for f in CARE_LEAVERS.stored_fields]
        rows = []
        first = self.county.written_index(year.first_day)
        for k in range(first, first + 12):
            for values in self.care_leavers_made[k]:
                leaver = dict(zip(names, values))
                rows.append((leaver["child_id"], leaver["date_of_birth"], leaver["in_touch"], leaver["activity"],
                             leaver["accommodation"]))
        return sorted(rows, key=lambda r: r[0])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)
    return path


def write_returns(out_dir: Path, extracts: Extracts, years: Sequence[str]) -> list[tuple[str, list[Path]]]:
    """Write each year's return as <out_dir>/<year>/<file> for the files in RETURN_FILES; returns
    [(year, [paths in RETURN_FILES order]), ...].

    Call it after the monthly rows are made (`write_extracts`): OC3 repeats the care leavers'
    rows, which are drawn from the generator as they are made. Every year is checked before
    anything is written.
    """
    returns = Returns(extracts)
    chosen = [CollectionYear.parse(name) for name in years]
    for year in chosen:
        returns.check(year)
    written = []
    for year in chosen:
        tables = returns.tables(year)
        folder = Path(out_dir) / str(year)
        written.append((str(year), [write_table(folder / name, COLUMNS[name], tables[name])
                                    for name in RETURN_FILES]))
    return written

"""Four consecutive SSDA903 returns, 2017-18 to 2020-21, written from a handful of
hand-made children so that every figure the scorecard gives from them can be worked out
by hand (the working is in tests/test_ssda903_history.py, beside the expected figures).

Why a generator rather than checked-in CSV files: each child is written once, as the
story of its care (its episodes, with their original start dates), and each year's return
is cut from those stories by the DfE's rule (every episode open at any time in the
year, with its original DECOM and RNE), so a continuing child's first episode in a later
year is the episode open on 1 April, started in an earlier year, exactly as real
returns carry it. `repeat_open_episode=False` writes the later years as the issue
reporter's files seem to be written instead: a child with a new episode during the year
starts the year with it (RNE P, B or L), and the episode open on 1 April is left out.

The children (dates dd/mm/yyyy; "xN" is how many identical children share the story, so
that cohorts reach the 10 children the scorecard needs before it rates a figure):

  A x6  born 01/06/2010. In care from 15/05/2017 (S, U4) to the end; legal status only
        changed on 01/07/2017 (L, C1 -> C2): one placement throughout. Under 16 in care
        for 3 years in the same placement. From 2018-19 on, each return starts with the L
        episode (DECOM 2017), so one later return alone cannot see the period's start.
  B x2  born 10/02/2009. In care from 01/06/2017 (S, U4); moved on 01/03/2020 (P, U5).
        Under 16 in care for 3 years who moved 1 year ago (at March 2021).
  C x1  born 01/09/2007. In care from 01/07/2018 (S, U4); moved 01/11/2018 (P, U6) and
        01/02/2019 (P, K2): three placements in a year. Missing in December 2018 and
        away in January 2019.
  D x1  born 05/03/2011. In care 01/08/2017 to 15/02/2018 (returned home, E4A); back in
        care from 01/10/2018 (S again: a second period of care), to the end. At 31 March
        2021 the second period is exactly 30 months old, counting its first day.
  E x1  born 01/03/2015. In care from 01/09/2017 (S, U4); placed for adoption on
        01/12/2019 (B: placement and legal status, A4, E1); adopted on 30/09/2020 (E11),
        a month end, so not in care on that day.
  F x1  born 10/05/2002, an unaccompanied asylum-seeking child. In care from 20/08/2018
        (S, H5) to his 18th birthday, 10/05/2020 (E8), when his UASC status ceased.
  G x1  born 20/01/2006. In care from 30/04/2018 (S, U4), a month end; listed as open in
        the 2018-19 return and absent from the 2019-20 one: left care by 1 April 2019.
  H x1  born 15/11/2004. In care from 20/04/2017 (S, U4) to the end, one placement;
        turns 16 on 15/11/2020. Missing 05/10/2017 to 06/10/2017.
  J x1  born 01/12/2000. In care from 10/04/2017 (S, U4) to his 18th birthday,
        01/12/2018 (E17); a care leaver (OC3) at 18, 19 and 20.
  K x1  born 15/06/1999. Left care before 2017: only ever in OC3, at 18 to 21.
  L x3  born 08/08/2008. In care from 20/11/2017 (S, U4) to the end, one placement, and
        the first episode itself is open on 1 April every year (RNE S).
  M x1  born 09/09/2009. In care from 15/06/2017 (S, U4) to the end, one placement; legal
        status only changed on 01/09/2019 (L, C1 -> C2), inside the 24 months that
        long-term stability looks back over: still the same placement.
  N x1  born 01/01/2012. In care from 01/05/2019 (S, U4); moved 01/08/2019 (P, U6); legal
        status changed 01/11/2019 (L, V2 -> C2): two placements, not three. Missing
        14/09/2020 to 15/09/2020.

Tables with only their header row: UASC in 2017-18 (F arrives in 2018-19), OC2 in
2017-18 (no child has been looked after 12 months by 31 March 2018), Missing in 2019-20
(no child went missing that year).

OC2 lists, each 31 March, the children in care that day whose period of care began on
or before 1 April of the year before (HEALTH_ASSESSMENT, TEETH_CHECK below):

  2018-19: A (1, 1), B (1, 0), E (1, 1), H (0, 0), L (1, 1), M (1, 1)             14 children
  2019-20: A (1, 1), B (1, 1), C (0, 1), D (1, 0), E (1, 1), F (0, 0), H (1, 0), L (1, 1),
           M (1, 1)                                                               17 children
  2020-21: A (1, 0), B (0, 1), C (1, 1), D (1, 1), H (1, 1), L (1, 1), M (1, 1), N (0, 0)
                                                                                  16 children
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ingest.demo.returns import COLUMNS  # the DfE's column layout of each file, in its order
"""Each table's DfE columns, in the DfE's order; one CSV file per table."""

YEARS = ("2017-18", "2018-19", "2019-20", "2020-21")


def day(text: str) -> dt.date:
    """A date as the return writes it, dd/mm/yyyy."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """1 April and 31 March of a collection year written like 2019-20."""
    start = int(year[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


@dataclass(frozen=True)
class Episode:
    start: str                 # DECOM
    rne: str
    ls: str
    place: str
    end: str | None = None     # DEC
    rec: str | None = None
    provider: str = "PR1"
    why_moved: str = ""        # REASON_PLACE_CHANGE

    def open_in(self, year: str) -> bool:
        first, last = year_bounds(year)
        return day(self.start) <= last and (self.end is None or day(self.end) >= first)


@dataclass(frozen=True)
class Story:
    """One child's care, shared by `copies` identical children (ids A1, A2, ...)."""

    letter: str
    copies: int
    sex: str
    born: str
    episodes: tuple[Episode, ...] = ()
    duc: dict[str, str] = field(default_factory=dict)        # UASC: year -> DUC as that year writes it
    missing: tuple[tuple[str, str, str], ...] = ()           # (MISSING, MIS_START, MIS_END)
    oc2: dict[str, tuple[int, int]] = field(default_factory=dict)       # year -> (HEALTH_ASSESSMENT, TEETH_CHECK)
    oc3: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # year -> (IN_TOUCH, ACTIV, ACCOM)
    last_listed: str | None = None  # the last return that lists the child (G)

    @property
    def ids(self) -> list[str]:
        return [f"{self.letter}{n}" for n in range(1, self.copies + 1)]

    def episodes_in(self, year: str, repeat_open_episode: bool = True) -> list[Episode]:
        """The episodes the year's return lists: every one open at any time in the year.
        Written the reporter's way, a child who has a new episode in the year loses the
        episode that was open on 1 April."""
        if self.last_listed is not None and year > self.last_listed:
            return []
        listed = [e for e in self.episodes if e.open_in(year)]
        first = year_bounds(year)[0]
        if not repeat_open_episode and any(day(e.start) >= first for e in listed):
            listed = [e for e in listed if day(e.start) >= first]
        return listed


def _age_on(born: str, on: dt.date) -> int:
    b = day(born)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


STORIES: tuple[Story, ...] = (
    Story("A", 6, "1", "01/06/2010", (
        Episode("15/05/2017", "S", "C1", "U4", end="01/07/2017", rec="X1"),
        Episode("01/07/2017", "L", "C2", "U4"),
    ), oc2={"2018-19": (1, 1), "2019-20": (1, 1), "2020-21": (1, 0)}),
    Story("B", 2, "2", "10/02/2009", (
        Episode("01/06/2017", "S", "C2", "U4", end="01/03/2020", rec="X1"),
        Episode("01/03/2020", "P", "C2", "U5", provider="PR4", why_moved="CARPL"),
    ), oc2={"2018-19": (1, 0), "2019-20": (1, 1), "2020-21": (0, 1)}),
    Story("C", 1, "1", "01/09/2007", (
        Episode("01/07/2018", "S", "V2", "U4", end="01/11/2018", rec="X1"),
        Episode("01/11/2018", "P", "V2", "U6", end="01/02/2019", rec="X1", provider="PR4", why_moved="CLOSE"),
        Episode("01/02/2019", "P", "V2", "K2", provider="PR4", why_moved="CARPL"),
    ), missing=(("M", "10/12/2018", "12/12/2018"), ("A", "05/01/2019", "05/01/2019")),
        oc2={"2019-20": (0, 1), "2020-21": (1, 1)}),
    Story("D", 1, "2", "05/03/2011", (
        Episode("01/08/2017", "S", "V2", "U4", end="15/02/2018", rec="E4A"),
        Episode("01/10/2018", "S", "C1", "U4"),
    ), oc2={"2019-20": (1, 0), "2020-21": (1, 1)}),
    Story("E", 1, "2", "01/03/2015", (
        Episode("01/09/2017", "S", "C2", "U4", end="01/12/2019", rec="X1"),
        Episode("01/12/2019", "B", "E1", "A4", end="30/09/2020", rec="E11", why_moved="CARPL"),
    ), oc2={"2018-19": (1, 1), "2019-20": (1, 1)}),
    Story("F", 1, "1", "10/05/2002", (
        Episode("20/08/2018", "S", "V2", "H5", end="10/05/2020", rec="E8", provider="PR4"),
    ), duc={"2018-19": "", "2019-20": "", "2020-21": "10/05/2020"}, oc2={"2019-20": (0, 0)}),
    Story("G", 1, "1", "20/01/2006", (
        Episode("30/04/2018", "S", "V2", "U4"),
    ), last_listed="2018-19"),
    Story("H", 1, "2", "15/11/2004", (
        Episode("20/04/2017", "S", "C2", "U4"),
    ), missing=(("M", "05/10/2017", "06/10/2017"),),
        oc2={"2018-19": (0, 0), "2019-20": (1, 0), "2020-21": (1, 1)}),
    Story("J", 1, "1", "01/12/2000", (
        Episode("10/04/2017", "S", "V2", "U4", end="01/12/2018", rec="E17"),
    ), oc3={"2018-19": ("YES", "F2", "B1"), "2019-20": ("YES", "F2", "H1"), "2020-21": ("YES", "F1", "H1")}),
    Story("K", 1, "2", "15/06/1999", oc3={"2017-18": ("YES", "F2", "B1"), "2018-19": ("NO", "G4", "0"),
                                          "2019-20": ("YES", "P2", "R1"), "2020-21": ("NO", "G5", "0")}),
    Story("L", 3, "2", "08/08/2008", (
        Episode("20/11/2017", "S", "C2", "U4"),
    ), oc2={"2018-19": (1, 1), "2019-20": (1, 1), "2020-21": (1, 1)}),
    Story("M", 1, "2", "09/09/2009", (
        Episode("15/06/2017", "S", "C1", "U4", end="01/09/2019", rec="X1"),
        Episode("01/09/2019", "L", "C2", "U4"),
    ), oc2={"2018-19": (1, 1), "2019-20": (1, 1), "2020-21": (1, 1)}),
    Story("N", 1, "1", "01/01/2012", (
        Episode("01/05/2019", "S", "V2", "U4", end="01/08/2019", rec="X1"),
        Episode("01/08/2019", "P", "V2", "U6", end="01/11/2019", rec="X1", why_moved="CARPL"),
        Episode("01/11/2019", "L", "C2", "U6"),
    ), missing=(("M", "14/09/2020", "15/09/2020"),), oc2={"2020-21": (0, 0)}),
)
STORY = {s.letter: s for s in STORIES}


def _rows(year: str, repeat_open_episode: bool, stories: tuple[Story, ...]) -> dict[str, list[tuple]]:
    """Every table of one year's return, as rows of text in the DfE column order."""
    first, last = year_bounds(year)
    tables: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    for story in stories:
        episodes = story.episodes_in(year, repeat_open_episode)
        for child in story.ids:
            if episodes:
                tables["header.csv"].append((child, story.sex, story.born, "WBRI", "", "", ""))
            for e in episodes:
                # A return is as at its 31 March: an episode that ends later is open in it.
                ended = e.end is not None and day(e.end) <= last
                tables["episodes.csv"].append((child, e.start, e.rne, e.ls, "N1", e.place, e.provider,
                                               e.end if ended else "", e.rec if ended else "", e.why_moved,
                                               "AB1 2CD", "AB3 4EF", ""))
            if episodes and year in story.duc:
                tables["uasc.csv"].append((child, story.sex, story.born, story.duc[year]))
            for kind, went, found in story.missing:
                if first <= day(went) <= last:
                    tables["missing.csv"].append((child, story.born, kind, went, found))
            if year in story.oc2:
                health, teeth = story.oc2[year]
                age = _age_on(story.born, last)
                tables["oc2.csv"].append((child, story.born, "12" if 4 <= age <= 16 else "", "", "0",
                                          "1" if age < 5 else "", "1", str(teeth), str(health), "0", "", ""))
            if year in story.oc3:
                tables["oc3.csv"].append((child, story.born, *story.oc3[year]))
    return tables


def write_return(folder: Path, year: str, repeat_open_episode: bool = True,
                 stories: tuple[Story, ...] = STORIES) -> list[Path]:
    """Write one year's return as the DfE's six CSV files in `folder`; returns their paths.
    `stories` narrows it to some of the children (a small council's return)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in _rows(year, repeat_open_episode, stories).items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS[name])
            writer.writerows(rows)
        paths.append(path)
    return paths


def write_returns(folder: Path, years: tuple[str, ...] = YEARS,
                  repeat_open_episode: bool = True) -> dict[str, list[Path]]:
    """Each year's return in its own sub-folder of `folder` ({year: [paths]})."""
    return {year: write_return(folder / year, year, repeat_open_episode) for year in years}

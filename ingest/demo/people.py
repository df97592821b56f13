"""The simulated people and their records: children, placements, episodes of care, care
leavers, and missing episodes.

Records compare by identity (eq=False): two children with the same details are still two
children, and episodes are looked up by object in lists.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class Placement:
    ptype: str
    provider: str
    in_area: bool
    la: str
    distance: float
    postcode: str
    since: dt.date


@dataclass(slots=True, eq=False)
class Episode:
    start: dt.date
    rne: str
    ls: str
    place: Placement
    period_start: dt.date
    end: dt.date | None = None
    rec: str | None = None


@dataclass(slots=True, eq=False)
class Child:
    cid: str
    dob: dt.date
    male: bool
    ethnicity: str
    uasc: bool
    district: str
    home_pc: str
    old_codes: bool = False
    disability: bool = False
    volatile: bool = False
    visit_long: bool = False
    cin: str = "N1"
    miss: float = 1.0
    episodes: list[Episode] = field(default_factory=list)
    periods: list[list] = field(default_factory=list)
    """Periods of care: [start, end, reason ceased]."""
    sched: tuple | None = None
    """What happens next and when: (day, kind, argument...)."""
    in_care: bool = False
    last_found: dt.datetime | None = None

    def episode_on(self, day: dt.date) -> Episode:
        for episode in reversed(self.episodes):
            if episode.start <= day:
                return episode
        return self.episodes[0]


@dataclass(slots=True, eq=False)
class Leaver:
    child: Child
    left: dt.date
    rec: str
    died: bool = False


@dataclass(slots=True, eq=False)
class OtherChild:
    """A child who is not in care but goes missing."""
    cid: str
    district: str
    miss: float
    last_found: dt.datetime | None = None


@dataclass(slots=True, eq=False)
class MissingEpisode:
    eid: str
    child: Child | OtherChild
    in_care: bool
    start: dt.datetime
    found: dt.datetime
    absence: str
    month: int

"""The demo county's simulation: children entering care, their placements, legal statuses and
moves, and how their care ends, month by month from one seeded `random.Random`.

Every draw comes from that one generator in a fixed order, so the same seed gives the same
county; changing the order of draws (even of ones whose result is unused) changes everything after.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

from ingest.demo.calendar import DAY, add_years, age_on, birthday, collection_year, month_last
from ingest.demo.people import Child, Episode, Leaver, Placement
from ingest.demo.tables import (
    ADOPTION_TYPES, CATEGORY_OF_NEED, COUNCIL, DISTRICT_CHOICE, DISTRICT_POSTCODES, ENTRY_AGE, ENTRY_LS_OLDER,
    ENTRY_LS_TEEN, ENTRY_LS_YOUNG, ETHNICITY, FOSTER_TYPES, HEARING_OLDER, HEARING_YOUNG, IN_AREA,
    INDEPENDENT_TYPES, LEAVE_AT_18_FOSTER, LEAVE_AT_18_OTHER, LEAVE_AT_18_UASC, LEAVE_FROM_PARENTS,
    LEAVE_LONG_TERM_OLDER, LEAVE_LONG_TERM_YOUNG, NEIGHBOUR_CHOICE, PLACE_5_TO_11, PLACE_12_TO_15,
    PLACE_12_TO_15_VOLATILE, PLACE_16_17, PLACE_UASC_15, PLACE_UASC_16_17, PLACE_UNDER_5, PROVIDERS, RETURN_HOME,
    UASC_AGE, UASC_ETHNICITY, ChoiceTable, as_written,
)

BURN_IN_MONTHS = 16 * 12
"""Months simulated before the first written month (so 21-year-old care leavers exist)."""


class County:
    """The county's children month by month: BURN_IN_MONTHS unwritten months, then the written ones."""

    def __init__(self, rng: random.Random, periods: Sequence[str]):
        self.rng = rng
        self.periods = list(periods)
        self.n = len(self.periods)  # written months
        first_year, first_month = (int(p) for p in self.periods[0].split("-"))
        self.base = first_year * 12 + first_month - 1 - BURN_IN_MONTHS  # month number of the first simulated
        self.bounds = []
        for i in range(BURN_IN_MONTHS + self.n):
            year, month = divmod(self.base + i, 12)
            self.bounds.append((dt.date(year, month + 1, 1), month_last(year, month + 1)))
        self.window_first = self.bounds[BURN_IN_MONTHS][0]
        self.window_last = self.bounds[-1][1]
        july = self._month_before_last(7, 18)
        self.missing_spike = {july: 1.4, july + 1: 1.5}
        december = self._month_before_last(12, 12)
        self.visit_dip = {december: 0.72, december + 1: 0.68, december + 2: 0.72, december + 3: 0.82}
        self.iha_dip = {december - 3: 0.6, december - 2: 0.5, december - 1: 0.5, december: 0.55}
        self.next_id = 100000 + rng.randint(0, 5000)
        self.children: list[Child] = []
        self.in_care: list[Child] = []
        self.returned: list[Child] = []
        self.leavers: list[Leaver] = []

    # Written month indexes: 0 is the first written month, negative ones are the burn-in.
    def written_index(self, day: dt.date) -> int:
        """The index of `day`'s month among the written months (may be out of range)."""
        return day.year * 12 + day.month - 1 - self.base - BURN_IN_MONTHS

    def written_month(self, k: int) -> tuple[dt.date, dt.date]:
        """The first and last day of written month `k`."""
        return self.bounds[BURN_IN_MONTHS + k]

    def _month_before_last(self, calendar_month: int, at_least: int) -> int:
        """The written month index of the `calendar_month` between `at_least` and `at_least` + 11 months
        before the last month, so the patterns keep their distance from the last month."""
        last = self.n - 1
        return next(k for k in range(last - at_least - 11, last - at_least + 1)
                    if self.written_month(k)[0].month == calendar_month)

    # -- people ----------------------------------------------------------------------------------

    def pick(self, table: ChoiceTable):
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def new_id(self) -> str:
        self.next_id += self.rng.randint(1, 37)
        return str(self.next_id)

    def new_child(self, day: dt.date, uasc: bool) -> Child:
        rng = self.rng
        age = self.pick(UASC_AGE if uasc else ENTRY_AGE)
        dob = add_years(day, -age) - dt.timedelta(days=rng.randint(1, 330 if age == 17 else 364))
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
        age = age_on(child.dob, day)
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
            ptype = "K3" if collection_year(day) >= 2024 else ("H5" if rng.random() < 0.7 else "P2")
        # Settled children moving on usually go to long-term foster carers.
        if kind == "move" and ptype == "U6" and child.periods and (day - child.periods[-1][0]).days > 270 \
                and rng.random() < 0.45:
            ptype = "U4"
        if ptype == "U3" and kind == "move" and rng.random() < 0.3:
            ptype = "U1"
        ptype = as_written(ptype, collection_year(day))

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
        postcode = None
        if ptype == "P1":
            distance = round(rng.uniform(0, 3), 1)
            postcode = child.home_pc if in_area else None
        elif in_area:
            distance = round(min(34.0, 0.5 + rng.lognormvariate(math.log(5), 0.75)), 1)
        elif rng.random() < 0.18:  # just over the county border
            distance = round(rng.uniform(6, 20), 1)
        else:
            distance = round(min(150.0, 20 + rng.lognormvariate(math.log(28), 0.8)), 1)
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
            if candidate.periods[-1][1] <= day - 60 * DAY and age_on(candidate.dob, day) <= 16:
                child = self.returned.pop(j)
        if child is None:
            child = self.new_child(day, uasc)
        age = age_on(child.dob, day)
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
        age = age_on(child.dob, day)
        if rec in ("E4A", "E4B", "E13") and age < 16:
            self.returned.append(child)
        since = max(child.periods[-1][0], birthday(child.dob, 14))
        if age >= 16 and (day - since).days >= 91 and rec in {"E5", "E6", "E7", "E8", "E9", "E14", "E17", "E13"}:
            self.leavers.append(Leaver(child, day, rec))

    def step(self, child: Child, first: dt.date, last: dt.date) -> None:
        rng = self.rng
        episode = child.episodes[-1]
        eighteen = birthday(child.dob, 18)
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
        age = age_on(child.dob, first)
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
        age = age_on(child.dob, day)
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
            # Children not UASC: about 655, drifting up by 35 over the written months.
            target = 655 + 35 * max(0, i - BURN_IN_MONTHS) / max(1, self.n - 1)
            non_uasc = sum(1 for c in self.in_care if not c.uasc)
            wanted = 23 + 0.25 * (target - non_uasc) + rng.gauss(0, 3)
            arrivals = [False] * max(0, min(90, round(wanted)))
            season = {7: 2.0, 8: 2.2, 9: 1.8, 6: 1.2, 10: 1.1}.get(first.month, 0.65)
            arrivals += [True] * poisson(rng, 3.8 * season)
            days = (last - first).days
            for uasc in arrivals:
                self.enter(first + rng.randint(0, days) * DAY, uasc)
            for child in self.in_care:
                self.step(child, first, last)
            self.in_care = [c for c in self.in_care if c.in_care]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw from the county's own generator (Knuth's method): `random` has none,
    and drawing from another generator would break same seed, same county."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count



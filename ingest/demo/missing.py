"""Missing episodes and return home interviews, for children in care and other children."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

from ingest.demo.calendar import DAY, HOUR, add_working_days, age_on, is_working_day
from ingest.demo.county import County
from ingest.demo.people import Child, MissingEpisode, OtherChild
from ingest.demo.tables import DISTRICT_CHOICE, MISSING_HOURS, RHI_OTHER_OUTCOMES, UNSTABLE_PLACE

MAX_EPISODES_A_MONTH = 6
"""The most episodes one child starts in a month."""


class MissingRecords:
    """Each written month's missing episodes and return interviews, as the county's systems hold them.

    `missing[k]`: episodes that started in month k; `carried[k]`: earlier ones still open at
    the start of month k; `rhi[k]`: interviews (episode id, child id, outcome, offered at,
    held at) recorded in month k; `rhi_episodes[k]`: earlier episodes whose interview is in
    month k.
    """

    def __init__(self, county: County):
        self.county = county
        self.rng = county.rng
        n = county.n
        self.missing: list[list[MissingEpisode]] = [[] for _ in range(n)]
        self.carried: list[list[MissingEpisode]] = [[] for _ in range(n)]
        self.rhi: list[list[tuple]] = [[] for _ in range(n)]
        self.rhi_episodes: list[list[MissingEpisode]] = [[] for _ in range(n)]

    # -- missing episodes ------------------------------------------------------------------------

    def missing_time(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        rng = self.rng
        days = (end.date() - start.date()).days
        for _ in range(20):
            day = start.date() + rng.randint(0, days) * DAY
            if day.weekday() < 4 and rng.random() < 0.3:  # evenings and weekends are busier
                continue
            moment = dt.datetime.combine(day, dt.time(self.county.pick(MISSING_HOURS), rng.randint(0, 59)))
            if start <= moment <= end:
                return moment
        return start + (end - start) * rng.random()

    def episodes_for(self, child: Child | OtherChild, count: int, start: dt.datetime, end: dt.datetime, k: int,
                     in_care: bool) -> None:
        """`count` episodes for `child` starting between `start` and `end` in month `k`, none overlapping."""
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

    def go_missing(self, people: Sequence[Child | OtherChild], weights: Sequence[float], episodes: int,
                   windows: Sequence[tuple[dt.datetime, dt.datetime]], k: int, in_care: bool) -> None:
        """Share `episodes` episodes in month `k` among `people` by weight, each within their window."""
        chosen = Counter(self.rng.choices(range(len(people)), weights, k=max(0, episodes)))
        for j, count in chosen.items():
            self.episodes_for(people[j], min(count, MAX_EPISODES_A_MONTH), *windows[j], k, in_care)

    def simulate(self, cic_children: Sequence[Sequence[tuple[Child, int]]]) -> None:
        """Every written month's episodes; `cic_children[k]`: (child, period number) in care in month k."""
        rng = self.rng
        c = self.county
        next_episode = rng.randint(1000, 9000) * 10
        pool = [OtherChild(str(600000 + i * 7 + rng.randint(0, 6)), c.pick(DISTRICT_CHOICE),
                           rng.lognormvariate(0, 1.4)) for i in range(600)]
        next_other = 600000 + 600 * 7
        for k in range(c.n):
            first, last = c.written_month(k)
            month_start = dt.datetime.combine(first, dt.time(0, 0))
            month_end = dt.datetime.combine(last, dt.time(23, 59))
            spike = c.missing_spike.get(k, 1.0)
            # Children in care: teenagers, in children's homes and unsettled placements most.
            candidates, weights, windows = [], [], []
            for child, number in cic_children[k]:
                start, end = child.periods[number][:2]
                age = age_on(child.dob, last)
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
            self.go_missing(candidates, weights, round(rng.gauss(34 * spike, 4)), windows, k, True)
            # Other children: a pool that turns over slowly, a few going missing again and again.
            for _ in range(18):
                j = rng.randrange(len(pool))
                next_other += rng.randint(1, 9)
                pool[j] = OtherChild(str(next_other), c.pick(DISTRICT_CHOICE), rng.lognormvariate(0, 1.4))
            self.go_missing(pool, [p.miss for p in pool], round(rng.gauss(66 * spike, 6)),
                            [(month_start, month_end)] * len(pool), k, False)
            self.missing[k].sort(key=lambda e: (e.start, e.child.cid))
            for episode in self.missing[k]:  # numbered as the system would: in the order reported
                next_episode += 1
                episode.eid = f"ME{next_episode:06d}"
            # Episodes still open at a month end are in every later file until the child is found.
            for episode in self.missing[k]:
                later = k + 1
                while later < c.n and episode.found > dt.datetime.combine(
                        c.written_month(later - 1)[1], dt.time(23, 59, 59)):
                    self.carried[later].append(episode)
                    later += 1

    # -- return home interviews ------------------------------------------------------------------

    def rhi_quick_share(self, k: int) -> float:
        """Chance an interview is offered for the same or next working day: improves over the last year."""
        before_last = self.county.n - 1 - k
        if before_last >= 12:
            return 0.38
        return 0.38 + 0.24 * (12 - before_last) / 12

    def next_working_time(self, moment: dt.datetime) -> dt.datetime:
        """`moment` if in working hours, else 9-something on the next working morning."""
        day = moment.date()
        if is_working_day(day) and moment.hour < 17:
            if moment.hour >= 9:
                return moment
        else:
            day = add_working_days(day, 1)
        return dt.datetime.combine(day, dt.time(9, self.rng.randint(0, 59)))

    def interviews(self) -> None:
        """An interview, or why there was none, for every episode found before the last month ends."""
        rng = self.rng
        c = self.county
        by_child: dict[str, list[MissingEpisode]] = {}
        for k in range(c.n):
            for episode in self.missing[k]:
                by_child.setdefault(episode.child.cid, []).append(episode)
        for k in range(c.n):
            for episode in self.missing[k]:
                found = episode.found
                found_k = c.written_index(found.date())
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
                day = add_working_days(offered.date(), lag)
                held = dt.datetime.combine(day, dt.time(rng.randint(10, 18), rng.choice((0, 15, 30, 45))))
                if held <= offered:
                    held = offered + dt.timedelta(hours=rng.randint(1, 3))
                if next_missing is not None and next_missing < held:
                    outcome = "missing_again"
                    when = next_missing
                    offered_at = offered if offered < next_missing else None
                    held = None
                else:
                    outcome = c.pick(RHI_OTHER_OUTCOMES)
                    offered_at = offered
                    if outcome == "completed":
                        when = held
                    elif outcome == "exempt":
                        when, offered_at, held = found, None, None
                    elif outcome == "not_completed":
                        when, held = offered + 10 * DAY, None
                    else:
                        when, held = offered + rng.randint(0, 48) * HOUR, None
                record_k = c.written_index(when.date())
                if record_k >= c.n:
                    continue
                self.rhi[record_k].append((episode.eid, episode.child.cid, outcome, offered_at, held))
                if record_k > k:
                    self.rhi_episodes[record_k].append(episode)

"""Statutory visits and health assessments: when each falls due in a period of care, and
when (or whether) it was done."""
from __future__ import annotations

import datetime as dt

from ingest.demo.calendar import DAY, add_months, add_working_days, age_on
from ingest.demo.county import County
from ingest.demo.people import Child

NORMAL_VISITS_ON_TIME = 0.885


class Appointments:
    """Each written month's visits and health assessments due (and late ones done) in it.

    `visits[k]`: (child id, due, done, team); `health[k]`: (child id, kind, looked-after
    date, due, done, placed in area, host council, SDQ score). A done date after the month
    a file is for is blanked when its rows are made.
    """

    def __init__(self, county: County):
        self.county = county
        self.rng = county.rng
        self.visits: list[list[tuple]] = [[] for _ in range(county.n)]
        self.health: list[list[tuple]] = [[] for _ in range(county.n)]

    def schedule(self, child: Child, start: dt.date, end: dt.date | None) -> None:
        """The visits and assessments of the period of care from `start` to `end` (None: still open)."""
        last_due = min(end - DAY if end else self.county.window_last, self.county.window_last)
        self.schedule_visits(child, start, end, last_due)
        self.schedule_health(child, start, end, last_due)

    # -- visits ----------------------------------------------------------------------------------

    def schedule_visits(self, child: Child, start: dt.date, end: dt.date | None, last_due: dt.date) -> None:
        """A visit a week after coming into care, then every six weeks (every twelve once settled
        a year), and a week after each move."""
        rng = self.rng
        c = self.county
        moves = [e.start for e in child.episodes
                 if e.period_start == start and e.rne in ("P", "B") and e.start > start]
        due = start + 7 * DAY
        previous_done = start
        while due <= last_due:
            k = c.written_index(due)
            done = due
            if k >= 0:
                if rng.random() < c.visit_dip.get(k, NORMAL_VISITS_ON_TIME):
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

    # -- health ----------------------------------------------------------------------------------

    def schedule_health(self, child: Child, start: dt.date, end: dt.date | None, last_due: dt.date) -> None:
        rng = self.rng
        c = self.county

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
            k = c.written_index(due)
            if 0 <= k < c.n:
                place = child.episode_on(due).place
                row = (child.cid, kind, looked_after, due, done, place.in_area, None if place.in_area else place.la,
                       score if done else None)
                self.health[k].append(row)
                done_k = c.written_index(done) if done is not None else k
                if k < done_k < c.n:  # done late, in a later month: that month's file has it too
                    self.health[done_k].append(row)
            return done

        # Initial health assessment: 20 working days from becoming looked after.
        due = add_working_days(start, 20)
        if due > last_due:
            return
        k = c.written_index(due)
        in_area = child.episode_on(due).place.in_area
        on_time = (0.88 if in_area else 0.40) * (c.iha_dip.get(k, 1.0) if k >= 0 else 1.0)
        done = record("initial", due, on_time, 60 if in_area else 90, 0.05, looked_after=start)
        last = done or due
        # Review health assessments: every 6 months under 5, every 12 months from 5.
        while True:
            due = add_months(last, 6 if age_on(child.dob, last) < 5 else 12)
            if due > last_due:
                break
            done = record("review", due, 0.86, 60, 0.05)
            last = done or due
        # Dental checks and SDQs: yearly, from 12 months in care.
        due = add_months(start, 12)
        while due <= last_due:
            done = record("dental", due, 0.80, 90, 0.15)
            due = add_months(done or due, 12)
        due = add_months(start, 12) + rng.randint(0, 20) * DAY
        while due <= last_due:
            if 4 <= age_on(child.dob, due) <= 16:
                score = max(0, min(40, round(rng.gauss(14, 7))))
                record("sdq", due, 0.75, 60, 0.3, score=score)
            due = add_months(due, 12)

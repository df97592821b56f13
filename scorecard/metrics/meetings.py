"""The committee's meetings, and the month a scorecard is compared with by default: the
month the last meeting's scorecard showed, so that "since the last meeting" means what
the members last saw."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.metrics.calendar import Month


@dataclass(frozen=True)
class Meeting:
    date: dt.date
    committee: str
    shows_period: str


@dataclass(frozen=True)
class Basis:
    """What a month's figures are compared with, and why."""
    since: str                       # YYYY-MM
    meeting: Meeting | None          # the last meeting, when the comparison is with what it saw
    chosen: bool = False             # the reader chose the month


def meetings(engine: Engine, council: str) -> list[Meeting]:
    """The meetings that took place (or are planned), oldest first: the newest version of
    each, without the cancelled."""
    with store.read_connection(engine) as conn:
        rows = store.meeting_rows(conn, council)
    standing = {(r["meeting_date"], r["committee"]): r for r in rows}
    return [Meeting(r["meeting_date"], r["committee"], r["shows_period"])
            for r in standing.values() if not r["cancelled"]]


def comparison_basis(calendar: list[Meeting], period: str, periods: list[str], chosen: str | None = None) -> Basis:
    """The month `period` is compared with: `chosen` when it is an earlier month with
    figures; else the month the last meeting before `period`'s own showed (the latest
    meeting that showed an earlier month); else the month before."""
    earlier = [p for p in periods if p < period]
    if chosen in earlier:
        return Basis(chosen, None, chosen=True)
    shown_before = [m for m in calendar if m.shows_period < period]
    if shown_before:
        last = max(shown_before, key=lambda m: (m.date, m.shows_period))
        if last.shows_period in earlier:
            return Basis(last.shows_period, last)
    return Basis(Month.parse(period).shift(-1).period, None)

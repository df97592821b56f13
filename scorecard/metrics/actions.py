"""Improvement actions for the scorecard: each action as it stands (its newest version),
with its dated history, and whether it is overdue. `ingest.actions` writes them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.codes import code_list

CLOSED = ("complete", "dropped")


@dataclass(frozen=True)
class Update:
    on: dt.date
    status: str
    text: str | None
    due: dt.date


@dataclass(frozen=True)
class Action:
    reference: str
    indicator: str
    action: str
    owner: str
    due: dt.date
    status: str             # a code of data/reference/codes/action_status.csv
    updated_on: dt.date
    latest_update: str | None
    history: tuple[Update, ...]   # oldest first
    overdue: bool

    @property
    def open(self) -> bool:
        return self.status not in CLOSED

    @property
    def status_label(self) -> str:
        return code_list("action_status").codes[self.status].label


def actions_for(engine: Engine, council: str, indicator: str | None = None, on: dt.date | None = None) -> list[Action]:
    """The council's actions (one indicator's, if given): open ones first, soonest due first,
    then the closed, latest closed first. Overdue: open and due before `on` (default today)."""
    on = on or dt.date.today()
    with store.read_connection(engine) as conn:
        rows = store.action_rows(conn, council, indicator)
    by_reference: dict[str, list[dict]] = {}
    for row in rows:
        by_reference.setdefault(row["reference"], []).append(row)
    actions = []
    for versions in by_reference.values():
        latest = versions[-1]
        actions.append(Action(
            reference=latest["reference"], indicator=latest["indicator"], action=latest["action"],
            owner=latest["owner"], due=latest["due"], status=latest["status"], updated_on=latest["updated_on"],
            latest_update=latest["update_text"],
            history=tuple(Update(v["updated_on"], v["status"], v["update_text"], v["due"]) for v in versions),
            overdue=latest["status"] not in CLOSED and latest["due"] < on))
    return sorted(actions, key=lambda a: (not a.open, a.due.toordinal() if a.open else -a.updated_on.toordinal(), a.reference))

"""Checks across files: a visit is for a child in care, an interview follows a missing episode.

Each check looks in the upload and in what the store already holds. Where the data it
refers to is not loaded for that month yet (the visits file came before the month's
children in care list), the check cannot be made: it warns and does not block, and is
made again when that data arrives (`check_against_stored`, run on the later load).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy.engine import Connection

from ingest.datasets import CHILDREN_IN_CARE, MISSING_EPISODES, RETURN_INTERVIEWS, VISITS
from ingest.parse import Table
from ingest.problems import Problem, Severity
from scorecard import store
from scorecard.periods import month_of

EXAMPLES = 5


def _covers(tables: dict[str, Table], conn: Connection | None, council: str, dataset: str) -> Callable[[str], bool]:
    """Whether an extract of `dataset` (in this upload or the store) covers a month."""
    table = tables.get(dataset)
    cache: dict[str, bool] = {}

    def covered(month: str) -> bool:
        if month not in cache:
            in_upload = table is not None and table.first_month is not None and \
                table.first_month <= month <= table.last_month
            cache[month] = in_upload or (conn is not None and bool(
                store.current_extracts_covering(conn, council, dataset, month, month)))
        return cache[month]
    return covered


def _reference_check(tables: dict[str, Table], child: str, column: str, parent: str, parent_column: str,
                     known: Callable[[], set], month_of_row: Callable[[Table, int], str | None],
                     covered: Callable[[str], bool], message: Callable[[object], str],
                     deferred: Callable[[object, str], str]) -> list[Problem]:
    """Every value of child.column must be a value of parent.parent_column, in this upload
    or the store; where no extract of the parent covers the row's month, a warning instead."""
    if child not in tables:
        return []
    table = tables[child]
    values = set(tables[parent].columns.get(parent_column, [])) if parent in tables else set()
    unknown = {v for v in table.columns.get(column, []) if v is not None} - values
    if unknown:
        unknown -= known()
    problems = []
    for i, value in enumerate(table.columns.get(column, []) if unknown else ()):
        if value not in unknown:
            continue
        month = month_of_row(table, i)
        if month is None or covered(month):
            problems.append(Problem(code="reference-error", message=message(value), file=table.file,
                                    sheet=table.sheet, row=table.source_rows[i], column=table.headers.get(column),
                                    value=str(value)))
        else:
            problems.append(Problem(code="not-yet-checked", message=deferred(value, month), file=table.file,
                                    sheet=table.sheet, row=table.source_rows[i], column=table.headers.get(column),
                                    value=str(value), severity=Severity.WARNING))
    return problems


def _month(column: str, *fallbacks: str) -> Callable[[Table, int], str | None]:
    def month(table: Table, i: int) -> str | None:
        for name in (column, *fallbacks):
            day = table.columns.get(name, [None] * (i + 1))[i]
            if day is not None:
                return month_of(day)
        return table.last_month
    return month


def check_upload(tables: dict[str, Table], council: str, conn: Connection | None) -> list[Problem]:
    """Visits against children in care, and return home interviews against missing episodes."""
    def stored(dataset: str, column: str) -> Callable[[], set]:
        return lambda: store.distinct_values(conn, council, dataset, column) if conn is not None else set()

    problems = _reference_check(
        tables, VISITS.name, "child_id", CHILDREN_IN_CARE.name, "child_id", stored(CHILDREN_IN_CARE.name, "child_id"),
        _month("date_due"), _covers(tables, conn, council, CHILDREN_IN_CARE.name),
        lambda v: f"visit for child '{v}', who is not in the children in care file nor already loaded",
        lambda v, month: f"visit for child '{v}', who is not in any children in care list loaded so far; no "
                         f"children in care extract covers {month} yet, so it is checked again when one is loaded")
    # An interview's episode may have started months before, in any earlier file: it is
    # checked when missing episodes come in the same upload or cover the interview's month.
    problems += _reference_check(
        tables, RETURN_INTERVIEWS.name, "episode_id", MISSING_EPISODES.name, "episode_id",
        stored(MISSING_EPISODES.name, "episode_id"), _month("held_at", "offered_at"),
        lambda month: MISSING_EPISODES.name in tables or _covers(tables, conn, council, MISSING_EPISODES.name)(month),
        lambda v: f"return home interview for missing episode '{v}', which is not in the missing episodes file "
                  "nor already loaded",
        lambda v, month: f"return home interview for missing episode '{v}', which is not loaded yet; no missing "
                         f"episodes extract covers {month}, so it is checked again when one is loaded")
    return problems


def _summary(table: Table, code: str, count: int, examples: Iterable, message: str) -> Problem:
    shown = ", ".join(str(e) for e in list(examples)[:EXAMPLES])
    more = f" and {count - EXAMPLES} more" if count > EXAMPLES else ""
    return Problem(code=code, message=f"{message}: {shown}{more}", file=table.file, sheet=table.sheet,
                   severity=Severity.WARNING)


def check_against_stored(tables: dict[str, Table], council: str, conn: Connection) -> list[Problem]:
    """The checks made again now that the data they refer to arrives: visits loaded earlier
    for the months this children in care list covers, and interviews loaded earlier whose
    missing episode was not yet known."""
    problems = []
    cic = tables.get(CHILDREN_IN_CARE.name)
    if cic is not None and VISITS.name not in tables:
        children = set(cic.columns["child_id"]) | store.distinct_values(conn, council, CHILDREN_IN_CARE.name,
                                                                        "child_id")
        first, last = dt.date.fromisoformat(cic.first_month + "-01"), cic.as_at
        names, rows = store.current_records(conn, council, VISITS.name, columns=("child_id", "date_due"))
        child_at, due_at = names.index("child_id"), names.index("date_due")
        strays = sorted({row[child_at] for row in rows if row[child_at] not in children
                         and first.isoformat() <= row[due_at][:10] <= last.isoformat()})
        if strays:
            problems.append(_summary(cic, "reference-error-earlier", len(strays), strays,
                                     f"{len(strays)} children with statutory visits already loaded for these months are "
                                     "not in this children in care file nor any loaded before"))
    missing = tables.get(MISSING_EPISODES.name)
    if missing is not None and RETURN_INTERVIEWS.name not in tables:
        episodes = set(missing.columns["episode_id"]) | store.distinct_values(conn, council, MISSING_EPISODES.name,
                                                                              "episode_id")
        orphans = sorted(store.distinct_values(conn, council, RETURN_INTERVIEWS.name, "episode_id") - episodes)
        if orphans:
            problems.append(_summary(missing, "reference-error-earlier", len(orphans), orphans,
                                     f"{len(orphans)} return home interviews already loaded are for missing episodes "
                                     "still not loaded"))
    return problems

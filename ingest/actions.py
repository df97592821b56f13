"""Improvement actions: what the committee agreed to do about an indicator of concern,
who owns it, when it is due, its status and the updates given on it.

Every update is a dated version of the whole action (a new row, never an update of an
old one), so the action's history is kept like commentary's. Actions are added and
updated one at a time (`add_action`: the command line and the edit page, each change
audited) or loaded from the committee's action log as a CSV or xlsx file
(`load_actions`): one row per action, or one row per update of it. Validation is lazy:
every problem is reported with its row as Excel shows it, and nothing loads while there
is one. Loading the same file again adds nothing.

Indicator ids are checked against the set the caller passes: the ingest never imports
the metrics layer.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

from sqlalchemy.engine import Engine

from ingest.commentary import CommentaryError as ActionError
from ingest.commentary import now_uk
from ingest.officer_files import OfficerLoad, indicator_problem, read_tables, tidy
from ingest.problems import Problem
from ingest.schema import Dataset, Field, Kind
from scorecard import store
from scorecard.access import audit
from scorecard.codes import code_list

MAX_TEXT = 1_000
MAX_REFERENCE = 40
MAX_OWNER = 120

ACTIONS = Dataset(
    name="improvement_actions",
    title="Improvement actions",
    sheet_name="Actions",
    description="The committee's action log: one row per action agreed for an indicator of concern, or one "
    "row per update of it.",
    fields=(
        Field("reference", Kind.TEXT, "The committee's reference for the action (e.g. A12): rows with the same "
              "reference are updates of one action.",
              ("Reference", "Ref", "Action Reference", "Action Ref", "Action ID", "Action No", "Action Number",
               "ID"), required=True, identifier=True),
        Field("indicator", Kind.TEXT, "The indicator's id in metrics.yaml (e.g. iha_in_timescale).",
              ("Indicator", "Indicator ID", "Indicator Code", "Metric", "Measure"), required=True),
        Field("action", Kind.TEXT, f"What was agreed, at most {MAX_TEXT:,} characters.",
              ("Action", "Action Agreed", "Agreed Action", "Description", "Action Description"), required=True),
        Field("owner", Kind.TEXT, "Who is responsible: a name or a role.",
              ("Owner", "Action Owner", "Lead", "Lead Officer", "Responsible Officer", "Responsible"),
              required=True),
        Field("due", Kind.DATE, "The date it is due.", ("Due", "Due Date", "Date Due", "Deadline", "Target Date",
                                                        "By When", "Completion Date"), required=True),
        Field("status", Kind.CODE, "Not started, in progress, delayed, complete or dropped.",
              ("Status", "Action Status", "Progress Status", "Current Status"), required=True, codes="action_status"),
        Field("update_text", Kind.TEXT, f"The update given, at most {MAX_TEXT:,} characters.",
              ("Update", "Latest Update", "Progress", "Progress Update", "Update Text", "Comments", "Notes")),
        Field("updated_on", Kind.DATE, "The day of the update (empty: the day the file is loaded).",
              ("Updated On", "Update Date", "Date of Update", "Date Updated", "Updated", "As At")),
    ),
    key=(),
    source_format="officers",  # kept by the committee, not exported by a case system: no column mappings
)

STORED = ("reference", "indicator", "action", "owner", "due", "status", "update_text", "updated_on")


def status_code(written: str) -> str | None:
    """The status code for a status as written ('On track' -> in_progress), or None."""
    return code_list("action_status").match(written)


def action_problems(row: dict, known_indicators: Collection[str] | None, stored: list[dict]) -> list[tuple[str, str]]:
    """(field, message) for each reason the version `row` cannot be stored. `stored` are
    the versions already kept for its reference (oldest first)."""
    problems = []
    if not row["reference"]:
        problems.append(("reference", "the reference is empty"))
    elif len(row["reference"]) > MAX_REFERENCE:
        problems.append(("reference", f"the reference is longer than {MAX_REFERENCE} characters"))
    if not row["indicator"]:
        problems.append(("indicator", "the indicator is empty"))
    elif known_indicators is not None and (problem := indicator_problem(row["indicator"], known_indicators)):
        problems.append(("indicator", problem))
    elif stored and stored[-1]["indicator"] != row["indicator"]:
        problems.append(("indicator", (f"action {row['reference']} is for {stored[-1]['indicator']}, not "
                         f"{row['indicator']}: an action stays with its indicator (give a new reference)")))
    for name, limit in (("action", MAX_TEXT), ("update_text", MAX_TEXT), ("owner", MAX_OWNER)):
        if row.get(name) and len(row[name]) > limit:
            problems.append((name, (f"the {name.replace('_', ' ')} is {len(row[name]):,} characters long; "
                             f"keep it to {limit:,} or fewer")))
    for name in ("action", "owner"):
        if not row.get(name):
            problems.append((name, f"the {name} is empty"))
    if row.get("due") is None:
        problems.append(("due", "the due date is empty"))
    if row.get("status") is None:
        problems.append(("status", f"the status is not one of: {code_list('action_status').describe()}"))
    if row["updated_on"] > now_uk().date():
        problems.append(("updated_on", f"the update date {row['updated_on']:%d/%m/%Y} is in the future"))
    return problems


def _identity(row: dict) -> tuple:
    return tuple(row.get(name) for name in STORED)


def _insert(conn, council: str, rows: list[dict], source_file: str | None, loaded_by: str) -> int:
    loaded_at = dt.datetime.now(dt.UTC)
    columns = {name: [row.get(name) for row in rows] for name in STORED}
    columns["council"] = [council] * len(rows)
    columns["source_file"] = [source_file] * len(rows)
    columns["loaded_at"] = [loaded_at] * len(rows)
    columns["loaded_by"] = [loaded_by] * len(rows)
    return store.insert_columns(conn, store.improvement_actions, columns)


def add_action(engine: Engine, council: str, version: dict, known_indicators: Collection[str] | None,
               loaded_by: str) -> tuple[dict, bool]:
    """Store one version of an action (a new action, or an update when its reference is
    known: fields not given keep their latest values). Returns (the version, whether it
    was new: the same as the latest version adds nothing). Raises ActionError with every
    reason it cannot be stored."""
    council = tidy(council)
    with store.write_transaction(engine) as conn:
        reference = tidy(version.get("reference"))
        stored = store.action_rows(conn, council, reference=reference)
        latest = stored[-1] if stored else {}
        row = {name: latest.get(name) for name in STORED}
        row.update({k: v for k, v in version.items() if v is not None and k in STORED})
        row.update(reference=reference, update_text=tidy(version.get("update_text")) or None,
                   updated_on=version.get("updated_on") or now_uk().date())
        for name in ("indicator", "action", "owner"):
            row[name] = tidy(row.get(name))
        if row.get("status") is not None:
            row["status"] = status_code(row["status"])
        if problems := action_problems(row, known_indicators, stored):
            raise ActionError([message for _, message in problems])
        if latest and _identity(latest) == _identity(row):
            return latest, False
        _insert(conn, council, [row], None, loaded_by)
        audit.record(conn, "action", subject=f"{row['indicator']} {reference}", council=council,
                     details={"before": _audited(latest) if latest else None, "after": _audited(row)})
    return row, True


def _audited(row: dict) -> dict:
    return {name: row.get(name) for name in STORED}


def load_actions(engine: Engine, path: Path | str, council: str, known_indicators: Collection[str],
                 loaded_by: str) -> OfficerLoad:
    """Check the whole action log, then load its new versions in one transaction, or nothing."""
    path = Path(path)
    result = OfficerLoad(file=path.name)
    today = now_uk().date()
    with store.write_transaction(engine) as conn:
        stored = store.action_rows(conn, council)
        history: dict[str, list[dict]] = {}
        for row in stored:
            history.setdefault(row["reference"], []).append(row)
        seen = {_identity(row) for row in stored}
        new = []
        for table in read_tables(path, ACTIONS, result.report):
            for i, source_row in enumerate(table.source_rows):
                row = {name: table.columns[name][i] if name in table.columns else None for name in STORED}
                row["updated_on"] = row["updated_on"] or today
                row["update_text"] = row["update_text"] or None
                result.rows += 1
                for name, message in action_problems(row, known_indicators, history.get(row["reference"], [])):
                    if row.get(name) is None:
                        continue  # an empty or unreadable cell: the parser has reported it
                    result.report.append(Problem("constraint-error", message, file=table.file, sheet=table.sheet,
                                                 row=source_row, column=table.headers.get(name, name)))
                if _identity(row) in seen:
                    result.skipped += 1
                    continue
                seen.add(_identity(row))
                history.setdefault(row["reference"], []).append(row)
                new.append(row)
        if result.ok and not result.rows:
            result.report.append(Problem("empty-file", "the file has action log headers but no actions",
                                         file=path.name))
        if not result.ok or not new:
            return result
        result.loaded = _insert(conn, council, new, path.name, loaded_by)
    return result

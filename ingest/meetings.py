"""The committee's meeting calendar: each meeting's date and the month its scorecard
showed, so that the next scorecard can say what changed since the last meeting.

A meeting is added by hand (`add_meeting`) or the year's calendar loaded from a CSV or
xlsx file (`load_meetings`): meeting date, and optionally the committee, the month its
scorecard showed (default: the month before the meeting's month, the latest whole month
an officer could have reported on) and whether it was cancelled. A row for a date and
committee already stored, with a different month or cancelled, is a new version of that
meeting; the newest is the one read. Loading the same file again adds nothing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from ingest.commentary import CommentaryError as MeetingError
from ingest.commentary import period_problem
from ingest.officer_files import OfficerLoad, read_tables, tidy
from ingest.problems import Problem
from ingest.schema import Dataset, Field, Kind
from scorecard import store

DEFAULT_COMMITTEE = "Corporate parenting committee"
MAX_COMMITTEE = 120

MEETINGS = Dataset(
    name="meetings",
    title="Meetings",
    sheet_name="Meetings",
    description="The committee's meeting calendar: one row per meeting.",
    fields=(
        Field("meeting_date", Kind.DATE, "The day of the meeting.",
              ("Meeting Date", "Date of Meeting", "Meeting", "Date"), required=True),
        Field("committee", Kind.TEXT, f"Which committee or board (empty: '{DEFAULT_COMMITTEE}').",
              ("Committee", "Board", "Meeting Name", "Forum")),
        Field("shows_period", Kind.TEXT, "The month its scorecard showed, YYYY-MM (empty: the month before the "
              "meeting's month).", ("Scorecard Month", "Month Shown", "Data Month", "Reporting Month", "Period",
                                    "Month")),
        Field("cancelled", Kind.FLAG, "Yes if the meeting did not take place.", ("Cancelled", "Did Not Meet"),
              blank_means=False),
    ),
    key=(),
)

STORED = ("meeting_date", "committee", "shows_period", "cancelled")


def month_before(day: dt.date) -> str:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def _complete(row: dict) -> dict:
    """The meeting as stored: the defaults filled in, the text tidied."""
    row = dict(row)
    row["committee"] = tidy(row.get("committee")) or DEFAULT_COMMITTEE
    shows = row.get("shows_period")
    if isinstance(shows, dt.date):  # Excel turns 2025-03 typed in a cell into 1 March 2025
        shows = f"{shows.year:04d}-{shows.month:02d}"
    row["shows_period"] = tidy(shows) or (month_before(row["meeting_date"]) if row.get("meeting_date") else None)
    row["cancelled"] = bool(row.get("cancelled"))
    return row


def meeting_problems(row: dict) -> list[tuple[str, str]]:
    problems = []
    if row.get("meeting_date") is None:
        return [("meeting_date", "the meeting date is empty")]
    if len(row["committee"]) > MAX_COMMITTEE:
        problems.append(("committee", f"the committee's name is longer than {MAX_COMMITTEE} characters"))
    if problem := period_problem(row["shows_period"]):
        problems.append(("shows_period", problem))
    elif row["shows_period"] >= f"{row['meeting_date']:%Y-%m}" and not row["cancelled"]:
        problems.append(("shows_period", (f"a meeting on {row['meeting_date']:%d/%m/%Y} cannot show figures for "
                         f"{row['shows_period']}, which had not ended")))
    return problems


def _identity(row: dict) -> tuple:
    return tuple(row.get(name) for name in STORED)


def _standing(conn, council: str) -> dict[tuple, dict]:
    """The newest stored version of each meeting, by (date, committee)."""
    return {(r["meeting_date"], r["committee"]): r for r in store.meeting_rows(conn, council)}


def _insert(conn, council: str, rows: list[dict], source_file: str | None, loaded_by: str) -> int:
    columns = {name: [row[name] for row in rows] for name in STORED}
    columns.update(council=[council] * len(rows), source_file=[source_file] * len(rows),
                   loaded_at=[dt.datetime.now(dt.UTC)] * len(rows), loaded_by=[loaded_by] * len(rows))
    return store.insert_columns(conn, store.meetings, columns)


def add_meeting(engine: Engine, council: str, meeting_date: dt.date, committee: str | None = None,
                shows_period: str | None = None, cancelled: bool = False, loaded_by: str = "") -> tuple[dict, bool]:
    """Store one meeting (or a new version of it); (the meeting, whether it was new)."""
    row = _complete({"meeting_date": meeting_date, "committee": committee, "shows_period": shows_period,
                     "cancelled": cancelled})
    if problems := meeting_problems(row):
        raise MeetingError([message for _, message in problems])
    with store.write_transaction(engine) as conn:
        standing = _standing(conn, council).get((row["meeting_date"], row["committee"]))
        if standing and _identity(standing) == _identity(row):
            return standing, False
        _insert(conn, council, [row], None, loaded_by)
    return row, True


def load_meetings(engine: Engine, path: Path | str, council: str, loaded_by: str) -> OfficerLoad:
    """Check the whole calendar, then load the meetings new or changed, in one transaction, or nothing."""
    path = Path(path)
    result = OfficerLoad(file=path.name)
    with store.write_transaction(engine) as conn:
        standing = _standing(conn, council)
        new = []
        for table in read_tables(path, MEETINGS, result.report, month_field="shows_period"):
            for i, source_row in enumerate(table.source_rows):
                row = _complete({name: table.columns[name][i] if name in table.columns else None
                                 for name in STORED})
                result.rows += 1
                if row["meeting_date"] is None:
                    continue  # the parser has reported it
                for name, message in meeting_problems(row):
                    result.report.append(Problem("constraint-error", message, file=table.file, sheet=table.sheet,
                                                 row=source_row, column=table.headers.get(name, name)))
                key = (row["meeting_date"], row["committee"])
                if key in standing and _identity(standing[key]) == _identity(row):
                    result.skipped += 1
                    continue
                standing[key] = row
                new.append(row)
        if result.ok and not result.rows:
            result.report.append(Problem("empty-file", "the file has meeting headers but no meetings", file=path.name))
        if not result.ok or not new:
            return result
        result.loaded = _insert(conn, council, new, path.name, loaded_by)
    return result


"""Officers' commentary: a short footnote written beside a figure, per council, indicator and month.

A comment is added one at a time (`add_commentary`: the command line, and the edit page
with the signed-in user as author, each through `check_commentary` and `store_commentary`,
which audits it) or loaded from a CSV or xlsx file (`load_commentary`). Every version is
kept: a later comment on the same indicator and month is a new row, never an update, and
the scorecard shows the most recent. Commentary is plain text or a little Markdown (bold,
italic, lists, links), sanitised wherever it is shown (scorecard.ui.commentary_text).

The file has one row per comment, under headers matched like the extracts' (any case,
spaces or punctuation, title rows above them): indicator, period (YYYY-MM), commentary
(or text), author and, optionally, written_at (a date or a date and time; default: when
it is loaded). Validation is lazy: every problem is reported with its row as Excel shows
it, and nothing loads while there is one. Loading the same file again adds nothing.

Indicator ids are checked against the set the caller passes: the ingest never imports
the metrics layer.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection, Engine

from ingest.officer_files import OfficerLoad, indicator_problem, read_tables, tidy
from ingest.parse import Table
from ingest.problems import Problem, Report
from ingest.schema import Dataset, Field, Kind
from scorecard import store
from scorecard.access import audit

MAX_LENGTH = 1_000
"""A footnote beside a figure, not a report: longer text belongs in the committee paper."""

UK = ZoneInfo("Europe/London")
FUTURE_SLACK = dt.timedelta(minutes=5)
"""Clocks differ a little: a time this far ahead of ours is not called 'in the future'."""

COMMENTARY = Dataset(
    name="commentary",
    title="Commentary",
    sheet_name="Commentary",
    description="One row per comment: a short footnote that officers write beside one indicator's figure "
    "for one month.",
    fields=(
        Field("indicator", Kind.TEXT, "The indicator's id in metrics.yaml (e.g. iha_in_timescale).",
              ("Indicator", "Indicator ID", "Indicator Code", "Metric", "Measure"), required=True),
        Field("period", Kind.TEXT, "The month of the figure, YYYY-MM (e.g. 2025-03).",
              ("Period", "Month", "Reporting Period", "Reporting Month"), required=True),
        Field("text", Kind.TEXT, f"The footnote, at most {MAX_LENGTH:,} characters.",
              ("Commentary", "Text", "Comment", "Comments", "Narrative", "Footnote"), required=True),
        Field("author", Kind.TEXT, "Who wrote it: a name or a role.",
              ("Author", "Written By", "Officer", "By"), required=True),
        Field("written_at", Kind.DATETIME, "When it was written (a date, or a date and time, UK time); "
              "empty: when the file is loaded.", ("Written At", "Written", "Written On", "Date Written",
                                                  "Date and Time Written")),
    ),
    key=(),
)

_PERIOD = re.compile(r"(\d{4})-(\d{2})$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LIST_ITEM = re.compile(r"([-*+]|\d{1,3}[.)])\s")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
LINK_SCHEMES = ("http://", "https://", "mailto:")
_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-\d{2}")


class CommentaryError(ValueError):
    """A comment that cannot be added; `problems` lists every reason, each a plain sentence."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass
class Added:
    """What `add_commentary` did: `row` is the comment as stored (with its id); `new` is
    False when it was the same as the latest version already stored, which was kept."""

    row: dict
    new: bool


CommentaryLoad = OfficerLoad
"""The outcome of loading a commentary file."""


def now_uk() -> dt.datetime:
    """The time now on a UK clock, to the second, as written_at is stored (naive)."""
    return dt.datetime.now(UK).replace(tzinfo=None, microsecond=0)


def _current_month() -> str:
    return now_uk().strftime("%Y-%m")


def _as_uk(moment: dt.datetime | dt.date) -> dt.datetime:
    """written_at as stored: UK wall-clock time without a zone (an aware time is converted)."""
    if not isinstance(moment, dt.datetime):
        return dt.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UK).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _is_month(period: str) -> bool:
    match = _PERIOD.match(period)
    return bool(match) and 1 <= int(match.group(2)) <= 12


def period_problem(period: str) -> str | None:
    """Why `period` is not a month a comment can be written for, or None."""
    if not _is_month(period):
        return f"'{period}' is not a month written YYYY-MM, e.g. 2025-03"
    if period > _current_month():
        return f"{period} is in the future: commentary explains a month's figure once it is known"
    return None


def length_problem(text: str) -> str | None:
    if len(text) <= MAX_LENGTH:
        return None
    return (f"is {len(text):,} characters long: commentary is a short footnote shown beside the figure, "
            f"so keep it to {MAX_LENGTH:,} characters or fewer")


def markup_problem(text: str) -> str | None:
    """Why `text` is not plain text or the Markdown commentary allows (bold, italic, lists,
    links to LINK_SCHEMES), or None. Every output sanitises commentary anyway
    (scorecard.ui.commentary_text); refusing HTML here tells the writer why it would show
    as typed rather than as they meant."""
    reasons = []
    if tag := _TAG.search(text):
        reasons.append(f"contains the HTML tag {tag.group(0)[:40]!r}: commentary is plain text or Markdown "
                       "(**bold**, *italic*, lines starting '- ' for a list, [words](https://address) for a link)")
    links = [target for target in _LINK_TARGET.findall(text) if not target.lower().startswith(LINK_SCHEMES)]
    if links:
        scheme, colon, _ = links[0].partition(":")
        where = f"a {scheme[:20]}: address" if colon else f"{links[0][:60]!r}, not a full address"
        reasons.append(f"links to {where}: a link must start http://, https:// or mailto:")
    return "; it ".join(reasons) if reasons else None


def written_at_problem(written_at: dt.datetime) -> str | None:
    if written_at > now_uk() + FUTURE_SLACK:
        return f"{written_at:%d/%m/%Y %H:%M} is in the future"
    return None


def _identity(row: dict) -> tuple:
    return row["council"], row["indicator"], row["period"], row["text"], row["author"]


def tidy_text(text: str | None) -> str:
    """Commentary as stored: each line's runs of spaces made one, a line break inside a
    paragraph made a space (Markdown reads it so), but a blank line between paragraphs and
    the line break before a list item kept, since commentary may be a little Markdown."""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(str(text or "").replace("\r\n", "\n").replace("\r", "\n")):
        lines: list[str] = []
        for line in filter(None, (tidy(line) for line in paragraph.split("\n"))):
            if lines and not _LIST_ITEM.match(line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def check_commentary(council: str, indicator: str, period: str, text: str, author: str,
                     written_at: dt.datetime | dt.date | None = None,
                     known_indicators: Collection[str] | None = None, loaded_by: str | None = None) -> dict:
    """The comment as it would be stored, tidied; CommentaryError with every reason it cannot be.

    `author` is whoever wrote it (a web callback passes the signed-in user's name);
    `loaded_by` (default: the author) is who entered it. `written_at` defaults to now; an
    aware time is converted to UK time. `known_indicators` are the valid indicator ids
    (the catalogue's); None skips that check. Text is tidied by `tidy_text`.
    """
    council, indicator, period = tidy(council), tidy(indicator), tidy(period)
    text, author = tidy_text(text), tidy(author)
    written_at = now_uk() if written_at is None else _as_uk(written_at)
    problems = []
    if not council:
        problems.append("the council code is empty")
    if not indicator:
        problems.append("the indicator is empty")
    elif known_indicators is not None and (problem := indicator_problem(indicator, known_indicators)):
        problems.append(problem)
    if problem := period_problem(period):
        problems.append(problem)
    if not text:
        problems.append("the commentary text is empty")
    else:
        problems += [f"the commentary {problem}" for problem in (length_problem(text), markup_problem(text)) if problem]
    if not author:
        problems.append("the author is empty")
    if problem := written_at_problem(written_at):
        problems.append(f"written at {problem}")
    if problems:
        raise CommentaryError(problems)
    return {"council": council, "indicator": indicator, "period": period, "text": text, "author": author,
            "written_at": written_at, "source_file": None, "loaded_at": dt.datetime.now(dt.UTC),
            "loaded_by": tidy(loaded_by) or author}


def store_commentary(conn: Connection, row: dict) -> Added:
    """Store a checked comment (`check_commentary`) in the caller's transaction, with its
    audit event (before and after). The same text by the same author as the latest version
    of that indicator and month (a double click) adds nothing; going back to an earlier
    wording is a new version."""
    versions = store.commentary_rows(conn, row["council"], row["indicator"], row["period"])
    before = versions[0] if versions else None
    if before and _identity(before) == _identity(row):
        return Added(row=before, new=False)
    row_id = store.insert_commentary(conn, row)
    audit.record(conn, "commentary", subject=f"{row['indicator']} {row['period']}", council=row["council"],
                 details={"before": _audited(before), "after": _audited(row)})
    return Added(row={"id": row_id, **row}, new=True)


def _audited(row: dict | None) -> dict | None:
    return None if row is None else {name: row[name] for name in ("text", "author", "written_at")}


def add_commentary(engine: Engine, council: str, indicator: str, period: str, text: str, author: str,
                   written_at: dt.datetime | dt.date | None = None,
                   known_indicators: Collection[str] | None = None, loaded_by: str | None = None) -> Added:
    """Add one comment by hand (`scorecard commentary add`, the edit page), in its own
    transaction: `check_commentary`, then `store_commentary`."""
    row = check_commentary(council, indicator, period, text, author, written_at, known_indicators, loaded_by)
    with store.write_transaction(engine) as conn:
        return store_commentary(conn, row)


def _period_check(period: str) -> tuple[str, str] | None:
    """(code, message) for a period cell that is not a month a comment can be written for."""
    if match := _DATE_TEXT.match(period):
        year, month = match.groups()
        return "type-error", (f"'{period}' is a date, not a month: write the month as YYYY-MM, "
                              f"e.g. {year}-{month}")
    problem = period_problem(period)
    if problem is None:
        return None
    if _is_month(period):
        return "constraint-error", problem
    if not _PERIOD.match(period):
        problem += " (if Excel changed it, format the column as Text)"
    return "type-error", problem


def _check_rows(table: Table, known_indicators: Collection[str], report: Report) -> list[dict]:
    """Every row of a parsed table, with the problems parse_table cannot see added to `report`."""

    def add(row: int, name: str, message: str, value: Any, code: str = "constraint-error") -> None:
        shown = value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "..."
        report.append(Problem(code=code, message=message, file=table.file, sheet=table.sheet, row=row,
                              column=table.headers.get(name, name), value=None if value is None else str(shown)))

    rows = []
    for i, source_row in enumerate(table.source_rows):
        row = {name: table.columns[name][i] for name in table.columns}
        if row["indicator"] is not None and (problem := indicator_problem(row["indicator"], known_indicators)):
            add(source_row, "indicator", problem, row["indicator"])
        if row["period"] is not None and (period := _period_check(row["period"])):
            add(source_row, "period", period[1], row["period"], code=period[0])
        for problem in (length_problem(row["text"]), markup_problem(row["text"])) if row["text"] is not None else ():
            if problem:
                add(source_row, "text", f"the commentary {problem}", row["text"])
        if row.get("written_at") is not None and (problem := written_at_problem(row["written_at"])):
            add(source_row, "written_at", problem, row["written_at"])
        rows.append(row)
    return rows


def load_commentary(engine: Engine, path: Path | str, council: str, known_indicators: Collection[str],
                    loaded_by: str) -> CommentaryLoad:
    """Check the whole file, then load its new comments in one transaction, or nothing.

    A row identical in council, indicator, month, text and author to a comment already
    stored (or to an earlier row of the file) is skipped, so loading a file twice adds
    nothing; when the file gives written_at, it must match too, so that going back to
    an earlier wording at a later time is a new version.
    """
    path = Path(path)
    result = CommentaryLoad(file=path.name)
    rows = []
    for table in read_tables(path, COMMENTARY, result.report, month_field="period"):
        rows.extend(_check_rows(table, known_indicators, result.report))
    result.rows = len(rows)
    if not result.ok:
        return result
    if not rows:
        result.report.append(Problem("empty-file", "the file has commentary headers but no comments",
                                     file=path.name))
        return result
    now, loaded_at = now_uk(), dt.datetime.now(dt.UTC)
    with store.write_transaction(engine) as conn:
        seen: dict[tuple, set] = {}
        for stored in store.commentary_rows(conn, council):
            seen.setdefault(_identity(stored), set()).add(stored["written_at"])
        new = []
        for row in rows:
            row["council"] = council
            written = seen.setdefault(_identity(row), set())
            if written and (row.get("written_at") is None or row["written_at"] in written):
                continue
            written.add(row.get("written_at"))
            new.append(row)
        result.skipped = len(rows) - len(new)
        if new:
            columns = {name: [row[name] for row in new] for name in ("council", "indicator", "period", "text",
                                                                     "author")}
            columns["written_at"] = [row.get("written_at") or now for row in new]
            columns["source_file"] = [path.name] * len(new)
            columns["loaded_at"] = [loaded_at] * len(new)
            columns["loaded_by"] = [loaded_by] * len(new)
            result.loaded = store.insert_columns(conn, store.commentary, columns)
    return result

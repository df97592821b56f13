"""The data-quality page's components, built from `scorecard.metrics.data_quality`'s
sections: each a heading, why it matters, what was found (or "None found"), the counts
as a table, and the records behind them (the first few hundred on the page, all of them
as a CSV download).

Plain functions of plain values, tested without Dash's server; the page module
(`scorecard.pages.data_quality`) only wires them to the address and the download button.
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from scorecard.access import Identity, Permission
from scorecard.metrics import CouncilMetrics
from scorecard.metrics.data_quality import DataQuality, Section, data_quality
from scorecard.metrics.exports import record_export
from scorecard.packs.csv_export import csv_bytes
from scorecard.ui.components import choice, filter_form, month_options
from scorecard.ui.text import month_label

PAGE_ID = "data-quality"
DOWNLOAD_ID = "data-quality-download"
BUTTON_TYPE = "data-quality-csv"
FORM_ID = "data-quality-form"
PERIOD_ID = "data-quality-period"
NAV_ID = "data-quality-nav"
SHOWN_COUNTS = {"loads": 12, None: 60}
SHOWN_RECORDS = 200
"""Rows of counts (by section) and of records listed on the page; the CSVs have them all."""
SUMMARY, RECORDS = "summary", "records"

# What a section's `found` counts: (one, many).
FOUND_WORDS = {
    "loads": ("load superseded by a later one", "loads superseded by a later one"), "uploads": ("upload refused", "uploads refused"),
    "freshness": ("dataset with months missing", "datasets with months missing"), "completeness": ("blank field", "blank fields"),
    "reconciliation": ("record that disagrees", "records that disagree"),
    "disappeared": ("record that disappeared", "records that disappeared"),
    "history": ("figure flagged", "figures flagged"),
}
HEADINGS = {
    "extract_id": "Extract", "dataset": "Dataset", "months": "Months", "format": "Format",
    "source_file": "File", "rows": "Rows", "loaded_at": "Loaded", "loaded_by": "Loaded by", "status": "Status",
    "superseded_by": "Superseded by", "new": "New", "updated": "Updated", "unchanged": "Unchanged",
    "dropped": "Dropped", "ended": "Ended", "withdrawn": "Withdrawn",
    "event_id": "Audit event", "at": "When", "by": "By", "files": "Files", "problems": "Problems",
    "errors_listed": "Errors listed", "warnings_listed": "Warnings listed", "problems_listed": "Problems listed",
    "file": "File", "sheet": "Sheet", "row": "Row", "column": "Column", "value": "Value", "message": "Problem",
    "severity": "Severity",
    "first_month": "First month", "latest_month": "Latest month", "months_loaded": "Months loaded",
    "gaps": "Gaps", "gap_months": "Months missing", "behind": "Months behind", "behind_months": "Not yet loaded",
    "state": "State", "month": "Month", "kind": "Why missing",
    "field": "Field", "applies_to": "Needed for", "records": "Records", "recorded": "Recorded", "blank": "Blank",
    "blank_percent": "Blank %", "blank_not_in_file": "Blank: not in the file", "figures": "Figures it leaves out",
    "breakdowns": "Breakdowns it shows as not recorded", "child_id": "Child ID", "record": "Record",
    "source_row": "Row in file", "in_file": "Field in the file",
    "check": "Check", "checked": "Checked", "mismatches": "Disagree", "not_checked": "Not checked",
    "result": "Result", "episode_id": "Missing episode", "date": "Date", "reason": "Why",
    "load": "Load (extract)", "replaced": "Replaced extract", "how": "How", "from_extract": "From extract",
    "indicator": "Indicator", "period": "Month", "children": "Children", "note": "Note",
    "earliest_episode_start": "Earliest episode stored",
}


def found_text(section: Section) -> str:
    """'3 months missing', or 'None found.'"""
    if not section.found:
        return "None found."
    one, many = FOUND_WORDS.get(section.key, ("problem", "problems"))
    return f"{section.found:,} {one if section.found == 1 else many}."


def cell_text(value) -> str:
    """A cell as the page shows it: blanks as nothing (never "None" or "nan"), whole
    numbers without a decimal point, yes/no in words."""
    value = plain_value(value)
    return "" if value is None else str(value)


def plain_value(value):
    """None for any blank (None, NaN, pandas' NA), 'Yes'/'No' for a flag, a whole number as
    an int (ids and row numbers have no decimal point), anything else as it is."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, np.generic):  # numpy's numbers as Python's (a CSV writes a negative one as a number)
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


LISTED_INDICATORS = ("figures", "breakdowns")
"""Columns naming the indicators a finding affects: many, so shown as a count to open."""
SHORT_LIST = 3


def _cell(column: str, value):
    text = cell_text(value)
    if column in LISTED_INDICATORS and text.count("; ") >= SHORT_LIST:
        names = text.split("; ")
        return html.Details([html.Summary(f"{len(names)} indicators"), html.Ul([html.Li(n) for n in names])])
    return text


def table(frame: pd.DataFrame, caption: str, table_id: str, limit: int | None = None) -> html.Div:
    """A table with its caption; scrolled sideways when wide, and then reachable by keyboard."""
    shown = frame if limit is None else frame.head(limit)
    columns = list(frame.columns)
    return html.Div(dbc.Table([
        html.Caption(caption, style={"captionSide": "top"}),
        html.Thead(html.Tr([html.Th(HEADINGS.get(c, c.replace("_", " ").capitalize()), scope="col")
                            for c in columns])),
        html.Tbody([html.Tr([html.Td(_cell(column, value)) for column, value in zip(columns, row)])
                    for row in shown.itertuples(index=False)]),
    ], id=table_id, bordered=True, size="sm", className="figures data-quality-table"),
        className="table-responsive", tabIndex=0, role="region", **{"aria-label": caption})


def _download_button(section: Section, part: str, what: str) -> dbc.Button:
    return dbc.Button(f"Download {what} (CSV)", id={"type": BUTTON_TYPE, "section": section.key, "part": part},
                      color="secondary", outline=True, size="sm", n_clicks=0, className="me-2 mb-3")


def _shown_text(count: int, limit: int) -> str:
    return f"all {count:,}" if count <= limit else f"the first {limit:,} of {count:,}; the CSV has them all"



def section_block(section: Section) -> html.Section:
    heading_id = f"dq-{section.key}"
    parts: list = [
        html.H2(section.title, id=heading_id),
        html.P(section.why, className="lead-in"),
        html.P(html.Strong(found_text(section)), id=f"{heading_id}-found"),
    ]
    if section.note:
        parts.append(html.P(section.note, className="muted"))
    buttons = []
    if not section.summary.empty:  # else "None found." above says it all
        limit = SHOWN_COUNTS.get(section.key, SHOWN_COUNTS[None])
        said = _shown_text(len(section.summary), limit)
        parts.append(table(section.summary, f"{section.title}: the counts ({said})", f"{heading_id}-summary",
                           limit))
        buttons.append(_download_button(section, SUMMARY, "the counts"))
    records = section.records
    if records is not None and not records.empty:
        said = _shown_text(len(records), SHOWN_RECORDS)
        parts.append(html.Details([
            html.Summary(f"Show the records behind these counts ({len(records):,})"),
            table(records, f"{section.title}: the records ({said}); child IDs, never names",
                  f"{heading_id}-records", SHOWN_RECORDS),
        ], className="data-quality-records"))
        buttons.append(_download_button(section, RECORDS, "the records"))
    parts.append(html.Div(buttons))
    return html.Section(parts, className="data-quality-section", **{"aria-labelledby": heading_id})


def contents(report: DataQuality) -> html.Nav:
    return html.Nav(html.Ul([html.Li(html.A(f"{s.title} ({found_text(s).rstrip('.').lower()})",
                                            href=f"#dq-{s.key}")) for s in report.sections]),
                    **{"aria-label": "Sections of this page"}, className="data-quality-contents")


def data_quality_layout(who: Identity, metrics: CouncilMetrics, period: str | None = None) -> html.Div:
    """The whole page for `who` (an analyst or admin: Forbidden otherwise)."""
    report = data_quality(who, metrics, period)
    periods = metrics.periods()
    # Always there, so the download's callback finds the month it reads.
    options = month_options(reversed(periods)) or [("", "No month has figures yet")]
    controls = [filter_form(FORM_ID, [choice(PERIOD_ID, "Blank fields in the files of", options, report.period)],
                            "Show")]
    asked = []
    if period and report.period and period != report.period:  # never show another month silently
        asked = [dbc.Alert(f"There are no figures for {period}; blank fields are counted for "
                           f"{month_label(report.period)}.", color="warning", id="page-notice")]
    return html.Div([
        dcc.Location(id=NAV_ID, refresh="callback-nav"),
        dcc.Download(id=DOWNLOAD_ID),
        html.H1("Data quality"),
        html.P("What to check before trusting a month's figures: every load, what is missing or blank, and where "
               "the datasets disagree. The records are listed by child ID, never by name.", className="lead"),
        *asked,
        *controls,
        contents(report),
        *[section_block(section) for section in report.sections],
    ], id=PAGE_ID)


def period_search(period: str | None) -> str:
    return "?" + urlencode({"period": period}) if period else ""


# --- CSV downloads -------------------------------------------------------------------------

def frame_csv(frame: pd.DataFrame) -> bytes:
    """The table as a CSV safe to open in a spreadsheet (`csv_export`: no cell is a formula)."""
    return csv_bytes([HEADINGS.get(c, c) for c in frame.columns],
                     ([plain_value(value) for value in row] for row in frame.itertuples(index=False)))


def section_download(who: Identity, metrics: CouncilMetrics, key: str, part: str = RECORDS,
                     period: str | None = None) -> dict:
    """What dcc.Download sends for a section's counts or records: the CSV, and a file
    name saying what and for when. LookupError for a section or part there is not. The
    export is recorded in the audit log: the records are child-level."""
    who.require(Permission.DATA_QUALITY)
    report = data_quality(who, metrics, period)
    section = report.section(key)
    frame = {SUMMARY: section.summary, RECORDS: section.records}.get(part)
    if frame is None:
        raise LookupError(f"the {key} section has no {part}")
    month = f"-{report.period}" if key == "completeness" and report.period else ""
    content = frame_csv(frame)
    record_export(metrics.engine, f"data quality: {section.title.lower()} ({part})", "csv", report.period or "",
                  public=False, council=metrics.council, actor=who.username, rows=len(frame))
    return dcc.send_bytes(content, f"data-quality-{metrics.council}-{key}-{part}{month}.csv", type="text/csv")

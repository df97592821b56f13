"""The records behind a figure, for heads of service: `/records/<indicator_id>?period=2025-03`.

The plain page (`build_records_page`), its Dash components, and the CSV download's bytes
(`records_csv`), each from `metrics.records_behind`, which asks for the records permission
itself. The list is child-level and pseudonymised (child ids, never names): the page and
the file say it is not for publication. The page checks the list against the figure: its
counted rows must give the figure's numerator, and all its rows the denominator; if they
ever did not, the page would say so rather than show a list that does not add up.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from dash import html

from scorecard.access import Identity, Permission
from scorecard.metrics import CouncilMetrics, format_value, load_catalogue
from scorecard.metrics.records_behind import RecordList, records_behind
from scorecard.packs.csv_export import csv_bytes
from scorecard.ui.components import data_grid, simple_table
from scorecard.ui.indicator_view import Extract, extracts_of
from scorecard.ui.pages_common import marking_banner
from scorecard.ui.text import counts_text, date_label, month_label
from scorecard.ui.views import NOT_FOR_PUBLICATION, _none, choose_period, period_notice

MAX_ROWS_SHOWN = 2_000   # the page's table; the CSV has every row
GRID_PAGE_ROWS = 50
RECORDS_MARKING = (f"{NOT_FOR_PUBLICATION}: child-level records, pseudonymised (each child by their case-management "
                   "id, never by name). Keep them inside the council.")


EXPLANATION = ("Each row is one record of the figure's cohort: \u201ccounted\u201d in the figure, or \u201cin the "
               "denominator only\u201d. The columns are the fields the indicator's definition uses, the dates that "
               "place the record in the month, and the extract and row of the file it came from. ")


@dataclass(frozen=True)
class RecordsPage:
    indicator: str
    label: str
    period: str
    period_label: str
    offered: bool
    reason: str                          # why there is no list: not offered, or no figure this month
    columns: tuple[str, ...]             # the list's columns as the CSV names them
    headings: tuple[str, ...]            # the same, as the page heads them
    rows: tuple[dict[str, str], ...]     # the rows shown, as text (at most MAX_ROWS_SHOWN)
    row_count: int
    counted: int
    totals_text: str                     # '209 counted; 705 listed (the denominator)'
    figure_text: str                     # 'The figure: 29.6% (209 of 705)'
    agrees: bool                         # the list's totals are the figure's numerator and denominator
    extracts: tuple[Extract, ...]
    csv_href: str
    indicator_href: str
    notice: str = ""
    marking: str = RECORDS_MARKING


def build_records_page(metrics: CouncilMetrics, indicator_id: str, period: str | None, who: Identity | None) -> RecordsPage:
    """Forbidden unless `who` may see records; KeyError for an unknown indicator."""
    asked, period = period, choose_period(metrics, period)
    listing = records_behind(metrics, indicator_id, period, who)
    table = listing.table
    shown = table.head(MAX_ROWS_SHOWN)
    columns = tuple(table.columns) if listing.offered else ()
    figure = metrics.total(indicator_id, period) or {}
    agrees = _agrees(listing, figure)
    notice = period_notice(asked, period)
    if len(table) > MAX_ROWS_SHOWN:
        shown_only = f"The first {MAX_ROWS_SHOWN:,} of {len(table):,} records are shown here; the CSV has them all."
        notice = " ".join(p for p in (notice, shown_only) if p)
    return RecordsPage(
        indicator=listing.indicator, label=listing.label, period=period, period_label=month_label(period),
        offered=listing.offered, reason=listing.reason, columns=columns,
        headings=tuple(heading(c) for c in columns),
        rows=tuple({c: page_text(v) for c, v in zip(columns, values, strict=True)}
                   for values in shown.itertuples(index=False)) if columns else (),
        row_count=len(table), counted=listing.counted, totals_text=totals_text(listing),
        figure_text=figure_text(listing.unit, figure), agrees=agrees,
        extracts=extracts_of(metrics, list_extract_ids(table)) if len(table) else (),
        csv_href=records_csv_href(indicator_id, period),
        indicator_href=f"/indicator/{indicator_id}?{urlencode({'period': period})}", notice=notice)


def _agrees(listing: RecordList, figure: dict) -> bool:
    if not listing.offered or not len(listing.table):
        return True
    numerator = _none(figure.get("numerator"))
    denominator = None if listing.denominator is None else _none(figure.get("denominator"))
    return listing.numerator == numerator and listing.denominator == denominator


def totals_text(listing: RecordList) -> str:
    if not listing.offered or not len(listing.table):
        return ""
    counted = f"{listing.counted:,} records counted"
    if listing.counts_what != "records":
        counted += f" ({listing.numerator:,.0f} {listing.counts_what})"
    if listing.denominator is None:
        return f"{counted}."
    return f"{counted}; {listing.denominator:,} records listed in all (the denominator)."


def figure_text(unit: str, figure: dict) -> str:
    value = _none(figure.get("value"))
    if value is None:
        return "There is no figure this month."
    counts = counts_text(unit, _none(figure.get("numerator")), _none(figure.get("denominator")))
    return f"The figure: {format_value(unit, value)}" + (f" ({counts})" if counts else "") + "."


def heading(column: str) -> str:
    """'placed_in_area' -> 'Placed in area', 'rhi_completed' -> 'RHI completed' (acronyms as the glossary writes them)."""
    acronyms = {term.lower(): term for term in load_catalogue().glossary_terms() if term.isupper()}
    words = column.replace("_", " ").split()
    words = [acronyms.get(word, word) for word in words]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else text


def list_extract_ids(table: pd.DataFrame) -> list[int]:
    columns = [c for c in table.columns if c == "extract_id" or c.endswith("_extract_id") or c == "child_record_extract"]
    return sorted({int(v) for c in columns for v in table[c].dropna()})


def page_text(value) -> str:
    """A cell as the page shows it: dates as people write them, yes or no, blank for nothing."""
    value = _none(value)
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if isinstance(value, pd.Timestamp | dt.datetime):
        moment = pd.Timestamp(value)
        return date_label(moment) + (f" {moment:%H:%M}" if (moment.hour, moment.minute) != (0, 0) else "")
    return str(value)


def file_text(value) -> str | int | float:
    """A cell as the CSV writes it: ISO dates, yes or no, numbers as numbers."""
    value = _none(value)
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp | dt.datetime):
        moment = pd.Timestamp(value)
        return moment.isoformat(sep=" ") if (moment.hour, moment.minute, moment.second) != (0, 0, 0) \
            else moment.date().isoformat()
    if hasattr(value, "item"):   # numpy scalars as Python numbers
        value = value.item()
    return value


def records_csv_href(indicator_id: str, period: str) -> str:
    return f"/download/records/{indicator_id}/{period}.csv"


def records_csv(metrics: CouncilMetrics, indicator_id: str, period: str, who: Identity | None) -> tuple[RecordList, bytes]:
    """The list as CSV bytes (every cell safe to open in a spreadsheet), with the list itself
    for the audit; Forbidden unless `who` may see records."""
    listing = records_behind(metrics, indicator_id, period, who)
    if not listing.offered:
        raise LookupError(listing.reason)
    table = listing.table
    rows = ([file_text(v) for v in values] for values in table.itertuples(index=False))
    return listing, csv_bytes(list(table.columns), rows)


def records_file_name(council: str, indicator_id: str, period: str) -> str:
    return f"records-behind-{indicator_id}-{council}-{period}-not-for-publication.csv"


# --- Dash components -----------------------------------------------------------------------

def records_link(indicator_id: str, period: str, who: Identity | None) -> html.P | None:
    """On the indicator page, for those who may see them: the link to the records behind the
    figure (the records page and its CSV check the permission themselves)."""
    if who is None or not who.can(Permission.RECORDS):
        return None
    return html.P(html.A("The records behind this figure (pseudonymised; not for publication)",
                         href=f"/records/{indicator_id}?{urlencode({'period': period})}", id="records-link"),
                  className="records-link")


def records_layout(page: RecordsPage) -> html.Div:
    back = html.Nav(html.A(f"\u2190 {page.label}, {page.period_label}", href=page.indicator_href),
                    **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav")
    parts: list = [back, html.H1(f"Records behind \u201c{page.label}\u201d, {page.period_label}"),
                   marking_banner(page.marking)]
    if page.notice:
        parts.append(html.P(page.notice, id="records-notice", className="page-notice"))
    if not page.offered or not page.row_count:
        parts.append(html.P(page.reason or "No records are behind this figure this month: it counts nobody.",
                            id="records-none"))
        return html.Div(parts)
    parts += [
        html.P(page.figure_text, id="records-figure"),
        html.P(page.totals_text, id="records-totals"),
        None if page.agrees else html.P(
            "The list does not add up to the figure. Do not rely on either until an analyst has checked the "
            "extracts below.", id="records-disagree", className="page-notice", role="alert"),
        html.P([EXPLANATION, html.A("Download the list (CSV)", href=page.csv_href, id="records-csv")]),
        data_grid("records-grid", list(zip(page.columns, page.headings, strict=True)), list(page.rows),
                  f"{page.row_count:,} records, {page.counted:,} counted", page_size=GRID_PAGE_ROWS),
        simple_table(["Dataset", "Months covered", "File", "Loaded"],
                     [[e.dataset, e.months_text, e.source_file, e.loaded] for e in page.extracts],
                     f"The extracts these records come from ({len(page.extracts)})", "records-extracts"),
    ]
    return html.Div(parts)

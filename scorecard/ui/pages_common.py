"""Pieces several pages show: the no-data message and the links to this month's packs."""
from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from scorecard.ui.text import month_label


def no_data() -> html.Div:
    return html.Div([
        html.H1("No figures yet"),
        html.P(["No month has been loaded for this council. An analyst loads a month with ",
                html.Code("scorecard ingest FILES --period YYYY-MM"), ", or the demo county with ",
                html.Code("scorecard demo"), "."]),
    ])


def pack_href(period: str, kind: str, framework: str | None = None) -> str:
    query = f"?{urlencode({'framework': framework})}" if framework else ""
    return f"/download/scorecard-{period}.{kind}{query}"


def downloads(period: str, framework: str | None = None) -> html.Section:
    label = month_label(period)
    return html.Section([
        html.H2("Meeting pack and briefing", id="downloads"),
        html.Ul([
            html.Li(html.A(f"Meeting pack for {label} (PDF, A4 landscape)", href=pack_href(period, "pdf", framework),
                           id="download-pdf")),
            html.Li(html.A(f"Workbook for {label} (Excel)", href=pack_href(period, "xlsx", framework),
                           id="download-xlsx")),
            html.Li(html.A(f"Briefing note: what has changed up to {label}",
                           href=f"/briefing?{urlencode({'period': period})}")),
        ]),
    ], className="downloads", **{"aria-labelledby": "downloads"})

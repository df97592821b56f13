"""Pieces several pages show: the no-data message, the links to this month's packs, the
banner of a page that shows what public outputs hide, and the components of a page kept
with the plain data they were built from."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from scorecard.ui.text import month_label

_layouts: OrderedDict[tuple, tuple[object, object]] = OrderedDict()
_layouts_lock = threading.Lock()
LAYOUTS_KEPT = 64


def layout_once(made: object, build: Callable[[], object], variant: tuple = ()):
    """The components `build()` makes from a page's plain data `made` (a scorecard, an
    indicator page: each built once for the figures, `views.built_once`), made once for
    that object. Thousands of Dash components cost more to make than to send; the same
    data always gives the same components, and Dash only reads them to send them. `variant`
    holds whatever else the components depend on (what the viewer may do)."""
    key = (id(made), variant)
    with _layouts_lock:
        kept = _layouts.get(key)
        if kept is not None and kept[0] is made:
            _layouts.move_to_end(key)
            return kept[1]
    components = build()
    with _layouts_lock:
        _layouts[key] = (made, components)
        while len(_layouts) > LAYOUTS_KEPT:
            _layouts.popitem(last=False)
    return components


def no_data() -> html.Div:
    return html.Div([
        html.H1("No figures yet"),
        html.P(["No month has been loaded for this council. An analyst loads a month with ",
                html.Code("scorecard ingest FILES --period YYYY-MM"), ", or the demo county with ",
                html.Code("scorecard demo"), "."]),
    ])


def marking_banner(marking: str) -> dbc.Alert | None:
    """'Not for publication: includes numbers under 5 ...', at the top of a page built with
    the small numbers shown (`views.marking_for`); nothing on a public page."""
    return dbc.Alert(marking, color="danger", id="not-for-publication", className="not-for-publication") \
        if marking else None


def pack_href(period: str, kind: str, framework: str | None = None) -> str:
    query = f"?{urlencode({'framework': framework})}" if framework else ""
    return f"/download/scorecard-{period}.{kind}{query}"


def downloads(period: str, framework: str | None = None, marked: bool = False) -> html.Section:
    """The month's packs; `marked`: they will show the small numbers (the reader may see
    them), which their links say as the packs themselves do."""
    label = month_label(period) + (", not for publication" if marked else "")
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

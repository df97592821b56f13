"""Data quality, for analysts: every load, freshness, blank fields, datasets that disagree,
records that disappeared and figures flagged for incomplete history.
`/data-quality?period=2025-03` (the month whose files' blank fields are counted)."""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.ui.data_quality_view import (
    BUTTON_TYPE,
    DOWNLOAD_ID,
    FORM_ID,
    NAV_ID,
    PERIOD_ID,
    data_quality_layout,
    period_search,
    section_download,
)
from scorecard.ui.views import figures_for

dash.register_page(__name__, path="/data-quality", title="Data quality - Corporate Parenting Scorecard", order=4)


@page_layout(Permission.DATA_QUALITY)
def layout(period: str | None = None, **_other):
    return data_quality_layout(current_identity(), figures_for(current_identity()), period)


@callback(Output(NAV_ID, "search"), Input(f"{FORM_ID}-show", "n_clicks"), State(PERIOD_ID, "value"),
          prevent_initial_call=True)
@guarded(Permission.DATA_QUALITY)
def show_period(_clicks, period):
    return period_search(period)


@callback(Output(DOWNLOAD_ID, "data"), Input({"type": BUTTON_TYPE, "section": ALL, "part": ALL}, "n_clicks"),
          State(PERIOD_ID, "value"), prevent_initial_call=True)
@guarded(Permission.DATA_QUALITY)
def download_section(clicks, period):
    if not any(clicks or ()) or not isinstance(ctx.triggered_id, dict):
        return dash.no_update
    try:
        return section_download(current_identity(), figures_for(current_identity()),
                                str(ctx.triggered_id.get("section")), str(ctx.triggered_id.get("part")), period)
    except LookupError:  # a section this page does not have: a crafted request
        return dash.no_update

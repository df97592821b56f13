"""The briefing note for between meetings: what turned red, amber or green, and what
improved or worsened, since an earlier month. `/briefing?period=2025-03&since=2025-01`"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.ui.briefing import build_briefing
from scorecard.ui.briefing_layout import briefing_sections
from scorecard.ui.components import as_at, choice, filter_form, month_options, notice
from scorecard.ui.pages_common import marking_banner, no_data
from scorecard.ui.views import NoData, figures_for, public_for

dash.register_page(__name__, path="/briefing", title="Briefing note - Corporate Parenting Scorecard", order=2)


@page_layout(Permission.VIEW)
def layout(period: str | None = None, since: str | None = None, **_other):
    try:
        note = build_briefing(figures_for(current_identity()), period, since,
                              public=public_for(current_identity()))
    except NoData:
        return no_data()
    return html.Div([
        dcc.Location(id="briefing-nav", refresh="callback-nav"),
        html.H1(note.title),
        marking_banner(note.marking),
        notice(note.notice),
        as_at(note.as_at_text),
        html.P(f"Compared with {note.basis_text}.", className="basis", id="briefing-basis"),
        filter_form("briefing-form", [
            choice("briefing-period", "Month", month_options(note.periods), note.period),
            choice("briefing-since", "Changes since", month_options(note.periods), note.since),
        ], "Show briefing"),
        *briefing_sections(note),
    ])


@callback(Output("briefing-nav", "search"), Input("briefing-form-show", "n_clicks"),
          State("briefing-period", "value"), State("briefing-since", "value"), prevent_initial_call=True)
@guarded(Permission.VIEW)
def show_briefing(_clicks, period, since):
    return "?" + urlencode({"period": period, "since": since})

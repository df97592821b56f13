"""The DfE's published figures the comparisons use: the releases imported, and importing
another from the browser (analysts). `/benchmarks`"""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, html

from scorecard.access import (
    Permission,
    current_identity,
    guarded,
    page_layout,
    store_engine,
)
from scorecard.ui.benchmarks_view import import_file, release_table
from scorecard.ui.upload_layout import drop_zone

dash.register_page(__name__, path="/benchmarks", title="Published figures - Corporate Parenting Scorecard", order=12)


@page_layout(Permission.BENCHMARKS)
def layout(**_query):
    return html.Div([
        html.H1("Published figures"),
        html.P([("The England, regional and statistical-neighbour figures come from the DfE's published files: "
                 "Explore Education Statistics tidy CSV files and LAIT's long file. Every release is kept; a file "
                 "already imported adds nothing. Larger files, or a folder of them, import with "),
                html.Code("scorecard benchmarks import"), "."], className="lead"),
        drop_zone("release-file", "Drag and drop one of the DfE's CSV files here, or ", "choose it", ".csv",
                  multiple=False),
        html.Div(id="release-outcome-holder", role="status", **{"aria-live": "polite"}),
        html.H2("Imported"),
        html.Div(release_table(store_engine(), current_identity()), id="releases-holder"),
    ])


@callback(Output("release-outcome-holder", "children"), Output("releases-holder", "children"),
          Input("release-file", "contents"), State("release-file", "filename"), prevent_initial_call=True)
@guarded(Permission.BENCHMARKS)
def release_dropped(content, name):
    who = current_identity()
    return import_file(store_engine(), who, name, content), release_table(store_engine(), who)

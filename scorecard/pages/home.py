"""Home: until the scorecard page lands, what data the store holds."""
from __future__ import annotations

import dash
from dash import html

from scorecard import settings
from scorecard.loaded import loaded_summary

dash.register_page(__name__, path="/", title="Corporate Parenting Scorecard")

DATASET_TITLES = {
    "children_in_care": "Children in care",
    "visits": "Statutory visits",
    "missing_episodes": "Missing episodes",
    "return_interviews": "Return home interviews",
    "health_assessments": "Health assessments",
    "care_leavers": "Care leavers",
}


def layout(**_query):
    council = settings.default_council()
    summary = loaded_summary(council)
    if not summary:
        body = html.P(["No data loaded yet. Load a month with ", html.Code("scorecard ingest FILES --period YYYY-MM"),
                       " or the demo county with ", html.Code("scorecard demo"), "."])
    else:
        header = html.Tr([html.Th(h, scope="col") for h in ("Dataset", "Latest month", "Months loaded",
                                                            "Rows in latest month", "Source file")])
        rows = [html.Tr([html.Td(DATASET_TITLES.get(s.dataset, s.dataset)), html.Td(s.latest_period),
                         html.Td(s.months), html.Td(f"{s.rows_in_latest:,}"), html.Td(s.source_file)])
                for s in summary]
        body = html.Table([html.Caption(f"Data loaded for council {council}"), html.Thead(header),
                           html.Tbody(rows)])
    return html.Div([
        html.P("The scorecard pages arrive with the metrics layer. This page shows what has been loaded."),
        body,
    ])

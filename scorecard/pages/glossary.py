"""Every acronym and term the app uses, from metrics.yaml's glossary."""
from __future__ import annotations

import dash
from dash import html

from scorecard.access import Permission, page_layout
from scorecard.metrics import load_catalogue
from scorecard.ui.views import glossary

dash.register_page(__name__, path="/glossary", title="Glossary - Corporate Parenting Scorecard", order=3)


@page_layout(Permission.VIEW)
def layout(**_query):
    terms = glossary(load_catalogue())
    return html.Div([
        html.H1("Glossary"),
        html.P("Every acronym and term used in the scorecard, its packs and its briefing notes."),
        html.Dl([part for term, meaning in terms
                 for part in (html.Dt(term, id=f"term-{term}", tabIndex=-1), html.Dd(meaning))],
                className="glossary"),
    ])

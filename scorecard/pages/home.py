"""The scorecard: every indicator for a month, grouped by theme, with its rating,
movement, comparators, 13-month sparkline and commentary. `/?period=2025-03&framework=2021&theme=health`

Heads of service (the small-numbers permission) see the figures public outputs hide, under a
"not for publication" banner; everyone else the public scorecard."""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.ui.components import as_at, choice, filter_form, month_options, notice
from scorecard.ui.pages_common import downloads, layout_once, marking_banner, no_data
from scorecard.ui.scorecard_table import headline, key, summary, theme_table
from scorecard.ui.views import (
    NoData,
    build_scorecard,
    figures_for,
    public_for,
    theme_options,
)

dash.register_page(__name__, path="/", title="Scorecard - Corporate Parenting Scorecard", order=0)
ALL_THEMES = "all"


@page_layout(Permission.VIEW)
def layout(period: str | None = None, framework: str | None = None, theme: str | None = None,
           since: str | None = None, **_other):
    try:
        card = build_scorecard(figures_for(current_identity()), period, framework, theme, since,
                               public=public_for(current_identity()))
    except NoData:
        return no_data()
    return layout_once(card, lambda: _page(card))


def _page(card) -> html.Div:
    return html.Div([
        dcc.Location(id="scorecard-nav", refresh="callback-nav"),
        html.H1(f"Scorecard for {card.period_label}"),
        marking_banner(card.marking),
        notice(card.notice),
        html.P(card.council_name, className="lead"),
        headline(card),
        as_at(card.as_at_text, card.older_benchmarks),
        html.P(card.compared_text, className="compared-with", id="compared-with"),
        filter_form("scorecard-form", [
            choice("scorecard-period", "Month", month_options(card.periods), card.period),
            choice("scorecard-since", "Compare with", month_options(p for p in card.periods if p < card.period),
                   card.since if card.since in card.periods else None),
            choice("scorecard-framework", "Theme framework", list(card.frameworks), card.framework),
            choice("scorecard-theme", "Theme", [(ALL_THEMES, "All themes"), *card.themes], card.theme or ALL_THEMES),
        ], "Show scorecard"),
        summary(card),
        *[theme_table(group, card.period, card.region_name, card.since_label) for group in card.groups],
        downloads(card.period, card.framework, marked=not card.public),
        key(),
    ])


@callback(Output("scorecard-theme", "options"), Input("scorecard-framework", "value"), prevent_initial_call=True)
@guarded(Permission.VIEW)
def themes_of_framework(framework):
    return [{"label": "All themes", "value": ALL_THEMES}] + [{"label": label, "value": theme_id}
                                                     for theme_id, label in theme_options(framework)]


@callback(Output("scorecard-nav", "search"), Input("scorecard-form-show", "n_clicks"),
          State("scorecard-period", "value"), State("scorecard-since", "value"), State("scorecard-framework", "value"),
          State("scorecard-theme", "value"), prevent_initial_call=True)
@guarded(Permission.VIEW)
def show_scorecard(_clicks, period, since, framework, theme):
    return scorecard_search(period, since, framework, theme)


def scorecard_search(period, since, framework, theme) -> str:
    """The address of the choices made: a month compared with only when it is earlier."""
    since = since if since and period and since < period else None
    theme = None if theme == ALL_THEMES else theme
    chosen = (("period", period), ("since", since), ("framework", framework), ("theme", theme))
    return "?" + urlencode({k: v for k, v in chosen if v})

"""One indicator: 24-month trend with target and benchmarks, its breakdowns (this month,
month by month or rolling 12 months, and crossed with a second breakdown), definition,
lineage and commentary. `/indicator/<id>?period=2025-03&breakdown=district&by=age_band&view=rolling`"""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.metrics import load_catalogue
from scorecard.ui.actions_view import actions_section
from scorecard.ui.components import (
    as_at,
    choice,
    explained,
    filter_form,
    month_options,
    notice,
)
from scorecard.ui.edit_view import edit_href
from scorecard.ui.indicator_drilldown import NO_SECOND, indicator_query
from scorecard.ui.indicator_layout import (
    address_problems,
    breakdown_section,
    comparison_section,
    definition_card,
    headline,
    history,
    trend_section,
    two_way_section,
)
from scorecard.ui.indicator_view import build_indicator
from scorecard.ui.pages_common import layout_once, marking_banner, no_data
from scorecard.ui.records_view import records_link
from scorecard.ui.views import NoData, figures_for, public_for


def title(indicator_id: str | None = None, **_other) -> str:
    indicator = load_catalogue().by_id.get(indicator_id or "")
    return f"{indicator.label if indicator else 'Indicator'} - Corporate Parenting Scorecard"


dash.register_page(__name__, path_template="/indicator/<indicator_id>", title=title, order=1)


@page_layout(Permission.VIEW)
def layout(indicator_id: str | None = None, period: str | None = None, breakdown: str | None = None,
           by: str | None = None, view: str | None = None, **_other):
    if (indicator_id or "") not in load_catalogue().by_id:
        return html.Div([html.H1("No such indicator"),
                         html.P([f"There is no indicator called \u201c{indicator_id}\u201d. ",
                                 html.A("Back to the scorecard", href="/")])])
    who = current_identity()
    try:
        page = build_indicator(figures_for(current_identity()), indicator_id, period, breakdown, by, view,
                               public=public_for(who))
    except NoData:
        return no_data()
    may = tuple(who.can(p) for p in (Permission.COMMENTARY, Permission.ACTIONS, Permission.TARGETS,
                                     Permission.RECORDS)) if who is not None else ()
    return layout_once(page, lambda: _page(page, who), variant=may)


def _page(page, who) -> html.Div:
    controls = [choice("indicator-period", "Month", month_options(page.periods), page.period),
                choice("indicator-breakdown", "Breakdown", list(page.breakdown_names) or [("", "None offered")],
                       page.breakdown.name if page.breakdown else "")]
    # Always present, so the form's callback finds every field it reads.
    controls += [choice("indicator-by", "Second breakdown", [(NO_SECOND, "None"), *page.breakdown_names],
                        page.drilldown.by or NO_SECOND),
                 choice("indicator-view", "Show", list(page.drilldown.views), page.drilldown.view)]
    return html.Div([
        dcc.Location(id="indicator-nav", refresh="callback-nav"),
        dcc.Store(id="indicator-id", data=page.id),
        html.Nav(html.A(f"\u2190 Scorecard for {page.period_label}", href=f"/?{urlencode({'period': page.period})}"),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        html.H1(explained(page.label)),
        marking_banner(page.marking),
        notice(page.notice),
        html.P(page.description, className="lead"),
        as_at(page.as_at_text, any(c.state == "older" for c in page.row.comparators)),
        filter_form("indicator-form", controls, "Show"),
        address_problems(page),
        headline(page),
        trend_section(page),
        breakdown_section(page),
        two_way_section(page),
        actions_section(page.row.actions),
        edit_link(page.id, page.period, who),
        comparison_section(page),
        history(page),
        definition_card(page),
        records_link(page.id, page.period, who),
    ])


def edit_link(indicator_id: str, period: str, who) -> html.P | None:
    """Offered to those who may change something there (the edit page checks each save again)."""
    if who is None or not any(who.can(p) for p in (Permission.COMMENTARY, Permission.ACTIONS, Permission.TARGETS)):
        return None
    return html.P(html.A("Edit commentary, actions and target", href=edit_href(indicator_id, period), id="edit-link"))


@callback(Output("indicator-nav", "search"), Input("indicator-form-show", "n_clicks"),
          State("indicator-period", "value"), State("indicator-breakdown", "value"),
          State("indicator-by", "value"), State("indicator-view", "value"), prevent_initial_call=True)
@guarded(Permission.VIEW)
def show_indicator(_clicks, period, breakdown, by=None, view=None):
    return "?" + indicator_query(period, breakdown, by, view)

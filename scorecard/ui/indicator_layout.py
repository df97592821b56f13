"""The indicator page's sections as Dash components, from `indicator_view.IndicatorPage`."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from scorecard.ui.charts import breakdown_figure, comparison_figure, published_trend_figure, trend_figure
from scorecard.ui.components import comment_block, data_grid, graph, rag_badge, simple_table
from scorecard.ui.indicator_view import IndicatorPage
from scorecard.ui.text import month_label


def _section(heading: str, section_id: str, *children) -> html.Section:
    return html.Section([html.H2(heading, id=section_id), *children], className="page-section",
                        **{"aria-labelledby": section_id})


def headline(page: IndicatorPage) -> html.Section:
    row = page.row
    facts = [("This month", [html.Strong(row.value_text, className="value-large"),
                             html.Span(f" ({row.counts_text})" if row.counts_text else ""),
                             *([html.Br(), html.Span(row.caveat, className="caveat")] if row.caveat else [])]),
             ("Rating", [rag_badge(row.rag, row.rag_reason), html.Span(f" {row.rag_reason}", className="muted")]),
             ("Since last month", f"{row.month_direction_text or 'No comparison'} (was {row.last_month_text})"),
             ("Since a year ago", f"{row.year_direction_text or 'No comparison'} (was {row.last_year_text})"),
             ("Target", row.target_text),
             *[(f"{cell.label}, {cell.measured}" if cell.measured else cell.label, cell.text)
               for cell in row.comparators],
             ("Rank among councils", row.standing_text),
             ("Published by the DfE for this council", row.published_text)]
    if row.note:
        facts.append(("Note", row.note))
    return _section(f"{page.period_label} at a glance", "headline",
                    html.Dl([part for term, value in facts for part in (html.Dt(term), html.Dd(value))],
                            className="facts"),
                    html.H3("Commentary"), comment_block(row.commentary))


def trend_section(page: IndicatorPage) -> html.Section:
    points = page.trend
    breaks = [f"{month_label(p.period)}: {p.series_break}" for p in points if p.series_break]
    description = (f"Line chart of {page.label} for the {len(points)} months to {page.period_label}; "
                   "the same figures are in the table below the chart.")
    rows = [[p.label, p.value_text, p.counts_text, p.rag_text,
             *(_fmt(page.unit, v) for v in (p.target, p.statistical_neighbours, p.england, p.region)),
             p.series_break] for p in reversed(points)]
    return _section("The last 24 months", "trend",
                    html.Ul([html.Li(f"Break in the series, {b}") for b in breaks], className="breaks") if breaks
                    else None,
                    graph("trend-chart", trend_figure(page), description),
                    html.Details([html.Summary("The trend as a table"),
                                  simple_table(["Month", "Value", "Counts", "Rating", "Target",
                                                "Statistical neighbours", "England", "Region", "Series break"],
                                               rows, f"{page.label}, month by month", "trend-table")],
                                 open=False))


def breakdown_section(page: IndicatorPage) -> html.Section:
    if page.breakdown is None:
        return _section("Breakdowns", "breakdowns", html.P("This indicator has no breakdowns."))
    chosen = page.breakdown
    rows = [{"group": g.group, "value": g.value_text, "counts": g.counts_text, "rating": g.rag_text,
             "movement": g.month_direction_text, "note": g.note} for g in chosen.groups]
    others = ", ".join(label for name, label in page.breakdown_names if name != chosen.name)
    return _section(f"By {chosen.label.lower()}, {page.period_label}", "breakdowns",
                    html.P(f"Other breakdowns: {others}. Choose one above." if others else ""),
                    graph("breakdown-chart", breakdown_figure(chosen, page.unit),
                          f"Bar chart of {page.label} by {chosen.label.lower()}; the same figures are in the "
                          "table below."),
                    data_grid("breakdown-table", [("group", chosen.label), ("value", "Value"),
                                                  ("counts", "Counts"), ("rating", "Rating"),
                                                  ("movement", "Since last month"), ("note", "Note")], rows,
                              f"{page.label} by {chosen.label.lower()}, {page.period_label}"))


def comparison_section(page: IndicatorPage) -> html.Section:
    compared = page.compared
    if compared is None:
        return _section("Compared with other councils", "compared",
                        html.P("The DfE publishes no figure this indicator can be compared with."))
    rows = [[b.name, b.value_text, b.detail] for b in compared.bars]
    notes = [p for p in (compared.note, compared.definition_note) if p]
    years = [[y.period, *y.texts] for y in reversed(compared.years)]
    return _section(f"Compared with other councils: {compared.year_text}", "compared",
                    html.Dl([part for term, value in (("Rank among councils", compared.standing_text),
                                                      ("Published by the DfE for this council", compared.published_text))
                             for part in (html.Dt(term), html.Dd(value))], className="facts"),
                    html.Ul([html.Li(n) for n in notes], className="definition-notes") if notes else None,
                    graph("comparison-chart", comparison_figure(compared.bars, page.unit),
                          f"Bar chart of {page.label}: this council's figure for {page.period_label} beside its "
                          f"statistical neighbours', their average, its region's and England's published figures "
                          f"for {compared.year_text}; the same figures are in the table below."),
                    simple_table(["Council or area", "Figure", "Closeness or note"], rows,
                                 f"{page.label}: this council against other councils", "comparison-table"),
                    html.H3("Published figures over the years"),
                    graph("published-trend-chart", published_trend_figure(compared, page.unit),
                          f"Line chart of the DfE's published figures for {page.label}, year by year; the same "
                          "figures are in the table below."),
                    simple_table(["Year", *compared.series_names], years,
                                 f"{page.label}: the DfE's published figures, year by year", "published-table"),
                    html.P(f"Source: the DfE's published figures, {compared.source}. Contains public sector "
                           "information licensed under the Open Government Licence v3.0.", className="muted"))


def history(page: IndicatorPage) -> html.Section:
    if not page.comments:
        return _section("Commentary over time", "commentary", html.P("No commentary has been written yet."))
    return _section("Commentary over time", "commentary",
                    html.Ol([html.Li([html.H3(month_label(c.period)), comment_block(c)])
                             for c in page.comments], className="commentary-history"))


def definition_card(page: IndicatorPage) -> html.Section:
    facts = [("What it counts", page.numerator_text)]
    if page.denominator_text:
        facts.append(("Out of", page.denominator_text))
    facts += [("When it is measured", page.timescale_text), ("Which way is better", page.polarity_text),
              ("How it is rated", page.rag_rule_text), ("Source data", ", ".join(page.sources))]
    extracts = [[e.dataset, e.months_text, e.source_file, e.loaded] for e in page.extracts]
    return _section("Definition and sources", "definition", dbc.Card(dbc.CardBody([
        html.Dl([part for term, value in facts for part in (html.Dt(term), html.Dd(value))], className="facts"),
        simple_table(["Dataset", "Months covered", "File", "Loaded"], extracts,
                     f"The extracts this month's figure was computed from ({len(extracts)})", "extracts-table")
        if extracts else html.P("No extracts: there is no figure this month."),
    ])))


def _fmt(unit: str, value) -> str:
    from scorecard.metrics import format_value
    return format_value(unit, value) if value is not None else ""

"""The indicator page's sections as Dash components, from `indicator_view.IndicatorPage`."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from scorecard.ui.charts import (
    breakdown_figure,
    comparison_figure,
    group_trend_figure,
    published_trend_figure,
    trend_figure,
)
from scorecard.ui.components import (
    comment_block,
    data_grid,
    graph,
    rag_badge,
    simple_table,
)
from scorecard.ui.indicator_drilldown import ALL
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
        why = (" A rate per head of population cannot be broken down: the store holds no population for each group."
               if page.unit == "rate_per_10000" else "")
        return _section("Breakdowns", "breakdowns", html.P(f"This indicator has no breakdowns.{why}"))
    if page.group_trend is not None:
        return _group_trend_section(page)
    chosen = page.breakdown
    rows = [{"group": g.group, "value": g.value_text, "counts": g.counts_text, "rating": g.rag_text,
             "movement": g.month_direction_text, "note": g.note} for g in chosen.groups]
    return _section(f"By {chosen.label.lower()}, {page.period_label}", "breakdowns", _other_breakdowns(page),
                    graph("breakdown-chart", breakdown_figure(chosen, page.unit),
                          f"Bar chart of {page.label} by {chosen.label.lower()}; the same figures are in the "
                          "table below."),
                    data_grid("breakdown-table", [("group", chosen.label), ("value", "Value"),
                                                  ("counts", "Counts"), ("rating", "Rating"),
                                                  ("movement", "Since last month"), ("note", "Note")], rows,
                              f"{page.label} by {chosen.label.lower()}, {page.period_label}"))


def address_problems(page: IndicatorPage) -> html.Div | None:
    """What the address asked for that the page could not show, said beside the choices."""
    problems = page.drilldown.problems if page.drilldown else ()
    return html.Div([html.P(p, className="mb-1") for p in problems], className="alert alert-warning",
                    role="status", id="drilldown-problems") if problems else None


def _other_breakdowns(page: IndicatorPage) -> html.P:
    others = ", ".join(label for name, label in page.breakdown_names if name != page.breakdown.name)
    return html.P(f"Other breakdowns: {others}. Choose one above, a second breakdown for a two-way table, and "
                  "whether to see this month, each month or rolling 12 months." if others else "")


def _group_trend_section(page: IndicatorPage) -> html.Section:
    trend = page.group_trend
    lines = [trend.whole, *trend.lines]
    rows = [[label, *(line.cells[index].text for line in lines)]
            for index, label in reversed(list(enumerate(trend.month_labels)))]
    what = ("each month's figure covers the 12 months to that month (their counts added up, then divided)"
            if trend.rolling else "each month on its own")
    left_out = [line.group for line in trend.lines if line.group not in trend.charted]
    drawn = (f"The chart draws the {len(trend.charted)} largest groups; the table has all {len(trend.lines)}."
             if left_out else "")
    return _section(trend.heading, "breakdowns",
                    html.P(page.drilldown.view_note, id="drilldown-view-note") if page.drilldown.view_note else None,
                    html.P(f"{'Rolling 12 months' if trend.rolling else 'Month by month'}: {what}. {drawn}",
                           className="muted"),
                    html.Ul([html.Li(c) for c in trend.caveats], className="caveat") if trend.caveats else None,
                    _other_breakdowns(page),
                    _group_chart(page) if any(c.value is not None for line in trend.lines for c in line.cells)
                    else html.P(_all_hidden(trend.label, trend.rolling), className="caveat", id="all-hidden"),
                    html.Div(simple_table(["Month", f"{ALL} ({trend.label.lower()} together)",
                                           *(line.group for line in trend.lines)], rows,
                                          f"{trend.heading}: value (counts)", "group-trend-table"),
                             className="table-responsive", tabIndex=0, role="region",
                             **{"aria-label": f"{trend.heading}, table"}))


def _group_chart(page: IndicatorPage) -> html.Figure:
    trend = page.group_trend
    return graph("group-trend-chart", group_trend_figure(trend, page.unit),
                 f"Line chart of {page.label} by {trend.label.lower()}, one line per group"
                 f"{' (rolling 12 months)' if trend.rolling else ''}; the same figures are in the table below.")


def _all_hidden(label: str, rolling: bool) -> str:
    """Why a drill-down shows no group at all: said, rather than an empty chart."""
    why = ("each group's 12 months include a month with a small number, or one that would give a small number "
           "away" if rolling else "each is a small number, or would give one away")
    return (f"No {label.lower()} group can be shown in public: {why}, and could identify a child. The figure for "
            "all children is in the table.")


def two_way_section(page: IndicatorPage) -> html.Section | None:
    """Two breakdowns crossed: each cell, the margins (the one-way breakdowns) and the total."""
    table = page.two_way
    if table is None:
        return None
    head = html.Thead(html.Tr([html.Th(f"{table.rows_label} (rows), {table.columns_label.lower()} (columns)",
                                       scope="col"),
                               *(html.Th(c, scope="col") for c in table.column_groups),
                               html.Th(f"{ALL}, any {table.columns_label.lower()}", scope="col")]))
    body = [html.Tr([html.Th(row, scope="row"), *(html.Td(_cell(c)) for c in cells), html.Td(_cell(margin))])
            for row, cells, margin in zip(table.row_groups, table.cells, table.row_margins)]
    body.append(html.Tr([html.Th(f"{ALL}, any {table.rows_label.lower()}", scope="row"),
                         *(html.Td(_cell(c)) for c in table.column_margins), html.Td(html.Strong(_cell(table.total)))],
                        className="margin-row"))
    shown = any(c.value is not None for row in table.cells for c in row)
    return _section(table.heading, "two-way",
                    None if shown else html.P(_all_hidden(f"{table.rows_label} by {table.columns_label.lower()}",
                                                          False), className="caveat", id="two-way-all-hidden"),
                    html.P("Each cell gives the value and its counts; the last column and row are the one-way "
                           f"breakdowns by {table.rows_label.lower()} and by {table.columns_label.lower()}, and their "
                           "corner the figure as a whole.", className="muted"),
                    *[html.P(note, className="muted") for note in table.notes],
                    html.Div(dbc.Table([html.Caption(f"{page.label}: {table.heading.lower()}"), head, html.Tbody(body)],
                                       id="two-way-table", bordered=True, size="sm", className="figures"),
                             className="table-responsive", tabIndex=0, role="region",
                             **{"aria-label": f"{table.heading}, two-way table"}))


def _cell(cell) -> list:
    return [cell.value_text, *([html.Br(), html.Span(cell.counts_text, className="muted")] if cell.counts_text
                               and cell.value is not None else [])]


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

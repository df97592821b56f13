"""The scorecard's table and summary as Dash components, from `views.Scorecard`."""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from scorecard.metrics import load_catalogue
from scorecard.ui.charts import sparkline_alt, sparkline_svg
from scorecard.ui.components import comment_block, rag_badge
from scorecard.ui.text import acronym_parts, date_label
from scorecard.ui.views import Row, Scorecard, ThemeGroup

COLUMNS = ("Indicator", "This month", "Rating and target", "Since", "Since a year ago",
           "Statistical neighbours", "England", "Region", "Rank among councils", "Last 13 months",
           "Commentary and actions")


def indicator_href(indicator_id: str, period: str) -> str:
    return f"/indicator/{indicator_id}?{urlencode({'period': period})}"


def indicator_link(row: Row, period: str) -> list:
    """The label links to the indicator page; its acronyms are expanded on hover, and each
    also links to the glossary (a link cannot sit inside another link, so beneath it)."""
    glossary = load_catalogue().glossary_terms()
    parts_of_label = acronym_parts(row.label, glossary)
    terms = [run for run, meaning in parts_of_label if meaning]
    label = [html.Abbr(run, title=meaning) if meaning else run for run, meaning in parts_of_label]
    parts = [html.A(label, href=indicator_href(row.id, period), className="indicator-link")]
    if terms:
        links = [html.A(t, href=f"/glossary#term-{t}", title=glossary[t]) for t in dict.fromkeys(terms)]
        parts.append(html.Div(["Terms: ", *[part for link in links for part in (link, " ")]], className="terms"))
    return parts


def movement(direction_text: str, before_text: str) -> list:
    if not direction_text:
        return [html.Span("No comparison", className="muted")]
    return [html.Span(direction_text, className="direction"), html.Br(),
            html.Span(f"was {before_text}", className="muted")]


def actions_block(row: Row, period: str) -> html.Div | None:
    """The row's open improvement actions, overdue first called out in words, not only colour."""
    if not row.open_actions:
        return None
    items = [html.Li([html.Strong(f"{a.reference} "), a.action, " ",
                      html.Span(f"({a.status_label}, {a.owner}, due {date_label(a.due)})", className="muted"),
                      *([" ", html.Strong("Overdue", className="overdue")] if a.overdue else [])])
             for a in row.open_actions]
    overdue = sum(a.overdue for a in row.open_actions)
    title = f"Actions ({len(items)} open{f', {overdue} overdue' if overdue else ''})"
    return html.Div([html.A(title, href=f"{indicator_href(row.id, period)}#actions", className="actions-title"),
                     html.Ul(items, className="actions-list")], className="actions-block")


def _labelled(label: str, content, **kwargs) -> html.Td:
    """A cell that says its column's name when the table is read as cards on a phone."""
    return html.Td(html.Div(content, className="cell"), **{"data-label": label}, **kwargs)


def row_cells(row: Row, period: str, columns=COLUMNS) -> html.Tr:
    value = [html.Strong(row.value_text, className="value")]
    if row.counts_text:
        value += [html.Br(), html.Span(row.counts_text, className="muted")]
    if row.caveat:
        value += [html.Br(), html.Span(row.caveat, className="caveat", title=row.note or None)]
    names = dict(zip(COLUMNS, columns, strict=True))
    return html.Tr([
        html.Th(indicator_link(row, period), scope="row"),
        _labelled(names["This month"], value),
        _labelled(names["Rating and target"], [
            rag_badge(row.rag, row.rag_reason), html.Br(),
            html.Span(f"Target {row.target_text}" if row.target is not None else "No target", className="muted")]),
        _labelled(names["Since"], movement(row.since_direction_text, row.since_text)),
        _labelled(names["Since a year ago"], movement(row.year_direction_text, row.last_year_text)),
        *[_labelled(names[column], cell.text,
                    title="; ".join(p for p in (cell.label, cell.note, row.definition_note) if p) or None,
                    className="muted" if cell.state is None else None)
          for column, cell in zip(("Statistical neighbours", "England", "Region"), row.comparators, strict=True)],
        _labelled(names["Rank among councils"], row.standing_text,
                  className="muted" if row.standing_text == "Not ranked" else None),
        _labelled(names["Last 13 months"], html.Img(src=sparkline_svg(row.sparkline, row.unit),
                                                    alt=sparkline_alt(row.sparkline, row.unit, row.label),
                                                    className="sparkline")),
        _labelled(names["Commentary and actions"], [comment_block(row.commentary, empty=""),
                                                     actions_block(row, period)], className="commentary-cell"),
    ], id=f"row-{row.id}", className=f"rag-row-{row.rag or 'none'}")


def column_names(region_name: str = "", since_label: str = "") -> tuple[str, ...]:
    """The table's headings: the region by its name, the month compared with by its own."""
    named = {"Region": region_name, "Since": f"Since {since_label}" if since_label else "Since last month"}
    return tuple(named.get(c) or c for c in COLUMNS)


def theme_table(group: ThemeGroup, period: str, region_name: str = "", since_label: str = "") -> html.Section:
    columns = column_names(region_name, since_label)
    return html.Section([
        html.H2(group.label, id=f"theme-{group.id}"),
        html.Div(dbc.Table([
            html.Caption(f"{group.label}: each indicator this month, its rating, movement and comparators"),
            html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
            html.Tbody([row_cells(row, period, columns) for row in group.rows]),
        ], className="scorecard-table", bordered=True, size="sm"), className="table-responsive", tabIndex=0,
            role="region", **{"aria-labelledby": f"theme-{group.id}"}),
    ], className="theme")


def headline(card: Scorecard) -> html.P:
    return html.P(card.headline, className="headline", id="headline")


def summary(card: Scorecard) -> dbc.Row:
    """Success as visible as concern: what is green beside what is red or amber (reds
    first), each with its movement since the month compared with, as in the table."""
    def listing(title: str, rows, empty: str, css: str, heading_id: str) -> dbc.Col:
        items = [html.Li([html.A(row.label, href=indicator_href(row.id, card.period)), ": ", row.value_text, " ",
                          *([html.Span(f"({row.caveat})", className="caveat"), " "] if row.caveat else []),
                          rag_badge(row.rag, row.rag_reason), " ",
                          html.Span(f"{row.since_direction_text} since {card.since_label}"
                                    if row.since_direction_text else f"no comparison with {card.since_label}"),
                          *([" ", html.Strong("Action overdue", className="overdue")]
                            if any(a.overdue for a in row.open_actions) else [])])
                 for row in rows]
        return dbc.Col(html.Section([
            html.H2(f"{title} ({len(rows)})", id=heading_id),
            html.P(basis, className="muted summary-basis"),
            html.Ul(items) if items else html.P(empty),
        ], className=f"summary {css}", **{"aria-labelledby": heading_id}), md=6)

    basis = f"Rated for {card.period_label}; movement since {card.basis_text}."
    return dbc.Row([
        listing("Needs attention", card.needs_attention, "Nothing is rated red or amber this month.",
                "summary-concern", "needs-attention"),
        listing("Going well", card.going_well, "Nothing is rated green this month.", "summary-good", "going-well"),
    ], className="g-3 summary-row")


def key() -> html.Section:
    return html.Section([
        html.H2("How to read the scorecard", id="key"),
        html.Ul([
            *[html.Li([rag_badge(name), f": {meaning}"]) for name, meaning in (
                ("green", "on or better than the target or benchmark"),
                ("amber", "close to it"),
                ("red", "off it"),
                ("too_few", "too few children or events this month to rate fairly"))],
            html.Li("Arrows show which way a figure moved; the word says whether that is better or worse "
                    "(for some indicators lower is better). \u201cUp\u201d and \u201cDown\u201d are used where "
                    "neither is better."),
            html.Li("Rank among councils: where this month's figure would stand among every council's published "
                    "figure for the year (1st is the best); band A is the best quarter of councils, D the worst, "
                    "as the DfE's LAIT bands them."),
            html.Li("Benchmarks show the year they are for. \u201cNot yet published\u201d means the Department "
                    "for Education has not yet published a figure for a year this month can be compared with."),
            html.Li("Numbers of 1 to 4 children are hidden, with any rate made from them, because they could "
                    "identify a child."),
        ], className="key-list"),
    ], className="key", **{"aria-labelledby": "key"})


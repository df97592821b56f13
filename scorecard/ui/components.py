"""Dash components the pages share: a rating badge, a label with its acronyms explained,
the month/theme form, tables. Built from the plain view models in `views`, never from
the store."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from scorecard.metrics import load_catalogue
from scorecard.ui.commentary_text import commentary_components
from scorecard.ui.style import PLOTLY_CONFIG, rag_style
from scorecard.ui.text import acronym_parts, month_label
from scorecard.ui.views import Comment


def rag_badge(rag: str | None, reason: str = "") -> html.Span:
    """The rating as a shape and a word on its colour: never colour alone."""
    style = rag_style(rag)
    return html.Span([html.Span(style.shape, className="rag-shape", **{"aria-hidden": "true"}) if style.shape
                      else None, style.word],
                     className=f"rag rag-{rag or 'none'}", title=reason or None)


def explained(text: str) -> list:
    """Text with each glossary acronym marked up: its meaning on hover and focus, and a link
    to the glossary entry."""
    glossary = load_catalogue().glossary_terms()
    parts = []
    for run, meaning in acronym_parts(text, glossary):
        if meaning is None:
            parts.append(run)
        else:
            parts.append(html.A(html.Abbr(run, title=meaning), href=f"/glossary#term-{run}",
                                className="acronym", title=f"{run}: {meaning}"))
    return parts


def as_at(text: str, older_benchmarks: bool = False) -> html.P:
    note = [" Some benchmarks are from an older year than this month; each says its year."] if older_benchmarks else []
    return html.P([html.Strong(text), *note], className="as-at", id="as-at")


def notice(text: str) -> html.Div | None:
    """Why the page shows something other than what its address asked for."""
    return dbc.Alert(text, color="warning", id="page-notice", className="page-notice") if text else None


def choice(control_id: str, label: str, options: list[tuple[str, str]], value: str | None) -> dbc.Col:
    """A labelled native <select>: keyboard and screen-reader friendly without any script."""
    return dbc.Col([
        dbc.Label(label, html_for=control_id),
        # dbc.Select always renders a hidden placeholder option first: give it words, so
        # that no reader meets an empty option.
        dbc.Select(id=control_id, options=[{"label": text, "value": key} for key, text in options],
                   value=value if value is not None else (options[0][0] if options else None),
                   placeholder=f"Choose: {label.lower()}"),
    ], xs=12, md="auto")


def month_options(periods) -> list[tuple[str, str]]:
    return [(p, month_label(p)) for p in periods]


def filter_form(form_id: str, controls: list, button_text: str) -> html.Div:
    """The page's choices and a button: a change takes effect when the button is pressed,
    so moving through the options with the keyboard never reloads the page under the user."""
    button = dbc.Col(dbc.Button(button_text, id=f"{form_id}-show", color="primary", n_clicks=0),
                     xs=12, md="auto", className="align-self-end")
    return html.Div(dbc.Row([*controls, button], className="g-3 align-items-end"), id=form_id,
                    className="filter-form", role="group", **{"aria-label": "Choose what to show"})


def comment_block(comment: Comment | None, empty: str = "No commentary for this month.") -> html.Div:
    if comment is None:
        return html.P(empty, className="commentary commentary-none")
    return html.Figure([html.Blockquote(commentary_components(comment.text)),
                        html.Figcaption(f"{comment.author}, {comment.written}", className="commentary-by")],
                       className="commentary")


def graph(graph_id: str, figure: dict, description: str) -> html.Figure:
    """A chart with a caption saying what it shows; its figures are also in the table
    beside it, which is the chart's text alternative."""
    return html.Figure([dcc.Graph(id=graph_id, figure=figure, config=PLOTLY_CONFIG, className="chart"),
                        html.Figcaption(description, className="muted")], className="chart-figure")


def data_grid(grid_id: str, columns: list[tuple[str, str]], rows: list[dict], caption: str,
              page_size: int | None = None) -> html.Div:
    """A sortable, keyboard-navigable table of figures (dash-ag-grid); with `page_size`, in
    pages of that many rows (a list of hundreds of records would otherwise run for metres)."""
    paged = {"pagination": True, "paginationPageSize": page_size,
             "paginationPageSizeSelector": False} if page_size else {}
    return html.Div([
        html.P(caption, className="grid-caption", id=f"{grid_id}-caption"),
        dag.AgGrid(id=grid_id, rowData=rows,
                   columnDefs=[{"field": key, "headerName": header, "sortable": True, "resizable": True,
                                "wrapText": True, "autoHeight": True, "flex": 1} for key, header in columns],
                   dashGridOptions={"domLayout": "autoHeight", "ensureDomOrder": True,
                                    "suppressCellFocus": False, **paged},
                   className="ag-theme-quartz", style={"width": "100%"}),
    ], role="region", **{"aria-labelledby": f"{grid_id}-caption"})


def simple_table(columns: list[str], rows: list[list], caption: str, table_id: str | None = None) -> dbc.Table:
    return dbc.Table([html.Caption(caption), html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
                      html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])],
                     id=table_id, bordered=True, hover=False, size="sm", className="figures")

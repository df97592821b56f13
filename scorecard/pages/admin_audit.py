"""The audit log, for admins: sign-ins, uploads, edits, exports and account changes, newest
first, filtered by the address. `/admin/audit?actor=&action=&days=30`"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from scorecard.access import (
    Permission,
    current_identity,
    guarded,
    page_layout,
    store_engine,
)
from scorecard.ui.admin_view import (
    AUDIT_COLUMNS,
    AUDIT_ROWS_SHOWN,
    AuditFilter,
    audit_table_rows,
)
from scorecard.ui.components import simple_table

dash.register_page(__name__, path="/admin/audit", title="Audit log - Corporate Parenting Scorecard", order=21)


@page_layout(Permission.AUDIT)
def layout(actor: str | None = None, action: str | None = None, days: str | None = None, **_query):
    chosen = AuditFilter.from_query(actor, action, days)
    rows, more = audit_table_rows(store_engine(), current_identity(), chosen)
    return html.Div([
        dcc.Location(id="audit-nav", refresh="callback-nav"),
        html.H1("Audit log"),
        html.P("What people did, newest first: sign-ins (and failed ones), uploads and the loads they replaced, "
               "column mappings, commentary, actions and targets (before and after), exports and account "
               "changes. Nothing in it can be changed or removed.", className="lead"),
        html.Div(dbc.Row([
            dbc.Col([dbc.Label("Who", html_for="audit-actor"), dbc.Input(id="audit-actor", value=chosen.actor or "")],
                    xs=12, md=3),
            dbc.Col([dbc.Label("What", html_for="audit-action"),
                     dbc.Input(id="audit-action", value=chosen.action or "")], xs=12, md=3),
            dbc.Col([dbc.Label("Days", html_for="audit-days"),
                     dbc.Input(id="audit-days", type="number", min=1, value=chosen.days)], xs=12, md=2),
            dbc.Col(dbc.Button("Show", id="audit-show", color="primary", n_clicks=0), xs=12, md="auto",
                    className="align-self-end"),
        ], className="g-3 align-items-end"), className="filter-form", role="group",
            **{"aria-label": "Choose which events to show"}),
        html.P([f"Events of {chosen.described()}. ",
                html.A("Download them as CSV", href=f"/admin/audit.csv?{chosen.query()}", id="audit-download"),
                " (opens in a spreadsheet; no cell can run as a formula)."]),
        dbc.Alert(f"Only the newest {AUDIT_ROWS_SHOWN} are shown here; the download has them all.",
                  color="info") if more else None,
        simple_table(AUDIT_COLUMNS, rows, f"Audit events: {chosen.described()}", "audit-table") if rows
        else html.P("No events match.", id="audit-none"),
    ])


@callback(Output("audit-nav", "search"), Input("audit-show", "n_clicks"), State("audit-actor", "value"),
          State("audit-action", "value"), State("audit-days", "value"), prevent_initial_call=True)
@guarded(Permission.AUDIT)
def show_audit(_clicks, actor, action, days):
    return "?" + AuditFilter.from_query(actor, action, str(days) if days else None).query()

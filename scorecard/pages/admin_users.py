"""Users and roles, for admins: who may sign in and what each may do. `/admin/users`"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from scorecard.access import (
    ROLE_HELP,
    Permission,
    current_identity,
    guarded,
    page_layout,
    store_engine,
)
from scorecard.ui.admin_view import (
    KEEP,
    USER_COLUMNS,
    add_account,
    change_account,
    role_options,
    user_table_rows,
    usernames,
)
from scorecard.ui.components import simple_table

dash.register_page(__name__, path="/admin/users", title="Users - Corporate Parenting Scorecard", order=20)


def _field(control_id: str, label: str, control, help_text: str = "") -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control_id), control,
                    dbc.FormText(help_text) if help_text else None], xs=12, md=4)


@page_layout(Permission.USERS)
def layout(**_query):
    who = current_identity()
    roles = role_options()
    names = usernames(store_engine(), who)
    return html.Div([
        html.H1("Users and roles"),
        html.P("Every change here is kept in the audit log, and a change of role or status signs the user "
               "out of the sessions they have open.", className="lead"),
        html.Ul([html.Li([html.Strong(role.value.capitalize()), f": {text}."]) for role, text in ROLE_HELP.items()]),
        html.Div(simple_table(USER_COLUMNS, user_table_rows(store_engine(), who), "Accounts", "users-table"),
                 id="users-table-holder"),
        html.H2("Add a user", id="add-user"),
        html.Div(dbc.Row([
            _field("new-username", "Username", dbc.Input(id="new-username", autocomplete="off")),
            _field("new-name", "Name shown", dbc.Input(id="new-name", autocomplete="off")),
            _field("new-role", "Role", dbc.Select(id="new-role", options=[{"label": t, "value": v} for v, t in roles],
                                                  value="viewer")),
            _field("new-themes", "Limited to themes", dbc.Input(id="new-themes", autocomplete="off"),
                   "Theme ids, comma-separated (e.g. health): leave empty for every theme."),
            _field("new-password", "First password", dbc.Input(id="new-password", type="password",
                                                              autocomplete="new-password"),
                   "At least 12 characters; leave empty for single sign-on only."),
        ], className="g-3"), role="group", **{"aria-labelledby": "add-user"}),
        dbc.Button("Add user", id="add-user-button", color="primary", className="mt-3", n_clicks=0),
        html.Div(id="add-user-outcome", role="status", className="mt-2"),
        html.H2("Change a user", id="change-user"),
        html.Div(dbc.Row([
            _field("change-username", "User", dbc.Select(
                id="change-username", options=[{"label": u, "value": u} for u in names], value=names[0] if names else None)),
            _field("change-role", "New role", dbc.Select(
                id="change-role", options=[{"label": "Keep the role", "value": KEEP}] +
                [{"label": t, "value": v} for v, t in roles], value=KEEP)),
            _field("change-themes", "Limited to themes", dbc.Input(id="change-themes", autocomplete="off"),
                   "With a new role: theme ids, comma-separated; empty for every theme."),
            _field("change-status", "Status", dbc.Select(id="change-status", options=[
                {"label": "Keep the status", "value": KEEP}, {"label": "Active", "value": "active"},
                {"label": "Disabled", "value": "disabled"}], value=KEEP)),
        ], className="g-3"), role="group", **{"aria-labelledby": "change-user"}),
        dbc.Button("Change user", id="change-user-button", color="primary", className="mt-3", n_clicks=0),
        html.Div(id="change-user-outcome", role="status", className="mt-2"),
        dcc.Location(id="users-nav", refresh=True),
    ])


def _said(outcome) -> dbc.Alert:
    return dbc.Alert(outcome.message, color="success" if outcome.ok else "danger")


@callback(Output("add-user-outcome", "children"), Output("users-table-holder", "children"),
          Input("add-user-button", "n_clicks"),
          State("new-username", "value"), State("new-name", "value"), State("new-role", "value"),
          State("new-themes", "value"), State("new-password", "value"), prevent_initial_call=True)
@guarded(Permission.USERS)
def add_user_pressed(_clicks, username, name, role, themes, password):
    who = current_identity()
    outcome = add_account(store_engine(), who, username, name, role, themes, password)
    return _said(outcome), simple_table(USER_COLUMNS, user_table_rows(store_engine(), who), "Accounts", "users-table")


@callback(Output("change-user-outcome", "children"), Output("users-table-holder", "children", allow_duplicate=True),
          Input("change-user-button", "n_clicks"),
          State("change-username", "value"), State("change-role", "value"), State("change-themes", "value"),
          State("change-status", "value"), prevent_initial_call=True)
@guarded(Permission.USERS)
def change_user_pressed(_clicks, username, role, themes, status):
    who = current_identity()
    outcome = change_account(store_engine(), who, username, role, themes, status)
    return _said(outcome), simple_table(USER_COLUMNS, user_table_rows(store_engine(), who), "Accounts", "users-table")

"""An indicator's improvement actions as Dash components: each action as it stands, its
owner, due date and status (overdue said in words), and its dated history."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from scorecard.metrics.actions import Action
from scorecard.ui.text import action_status_text, date_label


def _history(action: Action) -> html.Details | None:
    if len(action.history) < 2:
        return None
    updates = action.history
    return html.Details([
        html.Summary(f"History ({len(action.history)} version{'s' if len(action.history) != 1 else ''})"),
        html.Ul([html.Li(f"{date_label(u.on)}: {u.status.replace('_', ' ').capitalize()}"
                         + (f", due {date_label(u.due)}" if u.due != action.due else "")
                         + (f". {u.text}" if u.text else "")) for u in updates]),
    ])


def actions_section(actions: tuple[Action, ...] | list[Action]) -> html.Section:
    """The section, even when there is no action: that is an answer too."""
    heading = html.H2("Improvement actions", id="actions")
    if not actions:
        return html.Section([heading, html.P("The committee has recorded no action for this indicator.")],
                            className="actions", **{"aria-labelledby": "actions"})
    rows = [html.Tr([
        html.Th(action.reference, scope="row"),
        html.Td([action.action, _history(action)]),
        html.Td(action.owner),
        html.Td([*([html.Strong("Overdue", className="overdue"), html.Br()] if action.overdue else []),
                 action_status_text(action)]),
        html.Td(f"{date_label(action.updated_on)}: {action.latest_update}" if action.latest_update else "None"),
    ], className="action-overdue" if action.overdue else None) for action in actions]
    open_count = sum(a.open for a in actions)
    overdue = sum(a.overdue for a in actions)
    return html.Section([
        heading,
        html.P(f"{open_count} open{f', {overdue} overdue' if overdue else ''}; {len(actions) - open_count} closed.",
               className="muted"),
        dbc.Table([html.Caption("Actions the committee agreed for this indicator, open ones first"),
                   html.Thead(html.Tr([html.Th(c, scope="col") for c in
                                       ("Reference", "Action", "Owner", "Status", "Latest update")])),
                   html.Tbody(rows)], bordered=True, size="sm", className="figures actions-table"),
    ], className="actions", **{"aria-labelledby": "actions"})

"""Editing one indicator's commentary for a month, its improvement actions and its target,
each with its history. `/edit/<indicator_id>?period=2025-03`

Anyone who may view sees the histories; each form is shown only to those who may make that
edit, and each save is checked again on the server: the callback's guard, then the plain
function (scorecard.ui.edit_view), which also checks the indicator's themes."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, html

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.editing import UnknownIndicator
from scorecard.metrics import load_catalogue
from scorecard.ui.edit_layout import (
    edit_layout,
    history_block,
    outcome_block,
    period_search,
)
from scorecard.ui.edit_view import (
    Outcome,
    action_lines,
    build_edit_page,
    comment_lines,
    submit_action,
    submit_commentary,
    submit_target,
    target_lines,
    target_now,
)


def title(indicator_id: str | None = None, **_other) -> str:
    indicator = load_catalogue().by_id.get(indicator_id or "")
    return f"Edit {indicator.label if indicator else 'an indicator'} - Corporate Parenting Scorecard"


dash.register_page(__name__, path_template="/edit/<indicator_id>", title=title, order=5)


@page_layout(Permission.VIEW)
def layout(indicator_id: str | None = None, period: str | None = None, **_other):
    try:
        page = build_edit_page(current_identity(), indicator_id or "", period)
    except UnknownIndicator:
        return html.Div([html.H1("No such indicator"),
                         html.P([f"There is no indicator called \u201c{indicator_id}\u201d. ",
                                 html.A("Back to the scorecard", href="/")])])
    return edit_layout(page)


def unknown_indicator(error: UnknownIndicator):
    """A save naming no indicator of metrics.yaml (only a hand-made request can): said, not a traceback."""
    return outcome_block(Outcome(False, f"Not saved: {error}."))


@callback(Output("edit-nav", "search"), Input("edit-period-show", "n_clicks"), State("edit-period", "value"),
          prevent_initial_call=True)
@guarded(Permission.VIEW)
def show_month(_clicks, period):
    return period_search(period)


@callback(Output("edit-comment-result", "children"), Output("edit-comment-history", "children"),
          Input("edit-comment-save", "n_clicks"), State("edit-indicator", "data"), State("edit-period-shown", "data"),
          State("edit-comment-text", "value"), prevent_initial_call=True)
@guarded(Permission.COMMENTARY)
def save_commentary(_clicks, indicator_id, period, text):
    who = current_identity()
    try:
        outcome = submit_commentary(who, indicator_id, period, text)
    except UnknownIndicator as error:
        return unknown_indicator(error), dash.no_update
    return outcome_block(outcome), history_block(comment_lines(who, indicator_id, period),
                                                 "No commentary has been written for this month.")


@callback(Output("edit-action-result", "children"), Output("edit-action-history", "children"),
          Input("edit-action-save", "n_clicks"), State("edit-indicator", "data"),
          State("edit-action-reference", "value"), State("edit-action-new-reference", "value"),
          State("edit-action-text", "value"), State("edit-action-owner", "value"), State("edit-action-due", "value"),
          State("edit-action-status", "value"), State("edit-action-update", "value"), prevent_initial_call=True)
@guarded(Permission.ACTIONS)
def save_action(_clicks, indicator_id, reference, new_reference, action, owner, due, status, update):
    who = current_identity()
    try:
        outcome = submit_action(who, indicator_id, reference, new_reference, action, owner, due, status, update)
    except UnknownIndicator as error:
        return unknown_indicator(error), dash.no_update
    return outcome_block(outcome), history_block(action_lines(who, indicator_id),
                                                 "No action has been recorded for this indicator.")


@callback(Output("edit-target-result", "children"), Output("edit-target-history", "children"),
          Output("edit-target-now", "children"), Input("edit-target-save", "n_clicks"),
          State("edit-indicator", "data"), State("edit-period-shown", "data"), State("edit-target-from", "value"),
          State("edit-target-green", "value"), State("edit-target-amber", "value"),
          State("edit-target-none", "value"), State("edit-target-reason", "value"), prevent_initial_call=True)
@guarded(Permission.TARGETS)
def save_target(_clicks, indicator_id, period, applies_from, green, amber, no_target, reason):
    who = current_identity()
    try:
        outcome = submit_target(who, indicator_id, applies_from, green, amber, bool(no_target), reason)
    except UnknownIndicator as error:
        return unknown_indicator(error), dash.no_update, dash.no_update
    return (outcome_block(outcome),
            history_block(target_lines(who, indicator_id), "The council has set no target: metrics.yaml's apply."),
            target_now(who, indicator_id, period))

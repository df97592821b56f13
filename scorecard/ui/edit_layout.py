"""The edit page's sections as Dash components, from `edit_view.EditPage`: each with its
history for anyone who may view, and its form only for those who may make that edit."""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from scorecard.editing import COMMENTARY_LIMIT
from scorecard.ui.components import choice, month_options
from scorecard.ui.edit_view import (
    KEEP_STATUS,
    NEW_ACTION,
    EditPage,
    HistoryLine,
    Outcome,
)
from scorecard.ui.scorecard_table import indicator_href

MARKDOWN_HELP = (f"Plain text, at most {COMMENTARY_LIMIT:,} characters. You may use **bold**, *italic*, lines "
                 "starting “- ” for a list, a blank line between paragraphs and [words](https://address) for a "
                 "link (http, https or mailto only). HTML is not allowed.")


def outcome_block(outcome: Outcome | None) -> html.Div | None:
    """What a save did, in words: a success, or every problem, each on its own line."""
    if outcome is None:
        return None
    colour = "success" if outcome.saved else ("danger" if outcome.problems else "info")
    return dbc.Alert([html.P(outcome.message, className="mb-1"),
                      html.Ul([html.Li(p) for p in outcome.problems]) if outcome.problems else None],
                     color=colour, className="edit-outcome")


def history_block(lines: tuple[HistoryLine, ...], empty: str) -> html.Div:
    if not lines:
        return html.P(empty, className="muted")
    items = []
    for line in lines:
        heading = f"{line.when}, {line.who}: {line.what}" + (f" (from the file {line.source})" if line.source else "")
        rows = [html.Tr([html.Th(name, scope="row"), html.Td(before or "(none)"), html.Td(after)])
                for name, before, after in line.changes]
        items.append(html.Li([
            html.P(html.Strong(heading), className="mb-1"),
            dbc.Table([html.Thead(html.Tr([html.Th(c, scope="col") for c in ("", "Before", "After")])),
                       html.Tbody(rows)], bordered=True, size="sm", className="figures edit-change")
            if rows else html.P("No change from the version before.", className="muted"),
            html.P(f"Why: {line.note}", className="muted") if line.note else None,
        ]))
    return html.Ol(items, className="edit-history")


def _field(label: str, control, help_text: str = "") -> html.Div:
    """A labelled control with its help below it."""
    return html.Div([dbc.Label(label, html_for=control.id), control,
                     dbc.FormText(help_text, id=f"{control.id}-help") if help_text else None], className="mb-3")


def _section(title: str, section_id: str, parts: list) -> html.Section:
    return html.Section([html.H2(title, id=section_id), *parts], className="edit-section",
                        **{"aria-labelledby": section_id})


def commentary_section(page: EditPage) -> html.Section:
    parts = [dbc.Row([
        choice("edit-period", "Month", month_options(page.periods), page.period),
        dbc.Col(dbc.Button("Show this month", id="edit-period-show", color="secondary", n_clicks=0),
                xs=12, md="auto", className="align-self-end"),
    ], className="g-3 align-items-end mb-3")]
    if page.can_comment:
        parts += [
            _field(f"Commentary for {page.period_label}", dcc.Textarea(
                id="edit-comment-text", value=page.current_comment, rows=5, maxLength=COMMENTARY_LIMIT,
                className="form-control"), MARKDOWN_HELP),
            dbc.Button("Save commentary", id="edit-comment-save", color="primary", n_clicks=0),
            html.Div(id="edit-comment-result", role="status", **{"aria-live": "polite"}),
        ]
    else:
        parts.append(html.P(page.comment_refusal, className="edit-refusal"))
    parts += [html.H3(f"History of the commentary for {page.period_label}"),
              html.Div(history_block(page.comment_history, "No commentary has been written for this month."),
                       id="edit-comment-history")]
    return _section(f"Commentary for {page.period_label}", "edit-commentary", parts)


def actions_section(page: EditPage) -> html.Section:
    parts = []
    if page.can_act:
        references = [(NEW_ACTION, "A new action"), *page.actions]
        parts += [
            html.P("Choose an action to give an update (fields left empty keep their latest values), or add a new "
                   "one (every field but the update is needed).", className="muted"),
            dbc.Row([choice("edit-action-reference", "Action", references, NEW_ACTION)], className="mb-3"),
            _field("Reference of a new action", dbc.Input(id="edit-action-new-reference", maxLength=40),
                   "The committee's reference, e.g. A12."),
            _field("What was agreed", dcc.Textarea(id="edit-action-text", rows=3, className="form-control",
                                                   maxLength=1000)),
            _field("Owner", dbc.Input(id="edit-action-owner", maxLength=120), "A name or a role."),
            _field("Due", dbc.Input(id="edit-action-due"), "A date: 2025-04-30 or 30/04/2025."),
            dbc.Row([choice("edit-action-status", "Status", [(KEEP_STATUS, "Keep as it is"), *page.statuses],
                            KEEP_STATUS)],
                    className="mb-3"),
            _field("Update", dcc.Textarea(id="edit-action-update", rows=3, className="form-control", maxLength=1000),
                   "The progress reported today (optional)."),
            dbc.Button("Save action", id="edit-action-save", color="primary", n_clicks=0),
            html.Div(id="edit-action-result", role="status", **{"aria-live": "polite"}),
        ]
    else:
        parts.append(html.P(page.action_refusal, className="edit-refusal"))
    parts += [html.H3("History of the actions"),
              html.Div(history_block(page.action_history, "No action has been recorded for this indicator."),
                       id="edit-action-history")]
    return _section("Improvement actions", "edit-actions", parts)


def target_section(page: EditPage) -> html.Section:
    parts = [html.P(page.target_text, id="edit-target-now"),
             html.P(f"metrics.yaml's targets: {page.catalogue_targets}.", className="muted"),
             html.P(page.target_note, className="muted")]
    if not page.settable:
        parts.append(html.P("No target can be set for a context figure.", className="edit-refusal"))
    elif page.can_target:
        parts += [
            _field("From the month", dbc.Input(id="edit-target-from", value=page.period, maxLength=7),
                   "YYYY-MM: the first month it applies to; it applies until a later target."),
            _field(f"Green at or beyond, in {page.target_unit}", dbc.Input(id="edit-target-green", inputMode="decimal")),
            _field(f"Amber at or beyond, in {page.target_unit}", dbc.Input(id="edit-target-amber", inputMode="decimal"),
                   "Red beyond amber. Green must be beyond amber in the good direction."),
            dbc.Checkbox(id="edit-target-none", label="No target from this month", value=False, className="mb-3"),
            _field("Why", dbc.Input(id="edit-target-reason", maxLength=500),
                   "E.g. the committee's decision and its date."),
            dbc.Button("Save target", id="edit-target-save", color="primary", n_clicks=0),
            html.Div(id="edit-target-result", role="status", **{"aria-live": "polite"}),
        ]
    else:
        parts.append(html.P(page.target_refusal, className="edit-refusal"))
    parts += [html.H3("History of the council's targets"),
              html.Div(history_block(page.target_history, "The council has set no target: metrics.yaml's apply."),
                       id="edit-target-history")]
    return _section("Target", "edit-target", parts)


def edit_layout(page: EditPage) -> html.Div:
    return html.Div([
        dcc.Location(id="edit-nav", refresh="callback-nav"),
        dcc.Store(id="edit-indicator", data=page.indicator_id),
        dcc.Store(id="edit-period-shown", data=page.period),
        html.Nav(html.A(f"\u2190 {page.label}", href=indicator_href(page.indicator_id, page.period)),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        html.H1(f"Edit: {page.label}"),
        dbc.Alert(page.notice, color="warning", id="page-notice") if page.notice else None,
        html.P("Commentary, improvement actions and the target, each with its history: who changed it, when, and "
               "what it was before and after.", className="lead"),
        commentary_section(page),
        actions_section(page),
        target_section(page),
    ])


def period_search(period: str | None) -> str:
    return "?" + urlencode({"period": period}) if period else ""

"""Loading a month in the browser: drop the files, read the check, map unknown columns,
confirm. `/upload` (analysts: the upload permission; saving a mapping: mappings)."""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, no_update

from scorecard.access import Permission, current_identity, guarded, page_layout
from scorecard.ui import upload_layout as ids
from scorecard.ui import upload_view

dash.register_page(__name__, path="/upload", title="Load a month - Corporate Parenting Scorecard", order=8)


@page_layout(Permission.UPLOAD)
def layout(**_query):
    return upload_view.page(current_identity())


@callback(Output(ids.PREVIEW, "children"), Output(ids.MONTH, "value"), Output(ids.FINGERPRINT, "data"),
          Output(ids.LOAD, "disabled"), Output(ids.RESULT, "children"),
          Input(ids.FILES, "contents"), Input(ids.CHECK, "n_clicks"), Input(ids.MAPPING_SAVED, "data"),
          State(ids.FILES, "filename"), State(ids.MONTH, "value"), prevent_initial_call=True)
@guarded(Permission.UPLOAD)
def check_files(contents, _check, _saved, names, month):
    if not contents:
        return no_update, no_update, None, True, None
    # Newly dropped files: find their month afresh; otherwise the month in the field stands.
    typed = None if ctx.triggered_id == ids.FILES else month
    return *upload_view.check(current_identity(), contents, names, typed), None


@callback(Output(ids.MAPPING_SAVED, "data"), Output(ids.MAPPING_MESSAGE, "children"),
          Input(ids.SAVE_MAPPING, "n_clicks"),
          State({"type": ids.MAP_TYPE, "dataset": ALL, "header": ALL, "sheet": ALL}, "value"),
          State({"type": ids.MAP_TYPE, "dataset": ALL, "header": ALL, "sheet": ALL}, "id"),
          prevent_initial_call=True)
@guarded(Permission.MAPPINGS)
def save_mapping(clicks, values, control_ids):
    if not clicks:
        return no_update, no_update
    return upload_view.save_mapping(current_identity(), control_ids or [], values or [])


@callback(Output(ids.RESULT, "children", allow_duplicate=True), Output(ids.FINGERPRINT, "data", allow_duplicate=True),
          Input(ids.LOAD, "n_clicks"),
          State(ids.FILES, "contents"), State(ids.FILES, "filename"), State(ids.MONTH, "value"),
          State(ids.FINGERPRINT, "data"),
          running=[(Output(ids.LOAD, "disabled"), True, True),
                   (Output(ids.PROGRESS, "children"), ids.progress_text(), None)],
          prevent_initial_call=True)
@guarded(Permission.UPLOAD)
def load_files(clicks, contents, names, month, previewed):
    if not clicks:
        return no_update, no_update
    return upload_view.load(current_identity(), contents, names, month, previewed)

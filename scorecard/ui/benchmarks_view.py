"""The published-figures page's plain functions: the releases imported, and importing one
more (through ingest.web_published, the ingest's door for it in the web layer)."""
from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import html

from ingest import web_published
from scorecard.access import Identity
from scorecard.ui.components import simple_table
from scorecard.ui.text import date_label

RELEASE_COLUMNS = ["Release", "File", "Kind", "Latest year", "Figures", "Not read", "Imported", "By"]
LAYOUTS = {"ees": "Explore Education Statistics tidy file", "lait": "LAIT long file"}


def release_table(engine, who: Identity) -> html.Div:
    rows = [[str(r["id"]), r["source_file"], LAYOUTS.get(r["layout"], r["layout"]), str(r["latest_year"] or ""),
             f"{r['figure_count']:,}", _unread(r["not_mapped"]), date_label(r["loaded_at"]), r["loaded_by"]]
            for r in web_published.releases(engine, who)]
    if not rows:
        return html.P("No published figures have been imported yet.", id="releases-none")
    return html.Div(simple_table(RELEASE_COLUMNS, rows, "Releases imported, newest first", "releases-table"),
                    className="table-responsive", tabIndex=0)


def _unread(not_mapped: str | None):
    """What in the file no measure reads, folded: the notes are long (each names a measure)."""
    try:
        notes = json.loads(not_mapped or "[]")
    except ValueError:
        notes = [not_mapped]
    if not notes:
        return "nothing"
    return html.Details([html.Summary(f"{len(notes)} note{'s' if len(notes) != 1 else ''}"),
                         html.Ul([html.Li(note) for note in notes])])


def import_file(engine, who: Identity, name: str | None, content: str | None) -> dbc.Alert:
    outcome = web_published.import_upload(engine, who, name, content)
    return dbc.Alert(outcome.message, color="success" if outcome.ok else "danger", id="release-outcome")

"""The upload page's components, built from the plain results of ingest.web_upload (a
Preview, a Loaded, the SheetChoices a preview offers; never from the store): the drop zone and month field, the preview (files, month, problems,
changes), the column-mapping form and the load's outcome."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

FILES = "upload-files"
MONTH = "upload-month"
CHECK = "upload-check"
PREVIEW = "upload-preview"
FINGERPRINT = "upload-fingerprint"
LOAD = "upload-load"
PROGRESS = "upload-progress"
RESULT = "upload-result"
SAVE_MAPPING = "upload-save-mapping"
MAPPING_MESSAGE = "upload-mapping-message"
MAPPING_SAVED = "upload-mapping-saved"
MAP_TYPE = "upload-map"
DROP_STYLE = {"border": "2px dashed #6c757d", "borderRadius": "0.5rem", "padding": "2rem", "textAlign": "center",
              "cursor": "pointer"}
PROBLEMS_SHOWN = 2000
"""More than this many rows would make the page itself slow; the rest are counted."""



def drop_zone(zone_id: str, words: str, link_words: str, accept: str, multiple: bool) -> html.Label:
    """A file drop zone. No max_size: the browser would drop a larger file without a word;
    the server refuses it instead, naming the limit. The label around the zone names its
    file input for screen readers and opens the file chooser on a click (so the zone's own
    click is off: it would open a second one)."""
    return html.Label(dcc.Upload(
        id=zone_id, multiple=multiple, accept=accept, disable_click=True, className="upload-drop",
        style=DROP_STYLE, children=html.Div([
            words, html.Span(link_words, className="text-decoration-underline text-primary")])),
        className="d-block")

def page(council_text: str, max_megabytes: float) -> html.Div:
    return html.Div([
        html.H1("Load a month"),
        html.P([(f"Files are loaded for {council_text}. Drop the month's extracts (.xlsx or .csv, "
                f"{max_megabytes:,.0f} MB at most together): each is checked, and nothing is loaded until you "
                "confirm. The same checks and the same load as "), html.Code("scorecard ingest"), "."]),
        drop_zone(FILES, "Drag and drop the month's files here, or ", "choose them", ".xlsx,.csv", multiple=True),
        html.Div([
            dbc.Label("Month the files are as at (YYYY-MM)", html_for=MONTH),
            dbc.Input(id=MONTH, type="text", placeholder="e.g. 2019-09", debounce=True,
                      pattern=r"\d{4}-\d{1,2}", style={"maxWidth": "12rem"}),
            dbc.FormText("Found from the files when they say it; correct it here if it is wrong."),
            html.Div(dbc.Button("Check again", id=CHECK, color="secondary", className="mt-2")),
        ], className="upload-month mt-3"),
        dcc.Store(id=FINGERPRINT),
        dcc.Store(id=MAPPING_SAVED),
        html.Div(id=PREVIEW, className="mt-3", **{"aria-live": "polite"}),
        html.Div(id=MAPPING_MESSAGE, **{"aria-live": "polite"}),
        html.Div([
            dbc.Button("Load these files", id=LOAD, color="primary", disabled=True),
            html.Div(id=PROGRESS, className="upload-progress", **{"aria-live": "polite"}),
            html.Div(id=RESULT, **{"aria-live": "polite"}),
        ], className="mt-3"),
    ])


def progress_text() -> list:
    """Shown while the load runs (one request: read, check, write in one transaction); the
    stages and their times are listed when it is done."""
    return [dbc.Progress(value=100, striped=True, animated=True, className="my-2", label="Loading"),
            html.P("Reading and checking the files again, then writing them in one transaction; the stages are "
                   "listed here when it is done.", id="upload-running")]


def mapping_message(text: str, ok: bool) -> dbc.Alert:
    return dbc.Alert(text, color="success" if ok else "danger", id="upload-mapping-outcome")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' if number != 1 else ''}"


def _size(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{max(size // 1024, 1):,} KB"


def _files(preview) -> html.Table:
    return dbc.Table([
        html.Thead(html.Tr([html.Th("File"), html.Th("Size"), html.Th("Recognised as")])),
        html.Tbody([html.Tr([html.Td(f.name), html.Td(_size(f.size)),
                             html.Td("; ".join(f.found) or "nothing the scorecard loads")]) for f in preview.files]),
    ], bordered=True, size="sm", id="upload-file-table")


def _month(preview) -> html.Div:
    clues = [html.Li(clue) for clue in preview.month_clues]
    return html.Div([
        html.H3("Month"),
        html.P(preview.month_how, id="upload-month-found",
               className="text-danger fw-bold" if preview.month is None else None),
        html.Details([html.Summary(f"What the files say about their month ({len(clues)})"), html.Ul(clues)])
        if clues else None,
    ])


def problems_table(problems: list[dict], table_id: str = "upload-problems") -> html.Div:
    if not problems:
        return html.P("No problems found.", id=table_id)
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    return html.Div([
        dbc.Table([
            html.Thead(html.Tr([html.Th(h) for h in ("Severity", "File", "Sheet", "Row", "Column", "Value", "Problem")])),
            html.Tbody([html.Tr([html.Td(p["severity"]), html.Td(p["file"]), html.Td(p["sheet"] or ""),
                                 html.Td(p["row"] if p["row"] is not None else ""), html.Td(p["column"] or ""),
                                 html.Td(p["value"] or ""), html.Td(p["message"])],
                                className=f"problem-{p['severity']}") for p in shown]),
        ], bordered=True, size="sm", responsive=True, id=table_id),
        html.P(f"... and {more:,} more problems: `scorecard ingest FILES --dry-run --report problems.csv` saves "
               "them all.") if more else None,
    ])


def _choices(sheet) -> html.Div:
    options = [{"label": "(leave it unread)", "value": ""}] + [{"label": label, "value": name}
                                                              for name, label in sheet.options]
    missing = ", ".join(sheet.missing)
    intro = (f"{sheet.where} looks most like {sheet.title.lower()}" if not sheet.recognised else
             f"{sheet.where}: {sheet.title.lower()}")
    rows = []
    for choice in sheet.headers:
        control_id = {"type": MAP_TYPE, "dataset": sheet.dataset, "header": choice.header,
                      "sheet": f"{sheet.file}|{sheet.sheet or ''}"}
        # A label around the select names it for screen readers (pattern ids cannot be a label's `for`).
        control = html.Label([html.Span(f"Field for the column '{choice.header}'", className="visually-hidden"),
                              dbc.Select(id=control_id, options=options, value=choice.suggested or "")],
                             className="w-100")
        rows.append(html.Tr([html.Th(choice.header, scope="row"), html.Td(control)]))
    return html.Div([
        html.P([intro, f"; it lacks {missing}." if missing else "."]),
        dbc.Table([html.Thead(html.Tr([html.Th("Column in the file"), html.Th("Read it as")])), html.Tbody(rows)],
                  bordered=True, size="sm"),
    ], className="upload-sheet-mapping")


def mapping_form(choices: list) -> html.Section | None:
    if not choices:
        return None
    return html.Section([
        html.H3("Columns the scorecard does not read"),
        html.P("Choose the field each column holds and save: every later upload of the council's files with these "
               "headers is read the same way (saved as a new version of the council's mapping, as "
               "`scorecard mapping set` does). A suggested field is only a suggestion until you save it."),
        *[_choices(sheet) for sheet in choices],
        dbc.Button("Save the mapping and check again", id=SAVE_MAPPING, color="secondary"),
    ], id="upload-mapping")


def preview_section(preview) -> list:
    if preview.ok:
        verdict = dbc.Alert(f"Ready to load: {_count(preview.rows, 'row')} for {preview.council_name} "
                            f"({preview.council}), {_count(preview.warnings, 'warning')}.", color="success",
                            id="upload-verdict")
    else:
        verdict = dbc.Alert(f"Cannot be loaded as it is: {_count(preview.errors, 'error')}. "
                            "Nothing has been written.", color="danger", id="upload-verdict")
    return [
        html.H2("Check"),
        verdict,
        html.P(f"Council: {preview.council_name} ({preview.council})", id="upload-council"),
        _files(preview),
        _month(preview),
        html.H3("What loading would change"),
        html.Ul([html.Li(line) for line in preview.mappings_used + preview.changes], id="upload-changes")
        if preview.changes or preview.mappings_used else html.P("Nothing, until the problems are fixed."),
        html.H3("Problems"),
        problems_table(preview.problems),
        mapping_form(preview.choices),
    ]


def loaded_section(loaded) -> list:
    return [
        dbc.Alert(loaded.message, color="success" if loaded.ok else "danger", id="upload-outcome"),
        html.Ol([html.Li(stage) for stage in loaded.stages], className="upload-stages"),
        problems_table(loaded.problems, "upload-load-problems") if loaded.problems else None,
    ]

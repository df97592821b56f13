"""What the upload page's callbacks do: call the browser's upload (ingest.web_upload, the
one door from the web layer to the ingest layer, which checks the identity's permission
itself) and turn its results into the page's components (upload_layout)."""
from __future__ import annotations

from dash import html, no_update

from ingest import web_upload
from scorecard import settings
from scorecard.access import Identity, store_engine
from scorecard.councils import find as find_council
from scorecard.metrics import load_catalogue
from scorecard.metrics.figure_sets import describe, refresh
from scorecard.ui import upload_layout


def page(who: Identity) -> html.Div:
    council = web_upload.council_of(who)
    known = find_council(council)
    return upload_layout.page(f"{known.name} ({council})" if known else council, settings.max_upload_bytes() / 2**20)


def check(who: Identity, contents: list[str] | None, names: list[str] | None, month: str | None) -> tuple:
    """(preview, month field, fingerprint, load disabled) for the files dropped."""
    preview = web_upload.check(who, contents, names, month)
    return upload_layout.preview_section(preview), preview.month or month or "", preview.fingerprint, not preview.ok


def save_mapping(who: Identity, control_ids: list[dict], values: list[str | None]) -> tuple:
    """(what was saved, to trigger the check again, or no update; the message)."""
    chosen = [(c["dataset"], c["header"], value) for c, value in zip(control_ids, values)]
    try:
        saved = web_upload.save_mapping(who, chosen)
    except web_upload.MappingError as error:
        return no_update, upload_layout.mapping_message(f"Not saved: {error}", ok=False)
    return saved, upload_layout.mapping_message(saved, ok=True)


def load(who: Identity, contents: list[str] | None, names: list[str] | None, month: str | None,
         previewed: str | None) -> tuple:
    """(the outcome, the fingerprint: cleared once loaded, so a second click cannot load it twice)."""
    loaded = web_upload.load(who, contents, names, month, previewed)
    if loaded.ok:
        # Computed once here, for every worker and viewer, rather than on the next page view.
        done = refresh(store_engine(), web_upload.council_of(who), load_catalogue())
        loaded.stages.append(f"Computed the council's figures: {describe(done)}")
    return upload_layout.loaded_section(loaded), None if loaded.ok else previewed

"""The DfE's published figures imported from the browser, as plain functions (the page's
callbacks reach them through scorecard.ui.benchmarks_view; tests call them directly).

The same import as `scorecard benchmarks import` (ingest.published): the file is checked
first as a browser upload is (its size within SCORECARD_MAX_UPLOAD_MB, text by its bytes,
no NULs), then written to a private temporary folder outside anything the app serves,
because the reader works on a path, and removed at once. The import and its audit event
are one transaction.
"""
from __future__ import annotations

import base64
import binascii
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from ingest.file_guard import FileRefused, check_named_kind, check_size, check_text
from ingest.published import ImportResult, NotAPublishedFile, import_published
from scorecard import settings, store
from scorecard.access import Identity, Permission, audit


@dataclass(frozen=True)
class Imported:
    ok: bool
    message: str


def releases(engine: Engine, who: Identity) -> list[dict]:
    """Every release imported, newest first."""
    who.require(Permission.VIEW)
    with store.read_connection(engine) as conn:
        return list(reversed(store.published_releases_list(conn)))


def import_upload(engine: Engine, who: Identity, name: str | None, content: str | None) -> Imported:
    """Import one CSV file dropped on the page (a dcc.Upload data URL)."""
    who.require(Permission.BENCHMARKS)
    if not name or not content:
        return Imported(False, "Drop one of the DfE's CSV files first.")
    name = Path(str(name)).name
    try:
        data = base64.b64decode(content.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        return Imported(False, f"{name} could not be read: it did not arrive whole. Try again.")
    try:
        check_size(data, settings.max_upload_bytes())
        check_named_kind(name, data)
        check_text(data.decode("utf-8-sig", errors="replace"))
    except FileRefused as refused:
        return Imported(False, f"{name} {refused}. Larger files can be imported with `scorecard benchmarks import`.")

    def recorded(conn, result: ImportResult) -> None:
        audit.record(conn, "benchmarks", subject=name, who=who.username, details={
            "release": result.release_id or result.added_to, "figures": sum(result.figures.values()),
            "latest_year": result.latest_year, "not_mapped": result.not_mapped[:50]})

    with tempfile.TemporaryDirectory(prefix="scorecard-release-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = import_published(engine, path, who.username, recorded)
        except NotAPublishedFile as error:
            return Imported(False, f"{name} was not imported: it is {error}.")
    return Imported(True, _said(name, result))


def _said(name: str, result: ImportResult) -> str:
    per = ", ".join(f"{indicator} {count:,}" for indicator, count in sorted(result.figures.items()))
    if result.added_to:
        return f"{name} was imported before (release {result.added_to}); read again for the measures defined since: {per}."
    if result.already:
        return f"{name} was imported before (release {result.already['id']}): nothing added."
    if not result.figures:
        return f"{name} holds no figure any indicator reads: nothing added."
    unread = f" Columns no measure reads: {', '.join(result.not_mapped[:10])}." if result.not_mapped else ""
    return (f"Imported {name} as release {result.release_id}: {sum(result.figures.values()):,} figures up to "
            f"{result.latest_year} ({per}).{unread}")

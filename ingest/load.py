"""Writing a validated upload into the store, all of it or none of it.

One transaction per upload. For each dataset: the extract (lineage: file, sheet,
SHA-256, the months it covers and the day it is as at, what it lists in full, the column
mapping used, who and when), added through the store's one versioning rule (it supersedes
the current extract of the same months, whose rows stay), then the rows in bulk, each
pointing at its extract and the spreadsheet row it came from, and the load summary.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from ingest.parse import Table
from ingest.upload import Upload
from scorecard import store


class NotLoadable(Exception):
    """The upload has errors; nothing may be written."""


@dataclass(frozen=True)
class Written:
    """One extract a load wrote, and the ones it superseded (the store's versioning rule)."""
    extract_id: int
    table: Table
    superseded: tuple[int, ...]


def _write_table(conn, upload: Upload, upload_id: str, table: Table, loaded_by: str, now: dt.datetime) -> Written:
    extract_id, earlier = store.add_extract(conn, dict(
        upload_id=upload_id, council=upload.council, dataset=table.dataset.name,
        first_month=table.first_month, last_month=table.last_month, as_at=table.as_at,
        complete_for=table.complete_for.code(), source_format=table.source_format,
        source_file=table.file, source_sheet=table.sheet, sha256=table.sha256,
        also_from=json.dumps(table.also_from) if table.also_from else None,
        row_count=len(table), fields=",".join(table.fields), mapping_id=table.mapping.id if table.mapping else None,
        loaded_at=now, loaded_by=loaded_by,
    ))
    changes = upload.changes.get(table.dataset.name)
    if changes is not None:
        store.set_extract_changes(conn, extract_id, changes.to_json())
    stored = {f.name for f in table.dataset.stored_fields}
    columns = {"extract_id": [extract_id] * len(table), "source_row": table.source_rows,
               **{name: values for name, values in table.columns.items() if name in stored}}
    store.insert_columns(conn, store.RECORD_TABLES[table.dataset.name], columns)
    return Written(extract_id, table, tuple(earlier))


def load_upload(engine: Engine, upload: Upload, loaded_by: str) -> list[int]:
    """Write every table of a valid upload in one transaction; returns the new extract ids."""
    with store.write_transaction(engine) as conn:
        return [written.extract_id for written in write_upload(conn, upload, loaded_by)]


def write_upload(conn: Connection, upload: Upload, loaded_by: str) -> list[Written]:
    """Write every table of a valid upload inside the caller's transaction (which records
    the load in the audit log too: `ingest.loading`); the extracts written."""
    if not upload.ok:
        raise NotLoadable(f"{len(upload.report.errors)} errors; nothing was loaded")
    upload_id = str(uuid.uuid4())
    now = dt.datetime.now(dt.timezone.utc)
    return [_write_table(conn, upload, upload_id, table, loaded_by, now) for table in upload.tables]

"""Writing a validated upload into the store, all of it or none of it.

One transaction per upload. For each dataset: the extract row (lineage: file, sheet,
SHA-256, row count, who and when), the earlier current extract of the same council,
dataset and month marked superseded (its rows stay), then the rows in bulk, each
pointing at its extract and the spreadsheet row it came from.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import update
from sqlalchemy.engine import Engine

from ingest.parse import Table
from ingest.upload import Upload
from scorecard import store


class NotLoadable(Exception):
    """The upload has errors; nothing may be written."""


def _write_table(conn, upload: Upload, upload_id: str, table: Table, loaded_by: str, now: dt.datetime) -> int:
    extracts = store.extracts
    earlier = store.current_extract_ids(conn, upload.council, table.dataset.name, upload.period)
    if earlier:
        conn.execute(update(extracts).where(extracts.c.id.in_(earlier)).values(status=store.SUPERSEDED))
    extract_id = conn.execute(
        extracts.insert().values(
            upload_id=upload_id, council=upload.council, dataset=table.dataset.name, period=upload.period,
            source_format=table.source_format,
            source_file=table.file, source_sheet=table.sheet, sha256=table.sha256,
            also_from=json.dumps(table.also_from) if table.also_from else None,
            row_count=len(table), loaded_at=now, loaded_by=loaded_by, status=store.CURRENT,
        )
    ).inserted_primary_key[0]
    if earlier:
        conn.execute(update(extracts).where(extracts.c.id.in_(earlier)).values(superseded_by=extract_id))
    columns = {"extract_id": [extract_id] * len(table), "source_row": table.source_rows, **table.columns}
    store.insert_columns(conn, store.RECORD_TABLES[table.dataset.name], columns)
    return extract_id


def load_upload(engine: Engine, upload: Upload, loaded_by: str) -> list[int]:
    """Write every table of a valid upload in one transaction; returns the new extract ids."""
    if not upload.ok:
        raise NotLoadable(f"{len(upload.report.errors)} errors; nothing was loaded")
    upload_id = str(uuid.uuid4())
    now = dt.datetime.now(dt.timezone.utc)
    with store.write_transaction(engine) as conn:
        return [_write_table(conn, upload, upload_id, table, loaded_by, now) for table in upload.tables]

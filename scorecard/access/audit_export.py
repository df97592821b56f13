"""The audit log as rows to show and as CSV to download (formulas neutralised)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from scorecard import store
from scorecard.packs.csv_export import csv_bytes

COLUMNS = ("at", "actor", "action", "subject", "council", "address", "details")
HEADER = ("When (UTC)", "Who", "What", "Subject", "Council", "Address", "Details")


def audit_events(engine: Engine, since: dt.datetime | None = None, actor: str | None = None,
                 action: str | None = None, limit: int | None = None) -> list[dict]:
    with store.read_connection(engine) as conn:
        return store.audit_rows(conn, actor=actor, action=action, since=since, limit=limit)


def audit_csv(engine: Engine, since: dt.datetime | None = None, actor: str | None = None,
              action: str | None = None) -> tuple[bytes, int]:
    rows = audit_events(engine, since, actor, action)
    return csv_bytes(HEADER, ([_cell(row[column]) for column in COLUMNS] for row in rows)), len(rows)


def export_audit_csv(engine: Engine, since: dt.datetime | None = None, actor: str | None = None,
                     action: str | None = None, described: str = "") -> tuple[bytes, int]:
    """The log as CSV for a download, the download itself recorded in the log."""
    from scorecard.access import audit

    content, count = audit_csv(engine, since, actor, action)
    with store.write_transaction(engine) as conn:
        audit.record(conn, "export", subject="audit log", details={"filter": described, "events": count})
    return content, count


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value

"""Officers' commentary for the scorecard: the footnotes shown beside the figures.

Commentary is stored per council, indicator and month, every version kept
(`ingest.commentary` writes it); these read it for the web app and the reports.
"""
from __future__ import annotations

from sqlalchemy.engine import Engine

from scorecard import store

FIELDS = ("id", "indicator", "period", "text", "author", "written_at", "source_file")


def commentary_for(engine: Engine, council: str, indicator: str | None = None, period: str | None = None,
                   up_to: str | None = None) -> list[dict]:
    """Every version of a council's commentary, newest month first, then most recently written first.

    Each dict: id, indicator, period (YYYY-MM), text, author, written_at (a datetime, UK
    time) and source_file (None when added by hand). `indicator` and `period` narrow it;
    `up_to` keeps the months up to and including that one.
    """
    with store.read_connection(engine) as conn:
        rows = store.commentary_rows(conn, council, indicator, period, up_to)
    return [{name: row[name] for name in FIELDS} for row in rows]


def latest_commentary(engine: Engine, council: str, period: str) -> dict[str, dict]:
    """For one month, the most recent comment on each indicator: indicator id -> comment."""
    latest: dict[str, dict] = {}
    for row in commentary_for(engine, council, period=period):
        latest.setdefault(row["indicator"], row)  # rows come most recently written first
    return latest

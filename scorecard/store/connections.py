"""Engines and transactions: one engine per URL and process; the schema made, or brought
up to date from an earlier release (`migrate.py`), once per engine before the first
statement."""
from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from scorecard import settings
from scorecard.store.migrate import upgrade


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets the web app read while an upload writes; foreign keys are off by
    # default in SQLite and we want the same guarantees as PostgreSQL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@functools.cache
def engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the DATABASE_URL setting), created once per process."""
    url = url or settings.database_url()
    if url.startswith("sqlite"):
        eng = create_engine(url)
        event.listen(eng, "connect", _tune_sqlite)
    else:
        eng = create_engine(url, pool_pre_ping=True)
    return eng


_schema_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def create_all(eng: Engine) -> None:
    """Make a new store, or bring one made by an earlier release up to date, keeping its
    data. Done once per engine in a process, not on every connection."""
    upgrade(eng)
    _schema_ready.add(eng)


def _ensure_schema(eng: Engine) -> None:
    if eng not in _schema_ready:
        create_all(eng)


@contextmanager
def write_transaction(eng: Engine) -> Iterator[Connection]:
    """One transaction: everything inside commits together or not at all."""
    _ensure_schema(eng)
    with eng.begin() as conn:
        yield conn


@contextmanager
def read_connection(eng: Engine) -> Iterator[Connection]:
    _ensure_schema(eng)
    with eng.connect() as conn:
        yield conn


@contextmanager
def snapshot_connection(eng: Engine) -> Iterator[Connection]:
    """Reads that all see one state of the store, whatever commits meanwhile: a page's
    figures, the extracts they came from and the benchmarks beside them agree.

    PostgreSQL: one REPEATABLE READ transaction. SQLite: one read transaction, begun
    explicitly because the driver begins one only before a write; in WAL mode it reads
    the database as of its first statement."""
    _ensure_schema(eng)
    with eng.connect() as conn:
        if eng.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        elif eng.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()   # nothing was written: end the snapshot

"""Engines and transactions: one engine per URL and process; the schema made, or brought
up to date from an earlier release (`migrate.py`), once per engine before the first
statement.

A missing SQLite file is made into a new store only by a command that writes (it asks
with `engine(create=True)`, or calls `create_all`); anything that only reads is refused
in words (`refusals.StoreMissing`), so that a mistyped DATABASE_URL is not answered with
an empty store and figures of nothing. Faults from the database leave the door as
`refusals.StoreRefused` sentences, after the transaction has rolled back.
"""
from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from scorecard import settings
from scorecard.store.migrate import upgrade
from scorecard.store.refusals import (
    StoreRefused,
    in_words,
    made_by_a_newer_release,
    missing_store,
)


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets the web app read while an upload writes; foreign keys are off by
    # default in SQLite and we want the same guarantees as PostgreSQL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@functools.cache
def _engine_for(url: str) -> Engine:
    checked = settings.checked_database_url(url)
    if checked.get_backend_name() == "sqlite":
        eng = create_engine(checked)
        event.listen(eng, "connect", _tune_sqlite)
    else:
        eng = create_engine(checked, pool_pre_ping=True)
    return eng


_may_create: weakref.WeakSet[Engine] = weakref.WeakSet()


def engine(url: str | None = None, *, create: bool = False) -> Engine:
    """The engine for `url` (default: the DATABASE_URL setting), created once per process;
    a URL that cannot be a store is refused (`settings.SettingError`). `create=True`: the
    caller writes, and may make a new store where there is none."""
    eng = _engine_for(url or settings.database_url())
    if create:
        _may_create.add(eng)
    return eng


engine.cache_clear = _engine_for.cache_clear  # tests start each store afresh


_schema_ready: weakref.WeakSet[Engine] = weakref.WeakSet()


def create_all(eng: Engine) -> None:
    """Make a new store, or bring one made by an earlier release up to date, keeping its
    data. Done once per engine in a process, not on every connection."""
    with _refused_in_words(eng):
        try:
            upgrade(eng)
        except OSError as error:  # the folder of a new SQLite store cannot be made
            raise StoreRefused(f"Could not make the store at {eng.url.database} ({error.strerror}: "
                               f"{error.filename}): set {settings.DATABASE_URL.env} to a file in a folder you may "
                               "write.") from None
        except Exception as error:
            newer = made_by_a_newer_release(error, eng.url)
            if newer is None:
                raise
            raise newer from None
    _schema_ready.add(eng)


def _ensure_schema(eng: Engine) -> None:
    if eng in _schema_ready:
        return
    missing = missing_store(eng.url)
    if missing is not None and eng not in _may_create:
        raise missing
    create_all(eng)


def check_store(eng: Engine) -> None:
    """Connect once and bring the schema up to date, or refuse (`StoreRefused`): the web
    app's check at start-up, so that a wrong store stops it rather than failing every page."""
    with read_connection(eng):
        pass
    # A server that forks its workers after loading the app (gunicorn --preload) must not
    # hand them this process's open connection.
    eng.dispose()


@contextmanager
def _refused_in_words(eng: Engine) -> Iterator[None]:
    try:
        yield
    except DBAPIError as error:
        refused = in_words(error, eng.url)
        if refused is None:
            raise
        raise refused from None


@contextmanager
def write_transaction(eng: Engine) -> Iterator[Connection]:
    """One transaction: everything inside commits together or not at all."""
    with _refused_in_words(eng):
        _ensure_schema(eng)
        with eng.begin() as conn:
            yield conn


@contextmanager
def read_connection(eng: Engine) -> Iterator[Connection]:
    with _refused_in_words(eng):
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
    with _refused_in_words(eng):
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

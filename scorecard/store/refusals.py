"""The store's faults in words: what the database said, turned into one sentence for an
analyst (what, where, what to do) at the store's door, so that no command and no page
shows a driver's traceback. Every sentence names the store by its URL with the password
hidden.

The door (`connections.read_connection`, `write_transaction`) rolls back first, so a
refusal always leaves the store unchanged.
"""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError

from scorecard import settings

# What SQLite's primary result codes mean here (the low byte of the extended code).
_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_CANTOPEN = 5, 8, 14
# PostgreSQL's SQLSTATEs: no privilege for the statement, a read-only transaction or server.
_PG_READ_ONLY = {"42501", "25006"}
ONE_CURRENT_EXTRACT = "one_current_extract"
"""The index that keeps one current extract per council, dataset, months and format."""
_HOW_TO_MAKE = ("make one with `make run` (the demo county) or `scorecard demo`, or load your council's extracts "
                "with `scorecard ingest`")


class StoreRefused(Exception):
    """The store could not do what was asked; the message is one sentence for an analyst."""


class StoreMissing(StoreRefused):
    """A command that only reads was pointed at a SQLite file that does not exist."""


class StoreUnreachable(StoreRefused):
    """The database could not be connected to or opened."""


class StoreReadOnly(StoreRefused):
    """The store may be read but not written."""


class StoreBusy(StoreRefused):
    """Another write held the store for longer than this one would wait."""


class LoadRaced(StoreRefused):
    """Another load of the same dataset and months committed while this one was writing."""


def shown(url: URL) -> str:
    """The store as an analyst knows it: a SQLite store's file, or the URL without its password."""
    path = sqlite_file(url)
    return str(path) if path is not None else url.render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names (also in the `file:...?mode=ro&uri=true` form); None for
    another database."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    database = url.database
    if url.query.get("uri"):
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def missing_store(url: URL) -> StoreMissing | None:
    """The refusal for a SQLite store whose file is not there (None when it is, or for PostgreSQL)."""
    path = sqlite_file(url)
    if path is None or path.exists():
        return None
    return StoreMissing(f"There is no store at {path} ({settings.DATABASE_URL.env}): {_HOW_TO_MAKE}; "
                        f"or set {settings.DATABASE_URL.env} to the store you meant.")


def made_by_a_newer_release(error: Exception, url: URL) -> StoreRefused | None:
    """Alembic cannot find the store's revision among this release's migrations: a newer
    release made it (or migrated it), and this one must not touch it."""
    if type(error).__name__ != "CommandError" or "Can't locate revision" not in str(error):
        return None
    return StoreRefused(f"The store at {shown(url)} was made by a newer release of the scorecard ({error}); this "
                        "release cannot read it: install the newer release, or point "
                        f"{settings.DATABASE_URL.env} at another store.")


def in_words(error: DBAPIError, url: URL) -> StoreRefused | None:
    """The refusal an error from the database amounts to, or None when it is not one the
    analyst can act on (a fault in the program, which keeps its traceback)."""
    store = shown(url)
    said = _first_line(error.orig)
    if isinstance(error, IntegrityError) and ONE_CURRENT_EXTRACT in _constraint(error):
        return _raced(error)
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        kind = code & 0xFF
        if kind == _SQLITE_READONLY:
            return StoreReadOnly(f"The store at {store} is read-only: {said}; nothing was changed. Ask "
                                 "for write access to the file and its folder, or point "
                                 f"{settings.DATABASE_URL.env} at a store you may write.")
        if kind == _SQLITE_BUSY:
            return StoreBusy(f"The store at {store} was busy with another write for longer than this one "
                             "waits; nothing was changed by this one: try again when it has finished.")
        if kind == _SQLITE_CANTOPEN:
            return StoreUnreachable(f"Could not open the store at {store} ({said}): check that the file and its "
                                    f"folder exist and may be read, or set {settings.DATABASE_URL.env}.")
        return None
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _PG_READ_ONLY:
        return StoreReadOnly(f"The store at {store} is read-only for this account: {said}; nothing was "
                             f"changed. Ask for write access, or point {settings.DATABASE_URL.env} at a store you "
                             "may write.")
    if error.connection_invalidated or error.statement is None or (sqlstate or "").startswith("08"):
        return StoreUnreachable(f"Could not connect to the store at {store} ({settings.DATABASE_URL.env}): {said}. "
                                "Check that the database server is running and the URL names it, then try again.")
    return None


def _raced(error: IntegrityError) -> LoadRaced:
    params = _inserted(error)
    dataset = params.get("dataset", "this dataset")
    first, last = params.get("first_month"), params.get("last_month")
    months = f" for {first}" if first and first == last else f" for {first} to {last}" if first else ""
    council = f" ({params['council']})" if params.get("council") else ""
    return LoadRaced(f"Another load of {dataset}{months}{council} finished first; nothing was changed by this one: "
                     "look at what it loaded (scorecard extracts), and load again to replace it.")


def _inserted(error: IntegrityError) -> dict:
    """The values of the INSERT that failed, by column: named by PostgreSQL's driver, in
    the statement's column order by SQLite's."""
    if isinstance(error.params, dict):
        return error.params
    columns = re.match(r"\s*INSERT INTO \w+ \(([^)]*)\)", error.statement or "")
    if columns is None or not isinstance(error.params, (tuple, list)):
        return {}
    return dict(zip((c.strip() for c in columns.group(1).split(",")), error.params, strict=False))


def _constraint(error: IntegrityError) -> str:
    """The index or constraint an IntegrityError names: PostgreSQL says it; SQLite names
    the columns, which only the one-current-extract index has together."""
    diag = getattr(error.orig, "diag", None)
    if getattr(diag, "constraint_name", None):
        return diag.constraint_name
    text = str(error.orig)
    return ONE_CURRENT_EXTRACT if "extracts.council, extracts.dataset, extracts.first_month" in text else text


def _first_line(orig: BaseException | None) -> str:
    text = str(orig or "").strip()
    return text.splitlines()[0].removeprefix("connection failed: ") if text else "no reason given"

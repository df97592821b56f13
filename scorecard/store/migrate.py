"""The store's schema over time, with Alembic: a new store is made from the current tables;
a store made by an earlier release is upgraded in place, its data kept.

The first release had no migrations: a store with tables but no `alembic_version` is that
release's, and is stamped with the first revision before being upgraded. Each process
checks once per engine (`connections.create_all`) by reading the version table, and
imports Alembic only when there is something to do (it adds a fifth to the start-up of
every command otherwise). On PostgreSQL an advisory lock keeps several workers starting
together from upgrading at once.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from scorecard.store.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_RELEASE = "0001"
HEAD = "0006"
"""The newest revision in migrations/versions (a test checks it is Alembic's head)."""
_LOCK = 7_362_901  # any number: the advisory lock's name
# Alembic's own version table, as it makes it: a new store is stamped without Alembic.
_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


def _config(conn: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The newest revision, as Alembic reads it from the migration scripts."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(_VERSION.name):
        return None
    return conn.execute(select(_VERSION.c.version_num)).scalar()


def upgrade(eng: Engine) -> None:
    """Make the store, or bring it to the newest revision, in one transaction."""
    on_file = eng.url.get_backend_name() == "sqlite" and eng.url.database not in (None, "", ":memory:")
    if on_file:
        Path(eng.url.database).parent.mkdir(parents=True, exist_ok=True)
    with eng.connect() as conn:  # the usual case, a store at the newest revision: two queries
        if current_revision(conn) == HEAD and inspect(conn).has_table("extracts"):
            return
    if on_file:
        # SQLite alters a table by copying it, which its foreign-key checks would refuse
        # while other tables refer to it: migrate on a connection without them (the
        # pragma cannot change inside a transaction, so not on the pool's connections).
        eng = create_engine(eng.url)
    try:
        with eng.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
            _make_or_upgrade(conn)
    finally:
        if on_file:
            eng.dispose()


def _make_or_upgrade(conn: Connection) -> None:
    if not inspect(conn).has_table("extracts"):
        metadata.create_all(conn)
        _VERSION.create(conn, checkfirst=True)
        conn.execute(_VERSION.delete())
        conn.execute(_VERSION.insert().values(version_num=HEAD))
        return
    revision = current_revision(conn)
    if revision == HEAD:  # another process did it while we waited for the lock
        return
    from alembic import command

    if revision is None:
        # No version table: the first release's store (extracts had a `period`), or one
        # made by this release's tables before it was stamped.
        made_by_first = "period" in {c["name"] for c in inspect(conn).get_columns("extracts")}
        command.stamp(_config(conn), FIRST_RELEASE if made_by_first else HEAD)
    command.upgrade(_config(conn), "head")

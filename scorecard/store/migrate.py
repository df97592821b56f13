"""The store's schema over time, with Alembic: a new store is made from the current tables;
a store made by an earlier release is upgraded in place, its data kept.

The first release had no migrations: a store with tables but no `alembic_version` is that
release's, and is stamped with the first revision before being upgraded. Each process
checks once per engine (`connections.create_all`); on PostgreSQL an advisory lock keeps
several workers starting together from upgrading at once.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine

from scorecard.store.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_RELEASE = "0001"
_LOCK = 7_362_901  # any number: the advisory lock's name


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(eng: Engine) -> None:
    """Make the store, or bring it to the newest revision, in one transaction."""
    on_file = eng.url.get_backend_name() == "sqlite" and eng.url.database not in (None, "", ":memory:")
    if on_file:
        Path(eng.url.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLite alters a table by copying it, which its foreign-key checks would refuse
        # while other tables refer to it: migrate on a connection without them (the
        # pragma cannot change inside a transaction, so not on the pool's connections).
        eng = create_engine(eng.url)
    with eng.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        tables = set(inspect(conn).get_table_names())
        if "extracts" not in tables:
            metadata.create_all(conn)
            command.stamp(_config(conn), "head")
            return
        if "alembic_version" not in tables:
            command.stamp(_config(conn), FIRST_RELEASE)
        if current_revision(conn) != head():
            command.upgrade(_config(conn), "head")
    if on_file:
        eng.dispose()

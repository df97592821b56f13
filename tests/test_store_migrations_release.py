"""A store made by an earlier release's own code is upgraded to this checkout's newest
revision with every row kept, and gives the figures that release's `scorecard report` gave.

Each tests/data/release_<revision>_store.sql.gz is such a store (made by
tests/data/make_release_store.py, which says how and with which commit), with the
release's report of a month beside it. The test upgrades to whatever the head revision is,
so a new migration is covered without changing it. On SQLite the dump is restored as it
is, the release's own schema; on PostgreSQL the schema at the release's revision is made by
the project's migrations and the dump's rows are copied in, table by table in the order
their foreign keys need.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, func, inspect, select

from scorecard import store
from scorecard.cli import main
from scorecard.store import migrate

DATA = Path(__file__).resolve().parent / "data"
RELEASES = sorted(DATA.glob("release_*_store.sql.gz"))
COUNCIL = "E10000099"  # the demo county the releases' stores hold
VERSION_TABLE = "alembic_version"


def _dump(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode()


def _release_engine(dump: str, tmp_path: Path):
    """The release's store as it left it, restored from its dump into a file of its own."""
    path = tmp_path / "release.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(dump)
    return create_engine(f"sqlite:///{path}")


def _normal(value):
    """A value as both backends give it back: an aware time as the naive UTC time SQLite keeps."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _rows(eng, tables: MetaData) -> dict[str, list[tuple]]:
    """Every row of each of `tables`, read from `eng` (which may have more columns), sorted."""
    here = MetaData()
    here.reflect(eng, only=[t.name for t in tables.sorted_tables])
    out = {}
    with eng.connect() as conn:
        for table in tables.sorted_tables:
            columns = [here.tables[table.name].c[c.name] for c in table.columns]
            rows = conn.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(_normal(v) for v in row) for row in rows), key=repr)
    return out


def _copy_rows(source, target) -> None:
    """Copy every row of the release's store into `target`'s empty tables at the same
    revision, with bound parameters, parents before children; PostgreSQL's id sequences then
    start after the ids copied."""
    tables = MetaData()
    tables.reflect(target)
    source_tables = MetaData()
    source_tables.reflect(source)
    with source.connect() as read, target.begin() as write:
        for table in tables.sorted_tables:
            if table.name == VERSION_TABLE:
                continue
            rows = [dict(row._mapping) for row in read.execute(select(source_tables.tables[table.name]))]
            for column in table.columns:  # the release kept times in UTC, naive on SQLite
                if getattr(column.type, "timezone", False):
                    for row in rows:
                        if row[column.name] is not None:
                            row[column.name] = row[column.name].replace(tzinfo=dt.UTC)
            if rows:
                write.execute(table.insert(), rows)
            if "id" in table.c and rows and write.dialect.name == "postgresql":
                sequence = func.pg_get_serial_sequence(table.name, "id")
                write.execute(select(func.setval(sequence, select(func.max(table.c.id)).scalar_subquery())))


def _restore(engine, release, dump: str, revision: str) -> None:
    """Put the release's store in the test's database, emptied of every table first (those
    of migrations newer than this checkout's tables too)."""
    everything = MetaData()
    everything.reflect(engine)
    everything.drop_all(engine)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        with sqlite3.connect(engine.url.database) as conn:  # the release's own schema and rows
            conn.executescript(dump)
        return
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), revision)
    _copy_rows(release, engine)


def _report(url: str, period: str) -> list[dict]:
    result = CliRunner().invoke(main, ["report", "--council", COUNCIL, "--period", period, "--format", "csv"],
                                env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("dump_path", RELEASES, ids=[p.name.split("_")[1] for p in RELEASES])
def test_a_store_made_by_an_earlier_release_is_upgraded_with_every_row_and_figure_kept(
        engine, dump_path, tmp_path):
    dump = _dump(dump_path)
    release = _release_engine(dump, tmp_path)
    with release.connect() as conn:
        revision = migrate.current_revision(conn)
    assert dump_path.name == f"release_{revision}_store.sql.gz"
    assert revision != migrate.head(), "a store at the head revision tests no migration"
    release_tables = MetaData()
    release_tables.reflect(release)
    release_tables.remove(release_tables.tables[VERSION_TABLE])
    before = _rows(release, release_tables)
    assert all(before.values()), f"every table of the release's store has rows: {before.keys()}"

    _restore(engine, release, dump, revision)
    assert _rows(engine, release_tables) == before  # restored exactly, on either backend
    store.create_all(engine)

    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head()
        assert set(inspect(conn).get_table_names()) >= set(store.metadata.tables)
    after = _rows(engine, release_tables)
    for name in before:  # one table at a time, so that a failure names it
        assert len(after[name]) == len(before[name]), name
        assert after[name] == before[name], name

    # The figures the release's own `scorecard report` gave for the month, column by column.
    (period,) = {row["period"] for row in _release_report(revision)}
    url = engine.url.render_as_string(hide_password=False)
    store.engine.cache_clear()
    try:
        now = {(row["indicator"], row["breakdown"], row["group"]): row for row in _report(url, period)}
    finally:
        store.engine(url).dispose()  # the command's engine: no connection left open on the test database
        store.engine.cache_clear()
    expected = _release_report(revision)
    assert len(now) == len(expected)
    for row in expected:
        current = now[(row["indicator"], row["breakdown"], row["group"])]
        assert {k: current.get(k) for k in row} == row, row["indicator"]


def _release_report(revision: str) -> list[dict]:
    (path,) = DATA.glob(f"release_{revision}_report_*.csv")
    with path.open(newline="") as file:
        return list(csv.DictReader(file))

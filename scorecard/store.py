"""The one door to the database: engine, tables, and the few operations on them.

Every table lives here and every statement is SQLAlchemy Core with bound parameters,
so the same code runs on the embedded SQLite file and on PostgreSQL. Ingest is the
only writer; it writes through `write_transaction` (one transaction per upload) and
`insert_columns`. Readers use `read_connection`.

Rows are never updated or deleted except for an extract's status: loading the same
dataset and period again marks the earlier extract `superseded`, and the "current"
view of a dataset reads only rows of current extracts.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    cast,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from scorecard import settings

metadata = MetaData()

CURRENT = "current"
SUPERSEDED = "superseded"

extracts = Table(
    "extracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("upload_id", String(36), nullable=False, index=True),
    Column("council", String(16), nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("first_month", String(7), nullable=False, doc="YYYY-MM: the first month the extract covers"),
    Column("last_month", String(7), nullable=False, doc="YYYY-MM: the last month it covers"),
    Column("as_at", Date, nullable=False, doc="the day its records are as at: a month's or a year's last day"),
    Column("complete_for", String(120), nullable=False,
           doc="what it lists in full for those months (scorecard.vocabulary.Completeness)"),
    Column("source_format", String(16), nullable=False, doc="template or ssda903"),
    Column("source_file", Text, nullable=False),
    Column("source_sheet", Text),
    Column("sha256", String(64), nullable=False),
    Column("also_from", Text, doc="JSON list of further files joined in (SSDA903 Header, UASC)"),
    Column("row_count", Integer, nullable=False),
    Column("fields", Text, doc="the fields the file had, comma separated: it says nothing about the others"),
    Column("mapping_id", Integer, ForeignKey("column_mappings.id"), doc="the saved column mapping used"),
    Column("changes", Text, doc="JSON: what this load changed in the store (the load summary)"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Column("status", String(12), nullable=False),
    Column("superseded_by", Integer, ForeignKey("extracts.id")),
    # At most one current extract per council, dataset, span of months and format: a
    # second load racing the first fails instead of leaving two "current" versions. (A
    # return's OC2 flags for March and March's monthly health file are not versions of
    # one another.)
    Index(
        "one_current_extract",
        "council",
        "dataset",
        "first_month",
        "last_month",
        "source_format",
        unique=True,
        sqlite_where=Column("status") == CURRENT,
        postgresql_where=Column("status") == CURRENT,
    ),
)

column_mappings = Table(
    "column_mappings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("council", String(16), nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("version", Integer, nullable=False, doc="1, 2, ...: every change is a new version; none is deleted"),
    Column("column_headers", Text, nullable=False, doc="JSON: {field: [header as written, ...]}"),
    Column("value_aliases", Text, nullable=False, doc="JSON: {field: {value as written: code}}"),
    Column("note", Text, doc="what changed in this version"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("status", String(12), nullable=False),
    Index("one_mapping_version", "council", "dataset", "version", unique=True),
)


def _record_table(name: str, *columns: Column) -> Table:
    """A table of child-level records, each pointing at the extract and row it came from."""
    table = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("extract_id", Integer, ForeignKey("extracts.id"), nullable=False),
        Column("source_row", Integer, nullable=False, doc="row number as shown in the source file"),
        *columns,
    )
    # Only the extract index: rows are read per extract. An index on child_id costs 40%
    # more insert time on every upload for look-ups the metrics layer does in memory.
    Index(f"{name}_by_extract", table.c.extract_id)
    return table


children_in_care = _record_table(
    "children_in_care",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(4), nullable=False),
    Column("ethnicity", String(4)),
    Column("uasc", Boolean, nullable=False),
    Column("disability", Boolean),
    Column("legal_status", String(4), nullable=False),
    Column("period_start", Date, doc="as the file gives it; empty in the SSDA903, where it is worked out "
           "from the child's episodes across every return"),
    Column("episode_start", Date, nullable=False),
    Column("episode_end", Date),
    Column("reason_new_episode", String(4)),
    Column("reason_episode_ceased", String(4)),
    Column("category_of_need", String(4)),
    Column("placement_type", String(4), nullable=False),
    Column("placement_provider", String(4), doc="required in the template; the SSDA903 leaves it blank for some placements"),
    Column("placed_in_area", Boolean),
    Column("placement_la", String(16)),
    Column("distance_miles", Float),
    Column("home_postcode", String(10)),
    Column("placement_postcode", String(10)),
    Column("district", String(80)),
)

visits = _record_table(
    "visits",
    Column("child_id", String(40), nullable=False),
    Column("date_due", Date, nullable=False),
    Column("date_done", Date),
    Column("team", String(80)),
)

missing_episodes = _record_table(
    "missing_episodes",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("in_care", Boolean, nullable=False),
    Column("missing_from", DateTime, nullable=False),
    Column("found_at", DateTime),
    Column("absence_type", String(2)),
    Column("district", String(80)),
)

return_interviews = _record_table(
    "return_interviews",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("offered_at", DateTime),
    Column("held_at", DateTime),
)

health_assessments = _record_table(
    "health_assessments",
    Column("child_id", String(40), nullable=False),
    Column("assessment_type", String(20), nullable=False),
    Column("looked_after_date", Date),
    Column("date_due", Date),
    Column("date_completed", Date),
    Column("placed_in_area", Boolean),
    Column("host_la", String(80)),
    Column("up_to_date", Boolean, doc="SSDA903 OC2 flags, where no date is known"),
    Column("sdq_score", Integer),
)

care_leavers = _record_table(
    "care_leavers",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("birthday", Date, nullable=False),
    Column("in_touch", String(4), nullable=False),
    Column("activity", String(4)),
    Column("accommodation", String(4)),
)

benchmarks = Table(
    "benchmarks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator", String(80), nullable=False),
    Column("comparator", String(40), nullable=False, doc="england, region or statistical_neighbours"),
    Column("area_code", String(16), nullable=False, doc="E92000001, a region's code, or the council whose neighbours"),
    Column("period", String(16), nullable=False, doc="as published: 2022/23, 2021"),
    Column("period_end", Date, nullable=False, doc="the day the figure is as at, or its year's last day"),
    Column("value", Float, nullable=False, doc="in the indicator's stored unit: a fraction for percentages"),
    Column("publication", Text, nullable=False),
    Column("release_date", Date, doc="DfE revises earlier years: every release is kept"),
    Column("source", Text),
    Column("notes", Text),
    Column("source_file", Text, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Index("benchmarks_by_indicator", "indicator", "comparator"),
)

commentary = Table(
    "commentary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("indicator", String(80), nullable=False, doc="an indicator id in metrics.yaml"),
    Column("period", String(7), nullable=False, doc="YYYY-MM: the month of the figure it explains"),
    Column("text", Text, nullable=False, doc="a short footnote, at most 1,000 characters"),
    Column("author", String(120), nullable=False),
    Column("written_at", DateTime, nullable=False, doc="UK local time, as the officer wrote it"),
    Column("source_file", Text, doc="the file it was loaded from; null when added by hand"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    # Every version is kept: a later comment on the same figure is a new row.
    Index("commentary_by_indicator", "council", "indicator", "period"),
)

RECORD_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        children_in_care,
        visits,
        missing_episodes,
        return_interviews,
        health_assessments,
        care_leavers,
    )
}


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
    """Create the tables that do not exist yet (a new store starts empty).

    Done once per engine in a process, not on every connection. Schema changes to an
    existing store will need migrations (Alembic) when the first one comes.
    """
    if eng.url.get_backend_name() == "sqlite" and eng.url.database:
        Path(eng.url.database).parent.mkdir(parents=True, exist_ok=True)
    metadata.create_all(eng)
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


def insert_columns(conn: Connection, table: Table, columns: Mapping[str, Sequence[Any]]) -> int:
    """Insert many rows fast, given column by column (name -> values, all the same length).

    The statement is compiled by SQLAlchemy Core for the connection's dialect and the
    values are passed as bound parameters. We apply each column type's own bind
    processor column by column and hand the driver one executemany: the same values
    SQLAlchemy would send, without its per-row dictionary handling, which costs about
    five times the insert itself on 100,000 rows.
    """
    names = list(columns)
    if not names or not len(columns[names[0]]):
        return 0
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _copy_columns(conn, table, columns)
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    processed = {}
    for name in names:
        process = _bind_processor(table.c[name].type, dialect)
        values = columns[name]
        if process is None:
            processed[name] = values
        elif None in values:
            processed[name] = [None if v is None else process(v) for v in values]
        else:
            processed[name] = list(map(process, values))
    if compiled.positiontup is not None:
        params: list = list(zip(*(processed[key] for key in compiled.positiontup)))
    else:
        params = [dict(zip(names, row)) for row in zip(*(processed[n] for n in names))]
    conn.exec_driver_sql(compiled.string, params)
    return len(params)


def _copy_columns(conn: Connection, table: Table, columns: Mapping[str, Sequence[Any]]) -> int:
    """PostgreSQL's bulk path, COPY, through psycopg: one statement for all the rows
    instead of a round trip each (100,000 rows: about 0.5 s instead of 4 s). The
    statement names only the Core table and columns, quoted by the dialect; the values
    travel as COPY data, typed by psycopg, never as SQL text."""
    preparer = conn.dialect.identifier_preparer
    names = list(columns)
    statement = (f"COPY {preparer.format_table(table)} "
                 f"({', '.join(preparer.quote(name) for name in names)}) FROM STDIN")
    cursor = conn.connection.driver_connection.cursor()
    count = 0
    with cursor.copy(statement) as copy:
        for row in zip(*(columns[name] for name in names)):
            copy.write_row(row)
            count += 1
    return count


_SAMPLES = {Date: dt.date(2019, 9, 30), DateTime: dt.datetime(2019, 9, 30, 17, 45, 9, 123)}
_FAST_FORMATS = {Date: operator.methodcaller("isoformat"), DateTime: operator.methodcaller("isoformat", " ", "microseconds")}


def _bind_processor(column_type, dialect):
    """The column type's bind processor, or a C-speed equivalent for SQLite's dates.

    SQLite stores dates as text formatted in Python by SQLAlchemy, which costs more than
    the insert itself. `isoformat` writes the same text; we use it only when it gives
    exactly what SQLAlchemy's own processor gives, so stored values cannot differ.
    """
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    # Python's True and False are the integers 1 and 0 to every DB-API driver.
    if type(column_type) is Boolean and process is not None and (process(True), process(False)) == (1, 0):
        return None
    for kind, fast in _FAST_FORMATS.items():
        if process is not None and type(column_type) is kind and process(_SAMPLES[kind]) == fast(_SAMPLES[kind]):
            return fast
    return process


def add_extract(conn: Connection, row: Mapping[str, Any]) -> tuple[int, list[int]]:
    """Add a current extract (every column but id, status and superseded_by), superseding
    the current extract of the same council, dataset, span of months and format: the
    store's one versioning rule. The superseded extract and its records are kept, never
    deleted. Returns the new id and the ids it superseded."""
    earlier = list(conn.scalars(select(extracts.c.id).where(
        extracts.c.council == row["council"], extracts.c.dataset == row["dataset"],
        extracts.c.first_month == row["first_month"], extracts.c.last_month == row["last_month"],
        extracts.c.source_format == row["source_format"], extracts.c.status == CURRENT)))
    if earlier:
        conn.execute(update(extracts).where(extracts.c.id.in_(earlier)).values(status=SUPERSEDED))
    new_id = conn.execute(extracts.insert().values(**row, status=CURRENT)).inserted_primary_key[0]
    if earlier:
        conn.execute(update(extracts).where(extracts.c.id.in_(earlier)).values(superseded_by=new_id))
    return new_id, earlier


def set_extract_changes(conn: Connection, extract_id: int, changes: str) -> None:
    """Record what a load changed (its summary, as JSON) on its extract."""
    conn.execute(update(extracts).where(extracts.c.id == extract_id).values(changes=changes))


def current_extracts_covering(conn: Connection, council: str, dataset: str, first_month: str,
                              last_month: str) -> list[dict]:
    """The council's current extracts of a dataset that cover any month from `first_month` to
    `last_month` (YYYY-MM compares as text in month order)."""
    query = select(extracts).where(
        extracts.c.council == council, extracts.c.dataset == dataset, extracts.c.status == CURRENT,
        extracts.c.first_month <= last_month, extracts.c.last_month >= first_month,
    ).order_by(extracts.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]


EXTRACT_COLUMNS = ("id", "dataset", "first_month", "last_month", "as_at", "complete_for", "source_format",
                   "fields", "source_file", "loaded_at")


def current_records(conn: Connection, council: str, dataset: str, columns: Sequence[str] | None = None,
                    source_formats: Sequence[str] | None = None) -> tuple[list[str], list[tuple]]:
    """Every record of one council's current extracts of a dataset, with the day the extract
    each came from is as at (`extract_as_at`, ISO text).

    `columns` narrows the record columns read (extract_id and source_row always come);
    `source_formats` keeps only extracts of those formats ('template', 'ssda903').
    Dates and date-times come back as ISO text (cast in the database) rather than as
    Python objects: the metrics layer parses whole columns at once, which on 300,000
    rows is about ten times quicker than building a date object per value.
    """
    table = RECORD_TABLES[dataset]
    wanted = None if columns is None else {"extract_id", "source_row", *columns}
    selected = [
        cast(column, String).label(column.name) if isinstance(column.type, (Date, DateTime)) else column
        for column in table.c
        if column.name != "id" and (wanted is None or column.name in wanted)
    ]
    query = (
        select(*selected, cast(extracts.c.as_at, String).label("extract_as_at"))
        .join(extracts, extracts.c.id == table.c.extract_id)
        .where(extracts.c.council == council, extracts.c.dataset == dataset, extracts.c.status == CURRENT)
    )
    if source_formats is not None:
        query = query.where(extracts.c.source_format.in_(list(source_formats)))
    result = conn.execute(query)
    return list(result.keys()), result.all()


def current_extracts(conn: Connection, council: str, source_formats: Sequence[str] | None = None) -> list[dict]:
    """The council's current extracts: id, dataset, months covered, as-at day, completeness
    rule, format, file and when loaded."""
    query = (select(*(extracts.c[name] for name in EXTRACT_COLUMNS))
             .where(extracts.c.council == council, extracts.c.status == CURRENT).order_by(extracts.c.id))
    if source_formats is not None:
        query = query.where(extracts.c.source_format.in_(list(source_formats)))
    return [dict(row._mapping) for row in conn.execute(query)]


def current_mapping(conn: Connection, council: str, dataset: str) -> dict | None:
    """The council's saved column mapping for a dataset (its newest version), or None."""
    query = select(column_mappings).where(
        column_mappings.c.council == council, column_mappings.c.dataset == dataset,
        column_mappings.c.status == CURRENT)
    row = conn.execute(query).first()
    return dict(row._mapping) if row else None


def save_mapping(conn: Connection, council: str, dataset: str, column_headers: str, value_aliases: str,
                 note: str, created_by: str, created_at: dt.datetime) -> dict:
    """A new version of a council's mapping for a dataset (JSON texts), superseding the
    current one, which is kept."""
    current = current_mapping(conn, council, dataset)
    if current is not None:
        conn.execute(update(column_mappings).where(column_mappings.c.id == current["id"])
                     .values(status=SUPERSEDED))
    version = 1 + (conn.scalar(select(func.max(column_mappings.c.version)).where(
        column_mappings.c.council == council, column_mappings.c.dataset == dataset)) or 0)
    row = dict(council=council, dataset=dataset, version=version, column_headers=column_headers,
               value_aliases=value_aliases, note=note, created_at=created_at, created_by=created_by,
               status=CURRENT)
    row["id"] = conn.execute(column_mappings.insert().values(**row)).inserted_primary_key[0]
    return row


def mapping_versions(conn: Connection, council: str | None = None, dataset: str | None = None) -> list[dict]:
    """Every version of the saved mappings, oldest first."""
    query = select(column_mappings).order_by(column_mappings.c.council, column_mappings.c.dataset,
                                             column_mappings.c.version)
    if council is not None:
        query = query.where(column_mappings.c.council == council)
    if dataset is not None:
        query = query.where(column_mappings.c.dataset == dataset)
    return [dict(row._mapping) for row in conn.execute(query)]


def store_version(conn: Connection) -> tuple:
    """Changes whenever an upload, a benchmark release or commentary is loaded: a cache key.

    Loads only ever add rows (superseding marks an extract, and adds its successor),
    so the highest ids and the row counts say whether anything has changed.
    """
    extract_state = conn.execute(select(func.max(extracts.c.id), func.count(), func.sum(
        case((extracts.c.status == CURRENT, 1), else_=0)))).one()
    benchmark_state = conn.execute(select(func.max(benchmarks.c.id), func.count()).select_from(benchmarks)).one()
    commentary_state = conn.execute(select(func.max(commentary.c.id), func.count()).select_from(commentary)).one()
    return tuple(extract_state) + tuple(benchmark_state) + tuple(commentary_state)


def benchmark_rows(conn: Connection, indicators: Sequence[str] | None = None) -> list[dict]:
    query = select(benchmarks).order_by(benchmarks.c.id)
    if indicators is not None:
        query = query.where(benchmarks.c.indicator.in_(list(indicators)))
    return [dict(row._mapping) for row in conn.execute(query)]


def insert_commentary(conn: Connection, row: Mapping[str, Any]) -> int:
    """Add one comment (every column but id); its new id."""
    return conn.execute(commentary.insert().values(**row)).inserted_primary_key[0]


def commentary_rows(conn: Connection, council: str, indicator: str | None = None, period: str | None = None,
                    up_to: str | None = None) -> list[dict]:
    """Every stored version of a council's commentary, newest month first, then newest written first.

    `indicator` and `period` (YYYY-MM) narrow it to one indicator or one month; `up_to`
    keeps only months up to and including that one.
    """
    query = select(commentary).where(commentary.c.council == council).order_by(
        commentary.c.period.desc(), commentary.c.written_at.desc(), commentary.c.id.desc())
    if indicator is not None:
        query = query.where(commentary.c.indicator == indicator)
    if period is not None:
        query = query.where(commentary.c.period == period)
    if up_to is not None:
        query = query.where(commentary.c.period <= up_to)
    return [dict(row._mapping) for row in conn.execute(query)]


def councils_with_data(conn: Connection) -> list[str]:
    query = select(extracts.c.council).distinct().where(extracts.c.status == CURRENT).order_by(extracts.c.council)
    return list(conn.scalars(query))


def distinct_values(conn: Connection, council: str, dataset: str, column: str) -> set[str]:
    """Distinct values of `column` in the current extracts of one council's dataset."""
    table = RECORD_TABLES[dataset]
    query = (
        select(table.c[column])
        .distinct()
        .join(extracts, extracts.c.id == table.c.extract_id)
        .where(
            extracts.c.council == council,
            extracts.c.dataset == dataset,
            extracts.c.status == CURRENT,
        )
    )
    return set(conn.scalars(query))


def list_extracts(conn: Connection, council: str | None = None) -> list[dict]:
    query = select(extracts).order_by(extracts.c.id)
    if council:
        query = query.where(extracts.c.council == council)
    return [dict(row._mapping) for row in conn.execute(query)]


def dump(conn: Connection) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: tests compare a dump before and after a failed load."""
    result = {}
    for table in metadata.sorted_tables:
        rows = conn.execute(select(table)).all()
        result[table.name] = sorted(tuple(row) for row in rows)
    return result

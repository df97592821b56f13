"""What the product reads from and writes to the store, one function per question: every
statement SQLAlchemy Core with bound parameters, the same on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Date, DateTime, String, case, cast, func, select, update
from sqlalchemy.engine import Connection

from scorecard.store.tables import (
    CURRENT,
    RECORD_TABLES,
    SUPERSEDED,
    column_mappings,
    commentary,
    extracts,
    improvement_actions,
    meetings,
    metadata,
    published_figures,
    published_releases,
)


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
    selected = _record_columns(table, columns)
    query = (
        select(*selected, cast(extracts.c.as_at, String).label("extract_as_at"))
        .join(extracts, extracts.c.id == table.c.extract_id)
        .where(extracts.c.council == council, extracts.c.dataset == dataset, extracts.c.status == CURRENT)
    )
    if source_formats is not None:
        query = query.where(extracts.c.source_format.in_(list(source_formats)))
    result = conn.execute(query)
    return list(result.keys()), result.all()


def _record_columns(table, columns: Sequence[str] | None) -> list:
    """A record table's columns to read (extract_id and source_row always), dates and
    date-times cast to ISO text."""
    wanted = None if columns is None else {"extract_id", "source_row", *columns}
    return [
        cast(column, String).label(column.name) if isinstance(column.type, (Date, DateTime)) else column
        for column in table.c
        if column.name != "id" and (wanted is None or column.name in wanted)
    ]


def extract_records(conn: Connection, dataset: str, extract_ids: Sequence[int],
                    columns: Sequence[str] | None = None) -> tuple[list[str], list[tuple]]:
    """The records of these extracts of a dataset, whatever their status (a superseded
    load's records stay in the store): for comparing a load with the one it replaced.
    Dates come back as ISO text, as `current_records` gives them."""
    table = RECORD_TABLES[dataset]
    selected = _record_columns(table, columns)
    result = conn.execute(select(*selected).where(table.c.extract_id.in_(list(extract_ids)))
                          .order_by(table.c.extract_id, table.c.source_row))
    return list(result.keys()), result.all()


def current_extracts(conn: Connection, council: str, source_formats: Sequence[str] | None = None) -> list[dict]:
    """The council's current extracts: id, dataset, months covered, as-at day, completeness
    rule, format, file and when loaded."""
    query = (select(*(extracts.c[name] for name in EXTRACT_COLUMNS))
             .where(extracts.c.council == council, extracts.c.status == CURRENT).order_by(extracts.c.id))
    if source_formats is not None:
        query = query.where(extracts.c.source_format.in_(list(source_formats)))
    return [dict(row._mapping) for row in conn.execute(query)]


def current_mappings(conn: Connection, council: str, dataset: str | None = None) -> dict[str, dict]:
    """The council's saved column mappings (the newest version of each), by dataset; one
    dataset's only when `dataset` is given."""
    query = select(column_mappings).where(column_mappings.c.council == council, column_mappings.c.status == CURRENT)
    if dataset is not None:
        query = query.where(column_mappings.c.dataset == dataset)
    return {row.dataset: dict(row._mapping) for row in conn.execute(query)}


def current_mapping(conn: Connection, council: str, dataset: str) -> dict | None:
    """The council's saved column mapping for a dataset (its newest version), or None."""
    return current_mappings(conn, council, dataset).get(dataset)


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
    so the highest ids and the row counts say whether anything has changed; the latest
    load's time tells a store emptied and loaded again, to the same counts, from the
    one before (a web worker lives through both).
    """
    extract_state = conn.execute(select(func.max(extracts.c.id), func.count(), func.sum(
        case((extracts.c.status == CURRENT, 1), else_=0)), func.max(extracts.c.loaded_at))).one()
    benchmark_state = conn.execute(select(func.max(published_releases.c.id), func.count(),
                                          func.max(published_releases.c.loaded_at))).one()
    commentary_state = conn.execute(select(func.max(commentary.c.id), func.count(),
                                           func.max(commentary.c.loaded_at))).one()
    return tuple(extract_state) + tuple(benchmark_state) + tuple(commentary_state)


def published_release(conn: Connection, sha256: str) -> dict | None:
    """The release already imported from a file with this content, if any."""
    row = conn.execute(select(published_releases).where(published_releases.c.sha256 == sha256)).first()
    return dict(row._mapping) if row else None


def add_published_release(conn: Connection, release: Mapping[str, Any], figures: Mapping[str, list]) -> int:
    """Add a release and its figures (columns of equal length, without release_id); its id."""
    release_id = conn.execute(published_releases.insert().values(**release)).inserted_primary_key[0]
    _insert_figures(conn, release_id, figures)
    return release_id


def add_published_figures(conn: Connection, release_id: int, figures: Mapping[str, list]) -> None:
    """Add figures to a release: those of measures defined since it was imported."""
    count = _insert_figures(conn, release_id, figures)
    conn.execute(update(published_releases).where(published_releases.c.id == release_id).values(
        figure_count=published_releases.c.figure_count + count))


def _insert_figures(conn: Connection, release_id: int, figures: Mapping[str, list]) -> int:
    from scorecard.store.bulk import insert_columns

    count = len(next(iter(figures.values()), []))
    insert_columns(conn, published_figures, {**figures, "release_id": [release_id] * count})
    return count


def release_measures(conn: Connection, release_id: int) -> set[str]:
    """The measures a release holds figures of."""
    return set(conn.scalars(select(published_figures.c.measure).where(
        published_figures.c.release_id == release_id).distinct()))


def published_rows(conn: Connection, indicators: Sequence[str] | None = None) -> list[dict]:
    """Every published figure with its release's file, latest year and load time, oldest release first."""
    query = (select(published_figures, published_releases.c.source_file, published_releases.c.latest_year,
                    published_releases.c.loaded_at)
             .join(published_releases, published_releases.c.id == published_figures.c.release_id)
             .order_by(published_figures.c.release_id, published_figures.c.id))
    if indicators is not None:
        query = query.where(published_figures.c.indicator.in_(list(indicators)))
    return [dict(row._mapping) for row in conn.execute(query)]


def published_releases_list(conn: Connection) -> list[dict]:
    return [dict(row._mapping) for row in conn.execute(select(published_releases).order_by(published_releases.c.id))]


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


def meeting_rows(conn: Connection, council: str) -> list[dict]:
    """Every stored version of a council's meetings, oldest meeting first, then oldest loaded first
    (so the last row for a date and committee is the one that stands)."""
    query = select(meetings).where(meetings.c.council == council).order_by(
        meetings.c.meeting_date, meetings.c.committee, meetings.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]


def action_rows(conn: Connection, council: str, indicator: str | None = None,
                reference: str | None = None) -> list[dict]:
    """Every stored version of a council's improvement actions, by reference, oldest update first."""
    query = select(improvement_actions).where(improvement_actions.c.council == council).order_by(
        improvement_actions.c.reference, improvement_actions.c.updated_on, improvement_actions.c.id)
    if indicator is not None:
        query = query.where(improvement_actions.c.indicator == indicator)
    if reference is not None:
        query = query.where(improvement_actions.c.reference == reference)
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

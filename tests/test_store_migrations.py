"""A store made by the first release is brought up to date in place, its data kept."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from scorecard import store
from scorecard.metrics import council_metrics
from scorecard.metrics.calendar import Month
from scorecard.store import migrate

COUNCIL = "E10000099"
NOW = dt.datetime(2025, 4, 2, 9, 0, tzinfo=dt.timezone.utc)


def first_release_store(eng) -> None:
    """The first release's tables (migration 0001) without Alembic's version table, as that
    release left them, with an upload of a month and of a 903 return in its layout."""
    with eng.begin() as conn:
        command.upgrade(migrate._config(conn), migrate.FIRST_RELEASE)
        conn.execute(text("DROP TABLE alembic_version"))
        extract = text("INSERT INTO extracts (upload_id, council, dataset, period, source_format, source_file, "
                       "sha256, row_count, loaded_at, loaded_by, status) VALUES ('u', :council, :dataset, "
                       ":period, :format, :file, 'x', 1, :now, 'analyst', 'current')")
        for extract_id, dataset, period, source_format in [  # ids 1 to 5 in a new table
                (1, "children_in_care", "2025-03", "template"), (2, "visits", "2025-03", "template"),
                (3, "children_in_care", "2024-06", "ssda903"), (4, "children_in_care", "2024-09", "ssda903"),
                (5, "health_assessments", "2024-06", "ssda903")]:
            conn.execute(extract, dict(council=COUNCIL, dataset=dataset, period=period, format=source_format,
                                       file=f"{dataset}-{extract_id}.csv", now=NOW))
        episode = text("INSERT INTO children_in_care (extract_id, source_row, child_id, date_of_birth, sex, uasc, "
                       "legal_status, period_start, episode_start, placement_type) VALUES (:extract, 2, :child, "
                       "'2012-01-01', 'M', :false, 'C2', :start, :start, 'U4')")
        conn.execute(episode, dict(extract=1, child="C1", start="2020-05-01", false=False))
        conn.execute(episode, dict(extract=4, child="C2", start="2024-05-01", false=False))
        conn.execute(text("INSERT INTO visits (extract_id, source_row, child_id, date_due, date_done) "
                          "VALUES (2, 2, 'C1', '2025-03-10', '2025-03-09')"))
        conn.execute(text("INSERT INTO health_assessments (extract_id, source_row, child_id, assessment_type, "
                          "date_due, up_to_date) VALUES (5, 2, 'C2', 'review', '2025-03-31', :true)"), {"true": True})


def test_a_first_release_store_is_upgraded_with_its_data(engine):
    store.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    first_release_store(engine)
    store.create_all(engine)

    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head()
        assert "column_mappings" in inspect(conn).get_table_names()
        rows = {row.id: row for row in conn.execute(select(store.extracts).order_by(store.extracts.c.id))}
        cic = {row.child_id: row for row in conn.execute(select(store.children_in_care))}
    month, _, first, second, health = (rows[i] for i in range(1, 6))
    assert (month.first_month, month.last_month, month.as_at) == ("2025-03", "2025-03", dt.date(2025, 3, 31))
    assert month.complete_for == "spans:episode_start:episode_end" and month.status == "current"
    # A 903 upload covers its collection year; two of the same year: the later supersedes.
    assert (second.first_month, second.last_month, second.as_at) == ("2024-04", "2025-03", dt.date(2025, 3, 31))
    assert (first.status, first.superseded_by, second.status) == ("superseded", 4, "current")
    assert (health.first_month, health.last_month, health.complete_for) == ("2025-03", "2025-03", "status")
    # The first release's one-file period starts of 903 rows are gone; a template's stay.
    assert cic["C1"].period_start == dt.date(2020, 5, 1) and cic["C2"].period_start is None

    # The upgraded store is used as any other: figures, and a load that supersedes.
    figures = council_metrics(engine, COUNCIL)
    assert figures.total("visits_in_timescale", "2025-03")["numerator"] == 1
    with store.write_transaction(engine) as conn:
        new_id, superseded = store.add_extract(conn, dict(
            upload_id="v", council=COUNCIL, dataset="visits", first_month="2025-03", last_month="2025-03",
            as_at=dt.date(2025, 3, 31), complete_for="dated:date_due", source_format="template",
            source_file="visits2.csv", sha256="y", row_count=0, loaded_at=NOW, loaded_by="analyst"))
    assert superseded == [2]


def test_a_new_store_is_made_at_the_newest_revision(engine):
    assert migrate.HEAD == migrate.head()  # the constant the start-up check reads
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head()
    store.create_all(engine)  # again: nothing to do
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head()


def test_a_store_with_todays_tables_but_no_version_table_is_stamped_not_migrated(engine):
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    store.create_all(engine)  # the tables are already today's: nothing to migrate, and no error
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.HEAD


def test_an_upgraded_store_is_not_taken_back_and_is_left_as_it_was(engine):
    def columns() -> dict:
        return {name: [(c["name"], c["nullable"]) for c in inspect(engine).get_columns(name)]
                for name in ("extracts", "children_in_care")}

    before = columns()
    with pytest.raises(RuntimeError, match="restore the backup taken before upgrading"):
        with engine.begin() as conn:
            command.downgrade(migrate._config(conn), migrate.FIRST_RELEASE)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.HEAD
        assert "column_mappings" in inspect(conn).get_table_names()
    assert columns() == before


def test_benchmarks_loaded_by_an_earlier_release_become_a_kept_release(engine):
    store.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    first_release_store(engine)
    with engine.begin() as conn:
        row = text("INSERT INTO benchmarks (indicator, comparator, area_code, period, period_end, value, publication, "
                   "source_file, loaded_at, loaded_by) VALUES (:indicator, :comparator, :area, :period, :end, "
                   ":value, 'CLA 2024', 'benchmarks.csv', :now, 'analyst')")
        for comparator, area, period, end, value in [
                ("england", "E92000001", "2023/24", "2024-03-31", 0.64),
                ("region", "E12000004", "2023/24", "2024-03-31", 0.61),
                ("statistical_neighbours", COUNCIL, "2023/24", "2024-03-31", 0.60)]:
            conn.execute(row, dict(indicator="care_leavers_eet_17_18", comparator=comparator, area=area,
                                   period=period, end=end, value=value, now=NOW))
    store.create_all(engine)

    with engine.connect() as conn:
        assert "benchmarks" not in inspect(conn).get_table_names()
        releases = store.published_releases_list(conn)
        figures = store.published_rows(conn)
    assert [(r["source_file"], r["layout"], r["latest_year"], r["figure_count"]) for r in releases] == [
        ("benchmarks.csv", "csv", 2024, 3)]
    assert sorted((f["level"], f["area_code"], f["year"], f["value"]) for f in figures) == [
        ("national", "E92000001", 2024, 0.64), ("regional", "E12000004", 2024, 0.61),
        ("statistical_neighbours", COUNCIL, 2024, 0.60)]
    # England's figure from the earlier release still compares with March 2024.
    metrics = council_metrics(engine, COUNCIL)
    england = metrics.comparison(metrics.catalogue.by_id["care_leavers_eet_17_18"], "england",
                                 Month.parse("2024-03"),
                                 None)
    assert (england.state, england.value, england.period) == ("published", 0.64, "2023/24")

"""Loading a month of messy real-world exports through the `scorecard ingest` command."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from sqlalchemy import select

from builders import good_month
from scorecard import store
from scorecard.cli import main


def ingest(*args: str):
    return CliRunner().invoke(main, ["ingest", "--quiet", *args])


def rows_of(engine, table):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def test_a_messy_month_loads_whole_with_lineage(engine, database_url, tmp_path):
    files = good_month(tmp_path / "2019-09")
    result = ingest(*map(str, files), "--period", "2019-09", "--council", "E10000016")
    assert result.exit_code == 0, result.output
    assert "Loaded 4 datasets, 14 rows from 4 files for E10000016 2019-09" in result.output

    extracts = {e["dataset"]: e for e in rows_of(engine, store.extracts)}
    assert set(extracts) == {"children_in_care", "missing_episodes", "return_interviews", "visits"}
    cic_extract = extracts["children_in_care"]
    assert cic_extract["source_file"] == "cla.xlsx" and cic_extract["source_sheet"] == "Report"
    assert cic_extract["row_count"] == 4 and cic_extract["status"] == "current"
    import hashlib
    assert cic_extract["sha256"] == hashlib.sha256(files[0].read_bytes()).hexdigest()

    cic = rows_of(engine, store.children_in_care)
    # Title rows, a blank row and the totals row are not data; Excel row numbers are kept.
    assert [r["source_row"] for r in cic] == [5, 6, 7, 8]
    assert all(r["extract_id"] == cic_extract["id"] for r in cic)
    first, second, third, fourth = cic
    assert first["date_of_birth"] == dt.date(2010, 3, 14) and first["episode_end"] == dt.date(2019, 2, 1)
    assert second["period_start"] == dt.date(2018, 1, 5) and second["episode_start"] == dt.date(2019, 2, 1)
    assert second["sex"] == "M" and second["uasc"] is False and second["placed_in_area"] is False
    assert second["placement_provider"] == "PR4" and second["distance_miles"] == 24
    assert third["child_id"] == "1002" and third["sex"] == "2" and third["uasc"] is True
    assert third["period_start"] == dt.date(2019, 9, 2)
    assert fourth["reason_new_episode"] == "L" and fourth["legal_status"] == "E1"

    missing = rows_of(engine, store.missing_episodes)
    assert [m["episode_id"] for m in missing] == ["M1", "M2", "M3", "M4"]
    assert missing[0]["missing_from"] == dt.datetime(2019, 9, 6, 21, 30)
    assert missing[1]["absence_type"] == "A" and missing[3]["found_at"] is None
    assert missing[0]["district"] == "North – Redditch" and missing[2]["district"] == "Sévérn"  # Windows-1252
    rhi = rows_of(engine, store.return_interviews)
    assert [r["outcome"] for r in rhi] == ["completed", "refused_child", "completed"]
    assert rhi[0]["held_at"] == dt.datetime(2019, 9, 9, 16, 0)

    # What was ignored is reported, not silently dropped.
    assert "column 'Social worker notes' is not part of the children in care template" in result.output
    assert "row 10: row starts with 'Total': a total, footer or note, not data" in result.output
    assert "sheet 'Filters'" in result.output and "was ignored" in result.output
    # A visit done after the month end is loaded with a warning.
    assert "WARNING visits.xlsx, sheet 'Visits', row 4, column 'Actual Visit Date'" in result.output


def test_extracts_lists_lineage_as_json(engine, database_url, tmp_path):
    ingest(*map(str, good_month(tmp_path)), "--period", "2019-09")
    result = CliRunner().invoke(main, ["extracts", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.output)
    assert {e["dataset"] for e in listed} == {"children_in_care", "missing_episodes", "return_interviews", "visits"}
    assert set(listed[0]) >= {"dataset", "first_month", "last_month", "as_at", "complete_for", "source_file", "sha256",
                              "row_count", "mapping_version", "changes", "loaded_at", "loaded_by", "status"}
    assert (listed[0]["first_month"], listed[0]["last_month"], listed[0]["as_at"]) == ("2019-09", "2019-09", "2019-09-30")


def test_loading_the_same_month_again_supersedes_and_keeps_the_earlier_rows(engine, database_url, tmp_path):
    files = [str(f) for f in good_month(tmp_path)]
    assert ingest(*files, "--period", "2019-09").exit_code == 0
    assert ingest(files[1], "--period", "2019-09").exit_code == 0  # missing episodes again
    extracts = rows_of(engine, store.extracts)
    missing = [e for e in extracts if e["dataset"] == "missing_episodes"]
    assert [e["status"] for e in missing] == ["superseded", "current"]
    assert missing[0]["superseded_by"] == missing[1]["id"]
    assert len(rows_of(engine, store.missing_episodes)) == 8  # both versions kept
    others = [e for e in extracts if e["dataset"] != "missing_episodes"]
    assert all(e["status"] == "current" for e in others)
    # Another month is a new extract, not a supersession.
    assert ingest(files[1], "--period", "2019-10").exit_code == 0
    with engine.connect() as conn:
        assert len(store.current_extracts_covering(conn, "E10000099", "missing_episodes", "2019-09", "2019-09")) == 1
        assert len(store.current_extracts_covering(conn, "E10000099", "missing_episodes", "2019-10", "2019-10")) == 1


def test_dry_run_validates_and_writes_nothing(engine, database_url, tmp_path):
    with engine.connect() as conn:
        before = store.dump(conn)
    result = ingest(*map(str, good_month(tmp_path)), "--period", "2019-09", "--dry-run")
    assert result.exit_code == 0 and "Dry run: 4 datasets, 14 rows" in result.output
    with engine.connect() as conn:
        assert store.dump(conn) == before


def test_a_return_interview_may_refer_to_an_episode_loaded_in_an_earlier_month(engine, database_url, tmp_path):
    files = good_month(tmp_path)
    assert ingest(str(files[1]), "--period", "2019-09").exit_code == 0
    result = ingest(str(files[2]), "--period", "2019-10")
    assert result.exit_code == 0, result.output


def test_a_failure_while_writing_leaves_the_store_as_before(engine, database_url, tmp_path, monkeypatch):
    files = [str(f) for f in good_month(tmp_path)]
    assert ingest(*files, "--period", "2019-08").exit_code == 0
    with engine.connect() as conn:
        before = store.dump(conn)
    real_insert = store.insert_columns
    calls = []

    def failing_insert(conn, table, columns):
        calls.append(table.name)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_insert(conn, table, columns)

    monkeypatch.setattr(store, "insert_columns", failing_insert)
    result = ingest(*files, "--period", "2019-08")
    assert result.exit_code != 0 and len(calls) == 3
    with engine.connect() as conn:
        assert store.dump(conn) == before

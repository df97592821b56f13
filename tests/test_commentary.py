"""Officers' commentary: added by hand or loaded from real CSV and xlsx files, every version
kept, every bad row reported, reloads adding nothing; on SQLite and on PostgreSQL."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import write_csv, write_xlsx

from ingest.commentary import CommentaryError, add_commentary, load_commentary, now_uk
from scorecard import store
from scorecard.cli import main
from scorecard.metrics.commentary import commentary_for, latest_commentary
from scorecard.settings import REFERENCE_DIR

COUNCIL = "E10000099"
KNOWN = {"iha_in_timescale", "missing_episodes", "visits_in_timescale", "rhi_within_72_hours"}
HEADER = ["indicator", "period", "commentary", "author", "written_at"]


def catalogue_ids() -> set[str]:
    from scorecard.metrics import load_catalogue

    return {indicator.id for indicator in load_catalogue().indicators}


def load(engine, path, council=COUNCIL, known=KNOWN):
    return load_commentary(engine, path, council, known, "analyst")


def stored(engine) -> list[dict]:
    with store.read_connection(engine) as conn:
        return store.commentary_rows(conn, COUNCIL)


def problems(result) -> list[tuple]:
    return sorted((p.row or 0, p.column or "", p.code) for p in result.report.errors)


def test_add_by_hand_and_read_back(engine):
    added = add_commentary(engine, COUNCIL, "iha_in_timescale", "2024-10", "  Back in timescale\n after the dip. ",
                           "Designated Nurse", written_at=dt.datetime(2024, 11, 8, 10, 30), known_indicators=KNOWN)
    assert added.new and added.row["id"] is not None
    [row] = commentary_for(engine, COUNCIL)
    assert row == {"id": added.row["id"], "indicator": "iha_in_timescale", "period": "2024-10",
                   "text": "Back in timescale after the dip.", "author": "Designated Nurse",
                   "written_at": dt.datetime(2024, 11, 8, 10, 30), "source_file": None}
    [raw] = stored(engine)
    assert raw["loaded_by"] == "Designated Nurse" and raw["loaded_at"] is not None
    # The default time is now (UK), and an aware time (e.g. from a web request) is converted to UK time.
    before = now_uk()
    add_commentary(engine, COUNCIL, "visits_in_timescale", "2024-10", "Steady.", "Head of Service")
    summer = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
    add_commentary(engine, COUNCIL, "missing_episodes", "2024-06", "No spike.", "Manager", written_at=summer,
                   loaded_by="web user")
    written = {r["indicator"]: r for r in stored(engine)}
    assert before <= written["visits_in_timescale"]["written_at"] <= now_uk()
    assert written["missing_episodes"]["written_at"] == dt.datetime(2024, 7, 1, 10, 0)  # BST
    assert written["missing_episodes"]["loaded_by"] == "web user"


def test_add_rejects_bad_input_with_every_reason(engine):
    next_month = (now_uk().replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    with pytest.raises(CommentaryError) as error:
        add_commentary(engine, COUNCIL, "iha_in_timscale", next_month, "   ", "", known_indicators=KNOWN)
    assert "'iha_in_timscale' is not an indicator id in metrics.yaml (did you mean 'iha_in_timescale'?)" in str(error.value)
    assert f"{next_month} is in the future" in str(error.value)
    assert "the commentary text is empty" in error.value.problems
    assert "the author is empty" in error.value.problems
    for period in ("2024-13", "2024/10", "Oct 2024", "2024-1"):
        with pytest.raises(CommentaryError, match="is not a month written YYYY-MM"):
            add_commentary(engine, COUNCIL, "iha_in_timescale", period, "Text", "Author", known_indicators=KNOWN)
    with pytest.raises(CommentaryError, match="1,001 characters long: commentary is a short footnote"):
        add_commentary(engine, COUNCIL, "iha_in_timescale", "2024-10", "x" * 1001, "Author")
    with pytest.raises(CommentaryError, match="is in the future"):
        add_commentary(engine, COUNCIL, "iha_in_timescale", "2024-10", "Text", "Author",
                       written_at=now_uk() + dt.timedelta(days=1))
    add_commentary(engine, COUNCIL, "iha_in_timescale", "2024-10", "x" * 1000, "Author")  # exactly the limit
    assert len(stored(engine)) == 1


def test_every_version_is_kept_and_latest_picks_the_newest(engine):
    def add(indicator, period, text, day, author="Nurse"):
        return add_commentary(engine, COUNCIL, indicator, period, text, author,
                              written_at=dt.datetime(2025, 4, day, 9, 0), known_indicators=KNOWN)

    first = add("iha_in_timescale", "2025-03", "First wording.", 4)
    second = add("iha_in_timescale", "2025-03", "Second wording.", 9)
    again = add("iha_in_timescale", "2025-03", "Second wording.", 10)  # a double click: nothing added
    assert not again.new and again.row["id"] == second.row["id"]
    add("visits_in_timescale", "2025-03", "Visits steady.", 2)
    add("iha_in_timescale", "2025-02", "February.", 1)
    add_commentary(engine, "E10000098", "iha_in_timescale", "2025-03", "Another council.", "Nurse")

    versions = commentary_for(engine, COUNCIL, indicator="iha_in_timescale", period="2025-03")
    assert [v["text"] for v in versions] == ["Second wording.", "First wording."]
    latest = latest_commentary(engine, COUNCIL, "2025-03")
    assert set(latest) == {"iha_in_timescale", "visits_in_timescale"}
    assert latest["iha_in_timescale"]["id"] == second.row["id"]
    assert latest_commentary(engine, COUNCIL, "2025-01") == {}
    # Newest month first, then newest written first.
    assert [(r["period"], r["text"]) for r in commentary_for(engine, COUNCIL)] == [
        ("2025-03", "Second wording."), ("2025-03", "First wording."), ("2025-03", "Visits steady."),
        ("2025-02", "February.")]
    assert [r["period"] for r in commentary_for(engine, COUNCIL, up_to="2025-02")] == ["2025-02"]
    # Going back to the first wording later is a new version, and becomes the latest.
    back = add("iha_in_timescale", "2025-03", "First wording.", 12)
    assert back.new and back.row["id"] not in (first.row["id"], second.row["id"])
    assert latest_commentary(engine, COUNCIL, "2025-03")["iha_in_timescale"]["text"] == "First wording."
    assert len(commentary_for(engine, COUNCIL, indicator="iha_in_timescale", period="2025-03")) == 3


def test_versions_written_at_the_same_time_are_ordered_by_id(engine):
    moment = dt.datetime(2025, 4, 4, 9, 0)
    for text in ("One.", "Two.", "Three."):
        add_commentary(engine, COUNCIL, "iha_in_timescale", "2025-03", text, "Nurse", written_at=moment)
    assert latest_commentary(engine, COUNCIL, "2025-03")["iha_in_timescale"]["text"] == "Three."


def test_store_version_changes_when_commentary_is_added(engine):
    with store.read_connection(engine) as conn:
        before = store.store_version(conn)
    add_commentary(engine, COUNCIL, "iha_in_timescale", "2025-03", "Text.", "Nurse")
    with store.read_connection(engine) as conn:
        after = store.store_version(conn)
    assert after != before


def test_load_a_windows_1252_csv_with_messy_headers(engine, tmp_path):
    rows = [["  Indicator ID ", "PERIOD", "Text", "Written By", "Date Written", "Notes to self"],
            ["iha_in_timescale", "2024-10", "Cost of assessments: £120 each – “out of county” waits longer.",
             "Designated Nurse", "08/11/2024 10:30", "ignore me"],
            ["missing_episodes", "2024-10", "No repeat of last summer’s spike.", "Service Manager",
             "2024-11-08", ""],
            ["visits_in_timescale", "2024-12", "Holiday cover was booked.", "Head of Service", "", ""],
            ["", "", "", "", "", ""],
            ["", "", "", "", "", ""]]
    path = write_csv(tmp_path / "commentary.csv", rows, encoding="cp1252")
    result = load(engine, path)
    assert result.ok, [p.line() for p in result.report]
    assert (result.rows, result.loaded, result.skipped) == (3, 3, 0)
    assert [p.code for p in result.report] == ["extra-column"]
    by_indicator = {r["indicator"]: r for r in stored(engine)}
    assert by_indicator["iha_in_timescale"]["text"] == ("Cost of assessments: £120 each – “out of county” "
                                                        "waits longer.")
    assert by_indicator["iha_in_timescale"]["written_at"] == dt.datetime(2024, 11, 8, 10, 30)
    assert by_indicator["missing_episodes"]["text"] == "No repeat of last summer’s spike."
    assert by_indicator["missing_episodes"]["written_at"] == dt.datetime(2024, 11, 8)
    assert by_indicator["visits_in_timescale"]["written_at"].date() == now_uk().date()  # blank: now
    assert {r["source_file"] for r in stored(engine)} == {"commentary.csv"}
    assert {r["loaded_by"] for r in stored(engine)} == {"analyst"}
    assert {r["author"] for r in stored(engine)} == {"Designated Nurse", "Service Manager", "Head of Service"}


def test_load_a_utf8_bom_csv_without_written_at(engine, tmp_path):
    rows = [["indicator", "period", "commentary", "author"],
            ["iha_in_timescale", "2024-10", "Café meeting held with the health team.", "Nurse"]]
    path = write_csv(tmp_path / "commentary.csv", rows, encoding="utf-8-sig")
    result = load(engine, path)
    assert result.ok and result.loaded == 1
    assert stored(engine)[0]["text"] == "Café meeting held with the health team."
    # No written_at in the file: a reload still recognises the comment and skips it.
    again = load(engine, path)
    assert (again.loaded, again.skipped) == (0, 1)


def test_load_an_xlsx_with_a_title_row_dates_and_trailing_rows(engine, tmp_path):
    sheet = [["Exampleshire: commentary for the Corporate Parenting committee"],
             [],
             ["Indicator", "Month", "Comment", "Author", "Written at"],
             ["iha_in_timescale", dt.date(2024, 10, 1), "Typed as 2024-10, which Excel made a date.",
              "Designated Nurse", dt.datetime(2024, 11, 8, 10, 30)],
             ["missing_episodes", "2024-11", "Typed as text.", "Service Manager", dt.date(2024, 12, 6)],
             ["rhi_within_72_hours", "2024-11", "Line one.\nLine two.", "Service Manager", None],
             [None, None, None, None, None],
             ["", "", "", "", ""],
             ["Report run on 01/12/2024"]]
    path = write_xlsx(tmp_path / "commentary.xlsx", {"Notes": [["Fill in the Commentary sheet"]],
                                                     "Commentary": sheet})
    result = load(engine, path)
    assert result.ok, [p.line() for p in result.report]
    assert (result.rows, result.loaded) == (3, 3)
    assert {p.code for p in result.report} == {"ignored-sheet", "skipped-row"}
    rows = {r["indicator"]: r for r in stored(engine)}
    assert rows["iha_in_timescale"]["period"] == "2024-10"
    assert rows["iha_in_timescale"]["written_at"] == dt.datetime(2024, 11, 8, 10, 30)
    assert rows["missing_episodes"]["written_at"] == dt.datetime(2024, 12, 6)
    assert rows["rhi_within_72_hours"]["text"] == "Line one. Line two."
    assert rows["rhi_within_72_hours"]["source_file"] == "commentary.xlsx"
    again = load(engine, path)
    assert again.ok and (again.loaded, again.skipped) == (0, 3)


def test_every_bad_row_is_reported_and_nothing_loads(engine, tmp_path):
    add_commentary(engine, COUNCIL, "iha_in_timescale", "2024-09", "Already here.", "Nurse")
    with store.read_connection(engine) as conn:
        before = store.dump(conn)
    future_month = (now_uk().replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    tomorrow = (now_uk() + dt.timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    rows = [HEADER,
            ["iha_in_timescale", "2024-10", "A good row.", "Nurse", "08/11/2024"],        # 2
            ["iha_in_timescal", "2024-10", "Unknown indicator.", "Nurse", ""],            # 3
            ["iha_in_timescale", "2024/10", "Not YYYY-MM.", "Nurse", ""],                 # 4
            ["iha_in_timescale", "2024-13", "No 13th month.", "Nurse", ""],               # 5
            ["iha_in_timescale", future_month, "In the future.", "Nurse", ""],            # 6
            ["iha_in_timescale", "2024-10", "", "Nurse", ""],                             # 7
            ["iha_in_timescale", "2024-10", "No author.", "  ", ""],                      # 8
            ["iha_in_timescale", "2024-10", "x" * 1001, "Nurse", ""],                     # 9
            ["iha_in_timescale", "2024-10", "Bad time.", "Nurse", "yesterday"],           # 10
            ["iha_in_timescale", "2024-10", "Written tomorrow.", "Nurse", tomorrow],       # 11
            ["iha_in_timescale", "2024-10-01", "A date, not a month.", "Nurse", ""],      # 12
            ["", "2024-10", "No indicator.", "Nurse", ""]]                                # 13
    path = write_csv(tmp_path / "bad.csv", rows)
    result = load(engine, path)
    assert not result.ok and result.loaded == 0
    assert problems(result) == [
        (3, "indicator", "constraint-error"),
        (4, "period", "type-error"),
        (5, "period", "type-error"),
        (6, "period", "constraint-error"),
        (7, "commentary", "missing-value"),
        (8, "author", "missing-value"),
        (9, "commentary", "constraint-error"),
        (10, "written_at", "type-error"),
        (11, "written_at", "constraint-error"),
        (12, "period", "type-error"),
        (13, "indicator", "missing-value"),
    ]
    lines = "\n".join(p.line() for p in result.report)
    assert "bad.csv, row 3, column 'indicator': 'iha_in_timescal' is not an indicator id in metrics.yaml" in lines
    assert "did you mean 'iha_in_timescale'?" in lines
    assert "row 4, column 'period': '2024/10' is not a month written YYYY-MM" in lines
    assert f"row 6, column 'period': {future_month} is in the future" in lines
    assert "row 9, column 'commentary': the commentary is 1,001 characters long: commentary is a short " \
           "footnote shown beside the figure, so keep it to 1,000 characters or fewer" in lines
    assert "row 12, column 'period': '2024-10-01' is a date, not a month" in lines
    with store.read_connection(engine) as conn:
        assert store.dump(conn) == before


def test_files_that_are_not_commentary(engine, tmp_path):
    missing_author = write_csv(tmp_path / "no_author.csv", [["indicator", "period", "commentary"],
                                                            ["iha_in_timescale", "2024-10", "Text."]])
    result = load(engine, missing_author)
    assert [(p.code, p.column) for p in result.report.errors] == [("missing-column", None)]
    assert "'Author'" in result.report.errors[0].message
    other = write_csv(tmp_path / "other.csv", [["child_id", "date_of_birth"], ["c1", "2012-01-01"]])
    assert [p.code for p in load(engine, other).report.errors] == ["unknown-dataset"]
    empty = write_csv(tmp_path / "empty.csv", [HEADER])
    assert [p.code for p in load(engine, empty).report.errors] == ["empty-file"]
    (tmp_path / "notes.docx").write_bytes(b"not a table")
    assert [p.code for p in load(engine, tmp_path / "notes.docx").report.errors] == ["file-error"]
    assert stored(engine) == []


def test_reload_skips_duplicates_and_loads_only_what_is_new(engine, tmp_path):
    rows = [HEADER,
            ["iha_in_timescale", "2024-10", "Back in timescale.", "Nurse", "08/11/2024 10:30"],
            ["iha_in_timescale", "2024-10", "Back in timescale.", "Nurse", "08/11/2024 10:30"],  # repeated
            ["missing_episodes", "2024-10", "Usual level.", "Manager", "08/11/2024 11:00"]]
    path = write_csv(tmp_path / "commentary.csv", rows)
    first = load(engine, path)
    assert (first.rows, first.loaded, first.skipped) == (3, 2, 1)
    second = load(engine, path)
    assert (second.loaded, second.skipped) == (0, 3)
    # A revised file: one new version. Another council's commentary is its own.
    rows.append(["iha_in_timescale", "2024-10", "Back in timescale; out of county still slower.", "Nurse",
                 "12/11/2024 09:00"])
    write_csv(path, rows)
    third = load(engine, path)
    assert (third.loaded, third.skipped) == (1, 3)
    assert len(stored(engine)) == 3
    assert latest_commentary(engine, COUNCIL, "2024-10")["iha_in_timescale"]["text"].endswith("still slower.")
    other = load(engine, path, council="E10000098")
    assert (other.loaded, other.skipped) == (3, 1)
    # Going back to the first wording at a later time is a new version, not a duplicate.
    rows.append(["iha_in_timescale", "2024-10", "Back in timescale.", "Nurse", "20/11/2024 09:00"])
    write_csv(path, rows)
    assert load(engine, path).loaded == 1
    assert latest_commentary(engine, COUNCIL, "2024-10")["iha_in_timescale"]["text"] == "Back in timescale."


def test_the_sample_file_loads_cleanly_against_metrics_yaml(engine):
    path = REFERENCE_DIR / "demo_commentary.csv"
    with path.open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    result = load(engine, path, known=catalogue_ids())
    assert result.ok and not list(result.report), [p.line() for p in result.report]
    assert result.loaded == len(sample) >= 10
    periods = {r["period"] for r in stored(engine)}
    assert periods <= {"2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"}
    assert {"2024-10", "2025-03"} <= periods
    assert load(engine, path, known=catalogue_ids()).skipped == len(sample)


def test_cli_add_load_and_list(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_USER", "Head of Service")
    runner = CliRunner()
    added = runner.invoke(main, ["commentary", "add", "--indicator", "iha_in_timescale", "--period", "2025-03",
                                 "--text", "Assessments back in timescale."])
    assert added.exit_code == 0, added.output
    assert "Added comment" in added.output and "by Head of Service" in added.output
    again = runner.invoke(main, ["commentary", "add", "--indicator", "iha_in_timescale", "--period", "2025-03",
                                 "--text", "Assessments back in timescale."])
    assert again.exit_code == 0 and "already says this" in again.output
    other = runner.invoke(main, ["commentary", "add", "--indicator", "visits_in_timescale", "--period", "2025-02",
                                 "--text", "Visits steady.", "--author", "Team Manager", "--council", "E10000098"])
    assert other.exit_code == 0, other.output

    bad = runner.invoke(main, ["commentary", "add", "--indicator", "no_such_thing", "--period", "2025-3",
                               "--text", "x"])
    assert bad.exit_code == 1
    assert bad.output.count("\n") == 1 and bad.output.startswith("Not added: 'no_such_thing' is not an indicator")
    assert "'2025-3' is not a month written YYYY-MM" in bad.output

    loaded = runner.invoke(main, ["commentary", "load", str(REFERENCE_DIR / "demo_commentary.csv")])
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded 13 comments from demo_commentary.csv for E10000099" in loaded.output
    reloaded = runner.invoke(main, ["commentary", "load", str(REFERENCE_DIR / "demo_commentary.csv")])
    assert "Loaded 0 comments" in reloaded.output and "(13 skipped: already loaded)" in reloaded.output

    path = write_csv(tmp_path / "bad.csv", [HEADER, ["iha_in_timescale", "2025-03", "", "Nurse", ""]])
    failed = runner.invoke(main, ["commentary", "load", str(path)])
    assert failed.exit_code == 1
    assert "ERROR bad.csv, row 2, column 'commentary': Commentary is required and is empty" in failed.output
    assert "Nothing loaded: 1 problem in bad.csv; the store is unchanged." in failed.output

    listed = runner.invoke(main, ["commentary", "list", "--indicator", "iha_in_timescale", "--period", "2025-03"])
    assert listed.exit_code == 0, listed.output
    # Every version, the most recently written first: the one added now, then the sample's.
    assert listed.output.index("Head of Service, ") < listed.output.index("Designated Nurse")
    assert "(added by hand)" in listed.output and "(demo_commentary.csv)" in listed.output
    assert "Assessments back in timescale." in listed.output
    neighbour = runner.invoke(main, ["commentary", "list", "--council", "E10000098"])
    assert "Visits steady." in neighbour.output and "Team Manager" in neighbour.output
    none = runner.invoke(main, ["commentary", "list", "--period", "2019-01"])
    assert none.exit_code == 0 and "No commentary stored for E10000099 2019-01." in none.output
    assert runner.invoke(main, ["commentary", "list", "--period", "March"]).exit_code == 2

"""The browser's upload as plain functions (ingest.web_upload) over a fresh store:
the month found from the files and how, the preview of problems or changes, a column
mapped and reused, the load through `scorecard ingest`'s code with its audit events, and
every refusal (bad files, zip bomb, not an xlsx, NULs, too large, the wrong role) leaving
the records unchanged."""
from __future__ import annotations

import base64
import json

import pytest
from builders import (
    CIC_HEADER,
    MISSING_HEADER,
    VISITS_HEADER,
    cic_rows,
    good_month,
    missing_rows,
    visit_rows,
)
from conftest import write_csv, write_xlsx
from export_shapes import plain_shape, write_shape

from ingest import web_upload
from ingest.mappings import MappingError
from scorecard import store
from scorecard.access import Forbidden, Identity, Role

ANALYST = Identity("ann.analyst", Role.ANALYST)
COUNCIL = "E10000099"


def as_upload(*paths) -> tuple[list[str], list[str]]:
    """What dcc.Upload sends: data URLs and file names."""
    return ([f"data:application/octet-stream;base64,{base64.b64encode(p.read_bytes()).decode()}" for p in paths],
            [p.name for p in paths])


def records(engine) -> dict:
    """Everything in the store but the audit log, which records refusals too."""
    with engine.connect() as conn:
        dumped = store.dump(conn)
    dumped.pop("audit_events")
    return dumped


def events(engine, action: str) -> list[dict]:
    with engine.connect() as conn:
        rows = store.audit_rows(conn, action=action)
    return [{**row, "details": json.loads(row["details"])} for row in rows]


@pytest.fixture
def fresh(engine, database_url):
    """A fresh store (SQLite, and PostgreSQL when there is one) that DATABASE_URL names."""
    return engine


def test_a_good_month_is_found_previewed_and_loaded_with_its_audit_events(fresh, tmp_path):
    contents, names = as_upload(*good_month(tmp_path))
    preview = web_upload.check(ANALYST, contents, names)
    assert preview.ok and preview.month == "2019-09" and preview.council == COUNCIL
    assert preview.month_how.startswith("September 2019, found in the files")
    assert "visits.xlsx: every 'Visit Due Date' in its 3 rows (sheet 'Visits') falls in it" in preview.month_clues
    assert "cla.xlsx: the title 'Children looked after at 30/09/2019' (row 1 of sheet 'Report')" in preview.month_clues
    assert {f.name: f.found for f in preview.files}["cla.xlsx"] == ["Children in care (sheet 'Report', 4 rows)"]
    assert "Children in care: 4 records: 4 new; 0 as already stored" in preview.changes
    assert preview.errors == 0 and preview.warnings == 1  # a visit done on 01/10/2019, after the month
    assert records(fresh)["extracts"] == [] and events(fresh, "upload") == []  # a preview writes nothing

    loaded = web_upload.load(ANALYST, contents, names, "2019-09", preview.fingerprint)
    assert loaded.ok, loaded.message
    assert loaded.message.startswith("Loaded 4 datasets, 14 rows for E10000099 September 2019 as extracts 1-4")
    assert [s.split(" (")[0] for s in loaded.stages] == ["Read and checked 4 files", "Wrote 14 rows in one transaction"]
    with fresh.connect() as conn:
        extracts = store.list_extracts(conn, COUNCIL)
    assert sorted(e["dataset"] for e in extracts) == ["children_in_care", "missing_episodes", "return_interviews",
                                                      "visits"]
    assert {e["loaded_by"] for e in extracts} == {"ann.analyst"}
    (event,) = events(fresh, "upload")
    details = event["details"]
    assert event["actor"] == "ann.analyst" and details["status"] == "loaded" and details["months"] == ["2019-09"]
    assert {f["name"]: f["sha256"] for f in details["files"]} == {e["source_file"]: e["sha256"] for e in extracts}
    assert details["datasets"]["visits"]["rows"] == 3 and details["datasets"]["visits"]["changes"]["new"] == 3
    assert details["problems_total"] == len(preview.problems) and details["warnings"] == 1
    assert events(fresh, "supersede") == []

    again = web_upload.check(ANALYST, contents, names)
    assert any("supersedes extract" in line for line in again.changes)
    assert web_upload.load(ANALYST, contents, names, "2019-09", again.fingerprint).ok
    superseded = events(fresh, "supersede")
    assert sorted(e["details"]["superseded"][0] for e in superseded) == [1, 2, 3, 4]


def test_the_month_is_never_guessed(fresh, tmp_path):
    """A children-in-care list alone says nothing of its month (its episodes may all have
    begun long before): the month is asked for, and nothing loads until it is given."""
    plain = write_xlsx(tmp_path / "cla.xlsx", {"CLA": [CIC_HEADER, *cic_rows()]})
    contents, names = as_upload(plain)
    preview = web_upload.check(ANALYST, contents, names)
    assert not preview.ok and preview.month is None and preview.month_clues == []
    assert preview.problems[0]["code"] == "missing-period"
    assert "could not be found in the files' names, titles or dates" in preview.month_how
    assert web_upload.load(ANALYST, contents, names, "", preview.fingerprint).ok is False

    typed = web_upload.check(ANALYST, contents, names, "2019-9")
    assert typed.ok and typed.month == "2019-09" and typed.month_how == "September 2019, as you gave it."
    assert events(fresh, "upload") == []  # asking for the month is not a refusal of the files

    wrong = web_upload.check(ANALYST, contents, names, "Sept")
    assert not wrong.ok and "'Sept' is not a month written YYYY-MM" in wrong.month_how


def test_files_that_name_different_months_are_not_given_one(fresh, tmp_path):
    folder = tmp_path / "october"
    folder.mkdir()
    cla = write_xlsx(folder / "cla_2019-10.xlsx", {"CLA": [CIC_HEADER, *cic_rows()]})
    visits = write_xlsx(folder / "visits.xlsx", {"Visits": [VISITS_HEADER, *visit_rows()[:2]]})
    preview = web_upload.check(ANALYST, *as_upload(cla, visits))
    assert preview.month is None and not preview.ok
    assert "name different months (September 2019, October 2019)" in preview.month_how
    typed = web_upload.check(ANALYST, *as_upload(cla, visits), "2019-10")
    assert "The files suggest September 2019: check that the month is right." in typed.month_how


def test_a_bad_file_shows_every_problem_and_leaves_the_store_unchanged(fresh, tmp_path):
    rows = missing_rows()
    rows[1][3] = "not a date"
    rows[2][1] = None
    bad = write_csv(tmp_path / "missing_2019-09.csv", [MISSING_HEADER, *rows])
    contents, names = as_upload(bad)
    before = records(fresh)
    preview = web_upload.check(ANALYST, contents, names)
    assert not preview.ok and preview.month == "2019-09"
    errors = [p for p in preview.problems if p["severity"] == "error"]
    assert {(p["file"], p["row"], p["column"]) for p in errors} >= {
        ("missing_2019-09.csv", 3, "Date Reported Missing"), ("missing_2019-09.csv", 4, "Child ID")}
    assert any(p["value"] == "not a date" for p in errors)

    loaded = web_upload.load(ANALYST, contents, names, "2019-09", preview.fingerprint)
    assert not loaded.ok and "Nothing loaded" in loaded.message and loaded.problems
    assert records(fresh) == before
    refused = events(fresh, "upload")
    assert [e["details"]["status"] for e in refused] == ["refused", "refused"]  # the check, and the attempt to load
    assert refused[0]["details"]["errors"] == len(errors) and refused[0]["details"]["problems"][0]["severity"] == "error"


def test_the_audit_keeps_200_problems_and_counts_them_all(fresh, tmp_path):
    rows = [[f"C{i:03d}", "2010-01-01", "X", "WBRI", "N", "C2", "2018-01-05", "2018-01-05", None, "S", None, "U4",
             "PR1", "Y", 3, "North"] for i in range(260)]
    bad = write_xlsx(tmp_path / "cla_2019-09.xlsx", {"CLA": [CIC_HEADER[:16], *rows]})
    preview = web_upload.check(ANALYST, *as_upload(bad))
    assert preview.errors >= 260
    (event,) = events(fresh, "upload")
    assert len(event["details"]["problems"]) == 200 and event["details"]["problems_total"] == len(preview.problems)


def test_the_data_quality_page_reads_the_uploads_as_recorded(fresh, tmp_path):
    """The audit events' details are the data-quality page's list of loads and refusals."""
    from scorecard.metrics.data_quality import refused_uploads

    rows = [[f"C{i:03d}", "2010-01-01", "X", "WBRI", "N", "C2", "2018-01-05", "2018-01-05", None, "S", None, "U4",
             "PR1", "Y", 3, "North"] for i in range(260)]
    web_upload.check(ANALYST, *as_upload(write_xlsx(tmp_path / "cla_2019-09.xlsx", {"CLA": [CIC_HEADER[:16], *rows]})))
    contents, names = as_upload(*good_month(tmp_path))
    web_upload.load(ANALYST, contents, names, "2019-09", web_upload.check(ANALYST, contents, names).fingerprint)
    with fresh.connect() as conn:
        section = refused_uploads(store.audit_rows(conn, action="upload"), COUNCIL)
    summary = section.summary.set_index("status")
    assert section.found == 1 and summary.loc["refused", "files"] == "cla_2019-09.xlsx"
    assert summary.loc["refused", "problems"] > summary.loc["refused", "problems_listed"] == 200
    assert summary.loc["loaded", "files"] == "cla.xlsx; missing.csv; rhi.csv; visits.xlsx"


def test_the_load_is_refused_when_the_files_or_month_changed_since_the_check(fresh, tmp_path):
    contents, names = as_upload(*good_month(tmp_path))
    preview = web_upload.check(ANALYST, contents, names)
    changed = web_upload.load(ANALYST, contents[:2], names[:2], "2019-09", preview.fingerprint)
    assert not changed.ok and "changed since they were checked" in changed.message
    other_month = web_upload.load(ANALYST, contents, names, "2019-10", preview.fingerprint)
    assert not other_month.ok and records(fresh)["extracts"] == []


EXPORT_HEADER = ["Episode No", "Child ID", "CLA", "Date Went AWOL", "Date Found"]
EXPORT_ROWS = [["M1", "C1", "Y", "02/09/2019 21:30", "03/09/2019 08:15"],
               ["M2", "C2", "N", "12/09/2019 18:00", "13/09/2019 09:00"]]


def test_an_unknown_column_is_mapped_saved_in_versions_and_used_by_the_next_upload(fresh, tmp_path):
    export = write_csv(tmp_path / "missing_2019-09.csv", [EXPORT_HEADER, *EXPORT_ROWS])
    preview = web_upload.check(ANALYST, *as_upload(export))
    assert not preview.ok
    (sheet,) = preview.choices
    assert sheet.dataset == "missing_episodes" and "missing_from" in sheet.missing
    suggested = {c.header: c.suggested for c in sheet.headers}
    assert suggested["Date Went AWOL"] == "missing_from"
    assert ("missing_from", "Missing From (missing_from): required, missing") in sheet.options

    saved = web_upload.save_mapping(ANALYST, [("missing_episodes", "Date Went AWOL", "missing_from"),
                                               ("missing_episodes", "Episode No", "episode_id")])
    assert saved.startswith("Saved version 2 of the mapping for missing_episodes")
    (event,) = events(fresh, "mapping")
    assert event["details"]["before"] is None
    assert "'Date Went AWOL' -> missing_from" in event["details"]["after"]["columns"]

    again = web_upload.check(ANALYST, *as_upload(export))
    assert again.ok, again.problems[:3]
    assert again.mappings_used[0].startswith("missing_episodes: E10000099's saved mapping, version 2")
    assert web_upload.load(ANALYST, *as_upload(export), "2019-09", again.fingerprint).ok

    october = write_csv(tmp_path / "missing_2019-10.csv", [EXPORT_HEADER, ["M3", "C1", "Y", "05/10/2019 10:00", None]])
    next_month = web_upload.check(ANALYST, *as_upload(october))
    assert next_month.ok and next_month.month == "2019-10" and next_month.mappings_used
    (loaded,) = [e for e in events(fresh, "upload") if e["details"]["status"] == "loaded"]
    assert loaded["details"]["datasets"]["missing_episodes"]["mapping_version"] == 2

    web_upload.save_mapping(ANALYST, [("missing_episodes", "Date Found", "found_at")])
    changed = events(fresh, "mapping")[0]["details"]
    assert changed["before"]["version"] == 2 and changed["after"]["version"] == 3


def test_a_bad_mapping_is_refused_and_nothing_is_saved(fresh):
    with pytest.raises(MappingError, match="both chosen for missing_from"):
        web_upload.save_mapping(ANALYST, [("missing_episodes", "A", "missing_from"),
                                           ("missing_episodes", "B", "missing_from")])
    with pytest.raises(MappingError, match="has no field 'nonsense'"):
        web_upload.save_mapping(ANALYST, [("missing_episodes", "Date Went AWOL", "missing_from"),
                                           ("missing_episodes", "X", "nonsense")])
    with pytest.raises(MappingError, match="choose a field"):
        web_upload.save_mapping(ANALYST, [("missing_episodes", "X", "")])
    assert records(fresh)["column_mappings"] == [] and events(fresh, "mapping") == []


def test_an_ssda903_return_is_given_its_collection_year_from_its_latest_date(fresh, tmp_path):
    from ssda903_returns import write_return

    contents, names = as_upload(*write_return(tmp_path / "903", "2019-20"))
    preview = web_upload.check(ANALYST, contents, names)
    assert preview.ok and preview.month == "2020-03"
    assert "An SSDA903 return is loaded for the collection year 2019-20" in preview.month_how
    assert any("latest date is in the collection year 2019-20" in clue for clue in preview.month_clues)
    loaded = web_upload.load(ANALYST, contents, names, preview.month, preview.fingerprint)
    assert loaded.ok, loaded.message
    with fresh.connect() as conn:
        spans = {(e["first_month"], e["last_month"]) for e in store.list_extracts(conn, COUNCIL)}
    assert ("2019-04", "2020-03") in spans and spans <= {("2019-04", "2020-03"), ("2020-03", "2020-03")}  # OC2: at 31 March


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exports_of_several_shapes_are_recognised_for_the_month_typed(fresh, tmp_path, seed):
    written = write_shape(plain_shape("visits", seed), tmp_path)
    preview = web_upload.check(ANALYST, *as_upload(written.path), "2019-09")
    assert {f.name: f.found for f in preview.files}[written.path.name][0].startswith("Statutory visits")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_only_analysts_may_check_load_or_map(fresh, tmp_path, role):
    who = Identity(f"someone.{role.value}", role)
    contents, names = as_upload(*good_month(tmp_path))
    with pytest.raises(Forbidden, match="this needs the upload permission"):
        web_upload.check(who, contents, names)
    with pytest.raises(Forbidden, match="this needs the upload permission"):
        web_upload.load(who, contents, names, "2019-09", "x")
    with pytest.raises(Forbidden, match="this needs the mappings permission"):
        web_upload.save_mapping(who, [("missing_episodes", "Date Went AWOL", "missing_from")])
    assert records(fresh)["extracts"] == [] and events(fresh, "upload") == []


def _bomb(tmp_path):
    from test_upload_guard import _with_sheet, bomb_chunks

    path = tmp_path / "cla_2019-09.xlsx"
    path.write_bytes(_with_sheet(write_xlsx(path, {"CLA": [CIC_HEADER, *cic_rows()]}).read_bytes(), bomb_chunks(200)))
    return path, "is it a zip bomb?"


def _not_xlsx(tmp_path):
    path = tmp_path / "cla_2019-09.xlsx"
    path.write_text(",".join(CIC_HEADER) + "\n")
    return path, "is named .xlsx but is text, not an Excel workbook"


def _nul_csv(tmp_path):
    path = tmp_path / "missing_2019-09.csv"
    path.write_bytes((",".join(MISSING_HEADER) + "\n").encode() * 400 + b"M1,C1,\x00Y\n")
    return path, "contains a NUL character (line 401)"


def _oversized(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.001")
    return good_month(tmp_path)[0], "the upload limit is 0 MB (SCORECARD_MAX_UPLOAD_MB)"


@pytest.mark.parametrize("make", [_bomb, _not_xlsx, _nul_csv, _oversized])
def test_a_dangerous_or_wrong_file_is_refused_and_the_store_is_unchanged(fresh, tmp_path, monkeypatch, make):
    contents, names = as_upload(*good_month(tmp_path / "loaded"))
    assert web_upload.load(ANALYST, contents, names, "2019-09", web_upload.check(ANALYST, contents, names).fingerprint).ok
    before = records(fresh)
    path, message = make(tmp_path, monkeypatch) if make is _oversized else make(tmp_path)
    preview = web_upload.check(ANALYST, *as_upload(path), "2019-09")
    assert not preview.ok
    assert any(message in p["message"] and p["file"] in (path.name, web_upload.UPLOAD_FILE)
               for p in preview.problems), preview.problems[:3]
    loaded = web_upload.load(ANALYST, *as_upload(path), "2019-09", preview.fingerprint)
    assert not loaded.ok and records(fresh) == before
    assert events(fresh, "upload")[0]["details"]["status"] == "refused"


def test_the_preview_and_outcome_render_as_components(fresh, tmp_path):
    """The page's components are built from these results without Dash running a callback."""
    from scorecard.ui import upload_layout

    export = write_csv(tmp_path / "missing_2019-09.csv", [EXPORT_HEADER, *EXPORT_ROWS])
    preview = web_upload.check(ANALYST, *as_upload(export))
    rendered = str(upload_layout.preview_section(preview))
    assert "Cannot be loaded as it is" in rendered and "Field for the column 'Date Went AWOL'" in rendered
    contents, names = as_upload(*good_month(tmp_path))
    good = web_upload.check(ANALYST, contents, names)
    assert "Ready to load: 14 rows" in str(upload_layout.preview_section(good))
    loaded = web_upload.load(ANALYST, contents, names, "2019-09", good.fingerprint)
    assert "Wrote 14 rows in one transaction" in str(upload_layout.loaded_section(loaded))

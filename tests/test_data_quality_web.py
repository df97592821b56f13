"""The data-quality page: its components from plain functions, its CSV downloads, and the
page through the Flask test client and a real Chromium on the demo county, as an analyst
(shown) and as a manager or viewer (refused)."""
from __future__ import annotations

import base64
import json
import time

import pandas as pd
import pytest
from browser_support import call_callback, csrf_header, find_dependency
from data_quality_stores import COUNCIL, known_metrics, known_store

from scorecard import store
from scorecard.access import REFUSED_ID, Forbidden, Identity, Role, acting_as
from scorecard.metrics.data_quality import SECTION_KEYS, Section, data_quality
from scorecard.ui.data_quality_view import (
    BUTTON_TYPE,
    DOWNLOAD_ID,
    PERIOD_ID,
    data_quality_layout,
    found_text,
    section_block,
    section_download,
)

ANALYST = Identity("ana", Role.ANALYST)


def _text(component) -> str:
    """The component tree as the renderer receives it, as JSON text."""
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(component, cls=PlotlyJSONEncoder)


def _csv(download: dict) -> str:
    return base64.b64decode(download["content"]).decode("utf-8-sig")


def test_an_empty_section_says_none_found():
    empty = Section("history", "Figures flagged", "Why.", pd.DataFrame(columns=["indicator"]), pd.DataFrame(), 0)
    assert found_text(empty) == "None found."
    shown = _text(section_block(empty))
    assert "None found." in shown and "<table" not in shown and "Table" not in shown
    one = Section("freshness", "Freshness", "Why.", pd.DataFrame({"dataset": ["Visits"]}), None, 1)
    assert found_text(one) == "1 dataset with months missing."


def test_csv_downloads_keep_formulas_as_text(engine):
    known_store(engine)
    with store.write_transaction(engine) as conn:
        store.record_event(conn, "ana", "upload", council=COUNCIL, details={
            "status": "refused", "files": ["=HYPERLINK(\"x\").csv"],
            "problems": [{"file": "cla.csv", "row": -3, "column": "@SUM", "value": "=1+1", "message": "+bad",
                          "severity": "error"}]})
    metrics = known_metrics(engine)
    problems = _csv(section_download(ANALYST, metrics, "uploads", "records"))
    assert "'=1+1" in problems and "'@SUM" in problems and "'+bad" in problems
    assert ",-3," in problems                       # a negative number stays a number
    counts = _csv(section_download(ANALYST, metrics, "uploads", "summary"))
    assert "'=HYPERLINK" in counts
    with store.read_connection(engine) as conn:   # each export is in the audit log
        exports = store.audit_rows(conn, action="export")
    assert [(e["actor"], e["subject"], json.loads(e["details"])["rows"]) for e in exports] == [
        ("ana", "data quality: uploads and their problems (summary)", 1),
        ("ana", "data quality: uploads and their problems (records)", 1)]
    blanks = section_download(ANALYST, metrics, "completeness", "records")
    assert blanks["filename"] == f"data-quality-{COUNCIL}-completeness-records-2024-03.csv"
    lines = _csv(blanks).splitlines()
    assert lines[0] == "Dataset,Field,Child ID,Record,Extract,Row in file,Field in the file"
    assert len(lines) == 1 + 6
    with pytest.raises(LookupError):
        section_download(ANALYST, metrics, "no-such-section")
    with pytest.raises(LookupError):
        section_download(ANALYST, metrics, "loads", "records")   # each load is its own record: counts only


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_plain_functions_refuse_viewers_and_managers(engine, role):
    known_store(engine)
    who = Identity("someone", role)
    with pytest.raises(Forbidden):
        data_quality_layout(who, known_metrics(engine))
    with pytest.raises(Forbidden):
        section_download(who, known_metrics(engine), "freshness")


def test_the_known_store_on_the_page(engine):
    known_store(engine)
    page = _text(data_quality_layout(ANALYST, known_metrics(engine), "2024-01"))
    for key in SECTION_KEYS:
        assert f'"dq-{key}"' in page
    assert "6 records that disagree." in page and "4 datasets with months missing." in page
    assert "Child ID" in page and "C3" in page
    # January asked for, as the address says: the records January's files list (C1, C2 and
    # C4; both visits), in the version January's figures read, which for C1 and C2 is
    # March's, with its five blanks; C4's record and January's visits have none.
    assert "5 blank fields." in page
    assert "Records in the files covering 2024-01." in page and "page-notice" not in page
    elsewhere = _text(data_quality_layout(ANALYST, known_metrics(engine), "2023-01"))
    assert "There are no figures for 2023-01; blank fields are counted for March 2024." in elsewhere


# --- the demo county --------------------------------------------------------------------------

@pytest.mark.slow
def test_every_section_builds_on_the_demo_store(metrics):
    started = time.perf_counter()
    report = data_quality(ANALYST, metrics)
    took = time.perf_counter() - started
    assert [s.key for s in report.sections] == list(SECTION_KEYS) and report.period == "2025-03"
    assert len(report.section("loads").summary) == len(metrics.records.extracts)
    assert (report.section("freshness").summary["latest_month"] == "2025-03").all()
    assert report.section("reconciliation").summary["checked"].sum() > 0
    page = _text(data_quality_layout(ANALYST, metrics))
    assert all(s.title in page for s in report.sections)
    # The page is built on every visit: it must not cost much more than the scorecard does.
    started = time.perf_counter()
    metrics.scorecard("2025-03")
    print(f"data quality {took:.3f}s; scorecard {time.perf_counter() - started:.3f}s")


@pytest.mark.slow
def test_page_layout_refuses_without_the_permission(demo_app):
    from scorecard.pages.data_quality import layout

    for role in (Role.VIEWER, Role.MANAGER):
        with acting_as(Identity("someone", role)):
            assert _text(layout()).count(REFUSED_ID) == 1
    with acting_as(None):
        assert "Please sign in." in _text(layout())
    with acting_as(ANALYST):
        assert "Every load" in _text(layout())


def _page(client, search: str = "") -> str:
    """The page as Dash's router renders it, as JSON text."""
    return json.dumps(call_callback(client, "_pages_content.children", {
        "_pages_location.pathname": "/data-quality", "_pages_location.search": search}))


def _download(client, section: str, part: str) -> tuple[int, dict]:
    button = {"type": BUTTON_TYPE, "section": section, "part": part}
    output = find_dependency(client, f"{DOWNLOAD_ID}.data")["output"]
    body = {"output": output, "outputs": {"id": DOWNLOAD_ID, "property": "data"},
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "state": [{"id": PERIOD_ID, "property": "value", "value": "2025-03"}],
            "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"]}
    response = client.post("/_dash-update-component", json=body, headers=csrf_header(client))
    return response.status_code, (response.get_json() or {}) if response.status_code == 200 else {}


@pytest.mark.slow
def test_analyst_sees_the_page_through_dash(client_as):
    page = _page(client_as("analyst"), "?period=2025-02")
    for title in ("Every load", "Uploads and their problems", "How up to date each dataset is",
                  "Blank fields the figures depend on", "Datasets that disagree",
                  "Records that disappeared between loads", "Figures flagged for incomplete history"):
        assert title in page
    assert "None found." in page and "Records in the files covering 2025-02." in page
    status, answer = _download(client_as("analyst"), "freshness", "summary")
    assert status == 200
    data = answer["response"][DOWNLOAD_ID]["data"]
    assert data["filename"] == "data-quality-E10000099-freshness-summary.csv"
    assert base64.b64decode(data["content"]).decode("utf-8-sig").startswith("Dataset,First month,Latest month")


@pytest.mark.slow
@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_manager_and_viewer_are_refused(client_as, role):
    page = _page(client_as(role))
    assert "Not available to you" in page and "Every load" not in page
    status, _ = _download(client_as(role), "freshness", "summary")
    assert status == 403


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_in_chromium(page_as):
    from browser_support import assert_accessible, screenshot, wait_for_dash

    page = page_as("analyst")
    page.goto("/data-quality")
    wait_for_dash(page)
    assert page.locator("h1").inner_text() == "Data quality"
    assert page.locator("h2").count() == len(SECTION_KEYS)
    page.locator("#dq-completeness-found").wait_for()
    screenshot(page, "data-quality")
    assert_accessible(page, "/data-quality")
    with page.expect_download() as download:
        page.locator("#dq-freshness ~ div button", has_text="Download the counts").click()
    assert download.value.suggested_filename == "data-quality-E10000099-freshness-summary.csv"
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        assert saved.readline().startswith("Dataset,First month,Latest month")
    refused = page_as("manager")
    refused.goto("/data-quality")
    wait_for_dash(refused)
    assert refused.locator(f"#{REFUSED_ID}").count() == 1


def test_an_empty_store_has_a_page_saying_so(engine):
    page = _text(data_quality_layout(ANALYST, known_metrics(engine)))
    assert "Nothing has been loaded yet." in page and "No month has figures yet" in page
    assert page.count("None found.") == len(SECTION_KEYS) - 1   # freshness lists every dataset as never loaded
    assert "6 datasets with months missing." in page

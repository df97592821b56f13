"""The upload page over HTTP: its callbacks called as the Dash renderer calls them, signed
in as an analyst (allowed) and as a viewer or manager (refused), and the whole flow in a
headless Chromium.

Loading changes the store, so these tests sign in as an analyst of another council
than the demo county's (a user added here): the demo county's figures, which the other
web tests read from the same session's store, stay as they were.
"""
from __future__ import annotations

import base64
import json

import pytest
from browser_support import (
    assert_accessible,
    call_callback,
    dash_dependencies,
    screenshot,
    sign_in_browser,
    wait_for_dash,
)
from builders import MISSING_HEADER, good_month, missing_rows
from conftest import DEMO_PASSWORD, signed_in_client, write_csv

from scorecard import store

COUNCIL = "E10000016"
PREVIEW = "upload-preview.children"


def as_upload(*paths) -> tuple[list[str], list[str]]:
    return ([f"data:application/octet-stream;base64,{base64.b64encode(p.read_bytes()).decode()}" for p in paths],
            [p.name for p in paths])


def council_extracts() -> list[dict]:
    with store.read_connection(store.engine()) as conn:
        return store.list_extracts(conn, COUNCIL)


@pytest.fixture(scope="module")
def other_council_analyst(demo_app) -> str:
    """An analyst of another council, added to the session's demo store once."""
    from scorecard.access.accounts import add_user

    username = "upload-analyst"
    with store.read_connection(store.engine()) as conn:
        exists = store.user_row(conn, username) is not None
    if not exists:
        add_user(store.engine(), username, "analyst", "Upload Analyst", password=DEMO_PASSWORD, council=COUNCIL)
    return username


@pytest.fixture(scope="module")
def analyst_client(demo_app, other_council_analyst):
    return signed_in_client(demo_app, other_council_analyst)


def load_callback(client) -> dict:
    """The load's callback (it shares an output with the check's, so is found by its own)."""
    return next(d for d in dash_dependencies(client) if d["output"].startswith("..upload-result.children@"))


def check(client, contents, names, month=None, trigger="upload-files.contents", expect_status=None):
    return call_callback(client, PREVIEW, inputs={"upload-files.contents": contents},
                         state={"upload-files.filename": names, "upload-month.value": month},
                         changed=[trigger], expect_status=expect_status)


def test_an_analyst_checks_and_loads_through_the_callbacks(analyst_client, tmp_path):
    contents, names = as_upload(*good_month(tmp_path))
    before = len(council_extracts())
    answer = check(analyst_client, contents, names)
    preview = json.dumps(answer["upload-preview"]["children"])
    assert "Ready to load" in preview and f"({COUNCIL})" in preview
    assert answer["upload-month"]["value"] == "2019-09" and answer["upload-load"]["disabled"] is False
    fingerprint = answer["upload-fingerprint"]["data"]

    loaded = call_callback(analyst_client, load_callback(analyst_client), inputs={"upload-load.n_clicks": 1},
                           state={"upload-files.contents": contents, "upload-files.filename": names,
                                  "upload-month.value": "2019-09", "upload-fingerprint.data": fingerprint})
    assert "Loaded 4 datasets, 14 rows for E10000016 September 2019" in json.dumps(loaded)
    assert len(council_extracts()) == before + 4


def test_the_page_and_its_callbacks_refuse_viewers_and_managers(client_as, analyst_client, tmp_path):
    contents, names = as_upload(*good_month(tmp_path))
    for role in ("viewer", "manager"):
        client = client_as(role)
        check(client, contents, names, expect_status=403)
        call_callback(client, load_callback(client), inputs={"upload-load.n_clicks": 1},
                      state={"upload-files.contents": contents, "upload-files.filename": names,
                             "upload-month.value": "2019-09", "upload-fingerprint.data": "x"}, expect_status=403)
        call_callback(client, "upload-mapping-saved.data", inputs={"upload-save-mapping.n_clicks": 1},
                      expect_status=403)
        page = call_callback(client, "_pages_content.children", inputs={"_pages_location.pathname": "/upload",
                                                                         "_pages_location.search": ""})
        assert "Not available to you" in json.dumps(page) and "upload-files" not in json.dumps(page)
    page = call_callback(analyst_client, "_pages_content.children", inputs={"_pages_location.pathname": "/upload",
                                                                           "_pages_location.search": ""})
    assert "upload-files" in json.dumps(page)


def test_a_manager_may_not_save_a_mapping_even_with_a_forged_form(client_as):
    ids = [{"type": "upload-map", "dataset": "missing_episodes", "header": "Date Went AWOL", "sheet": "x|"}]
    call_callback(client_as("manager"), "upload-mapping-saved.data", inputs={"upload-save-mapping.n_clicks": 1},
                  state=[["missing_from"], ids], expect_status=403)
    with store.read_connection(store.engine()) as conn:
        assert "missing_episodes" not in store.current_mappings(conn, "E10000099")


EXPORT_HEADER = ["Episode No", "Child ID", "CLA", "Date Went AWOL", "Date Found"]


@pytest.mark.browser
def test_upload_end_to_end_in_a_browser(page_as, other_council_analyst, tmp_path):
    """A good month loaded; a bad file whose problems are shown and which leaves the store
    unchanged; a column mapped there, and the mapping used by the next upload."""
    page = page_as(None)
    sign_in_browser(page.context, other_council_analyst, DEMO_PASSWORD)
    page.goto("/upload")
    wait_for_dash(page)
    chooser = page.locator("#upload-files input[type=file]")
    opened = []
    page.on("filechooser", lambda dialog: opened.append(dialog))
    page.get_by_text("choose them").click()  # the drop zone opens the file chooser, once
    page.wait_for_timeout(500)
    assert len(opened) == 1 and opened[0].is_multiple()
    verdict = page.locator("#upload-verdict")

    def drop(*paths) -> None:
        """Choose the files, and wait for their check (not the previous files' verdict)."""
        chooser.set_input_files([str(p) for p in paths])
        page.locator("#upload-file-table").get_by_text(paths[-1].name, exact=True).wait_for()

    good = tmp_path / "good"
    good.mkdir()
    drop(*good_month(good))
    verdict.get_by_text("Ready to load").wait_for()
    assert page.locator("#upload-month").input_value() == "2019-09"
    assert "found in the files" in page.locator("#upload-month-found").inner_text()
    loaded_before = len(council_extracts())
    page.get_by_role("button", name="Load these files").click()
    page.locator("#upload-outcome").get_by_text("Loaded 4 datasets").wait_for()
    assert len(council_extracts()) == loaded_before + 4

    rows = missing_rows()
    rows[1][3] = "not a date"
    bad = write_csv(tmp_path / "missing_bad_2019-09.csv", [MISSING_HEADER, *rows])
    drop(bad)
    verdict.get_by_text("Cannot be loaded").wait_for()
    problems = page.locator("#upload-problems")
    assert "not a date" in problems.inner_text() and "Date Reported Missing" in problems.inner_text()
    assert page.get_by_role("button", name="Load these files").is_disabled()
    screenshot(page, "upload-problems")
    assert len(council_extracts()) == loaded_before + 4

    export = write_csv(tmp_path / "missing_export_2019-10.csv",
                       [EXPORT_HEADER, ["M10", "C001", "Y", "02/10/2019 21:30", "03/10/2019 08:15"]])
    drop(export)
    verdict.get_by_text("Cannot be loaded").wait_for()
    awol = page.get_by_label("Field for the column 'Date Went AWOL'")
    assert awol.input_value() == "missing_from"  # suggested, not yet saved
    page.get_by_label("Field for the column 'Episode No'").select_option("episode_id")
    screenshot(page, "upload-mapping")
    assert_accessible(page, "the upload page with its problems and mapping form")
    page.get_by_role("button", name="Save the mapping and check again").click()
    page.locator("#upload-mapping-outcome").get_by_text("Saved version").wait_for()
    verdict.get_by_text("Ready to load").wait_for()
    page.get_by_role("button", name="Load these files").click()
    page.locator("#upload-outcome").get_by_text("Loaded 1 dataset,").wait_for()

    november = write_csv(tmp_path / "missing_export_2019-11.csv",
                         [EXPORT_HEADER, ["M11", "C001", "Y", "05/11/2019 21:30", "06/11/2019 08:15"]])
    drop(november)
    verdict.get_by_text("Ready to load").wait_for()
    assert f"{COUNCIL}'s saved mapping, version" in page.locator("#upload-changes").inner_text()
    assert page.locator("#upload-month").input_value() == "2019-11"
    screenshot(page, "upload-mapping-reused")

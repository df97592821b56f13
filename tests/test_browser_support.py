"""The web-test infrastructure works end to end: the demo store behind the app, the Flask
test client driving Dash callbacks, a live server and a real headless Chromium with
axe-core and screenshots. The checks are generic so they hold whatever the home page shows."""
from __future__ import annotations

import json

import pytest
from browser_support import (
    SCREENSHOT_DIR,
    assert_accessible,
    axe_violations,
    call_callback,
    dash_dependencies,
    dash_layout_json,
    find_dependency,
    screenshot,
    wait_for_dash,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_the_test_client_serves_the_app_over_the_demo_store(demo_client, demo_database_url):
    assert demo_client.get("/").status_code == 200
    assert dash_layout_json(demo_client)
    assert any("_pages_content.children" in d["output"] for d in dash_dependencies(demo_client))
    from sqlalchemy import create_engine, text

    with create_engine(demo_database_url).connect() as conn:
        assert conn.execute(text("select count(*) from extracts")).scalar() > 0


@pytest.mark.slow
def test_call_callback_drives_the_page_router(demo_client):
    home = call_callback(demo_client, "_pages_content.children",
                         {"_pages_location.pathname": "/", "_pages_location.search": ""})
    assert "children" in home["_pages_content"]
    assert json.dumps(home["_pages_content"]["children"]) not in ("null", "[]", '""')

    for path in ("/glossary", "/no-such-page-at-all"):
        # The full output string and values in the callback's order work too.
        dep = find_dependency(demo_client, "_pages_content.children")
        answer = call_callback(demo_client, dep["output"], [path, ""])
        assert "_pages_content" in answer, (path, answer)


@pytest.mark.slow
def test_call_callback_explains_a_callback_that_does_not_exist(demo_client):
    with pytest.raises(LookupError, match="no callback writes 'nothing-here.children'"):
        call_callback(demo_client, "nothing-here.children", {})
    with pytest.raises(KeyError, match="not inputs of this callback"):
        call_callback(demo_client, "_pages_content.children", {"_pages_location.hash": ""})


@pytest.mark.slow
@pytest.mark.browser
def test_the_home_page_in_a_real_browser(page, page_errors):
    response = page.goto("/")
    assert response is not None and response.status == 200
    wait_for_dash(page)
    assert page.title().strip()
    assert page.locator("#react-entry-point").inner_text().strip()
    assert page.locator("._dash-loading, ._dash-loading-callback").count() == 0
    assert not [e for e in page_errors if e.startswith(("HTTP", "uncaught"))], page_errors

    violations = axe_violations(page)
    assert isinstance(violations, list)
    assert all({"id", "impact", "help", "nodes"} <= set(v) for v in violations)

    path = screenshot(page, "browser-support-home")
    assert path == SCREENSHOT_DIR / "browser-support-home.png"
    assert path.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.slow
@pytest.mark.browser
def test_assert_accessible_reports_what_is_wrong(page):
    page.set_content('<html lang="en"><head><title>Clean</title></head>'
                     "<body><main><h1>Nothing wrong here</h1></main></body></html>")
    assert_accessible(page, "a clean page")
    assert axe_violations(page, context="main") == []

    page.set_content('<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
                     '<img src="chart.png" id="chart"><input type="text" id="search"></main></body></html>')
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page, "a broken page")
    report = str(failed.value)
    assert "on a broken page" in report
    assert "image-alt" in report and "#chart" in report and "<img" in report
    assert "label" in report and "#search" in report
    assert [v["id"] for v in axe_violations(page, disable=["image-alt", "label"])] == []

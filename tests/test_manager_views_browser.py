"""A head of service in a real headless Chromium: the indicator page says it is not for
publication, its link leads to the records behind the figure (an accessible page with the
list and its CSV); a viewer has no such link and is refused the address."""
from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, screenshot, wait_for_dash

from scorecard.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DOWNLOADS = PROJECT_ROOT / "test-output" / "downloads"


def test_a_manager_follows_a_figure_to_its_records_and_downloads_them(page_as, page_errors):
    page = page_as("manager")
    page.goto("/indicator/placed_out_of_area?period=2025-03")
    wait_for_dash(page)
    assert page.locator("#not-for-publication").inner_text().startswith("Not for publication")
    page.click("#records-link")
    page.wait_for_url(re.compile(r"/records/placed_out_of_area\?period=2025-03"))
    wait_for_dash(page)
    assert page.locator("#records-totals").inner_text() == (
        "209 records counted; 705 records listed in all (the denominator).")
    page.locator("#records-grid .ag-row").first.wait_for()
    screenshot(page, "records-placed_out_of_area-2025-03")
    assert_accessible(page, "the records behind a figure")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    with page.expect_download() as download:
        page.click("#records-csv")
    assert download.value.suggested_filename.endswith("-2025-03-not-for-publication.csv")
    path = DOWNLOADS / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_text(encoding="utf-8-sig").count("\n") == 706  # the header and 705 records


def test_a_viewer_has_no_records_link_and_is_refused_the_records_page(page_as):
    page = page_as("viewer")
    page.goto("/indicator/placed_out_of_area?period=2025-03")
    wait_for_dash(page)
    assert page.locator("#records-link").count() == 0
    assert page.locator("#not-for-publication").count() == 0
    page.goto("/records/placed_out_of_area?period=2025-03")
    wait_for_dash(page)
    assert page.locator("h1").inner_text() == "Not available to you"
    assert page.locator("#records-grid").count() == 0

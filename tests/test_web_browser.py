"""The app as a councillor uses it, in a real headless Chromium: open the scorecard, change
the month, follow an indicator, change the breakdown, download the packs. What the page
shows is checked against `scorecard report`, and every page against axe-core's WCAG 2.2
AA rules. Screenshots land in test-output/screenshots/."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browser_support import assert_accessible, screenshot, wait_for_dash

from scorecard import store
from scorecard.metrics import council_metrics, describe, report_table
from scorecard.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNCIL = "E10000099"
DOWNLOADS = PROJECT_ROOT / "test-output" / "downloads"


@pytest.fixture(scope="module")
def reported(demo_database_url):
    metrics = council_metrics(store.engine(demo_database_url), COUNCIL)

    def rows(period: str) -> dict[str, dict]:
        return {r["indicator"]: r for r in report_table(metrics, period, public=True).to_dict("records")}
    return rows


def assert_rows_match_report(page, rows: dict[str, dict]) -> None:
    for indicator, row in rows.items():
        shown = page.locator(f"#row-{indicator}").first.inner_text()
        if row["value_shown"]:
            assert row["value_shown"] in shown, (indicator, row["value_shown"], shown)
        assert (describe(row["rag"]) if row["rag"] else "Not rated") in shown, (indicator, row["rag"], shown)


def open_page(page, path: str) -> None:
    page.goto(path)
    wait_for_dash(page)


def choose(page, form: str, field: str, value: str) -> None:
    """Pick an option in a page's form and press its button, as a user does; wait for the new URL."""
    page.select_option(f"#{form}-{field}", value)
    page.click(f"#{form}-form-show")
    page.wait_for_url(re.compile(f"{field}={value}"))
    wait_for_dash(page)


def test_scorecard_month_indicator_and_breakdown(page, page_errors, reported):
    open_page(page, "/")
    assert page.locator("h1").inner_text() == "Scorecard for March 2025"
    assert_rows_match_report(page, reported("2025-03"))
    screenshot(page, "scorecard-2025-03")
    assert_accessible(page, "the scorecard")

    choose(page, "scorecard", "period", "2024-06")
    assert page.locator("h1").inner_text() == "Scorecard for June 2024"
    assert_rows_match_report(page, reported("2024-06"))
    screenshot(page, "scorecard-2024-06")

    page.click("#row-iha_in_timescale a.indicator-link")
    page.wait_for_url(re.compile(r"/indicator/iha_in_timescale\?period=2024-06"))
    wait_for_dash(page)
    assert "Initial health assessments" in page.locator("h1").inner_text()
    row = reported("2024-06")["iha_in_timescale"]
    assert row["value_shown"] in page.locator("#headline").locator("..").inner_text()
    chart = page.locator("#trend-chart .main-svg").first.inner_html()
    assert row["value_shown"] in chart, "the value is written on the chart"
    screenshot(page, "indicator-iha")
    assert_accessible(page, "the indicator page")

    choose(page, "indicator", "breakdown", "host_la")
    # Few IHAs a month: the breakdown opens on rolling 12 months.
    assert page.locator("#breakdowns").inner_text() == "By host council, rolling 12 months, July 2022 to June 2024"
    choose(page, "indicator", "view", "month")
    assert page.locator("#breakdowns").inner_text() == "By host council, June 2024"
    assert page.locator("#breakdown-table .ag-row").count() >= 2
    screenshot(page, "indicator-iha-host-council")
    assert_accessible(page, "the indicator page's host council breakdown")
    assert not page_errors


def test_download_the_packs(page, page_errors):
    open_page(page, "/?period=2025-03")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    saved = {}
    for link in ("#download-pdf", "#download-xlsx"):
        with page.expect_download() as download:
            page.click(link)
        path = DOWNLOADS / download.value.suggested_filename
        download.value.save_as(path)
        saved[link] = path
    assert saved["#download-pdf"].read_bytes().startswith(b"%PDF")
    assert saved["#download-xlsx"].read_bytes().startswith(b"PK")
    assert saved["#download-pdf"].name == "corporate-parenting-scorecard-E10000099-2025-03.pdf"
    text = _pdf_text(saved["#download-pdf"])
    assert "March 2025" in text and "Page 1 of" in text
    assert not page_errors


def _pdf_text(path: Path) -> str:
    try:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    except FileNotFoundError:
        from browser_support import missing_component
        missing_component("pdftotext (Debian's poppler-utils) is needed to read the PDF pack")
        return ""


@pytest.mark.parametrize("path", ["/briefing?period=2025-03&since=2024-12", "/glossary", "/?framework=2019",
                                  "/indicator/placement_stability_long?period=2025-03"])
def test_other_pages_are_accessible(page, page_errors, path):
    open_page(page, path)
    screenshot(page, "page" + re.sub(r"\W+", "-", path))
    assert_accessible(page, path)
    assert not page_errors


def test_compared_with_other_councils_draws_every_bar_with_its_value(page, page_errors):
    open_page(page, "/indicator/dental_checks?period=2025-03")
    section = page.locator("section[aria-labelledby=compared]")
    section.scroll_into_view_if_needed()
    section.locator("#comparison-chart .bars path").first.wait_for()
    screenshot(page, "indicator-compared-with-other-councils")
    labels = section.locator("#comparison-chart .bartext").evaluate_all("texts => texts.map(t => t.textContent)")
    assert len(labels) == 14 and all(re.fullmatch(r"\d+\.\d%", label) for label in labels), labels
    rows = section.locator("#comparison-table tbody tr").count()
    assert rows == 14
    assert "Gloucestershire" in section.inner_text()
    assert not page_errors


def test_keyboard_reaches_the_content_with_a_visible_focus(page):
    open_page(page, "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "scorecard-period":
            break
    assert page.evaluate("document.activeElement.id") == "scorecard-period"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px"
    screenshot(page, "keyboard-focus")


# --- Drill-down: each view of a breakdown, and two crossed -----------------------------------

def test_drilldown_month_by_month_one_line_per_group(page, page_errors):
    open_page(page, "/indicator/visits_in_timescale?period=2025-03&breakdown=district&view=trend")
    assert page.locator("#breakdowns").inner_text() == "By district, month by month, April 2023 to March 2025"
    chart = page.locator("#group-trend-chart")
    chart.scroll_into_view_if_needed()
    chart.locator(".scatterlayer .trace").first.wait_for()
    assert chart.locator(".scatterlayer .trace").count() == 5  # five districts, one line each
    labels = chart.locator(".annotation-text").evaluate_all("texts => texts.map(t => t.textContent)")
    assert sorted(label.split(":")[0][2:] for label in labels) == ["Central", "East", "North", "South", "West"]
    assert all(re.search(r": \d+\.\d%$", label) for label in labels), labels  # each line's latest value
    table = page.locator("#group-trend-table")
    assert table.locator("tbody tr").count() == 24
    assert table.locator("thead th").all_inner_texts()[:2] == ["Month", "All (district together)"]
    screenshot(page, "drilldown-visits-district-month-by-month")
    assert_accessible(page, "the month-by-month breakdown")
    assert not page_errors


def test_drilldown_rolling_twelve_months_with_a_two_way_table(page, page_errors):
    open_page(page, "/indicator/iha_in_timescale?period=2025-03")
    assert page.locator("#breakdowns").inner_text().startswith("By in or out of area, rolling 12 months")
    assert "Shown as rolling 12 months because" in page.locator("#drilldown-view-note").inner_text()
    page.select_option("#indicator-breakdown", "district")
    page.select_option("#indicator-by", "age_band")
    page.click("#indicator-form-show")
    page.wait_for_url(re.compile(r"breakdown=district&by=age_band&view=rolling"))
    wait_for_dash(page)
    assert page.locator("#two-way").inner_text() == "By district and age band, the 12 months to March 2025"
    table = page.locator("#two-way-table")
    assert table.locator("thead th").all_inner_texts()[1:3] == ["Under 1", "1 to 4"]
    assert table.locator("tbody tr").count() == 6  # five districts and the margin row
    corner = table.locator("tbody tr").last.locator("td").last.inner_text()
    whole = page.locator("#group-trend-table tbody tr").first.locator("td").nth(1).inner_text()
    assert corner.split()[0] == whole.split()[0], (corner, whole)  # the corner is the figure itself
    table.scroll_into_view_if_needed()
    screenshot(page, "drilldown-iha-district-by-age-band-rolling")
    assert_accessible(page, "the rolling breakdown and two-way table")
    assert not page_errors


def test_drilldown_address_it_cannot_use_says_so(page, page_errors):
    open_page(page, "/indicator/children_in_care?period=2025-03&breakdown=shoe_size&by=district&view=rolling")
    problems = page.locator("#drilldown-problems").inner_text()
    assert "no breakdown \u201cshoe_size\u201d" in problems and "rolling 12-month view is not offered" in problems
    assert page.locator("#two-way").inner_text().startswith("By in or out of area and district, March 2025")
    screenshot(page, "drilldown-address-problems")
    assert_accessible(page, "a drill-down address with values the page cannot use")
    assert not page_errors

"""The scorecard as a committee reads it, in headless Chromium: the headline, what changed
since the last meeting (and another month chosen), improvement actions beside the figure,
the briefing note, and the scorecard on a phone 390 px wide, without sideways scrolling.
Every page is checked against axe-core; screenshots land in test-output/screenshots/."""
from __future__ import annotations

import re

import pytest
from browser_support import (
    assert_accessible,
    screenshot,
    sign_in_browser,
    wait_for_dash,
)
from conftest import DEMO_PASSWORD, DEMO_USERS

from scorecard import store
from scorecard.metrics import council_metrics
from scorecard.ui.views import build_scorecard

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNCIL = "E10000099"


@pytest.fixture(scope="module")
def card(demo_database_url):
    return build_scorecard(council_metrics(store.engine(demo_database_url), COUNCIL), "2025-03")


def test_headline_and_since_the_last_meeting(page, page_errors, card):
    page.goto("/")
    wait_for_dash(page)
    headline = page.locator("#headline").inner_text()
    assert headline == card.headline and headline.startswith("March 2025: ")
    # The two lists say their basis and put reds before ambers, as the view model does.
    attention = page.locator("#needs-attention").locator("xpath=..")
    assert "movement since January 2025, the month the scorecard at the last meeting (12 March 2025) showed" \
        in attention.inner_text()
    listed = attention.locator("li > a").all_inner_texts()
    assert listed == [r.label for r in card.needs_attention]
    assert [r.rag for r in card.needs_attention][:1] == ["red"]
    headers = page.locator("#theme-placements ~ div table thead th").all_inner_texts()
    assert "Since January 2025" in headers
    assert_accessible(page, "the scorecard with its headline")
    screenshot(page, "scorecard-headline")

    page.select_option("#scorecard-since", "2024-03")
    page.click("#scorecard-form-show")
    page.wait_for_url(re.compile(r"since=2024-03"))
    wait_for_dash(page)
    assert "Since March 2024" in page.locator("#headline").inner_text()
    assert "Since March 2024" in page.locator("#theme-placements ~ div table thead th").all_inner_texts()
    assert page_errors == []


def test_improvement_actions_stand_out(page, page_errors):
    page.goto("/?period=2025-03")
    wait_for_dash(page)
    row = page.locator("#row-iha_in_timescale")
    text = row.inner_text()
    assert "Actions (1 open, 1 overdue)" in text and "CP-01" in text and "Overdue" in text
    assert "Delayed" in text and "due 30 September 2025" in text
    assert "Action overdue" in page.locator("#needs-attention").locator("xpath=..").inner_text()
    assert "CP-02" not in page.locator("#row-rhi_within_72_hours").inner_text(), "a complete action is not open"
    row.screenshot(path=str(screenshot(page, "scorecard-actions-page")).replace("-page", "-row"))
    assert page_errors == []


def test_the_briefing_prints_each_change_once(page, page_errors):
    page.goto("/briefing?period=2025-03")
    wait_for_dash(page)
    assert "Compared with January 2025, the month the scorecard at the last meeting" in page.locator(
        "#briefing-basis").inner_text()
    labels = page.locator(".briefing li > a").all_inner_texts()
    assert labels and len(labels) == len(set(labels))
    page.emulate_media(media="print")
    assert not page.locator(".filter-form").is_visible() and not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    assert_accessible(page, "the briefing note")
    assert page_errors == []


def test_a_month_that_cannot_be_shown_says_so(page, page_errors):
    page.goto("/?period=2025-13")
    wait_for_dash(page)
    assert "is not a month" in page.locator("#page-notice").inner_text()
    assert page.locator("h1").inner_text() == "Scorecard for March 2025"
    options = page.locator("#scorecard-period option").all_inner_texts()
    assert all(text.strip() for text in options), "no empty option in the month choice"
    assert page_errors == []


def test_the_scorecard_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="en-GB",
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    sign_in_browser(context, DEMO_USERS["viewer"], DEMO_PASSWORD)
    page = context.new_page()
    try:
        page.goto("/?period=2025-03")
        wait_for_dash(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide at 390 px: it scrolls sideways"
        row = page.locator("#row-iha_in_timescale")
        box = row.bounding_box()
        assert box["width"] <= 390
        # Each cell says its column's name, as a card does (drawn from its data-label).
        labels = row.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, ''))")
        assert labels[:4] == ["This month", "Rating and target", "Since January 2025", "Since a year ago"]
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390
                   for box in row.locator("td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect())"))
        assert_accessible(page, "the scorecard on a phone")
        screenshot(page, "scorecard-phone")
        row.scroll_into_view_if_needed()
        row.screenshot(path=str(screenshot(page, "scorecard-phone-card")))
    finally:
        context.close()

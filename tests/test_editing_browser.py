"""The edit page in a real headless Chromium: a head of service writes a month's commentary
in a little Markdown and sees it saved and listed; a councillor sees the history and no form;
both pages pass axe-core's WCAG checks. Written for May 2023, a month no other test reads."""
from __future__ import annotations

import pytest
from browser_support import assert_accessible, screenshot, wait_for_dash, watch_errors

pytestmark = pytest.mark.browser

ADDRESS = "/edit/dental_checks?period=2023-05"


def test_a_manager_writes_commentary_and_sees_it_saved_and_listed(page_as):
    page = page_as("manager")
    errors = watch_errors(page)
    page.goto(ADDRESS)
    wait_for_dash(page)
    assert "Edit: Dental check" in page.inner_text("h1")
    assert_accessible(page, "the edit page, as a manager")
    page.fill("#edit-comment-text", "<b>Bold</b> in HTML is refused.")
    page.click("#edit-comment-save")
    page.wait_for_selector("#edit-comment-result .alert")
    assert "Not saved: 1 problem, nothing was changed." in page.inner_text("#edit-comment-result")
    page.fill("#edit-comment-text", "Checks **caught up** by May:\n\n- north\n- south")
    page.click("#edit-comment-save")
    page.wait_for_function("document.querySelector('#edit-comment-result').innerText.includes('Saved the commentary')")
    assert "by Test manager" in page.inner_text("#edit-comment-result")
    history = page.inner_text("#edit-comment-history")
    assert "Test manager: commentary" in history and "Checks **caught up** by May:" in history
    assert "Save target" not in page.inner_text("main")  # a manager sets no targets
    screenshot(page, "edit-manager")
    assert not errors, errors


def test_a_councillor_sees_the_history_and_no_form(page_as):
    page = page_as("viewer")
    page.goto(ADDRESS)
    wait_for_dash(page)
    text = page.inner_text("main")
    assert "History of the commentary for May 2023" in text and "History of the council's targets" in text
    assert page.query_selector("#edit-comment-text") is None and page.query_selector("#edit-target-save") is None
    assert "Test viewer is a viewer; this needs the commentary permission." in text
    assert_accessible(page, "the edit page, as a viewer")
    screenshot(page, "edit-viewer")

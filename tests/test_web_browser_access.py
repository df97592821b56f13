"""Signing in, out and being refused, in a real headless Chromium: what a councillor and
an admin meet, checked with axe-core and looked at in screenshots."""
from __future__ import annotations

import pytest
from browser_support import assert_accessible, screenshot, wait_for_dash
from conftest import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.browser


def test_a_councillor_signs_in_lands_where_they_asked_and_signs_out(page_as):
    page = page_as(None)
    page.goto("/briefing?period=2025-03")
    assert page.url.endswith("/login?next=/briefing?period%3D2025-03") or "/login?next=" in page.url
    assert_accessible(page, "the sign-in page")
    screenshot(page, "sign-in")
    page.fill("#username", DEMO_USERS["viewer"])
    page.fill("#password", "not the password")
    page.click("#sign-in button[type=submit]")
    assert "The username or password is not right." in page.inner_text("#sign-in-message")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#sign-in button[type=submit]")
    wait_for_dash(page)
    assert "/briefing?period=2025-03" in page.url
    assert "Test viewer (viewer)" in page.inner_text(".site-header")
    assert "Users" not in page.inner_text(".nav-links")  # the admin's pages are not offered
    page.click(".sign-out button")
    page.wait_for_url("**/login")
    page.goto("/")
    assert "/login" in page.url


def test_a_viewer_who_types_an_admin_address_is_told_why_not(page_as):
    page = page_as("viewer")
    page.goto("/admin/audit")
    wait_for_dash(page)
    assert "Not available to you" in page.inner_text("#access-refused")
    assert "needs the audit permission" in page.inner_text("#access-refused")


def test_an_admin_sees_the_users_and_the_audit_log(page_as):
    page = page_as("admin")
    page.goto("/admin/users")
    wait_for_dash(page)
    assert DEMO_USERS["manager"] in page.inner_text("#users-table")
    assert_accessible(page, "the users page")
    screenshot(page, "admin-users")
    page.goto("/admin/audit?action=login")
    wait_for_dash(page)
    assert DEMO_USERS["admin"] in page.inner_text("#audit-table")
    assert_accessible(page, "the audit log")
    screenshot(page, "admin-audit")

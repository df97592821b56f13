"""The admin pages' functions and routes: users added and changed by an admin (and by
nobody else), the last admin kept, the audit log filtered and downloaded as CSV whose
cells can never run as formulas."""
from __future__ import annotations

import csv
import io

import pytest
from browser_support import call_callback
from conftest import DEMO_PASSWORD

from scorecard import store
from scorecard.access import Forbidden, Identity, Role, acting_as
from scorecard.access import accounts
from scorecard.ui.admin_view import KEEP, AuditFilter, add_account, audit_download, audit_table_rows, change_account

ADMIN = Identity("chief", Role.ADMIN)


def test_an_admin_adds_and_changes_users_and_each_change_is_audited(engine):
    with acting_as(ADMIN):
        assert add_account(engine, ADMIN, "sam", "Sam S", "manager", "health", DEMO_PASSWORD).ok
        refused = add_account(engine, ADMIN, "sam", "", "viewer", "", "")
        assert not refused.ok and "already a user called sam" in refused.message
        assert not add_account(engine, ADMIN, "kim", "", "viewer", "", "short").ok
        assert change_account(engine, ADMIN, "sam", "analyst", "", KEEP).ok
        assert change_account(engine, ADMIN, "sam", KEEP, "", "disabled").ok
    with store.read_connection(engine) as conn:
        events = [(row["actor"], row["action"], row["subject"]) for row in reversed(store.audit_rows(conn))]
    assert events == [("chief", "user_added", "sam"), ("chief", "role_change", "sam"),
                      ("chief", "user_disabled", "sam")]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER, Role.ANALYST])
def test_nobody_but_an_admin_may_change_users_or_read_the_log(engine, role):
    who = Identity("someone", role)
    with pytest.raises(Forbidden):
        add_account(engine, who, "x", "", "admin", "", DEMO_PASSWORD)
    with pytest.raises(Forbidden):
        change_account(engine, who, "x", "admin", "", KEEP)
    with pytest.raises(Forbidden):
        audit_table_rows(engine, who, AuditFilter())
    with store.read_connection(engine) as conn:
        assert store.user_rows(conn) == [] and store.audit_rows(conn) == []


def test_the_last_active_admin_cannot_be_demoted_or_disabled(engine):
    accounts.add_user(engine, "only", "admin", password=DEMO_PASSWORD)
    outcome = change_account(engine, ADMIN, "only", "viewer", "", KEEP)
    assert not outcome.ok and "only active admin" in outcome.message
    assert not change_account(engine, ADMIN, "only", KEEP, "", "disabled").ok
    accounts.add_user(engine, "second", "admin", password=DEMO_PASSWORD)
    assert change_account(engine, ADMIN, "only", "viewer", "", KEEP).ok


def test_the_audit_csv_keeps_every_cell_text(engine):
    with store.write_transaction(engine) as conn:
        for subject in ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2+3", "@SUM(A1)", "plain"):
            store.record_event(conn, "=cmd|'/c calc'!A1", "commentary", subject=subject)
    content, count = audit_download(engine, ADMIN, AuditFilter(days=1))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert count == 5 and rows[0][:3] == ["When (UTC)", "Who", "What"]
    assert all(row[1] == "'=cmd|'/c calc'!A1" for row in rows[1:])
    assert sorted(row[3] for row in rows[1:]) == sorted(
        ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1", "'-2+3", "'@SUM(A1)", "plain"])
    with store.read_connection(engine) as conn:  # the download is itself in the log
        assert store.audit_rows(conn, action="export")[0]["subject"] == "audit log"


def test_the_audit_filter_reads_the_address_and_refuses_nonsense():
    assert AuditFilter.from_query("jo", "login", "7") == AuditFilter("jo", "login", 7)
    assert AuditFilter.from_query(None, None, "a week").days == 30
    assert AuditFilter.from_query(None, None, "-3").days == 30
    assert AuditFilter("jo", None, 7).query() == "actor=jo&days=7"


def test_the_users_page_through_the_app_as_an_admin(client_as):
    admin = client_as("admin")
    shown = call_callback(admin, "_pages_content.children",
                          inputs={"_pages_location.pathname": "/admin/users", "_pages_location.search": ""})
    assert "test-viewer" in str(shown) and "Add a user" in str(shown)
    added = call_callback(admin, "add-user-outcome.children", inputs={"add-user-button.n_clicks": 1}, state={
        "new-username.value": "added-through-page", "new-name.value": "Added", "new-role.value": "viewer",
        "new-themes.value": "", "new-password.value": DEMO_PASSWORD})
    assert "Added added-through-page as viewer" in str(added)
    with store.read_connection(store.engine()) as conn:
        assert store.user_row(conn, "added-through-page")["role"] == "viewer"


def test_the_audit_download_route(client_as):
    response = client_as("admin").get("/admin/audit.csv?days=1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="scorecard-audit-')
    assert "login" in response.get_data(as_text=True)
    assert client_as("analyst").get("/admin/audit.csv").status_code == 403

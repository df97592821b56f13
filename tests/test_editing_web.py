"""The edit page through the app, signed in: each form shown only to those allowed, every
save callback refused (HTTP 403) to anyone without the permission even on a raw POST, a
save that fails validation changing nothing and saying why, and a save that passes
stored and audited with its before and after."""
from __future__ import annotations

import json

from browser_support import call_callback

from scorecard import store

PAGE = "/edit/iha_in_timescale"
COMMENTARY_SAVE = "edit-comment-result.children"
ACTION_SAVE = "edit-action-result.children"
TARGET_SAVE = "edit-target-result.children"


def page_text(client, pathname: str, search: str = "") -> str:
    response = call_callback(client, "_pages_content.children",
                             {"_pages_location.pathname": pathname, "_pages_location.search": search})
    return json.dumps(response, ensure_ascii=False)


def stored(demo_database_url) -> dict:
    with store.read_connection(store.engine(demo_database_url)) as conn:
        return {"commentary": len(store.commentary_rows(conn, "E10000099")),
                "actions": len(store.action_rows(conn, "E10000099")),
                "targets": len(store.target_rows(conn, "E10000099")),
                "events": len(store.audit_rows(conn, action="commentary")) + len(store.audit_rows(conn, action="action"))
                + len(store.audit_rows(conn, action="target"))}


def save_comment(client, text: str, period: str = "2025-03", indicator: str = "iha_in_timescale", **options):
    return call_callback(client, COMMENTARY_SAVE, {"edit-comment-save.n_clicks": 1},
                         {"edit-indicator.data": indicator, "edit-period-shown.data": period,
                          "edit-comment-text.value": text}, **options)


def save_target(client, green: str, amber: str, **options):
    return call_callback(client, TARGET_SAVE, {"edit-target-save.n_clicks": 1},
                         {"edit-indicator.data": "iha_in_timescale", "edit-period-shown.data": "2025-03",
                          "edit-target-from.value": "2025-04", "edit-target-green.value": green,
                          "edit-target-amber.value": amber, "edit-target-none.value": False,
                          "edit-target-reason.value": "Committee"}, **options)


def test_each_role_sees_the_forms_it_may_use(client_as):
    viewer = page_text(client_as("viewer"), PAGE, "?period=2025-03")
    manager = page_text(client_as("manager"), PAGE, "?period=2025-03")
    analyst = page_text(client_as("analyst"), PAGE, "?period=2025-03")
    for page in (viewer, manager, analyst):
        assert "Edit: Initial health assessments (IHA) in timescale" in page
        assert "Commentary for March 2025" in page and "History of the commentary for March 2025" in page
        assert "History of the actions" in page and "History of the council's targets" in page
        assert "In-county assessments remain in timescale" in page  # the demo's commentary, in the history
    assert "Save commentary" not in viewer and "Save action" not in viewer and "Save target" not in viewer
    assert "Test viewer is a viewer; this needs the commentary permission." in viewer
    assert "Save commentary" in manager and "Save action" in manager and "Save target" not in manager
    assert "Test manager is a manager; this needs the targets permission." in manager
    assert "Save commentary" in analyst and "Save target" in analyst and "per cent (90 for 90%)" in analyst


def test_raw_save_callbacks_are_refused_to_those_without_the_permission(client_as, demo_database_url):
    before = stored(demo_database_url)
    viewer, manager = client_as("viewer"), client_as("manager")
    save_comment(viewer, "A viewer's comment.", expect_status=403)
    call_callback(viewer, ACTION_SAVE, {"edit-action-save.n_clicks": 1},
                  {"edit-indicator.data": "iha_in_timescale", "edit-action-reference.value": "__new__",
                   "edit-action-new-reference.value": "V1", "edit-action-text.value": "x",
                   "edit-action-owner.value": "x", "edit-action-due.value": "2025-06-30",
                   "edit-action-status.value": "not_started", "edit-action-update.value": None}, expect_status=403)
    save_target(viewer, "90", "80", expect_status=403)
    save_target(manager, "90", "80", expect_status=403)
    assert stored(demo_database_url) == before


def test_a_save_that_fails_validation_changes_nothing_and_says_why(client_as, demo_database_url):
    before = stored(demo_database_url)
    answer = json.dumps(save_comment(client_as("manager"), "<script>alert(1)</script>"), ensure_ascii=False)
    assert "Not saved: 1 problem, nothing was changed." in answer and "contains the HTML tag '<script>'" in answer
    target = json.dumps(save_target(client_as("analyst"), "150", "90"), ensure_ascii=False)
    assert "Not saved: 1 problem" in target and "a percentage is between 0 and 100" in target
    assert stored(demo_database_url) == before


def test_a_managers_comment_is_saved_audited_and_listed(client_as, demo_database_url):
    """Written for a month no other test reads (June 2023; the browser test writes May), so
    the demo's pages stay as they were."""
    before = stored(demo_database_url)
    response = save_comment(client_as("manager"), "Dental checks **caught up** after the spring backlog.",
                            period="2023-06", indicator="dental_checks")
    answer = json.dumps(response, ensure_ascii=False)
    assert "Saved the commentary on Dental check" in answer and "for June 2023, by Test manager" in answer
    assert "Dental checks **caught up** after the spring backlog." in json.dumps(response["edit-comment-history"])
    after = stored(demo_database_url)
    assert (after["commentary"], after["events"]) == (before["commentary"] + 1, before["events"] + 1)
    with store.read_connection(store.engine(demo_database_url)) as conn:
        [event] = store.audit_rows(conn, action="commentary", limit=1)
    details = json.loads(event["details"])
    assert (event["actor"], event["subject"]) == ("test-manager", "dental_checks 2023-06")
    assert details["before"] is None and details["after"]["author"] == "Test manager"
    assert details["after"]["text"] == "Dental checks **caught up** after the spring backlog."


def test_a_hand_made_save_naming_no_indicator_is_answered_in_words(client_as, demo_database_url):
    before = stored(demo_database_url)
    answer = json.dumps(save_comment(client_as("manager"), "Text", indicator=None), ensure_ascii=False)
    assert "Not saved: there is no indicator called 'None' in metrics.yaml." in answer
    assert stored(demo_database_url) == before
    moved = call_callback(client_as("viewer"), "edit-nav.search", {"edit-period-show.n_clicks": 1},
                          {"edit-period.value": "2025-02"})
    assert moved == {"edit-nav": {"search": "?period=2025-02"}}

"""Editing commentary, improvement actions and targets as a signed-in user (scorecard.editing,
scorecard.ui.edit_view): who may (a manager for their themes, an analyst for targets, a
viewer never), the same validation as the command line, every change audited with its
before and after in the same transaction, nothing written when refused, and the history
each section shows; on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from scorecard import store
from scorecard.access import Forbidden, Identity, Role, acting_as
from scorecard.metrics import load_catalogue
from scorecard.metrics.rating import rate
from scorecard.metrics.targets import CouncilTargets, TargetVersion, council_targets
from scorecard.ui import edit_view
from scorecard.ui.edit_view import (
    NEW_ACTION,
    submit_action,
    submit_commentary,
    submit_target,
)

COUNCIL = "E10000099"
HEALTH = "iha_in_timescale"          # themes: health (2021), healthy (2019); higher is better, green 80%, amber 65%
PLACEMENTS = "visits_in_timescale"   # themes: placements (2021), voices (2019); green 90%, amber 85%

VIEWER = Identity("vic", Role.VIEWER, "Vic Viewer", council=COUNCIL)
MANAGER = Identity("mo", Role.MANAGER, "Mo Manager", council=COUNCIL)
HEALTH_MANAGER = Identity("hana", Role.MANAGER, "Hana Health", themes=frozenset({"health", "healthy"}),
                          council=COUNCIL)
ANALYST = Identity("ann", Role.ANALYST, "Ann Analyst", council=COUNCIL)


def everything(engine) -> dict:
    with store.read_connection(engine) as conn:
        return {"commentary": store.commentary_rows(conn, COUNCIL), "actions": store.action_rows(conn, COUNCIL),
                "targets": store.target_rows(conn, COUNCIL), "audit": store.audit_rows(conn)}


def audit_events(engine, action: str) -> list[dict]:
    with store.read_connection(engine) as conn:
        return [{**row, "details": json.loads(row["details"])} for row in store.audit_rows(conn, action=action)]


# --- commentary ------------------------------------------------------------------------------

def test_a_manager_writes_commentary_for_their_themes_with_history_and_audit(engine):
    with acting_as(HEALTH_MANAGER):
        first = submit_commentary(HEALTH_MANAGER, HEALTH, "2025-03", "IHAs **back** in timescale.\n\n- clinic A\n- clinic B",
                                  engine)
        second = submit_commentary(HEALTH_MANAGER, HEALTH, "2025-03", "Back in timescale after the dip.", engine)
        again = submit_commentary(HEALTH_MANAGER, HEALTH, "2025-03", "Back in timescale after the dip.", engine)
    assert first.saved and second.saved and not again.saved
    assert "Saved the commentary on" in first.message and "by Hana Health" in first.message
    assert again.message.startswith("Not saved again")
    rows = everything(engine)["commentary"]
    assert [r["text"] for r in rows] == ["Back in timescale after the dip.",
                                         "IHAs **back** in timescale.\n\n- clinic A\n- clinic B"]
    assert {r["author"] for r in rows} == {"Hana Health"} and {r["loaded_by"] for r in rows} == {"hana"}
    events = audit_events(engine, "commentary")
    assert [e["actor"] for e in events] == ["hana", "hana"]  # two versions stored, two events; the repeat none
    assert events[0]["subject"] == f"{HEALTH} 2025-03" and events[0]["council"] == COUNCIL
    assert events[0]["details"]["before"]["text"].startswith("IHAs **back**")
    assert events[0]["details"]["after"]["text"] == "Back in timescale after the dip."
    assert events[1]["details"]["before"] is None
    [latest, earliest] = edit_view.comment_lines(HEALTH_MANAGER, HEALTH, "2025-03", engine)
    assert (latest.who, latest.what) == ("Hana Health", "commentary")
    assert latest.changes == (("Commentary", "IHAs **back** in timescale.\n\n- clinic A\n- clinic B",
                               "Back in timescale after the dip."),)
    assert earliest.changes[0][1] == ""  # the first version had nothing before it


def test_commentary_is_refused_to_another_themes_manager_and_a_viewer_and_nothing_is_written(engine):
    before = everything(engine)
    for who, indicator in ((HEALTH_MANAGER, PLACEMENTS), (VIEWER, HEALTH), (None, HEALTH)):
        with acting_as(who), pytest.raises(Forbidden):
            submit_commentary(who, indicator, "2025-03", "Should not be stored.", engine)
    assert everything(engine) == before
    with acting_as(MANAGER):  # a manager not limited to themes writes for any indicator
        assert submit_commentary(MANAGER, PLACEMENTS, "2025-03", "Visits steady.", engine).saved


def test_commentary_goes_through_the_command_lines_validation_and_says_every_problem(engine):
    before = everything(engine)
    with acting_as(MANAGER):
        outcome = submit_commentary(MANAGER, HEALTH, "2025-13", "<script>alert(1)</script> [x](javascript:alert(1))",
                                    engine)
        empty = submit_commentary(MANAGER, HEALTH, "2025-03", "   ", engine)
        long = submit_commentary(MANAGER, HEALTH, "2025-03", "x" * 1001, engine)
    assert not outcome.saved and outcome.message == "Not saved: 2 problems, nothing was changed."
    assert "'2025-13' is not a month written YYYY-MM, e.g. 2025-03" in outcome.problems
    [markup] = [p for p in outcome.problems if "HTML tag" in p]
    assert "'<script>'" in markup and "a link must start http://, https:// or mailto:" in markup
    assert empty.problems == ("the commentary text is empty",)
    assert "1,001 characters long" in long.problems[0]
    assert everything(engine) == before


# --- improvement actions ---------------------------------------------------------------------

def test_a_manager_adds_and_updates_an_action_with_history_and_audit(engine):
    with acting_as(HEALTH_MANAGER):
        added = submit_action(HEALTH_MANAGER, HEALTH, NEW_ACTION, "A7", "Weekly IHA tracker", "Designated Nurse",
                              "30/06/2025", "not_started", None, engine)
        updated = submit_action(HEALTH_MANAGER, HEALTH, "A7", None, None, None, "2025-07-31", "in_progress",
                                "Tracker live in two districts.", engine)
    assert added.saved and added.message.startswith("Added action A7 on Initial health assessments")
    assert updated.saved and "Saved an update of action A7" in updated.message and "due 31 July 2025" in updated.message
    rows = everything(engine)["actions"]
    assert [(r["status"], str(r["due"]), r["owner"], r["loaded_by"]) for r in rows] == [
        ("not_started", "2025-06-30", "Designated Nurse", "Hana Health"),
        ("in_progress", "2025-07-31", "Designated Nurse", "Hana Health")]
    [update_event, add_event] = audit_events(engine, "action")
    assert add_event["details"]["before"] is None and add_event["details"]["after"]["status"] == "not_started"
    assert update_event["subject"] == f"{HEALTH} A7" and update_event["actor"] == "hana"
    assert (update_event["details"]["before"]["status"], update_event["details"]["after"]["status"]) == \
        ("not_started", "in_progress")
    latest = edit_view.action_lines(HEALTH_MANAGER, HEALTH, engine)[0]
    assert latest.what == "action A7" and latest.who == "Hana Health"
    assert latest.changes == (("Due", "30 June 2025", "31 July 2025"), ("Status", "Not started", "In progress"),
                              ("Update", "", "Tracker live in two districts."))
    with acting_as(HEALTH_MANAGER):  # an update alone: the status chosen as "keep as it is" stays
        kept = submit_action(HEALTH_MANAGER, HEALTH, "A7", None, None, None, None, edit_view.KEEP_STATUS,
                             "Tracker in all districts.", engine)
    assert kept.saved and "In progress, due 31 July 2025" in kept.message
    assert everything(engine)["actions"][-1]["status"] == "in_progress"


def test_actions_refused_for_another_theme_a_viewer_and_bad_input_write_nothing(engine):
    with acting_as(HEALTH_MANAGER):
        submit_action(HEALTH_MANAGER, HEALTH, NEW_ACTION, "A1", "Tracker", "Nurse", "2025-06-30", "not_started",
                      None, engine)
    before = everything(engine)
    for who, indicator in ((HEALTH_MANAGER, PLACEMENTS), (VIEWER, HEALTH)):
        with acting_as(who), pytest.raises(Forbidden):
            submit_action(who, indicator, NEW_ACTION, "B1", "Visits", "Head", "2025-06-30", "not_started", None,
                          engine)
    with acting_as(HEALTH_MANAGER):
        taken = submit_action(HEALTH_MANAGER, HEALTH, NEW_ACTION, "A1", "Again", "Nurse", "2025-06-30",
                              "not_started", None, engine)
        bad = submit_action(HEALTH_MANAGER, HEALTH, NEW_ACTION, "A2", "", "", "31/02/2025", None, None, engine)
        incomplete = submit_action(HEALTH_MANAGER, HEALTH, NEW_ACTION, "A3", "Tracker", "", None, None, None, engine)
    assert taken.problems == (("there is already an action A1 on Initial health assessments (IHA) in timescale: "
                              "choose it to update it"),)
    assert "the due date '31/02/2025' is not a date: write it as 2025-04-30 or 30/04/2025" in bad.problems
    assert {"the owner is empty", "the due date is empty"} <= set(incomplete.problems)
    assert any(p.startswith("the status is not one of") for p in incomplete.problems)
    assert not (taken.saved or bad.saved or incomplete.saved)
    assert everything(engine) == before


# --- targets -----------------------------------------------------------------------------------

def test_an_analyst_sets_targets_in_percent_stored_as_fractions_with_history_and_audit(engine):
    with acting_as(ANALYST):
        first = submit_target(ANALYST, PLACEMENTS, "2025-01", "88", "80%", False, "Committee, 14 January 2025", engine)
        dropped = submit_target(ANALYST, PLACEMENTS, "2025-06", None, None, True, "Committee, 10 June 2025", engine)
        same = submit_target(ANALYST, PLACEMENTS, "2025-01", "88", "80", False, "Again", engine)
    assert first.saved and "green 88.0%, amber 80.0% from January 2025" in first.message
    assert dropped.saved and "no target" in dropped.message
    assert not same.saved and same.message.startswith("Not saved again")
    rows = everything(engine)["targets"]
    assert [(r["applies_from"], r["green"], r["amber"], r["set_by"]) for r in rows] == [
        ("2025-01", 0.88, 0.80, "Ann Analyst"), ("2025-06", None, None, "Ann Analyst")]
    [drop_event, set_event] = audit_events(engine, "target")
    assert set_event["subject"] == f"{PLACEMENTS} from 2025-01" and set_event["actor"] == "ann"
    assert set_event["details"]["before"] == {"from": "2019-04", "green": 0.9, "amber": 0.85,
                                              "source": "as metrics.yaml sets it"}
    assert set_event["details"]["after"]["green"] == 0.88 and set_event["details"]["reason"].startswith("Committee")
    assert drop_event["details"]["after"] == {"target": None, "source": "set"}
    assert drop_event["details"]["before"]["green"] == 0.88
    [latest, earliest] = edit_view.target_lines(ANALYST, PLACEMENTS, engine)
    assert earliest.changes == (("Target", "green 90.0%, amber 85.0% (as metrics.yaml sets it)",
                                 "green 88.0%, amber 80.0%"),)
    assert latest.what == "target from 2025-06" and latest.changes[0][2] == "no target"
    assert latest.note == "Committee, 10 June 2025" and latest.who == "Ann Analyst"
    # What applies month by month: metrics.yaml's, then the council's from January, none from June.
    targets, visits = council_targets(engine, COUNCIL), load_catalogue().by_id[PLACEMENTS]
    assert targets.target_for(visits, "2024-12").green == 0.9
    assert (targets.target_for(visits, "2025-01").green, targets.target_for(visits, "2025-05").amber) == (0.88, 0.8)
    assert targets.target_for(visits, "2025-06") is None and targets.target_for(visits, "2026-01") is None


def test_targets_are_refused_to_managers_and_viewers_and_checked_like_metrics_yaml(engine):
    before = everything(engine)
    for who in (MANAGER, HEALTH_MANAGER, VIEWER):
        with acting_as(who), pytest.raises(Forbidden):
            submit_target(who, HEALTH, "2025-01", "85", "70", False, "Why", engine)
    with acting_as(ANALYST):
        backwards = submit_target(ANALYST, HEALTH, "2025-1", "70", "85", False, "", engine)
        half = submit_target(ANALYST, HEALTH, "2025-01", "85", None, False, "Why", engine)
        over = submit_target(ANALYST, HEALTH, "2025-01", "150", "90", False, "Why", engine)
        words = submit_target(ANALYST, HEALTH, "2025-01", "lots", "90", False, "Why", engine)
        context = submit_target(ANALYST, "children_in_care", "2025-01", "700", "750", False, "Why", engine)
        lower = submit_target(ANALYST, "placed_out_of_area", "2025-01", "30", "25", False, "Why", engine)
    assert set(backwards.problems) == {
        "'2025-1' is not a month written YYYY-MM, e.g. 2025-04 (the first month it applies to)",
        "thresholds in the wrong order for polarity higher: green (70.0%) must be at or above amber (85.0%)",
        "say why the target is set (e.g. the committee's decision and its date)"}
    assert half.problems == ("give both green and amber, or neither (no target from that month)",)
    assert over.problems == ("a percentage is between 0 and 100",)
    assert words.problems == ("green 'lots' is not a number",)
    assert context.problems == ("Children in care is a context figure, never rated: it has no target",)
    assert lower.problems == (("thresholds in the wrong order for polarity lower: green (30.0%) must be at or "
                              "below amber (25.0%)"),)
    assert everything(engine) == before


def test_a_stored_target_turns_a_hand_computed_amber_figure_green():
    """477 of 539 visits in timescale is 88.5%: amber under metrics.yaml's target (green from
    90%, amber from 85%), green under a council's target of green from 88%, amber from 80%."""
    visits = load_catalogue().by_id[PLACEMENTS]
    value = 477 / 539
    assert 0.88 <= value < 0.9
    catalogue_only = CouncilTargets([])
    assert rate(visits, value, 539, catalogue_only.target_for(visits, "2025-03"), None, None, 10).rag == "amber"
    set_at = dt.datetime(2025, 1, 20, 10, 0)
    council = CouncilTargets([TargetVersion(1, PLACEMENTS, "2025-01", 0.88, 0.80, "Committee", set_at, "Ann")])
    assert rate(visits, value, 539, council.target_for(visits, "2025-03"), None, None, 10).rag == "green"
    assert rate(visits, value, 539, council.target_for(visits, "2024-12"), None, None, 10).rag == "amber"
    # The latest set for a month wins; a later metrics.yaml target takes over from its own month.
    later = CouncilTargets([TargetVersion(1, PLACEMENTS, "2025-01", 0.88, 0.80, "", set_at, "Ann"),
                            TargetVersion(2, PLACEMENTS, "2025-01", 0.95, 0.90, "", set_at, "Ann")])
    assert later.target_for(visits, "2025-03").green == 0.95
    newer_yaml = visits.model_copy(update={"targets": (*visits.targets, type(visits.targets[0])(
        **{"from": "2025-04", "green": 0.92, "amber": 0.87}))})
    assert council.target_for(newer_yaml, "2025-03").green == 0.88
    assert council.target_for(newer_yaml, "2025-04").green == 0.92


# --- the page as data --------------------------------------------------------------------------

def test_the_edit_page_shows_each_form_only_to_those_allowed(engine):
    pages = {who.username: edit_view.build_edit_page(who, HEALTH, "2025-03", engine)
             for who in (VIEWER, HEALTH_MANAGER, ANALYST)}
    placements = edit_view.build_edit_page(HEALTH_MANAGER, PLACEMENTS, "2025-03", engine)
    assert (pages["vic"].can_comment, pages["vic"].can_act, pages["vic"].can_target) == (False, False, False)
    assert pages["vic"].comment_refusal == "Vic Viewer is a viewer; this needs the commentary permission."
    assert (pages["hana"].can_comment, pages["hana"].can_act, pages["hana"].can_target) == (True, True, False)
    assert (placements.can_comment, placements.can_act) == (False, False)
    assert placements.comment_refusal == "Hana Health may write commentary only for the themes health, healthy."
    assert (pages["ann"].can_comment, pages["ann"].can_act, pages["ann"].can_target) == (True, True, True)
    page = pages["ann"]
    assert page.target_unit == "per cent (90 for 90%)"
    assert page.target_text == "For March 2025: green 80.0%, amber 65.0% from April 2019, as metrics.yaml sets it."
    assert page.period == "2025-03" and page.period_label == "March 2025"
    bad_month = edit_view.build_edit_page(ANALYST, HEALTH, "March", engine)
    assert bad_month.notice.startswith("‘March’ is not a month")
    assert edit_view.edit_href(HEALTH, "2025-03") == "/edit/iha_in_timescale?period=2025-03"


# --- the command line: the same writers, the same audit -----------------------------------------

def test_the_command_line_edits_through_the_same_functions_and_is_audited(database_url, engine, monkeypatch):
    from click.testing import CliRunner

    from scorecard.cli import main

    monkeypatch.setenv("SCORECARD_USER", "jo.analyst")
    runner = CliRunner()
    added = runner.invoke(main, ["commentary", "add", "--indicator", HEALTH, "--period", "2025-03", "--council",
                                 COUNCIL, "--text", "Clinics **added**.\n\n- north\n- south", "--author", "Jo"])
    assert added.exit_code == 0, added.output
    refused = runner.invoke(main, ["commentary", "add", "--indicator", HEALTH, "--period", "2025-03", "--council",
                                   COUNCIL, "--text", "<img src=x onerror=alert(1)>", "--author", "Jo"])
    assert refused.exit_code == 1 and "contains the HTML tag '<img src=x onerror=alert(1)>'" in refused.output
    target = runner.invoke(main, ["targets", "set", "--indicator", PLACEMENTS, "--from", "2025-04", "--green", "92",
                                  "--amber", "86", "--reason", "Committee, 8 April 2025", "--council", COUNCIL])
    assert target.exit_code == 0, target.output
    assert target.output.strip() == f"Set {PLACEMENTS} for {COUNCIL} from 2025-04: green 92.0%, amber 86.0%"
    wrong = runner.invoke(main, ["targets", "set", "--indicator", PLACEMENTS, "--from", "2025-04", "--green", "80",
                                 "--amber", "86", "--reason", "x", "--council", COUNCIL])
    assert wrong.exit_code == 1 and "green (80.0%) must be at or above amber (86.0%)" in wrong.output
    listed = runner.invoke(main, ["targets", "list", "--council", COUNCIL])
    assert listed.exit_code == 0 and (f"{PLACEMENTS}  target from 2025-04: green 92.0%, amber 86.0% (was green "
                                      "90.0%, amber 85.0% (as metrics.yaml sets it))") in listed.output
    assert "set by jo.analyst on " in listed.output and ": Committee, 8 April 2025" in listed.output
    assert [r["text"] for r in everything(engine)["commentary"]] == ["Clinics **added**.\n\n- north\n- south"]
    events = {e["action"]: e for e in audit_events(engine, "commentary") + audit_events(engine, "target")}
    assert events["commentary"]["actor"] == events["target"]["actor"] == "cli:jo.analyst"
    assert events["target"]["details"]["after"]["green"] == 0.92

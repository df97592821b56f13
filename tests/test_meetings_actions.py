"""The committee's meeting calendar and improvement actions: loaded from messy CSV and xlsx
files (title rows, headers as councils write them, dates as text or as Excel dates), added
by hand, every version kept, every bad row reported with nothing loaded; on SQLite and
PostgreSQL. And the month a scorecard is compared with by default."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import write_csv, write_xlsx

from ingest.actions import ActionError, add_action, load_actions
from ingest.meetings import MeetingError, add_meeting, load_meetings
from scorecard import store
from scorecard.cli import main
from scorecard.metrics.actions import actions_for
from scorecard.metrics.meetings import Meeting, comparison_basis, meetings

COUNCIL = "E10000099"
KNOWN = {"iha_in_timescale", "rhi_completed", "visits_in_timescale"}


def stored_actions(engine) -> list[dict]:
    with store.read_connection(engine) as conn:
        return store.action_rows(conn, COUNCIL)


def errors(result) -> list[tuple]:
    return sorted((p.row or 0, p.column or "", p.code) for p in result.report.errors)


def test_an_action_log_as_a_committee_keeps_it(engine, tmp_path):
    path = write_xlsx(tmp_path / "log.xlsx", {"Action log": [
        ["Corporate Parenting Board: action log"],
        [],
        ["Action No", "Indicator", "Agreed Action", "Lead Officer", "Deadline", "Status", "Progress Update",
         "Date of update"],
        ["A1", "iha_in_timescale", "Weekly IHA tracker", "Designated Nurse", dt.date(2025, 6, 30), "Open", None,
         dt.date(2025, 1, 15)],
        ["A1", "iha_in_timescale", "Weekly IHA tracker", "Designated Nurse", "30/06/2025", "On track",
         "Tracker live", "12/03/2025"],
        [101, "rhi_completed", "Second RHI provider", "Head of Commissioning", "31/03/2027", "not started", None,
         None],
    ]})
    result = load_actions(engine, path, COUNCIL, KNOWN, "analyst")
    assert result.ok and (result.rows, result.loaded, result.skipped) == (3, 3, 0), result.report
    again = load_actions(engine, path, COUNCIL, KNOWN, "analyst")
    assert again.ok and (again.loaded, again.skipped) == (0, 3), "loading the log again adds nothing"
    found = {a.reference: a for a in actions_for(engine, COUNCIL, on=dt.date(2025, 7, 1))}
    a1 = found["A1"]
    assert (a1.status, a1.status_label, a1.latest_update, a1.due) == ("in_progress", "In progress", "Tracker live",
                                                                      dt.date(2025, 6, 30))
    assert [u.on for u in a1.history] == [dt.date(2025, 1, 15), dt.date(2025, 3, 12)]
    assert a1.overdue and not found["101"].overdue, "open and due before the day asked about"
    assert found["101"].updated_on == dt.date.today(), "no update date: the day it was loaded"
    assert not actions_for(engine, COUNCIL, on=dt.date(2025, 6, 1))[0].overdue


def test_a_bad_action_log_loads_nothing_and_says_where(engine, tmp_path):
    add_action(engine, COUNCIL, {"reference": "A1", "indicator": "iha_in_timescale", "action": "Tracker",
                                 "owner": "Nurse", "due": dt.date(2025, 6, 30), "status": "in_progress"},
               KNOWN, "analyst")
    with store.read_connection(engine) as conn:
        before = store.dump(conn)
    path = write_csv(tmp_path / "log.csv", [
        ["reference", "indicator", "action", "owner", "due", "status", "update", "updated_on"],
        ["A1", "rhi_completed", "Tracker", "Nurse", "30/06/2025", "In progress", "", ""],       # moves indicator
        ["A2", "iha_in_tmescale", "Chase", "Nurse", "30/06/2025", "In progress", "", ""],       # unknown id
        ["A3", "iha_in_timescale", "Chase", "Nurse", "31/13/2025", "Sideways", "", ""],         # date, status
        ["A4", "iha_in_timescale", "Chase", "", "30/06/2025", "Done", "", "01/01/2099"],        # owner, future
        ["A5", "iha_in_timescale", "x" * 1_001, "Nurse", "30/06/2025", "Done", "", ""],          # too long
    ])
    result = load_actions(engine, path, COUNCIL, KNOWN, "analyst")
    assert not result.ok and result.loaded == 0
    assert errors(result) == [(2, "indicator", "constraint-error"), (3, "indicator", "constraint-error"),
                              (4, "due", "type-error"), (4, "status", "constraint-error"),
                              (5, "owner", "missing-value"), (5, "updated_on", "constraint-error"),
                              (6, "action", "constraint-error")]
    messages = " ".join(p.message for p in result.report.errors)
    assert "did you mean 'iha_in_timescale'" in messages and "stays with its indicator" in messages
    assert "scorecard mapping" not in messages, "an action log has no column mappings to offer"
    with store.read_connection(engine) as conn:
        assert store.dump(conn) == before


def test_actions_added_and_updated_by_hand(engine):
    first, new = add_action(engine, COUNCIL, {"reference": " A7 ", "indicator": "visits_in_timescale",
                                              "action": "Agency cover  for winter", "owner": "Head of Service",
                                              "due": dt.date(2025, 12, 1), "status": "Not started",
                                              "updated_on": dt.date(2025, 9, 1)}, KNOWN, "analyst")
    assert new and first["reference"] == "A7" and first["action"] == "Agency cover for winter"
    _, new = add_action(engine, COUNCIL, {"reference": "A7", "status": "complete", "update_text": "Booked",
                                          "updated_on": dt.date(2025, 11, 1)}, KNOWN, "analyst")
    assert new
    _, again = add_action(engine, COUNCIL, {"reference": "A7", "status": "complete", "update_text": "Booked",
                                            "updated_on": dt.date(2025, 11, 1)}, KNOWN, "analyst")
    assert not again, "the same update twice (a double click) adds nothing"
    [action] = actions_for(engine, COUNCIL, on=dt.date(2026, 1, 1))
    assert (action.status, action.owner, action.due, action.open, action.overdue) == (
        "complete", "Head of Service", dt.date(2025, 12, 1), False, False)
    assert len(stored_actions(engine)) == 2
    with pytest.raises(ActionError) as refused:
        add_action(engine, COUNCIL, {"reference": "A8", "indicator": "nope"}, KNOWN, "analyst")
    assert {"the action is empty", "the owner is empty", "the due date is empty"} <= set(refused.value.problems)


def test_the_meeting_calendar(engine, tmp_path):
    path = write_xlsx(tmp_path / "calendar.xlsx", {"2025": [
        ["Committee dates 2025"],
        ["Date of meeting", "Board", "Scorecard month", "Cancelled"],
        [dt.date(2025, 1, 15), None, "2024-11", None],
        ["12/03/2025", "Corporate Parenting Board", dt.date(2025, 1, 1), "No"],   # Excel's date for 2025-01
        [dt.date(2025, 5, 14), "Corporate Parenting Board", None, "Yes"],
    ]})
    result = load_meetings(engine, path, COUNCIL, "analyst")
    assert result.ok and result.loaded == 3, result.report
    assert load_meetings(engine, path, COUNCIL, "analyst").loaded == 0
    assert meetings(engine, COUNCIL) == [Meeting(dt.date(2025, 1, 15), "Corporate parenting committee", "2024-11"),
                                         Meeting(dt.date(2025, 3, 12), "Corporate Parenting Board", "2025-01")]
    # Moved: the same meeting shows another month; the newest version stands.
    add_meeting(engine, COUNCIL, dt.date(2025, 3, 12), "Corporate Parenting Board", "2025-02")
    assert meetings(engine, COUNCIL)[-1].shows_period == "2025-02"
    # A month without a month given is the one before the meeting's.
    row, _ = add_meeting(engine, COUNCIL, dt.date(2025, 7, 9))
    assert row["shows_period"] == "2025-06"
    with pytest.raises(MeetingError, match="cannot show figures for 2025-08"):
        add_meeting(engine, COUNCIL, dt.date(2025, 7, 9), shows_period="2025-08")
    bad = write_csv(tmp_path / "bad.csv", [["meeting_date", "shows_period"], ["31/02/2025", ""],
                                            ["10/06/2025", "June"]])
    refused = load_meetings(engine, bad, COUNCIL, "analyst")
    assert not refused.ok and errors(refused) == [(2, "meeting_date", "type-error"),
                                                  (3, "shows_period", "constraint-error")]


MEETINGS = [Meeting(dt.date(2025, 1, 15), "C", "2024-11"), Meeting(dt.date(2025, 3, 12), "C", "2025-01"),
            Meeting(dt.date(2025, 5, 14), "C", "2025-03")]
PERIODS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13) if f"{y}-{m:02d}" <= "2025-04"]


@pytest.mark.parametrize("period, chosen, since, meeting", [
    ("2025-03", None, "2025-01", dt.date(2025, 3, 12)),   # to be shown on 14 May: compared with 12 March's
    ("2025-04", None, "2025-03", dt.date(2025, 5, 14)),
    ("2025-02", None, "2025-01", dt.date(2025, 3, 12)),   # a month between meetings
    ("2025-01", None, "2024-11", dt.date(2025, 1, 15)),
    ("2024-11", None, "2024-10", None),                   # before the first meeting recorded: the month before
    ("2025-03", "2024-03", "2024-03", None),              # chosen
    ("2025-03", "2025-03", "2025-01", dt.date(2025, 3, 12)),  # not earlier: ignored
    ("2025-03", "2019-01", "2025-01", dt.date(2025, 3, 12)),  # no figures: ignored
])
def test_the_month_compared_with(period, chosen, since, meeting):
    basis = comparison_basis(MEETINGS, period, PERIODS, chosen)
    assert basis.since == since
    assert (basis.meeting.date if basis.meeting else None) == meeting
    assert basis.chosen == (chosen == since)


def test_commands(database_url, tmp_path):
    runner = CliRunner()
    added = runner.invoke(main, ["actions", "add", "--reference", "B1", "--indicator", "iha_in_timescale",
                                 "--action", "Chase the health provider", "--owner", "Nurse", "--due", "2025-06-30",
                                 "--status", "in progress", "--on", "2025-04-01"])
    assert added.exit_code == 0 and "Stored action B1 on iha_in_timescale" in added.output, added.output
    updated = runner.invoke(main, ["actions", "add", "--reference", "B1", "--status", "done", "--update", "Met"])
    assert updated.exit_code == 0 and "complete" in updated.output
    listed = runner.invoke(main, ["actions", "list"])
    assert "B1  iha_in_timescale  Complete, due 30/06/2025" in listed.output and "Met" in listed.output
    refused = runner.invoke(main, ["actions", "add", "--reference", "B2", "--indicator", "iha_in_timescal"])
    assert refused.exit_code == 1 and "did you mean 'iha_in_timescale'" in refused.output
    calendar = write_csv(tmp_path / "m.csv", [["meeting date", "month shown"], ["12/03/2025", "2025-01"]])
    loaded = runner.invoke(main, ["meetings", "load", str(calendar)])
    assert loaded.exit_code == 0 and "Loaded 1 meeting from m.csv" in loaded.output
    assert "12/03/2025  Corporate parenting committee: scorecard for 2025-01" in runner.invoke(
        main, ["meetings", "list"]).output
    broken = write_csv(tmp_path / "broken.csv", [["meeting date"], ["soon"]])
    failed = runner.invoke(main, ["meetings", "load", str(broken)])
    assert failed.exit_code == 1 and "the store is unchanged" in failed.output


def test_files_with_headers_and_no_rows_load_nothing_and_say_so(engine, tmp_path):
    log = write_csv(tmp_path / "log.csv", [["Ref", "Indicator", "Action", "Owner", "Due date", "Status"]])
    calendar = write_xlsx(tmp_path / "calendar.xlsx", {"Dates": [["Meetings 2026"], ["Meeting date", "Committee"]]})
    empty_log = load_actions(engine, log, COUNCIL, KNOWN, "analyst")
    empty_calendar = load_meetings(engine, calendar, COUNCIL, "analyst")
    assert [p.code for p in empty_log.report.errors] == ["empty-file"] and empty_log.loaded == 0
    assert [p.code for p in empty_calendar.report.errors] == ["empty-file"] and empty_calendar.loaded == 0
    assert stored_actions(engine) == [] and meetings(engine, COUNCIL) == []

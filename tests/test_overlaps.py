"""Which record wins when loads overlap, dataset by dataset (README, "Which record wins"),
through the command line, with what each load summary says."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import write_csv
from ingest.datasets import CHILDREN_IN_CARE, MISSING_EPISODES, RETURN_INTERVIEWS
from scorecard.cli import main

COUNCIL = "E10000099"
HEADER_903 = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES_903 = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
                "HOME_POST", "PL_POST", "URN"]
MISSING_903 = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]


def template(dataset, folder, name, rows):
    """A monthly extract with the template's headers: rows as {field: value}."""
    headers = [f.header for f in dataset.stored_fields]
    names = [f.name for f in dataset.stored_fields]
    return write_csv(folder / name, [headers, *[[row.get(n) for n in names] for row in rows]])


def episode(child, start, end=None, district="North", in_area="Y", period_start=None, reason="S"):
    return {"child_id": child, "date_of_birth": "01/01/2012", "sex": "M", "uasc": "N", "legal_status": "C2",
            "period_start": period_start or start, "episode_start": start, "episode_end": end,
            "reason_new_episode": reason, "placement_type": "U4", "placement_provider": "PR1",
            "placed_in_area": in_area, "district": district}


def ingest(*args):
    result = CliRunner().invoke(main, ["ingest", "--council", COUNCIL, *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def figure(indicator, period, breakdown="total", group="total"):
    result = CliRunner().invoke(main, ["report", "--format", "json", "--council", COUNCIL, "--period", period,
                                       *(["--breakdowns"] if breakdown != "total" else [])])
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.output)["indicators"]
            if (r["indicator"], r["breakdown"], r["group"]) == (indicator, breakdown, group)]
    return rows[0] if rows else None


def a_return(folder, episodes, missing=(), children=("C1", "C2", "C3")):
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(folder / "header.csv", [HEADER_903, *[[c, "1", "01/01/2012", "WBRI", "", "", ""]
                                                             for c in children]]),
            write_csv(folder / "episodes.csv", [EPISODES_903, *episodes]),
            write_csv(folder / "missing.csv", [MISSING_903, *missing])]


def test_an_open_episode_a_later_monthly_list_leaves_out_ends_by_its_first_day(database_url, tmp_path):
    ingest(template(CHILDREN_IN_CARE, tmp_path, "feb.csv", [episode("C1", "01/06/2023"), episode("C2", "01/09/2023")]),
           "--period", "2024-02")
    output = ingest(template(CHILDREN_IN_CARE, tmp_path, "mar.csv", [episode("C2", "01/09/2023")]),
                    "--period", "2024-03")
    assert "1 records earlier files listed as open are not in this file" in output
    assert "taken as ended by 01/03/2024: C1 episode start 01/06/2023" in output
    assert figure("children_in_care", "2024-02")["numerator"] == 2  # February's list stands for February
    assert figure("children_in_care", "2024-03")["numerator"] == 1  # C1 is not in care for ever


def test_a_corrected_month_supersedes_and_says_what_changed(database_url, tmp_path):
    ingest(template(CHILDREN_IN_CARE, tmp_path, "mar.csv", [episode("C1", "01/06/2023"), episode("C2", "01/09/2023")]),
           "--period", "2024-03")
    output = ingest(template(CHILDREN_IN_CARE, tmp_path, "mar2.csv",
                             [episode("C1", "01/06/2023", end="20/03/2024"), episode("C3", "05/03/2024")]),
                    "--period", "2024-03")
    assert "Children in care: 2 records: 1 new; 1 updated (episode end 1); 0 as already stored" in output
    assert "supersedes extract 1 (mar.csv" in output
    assert "1 records of the superseded load are not in this file and no longer count: C2 episode start" in output
    assert figure("children_in_care", "2024-03")["numerator"] == 1  # C3; C1 left, C2 withdrawn


def test_the_next_years_return_ends_the_episodes_it_does_not_list(database_url, tmp_path):
    open_in_2019 = [["C1", "01/05/2018", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""],
                    ["C2", "01/07/2019", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""]]
    ingest(*a_return(tmp_path / "2019-20", open_in_2019), "--year", "2019-20")
    output = ingest(*a_return(tmp_path / "2020-21", open_in_2019[1:]), "--year", "2020-21")
    assert "taken as ended by 01/04/2020: C1 episode start 01/05/2018" in output
    assert figure("children_in_care", "2020-03")["numerator"] == 2
    assert figure("children_in_care", "2020-04")["numerator"] == 1


def test_a_monthly_extract_loaded_after_the_return_fills_in_what_the_return_lacks(database_url, tmp_path):
    ingest(*a_return(tmp_path / "903", [["C1", "01/05/2018", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""]]),
           "--year", "2019-20")
    assert figure("placed_out_of_area", "2019-06")["value"] is None  # the 903 has no placement area
    # June's extract, loaded later: its version of the episode loses to the return's (as at
    # 31 March 2020: it ended in August), but the return says nothing of the area.
    ingest(template(CHILDREN_IN_CARE, tmp_path, "june.csv", [episode("C1", "01/05/2018", in_area="N")]),
           "--period", "2019-06")
    june = figure("placed_out_of_area", "2019-06")
    assert (june["numerator"], june["denominator"]) == (1, 1)
    ingest(*a_return(tmp_path / "903b", [["C1", "01/05/2018", "S", "C2", "N1", "U4", "PR1", "20/08/2019", "E4A",
                                          "", "", "", ""]]), "--year", "2019-20")
    assert figure("children_in_care", "2019-07")["numerator"] == 1
    assert figure("children_in_care", "2019-08")["numerator"] == 0  # the return's end date wins
    assert figure("placed_out_of_area", "2019-07")["numerator"] == 1  # the area is still June's


def test_a_returns_missing_episodes_are_the_monthly_ones_of_the_same_child_and_day(database_url, tmp_path):
    missing = [{"episode_id": "M1", "child_id": "C1", "in_care": "Y", "missing_from": "10/06/2019 21:30",
                "found_at": "11/06/2019 09:15"},
               {"episode_id": "M2", "child_id": "C1", "in_care": "Y", "missing_from": "20/06/2019 18:00",
                "found_at": "20/06/2019 23:00"},
               {"episode_id": "M3", "child_id": "X9", "in_care": "N", "missing_from": "12/06/2019 10:00",
                "found_at": "12/06/2019 11:00"}]
    interviews = [{"episode_id": "M1", "child_id": "C1", "outcome": "Completed", "held_at": "12/06/2019 10:00"}]
    ingest(template(MISSING_EPISODES, tmp_path, "missing.csv", missing),
           template(RETURN_INTERVIEWS, tmp_path, "rhi.csv", interviews), "--period", "2019-06")
    # The return lists M1 (same child, same day) and another episode, not M2.
    output = ingest(*a_return(tmp_path / "903", [["C1", "01/05/2018", "S", "C2", "N1", "U4", "PR1", "", "", "",
                                                  "", "", ""]],
                              missing=[["C1", "01/01/2012", "M", "10/06/2019", "11/06/2019"],
                                       ["C1", "01/01/2012", "A", "25/06/2019", "25/06/2019"]]), "--year", "2019-20")
    assert "Missing episodes: 2 records: 1 new; 0 updated" not in output  # M1 is not new
    assert "withdrawn: M2" in output  # the return lists every episode of a child in care
    started = figure("missing_episodes", "2019-06", "care_status", "Children in care")
    assert started["numerator"] == 2  # M1 and the return's 25 June; M2 withdrawn
    assert figure("missing_episodes", "2019-06", "care_status", "Other children")["numerator"] == 1  # M3 kept
    # M1's interview still follows it, 12h45m after the time June's file gave (the
    # return's midnight does not erase it), so within 72 hours.
    within = figure("rhi_within_72_hours", "2019-06")
    assert (within["numerator"], within["denominator"]) == (1, 1)


def test_interviews_a_later_file_leaves_out_stay(database_url, tmp_path):
    missing = [{"episode_id": f"M{n}", "child_id": "C1", "in_care": "Y", "missing_from": f"0{n}/06/2019 10:00",
                "found_at": f"0{n}/06/2019 20:00"} for n in (1, 2)]
    ingest(template(MISSING_EPISODES, tmp_path, "missing.csv", missing),
           template(RETURN_INTERVIEWS, tmp_path, "rhi.csv", [{"episode_id": "M1", "child_id": "C1",
                                                              "outcome": "Completed", "held_at": "02/06/2019 10:00"}]),
           "--period", "2019-06")
    ingest(template(RETURN_INTERVIEWS, tmp_path, "rhi7.csv", [{"episode_id": "M2", "child_id": "C1",
                                                               "outcome": "Completed", "held_at": "03/07/2019 10:00"}]),
           "--period", "2019-07")
    completed = figure("rhi_completed", "2019-06")
    assert (completed["numerator"], completed["denominator"]) == (2, 2)

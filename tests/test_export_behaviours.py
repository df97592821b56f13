"""Monthly exports, one behaviour at a time: what the README and the issue promise, and each
bug the generated shapes in test_exports.py found, as the smallest export that shows it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import export_shapes as shapes
from export_analyst import COUNCIL, Analyst, csv_file, listing, load_empty_months, plain_file

README_U4 = "Foster placement with other foster carer - long term fostering"


@pytest.fixture
def analyst(engine, database_url, tmp_path) -> Analyst:
    return Analyst(engine, tmp_path)


def test_two_columns_naming_one_field_hold_the_same_values_or_are_resolved_by_a_mapping(analyst, tmp_path):
    same = csv_file(tmp_path, "visits.csv", [["Child ID", "Person ID", "Date Due", "Date Done"],
                                             ["100101", "100101", "10/09/2019", "09/09/2019"]])
    outcome = analyst.ingest([same])
    assert outcome.exit_code == 0, listing(outcome.problems)
    assert [p["column"] for p in outcome.having("duplicate-column", "info")] == ["Person ID"], listing(outcome.problems)

    differ = csv_file(tmp_path, "visits.csv", [["Child ID", "Person ID", "Date Due", "Date Done"],
                                               ["C-1", "100101", "10/09/2019", "09/09/2019"]])
    before = analyst.dump()
    outcome = analyst.ingest([differ])
    assert outcome.exit_code == 1 and analyst.dump() == before, listing(outcome.problems)
    message = outcome.having("duplicate-column", "error")[0]["message"]
    assert "'Child ID' (column A) and 'Person ID' (column B)" in message and "row 2: 'C-1' and '100101'" in message, \
        message
    assert f"scorecard mapping set --council {COUNCIL} --dataset visits --field child_id --header" in message, message
    assert analyst.cli("mapping", "set", "--council", COUNCIL, "--dataset", "visits", "--field", "child_id",
                       "--header", "Person ID").exit_code == 0
    outcome = analyst.ingest([differ])
    assert outcome.exit_code == 0, listing(outcome.problems)
    extract = analyst.current_extract("visits")
    assert [r["child_id"] for r in analyst.rows("visits", extract["id"])] == ["100101"]
    assert extract["mapping_version"] == 1


def test_visits_before_the_months_children_in_care_list_load_with_a_warning(analyst, tmp_path):
    visits = csv_file(tmp_path, "visits.csv", [["Child ID", "Date Due", "Date Done"], ["100101", "10/09/2019", None]])
    outcome = analyst.ingest([visits])
    assert outcome.exit_code == 0, listing(outcome.problems)
    warning = outcome.having("not-yet-checked", "warning")
    assert [(p["row"], p["column"], p["value"]) for p in warning] == [(2, "Child ID", "100101")], listing(warning)
    assert "no children in care extract covers 2019-09 yet" in warning[0]["message"]


def test_a_word_that_could_mean_two_codes_is_refused_until_the_analyst_says_which(analyst, tmp_path):
    missing = plain_file("missing_episodes", tmp_path)
    header = ["Missing ID", "Child ID", "Outcome", "Date Offered"]
    rhi = shapes.write_workbook(tmp_path / "rhi.xlsx", {"RHI": [header, ["50106", "100104", "Refused", None],
                                                                ["50102", "100101", "Refused by child", None]]})
    before = analyst.dump()
    outcome = analyst.ingest([missing, rhi])
    assert outcome.exit_code == 1 and analyst.dump() == before, listing(outcome.problems)
    [refused] = [p for p in outcome.errors if p["file"] == "rhi.xlsx"]
    assert (refused["sheet"], refused["row"], refused["column"], refused["value"]) == ("RHI", 2, "Outcome", "Refused")
    assert "closest: refused_child (Refused by the child), refused_parent (Refused by the parent or carer)" in \
        refused["message"], refused["message"]
    assert analyst.cli("mapping", "value", "--council", COUNCIL, "--dataset", "return_interviews", "--field",
                       "outcome", "--value", "Refused", "--code", "refused_parent").exit_code == 0
    outcome = analyst.ingest([missing, rhi])
    assert outcome.exit_code == 0, listing(outcome.problems)
    extract = analyst.current_extract("return_interviews")
    assert [r["outcome"] for r in analyst.rows("return_interviews", extract["id"])] == ["refused_parent",
                                                                                      "refused_child"]


# --- Bugs the generated shapes found, each as the smallest export that shows it ------------------

def refused_with_did_you_mean(analyst: Analyst, path: Path, dataset: str, field_name: str, header: str) -> None:
    """What the README promises for a header it does not know: nothing loaded, and a
    message naming the file's header and the full mapping command."""
    before = analyst.dump()
    outcome = analyst.ingest([path])
    assert outcome.exit_code == 1 and analyst.dump() == before, f"loaded:\n{outcome.output}"
    messages = [p["message"] for p in outcome.having("missing-column", "error")]
    assert any(f"did you mean {header!r}" in m and f"scorecard mapping set --council {COUNCIL} --dataset {dataset} "
               f"--field {field_name} --header {header!r}" in m for m in messages), listing(outcome.problems)


def test_bug_the_readmes_own_wording_of_u4_loads(analyst, tmp_path):
    cic = csv_file(tmp_path, "cla.csv", [
        ["Child ID", "DOB", "Sex", "UASC", "Legal Status", "Period Start", "Episode Start", "Placement Type",
         "Placement Provider"],
        ["100105", "12/12/2012", "F", "N", "C2", "01/04/2015", "01/04/2015", README_U4, "PR2"]])
    outcome = analyst.ingest([cic])
    assert outcome.exit_code == 0, listing(outcome.errors)
    assert analyst.rows("children_in_care", analyst.current_extract("children_in_care")["id"])[0]["placement_type"] \
        == "U4"


def test_bug_words_in_another_order_with_a_note_in_brackets(analyst, tmp_path):
    visits = csv_file(tmp_path, "visits.csv", [["Child ID", "Date Visit Due (dd/mm/yyyy)", "Date of Visit"],
                                               ["100101", "10/09/2019", "09/09/2019"]])
    outcome = analyst.ingest([visits])
    assert outcome.exit_code == 0, listing(outcome.errors)


def test_bug_did_you_mean_looks_past_a_note_in_brackets(analyst, tmp_path):
    visits = csv_file(tmp_path, "visits.csv", [["Child ID", "Statutory Visit Due (dd/mm/yyyy)", "Date of Visit",
                                                "Visit type"], ["100101", "10/09/2019", "09/09/2019", "Statutory"]])
    refused_with_did_you_mean(analyst, visits, "visits", "date_due", "Statutory Visit Due (dd/mm/yyyy)")


def test_bug_a_health_export_with_an_unknown_type_header_is_not_loaded_as_visits(analyst, tmp_path):
    health = csv_file(tmp_path, "health.csv", [["Child ID", "Health Check Type", "Date Due", "Date Completed"],
                                               ["100102", "Initial health assessment", "10/09/2019", "06/09/2019"]])
    refused_with_did_you_mean(analyst, health, "health_assessments", "assessment_type", "Health Check Type")


def test_words_of_an_accepted_header_in_another_order_read_a_health_export_as_health(analyst, tmp_path):
    health = csv_file(tmp_path, "health.csv", [["Child ID", "Type of Assessment", "Date Due", "Date Completed",
                                                "Date Became Looked After"],
                                               ["100102", "Initial health assessment", "10/09/2019", "06/09/2019",
                                                "12/08/2019"]])
    outcome = analyst.ingest([health])
    assert outcome.exit_code == 0, listing(outcome.errors)
    assert analyst.current_extract("health_assessments") is not None


def test_bug_a_care_leavers_export_with_an_unknown_age_header_is_not_loaded_as_an_ssda903_return(analyst, tmp_path):
    leavers = csv_file(tmp_path, "leavers.csv", [["CHILD", "DOB", "Age at Milestone", "IN_TOUCH", "ACTIV", "ACCOM"],
                                                 ["400107", "01/10/2001", "17", "NREQ", None, None]])
    # It used to load as a 903 OC3 for 2019-20, storing the birthday 01/10/2019, a year after the 17th.
    refused_with_did_you_mean(analyst, leavers, "care_leavers", "birthday", "Age at Milestone")


def test_a_care_leavers_export_with_an_age_column_gives_the_birthday_of_that_age(analyst, tmp_path):
    leavers = csv_file(tmp_path, "leavers.csv", [["CHILD", "DOB", "Age on Birthday", "IN_TOUCH", "ACTIV", "ACCOM"],
                                                 ["400107", "01/10/2001", "17", "NREQ", None, None]])
    outcome = analyst.ingest([leavers])
    assert outcome.exit_code == 0, listing(outcome.errors)
    rows = analyst.rows("care_leavers", analyst.current_extract("care_leavers")["id"])
    assert rows[0]["birthday"] == dt.date(2018, 10, 1)


def test_bug_a_missing_episodes_export_is_not_read_as_health_assessments(analyst, tmp_path):
    missing = csv_file(tmp_path, "missing.csv", [["Episode ID", "Child ID", "CLA Flag", "Date Went AWOL", "Type"],
                                                 ["50101", "100101", "Y", "02/09/2019 21:30", "Missing"]])
    refused_with_did_you_mean(analyst, missing, "missing_episodes", "missing_from", "Date Went AWOL")


def test_bug_an_unrecognised_export_is_told_which_of_its_headers_to_map(analyst, tmp_path):
    visits = csv_file(tmp_path, "visits.csv", [["Child Ref", "Statutory Visit Due", "Date of Visit"],
                                               ["100101", "10/09/2019", "09/09/2019"]])
    refused_with_did_you_mean(analyst, visits, "visits", "date_due", "Statutory Visit Due")


def test_bug_a_care_leaver_born_on_29_february_is_counted_at_the_age_reached(analyst, tmp_path):
    load_empty_months(analyst, "care_leavers", tmp_path, 11)
    leavers = csv_file(tmp_path, "leavers.csv", [["Child ID", "DOB", "Relevant Birthday", "In Touch"],
                                                 ["400106", "29/02/2000", "28/02/2019", "YES"]])
    assert analyst.ingest([leavers]).exit_code == 0
    figures = analyst.report()
    counted = {name: (figures[name]["numerator"], figures[name]["denominator"])
               for name in ("care_leavers_in_touch_17_18", "care_leavers_in_touch_19_21")}
    assert counted == {"care_leavers_in_touch_17_18": (0, 0), "care_leavers_in_touch_19_21": (1, 1)}, counted


def test_a_saved_mapping_is_used_by_every_later_load(analyst, tmp_path):
    header = ["Episode ID", "Child ID", "Looked After", "Date Went AWOL", "Date Found"]
    september = csv_file(tmp_path, "missing-09.csv", [header, ["50101", "100101", "Y", "02/09/2019 21:30", None]])
    october = csv_file(tmp_path, "missing-10.csv", [header, ["50201", "100102", "N", "03/10/2019 08:00", None]])
    refused_with_did_you_mean(analyst, september, "missing_episodes", "missing_from", "Date Went AWOL")
    assert analyst.cli("mapping", "set", "--council", COUNCIL, "--dataset", "missing_episodes", "--field",
                       "missing_from", "--header", "Date Went AWOL").exit_code == 0
    assert analyst.ingest([september]).exit_code == 0
    assert analyst.ingest([october], period="2019-10").exit_code == 0
    loaded = [e for e in analyst.extracts() if e["dataset"] == "missing_episodes"]
    assert [(e["first_month"], e["mapping_version"]) for e in loaded] == [("2019-09", 1), ("2019-10", 1)], loaded
    stored = analyst.rows("missing_episodes", loaded[1]["id"])
    assert [(r["episode_id"], r["missing_from"]) for r in stored] == [("50201", dt.datetime(2019, 10, 3, 8, 0))]
    shown = analyst.cli("mapping", "show", "--council", COUNCIL).output
    assert "missing_episodes version 1" in shown and "'Date Went AWOL' -> missing_from" in shown, shown

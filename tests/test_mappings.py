"""Saved column mappings through the command line: set, value, unset, load from a file,
show with every version, and the version each load used."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import write_csv
from scorecard.cli import main

COUNCIL = "E10000016"
HEADER = ["Episode No", "Child ID", "CLA", "Date Went AWOL", "Date Found", "What happened"]
ROWS = [["M1", "C1", "Y", "02/09/2019 21:30", "03/09/2019 08:15", "Gone AWOL"]]


def run(*args):
    return CliRunner().invoke(main, [*args])


def mapping(*args):
    return run("mapping", args[0], "--council", COUNCIL, *args[1:])


def test_a_mapping_is_saved_in_versions_used_by_loads_and_shown(database_url, tmp_path):
    export = write_csv(tmp_path / "missing.csv", [HEADER, *ROWS])
    refused = run("ingest", "--quiet", str(export), "--period", "2019-09", "--council", COUNCIL)
    assert refused.exit_code == 1 and "did you mean 'Date Went AWOL'" in refused.output

    rows = [["dataset", "field", "header", "value", "code"],
            ["missing_episodes", "episode_id", "Episode No", "", ""],
            ["missing_episodes", "missing_from", "Date Went AWOL", "", ""],
            ["missing_episodes", "absence_type", "What happened", "", ""],
            ["missing_episodes", "absence_type", "", "Gone AWOL", "A"]]
    loaded = mapping("load", str(write_csv(tmp_path / "mapping.csv", rows)))
    assert loaded.exit_code == 0, loaded.output
    assert "Saved version 4 of E10000016's mapping for missing_episodes" in loaded.output

    result = run("ingest", "--quiet", str(export), "--period", "2019-09", "--council", COUNCIL)
    assert result.exit_code == 0, result.output
    assert "Read missing_episodes with E10000016's saved mapping, version 4" in result.output
    listed = json.loads(run("extracts", "--json", "--council", COUNCIL).output)
    assert listed[0]["mapping_version"] == 4 and listed[0]["changes"]["new"] == 1

    unset = mapping("unset", "--dataset", "missing_episodes", "--field", "absence_type", "--value", "Gone AWOL")
    assert unset.exit_code == 0 and "Saved version 5" in unset.output
    history = mapping("show", "--history", "--dataset", "missing_episodes")
    lines = history.output.splitlines()
    assert [line.split(" (")[0] for line in lines if line.startswith("missing_episodes version")] == [
        f"missing_episodes version {n}" for n in range(1, 6)]
    assert "absence_type: 'Gone AWOL' unmapped" in history.output
    current = mapping("show")
    assert "version 5 (current)" in current.output and "'Date Went AWOL' -> missing_from" in current.output
    assert "'Gone AWOL' -> A" not in current.output  # the note says it was unmapped; the mapping has it no more


def test_a_bad_mapping_is_refused_with_its_reason_and_nothing_saved(database_url, tmp_path):
    unknown_field = mapping("set", "--dataset", "missing_episodes", "--field", "when_missing", "--header", "X")
    assert unknown_field.exit_code == 1 and "has no field 'when_missing'" in unknown_field.output
    unknown_code = mapping("value", "--dataset", "return_interviews", "--field", "outcome", "--value", "No",
                           "--code", "nope")
    assert unknown_code.exit_code == 1 and "'nope' is not a rhi outcome code" in unknown_code.output
    not_coded = mapping("value", "--dataset", "missing_episodes", "--field", "child_id", "--value", "x", "--code", "y")
    assert not_coded.exit_code == 1 and "is not a coded field" in not_coded.output
    rows = [["dataset", "field", "header", "value", "code"], ["visits", "date_due", "Due", "", ""],
            ["visits", "nonsense", "X", "", ""]]
    bad_file = mapping("load", str(write_csv(tmp_path / "mapping.csv", rows)))
    assert bad_file.exit_code == 1 and "row 3:" in bad_file.output
    assert "No saved mappings for E10000016" in mapping("show").output  # the good first row was not saved either


def test_a_mapping_says_which_of_two_columns_naming_one_field_to_read(database_url, tmp_path):
    export = write_csv(tmp_path / "visits.csv", [["Child ID", "Due Date", "Date Due", "Date of Visit"],
                                                 ["C1", "10/09/2019", "12/09/2019", "09/09/2019"]])
    refused = run("ingest", "--quiet", str(export), "--period", "2019-09", "--council", COUNCIL)
    assert refused.exit_code == 1
    assert "columns 'Due Date' (column B) and 'Date Due' (column C) both name Date Due and differ" in refused.output
    assert mapping("set", "--dataset", "visits", "--field", "date_due", "--header", "Date Due").exit_code == 0
    result = run("ingest", "--quiet", str(export), "--period", "2019-09", "--council", COUNCIL, "--dry-run")
    assert result.exit_code == 0, result.output

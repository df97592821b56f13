"""A council starts from the SSDA903 return it already sends the DfE: its CSV files load
onto the same tables, each row keeping the 903 file and row it came from."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from sqlalchemy import select

from conftest import write_csv
from ingest.ssda903 import birthday_in_year
from scorecard.periods import CollectionYear
from scorecard import store
from scorecard.cli import main

# The DfE column layouts (children looked after return, SSDA903).
HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
            "HOME_POST", "PL_POST", "URN"]
UASC = ["CHILD", "SEX", "DOB", "DUC"]
MISSING = ["CHILD", "MISSING", "MIS_START", "MIS_END"]
OC2 = ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
       "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
OC3 = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]


def write_return(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(folder / "header.csv", [HEADER,
                                          ["101", "1", "14/03/2010", "WBRI", "A123456789012", "", ""],
                                          ["102", "2", "02/11/2007", "BAFR", "", "0", ""],
                                          ["103", "M", "05/05/2007", "AOTH", "", "", ""]]),
        write_csv(folder / "episodes.csv", [EPISODES,
                                            # child 101: one period of care, a change of placement then a
                                            # change of legal status only
                                            ["101", "05/01/2023", "S", "C1", "N1", "U4", "PR1", "01/06/2023", "X1",
                                             "", "AB1 2", "AB1 3", ""],
                                            ["101", "01/06/2023", "P", "C1", "N1", "U6", "PR4", "10/10/2023", "X1",
                                             "CARPL", "AB1 2", "CD4 5", "SC123456"],
                                            ["101", "10/10/2023", "L", "C2", "N1", "U6", "PR4", "", "", "",
                                             "AB1 2", "CD4 5", "SC123456"],
                                            # child 102: left care and came back: two periods
                                            ["102", "01/05/2022", "S", "V2", "N4", "K2", "PR4", "01/08/2023", "E4A",
                                             "", "", "", ""],
                                            ["102", "03/02/2024", "S", "V2", "N4", "K2", "PR4", "", "", "", "", "", ""],
                                            # child 103: UASC, status ceased part-way
                                            ["103", "20/07/2023", "S", "V2", "N7", "K3", "", "", "", "", "", "",
                                             ""],
                                            ]),
        write_csv(folder / "uasc.csv", [UASC, ["103", "M", "05/05/2007", "05/05/2025"]]),
        write_csv(folder / "missing.csv", [MISSING, ["101", "M", "02/02/2024", "03/02/2024"],
                                           ["101", "A", "10/02/2024", "10/02/2024"],
                                           ["102", "M", "01/03/2024", ""]]),
        write_csv(folder / "oc2.csv", [OC2, ["101", "14/03/2010", "14", "", "0", "1", "1", "0", "1", "0", "", ""]]),
        write_csv(folder / "oc3.csv", [OC3, ["201", "30/03/2005", "YES", "F5", "E1"],
                                       ["202", "01/04/2003", "NO", "G5", "S2"]]),
    ]


def test_the_903_return_loads_onto_the_scorecard_tables(engine, database_url, tmp_path):
    files = write_return(tmp_path / "903")
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), "--period", "2024-03"])
    assert result.exit_code == 0, result.output
    assert "Loaded 4 datasets" in result.output
    with engine.connect() as conn:
        extracts = {e["dataset"]: e for e in store.list_extracts(conn)}
        cic = [dict(r._mapping) for r in conn.execute(select(store.children_in_care).order_by(store.children_in_care.c.id))]
        missing = [dict(r._mapping) for r in conn.execute(select(store.missing_episodes).order_by(store.missing_episodes.c.id))]
        health = [dict(r._mapping) for r in conn.execute(select(store.health_assessments).order_by(store.health_assessments.c.id))]
        leavers = [dict(r._mapping) for r in conn.execute(select(store.care_leavers).order_by(store.care_leavers.c.id))]

    assert all(e["source_format"] == "ssda903" for e in extracts.values())
    cic_extract = extracts["children_in_care"]
    assert cic_extract["source_file"] == "episodes.csv"
    assert [f["file"] for f in json.loads(cic_extract["also_from"])] == ["header.csv", "uasc.csv"]

    assert [r["source_row"] for r in cic] == [2, 3, 4, 5, 6, 7]
    first = cic[0]
    assert (first["sex"], first["date_of_birth"], first["ethnicity"]) == ("1", dt.date(2010, 3, 14), "WBRI")
    # The return does not give the start of each period of care: the metrics work it out
    # from every return's episodes, so the store keeps what the file gives.
    assert {r["period_start"] for r in cic} == {None}
    assert cic[2]["reason_new_episode"] == "L" and cic[2]["legal_status"] == "C2"
    assert [r["uasc"] for r in cic] == [False] * 5 + [True]
    assert cic[5]["placement_type"] == "K3" and cic[5]["placement_provider"] is None
    assert cic[1]["placement_postcode"] == "CD4 5" and cic[1]["placed_in_area"] is None

    assert [m["episode_id"] for m in missing] == ["903-101-20240202", "903-101-20240210", "903-102-20240301"]
    assert all(m["in_care"] for m in missing)
    assert missing[0]["missing_from"] == dt.datetime(2024, 2, 2) and missing[2]["found_at"] is None

    by_type = {h["assessment_type"]: h for h in health}
    assert by_type["review"]["up_to_date"] is True and by_type["dental"]["up_to_date"] is False
    assert by_type["sdq"]["sdq_score"] == 14 and by_type["review"]["date_due"] == dt.date(2024, 3, 31)

    assert [(c["child_id"], c["birthday"]) for c in leavers] == [("201", dt.date(2024, 3, 30)),
                                                                 ("202", dt.date(2023, 4, 1))]
    assert leavers[1]["accommodation"] == "S2"


def test_episodes_without_the_header_file_are_refused(engine, database_url, tmp_path):
    files = write_return(tmp_path / "903")
    result = CliRunner().invoke(main, ["ingest", "--quiet", str(files[1]), "--period", "2024-03"])
    assert result.exit_code == 1
    assert "the 903 Episodes file needs the 903 Header file" in result.output


def test_903_codes_and_dates_are_validated_like_any_file(engine, database_url, tmp_path):
    folder = tmp_path / "903"
    files = write_return(folder)
    write_csv(folder / "episodes.csv", [EPISODES, ["101", "05/13/2023", "S", "C9", "", "U4", "PR1", "", "", "", "",
                                                   "", ""]])
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files[:2]), "--period", "2024-03"])
    assert result.exit_code == 1
    assert "episodes.csv, row 2, column 'DECOM': '05/13/2023' is not a date" in result.output
    assert "episodes.csv, row 2, column 'LS': 'C9' is not a known legal status code" in result.output


def test_collection_year_and_birthdays():
    assert CollectionYear.of(dt.date(2024, 3, 31)).last_day == dt.date(2024, 3, 31)
    assert CollectionYear.of(dt.date(2023, 4, 30)).last_day == dt.date(2024, 3, 31)
    assert str(CollectionYear.parse("2023/24")) == str(CollectionYear.parse("2023-2024")) == "2023-24"
    year_end = dt.date(2024, 3, 31)
    assert birthday_in_year(dt.date(2005, 3, 31), year_end) == dt.date(2024, 3, 31)  # last day of the year
    assert birthday_in_year(dt.date(2005, 4, 1), year_end) == dt.date(2023, 4, 1)    # first day
    # Born on 29 February: the birthday is 28 February in a year without one.
    assert birthday_in_year(dt.date(2004, 2, 29), dt.date(2023, 3, 31)) == dt.date(2023, 2, 28)
    assert birthday_in_year(dt.date(2004, 2, 29), year_end) == dt.date(2024, 2, 29)


def test_the_returns_tables_no_indicator_uses_are_reported_and_not_loaded(engine, database_url, tmp_path):
    folder = tmp_path / "903"
    files = write_return(folder)
    reviews = write_csv(folder / "reviews.csv", [["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
                                                 ["101", "14/03/2010", "01/09/2023", "PN1"]])
    social_worker = write_csv(folder / "sw.csv", [["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
                                                  ["101", "14/03/2010", "SW1", "05/01/2023", "", ""]])
    report = tmp_path / "problems.json"
    result = CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), str(reviews), str(social_worker),
                                       "--year", "2023-24", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Loaded 4 datasets" in result.output
    ignored = [(p["file"], p["severity"]) for p in json.loads(report.read_text()) if p["code"] == "ignored-table"]
    assert ignored == [("reviews.csv", "info"), ("sw.csv", "info")]
    with engine.connect() as conn:
        assert {e["dataset"] for e in store.list_extracts(conn)} == {"children_in_care", "missing_episodes",
                                                                     "health_assessments", "care_leavers"}

    alone = CliRunner().invoke(main, ["ingest", "--quiet", str(reviews), "--year", "2023-24"])
    assert alone.exit_code == 1 and "Nothing loaded" in alone.output, alone.output
    assert "SSDA903 Reviews table, which the scorecard does not use" in alone.output

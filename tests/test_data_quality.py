"""The data-quality page's findings on a small store whose every gap, blank and mismatch
is known (tests/data_quality_stores.py), on SQLite and PostgreSQL; and who may see them."""
from __future__ import annotations

import pytest
from data_quality_stores import COUNCIL, known_metrics, known_store

from scorecard import store
from scorecard.access import Forbidden, Identity, Role
from scorecard.metrics.data_quality import (
    SECTION_KEYS,
    data_quality,
    refused_uploads,
    upload_details,
)

ANALYST = Identity("ana", Role.ANALYST)


@pytest.fixture
def known(engine):
    ids = known_store(engine)
    return ids, data_quality(ANALYST, known_metrics(engine))


def _rows(frame, *columns):
    return sorted(tuple(row) for row in frame[list(columns)].itertuples(index=False))


def test_every_section_in_order(known):
    _, report = known
    assert tuple(s.key for s in report.sections) == SECTION_KEYS
    assert report.period == "2024-03" and report.council == COUNCIL


def test_every_load_with_its_status(known):
    ids, report = known
    loads = report.section("loads").summary.set_index("extract_id")
    assert len(loads) == 8 and report.section("loads").found == 1      # one load superseded
    assert loads.loc[ids["visits_feb_first"], "status"] == "superseded"
    assert loads.loc[ids["visits_feb_first"], "superseded_by"] == ids["visits_feb"]
    assert (loads["status"] == "current").sum() == 7
    assert loads.loc[ids["cic_mar"], "new"] == 1 and loads.loc[ids["cic_mar"], "ended"] == 2
    assert loads.loc[ids["visits_jan"], ["new", "dropped"]].isna().all()  # no summary kept: nothing made up
    assert list(loads.index) == sorted(loads.index, reverse=True)


def test_freshness_and_months_missing(known):
    _, report = known
    section = report.section("freshness")
    fresh = section.summary.set_index("dataset")
    assert (fresh.loc["Children in care", "gaps"], fresh.loc["Children in care", "gap_months"]) == (1, "2024-02")
    assert (fresh.loc["Missing episodes", "behind"], fresh.loc["Missing episodes", "behind_months"]) == \
        (2, "2024-02 to 2024-03")
    assert fresh.loc["Statutory visits", "state"] == "up to date"
    assert fresh.loc["Return home interviews", ["first_month", "latest_month", "gaps", "behind"]].tolist() == \
        ["2024-03", "2024-03", 0, 0]
    assert fresh.loc["Care leavers", "state"] == "never loaded"
    assert _rows(section.records, "dataset", "month", "kind") == [
        ("Care leavers", "", "never loaded"), ("Children in care", "2024-02", "gap"),
        ("Health assessments", "", "never loaded"), ("Missing episodes", "2024-02", "not yet loaded"),
        ("Missing episodes", "2024-03", "not yet loaded")]
    assert section.found == 4     # datasets with months missing, or never loaded


def test_blank_fields_the_figures_depend_on(known):
    ids, report = known
    section = report.section("completeness")
    counts = {(r.dataset, r.field): (r.records, r.blank) for r in section.summary.itertuples()}
    assert counts == {
        ("Children in care", "ethnicity"): (3, 1), ("Children in care", "district"): (3, 1),
        ("Children in care", "placed_in_area"): (3, 1), ("Children in care", "distance_miles"): (3, 1),
        ("Children in care", "placement_provider"): (2, 1),   # fostering placements only: not C3's
        ("Children in care", "reason_new_episode"): (3, 0),
        ("Statutory visits", "team"): (2, 1),
    }
    by_field = section.summary.set_index("field")
    assert by_field.loc["distance_miles", "blank_percent"] == pytest.approx(33.3)
    assert by_field.loc["distance_miles", "figures"] == "Placed 20 miles or more from home"
    assert "Placed outside the county" in by_field.loc["placed_in_area", "figures"]
    assert by_field.loc["team", "breakdowns"] == "Statutory visits in timescale"
    # A visit's district is its child's care record's: a blank there shows in visits' breakdowns too.
    assert "Statutory visits in timescale" in by_field.loc["district", "breakdowns"]
    assert by_field.loc["district", "figures"] == "" and by_field.loc["district", "breakdowns"]
    assert _rows(section.records, "field", "child_id", "extract_id") == sorted([
        ("ethnicity", "C1", ids["cic_mar"]), ("district", "C2", ids["cic_mar"]),
        ("placed_in_area", "C2", ids["cic_mar"]), ("distance_miles", "C2", ids["cic_mar"]),
        ("placement_provider", "C2", ids["cic_mar"]), ("team", "C1", ids["visits_mar"])])
    assert set(section.records["source_row"]) <= {2, 3, 4}
    assert section.found == 6
    assert "Missing episodes" in section.note and "Care leavers" in section.note


def test_reconciliation_between_datasets(known):
    ids, report = known
    section = report.section("reconciliation")
    # Missing flagged in care: M1, M2, M5 (M2 and M5 disagree); flagged not in care: M3, M4
    # (M4); visits: January's two and March's two checked (C4's and C3's disagree), C2's
    # in February not; interviews: M1's and M9's checked (M9 has no episode), M8's in March not.
    counts = [(r.checked, r.mismatches, r.not_checked) for r in section.summary.itertuples()]
    assert counts == [(3, 2, 0), (2, 1, 0), (4, 2, 1), (2, 1, 1)]
    assert section.found == 6
    listed = section.records
    assert _rows(listed[listed["result"] == "mismatch"], "child_id", "episode_id", "extract_id") == sorted([
        ("C3", "M2", ids["missing_jan"]), ("Z1", "M5", ids["missing_jan"]), ("C2", "M4", ids["missing_jan"]),
        ("C4", "", ids["visits_jan"]), ("C3", "", ids["visits_mar"]), ("C9", "M9", ids["rhi_mar"])])
    assert _rows(listed[listed["result"] == "not checked"], "child_id", "date") == [
        ("C2", "2024-02-14"), ("C8", "2024-03-03 10:00")]
    reasons = dict(zip(listed["episode_id"] + listed["child_id"], listed["reason"]))
    assert reasons["M5Z1"] == "in no children in care list loaded"
    assert reasons["M2C3"] == "in the children in care list, but not in care on that day"
    assert reasons["M4C2"] == "in the children in care list on that day"


def test_records_that_disappeared_between_loads(known):
    ids, report = known
    section = report.section("disappeared")
    summary = section.summary.set_index("load")
    assert sorted(summary.index) == sorted([ids["visits_feb"], ids["cic_mar"]])
    assert summary.loc[ids["visits_feb"], ["dropped", "ended", "withdrawn", "replaced"]].tolist() == \
        [1, 0, 0, str(ids["visits_feb_first"])]
    assert summary.loc[ids["cic_mar"], ["dropped", "ended"]].tolist() == [0, 2]
    assert section.found == 3
    dropped = section.records[section.records["how"] == "not in this load of the same months"]
    assert dropped[["child_id", "record", "from_extract", "source_row"]].values.tolist() == \
        [["C1", "date due 2024-02-20", ids["visits_feb_first"], 3]]
    ended = section.records[section.records["how"].str.startswith("ended")]
    assert ended["record"].tolist() == ["C7 01/02/2024"]   # the summary keeps the first few only: it says so
    assert "first few" in section.note


def test_figures_flagged_for_incomplete_history(known):
    _, report = known
    section = report.section("history")
    flagged = set(zip(section.summary["indicator"], section.summary["period"]))
    # C3's first stored episode continues a period of care the store does not hold, and
    # February is missing inside the months both stability figures look back over.
    assert flagged == {("Three or more placements in the last 12 months", "2024-03"),
                       ("Long-term placement stability", "2024-03")}
    assert section.summary["children"].tolist() == [1, 1]
    assert all("no children in care extract covers 2024-02" in note for note in section.summary["note"])
    assert section.records[["child_id", "earliest_episode_start"]].values.tolist() == [["C3", "2024-03-10"]]
    assert section.found == 2


def test_uploads_from_the_audit_log_tolerating_any_shape(engine):
    with store.write_transaction(engine) as conn:
        store.record_event(conn, "ana", "upload", council=COUNCIL, details={
            "files": ["cla.xlsx", {"name": "visits.csv"}], "status": "refused", "problems_total": 3,
            "problems": [{"file": "cla.xlsx", "sheet": "Report", "row": 7, "column": "DOB", "value": "=1+1",
                          "message": "not a date", "severity": "error"},
                         {"file": "cla.xlsx", "message": "an unknown column", "severity": "warning"}]})
        store.record_event(conn, "ana", "upload", council=COUNCIL, details={"status": "loaded", "files": ["m.csv"]})
        store.record_event(conn, "ana", "upload", council=COUNCIL)                      # no details at all
        store.record_event(conn, "bob", "upload", details={"status": 5, "files": "one.csv", "problems": [1, None]})
        store.record_event(conn, "cy", "upload", council="E10000098", details={"status": "refused"})
        store.record_event(conn, "ana", "login")
    with store.read_connection(engine) as conn:
        section = refused_uploads(store.audit_rows(conn, action="upload"), COUNCIL)
    summary = section.summary
    assert len(summary) == 4                          # another council's upload is not shown
    assert section.found == 1
    refused = summary[summary["status"] == "refused"].iloc[0]
    assert (refused["files"], refused["problems"], refused["problems_listed"], refused["errors_listed"],
            refused["warnings_listed"]) == ("cla.xlsx; visits.csv", 3, 2, 1, 1)
    assert sorted(summary["status"]) == ["5", "loaded", "not recorded", "refused"]
    problem = section.records.iloc[0]
    assert (problem["row"], problem["column"], problem["value"], problem["message"]) == (7, "DOB", "=1+1", "not a date")
    assert section.records["event_id"].nunique() == 1
    assert "first problems" in section.note
    assert upload_details("not json") == {"files": [], "status": "not recorded", "problems": [],
                                          "problems_total": None}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_refused_to_viewers_and_managers(engine, role):
    known_store(engine)
    with pytest.raises(Forbidden, match="data_quality"):
        data_quality(Identity("someone", role), known_metrics(engine))


def test_allowed_to_admins(engine):
    known_store(engine)
    assert data_quality(Identity("root", Role.ADMIN), known_metrics(engine)).period == "2024-03"


def test_blank_fields_of_an_earlier_month_as_its_figures_read_them(engine):
    known_store(engine)
    section = data_quality(ANALYST, known_metrics(engine), "2024-01").section("completeness")
    counts = {(r.dataset, r.field): (r.records, r.blank) for r in section.summary.itertuples()}
    # January's files list C1, C2 and C4; the figures read C1's and C2's March versions.
    assert counts[("Children in care", "ethnicity")] == (3, 1)
    assert counts[("Children in care", "distance_miles")] == (3, 1)
    assert counts[("Statutory visits", "team")] == (2, 0)
    assert section.found == 5 and "covering 2024-01" in section.note


def test_a_blank_from_a_file_without_the_field_says_so(engine):
    from data_quality_stores import add_extract, child, visit

    with store.write_transaction(engine) as conn:
        without_district = [c.name for c in store.children_in_care.c
                            if c.name not in ("id", "extract_id", "source_row", "district")]
        add_extract(conn, "children_in_care", "2024-03", [child("C1", "2023-06-01", district=None)],
                    fields=without_district)
        add_extract(conn, "visits", "2024-03", [visit("C1", "2024-03-05", team=None)])
    section = data_quality(ANALYST, known_metrics(engine)).section("completeness")
    district = section.summary.set_index(["dataset", "field"]).loc[("Children in care", "district")]
    assert (district["blank"], district["blank_not_in_file"]) == (1, 1)
    team = section.summary.set_index(["dataset", "field"]).loc[("Statutory visits", "team")]
    assert (team["blank"], team["blank_not_in_file"]) == (1, 0)
    assert not section.records.set_index("field").loc["district", "in_file"]

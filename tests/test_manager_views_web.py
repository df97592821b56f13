"""Through the app as each role signs in: the same indicator page shows a viewer a hidden
cell and a manager its number; the records page and its CSV are refused to a viewer and
given to a manager; the packs a viewer and a manager download differ, by name and content."""
from __future__ import annotations

import csv
import io
import json

import pytest
from browser_support import call_callback

pytestmark = pytest.mark.slow
PERIOD = "2025-03"
IHA_BY_AREA = ("/indicator/iha_in_timescale", f"?period={PERIOD}&breakdown=area&view=month")


def page_text(client, pathname: str, search: str = "") -> str:
    response = call_callback(client, "_pages_content.children",
                             {"_pages_location.pathname": pathname, "_pages_location.search": search})
    return json.dumps(response, ensure_ascii=False)


def test_the_same_page_hides_a_cell_from_a_viewer_and_shows_a_manager_its_number(client_as, metrics):
    hidden = metrics.breakdowns("iha_in_timescale", [PERIOD], public=True)
    full = metrics.breakdowns("iha_in_timescale", [PERIOD], public=False)
    area = hidden[(hidden["breakdown"] == "area") & hidden["value"].isna()]
    assert len(area), "the demo's March 2025 IHA by area has a hidden group"
    group = area.iloc[0]["group"]
    number = full[(full["breakdown"] == "area") & (full["group"] == group)].iloc[0]
    shown = f"{number['value'] * 100:.1f}%"
    counts = f"{number['numerator']:,.0f} of {number['denominator']:,.0f}"

    viewer = page_text(client_as("viewer"), *IHA_BY_AREA)
    manager = page_text(client_as("manager"), *IHA_BY_AREA)
    assert "Hidden (small number)" in viewer and "not-for-publication" not in viewer
    assert counts not in viewer
    assert shown in manager and counts in manager
    assert "Hidden (small number)" not in manager and "Hidden (protects a small number)" not in manager
    assert "Not for publication: includes numbers under 5" in manager
    assert "records-link" in manager and "records-link" not in viewer


def test_the_scorecard_page_says_not_for_publication_to_a_manager_only(client_as):
    assert "not-for-publication" not in page_text(client_as("viewer"), "/", f"?period={PERIOD}")
    manager = page_text(client_as("manager"), "/", f"?period={PERIOD}")
    assert "Not for publication: includes numbers under 5" in manager
    assert "Meeting pack for March 2025, not for publication" in manager


def test_the_records_page_is_refused_to_a_viewer_and_listed_for_a_manager(client_as):
    path, search = "/records/placed_out_of_area", f"?period={PERIOD}"
    viewer = page_text(client_as("viewer"), path, search)
    assert "Not available to you" in viewer and "records-grid" not in viewer and "rowData" not in viewer
    manager = page_text(client_as("manager"), path, search)
    assert "records-grid" in manager and "209 records counted; 705 records listed in all" in manager
    assert "Child id" in manager and "child_name" not in manager


def test_the_records_csv_is_refused_to_a_viewer_and_to_nobody(client_as, anonymous_client):
    address = f"/download/records/placed_out_of_area/{PERIOD}.csv"
    assert client_as("viewer").get(address).status_code == 403
    assert anonymous_client.get(address).status_code != 200
    response = client_as("manager").get(address)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="records-behind-placed_out_of_area-E10000099-{PERIOD}-not-for-publication.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 705 and sum(r["included"] == "counted" for r in rows) == 209
    assert client_as("manager").get(f"/download/records/children_in_care_rate/{PERIOD}.csv").status_code == 404
    assert client_as("manager").get(f"/download/records/no_such_thing/{PERIOD}.csv").status_code == 404


def test_the_packs_a_viewer_and_a_manager_download_differ(client_as):
    import openpyxl

    address = f"/download/scorecard-{PERIOD}.xlsx"
    viewer, manager = client_as("viewer").get(address), client_as("manager").get(address)
    assert viewer.status_code == manager.status_code == 200
    assert viewer.headers["Content-Disposition"].endswith(f'-{PERIOD}.xlsx"')
    assert manager.headers["Content-Disposition"].endswith(f'-{PERIOD}-not-for-publication.xlsx"')
    viewer_book, manager_book = (openpyxl.load_workbook(io.BytesIO(r.data)) for r in (viewer, manager))
    assert viewer_book["Breakdowns"].cell(4, 1).value is None
    assert manager_book["Breakdowns"].cell(4, 1).value.startswith("Not for publication")

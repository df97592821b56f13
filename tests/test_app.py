"""Every page and callback through the Flask test client, on the demo county's real
computed figures: what the page would show is checked against `scorecard report`."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from browser_support import call_callback

from scorecard import store
from scorecard.metrics import council_metrics, report_table
from scorecard.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow
COUNCIL = "E10000099"


def page_text(client, pathname: str, search: str = "") -> str:
    """The page as the router callback renders it, as JSON text."""
    response = call_callback(client, "_pages_content.children",
                             {"_pages_location.pathname": pathname, "_pages_location.search": search})
    return json.dumps(response, ensure_ascii=False)


@pytest.fixture(scope="module")
def report(demo_database_url):
    metrics = council_metrics(store.engine(demo_database_url), COUNCIL)
    return {r["indicator"]: r for r in report_table(metrics, "2025-03", public=True).to_dict("records")}


def test_scorecard_page_shows_the_reported_figures(demo_client, report):
    page = page_text(demo_client, "/")
    assert "Scorecard for March 2025" in page and "Data as at 31 March 2025" in page
    for row in report.values():
        assert row["label"] in page
        if row["value_shown"]:
            assert row["value_shown"] in page, row["indicator"]
    for word in ("Green", "Amber", "Red", "Not yet published", "Going well", "Needs attention",
                 "March 2025: ", "Since January 2025", "the last meeting (12 March 2025)",
                 "Actions (1 open, 1 overdue)", "CP-01", "Overdue"):
        assert word in page, word
    assert "The weekend rota, piloted since January, has been made permanent." in page  # commentary
    assert "/glossary#term-IHA" in page and "Initial health assessment: the health check" in page
    assert "/download/scorecard-2025-03.pdf" in page and "/indicator/iha_in_timescale?period=2025-03" in page


def test_scorecard_month_framework_and_theme_come_from_the_url(demo_client):
    page = page_text(demo_client, "/", "?period=2024-06&framework=2019&theme=healthy")
    assert "Scorecard for June 2024" in page and "Being healthy" in page
    assert "Health assessments up to date" in page and "Children in care per 10,000" not in page


def test_the_forms_write_the_url(demo_client):
    assert call_callback(demo_client, "scorecard-nav.search", {"scorecard-form-show.n_clicks": 1},
                         {"scorecard-period.value": "2024-06", "scorecard-since.value": "2024-01",
                          "scorecard-framework.value": "2019", "scorecard-theme.value": "healthy"}) == {
        "scorecard-nav": {"search": "?period=2024-06&since=2024-01&framework=2019&theme=healthy"}}
    assert call_callback(demo_client, "scorecard-nav.search", {"scorecard-form-show.n_clicks": 1},
                         {"scorecard-period.value": "2024-06", "scorecard-since.value": "2024-09",
                          "scorecard-framework.value": "2021", "scorecard-theme.value": "all"}) == {
        "scorecard-nav": {"search": "?period=2024-06&framework=2021"}}, "a later month is not compared with"
    options = call_callback(demo_client, "scorecard-theme.options", {"scorecard-framework.value": "2019"})
    assert [o["value"] for o in options["scorecard-theme"]["options"]] == [
        "all", "safe", "healthy", "stability", "adulthood", "voices"]
    assert call_callback(demo_client, "indicator-nav.search", {"indicator-form-show.n_clicks": 1},
                         {"indicator-period.value": "2024-12", "indicator-breakdown.value": "host_la",
                          "indicator-by.value": "none", "indicator-view.value": "rolling"}) == {
        "indicator-nav": {"search": "?period=2024-12&breakdown=host_la&view=rolling"}}
    assert call_callback(demo_client, "briefing-nav.search", {"briefing-form-show.n_clicks": 1},
                         {"briefing-period.value": "2025-03", "briefing-since.value": "2024-09"}) == {
        "briefing-nav": {"search": "?period=2025-03&since=2024-09"}}


def test_a_drill_down_with_every_group_hidden_says_so_rather_than_drawing_nothing(demo_client):
    page = page_text(demo_client, "/indicator/iha_in_timescale", "?period=2025-03&breakdown=district&view=rolling")
    assert "No district group can be shown in public" in page and "group-trend-chart" not in page
    shown = page_text(demo_client, "/indicator/visits_in_timescale", "?period=2025-03&breakdown=district&view=trend")
    assert "group-trend-chart" in shown and "can be shown in public" not in shown


def test_indicator_page(demo_client, report):
    page = page_text(demo_client, "/indicator/iha_in_timescale", "?period=2025-03&breakdown=host_la")
    row = report["iha_in_timescale"]
    assert "Initial health assessments" in page and row["value_shown"] in page
    assert "The last 24 months" in page and '"Apr 2023"' in page and '"Mar 2025"' in page
    assert "Improvement actions" in page and "CP-01" in page and "Overdue" in page and "History (3 versions)" in page
    # Few IHAs a month: the breakdown opens on rolling 12 months, and says why.
    assert "By host council, rolling 12 months, April 2023 to March 2025" in page
    assert "Shown as rolling 12 months because a typical month has only" in page
    month = page_text(demo_client, "/indicator/iha_in_timescale", "?period=2025-03&breakdown=host_la&view=month")
    assert "By host council, March 2025" in month and '"rowData"' in month
    assert "Definition and sources" in page and "health_assessments.xlsx" in page
    assert "Commentary over time" in page and "Out-of-county assessments are still the main gap" in page
    assert "Hidden (small number)" in page and "Hampshire" in page  # host councils by name
    assert "The DfE publishes no figure this indicator can be compared with." in page
    compared = page_text(demo_client, "/indicator/dental_checks", "?period=2025-03")
    assert "Compared with other councils: 2024/25, at 31 March 2025 (looked after for 12 months or more)" in compared
    assert "Gloucestershire" in compared and "Published figures over the years" in compared
    assert "Open Government Licence v3.0" in compared
    missing = page_text(demo_client, "/indicator/no_such_indicator")
    assert "No such indicator" in missing


def test_briefing_and_glossary_pages(demo_client):
    page = page_text(demo_client, "/briefing", "?period=2025-03&since=2024-12")
    assert "Briefing note: December 2024 to March 2025" in page
    for heading in ("Turned red", "Turned amber", "Turned green", "Improved", "Worsened"):
        assert heading in page
    glossary = page_text(demo_client, "/glossary")
    for term in ("CIC", "UASC", "IHA", "RHI", "EET", "NEET", "SN", "S20"):
        assert f'"term-{term}"' in glossary
    assert "404" in page_text(demo_client, "/no/such/page")


def test_no_page_shows_child_level_rows(demo_client, demo_database_url):
    """Aggregates only: no record's dates (every child-level row has some) and no child id."""
    pages = [page_text(demo_client, "/"), page_text(demo_client, "/briefing"),
             *(page_text(demo_client, f"/indicator/{i}", f"?breakdown={b}")
               for i, b in (("iha_in_timescale", "host_la"), ("children_missing", "care_status"),
                            ("placed_out_of_area", "district")))]
    with store.read_connection(store.engine(demo_database_url)) as conn:
        names, rows = store.current_records(conn, COUNCIL, "children_in_care")
    ids = {str(r[names.index("child_id")]) for r in rows[:2000]}
    for page in pages:
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", page)
        tokens = set(re.findall(r"[A-Za-z0-9]+", page))
        assert not {i for i in ids if len(i) >= 6} & tokens


def test_packs_download(demo_client):
    pdf = demo_client.get("/download/scorecard-2025-03.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert 'filename="corporate-parenting-scorecard-E10000099-2025-03.pdf"' in pdf.headers["Content-Disposition"]
    workbook = demo_client.get("/download/scorecard-2024-11.xlsx?framework=2019")
    assert workbook.status_code == 200 and workbook.data.startswith(b"PK")
    assert demo_client.get("/download/scorecard-1999-01.pdf").status_code == 404
    assert demo_client.get("/download/scorecard-2025-13.pdf").status_code == 404
    assert demo_client.get("/download/scorecard-2025-03.docx").status_code == 404


def test_responses_are_compressed(demo_client):
    layout = demo_client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers.get("Content-Encoding") == "gzip"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


# The upload page is the ingest's door in the browser, as the command line is in a terminal:
# one view module each may call the ingest's web entry point for it, and nothing else in ui may.
INGEST_DOORS = {"upload_view.py": "ingest.web_upload", "benchmarks_view.py": "ingest.web_published"}


@pytest.mark.parametrize("folder", ["scorecard/pages", "scorecard/ui", "scorecard/packs"])
def test_pages_never_read_the_store(folder):
    """Imports flow one way: pages -> ui -> metrics -> store."""
    for path in sorted((PROJECT_ROOT / folder).glob("*.py")):
        door = INGEST_DOORS.get(path.name)
        reaching = {n for n in _imports(path) if (n.startswith(("scorecard.store", "sqlalchemy", "ingest"))
                                                  or n == "scorecard.store")
                    # `from ingest import web_upload` names the package too; any other name from it is caught
                    and not (door and (n in (door, door.rpartition(".")[0]) or n.startswith(f"{door}.")))}
        assert not reaching, f"{path.name} imports {reaching}"


def test_metrics_layer_has_no_dash():
    for path in sorted((PROJECT_ROOT / "scorecard" / "metrics").glob("*.py")):
        assert not {n for n in _imports(path) if n.split(".")[0] in ("dash", "flask", "plotly")}, path.name

"""From real files to `scorecard report`: the council's worked example loaded through the
ingest into SQLite and PostgreSQL, then reported, reloaded, and compared with neighbours."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import write_csv

from scorecard import councils, store
from scorecard.cli import main
from scorecard.councils import Neighbour
from scorecard.metrics import cache as metrics_cache
from scorecard.metrics.catalogue import Comparator

COUNCIL, NEIGHBOUR = "E10000099", "E10000098"
MISSING_HEADER = ["episode_id", "child_id", "in_care", "missing_from", "found_at", "district"]
RHI_HEADER = ["episode_id", "child_id", "outcome", "held_at"]


def worked_example(folder, ended: int, completed: int, within: int, prefix: str = "w", month: int = 3):
    """`ended` episodes found in March 2024 (or `month`); `completed` interviews, `within` of them in 72 hours."""
    episodes, interviews = [], []
    for n in range(ended):
        found = dt.datetime(2024, month, 1 + n % 28, 12, 0)
        episodes.append([f"{prefix}{n}", f"{prefix}child{n}", "Y" if n % 3 else "N",
                         (found - dt.timedelta(hours=11)).strftime("%d/%m/%Y %H:%M"), found.strftime("%d/%m/%Y %H:%M"),
                         "North"])
        if n < completed:
            held = found + dt.timedelta(hours=24 if n < within else 96)
            interviews.append([f"{prefix}{n}", f"{prefix}child{n}", "Completed", held.strftime("%d/%m/%Y %H:%M")])
        else:
            interviews.append([f"{prefix}{n}", f"{prefix}child{n}", "Refused by the child", None])
    return (write_csv(folder / "missing.csv", [MISSING_HEADER, *episodes]),
            write_csv(folder / "rhi.csv", [RHI_HEADER, *interviews]))


def ingest(files, council=COUNCIL, period="2024-03", *options):
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--period", period, "--council", council, *options,
                                       *map(str, files)])
    assert result.exit_code == 0, result.output
    extracts = json.loads(CliRunner().invoke(main, ["extracts", "--json", "--council", council]).output)
    return sorted(e["id"] for e in extracts if e["status"] == "current")


def report(*args) -> dict:
    result = CliRunner().invoke(main, ["report", "--format", "json", "--council", COUNCIL, *args])
    assert result.exit_code == 0, result.output
    return {row["indicator"]: row for row in json.loads(result.output)["indicators"] if row["breakdown"] == "total"}


def test_worked_example_from_files_to_report(database_url, tmp_path):
    ids = ingest(worked_example(tmp_path, 94, 73, 24))
    figures = report("--period", "2024-03")
    completed, within = figures["rhi_completed"], figures["rhi_within_72_hours"]
    assert (completed["numerator"], completed["denominator"], completed["value_shown"]) == (73, 94, "77.7%")
    assert (within["numerator"], within["denominator"], within["value_shown"]) == (24, 73, "32.9%")
    assert completed["rag"] == "amber" and within["rag"] == "red"  # targets 80%/70% and 60%/45%
    assert completed["extract_ids"] == ";".join(map(str, ids))
    assert figures["missing_episodes"]["value_shown"] == "94"
    assert figures["visits_in_timescale"]["value"] is None  # no visits file: no figure, not 0%
    assert figures["visits_in_timescale"]["note"] == "no visits extract loaded for 2024-03"

    # A corrected file for the month supersedes the first: the report follows at once.
    (tmp_path / "v2").mkdir()
    new_ids = ingest(worked_example(tmp_path / "v2", 94, 74, 25))
    figures = report("--period", "2024-03")
    assert (figures["rhi_completed"]["numerator"], figures["rhi_within_72_hours"]["numerator"]) == (74, 25)
    assert figures["rhi_completed"]["extract_ids"] == ";".join(map(str, new_ids))
    assert not set(ids) & set(new_ids)


def test_csv_report_and_public_suppression(database_url, tmp_path):
    ingest(worked_example(tmp_path, 12, 6, 1))
    result = CliRunner().invoke(main, ["report", "--format", "csv", "--council", COUNCIL, "--public", "--breakdowns"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("indicator,label,breakdown,group,")
    within = next(line for line in lines if line.startswith("rhi_within_72_hours,") and ",total,total," in line)
    assert "suppressed: fewer than 5" in within  # 1 of 6 could identify a child
    completed = next(line for line in lines if line.startswith("rhi_completed,") and ",total,total," in line)
    assert ",50.0%," in completed  # 6 of 12 is shown: neither count is below 5
    assert any(line.startswith("rhi_completed,") and ",care_status,Children in care," in line for line in lines)


def test_statistical_neighbours_from_data_in_the_store(database_url, tmp_path, monkeypatch):
    (tmp_path / "us").mkdir()
    (tmp_path / "them").mkdir()
    ingest(worked_example(tmp_path / "us", 94, 73, 24))
    ingest(worked_example(tmp_path / "them", 50, 45, 40, prefix="n"), council=NEIGHBOUR)
    monkeypatch.setattr(councils, "neighbours", lambda code, model="2025": (Neighbour(NEIGHBOUR, "", "N", "Close", 1),))
    figures = report("--period", "2024-03")
    within = figures["rhi_within_72_hours"]
    # rhi_within_72_hours is not compared with neighbours in metrics.yaml; completed RHIs neither:
    # the catalogue decides which comparators each indicator shows.
    assert within["statistical_neighbours_state"] is None
    metrics = metrics_cache.council_metrics(store.engine(), COUNCIL)
    row = metrics.indicator_row(metrics.catalogue.by_id["rhi_completed"].model_copy(
        update={"benchmarks": (Comparator.STATISTICAL_NEIGHBOURS,)}), "2024-03")
    assert row["statistical_neighbours_value"] == pytest.approx(45 / 50)
    assert row["statistical_neighbours_state"] == "computed"
    assert (row["statistical_neighbours_rank"], row["statistical_neighbours_rank_of"]) == (2, 2)


def test_benchmarks_import_keeps_every_release_once_and_says_what_it_passed_over(database_url, tmp_path):
    from scorecard.settings import REFERENCE_DIR

    stability = REFERENCE_DIR / "dfe" / "ees" / "la_cla_placement_stability.csv.gz"
    first = CliRunner().invoke(main, ["benchmarks", "import", str(stability)])
    assert first.exit_code == 0, first.output
    assert "release 1 (latest year 2025), 1670 figures" in first.output
    assert "placement_stability=With 3 or more placements during the previous 2 years" in first.output  # not used
    again = CliRunner().invoke(main, ["benchmarks", "import", str(stability)])
    assert "already imported (release 1" in again.output and "nothing added" in again.output
    other = write_csv(tmp_path / "other.csv", [["a", "b"], ["1", "2"]])
    refused = CliRunner().invoke(main, ["benchmarks", "import", str(other)])
    assert "other.csv: not imported: neither an Explore Education Statistics tidy file" in refused.output
    listed = CliRunner().invoke(main, ["benchmarks", "releases"])
    assert "la_cla_placement_stability.csv.gz  ees, latest year 2025, 1670 figures" in listed.output


def test_the_shipped_benchmarks_load_and_are_used(database_url, tmp_path):
    from scorecard.settings import REFERENCE_DIR

    result = CliRunner().invoke(main, ["benchmarks", "import", str(REFERENCE_DIR / "dfe")])
    assert result.exit_code == 0, result.output
    children = [["child_id", "date_of_birth", "sex", "uasc", "legal_status", "period_start", "episode_start",
                 "placement_type", "placement_provider"],
                ["c1", "2012-01-01", "M", "N", "C2", "2020-01-01", "2020-01-01", "U4", "PR1"]]
    ingest([write_csv(tmp_path / "cic.csv", children)], period="2025-03")
    figures = report()
    short = figures["placement_stability_short"]
    assert short["england_period"] == "2024/25" and short["england_state"] == "published"
    assert short["england_value"] == pytest.approx(8500 / 81770)  # the 2025 release's counts, not its rounded 10%
    assert figures["placed_20_miles"]["england_period"] == "2024/25"
    by_number = CliRunner().invoke(main, ["report", "--council", "855"])  # Leicestershire, by its LA number
    assert by_number.exit_code == 1 and "No figures for E10000018" in by_number.output


@pytest.fixture(autouse=True)
def _fresh_cache():
    metrics_cache.forget_all()
    yield
    metrics_cache.forget_all()


def test_a_real_council_sees_its_own_published_figure_beside_its_own(database_url, tmp_path):
    """Leicestershire, named by its LA number: its computed figure for 31 March beside the
    DfE's published one for the same year, its population from the ONS file, its neighbours."""
    import gzip

    from scorecard.settings import REFERENCE_DIR

    dfe = REFERENCE_DIR / "dfe"
    rates = dfe / "ees" / "cla_number_and_rate_per_10k_children.csv.gz"
    imported = CliRunner().invoke(main, ["benchmarks", "import", str(rates)])
    assert imported.exit_code == 0, imported.output
    children = [["child_id", "date_of_birth", "sex", "uasc", "legal_status", "period_start", "episode_start",
                 "placement_type", "placement_provider"]]
    children += [[f"c{n}", "2012-01-01", "M", "N", "C2", "2020-01-01", "2020-01-01", "U4", "PR1"] for n in range(12)]
    # Twelve children in care since 2020 and none starting or leaving since: the month check
    # would take the file for January 2020's, so the analyst confirms the month.
    ingest([write_csv(tmp_path / "cic.csv", children)], "855", "2025-03", "--force")
    result = CliRunner().invoke(main, ["report", "--format", "json", "--council", "855", "--period", "2025-03"])
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.output)["indicators"] if r["breakdown"] == "total"}
    count = rows["children_in_care"]
    assert (count["value"], count["published_value"], count["published_period"]) == (12, 694, "2024/25")
    assert count["published_difference"] == 12 - 694
    with gzip.open(dfe / "population" / "ons_mid-year_population_estimates_2012_to_2024.csv.gz", "rt") as handle:
        population = next(int(line.rsplit(",", 1)[1]) for line in handle if line.startswith("2024,")
                          and ",E10000018," in line)
    rate = rows["children_in_care_rate"]
    assert rate["value"] == pytest.approx(12 / population * 10_000)  # the ONS estimate, not a local file
    assert rate["statistical_neighbours_name"] == "Statistical neighbours (mean of 10, 2025 model)"
    assert rate["region_name"] == "East Midlands"
    # A hidden figure takes its rank, band and difference with it: each would tell it.
    metrics = metrics_cache.council_metrics(store.engine(), "E10000018")
    out_of_area = metrics.catalogue.by_id["placed_out_of_area"]
    row = dict(metrics.indicator_row(out_of_area, "2025-03"), numerator=3, denominator=12, value=0.25, rank=5,
               rank_of=150, band="A", published_difference=0.1)
    shown = metrics._suppress(row, out_of_area)
    assert [shown[k] for k in ("value", "rank", "rank_of", "band", "published_difference")] == [None] * 5

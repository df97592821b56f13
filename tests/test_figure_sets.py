"""Figures computed once per load and kept in the store (scorecard.metrics.figure_sets),
read back exactly as computed, per council, in one snapshot, with a bounded cache."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from test_metrics_store import COUNCIL, NEIGHBOUR, ingest, report, worked_example

from scorecard import councils, store
from scorecard.cli import main
from scorecard.councils import Neighbour
from scorecard.metrics import cache as metrics_cache
from scorecard.metrics import figure_sets, load_catalogue
from scorecard.metrics.compute import compute
from scorecard.metrics.records import load_records
from scorecard.metrics.suppression import decide

OTHER = "E10000016"   # neither the demo county nor its test neighbour


@pytest.fixture(autouse=True)
def _fresh_cache():
    metrics_cache.forget_all()
    yield
    metrics_cache.forget_all()


def kept_sets(council: str) -> list[dict]:
    with store.read_connection(store.engine()) as conn:
        return [dict(r._mapping) for r in conn.execute(
            store.figure_sets.select().where(store.figure_sets.c.council == council).order_by(store.figure_sets.c.id))]


def test_a_load_keeps_the_figures_and_they_read_back_as_computed(database_url, tmp_path):
    ids = ingest(worked_example(tmp_path, 30, 20, 9))
    sets = kept_sets(COUNCIL)
    assert len(sets) == 1 and sets[0]["extract_ids"] == ";".join(map(str, ids))
    engine, catalogue = store.engine(), load_catalogue()
    with store.snapshot_connection(engine) as conn:
        kept = figure_sets.read(conn, COUNCIL, catalogue)
    records = load_records(engine, COUNCIL)
    pd.testing.assert_frame_equal(kept.values, compute(records, catalogue))
    counts = compute(records, catalogue, breakdowns=True, lineage=False)
    periods = sorted(set(kept.values["period"]))
    decided, stats = figure_sets.decisions(engine, kept.set_id, COUNCIL, catalogue, periods, records)
    assert stats == {"decisions_kept": len(periods), "decisions_reused": 0, "decisions_made": 0}
    for period in periods:
        assert decided[period].hidden == decide(counts[counts["period"] == period], catalogue, True).hidden
    assert any(d.hidden for d in decided.values())   # 9 of 20 within 72 hours: something is hidden
    # The pages read the kept set rather than computing: the records are not even read.
    metrics = metrics_cache.council_metrics(engine, COUNCIL)
    assert metrics.figure_set.set_id == kept.set_id and "records" not in metrics.__dict__
    assert metrics.scorecard("2024-03", public=True) is not None and "records" not in metrics.__dict__


def test_a_set_is_never_read_for_other_extracts_and_old_sets_go(database_url, tmp_path):
    for n in range(5):
        (tmp_path / str(n)).mkdir()
        ingest(worked_example(tmp_path / str(n), 20 + n, 10, 5))   # each supersedes the last
        assert report("--period", "2024-03")["missing_episodes"]["numerator"] == 20 + n
    assert len(kept_sets(COUNCIL)) == store.figures.SETS_KEPT


def test_a_store_without_kept_figures_computes_them_once_for_every_reader(database_url, tmp_path):
    engine = store.engine()
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--period", "2024-03", "--council", COUNCIL,
                                       *map(str, worked_example(tmp_path, 30, 20, 9))])
    assert result.exit_code == 0, result.output
    with store.write_transaction(engine) as conn:   # as a store loaded by the last release
        for table in (store.suppression_decisions, store.computed_figures, store.figure_sets):
            conn.execute(table.delete())
    first = metrics_cache.council_metrics(engine, COUNCIL)
    assert len(kept_sets(COUNCIL)) == 1
    metrics_cache.forget_all()   # another worker
    second = metrics_cache.council_metrics(engine, COUNCIL)
    assert second.figure_set.set_id == first.figure_set.set_id and "records" not in second.__dict__


def test_a_load_by_another_council_or_a_comment_leaves_a_councils_figures_alone(database_url, tmp_path):
    (tmp_path / "us").mkdir()
    (tmp_path / "them").mkdir()
    ingest(worked_example(tmp_path / "us", 30, 20, 9))
    engine = store.engine()
    ours = metrics_cache.council_metrics(engine, COUNCIL)
    ingest(worked_example(tmp_path / "them", 12, 6, 1, prefix="o"), council=OTHER)
    comment = CliRunner().invoke(main, ["commentary", "add", "--council", COUNCIL, "--indicator", "rhi_completed",
                                        "--period", "2024-03", "--text", "Two workers left in February."])
    assert comment.exit_code == 0, comment.output
    assert metrics_cache.council_metrics(engine, COUNCIL) is ours
    assert [c["text"] for c in ours.commentary("rhi_completed")] == ["Two workers left in February."]
    assert len(kept_sets(COUNCIL)) == 1 and len(kept_sets(OTHER)) == 1
    (tmp_path / "again").mkdir()
    ingest(worked_example(tmp_path / "again", 31, 20, 9))
    assert metrics_cache.council_metrics(engine, COUNCIL) is not ours


def test_a_neighbours_load_refreshes_the_comparison(database_url, tmp_path, monkeypatch):
    monkeypatch.setattr(councils, "neighbours", lambda code, model="2025": (Neighbour(NEIGHBOUR, "", "N", "Close", 1),))
    for name in ("us", "them", "them2"):
        (tmp_path / name).mkdir()
    ingest(worked_example(tmp_path / "us", 30, 20, 9))
    ingest(worked_example(tmp_path / "them", 50, 45, 40, prefix="n"), council=NEIGHBOUR)
    engine = store.engine()
    before = metrics_cache.council_metrics(engine, COUNCIL)
    assert before.neighbour_values[NEIGHBOUR].set_index(["indicator", "period"]).loc[
        ("rhi_completed", "2024-03"), "numerator"] == 45
    ingest(worked_example(tmp_path / "them2", 50, 40, 40, prefix="n"), council=NEIGHBOUR)
    after = metrics_cache.council_metrics(engine, COUNCIL)
    assert after is not before and after.figure_set.set_id == before.figure_set.set_id
    assert after.neighbour_values[NEIGHBOUR].set_index(["indicator", "period"]).loc[
        ("rhi_completed", "2024-03"), "numerator"] == 40


def test_months_whose_counts_did_not_change_keep_their_decision(database_url, tmp_path):
    engine, catalogue = store.engine(), load_catalogue()
    (tmp_path / "march").mkdir()
    (tmp_path / "april").mkdir()
    ingest(worked_example(tmp_path / "march", 30, 20, 9))
    april = worked_example(tmp_path / "april", 8, 6, 2, prefix="a", month=4)
    result = CliRunner().invoke(main, ["ingest", "--period", "2024-04", "--council", COUNCIL, *map(str, april)])
    assert result.exit_code == 0, result.output
    assert "2 months; disclosure decided for 1 month, 1 unchanged" in result.output   # March's counts are as they were
    latest = kept_sets(COUNCIL)[-1]
    records = load_records(engine, COUNCIL)
    counts = compute(records, catalogue, breakdowns=True, lineage=False)
    decided, _ = figure_sets.decisions(engine, latest["id"], COUNCIL, catalogue, ["2024-03", "2024-04"], records)
    for period in ("2024-03", "2024-04"):
        assert decided[period].hidden == decide(counts[counts["period"] == period], catalogue, True).hidden


def test_another_catalogue_or_release_of_the_code_is_another_set(monkeypatch):
    catalogue = load_catalogue()
    changed = catalogue.model_copy(update={"indicators": catalogue.indicators[:-1]})
    assert figure_sets.basis([1, 2], catalogue) == figure_sets.basis([2, 1], catalogue)
    assert figure_sets.basis([1, 2], catalogue) != figure_sets.basis([1, 2, 3], catalogue)
    assert figure_sets.basis([1, 2], catalogue) != figure_sets.basis([1, 2], changed)
    before = figure_sets.basis([1, 2], catalogue)
    monkeypatch.setattr(figure_sets, "code_fingerprint", lambda: "another release")
    assert figure_sets.basis([1, 2], catalogue) != before


def test_two_workers_keeping_the_same_set_agree_on_one(engine):
    figures = {name: [] for name in store.FIGURE_COLUMNS}
    first = store.store_figure_set(engine, COUNCIL, "b" * 64, [1], figures, 0.1)
    second = store.store_figure_set(engine, COUNCIL, "b" * 64, [1], figures, 0.2)
    assert first == second
    store.store_decisions(engine, first, {"2024-03": ("d" * 64, "[]")})
    store.store_decisions(engine, first, {"2024-03": ("d" * 64, "[]"), "2024-04": ("e" * 64, "[]")})
    with store.read_connection(engine) as conn:
        assert sorted(store.decisions(conn, first)) == ["2024-03", "2024-04"]


def test_a_snapshot_does_not_see_a_load_committed_during_it(engine):
    row = {"upload_id": "u1", "council": COUNCIL, "dataset": "visits", "first_month": "2024-03",
           "last_month": "2024-03", "as_at": pd.Timestamp("2024-03-31").date(), "source_file": "v.csv",
           "sha256": "0" * 64, "source_format": "template", "complete_for": "none", "loaded_at": pd.Timestamp.now(tz="UTC").to_pydatetime(),
           "loaded_by": "test", "status": store.CURRENT, "row_count": 0}
    with store.snapshot_connection(engine) as snapshot:
        assert store.current_extract_ids(snapshot, COUNCIL) == []
        with store.write_transaction(engine) as conn:
            conn.execute(store.extracts.insert().values(**row))
        assert store.current_extract_ids(snapshot, COUNCIL) == []
    with store.read_connection(engine) as conn:
        assert len(store.current_extract_ids(conn, COUNCIL)) == 1


def test_each_worker_keeps_a_bounded_number_of_councils(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_COUNCILS_IN_MEMORY", "2")
    for n, code in enumerate((COUNCIL, NEIGHBOUR, OTHER)):
        (tmp_path / code).mkdir()
        ingest(worked_example(tmp_path / code, 10 + n, 5, 2, prefix=f"c{n}"), council=code)
    engine = store.engine()
    for code in (COUNCIL, NEIGHBOUR, COUNCIL, OTHER):
        metrics_cache.council_metrics(engine, code)
    assert metrics_cache.kept_councils() == [COUNCIL, OTHER]
    monkeypatch.setenv("SCORECARD_COUNCILS_IN_MEMORY", "none")
    with pytest.raises(ValueError, match="SCORECARD_COUNCILS_IN_MEMORY must be a whole number"):
        metrics_cache.council_metrics(engine, NEIGHBOUR)


def test_a_store_this_process_may_only_read_still_serves_the_figures(tmp_path, monkeypatch):
    from sqlalchemy import create_engine, event

    path = tmp_path / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    store.engine.cache_clear()
    try:
        ingest(worked_example(tmp_path, 30, 20, 9))
        with store.write_transaction(store.engine()) as conn:   # as a store loaded by the last release
            for table in (store.suppression_decisions, store.computed_figures, store.figure_sets):
                conn.execute(table.delete())
        read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        event.listen(read_only, "connect", store._tune_sqlite)
        metrics = metrics_cache.council_metrics(read_only, COUNCIL)
        assert metrics.figure_set.set_id is None
        row = metrics.scorecard("2024-03", public=True).set_index("indicator").loc["rhi_completed"]
        assert (row["numerator"], row["denominator"]) == (20, 30)
        assert kept_sets(COUNCIL) == []
    finally:
        store.engine.cache_clear()


def test_metrics_refresh_computes_every_council_with_data(database_url, tmp_path):
    (tmp_path / "us").mkdir()
    (tmp_path / "them").mkdir()
    ingest(worked_example(tmp_path / "us", 30, 20, 9))
    ingest(worked_example(tmp_path / "them", 12, 6, 1, prefix="o"), council=OTHER)
    with store.write_transaction(store.engine()) as conn:   # as a store upgraded from the last release
        for table in (store.suppression_decisions, store.computed_figures, store.figure_sets):
            conn.execute(table.delete())
    result = CliRunner().invoke(main, ["metrics", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"{COUNCIL}: 1 month; disclosure decided for 1 month, 0 unchanged" in result.output
    assert f"{OTHER}: 1 month;" in result.output
    assert len(kept_sets(COUNCIL)) == len(kept_sets(OTHER)) == 1
    again = CliRunner().invoke(main, ["metrics", "refresh", "--council", COUNCIL])
    assert f"{COUNCIL}: 1 month; disclosure decided for 0 months, 1 unchanged" in again.output
    unknown = CliRunner().invoke(main, ["metrics", "refresh", "--council", "nowhere"])
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output



def test_a_kept_scorecard_is_built_again_when_a_meeting_or_comment_changes_what_it_shows(database_url, tmp_path):
    import datetime as dt

    from ingest.meetings import add_meeting
    from scorecard.ui.views import build_scorecard

    for month in (2, 3):
        (tmp_path / str(month)).mkdir()
        result = CliRunner().invoke(main, ["ingest", "--quiet", "--period", f"2024-0{month}", "--council", COUNCIL,
                                           *map(str, worked_example(tmp_path / str(month), 30, 20, 9, month=month))])
        assert result.exit_code == 0, result.output
    engine = store.engine()
    metrics = metrics_cache.council_metrics(engine, COUNCIL)
    first = build_scorecard(metrics, "2024-03")
    assert build_scorecard(metrics, "2024-03") is first   # kept
    # The committee met on 1 April and saw February's scorecard: March is now compared with that meeting.
    add_meeting(engine, COUNCIL, dt.date(2024, 4, 1), shows_period="2024-02")
    assert metrics_cache.council_metrics(engine, COUNCIL) is metrics   # meetings change no figures
    again = build_scorecard(metrics, "2024-03")
    assert again is not first and again.since == first.since == "2024-02"
    assert "the month before" in first.basis_text and "the last meeting (1 April 2024)" in again.basis_text

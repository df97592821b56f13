"""The demo county: every month loads cleanly, has the size and shape its docstring
promises, and the same seed gives the same extracts.

Everything is read back through `ingest` (the real reader and validator), as an
analyst's upload would be.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from ingest import demo
from ingest.upload import period_end, validate_upload

COUNCIL = "E10000099"
FILE_NAMES = ["children_in_care.xlsx", "visits.xlsx", "missing_episodes.xlsx", "return_interviews.xlsx",
              "health_assessments.xlsx", "care_leavers.xlsx"]


def records(upload) -> dict[str, list[dict]]:
    """Each dataset of an upload as a list of row dicts (typed values)."""
    out = {}
    for table in upload.tables:
        names = list(table.columns)
        out[table.dataset.name] = [dict(zip(names, values)) for values in zip(*table.columns.values())]
    return out


def problems(upload, limit: int = 10) -> str:
    return "\n".join(p.line() for p in upload.report[:limit])


@pytest.fixture(scope="module")
def short_demo(tmp_path_factory):
    """Three months across the April 2024 code changes."""
    out = tmp_path_factory.mktemp("demo")
    written = demo.generate(out, months=3, last_period="2024-04", seed=2019)
    uploads = {period: validate_upload(paths, period, COUNCIL) for period, paths in written}
    return out, written, uploads, {period: records(upload) for period, upload in uploads.items()}


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    end = period_end(period)
    return end.replace(day=1), end


def open_at(episodes: list[dict], day: dt.date) -> list[dict]:
    return [e for e in episodes if e["episode_start"] <= day and (e["episode_end"] is None or e["episode_end"] > day)]


def test_six_files_a_month_oldest_first(short_demo):
    out, written, _, _ = short_demo
    assert [period for period, _ in written] == ["2024-02", "2024-03", "2024-04"]
    for period, paths in written:
        assert [p.name for p in paths] == FILE_NAMES
        assert all(p.parent == out / period and p.stat().st_size > 0 for p in paths)


def test_every_month_validates_without_errors_or_warnings(short_demo):
    _, _, uploads, _ = short_demo
    for period, upload in uploads.items():
        assert upload.report.errors == [], f"{period}:\n{problems(upload)}"
        assert upload.report.warnings == [], f"{period}:\n{problems(upload)}"
        assert [t.dataset.name for t in upload.tables] == [name.removesuffix(".xlsx") for name in FILE_NAMES]
        assert all(len(t) > 0 for t in upload.tables), period


def test_about_750_children_in_care_and_10_percent_uasc(short_demo):
    *_, data = short_demo
    for period, tables in data.items():
        first, end = month_bounds(period)
        in_care = open_at(tables["children_in_care"], end)
        children = {e["child_id"] for e in in_care}
        assert len(children) == len(in_care), "a child has two open episodes"
        assert 650 <= len(children) <= 850, (period, len(children))
        uasc = sum(e["uasc"] for e in in_care) / len(in_care)
        assert 0.05 <= uasc <= 0.15, (period, uasc)
        outside = [e for e in in_care if not e["uasc"] and e["placed_in_area"] is False]
        assert 0.2 <= len(outside) / sum(not e["uasc"] for e in in_care) <= 0.4
        assert {e["legal_status"] for e in in_care} >= {"C1", "C2", "V2", "E1"}
        for e in tables["children_in_care"]:
            assert e["period_start"] <= e["episode_start"] <= end
            assert (e["placement_la"] == COUNCIL) == e["placed_in_area"], e
            if e["episode_end"] is not None:
                assert e["episode_start"] <= e["episode_end"] <= end and e["reason_episode_ceased"], e
            else:
                assert e["reason_episode_ceased"] is None, e
            if e["reason_new_episode"] == "S":
                assert e["episode_start"] == e["period_start"], e


def test_first_month_has_each_childs_history_later_months_only_open_episodes(short_demo):
    *_, data = short_demo
    periods = list(data)
    first_month_start, _ = month_bounds(periods[0])
    history = [e for e in data[periods[0]]["children_in_care"]
               if e["episode_end"] and e["episode_end"] < first_month_start]
    assert len(history) > 500
    for period in periods[1:]:
        start, _ = month_bounds(period)
        episodes = data[period]["children_in_care"]
        assert all(e["episode_end"] is None or e["episode_end"] >= start for e in episodes)
        started = Counter(e["reason_new_episode"] for e in episodes if e["episode_start"] >= start)
        assert started.keys() >= {"S", "P", "L"}, started


def test_code_changes_of_april_2024(short_demo):
    *_, data = short_demo
    sexes = {p: Counter(e["sex"] for e in t["children_in_care"]) for p, t in data.items()}
    assert {"1", "2", "M", "F"} <= set(sexes["2024-03"])
    assert 0.2 <= (sexes["2024-03"]["1"] + sexes["2024-03"]["2"]) / sum(sexes["2024-03"].values()) <= 0.5
    assert set(sexes["2024-04"]) <= {"M", "F"}
    places = {p: {e["placement_type"] for e in t["children_in_care"]} for p, t in data.items()}
    assert "K3" not in places["2024-03"] and places["2024-03"] & {"H5", "P2"}
    assert "K3" in places["2024-04"] and not places["2024-04"] & {"H5", "P2"}


def test_missing_episodes_about_100_a_month_a_third_in_care(short_demo):
    *_, data = short_demo
    ever_in_care = {e["child_id"] for t in data.values() for e in t["children_in_care"]}
    repeats = 0
    for period, tables in data.items():
        first, end = month_bounds(period)
        in_care_now = {e["child_id"] for e in tables["children_in_care"]}
        started = [m for m in tables["missing_episodes"] if m["missing_from"].date() >= first]
        assert 70 <= len(started) <= 140, (period, len(started))
        share = sum(m["in_care"] for m in started) / len(started)
        assert 0.2 <= share <= 0.5, (period, share)
        for m in tables["missing_episodes"]:
            assert m["child_id"] in in_care_now if m["in_care"] else m["child_id"] not in ever_in_care, m
            assert m["found_at"] is None or m["found_at"] > m["missing_from"], m
            assert m["absence_type"] in ("M", "A") and m["district"]
        repeats += max(Counter(m["child_id"] for m in started).values()) >= 3
        assert sum(m["found_at"] is None for m in tables["missing_episodes"]) <= 12
    assert repeats >= 1, "no child went missing three or more times in a month"


def test_return_interviews_follow_the_episodes(short_demo):
    *_, data = short_demo
    found_at = {}
    outcomes = Counter()
    for period, tables in data.items():
        _, end = month_bounds(period)
        month_end = dt.datetime.combine(end, dt.time.max)
        found_at.update({m["episode_id"]: m["found_at"] for m in tables["missing_episodes"]})
        episodes_in_file = {m["episode_id"] for m in tables["missing_episodes"]}
        for r in tables["return_interviews"]:
            assert r["episode_id"] in episodes_in_file
            outcomes[r["outcome"]] += 1
            assert found_at[r["episode_id"]] is not None
            for when in (r["offered_at"], r["held_at"]):
                assert when is None or found_at[r["episode_id"]] < when <= month_end, r
            if r["outcome"] == "completed":
                assert r["offered_at"] <= r["held_at"]
    completed = outcomes["completed"] / sum(outcomes.values())
    assert 0.65 <= completed <= 0.9, outcomes
    assert len(outcomes) >= 5, outcomes


def test_visits_are_for_children_in_care_and_mostly_on_time(short_demo):
    *_, data = short_demo
    for period, tables in data.items():
        first, end = month_bounds(period)
        episodes = defaultdict(list)
        for e in tables["children_in_care"]:
            episodes[e["child_id"]].append(e)
        visits = tables["visits"]
        assert 350 <= len(visits) <= 750, (period, len(visits))
        for v in visits:
            assert first <= v["date_due"] <= end
            assert open_at(episodes[v["child_id"]], v["date_due"]), v
            assert v["date_done"] is None or v["date_done"] <= end
        on_time = sum(1 for v in visits if v["date_done"] and v["date_done"] <= v["date_due"]) / len(visits)
        # (The winter dip of the patterns is 15-17 months before the last month: not in this window.)
        assert 0.8 <= on_time <= 0.95, (period, on_time)


def test_health_assessments(short_demo):
    *_, data = short_demo
    kinds = Counter()
    for period, tables in data.items():
        first, end = month_bounds(period)
        for h in tables["health_assessments"]:
            kinds[h["assessment_type"]] += 1
            if h["assessment_type"] == "initial":
                assert h["date_due"] == demo.add_working_days(h["looked_after_date"], 20)
            assert (h["host_la"] is None) == h["placed_in_area"], h
            assert h["date_completed"] is None or h["date_completed"] <= end
            assert (h["sdq_score"] is not None) == (h["assessment_type"] == "sdq" and h["date_completed"] is not None)
    assert set(kinds) == {"initial", "review", "dental", "sdq"}
    assert kinds["initial"] >= 30


def test_care_leavers_birthdays(short_demo):
    *_, data = short_demo
    rows = []
    for period, tables in data.items():
        first, end = month_bounds(period)
        for c in tables["care_leavers"]:
            assert first <= c["birthday"] <= end
            assert c["birthday"].year - c["date_of_birth"].year in range(17, 22)
            if c["in_touch"] != "YES":
                assert c["activity"] == c["accommodation"] == "0"
            rows.append(c)
    assert 45 <= len(rows) <= 150
    assert 0.8 <= sum(c["in_touch"] == "YES" for c in rows) / len(rows) <= 0.98


def test_bank_holidays_and_working_days():
    assert dt.date(2023, 5, 8) in demo.bank_holidays(2023)       # coronation
    assert dt.date(2022, 6, 3) in demo.bank_holidays(2022)       # platinum jubilee
    assert dt.date(2022, 5, 30) not in demo.bank_holidays(2022)  # spring bank holiday moved that year
    assert not demo.is_working_day(dt.date(2012, 6, 5)) and demo.is_working_day(dt.date(2012, 5, 28))  # diamond jubilee
    assert {dt.date(2021, 12, 27), dt.date(2021, 12, 28)} <= demo.bank_holidays(2021)
    assert demo.bank_holidays(2024) >= {dt.date(2024, 3, 29), dt.date(2024, 4, 1), dt.date(2024, 8, 26)}
    # Thursday 21 Dec 2023 + 3 working days skips Christmas, Boxing Day and the weekend.
    assert demo.add_working_days(dt.date(2023, 12, 21), 3) == dt.date(2023, 12, 28)


def test_same_seed_same_content_other_seed_other_content(short_demo, tmp_path):
    _, written, _, data = short_demo
    again = demo.generate(tmp_path / "again", months=3, last_period="2024-04", seed=2019, workers=1)
    assert [period for period, _ in again] == [period for period, _ in written]
    for period, paths in again:
        assert records(validate_upload(paths, period, COUNCIL)) == data[period], period
    other = demo.generate(tmp_path / "other", months=1, last_period="2024-02", seed=7)
    other_data = records(validate_upload(other[0][1], "2024-02", COUNCIL))
    assert other_data["children_in_care"] != data["2024-02"]["children_in_care"]


@pytest.mark.slow
def test_full_demo_validates_and_shows_its_patterns(tmp_path):
    """The default 36 months: every month valid, and the documented patterns visible."""
    written = demo.generate(tmp_path, seed=2019)
    assert [p for p, _ in written][0] == "2022-04" and written[-1][0] == "2025-03"
    missing, found, rhi, visits, iha, uasc_starts = {}, {}, {}, defaultdict(list), {}, Counter()
    for period, paths in written:
        upload = validate_upload(paths, period, COUNCIL)
        assert upload.report.errors == [], f"{period}:\n{problems(upload)}"
        tables = records(upload)
        first, _ = month_bounds(period)
        missing[period] = sum(m["missing_from"].date() >= first for m in tables["missing_episodes"])
        found.update({m["episode_id"]: m["found_at"] for m in tables["missing_episodes"]})
        rhi.update({r["episode_id"]: r for r in tables["return_interviews"]})
        visits[period] = [v["date_done"] is not None and v["date_done"] <= v["date_due"] for v in tables["visits"]]
        for h in tables["health_assessments"]:
            if h["assessment_type"] == "initial":
                key = (h["child_id"], h["date_due"])
                if key not in iha or h["date_completed"] is not None:
                    iha[key] = h
        uasc_starts[first.month] += sum(e["uasc"] and e["reason_new_episode"] == "S" and e["episode_start"] >= first
                                        for e in tables["children_in_care"])

    def mean(values):
        values = list(values)
        return sum(values) / len(values)

    # Missing episodes spike in July and August 2023.
    spike = mean(missing[p] for p in ("2023-07", "2023-08"))
    assert spike > 1.25 * mean(n for p, n in missing.items() if p not in ("2023-07", "2023-08"))
    # Visits dip from December 2023 to February 2024.
    dip = ("2023-12", "2024-01", "2024-02")
    assert mean(mean(visits[p]) for p in dip) < mean(mean(v) for p, v in visits.items() if p not in dip) - 0.1
    # IHAs in county dip from September to December 2023; out of county is always worse.
    def on_time(rows):
        return mean(h["date_completed"] is not None and h["date_completed"] <= h["date_due"] for h in rows)
    in_county = [h for h in iha.values() if h["placed_in_area"]]
    iha_dip = [h for h in in_county if dt.date(2023, 9, 1) <= h["date_due"] <= dt.date(2023, 12, 31)]
    assert on_time(iha_dip) < on_time([h for h in in_county if h not in iha_dip]) - 0.2
    assert on_time([h for h in iha.values() if not h["placed_in_area"]]) < on_time(in_county) - 0.25
    # RHIs within 72 hours improve over the last year.
    def within_72_hours(months):
        done = [r for r in rhi.values() if r["outcome"] == "completed" and r["held_at"].strftime("%Y-%m") in months]
        return mean(r["held_at"] - found[r["episode_id"]] <= dt.timedelta(hours=72) for r in done)
    early = within_72_hours([p for p, _ in written[:24]])
    late = within_72_hours([p for p, _ in written[-3:]])
    assert 0.3 <= early <= 0.45 and late > early + 0.1, (early, late)
    # UASC arrive more in summer.
    assert uasc_starts[7] + uasc_starts[8] + uasc_starts[9] > 2 * (uasc_starts[1] + uasc_starts[2] + uasc_starts[3])


def test_scorecard_demo_loads_through_ingest_once(engine, database_url, tmp_path):
    from click.testing import CliRunner

    from scorecard import store
    from scorecard.cli import main

    args = ["demo", "--out", str(tmp_path / "demo"), "--months", "2", "--last", "2024-04", "--if-empty"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        extracts = store.list_extracts(conn, demo.COUNCIL)
    assert len(extracts) == 12 and {e["first_month"] for e in extracts} == {"2024-03", "2024-04"}
    assert all(e["first_month"] == e["last_month"] for e in extracts)
    assert all(e["status"] == "current" for e in extracts)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "already holds the demo county" in again.output
    with engine.connect() as conn:
        assert len(store.list_extracts(conn)) == 12

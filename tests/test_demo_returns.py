"""The demo county's annual SSDA903 returns describe the same children, episodes, missing
episodes, health assessments and care leavers as its monthly extracts, by the DfE's rules,
and writing them changes nothing in the monthly files.

The returns are read back with the csv module and the monthly workbooks with python-calamine,
not through `ingest`, so that these checks do not depend on the code they will reconcile.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ingest import demo
from ingest.datasets import CARE_LEAVERS, CHILDREN_IN_CARE, HEALTH_ASSESSMENTS, MISSING_EPISODES
from ingest.demo.calendar import add_months, add_years, age_on, month_last
from ingest.demo.extracts import write_extracts
from ingest.demo.people import Episode, Placement
from ingest.demo.returns import looked_after_12_months
from scorecard.periods import CollectionYear
from ingest.demo.tables import as_written

SEED = 2019
MONTHS = 24
LAST = "2025-03"
WRITTEN_YEARS = ["2023-24", "2024-25"]
"""The collection years wholly inside the 24 months to March 2025; the years before them
are the burn-in's, as many as the default history writes."""
HEADERS = {
    "header.csv": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes.csv": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                     "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "uasc.csv": ["CHILD", "SEX", "DOB", "DUC"],
    "missing.csv": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "oc2.csv": ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
                "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED"],
    "oc3.csv": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
}
DATE_COLUMNS = {"DOB", "MC_DOB", "DECOM", "DEC", "DUC", "MIS_START", "MIS_END"}


def date(text: str) -> dt.date | None:
    if not text:
        return None
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", text), text
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def read_return(folder: Path) -> dict[str, tuple[list[str], list[dict]]]:
    """Each file's header row and its rows, dates parsed."""
    tables = {}
    for name in HEADERS:
        with (folder / name).open(encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
        header = rows[0]
        tables[name] = (header, [{column: date(value) if column in DATE_COLUMNS else value
                                  for column, value in zip(header, values)} for values in rows[1:]])
    return tables


def year_of(day: dt.date) -> str:
    """The collection year `day` is in, as its return is named: '2023-24'."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def month_end(period: str) -> dt.date:
    return month_last(*(int(p) for p in period.split("-")))


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    first = int(year[:4])
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def read_monthly(path: Path, dataset) -> list[dict]:
    """A monthly workbook's rows as {field name: value}, found by the dataset's headers.

    Date-times are read as dates only (calamine gives a date-time at midnight as a date, and
    the return has dates only)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    by_header = {f.header: f.name for f in dataset.fields}
    names = [by_header.get(h) for h in rows[0]]

    def value(v):
        return None if v == "" else v.date() if isinstance(v, dt.datetime) else v

    return [{n: value(v) for n, v in zip(names, values) if n} for values in rows[1:]]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The demo county's 24 months to March 2025 with the default history of returns."""
    out = tmp_path_factory.mktemp("demo_returns")
    files = demo.generate_demo(out, months=MONTHS, last_period=LAST, seed=SEED)
    returns = {year: read_return(paths[0].parent) for year, paths in files.returns}
    monthly = {period: {"cic": read_monthly(paths[0], CHILDREN_IN_CARE),
                        "missing": read_monthly(paths[2], MISSING_EPISODES),
                        "health": read_monthly(paths[4], HEALTH_ASSESSMENTS),
                        "leavers": read_monthly(paths[5], CARE_LEAVERS)}
               for period, paths in files.months}
    return out, files, returns, monthly


@pytest.fixture(scope="module")
def county():
    """The same simulated county (same seed), before its monthly rows are made."""
    _, extracts = demo.simulate(MONTHS, LAST, SEED)
    return extracts


def rows(returns, year, name):
    return returns[year][name][1]


def history_years(returns) -> list[str]:
    return [year for year in returns if year not in WRITTEN_YEARS]


def test_return_years():
    assert demo.return_years(demo.periods_ending("2025-03", 36)) == ["2022-23", "2023-24", "2024-25"]
    assert demo.return_years(demo.periods_ending("2025-03", 24), 2) == ["2021-22", "2022-23", "2023-24", "2024-25"]
    # A window that starts and ends mid-year: only whole years, the history counted back from them.
    assert demo.return_years(demo.periods_ending("2025-06", 36), 1) == ["2022-23", "2023-24", "2024-25"]
    assert demo.return_years(demo.periods_ending("2024-04", 3), 2) == ["2022-23", "2023-24"]
    assert demo.return_years(demo.periods_ending("2024-04", 3)) == []
    with pytest.raises(ValueError):
        demo.return_years(demo.periods_ending("2025-03", 12), -1)


def test_looked_after_12_months_is_the_dfe_rule():
    """In care on 31 March, in a period of care begun on or before 1 April of the year."""
    year = CollectionYear.parse("2023-24")
    place = Placement("U6", "PR1", True, demo.COUNCIL, 2.0, "XS1", dt.date(2023, 4, 1))

    def episode(period_start, start, end=None):
        return Episode(start, "P", "C2", place, period_start, end, "X1" if end else None)

    assert looked_after_12_months(episode(dt.date(2023, 4, 1), dt.date(2023, 4, 1)), year)
    assert not looked_after_12_months(episode(dt.date(2023, 4, 2), dt.date(2023, 4, 2)), year)
    assert looked_after_12_months(episode(dt.date(2019, 6, 1), dt.date(2024, 3, 30), dt.date(2024, 4, 1)), year)
    # Ended on 31 March: no longer in care that day.
    assert not looked_after_12_months(episode(dt.date(2019, 6, 1), dt.date(2023, 5, 1), dt.date(2024, 3, 31)), year)
    assert not looked_after_12_months(episode(dt.date(2019, 6, 1), dt.date(2024, 4, 1)), year)


def test_six_files_a_year_with_the_dfe_header_rows(written):
    out, files, returns, _ = written
    assert list(returns)[-2:] == WRITTEN_YEARS and len(returns) > 10
    assert len(files.months) == MONTHS and demo.RETURN_FILES == tuple(HEADERS)
    for year, paths in files.returns:
        assert paths == [out / "903" / year / name for name in demo.RETURN_FILES]
        for name, (header, _) in returns[year].items():
            assert header == HEADERS[name], (year, name)
        assert all(len(rows(returns, year, name)) > 0 for name in ("header.csv", "episodes.csv", "uasc.csv"))
        has_monthly_records = year in WRITTEN_YEARS
        assert all(bool(rows(returns, year, name)) == has_monthly_records for name in ("oc2.csv", "oc3.csv"))
    header_only = (out / "903" / "2022-23" / "oc2.csv").read_text(encoding="utf-8").splitlines()
    assert header_only == [",".join(HEADERS["oc2.csv"])]


def test_episodes_are_those_open_in_the_year_as_at_31_march(written, county):
    _, _, returns, _ = written
    simulated = {(child.cid, e.start): e for child in county.county.children for e in child.episodes}
    children = {child.cid: child for child in county.county.children}
    for year in returns:
        start, end = year_bounds(year)
        episodes = rows(returns, year, "episodes.csv")
        keys = [(e["CHILD"], e["DECOM"]) for e in episodes]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), year
        expected = {key for key, e in simulated.items() if e.start <= end and (e.end is None or e.end >= start)}
        assert set(keys) == expected, year
        for e in episodes:
            truth = simulated[(e["CHILD"], e["DECOM"])]
            assert e["DECOM"] <= end and e["RNE"] == truth.rne and e["LS"] == truth.ls, e
            if truth.end is not None and truth.end <= end:
                assert e["DEC"] == truth.end and e["REC"] == truth.rec and e["DEC"] >= start, e
            else:  # ends after 31 March: not known yet
                assert e["DEC"] is None and e["REC"] == "", e
            child, place = children[e["CHILD"]], truth.place
            assert (e["CIN"], e["HOME_POST"]) == (child.cin, child.home_pc), e
            assert (e["PLACE"], e["PLACE_PROVIDER"], e["PL_POST"]) == \
                (as_written(place.ptype, start.year), place.provider, place.postcode), e
            assert e["REASON_PLACE_CHANGE"] == e["URN"] == "", e
        places = {e["PLACE"] for e in episodes}
        if year >= "2024-25":  # H5 and P2 are written K3 from 2024-25, even in episodes begun earlier
            assert "K3" in places and not places & {"H5", "P2"}, year
        else:
            assert "K3" not in places and places >= {"H5", "P2"}, year


def test_a_child_in_care_across_two_years_keeps_its_episode(written):
    _, _, returns, _ = written
    for earlier, later in zip(returns, list(returns)[1:]):
        start, _ = year_bounds(later)
        before = {(e["CHILD"], e["DECOM"]): e for e in rows(returns, earlier, "episodes.csv")}
        first_of_child = {}
        for e in rows(returns, later, "episodes.csv"):
            first_of_child.setdefault(e["CHILD"], e)
        carried = [e for e in first_of_child.values() if e["DECOM"] < start]
        assert len(carried) > 500, later
        for e in carried:  # open on 1 April: the same episode, first written the year before
            old = before[(e["CHILD"], e["DECOM"])]
            assert old["DEC"] is None and (e["DEC"] is None or e["DEC"] >= start), e
            assert (old["RNE"], old["LS"], old["PLACE_PROVIDER"], old["PL_POST"]) == \
                (e["RNE"], e["LS"], e["PLACE_PROVIDER"], e["PL_POST"]), e


def test_header_and_uasc(written, county):
    _, _, returns, _ = written
    children = {child.cid: child for child in county.county.children}
    for year in returns:
        _, end = year_bounds(year)
        header = rows(returns, year, "header.csv")
        ids = [h["CHILD"] for h in header]
        assert len(ids) == len(set(ids)) and set(ids) == {e["CHILD"] for e in rows(returns, year, "episodes.csv")}
        assert {h["SEX"] for h in header} == ({"1", "2"} if year <= "2023-24" else {"M", "F"}), year
        for h in header:
            child = children[h["CHILD"]]
            assert h["DOB"] == child.dob and h["ETHNIC"] == child.ethnicity and h["UPN"] == "", h
        uasc = rows(returns, year, "uasc.csv")
        assert {u["CHILD"] for u in uasc} == {cid for cid in ids if children[cid].uasc}
        sex = {h["CHILD"]: h["SEX"] for h in header}
        for u in uasc:
            eighteenth = add_years(u["DOB"], 18)
            assert u["DUC"] == (eighteenth if eighteenth <= end else None) and u["SEX"] == sex[u["CHILD"]], u


def test_children_in_care_at_each_month_end_agree_with_the_monthly_files(written):
    _, files, returns, monthly = written
    for period, _ in files.months:
        last = month_end(period)
        from_return = {e["CHILD"] for e in rows(returns, year_of(last), "episodes.csv")
                       if e["DECOM"] <= last and (e["DEC"] is None or e["DEC"] > last)}
        from_month = {e["child_id"] for e in monthly[period]["cic"]
                      if e["episode_start"] <= last and (e["episode_end"] is None or e["episode_end"] > last)}
        assert 650 <= len(from_month) <= 850 and from_return == from_month, period


def test_missing_episodes_agree_with_the_monthly_files(written):
    _, files, returns, monthly = written
    latest = {}  # episode id -> the latest monthly row: the found time, once known
    by_month = {}
    for period, _ in files.months:
        for m in monthly[period]["missing"]:
            latest[m["episode_id"]] = m
        by_month[period] = {m["episode_id"] for m in monthly[period]["missing"]
                            if m["in_care"] == "Y" and m["missing_from"].strftime("%Y-%m") == period}
        if period.endswith("-03"):  # a year's end: what the return knows is what the files knew
            year = year_of(month_end(period))
            start, end = year_bounds(year)
            expected = Counter(
                (m["child_id"], m["missing_from"], m["absence_type"], m["found_at"])
                for m in latest.values() if m["in_care"] == "Y" and start <= m["missing_from"] <= end)
            returned = rows(returns, year, "missing.csv")
            assert Counter((r["CHILD"], r["MIS_START"], r["MISSING"], r["MIS_END"]) for r in returned) == expected
            assert all(r["MIS_END"] is None or r["MIS_START"] <= r["MIS_END"] <= end for r in returned)
    for period, ids in by_month.items():
        returned = rows(returns, year_of(month_end(period)), "missing.csv")
        assert 15 <= len(ids) <= 70
        assert sum(r["MIS_START"].strftime("%Y-%m") == period for r in returned) == len(ids), period
    assert all(not rows(returns, year, "missing.csv") for year in history_years(returns))


def test_oc3_repeats_the_monthly_care_leaver_rows(written):
    _, files, returns, monthly = written
    for year in WRITTEN_YEARS:
        start, end = year_bounds(year)
        expected = sorted((c["child_id"], c["date_of_birth"], c["in_touch"], c["activity"], c["accommodation"])
                          for period, _ in files.months for c in monthly[period]["leavers"]
                          if start <= c["birthday"] <= end)
        returned = sorted((r["CHILD"], r["DOB"], r["IN_TOUCH"], r["ACTIV"], r["ACCOM"])
                          for r in rows(returns, year, "oc3.csv"))
        assert len(returned) > 300 and returned == expected, year


def test_oc2_children_are_those_looked_after_12_months_with_their_health(written):
    _, files, returns, monthly = written
    latest = {}  # (child, type, due) -> the row of the latest monthly file that has it done, or any
    for period, _ in files.months:
        for h in monthly[period]["health"]:
            key = (h["child_id"], h["assessment_type"], h["date_due"])
            if h["date_completed"] is not None or key not in latest:
                latest[key] = h
    done_by_child = {}  # child -> [(type, date done, SDQ score)]
    for (child, kind, _), h in latest.items():
        if h["date_completed"] is not None:
            done_by_child.setdefault(child, []).append((kind, h["date_completed"], h["sdq_score"]))
    for year in WRITTEN_YEARS:
        start, end = year_bounds(year)
        march = monthly[f"{end:%Y-%m}"]["cic"]
        cohort = {e["child_id"]: e["date_of_birth"] for e in march
                  if e["episode_start"] <= end and (e["episode_end"] is None or e["episode_end"] > end)
                  and e["period_start"] <= start}
        oc2 = rows(returns, year, "oc2.csv")
        assert {r["CHILD"] for r in oc2} == set(cohort) and len(oc2) == len(cohort) > 400, year

        def done(child, kinds, since):
            return sorted((when, score) for kind, when, score in done_by_child.get(child, [])
                          if kind in kinds and since <= when <= end)

        for r in oc2:
            under_five = age_on(cohort[r["CHILD"]], end) < 5
            since = add_months(end, -6 if under_five else -12)
            assessed = "1" if done(r["CHILD"], ("initial", "review"), since) else "0"
            assert r["HEALTH_ASSESSMENT"] == assessed and r["HEALTH_CHECK"] == (assessed if under_five else ""), r
            assert r["TEETH_CHECK"] == ("1" if done(r["CHILD"], ("dental",), add_months(end, -12)) else "0"), r
            sdqs = done(r["CHILD"], ("sdq",), start)
            assert r["SDQ_SCORE"] == (str(int(sdqs[-1][1])) if sdqs else ""), r
            assert r["CONVICTED"] == r["SUBSTANCE_MISUSE"] == "0" and r["IMMUNISATIONS"] == "", r
        share = sum(r["HEALTH_ASSESSMENT"] == "1" for r in oc2) / len(oc2)
        assert 0.6 <= share < 1 and any(r["SDQ_SCORE"] for r in oc2), (year, share)


def test_default_history_follows_every_episode_back_to_its_start(written, county):
    _, files, returns, _ = written
    needed = demo.history_years_needed(county)
    assert needed >= 10 and list(returns) == demo.return_years(county.county.periods, needed)
    returned = {(e["CHILD"], e["DECOM"]): e for year in returns for e in rows(returns, year, "episodes.csv")}
    in_window = {child for month in county.cic_children for child, _ in month}
    # The written months end on 31 March, so every episode begun in them is in a return too.
    assert {(child.cid, e.start) for child in in_window for e in child.episodes} <= returned.keys()
    assert all(returned[(child.cid, start)]["RNE"] == "S" for child in in_window for start, _, _ in child.periods)
    # The oldest return goes back no further than the oldest episode it is for.
    first_year = year_bounds(next(iter(returns)))
    assert any(first_year[0] <= e.start <= first_year[1] for child in in_window for e in child.episodes)


def test_write_returns_needs_the_monthly_rows_and_a_simulated_year(county, tmp_path):
    with pytest.raises(RuntimeError, match="write_extracts"):
        demo.write_returns(tmp_path, county, ["2024-25"])
    for year in ("2025-26", "1990-91", "2024-26", "2024"):
        with pytest.raises(ValueError):
            demo.write_returns(tmp_path, county, [year])
    assert not any(tmp_path.iterdir())
    # Years without monthly care-leaver rows need none.
    assert [y for y, _ in demo.write_returns(tmp_path, county, ["2021-22"])] == ["2021-22"]


def test_writing_the_returns_changes_no_monthly_file(tmp_path, monkeypatch):
    import xlsxwriter.core

    class Frozen(dt.datetime):
        """Workbooks record when they were written: the same moment for all, to compare bytes."""

        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2025, 4, 1, 12, 0, tzinfo=tz)

    monkeypatch.setattr(xlsxwriter.core, "datetime", Frozen)
    months, last = 2, "2024-04"  # across the April 2024 code changes

    def hashes(paths):
        return [(p.parent.name, p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]

    periods, extracts = demo.simulate(months, last, SEED)
    alone = [p for ps in write_extracts(tmp_path / "alone", periods, extracts, workers=1) for p in ps]
    by_generate = [p for _, ps in demo.generate(tmp_path / "generate", months, last, SEED, workers=1) for p in ps]
    files = demo.generate_demo(tmp_path / "demo", months, last, SEED, workers=1, return_history_years=2)
    assert [y for y, _ in files.returns] == ["2022-23", "2023-24"]  # the second partly written
    by_demo = [p for _, ps in files.months for p in ps]
    assert len(alone) == months * 6 and hashes(alone) == hashes(by_generate) == hashes(by_demo)

"""Councils' own monthly exports, in the shapes real systems produce, loaded through the CLI.

Each case draws one shape of a dataset's export (tests/export_shapes.py) from its seed,
writes one month's files into a fresh store and loads them as an analyst would: the
export as it comes first, then, where the product asks for them, the mappings the
analyst is told to save (`scorecard mapping set`, `scorecard mapping value`), then the
same file again. It checks what was refused and why, what was stored (values and
spreadsheet rows), what was reported as skipped, and the figures `scorecard report`
computes against numbers worked out by hand from the canonical records.

Every assertion message starts with the shape (seed and choices), so a failure can be
reproduced with `make_shape(dataset, seed)`.
"""
from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

import export_shapes as shapes
import export_vocabulary as vocabulary
from export_analyst import COUNCIL, Analyst, Outcome, listing, load_empty_months, normal, plain_file
from export_shapes import MONTH_FIRST, MONTH_LAST, Shape, make_shape, write_shape

SEEDS = range(int(os.environ.get("EXPORT_SEEDS", "20")))
"""Shapes per dataset; EXPORT_SEEDS=500 for a deeper search."""
DATASETS = list(vocabulary.DATASETS)
REQUIRED = {name: {s.name for s in d.specs if s.required} for name, d in vocabulary.DATASETS.items()}


@pytest.fixture
def analyst(engine, database_url, tmp_path) -> Analyst:
    return Analyst(engine, tmp_path)


# --- What the product must make of a shape, worked out without it ---------------------------------

def restricted(shape: Shape, present: set[str]) -> list[dict]:
    """The records as the product reads them when only the `present` fields are found."""
    names = [s.name for s in vocabulary.DATASETS[shape.dataset].specs]
    return [{n: (r[n] if n in present or (n == "birthday" and "age_at_birthday" in present) else None)
             for n in names} for r in shape.records]


def rows_breaking_rules(dataset: str, records: Sequence[dict]) -> list[int]:
    """Indexes of records that break the dataset's row rules (datasets.py) when read so."""
    rules: dict[str, Callable[[dict], bool]] = {
        "children_in_care": lambda r: r["reason_episode_ceased"] is not None and r["episode_end"] is None,
        "return_interviews": lambda r: r["outcome"] == "completed" and r["held_at"] is None,
        "health_assessments": lambda r: (r["assessment_type"] == "initial" and r["looked_after_date"] is None)
        or (r["date_due"] is None and r["date_completed"] is None),
    }
    rule = rules.get(dataset)
    return [i for i, r in enumerate(records) if rule and rule(r)] if rule else []


def missing_required(shape: Shape) -> dict[str, shapes.Column | None]:
    """Required fields the product cannot find before the mappings, each with the unknown
    column the analyst maps for it, which the message must suggest (the date half of a
    date and time, the age column for a birthday); None where that column is known and
    another field is what is missing (an age at birthday without the date of birth)."""
    present = shape.present(mapped=False)
    return {name: next((c for c in shape.columns if c.carries == name and not c.field.endswith("_time")
                        and c.needs_mapping), None)
            for name in REQUIRED[shape.dataset] - present}


def ambiguous_cells(shape: Shape, written: shapes.Written, mapped: bool) -> list[tuple[int, shapes.Column, str, str]]:
    """(row, column, word, code) of every cell written in a word that must match no code."""
    cells = []
    for name, words in shape.ambiguous.items():
        column = next(c for c in shape.columns if c.field == name)
        if not (column.known or mapped):
            continue
        for row, record in zip(written.record_rows, shape.records):
            for word, code in words.items():
                if record[name] == code:
                    cells.append((row, column, word, code))
    return cells


def refused_as_it_comes(shape: Shape, written: shapes.Written) -> bool:
    present = shape.present(mapped=False)
    return bool(missing_required(shape) or ambiguous_cells(shape, written, mapped=False)
                or rows_breaking_rules(shape.dataset, restricted(shape, present)))


# --- Loading a shape as an analyst would ----------------------------------------------------------

def load_as_an_analyst(analyst: Analyst, shape: Shape, written: shapes.Written, companions: Sequence[Path] = ()) -> Outcome:
    """The export as it comes (refused, or checked with --dry-run when it should load), the
    mappings the analyst is told to save, then the real load, which must succeed."""
    context = shape.describe()
    files = [written.path, *companions]
    refused = refused_as_it_comes(shape, written)
    if not refused and not shape.mappings(COUNCIL):
        final = analyst.ingest(files)  # nothing to tell the product first
        assert final.exit_code == 0, f"{context}\nthe export was refused:\n{listing(final.errors)}"
        return final
    before = analyst.dump()
    first = analyst.ingest(files, dry_run=not refused)
    assert analyst.dump() == before, f"{context}\nthe first attempt changed the store:\n{first.output}"
    if refused:
        assert first.exit_code == 1, f"{context}\nexpected a refusal before the mappings, got:\n{first.output}"
        assert "Nothing loaded" in first.output and "the store is unchanged" in first.output, \
            f"{context}\n{first.output}"
        check_refusal(shape, written, first)
    else:
        assert first.exit_code == 0, f"{context}\nexpected the dry run to pass:\n{listing(first.problems)}"
        for column in (c for c in shape.columns if c.needs_mapping):
            assert any(p["column"] == normal(column.header) for p in first.having("extra-column", "info")), \
                f"{context}\nan unknown optional header {column.header!r} is not reported as ignored:\n" \
                f"{listing(first.problems)}"
    for command in shape.mappings(COUNCIL):
        result = analyst.cli(*command)
        assert result.exit_code == 0, f"{context}\n`scorecard {' '.join(command)}` failed:\n{result.output}"
    final = analyst.ingest(files)
    assert final.exit_code == 0, f"{context}\nthe load after the mappings was refused:\n{listing(final.errors)}"
    return final


def check_refusal(shape: Shape, written: shapes.Written, outcome: Outcome) -> None:
    """Every refusal names the file (and sheet); a missing column suggests the file's own
    header and the mapping command; an ambiguous word names its row, column, the closest
    codes and the command that maps it."""
    context = f"{shape.describe()}\nproblems:\n{listing(outcome.problems)}"
    ours = [p for p in outcome.errors if p["file"] == written.path.name]
    assert ours, f"{context}\nno error names {written.path.name}"
    for problem in (p for p in ours if p["row"] is not None or p["code"] == "missing-column"):
        assert problem["sheet"] == written.sheet, f"{context}\nthe error does not name sheet {written.sheet!r}: {problem}"
    for name, column in missing_required(shape).items():
        found = [p for p in ours if p["code"] == "missing-column" and f"--field {name} " in p["message"]]
        assert found, f"{context}\nno missing-column error for {name}"
        message = found[0]["message"]
        if column is None:
            continue
        assert "did you mean" in message and repr(normal(column.header)) in message, \
            f"{context}\nthe message for {name} does not suggest the file's header {normal(column.header)!r}: {message}"
        assert f"scorecard mapping set --council {COUNCIL} --dataset {shape.dataset} --field {name}" in message, \
            f"{context}\nno mapping command in: {message}"
    for row, column, word, code in ambiguous_cells(shape, written, mapped=False):
        found = [p for p in ours if p["row"] == row and p["column"] == normal(column.header)]
        assert found, f"{context}\n{word!r} in row {row} (meaning {code}) was not refused"
        message = found[0]["message"]
        assert found[0]["value"] == word and "closest:" in message and f"{code} (" in message, \
            f"{context}\nthe refusal of {word!r} does not name the closest code {code}: {message}"
        assert f"scorecard mapping value --council {COUNCIL} --dataset {shape.dataset} --field {column.field} " \
               f"--value '{word}'" in message, f"{context}\nno value mapping command in: {message}"


def check_stored(analyst: Analyst, shape: Shape, written: shapes.Written, outcome: Outcome) -> dict:
    """What the store holds equals the canonical records, each with its spreadsheet row;
    totals, footers and notes were reported as skipped; extra columns as ignored."""
    context = f"{shape.describe()}\nproblems:\n{listing(outcome.problems)}"
    extract = analyst.current_extract(shape.dataset)
    assert (extract["source_file"], extract["source_sheet"], extract["row_count"]) == \
        (written.path.name, written.sheet, len(shape.records)), f"{context}\nextract: {extract}"
    versions = len(shape.mappings(COUNCIL))
    assert extract["mapping_version"] == (versions or None), \
        f"{context}\nthe extract should record mapping version {versions or None}: {extract}"
    stored = analyst.rows(shape.dataset, extract["id"])
    fields = [s.name for s in vocabulary.DATASETS[shape.dataset].specs]
    got = [(row["source_row"], {f: row[f] for f in fields}) for row in stored]
    expected = sorted(zip(written.record_rows, shape.expected_records()), key=lambda pair: pair[0])
    for (got_row, got_record), (want_row, want_record) in zip(got, expected):
        differ = {f: (got_record[f], want_record[f]) for f in fields if got_record[f] != want_record[f]}
        assert got_row == want_row and not differ, \
            f"{context}\nrow {got_row} (expected row {want_row}) stored, as (stored, expected): {differ}"
    assert len(got) == len(expected), f"{context}\nstored rows {[r for r, _ in got]}, expected {[r for r, _ in expected]}"
    skipped = {p["row"] for p in outcome.having("skipped-row", "info") if p["file"] == written.path.name}
    assert skipped == set(written.trailer_rows), \
        f"{context}\nrows reported as skipped: {sorted(skipped)}; totals, footers and notes: {written.trailer_rows}"
    ignored = {p["column"] for p in outcome.having("extra-column", "info") if p["file"] == written.path.name}
    extras = {normal(c.header) for c in shape.columns if c.field is None}
    assert extras <= ignored, f"{context}\nextra columns not reported as ignored: {extras - ignored}"
    shown = analyst.cli("mapping", "show", "--council", COUNCIL, "--dataset", shape.dataset).output
    for column in (c for c in shape.columns if c.needs_mapping):
        assert f"'{normal(column.header)}' -> {column.field}" in shown, f"{context}\nmapping show lacks it:\n{shown}"
    for name, words in shape.ambiguous.items():
        for word, code in words.items():
            assert f"{name}: '{word}' -> {code}" in shown, f"{context}\nmapping show lacks {word!r}:\n{shown}"
    return extract


def check_warnings(shape: Shape, outcome: Outcome, expected: set[tuple[str, int | None]]) -> None:
    """The warnings are exactly those expected (code, row): the canonical records are clean."""
    got = {(p["code"], p["row"]) for p in outcome.warnings}
    assert got == expected, f"{shape.describe()}\nwarnings:\n{listing(outcome.warnings)}\nexpected {sorted(expected)}"


# --- Figures worked out by hand -------------------------------------------------------------------

def in_month(day: dt.date | dt.datetime | None) -> bool:
    if day is None:
        return False
    day = day.date() if isinstance(day, dt.datetime) else day
    return MONTH_FIRST <= day <= MONTH_LAST


BANK_HOLIDAYS = {dt.date(2019, 5, 6), dt.date(2019, 5, 27), dt.date(2019, 8, 26), dt.date(2019, 12, 25),
                 dt.date(2019, 12, 26)}


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The day `days` England and Wales working days after `start` (not counted itself)."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            days -= 1
    return day


def assert_figure(shape: Shape, figures: dict, indicator: str, numerator: float, denominator: float | None,
                  extract_id: int) -> None:
    row = figures[indicator]
    got = (row["numerator"], row["denominator"])
    assert got == (numerator, denominator), \
        f"{shape.describe()}\n{indicator}: (numerator, denominator) {got}, worked out by hand " \
        f"{(numerator, denominator)}; note {row['note']!r}"
    assert str(extract_id) in row["extract_ids"].split(";"), \
        f"{shape.describe()}\n{indicator} does not name extract {extract_id}: {row['extract_ids']!r} {row['note']!r}"
    assert "extract loaded" not in row["note"], f"{shape.describe()}\n{indicator}: {row['note']!r}"


def missing_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    started = [r for r in shape.expected_records() if in_month(r["missing_from"])]
    assert_figure(shape, figures, "missing_episodes", len(started), None, extract_id)
    assert_figure(shape, figures, "children_missing", len({r["child_id"] for r in started}), None, extract_id)


def interview_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    """Return home interviews of the episodes that ended in the month (the plain missing
    episodes file lists them all)."""
    interviews = {r["episode_id"]: r for r in shape.expected_records()}
    ended = [e for e in vocabulary.MISSING_EPISODES if in_month(e["found_at"])]
    done = [e for e in ended if e["episode_id"] in interviews and interviews[e["episode_id"]]["outcome"] == "completed"
            and interviews[e["episode_id"]]["held_at"] is not None]
    quick = [e for e in done if interviews[e["episode_id"]]["held_at"] - e["found_at"] <= dt.timedelta(hours=72)]
    assert_figure(shape, figures, "rhi_completed", len(done), len(ended), extract_id)
    assert_figure(shape, figures, "rhi_within_72_hours", len(quick), len(done), extract_id)


def visit_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    due = [r for r in shape.expected_records() if in_month(r["date_due"])]
    in_time = [r for r in due if r["date_done"] is not None and r["date_done"] <= r["date_due"]]
    assert_figure(shape, figures, "visits_in_timescale", len(in_time), len(due), extract_id)


def health_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    initial = [r for r in shape.expected_records() if r["assessment_type"] == "initial"]
    due = [(r, working_days_after(r["looked_after_date"], 20)) for r in initial]
    due = [(r, day) for r, day in due if in_month(day)]
    in_time = [r for r, day in due if r["date_completed"] is not None and r["date_completed"] <= day]
    assert_figure(shape, figures, "iha_in_timescale", len(in_time), len(due), extract_id)


def leaver_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    window = [r for r in shape.expected_records() if dt.date(2018, 10, 1) <= r["birthday"] <= MONTH_LAST]
    for indicator, ages in (("care_leavers_in_touch_17_18", (17, 18)), ("care_leavers_in_touch_19_21", (19, 20, 21))):
        group = [r for r in window if r["birthday"].year - r["date_of_birth"].year in ages]
        assert_figure(shape, figures, indicator, sum(r["in_touch"] == "YES" for r in group), len(group), extract_id)


def children_in_care_figures(shape: Shape, figures: dict, extract_id: int) -> None:
    open_at_end = [r for r in shape.expected_records()
                   if r["episode_start"] <= MONTH_LAST and (r["episode_end"] is None or r["episode_end"] > MONTH_LAST)]
    children = {r["child_id"]: r for r in sorted(open_at_end, key=lambda r: r["episode_start"])}.values()
    assert_figure(shape, figures, "children_in_care", len(children), None, extract_id)
    assert_figure(shape, figures, "uasc_percent", sum(r["uasc"] for r in children), len(children), extract_id)
    placed = [r for r in children if not r["uasc"] and r["placed_in_area"] is not None]
    assert_figure(shape, figures, "placed_out_of_area", sum(r["placed_in_area"] is False for r in placed),
                  len(placed), extract_id)
    far = [r for r in children if r["distance_miles"] is not None]
    assert_figure(shape, figures, "placed_20_miles", sum(r["distance_miles"] >= 20 for r in far), len(far), extract_id)


FIGURES = {"missing_episodes": missing_figures, "return_interviews": interview_figures, "visits": visit_figures,
           "health_assessments": health_figures, "care_leavers": leaver_figures,
           "children_in_care": children_in_care_figures}


# --- What a dataset's export needs beside it ------------------------------------------------------

PARENTS = {"visits": "children_in_care", "return_interviews": "missing_episodes"}


def companion_mode(shape: Shape) -> str:
    """What comes with the export, drawn from its seed: a visits file may come with, after
    or before the month's children in care list, an interviews file with, after or before
    its missing episodes; care leaver figures need 12 months of extracts."""
    rng = random.Random(f"companions-{shape.dataset}-{shape.seed}")
    if shape.dataset in PARENTS:
        return rng.choice(["with", "with", "before", "none"])
    if shape.dataset == "care_leavers":
        return "a year of extracts" if rng.random() < 0.7 else "alone"
    return "alone"


def companions(analyst: Analyst, shape: Shape, folder: Path, mode: str) -> list[Path]:
    """Load what comes before the export; return the files that come with it."""
    parent = PARENTS.get(shape.dataset)
    if mode == "with":
        return [plain_file(parent, folder)]
    if mode == "before":
        assert analyst.ingest([plain_file(parent, folder)]).exit_code == 0
    if mode == "a year of extracts":
        load_empty_months(analyst, "care_leavers", folder, 11)
    return []


def expected_warnings(shape: Shape, written: shapes.Written, mode: str) -> set[tuple[str, int | None]]:
    """Visits before the month's children in care list, interviews before their missing
    episodes: loaded with a warning on each row (checked again when the list comes)."""
    if mode == "none":
        return {("not-yet-checked", row) for row in written.record_rows}
    return set()


def case(dataset: str, seed: int) -> pytest.param:
    return pytest.param(dataset, seed, id=f"{dataset}-{seed}")


def run_case(analyst: Analyst, folder: Path, shape: Shape, mode: str | None = None) -> None:
    """Load one generated export as an analyst would and check everything about it."""
    written = write_shape(shape, folder)
    mode = mode or companion_mode(shape)
    shape.choices.append(f"companions: {mode}")
    outcome = load_as_an_analyst(analyst, shape, written, companions(analyst, shape, folder, mode))
    extract = check_stored(analyst, shape, written, outcome)
    check_warnings(shape, outcome, expected_warnings(shape, written, mode))
    figures = analyst.report()
    if mode == "none":
        return  # the figure needs the list that has not come yet
    if shape.dataset == "care_leavers" and mode != "a year of extracts":
        row = figures["care_leavers_in_touch_17_18"]
        assert row["value"] is None and "needs 12 months of care_leavers extracts" in row["note"], \
            f"{shape.describe()}\n{row}"
        return
    FIGURES[shape.dataset](shape, figures, extract["id"])


# --- The cases ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset,seed", [case(d, s) for d in DATASETS for s in SEEDS])
def test_a_month_export_in_a_generated_shape(analyst, tmp_path, dataset, seed):
    run_case(analyst, tmp_path, make_shape(dataset, seed))


HEADER_ONLY_SEEDS = range(1000, 1003)


@pytest.mark.parametrize("dataset,seed", [case(d, s) for d in DATASETS
                                          for s in HEADER_ONLY_SEEDS])
def test_a_header_only_export_is_a_month_of_no_records(analyst, tmp_path, dataset, seed):
    """No one went missing this month: a figure of 0 from that extract, not "no extract loaded"."""
    shape = make_shape(dataset, seed, empty=True, mapping_rate=0)
    assert not shape.records
    mode = {"care_leavers": "a year of extracts", "visits": "with", "return_interviews": "with"}.get(dataset, "alone")
    run_case(analyst, tmp_path, shape, mode)


# --- Files that are not an export at all -------------------------------------------------------

def nothing(kind: str, folder: Path) -> tuple[Path, str]:
    """A file with nothing in it, or one export's rows of data without their header."""
    if kind == "empty csv":
        path = folder / "export.csv"
        path.write_bytes(b"")
        return path, kind
    if kind == "blank lines":
        return shapes.write_text_csv(folder / "export.csv", [[], [None, None, None], []], "utf-16"), kind
    if kind == "empty workbook":
        return shapes.write_workbook(folder / "export.xlsx", {"Sheet1": []}), kind
    shape = make_shape(kind.removeprefix("no header: "), 7, empty=False, mapping_rate=0)
    return write_shape(shape, folder, header=False).path, f"{kind}: {shape.describe()}"


@pytest.mark.parametrize("kind", ["empty csv", "blank lines", "empty workbook", *(f"no header: {d}" for d in DATASETS)])
def test_a_file_with_nothing_in_it_or_no_header_is_refused(analyst, tmp_path, kind):
    assert analyst.ingest([plain_file("children_in_care", tmp_path)]).exit_code == 0  # a store with data in it
    path, context = nothing(kind, tmp_path)
    before = analyst.dump()
    outcome = analyst.ingest([path])
    context = f"{context}\n{listing(outcome.problems)}"
    assert outcome.exit_code == 1 and "Nothing loaded" in outcome.output, context
    assert analyst.dump() == before, context
    assert any(p["file"] == path.name and p["code"] in ("file-error", "unknown-dataset") for p in outcome.errors), \
        context

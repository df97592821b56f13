"""How fast are the metrics, next to a plain pandas group-by over the same rows?

For (a) the demo county (E10000099, in the store at DATABASE_URL or data/scorecard.db; made
with `scorecard demo` into a temporary store if that has none) and (b) a national-scale
store (E92000001, built by bench/national.py, or reused with --national-db), times,
alternately in the same run:
  A. the metrics: `load_records` (store -> frames), then `compute(records, catalogue)` for
     every indicator and every month (no breakdowns);
  B. the baseline: for each of the six datasets, `pandas.read_sql` of the same joined query
     (its records in current extracts, as `store.current_records` asks; dates come back as
     ISO text), then, in memory, a `groupby` by the month of the dataset's main date (the
     text's first seven characters) with `.size()`, timed apart from the read;
  C. what a page reads since figures are kept per load: the council's kept set for its
     current extracts (`figure_sets.read`, in one snapshot).
It prints the median of each over --runs, and the medians of the pairwise ratios
compute / group-by and (load_records + compute) / (read_sql + group-by). Times are for
one machine at one moment; the ratios, taken in the same run, are what to compare.

    .venv/bin/python bench/metrics.py [--runs 3] [--only demo|national] [--scale 1.0]
                                      [--national-db PATH] [--profile]

The demo part's first pair warms the caches and is not counted; the national part has
no warm-up pair (it is slow): its store file is read through once first instead. At full
scale the national part takes about 15 minutes for 3 runs (plus 1.5 to build the store)
and about 9 GB of memory at its peak (load_records of 12.9 million rows).
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import pandas as pd
from sqlalchemy import Date, DateTime, String, cast, select
from sqlalchemy.exc import SQLAlchemyError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard import settings, store  # noqa: E402
from scorecard.metrics import figure_sets  # noqa: E402
from scorecard.metrics.catalogue import load_catalogue  # noqa: E402
from scorecard.metrics.compute import compute  # noqa: E402
from scorecard.metrics.records import load_records  # noqa: E402

DEMO_COUNCIL = "E10000099"
NATIONAL_COUNCIL = "E92000001"
# The date each dataset's rows are counted by month on.
MAIN_DATE = {
    "children_in_care": "episode_start",
    "visits": "date_due",
    "missing_episodes": "missing_from",
    "return_interviews": "held_at",
    "health_assessments": "date_due",
    "care_leavers": "birthday",
}


# -- memory -----------------------------------------------------------------------------------------

def reset_peak() -> bool:
    """Reset the process's peak resident memory (Linux: VmHWM), so a phase's own peak can be read."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_gb() -> float:
    """Peak resident memory since the last reset (VmHWM), or of the whole process (maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 ** 2
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


# -- the two sides ------------------------------------------------------------------------------------

def current_query(council: str, dataset: str):
    """The query `store.current_records` runs: the dataset's records in current extracts, dates as text."""
    table = store.RECORD_TABLES[dataset]
    columns = [
        cast(column, String).label(column.name) if isinstance(column.type, (Date, DateTime)) else column
        for column in table.c
        if column.name != "id"
    ]
    return (
        select(*columns, cast(store.extracts.c.as_at, String).label("extract_as_at"))
        .join(store.extracts, store.extracts.c.id == table.c.extract_id)
        .where(store.extracts.c.council == council, store.extracts.c.dataset == dataset,
               store.extracts.c.status == store.CURRENT)
    )


def run_metrics(engine, council: str, catalogue) -> dict:
    started = time.perf_counter()
    records = load_records(engine, council)
    loaded = time.perf_counter()
    result = compute(records, catalogue)
    computed = time.perf_counter()
    # C: what a page now does instead: read the figures the load kept (made here once, if
    # the store has none for these extracts, by the first run).
    figure_sets.figures_for(engine, council, catalogue)
    kept_started = time.perf_counter()
    with store.snapshot_connection(engine) as conn:
        kept = figure_sets.read(conn, council, catalogue)
    kept_read = time.perf_counter() - kept_started
    assert kept is not None and len(kept.values) == len(result)
    shape = {
        "frames": {dataset: len(frame) for dataset, frame in records.frames.items()},
        "months": result["period"].nunique(),
        "indicators": result["indicator"].nunique(),
        "values": int(result["value"].notna().sum()),
        "cells": len(result),
    }
    del records, result
    gc.collect()
    return {"load": loaded - started, "compute": computed - loaded, "kept": kept_read, **shape}


def run_baseline(engine, council: str) -> dict:
    read, grouped, rows, months = {}, {}, {}, {}
    with engine.connect() as conn:
        for dataset, column in MAIN_DATE.items():
            query = current_query(council, dataset)
            started = time.perf_counter()
            frame = pd.read_sql(query, conn)
            read_done = time.perf_counter()
            counts = frame.groupby(frame[column].str.slice(0, 7)).size()
            grouped_done = time.perf_counter()
            read[dataset], grouped[dataset] = read_done - started, grouped_done - read_done
            rows[dataset], months[dataset] = len(frame), len(counts)
            del frame, counts
    gc.collect()
    return {"read": read, "group": grouped, "rows": rows, "months": months}


# -- one part ------------------------------------------------------------------------------------------

def warm_file(url: str) -> None:
    """Read a SQLite store once, so the first timed run does not pay for the disk."""
    path = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and Path(path).exists():
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def bench(name: str, url: str, council: str, runs: int, warmup: int) -> dict:
    engine = store.engine(url)
    catalogue = load_catalogue()
    warm_file(url)
    metrics, baselines, peaks = [], [], {}
    for run in range(warmup + runs):
        counted = run >= warmup
        # Alternate which side goes first, so neither always meets a cold or a warm machine.
        order = ("metrics", "baseline") if run % 2 == 0 else ("baseline", "metrics")
        for side in order:
            reset_peak()
            if side == "metrics":
                outcome = run_metrics(engine, council, catalogue)
            else:
                outcome = run_baseline(engine, council)
            peaks[side] = max(peaks.get(side, 0.0), peak_gb())
            if counted:
                (metrics if side == "metrics" else baselines).append(outcome)
        if counted:
            m, b = metrics[-1], baselines[-1]
            print(f"  run {run - warmup + 1}: load_records {m['load']:.2f} s, compute {m['compute']:.2f} s, "
                  f"read_sql {sum(b['read'].values()):.2f} s, group-by {sum(b['group'].values()):.3f} s",
                  flush=True)
    engine.dispose()
    return {"name": name, "url": url, "council": council, "metrics": metrics, "baselines": baselines,
            "peaks": peaks}


def median(values) -> float:
    return statistics.median(values)


def report(result: dict) -> None:
    metrics, baselines = result["metrics"], result["baselines"]
    first_m, first_b = metrics[0], baselines[0]
    print(f"\n{result['name']}: council {result['council']}, {first_m['months']} months, "
          f"{first_m['indicators']} indicators ({first_m['values']:,} of {first_m['cells']:,} month values "
          f"computed), {len(metrics)} runs")
    print(f"  {'dataset':<20} {'rows read':>12} {'records':>12} {'months':>7} {'read_sql s':>11} {'group-by s':>11}")
    for dataset in MAIN_DATE:
        print(f"  {dataset:<20} {first_b['rows'][dataset]:>12,} {first_m['frames'][dataset]:>12,} "
              f"{first_b['months'][dataset]:>7} {median(b['read'][dataset] for b in baselines):>11.3f} "
              f"{median(b['group'][dataset] for b in baselines):>11.4f}")
    print(f"  {'total':<20} {sum(first_b['rows'].values()):>12,} {sum(first_m['frames'].values()):>12,}")
    load = [m["load"] for m in metrics]
    work = [m["compute"] for m in metrics]
    read = [sum(b["read"].values()) for b in baselines]
    group = [sum(b["group"].values()) for b in baselines]
    print(f"  {'seconds':<36} {'median':>9} {'min':>9} {'max':>9}")
    for label, values in (("A  load_records (store -> frames)", load), ("A  compute (every indicator, month)", work),
                          ("A  load_records + compute", [a + b for a, b in zip(load, work)]),
                          ("C  the kept figures read (a page)", [m["kept"] for m in metrics]),
                          ("B  read_sql (6 datasets)", read), ("B  group-by in memory (6 datasets)", group),
                          ("B  read_sql + group-by", [a + b for a, b in zip(read, group)])):
        print(f"  {label:<36} {median(values):>9.3f} {min(values):>9.3f} {max(values):>9.3f}")
    ratios = {
        "compute / group-by": [w / g for w, g in zip(work, group)],
        "(load + compute) / (read_sql + group-by)": [(lo + w) / (r + g)
                                                     for lo, w, r, g in zip(load, work, read, group)],
        "load_records / read_sql": [lo / r for lo, r in zip(load, read)],
        "kept figures read / group-by": [m["kept"] / g for m, g in zip(metrics, group)],
        "kept figures read / (read_sql + group-by)": [m["kept"] / (r + g) for m, r, g in zip(metrics, read, group)],
    }
    print(f"  {'ratio (pairs from the same run)':<42} {'median':>9} {'min':>9} {'max':>9}")
    for label, values in ratios.items():
        print(f"  {label:<42} {median(values):>9.1f} {min(values):>9.1f} {max(values):>9.1f}")
    peaks = result["peaks"]
    print(f"  peak memory (resident): metrics {peaks.get('metrics', 0):.2f} GB, "
          f"baseline {peaks.get('baseline', 0):.2f} GB")


def profile(url: str, council: str, top: int) -> None:
    """Where compute spends its time: the top functions by cumulative time, one compute."""
    engine = store.engine(url)
    records = load_records(engine, council)
    catalogue = load_catalogue()
    profiler = cProfile.Profile()
    profiler.enable()
    compute(records, catalogue)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile of one compute on {council}, top {top} by cumulative time:")
    print(out.getvalue().split("\n", 1)[1] if "\n" in out.getvalue() else out.getvalue())


# -- finding the stores ----------------------------------------------------------------------------------

def has_demo(url: str) -> bool:
    """Whether the store at `url` holds the demo county, without creating anything."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    try:
        with store.engine(url).connect() as conn:
            return bool(conn.execute(select(store.extracts.c.id).where(
                store.extracts.c.council == DEMO_COUNCIL, store.extracts.c.status == store.CURRENT).limit(1)).first())
    except SQLAlchemyError:  # no such table, no such server: no demo there
        return False


def demo_store(tmp: Path) -> str:
    url = settings.database_url()
    if has_demo(url):
        return url
    url = f"sqlite:///{tmp / 'demo.db'}"
    print(f"no demo county in {settings.database_url()}: generating it into {url} (takes a minute or two)",
          flush=True)
    scorecard = str(Path(sys.executable).with_name("scorecard"))
    started = time.perf_counter()
    subprocess.run([scorecard, "demo", "--out", str(tmp / "demo")], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "DATABASE_URL": url})
    print(f"demo county generated and loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def national_store(tmp: Path, path: Path | None, scale: float, seed: int) -> str:
    if path is not None and path.exists():
        print(f"reusing the national store {path} (--scale and --seed do not apply)", flush=True)
        return f"sqlite:///{path.resolve()}"
    path = path or tmp / "national.db"
    print(f"building the national store (scale {scale}) at {path} ...", flush=True)
    started = time.perf_counter()
    # In its own process, so its memory does not count towards the metrics' peak.
    subprocess.run([sys.executable, str(ROOT / "bench" / "national.py"), str(path), "--scale", str(scale),
                    "--seed", str(seed)], check=True)
    print(f"national store built in {time.perf_counter() - started:.0f} s (whole process)", flush=True)
    return f"sqlite:///{path.resolve()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("demo", "national"))
    parser.add_argument("--scale", type=float, default=1.0, help="of the national store, if it is built")
    parser.add_argument("--seed", type=int, default=2015, help="of the national store, if it is built")
    parser.add_argument("--national-db", type=Path, help="reuse this national store, or build it here")
    parser.add_argument("--profile", action="store_true", help="also profile one compute of each part")
    args = parser.parse_args()

    results = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-metrics-")))
        if args.only in (None, "demo"):
            url = demo_store(tmp)
            print(f"demo county: {url}", flush=True)
            results.append(bench("demo county", url, DEMO_COUNCIL, args.runs, warmup=1))
            report(results[-1])
            if args.profile:
                profile(url, DEMO_COUNCIL, 10)
        if args.only in (None, "national"):
            url = national_store(tmp, args.national_db, args.scale, args.seed)
            print(f"national store: {url}", flush=True)
            results.append(bench("national store", url, NATIONAL_COUNCIL, args.runs, warmup=0))
            report(results[-1])
            if args.profile:
                profile(url, NATIONAL_COUNCIL, 10)
    if len(results) == 2:
        demo, national = (median(m["compute"] for m in r["metrics"]) for r in results)
        records = [sum(r["metrics"][0]["frames"].values()) for r in results]
        print(f"\nnational / demo compute time: {national / demo:.1f}x for {records[1] / records[0]:.0f}x the records")
    # ru_maxrss follows the resets of VmHWM on Linux, so the process's peak is the phases' highest.
    highest = max([peak for r in results for peak in r["peaks"].values()], default=peak_gb())
    print(f"peak memory of this process (resident, the highest phase): {highest:.2f} GB")


if __name__ == "__main__":
    main()

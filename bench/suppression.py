"""How long do the month's disclosure decisions take, next to computing the same months' totals?

Every public view needs the decision of each month it shows (`CouncilMetrics.suppressions`:
the scorecard page its month, the month compared with, last month, last year and 13
sparkline months; the indicator page's trend 24 months and the 11 before them), made
afresh after every store change. For the demo county (E10000099, in the store at
DATABASE_URL or data/scorecard.db; made with `scorecard demo` into a temporary store if
that has none), over the --months months to its latest, times, alternately in the same run:
  baseline  `compute(records, catalogue, periods=months)`: every indicator's totals, no
            breakdowns (what the cached figures cost);
  before    the old decision path: `compute(..., breakdowns=True)` (with lineage), then
            `decide` for each month;
  after     the decision path `suppressions` takes: `compute(..., breakdowns=True,
            lineage=False)` (counts only), then `decide` for each month.
It prints the median, min and max of each over --runs (the counts and the decisions
apart), and the medians of the ratios before / baseline, after / baseline and
before / after, pairs from the same run; it checks that before and after hide the same
figures for the same reasons. Times are for one machine at one moment; the ratios,
taken in the same run, are what to compare.

    .venv/bin/python bench/suppression.py [--runs 3] [--months 24] [--profile]

The first round warms the caches and is not counted. About 15 s a round on the demo county.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# bench/metrics.py, beside this script: the demo store, and peak memory.
from metrics import DEMO_COUNCIL, demo_store, peak_gb, reset_peak

from scorecard import store
from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.compute import compute
from scorecard.metrics.records import load_records
from scorecard.metrics.suppression import decide

SIDES = ("baseline", "before", "after")


def run_baseline(records, catalogue, months: list[str]) -> dict:
    started = time.perf_counter()
    compute(records, catalogue, periods=months)
    return {"counts": time.perf_counter() - started, "decide": 0.0}


def run_decisions(records, catalogue, months: list[str], lineage: bool) -> dict:
    """The counts of every figure of the months, then each month's decision (as
    `CouncilMetrics.suppressions` makes them; the old path when `lineage`)."""
    started = time.perf_counter()
    values = compute(records, catalogue, breakdowns=True, periods=months, lineage=lineage)
    counted = time.perf_counter()
    decisions = {month: decide(values[values["period"] == month], catalogue) for month in months}
    decided = time.perf_counter()
    return {"counts": counted - started, "decide": decided - counted, "figures": len(values),
            "hidden": {month: decision.hidden for month, decision in decisions.items()}}


def run(side: str, records, catalogue, months: list[str]) -> dict:
    if side == "baseline":
        return run_baseline(records, catalogue, months)
    return run_decisions(records, catalogue, months, lineage=side == "before")


def bench(records, catalogue, months: list[str], runs: int) -> dict:
    times: dict[str, list[dict]] = {side: [] for side in SIDES}
    peaks: dict[str, float] = {}
    same = True
    for number in range(1 + runs):
        counted = number >= 1
        # Rotate which side goes first, so none always meets a cold or a warm machine.
        order = SIDES[number % 3:] + SIDES[:number % 3]
        outcome = {}
        for side in order:
            gc.collect()
            reset_peak()
            outcome[side] = run(side, records, catalogue, months)
            peaks[side] = max(peaks.get(side, 0.0), peak_gb())
        same &= outcome["before"]["hidden"] == outcome["after"]["hidden"]
        if counted:
            for side in SIDES:
                times[side].append(outcome[side])
            print(f"  run {number}: " + ", ".join(f"{side} {total(outcome[side]):.2f} s" for side in SIDES),
                  flush=True)
    hidden = sum(len(h) for h in outcome["after"]["hidden"].values())
    return {"times": times, "peaks": peaks, "same": same, "figures": outcome["after"]["figures"], "hidden": hidden}


def total(outcome: dict) -> float:
    return outcome["counts"] + outcome["decide"]


def report(result: dict, months: list[str]) -> None:
    times = result["times"]
    runs = len(times["baseline"])
    print(f"\ndemo county: {len(months)} months ({months[0]} to {months[-1]}), {result['figures']:,} figures "
          f"(every indicator and breakdown group), {result['hidden']:,} hidden; {runs} runs")
    print(f"  {'seconds':<40} {'median':>9} {'min':>9} {'max':>9}")
    rows = [("baseline: totals, no breakdowns", [total(t) for t in times["baseline"]])]
    for side in ("before", "after"):
        rows += [(f"{side}: counts", [t["counts"] for t in times[side]]),
                 (f"{side}: decide", [t["decide"] for t in times[side]]),
                 (f"{side}: counts + decide", [total(t) for t in times[side]])]
    for label, values in rows:
        print(f"  {label:<40} {statistics.median(values):>9.3f} {min(values):>9.3f} {max(values):>9.3f}")
    baseline, before, after = ([total(t) for t in times[side]] for side in SIDES)
    ratios = {"before / baseline": [b / a for b, a in zip(before, baseline)],
              "after / baseline": [b / a for b, a in zip(after, baseline)],
              "before / after": [b / a for b, a in zip(before, after)]}
    print(f"  {'ratio (pairs from the same run)':<40} {'median':>9} {'min':>9} {'max':>9}")
    for label, values in ratios.items():
        print(f"  {label:<40} {statistics.median(values):>9.2f} {min(values):>9.2f} {max(values):>9.2f}")
    peaks = result["peaks"]
    print("  peak memory (resident): " + ", ".join(f"{side} {peaks[side]:.2f} GB" for side in SIDES))
    print(f"  before and after hide the same figures for the same reasons: {'yes' if result['same'] else 'NO'}")


def profile(records, catalogue, months: list[str], top: int) -> None:
    """Where the decision path `suppressions` takes spends its time."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_decisions(records, catalogue, months, lineage=False)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(f"\ncProfile of one decision of {len(months)} months (counts only), top {top} by own time:")
    print(out.getvalue().split("\n", 1)[1] if "\n" in out.getvalue() else out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, default=24, help="how many months to the latest are decided")
    parser.add_argument("--profile", action="store_true", help="also profile one decision of the months")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-suppression-") as tmp:
        url = demo_store(Path(tmp))
        print(f"demo county: {url}", flush=True)
        engine = store.engine(url)
        records = load_records(engine, DEMO_COUNCIL)
        catalogue = load_catalogue()
        totals = compute(records, catalogue)
        months = sorted(set(totals.loc[totals["value"].notna(), "period"]))[-args.months:]
        del totals
        result = bench(records, catalogue, months, args.runs)
        report(result, months)
        if args.profile:
            profile(records, catalogue, months, 15)
        engine.dispose()
    if not result["same"]:
        sys.exit("the counts-only path changed a decision")


if __name__ == "__main__":
    main()

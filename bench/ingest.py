"""How fast is `scorecard ingest`, next to just reading the same xlsx with calamine?

Writes a 100,000-row missing-episodes workbook (the template, realistic values), then
times, alternately in the same run:
  A. `scorecard ingest FILE --period ...` as a whole process, into a fresh SQLite store
     (which, as every load does, ends by computing and keeping the month's figures);
  B. the bare parse: a Python process that reads the sheet with python-calamine;
  C. A with --no-figures: the check and load alone;
and prints the median of A and B, their peak memory (maximum resident set) and the median
of the pairwise ratios A/B (the goal is at most 2) and C/B. It also prints where the time goes inside
one ingest. Both run from compiled bytecode, kept in a temporary folder.

    .venv/bin/python bench/ingest.py [--rows 100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.datasets import MISSING_EPISODES  # noqa: E402
from ingest.templates import write_workbook  # noqa: E402

PERIOD = "2024-12"
BARE_PARSE = ("import sys, python_calamine; "
              "python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()")


def missing_rows(count: int, seed: int = 1):
    rng = random.Random(seed)
    start = dt.datetime(2024, 12, 1)   # every episode starts in the month loaded (PERIOD)
    districts = ["North", "South", "East", "West", "Central"]
    for i in range(count):
        went = start + dt.timedelta(minutes=rng.randrange(0, 25 * 24 * 60))   # found by the 31st
        found = went + dt.timedelta(minutes=rng.randrange(30, 5 * 24 * 60)) if rng.random() > 0.02 else None
        yield (f"ME{i:07d}", f"C{rng.randrange(30_000):06d}", rng.choice("YN"), went, found,
               rng.choice("MMMMA"), rng.choice(districts))


def timed(command: list[str], env: dict) -> tuple[float, float, float]:
    """The command's wall time and CPU time (user and system, every thread) in seconds, and
    its peak memory (maximum resident set) in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def stages(path: Path, workdir: Path) -> dict[str, float]:
    """Where the time goes inside one ingest (in-process, after imports)."""
    from ingest.load import load_upload
    from ingest.readers import read_file
    from ingest.upload import validate_upload
    from scorecard import store

    started = time.perf_counter()
    read_file(path)  # parses every sheet
    read = time.perf_counter() - started
    engine = store.engine(f"sqlite:///{workdir / 'stages.db'}")
    store.create_all(engine)
    started = time.perf_counter()
    upload = validate_upload([path], PERIOD, "E10000099")
    validated = time.perf_counter() - started
    started = time.perf_counter()
    load_upload(engine, upload, "bench")
    loaded = time.perf_counter() - started
    assert upload.row_count == sum(1 for _ in missing_rows(upload.row_count)) and upload.report.ok
    return {"read (calamine)": read, "read + validate": validated, "write to SQLite": loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = write_workbook(workdir / "missing.xlsx", MISSING_EPISODES, missing_rows(args.rows))
        print(f"{args.rows:,}-row missing-episodes workbook: {path.stat().st_size / 1e6:.1f} MB")
        scorecard = str(Path(sys.executable).with_name("scorecard"))
        # Both processes run as installed code does, from compiled bytecode (written by the
        # uncounted first pair), even where PYTHONDONTWRITEBYTECODE is set: compiling the
        # project's modules from source at every start costs ingest about 0.4 s.
        environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        environment["PYTHONPYCACHEPREFIX"] = str(workdir / "bytecode")
        ingest_times, parse_times, ratios, cpu_ratios, ingest_peaks, parse_peaks = [], [], [], [], [], []
        bare_ingest_ratios = []
        for run in range(args.runs + 1):  # the first pair warms the file cache and is not counted
            env = {**environment, "DATABASE_URL": f"sqlite:///{workdir / f'run{run}.db'}"}
            a, a_cpu, a_peak = timed([scorecard, "ingest", str(path), "--period", PERIOD, "--quiet"], env)
            b, b_cpu, b_peak = timed([sys.executable, "-c", BARE_PARSE, str(path)], env)
            env["DATABASE_URL"] = f"sqlite:///{workdir / f'run{run}-no-figures.db'}"
            c, _, _ = timed([scorecard, "ingest", str(path), "--period", PERIOD, "--quiet", "--no-figures"], env)
            if run:
                bare_ingest_ratios.append(c / b)
                ingest_times.append(a)
                parse_times.append(b)
                ratios.append(a / b)
                cpu_ratios.append(a_cpu / b_cpu)
                ingest_peaks.append(a_peak)
                parse_peaks.append(b_peak)
        print(f"scorecard ingest, whole process: median {statistics.median(ingest_times):.2f} s, "
              f"peak memory {max(ingest_peaks):.0f} MB")
        print(f"bare calamine parse, whole process: median {statistics.median(parse_times):.2f} s, "
              f"peak memory {max(parse_peaks):.0f} MB")
        print(f"ratio ingest / bare parse: median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {args.runs} pairs; goal <= 2), with the "
              "month's figures computed and kept as every load does")
        print(f"  the load alone (--no-figures) / bare parse: median {statistics.median(bare_ingest_ratios):.2f} "
              f"(min {min(bare_ingest_ratios):.2f}, max {max(bare_ingest_ratios):.2f})")
        # On a machine others share, wall time varies with their load; CPU time much less.
        print(f"ratio of CPU time (user + system): median {statistics.median(cpu_ratios):.2f} "
              f"(min {min(cpu_ratios):.2f}, max {max(cpu_ratios):.2f}); load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print("inside one ingest (seconds, after imports):")
        for name, seconds in stages(path, workdir).items():
            print(f"  {name:<18} {seconds:.2f}")


if __name__ == "__main__":
    main()

"""How fast is `scorecard benchmarks import data/reference/dfe`, next to just reading the same files with pandas?

Times, alternately in the same run:
  A. `scorecard benchmarks import data/reference/dfe` as a whole process, into a fresh
     SQLite store in a temporary folder (DATABASE_URL): every EES tidy file and LAIT's
     long file, read, mapped to indicators and written as releases;
  B. the bare read: a Python process that reads the same files (`published_files`, so
     not the reference files read in place) with `pandas.read_csv(path, dtype=str)`.
and prints the median of each, the median of the pairwise ratios A/B, and each side's
peak resident memory (ru_maxrss of the process, from os.wait4). It also prints where
the time goes inside one import, and that process's own peak memory.

    .venv/bin/python bench/published_import.py [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.published import import_published, published_files, read_file, read_published  # noqa: E402
from scorecard import councils, measures, store  # noqa: E402
from scorecard.councils import DFE_DIR  # noqa: E402

BARE_READ = "import sys, pandas as pd\nfor path in sys.argv[1:]:\n    pd.read_csv(path, dtype=str)"


def maxrss_mb(usage: resource.struct_rusage) -> float:
    """ru_maxrss in MB (Linux gives kilobytes, macOS bytes)."""
    return usage.ru_maxrss / (1024 ** 2 if sys.platform == "darwin" else 1024)


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak resident MB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return elapsed, maxrss_mb(usage)


def figures_in(url: str) -> tuple[int, int]:
    """(releases, figures) in the store at url."""
    from sqlalchemy import func, select

    engine = store.engine(url)
    with store.read_connection(engine) as conn:
        releases = len(store.published_releases_list(conn))
        figures = conn.execute(select(func.count()).select_from(store.published_figures)).scalar_one()
    engine.dispose()
    return releases, figures


def stages(files: list[Path], workdir: Path) -> dict[str, float]:
    """Where the time goes inside one import (in-process, after imports)."""
    import pandas as pd

    started = time.perf_counter()
    for path in files:
        pd.read_csv(path, dtype=str)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    for path in files:
        read_file(path)  # as the importer reads: dtype=str, no NA guessing, BOM dropped
    read = time.perf_counter() - started
    started = time.perf_counter()
    councils.councils(), councils.regions(), councils.neighbours("855"), measures.measures()  # cached after
    reference = time.perf_counter() - started
    started = time.perf_counter()
    for path in files:
        read_published(path)
    mapped = time.perf_counter() - started
    engine = store.engine(f"sqlite:///{workdir / 'stages.db'}")
    store.create_all(engine)
    started = time.perf_counter()
    for path in files:
        import_published(engine, path, "bench")
    imported = time.perf_counter() - started
    engine.dispose()
    return {"bare pandas.read_csv": bare, "read_file (importer's read)": read,
            "reference files (councils, models)": reference,
            "read + map (read_published)": mapped, "read + map + write to SQLite": imported,
            "  of which write": imported - mapped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    files = published_files([DFE_DIR])
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} published files under {DFE_DIR.relative_to(ROOT)} ({size / 1e6:.1f} MB gzipped): "
          + ", ".join(p.name for p in files))
    with tempfile.TemporaryDirectory(prefix="bench-published-") as tmp:
        workdir = Path(tmp)
        scorecard = str(Path(sys.executable).with_name("scorecard"))
        import_times, read_times, ratios, import_peaks, read_peaks = [], [], [], [], []
        url = ""
        for run in range(args.runs + 1):  # the first pair warms the file cache and is not counted
            url = f"sqlite:///{workdir / f'run{run}.db'}"
            env = {**os.environ, "DATABASE_URL": url}
            a, a_peak = timed([scorecard, "benchmarks", "import", str(DFE_DIR)], env)
            b, b_peak = timed([sys.executable, "-c", BARE_READ, *map(str, files)], env)
            if run:
                import_times.append(a)
                read_times.append(b)
                ratios.append(a / b)
                import_peaks.append(a_peak)
                read_peaks.append(b_peak)
        releases, figures = figures_in(url)
        assert releases == len(files) and figures > 0, (releases, figures)
        print(f"each import: {releases} releases, {figures:,} figures in a fresh SQLite store")
        print(f"scorecard benchmarks import, whole process: median {statistics.median(import_times):.2f} s, "
              f"peak memory {max(import_peaks):.0f} MB")
        print(f"bare pandas.read_csv(dtype=str), whole process: median {statistics.median(read_times):.2f} s, "
              f"peak memory {max(read_peaks):.0f} MB")
        print(f"ratio import / bare read: median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {args.runs} pairs)")
        print("inside one import (seconds, after imports):")
        for name, seconds in stages(files, workdir).items():
            print(f"  {name:<36} {seconds:.2f}")
        peak = maxrss_mb(resource.getrusage(resource.RUSAGE_SELF))
        print(f"peak memory of this process (every stage above): {peak:.0f} MB")


if __name__ == "__main__":
    main()

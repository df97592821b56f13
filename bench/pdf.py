"""How long does the PDF meeting pack take to build now (WeasyPrint, tagged PDF/UA), next
to the reportlab build it replaced, measured in the same run?

The "before" build is the project as it was at --before (default 0dd8e15, the last commit
with the reportlab pack), taken out of git (`git archive`) into a temporary folder; the
"after" build is this tree. Each runs in its own long-lived worker process (the two trees
both call their package `scorecard`, so they cannot share one), given the same demo
county's scorecard for 2025-03 (built once by this tree and pickled), which builds the
pack whenever asked. The parent
asks the two in turn, build by build, so the machine's noise hits both alike, and prints
for each the median wall-clock and CPU seconds of a build, the median of the pairwise
ratios after / before (wall and CPU: CPU time is the steadier of the two on a shared
machine), the PDF's size, and each worker's peak resident memory (ru_maxrss:
the scorecard, the libraries and the builds).

    .venv/bin/python bench/pdf.py [--runs 5] [--before 0dd8e15] [--db PATH] [--rebuild]

The store is bench/web.py's demo county (120 months, with the published benchmarks and
the demo's commentary), built on first use by this tree (a few minutes) and reused;
--db takes any store holding the demo county (the pack uses 13 months of it). The before build
needs reportlab (`pip install reportlab`): the project no longer depends on it.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "0dd8e15"


# -- a worker: one tree's build, timed on request ---------------------------------------------------------

def make_card(url: str, council: str, period: str, out: str) -> None:
    """The scorecard both builds are given, pickled: built once, by this tree, from the store
    (so the before tree never reads a store whose schema is newer than its own)."""
    from scorecard import store
    from scorecard.metrics import council_metrics
    from scorecard.ui.views import build_scorecard

    Path(out).write_bytes(pickle.dumps(build_scorecard(council_metrics(store.engine(url), council), period)))


def worker(card_path: str) -> None:
    """Reads 'build' lines on stdin; answers each with a JSON line of the build's seconds.
    Imports `scorecard` from PYTHONPATH, the tree it was started for (nothing else here
    puts a tree on sys.path), whose view-model classes the pickled scorecard is loaded into."""
    import scorecard
    from scorecard.packs import pdf_pack

    card = pickle.loads(Path(card_path).read_bytes())
    pdf_pack(card)   # the first build loads fonts and libraries: not timed
    print(json.dumps({"ready": scorecard.__file__}), flush=True)
    for line in sys.stdin:
        if line.strip() != "build":
            break
        wall, cpu = time.perf_counter(), time.process_time()
        data = pdf_pack(card)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"wall": wall, "cpu": cpu, "bytes": len(data), "peak_mb": peak}), flush=True)


class Worker:
    def __init__(self, tree: Path, card_path: Path):
        self.process = subprocess.Popen([sys.executable, __file__, "--worker", str(card_path)], cwd=tree,
                                        env={**os.environ, "PYTHONPATH": str(tree)},
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline())["ready"]
        if not ready.startswith(str(tree)):
            raise RuntimeError(f"the worker for {tree} imported {ready}")

    def build(self) -> dict:
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def extract(revision: str, folder: Path) -> Path:
    """The project's Python packages as they were at `revision`."""
    archive = subprocess.run(["git", "archive", revision, "scorecard", "ingest", "data/reference", "metrics.yaml"],
                             cwd=ROOT,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed builds of each (after one untimed)")
    parser.add_argument("--before", default=BEFORE, help="the commit whose (reportlab) build to compare with")
    parser.add_argument("--db", type=Path, default=None, help="a store holding the demo county (default: web.py's)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo store again")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--card", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    if args.card:
        return make_card(*args.card)

    sys.path.insert(0, str(ROOT / "bench"))
    from web import COUNCIL, DEFAULT_DB, LAST, build_store

    args.db = args.db or DEFAULT_DB
    os.environ["PYTHONPATH"] = str(ROOT)   # every `scorecard` process below runs this tree
    if args.rebuild or not args.db.exists():
        build_store(args.db)
    url = f"sqlite:///{args.db.resolve()}"
    commit = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        before_tree = extract(args.before, Path(tmp))
        print(f"the demo county, {LAST}; before: {commit} (reportlab) from {before_tree}; after: this tree "
              f"(WeasyPrint); {args.runs} builds of each, taken in turn", flush=True)
        card = Path(tmp) / "scorecard.pickle"
        subprocess.run([sys.executable, __file__, "--card", url, COUNCIL, LAST, str(card)], check=True, cwd=ROOT)
        workers = {"before": Worker(before_tree, card), "after": Worker(ROOT, card)}
        results = {name: [] for name in workers}
        try:
            for _ in range(args.runs):
                for name, each in workers.items():
                    results[name].append(each.build())
        finally:
            for each in workers.values():
                each.close()

    for name, runs in results.items():
        print(f"{name:>6}: median {statistics.median(r['wall'] for r in runs):.2f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):.2f} s CPU per build; "
              f"{runs[-1]['bytes'] / 1e6:.2f} MB; worker's peak memory {max(r['peak_mb'] for r in runs):.0f} MB")
    for clock in ("wall", "cpu"):
        ratios = [a[clock] / b[clock] for a, b in zip(results["after"], results["before"], strict=True)]
        print(f"ratio after / before ({clock}): median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {len(ratios)} pairs)")
    size = results["after"][-1]["bytes"] / results["before"][-1]["bytes"]
    print(f"ratio of file sizes after / before: {size:.2f}")


if __name__ == "__main__":
    main()

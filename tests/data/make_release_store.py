"""Make tests/data/release_<revision>_store.sql.gz and its report with a released version's
own code, for tests/test_store_migrations_release.py.

The store is made by the release itself, not by this checkout: every step below runs the
release's `scorecard` command line (`python -m scorecard.cli`) in a subprocess, with
PYTHONPATH pointing at a worktree of the release's commit and a fresh SQLite store in
DATABASE_URL. What it holds: the demo county (three months, generated and loaded through
`ingest` by `scorecard demo`), the DfE's published figures of one EES file and the
statistical neighbours, commentary (the demo's file and one added), and a saved column
mapping and value mapping with two versions, and the SSDA903 return of the last month's collection year;
from revision 0004 on, the meeting calendar and the action log too, each with a second
version of a row. The release's `scorecard report` of the last
month is written beside it as CSV: the figures the test expects after upgrading.

The store is kept as SQL text (sqlite3's iterdump, gzip'd without a timestamp) rather than
the binary file: it diffs, it restores on any SQLite, and its rows can be copied into
PostgreSQL. To make it again, from a checkout of this project:

    git worktree add /tmp/release c70ef3c      # revision 0003: release_0003_store.sql.gz
    /path/to/python tests/data/make_release_store.py --release /tmp/release
    git worktree remove --force /tmp/release

and the same with 2ab226d, the last commit at revision 0004 (before 0005's users, audit
log and targets), for release_0004_store.sql.gz. The revision is read from the store made.

The generator is seeded, so the rows are the same each time except the load times and
upload ids, which the test does not compare with anything but themselves.
"""
from __future__ import annotations

import argparse
import gzip
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
COUNCIL = "E10000099"  # the demo county
LAST_MONTH = "2025-03"
MONTHS = "3"
RETURN_YEAR = "2024-25"  # the one SSDA903 return loaded: the collection year of the last month


def _demo(work: Path) -> list[str]:
    return ["demo", "--out", str(work / "demo"), "--months", MONTHS, "--last", LAST_MONTH]


def _after_demo(work: Path, has_meetings: bool) -> list[list[str]]:
    """The release's commands after `demo`, in order, as an analyst would type them (the
    SSDA903 files are those `demo` wrote)."""
    return [
        ["ingest", "--year", RETURN_YEAR, "--council", COUNCIL, "--quiet",
         *sorted(str(f) for f in (work / "demo" / "903" / RETURN_YEAR).glob("*.csv"))],
        ["benchmarks", "import", "data/reference/dfe/ees/la_cla_placement_stability.csv.gz",
         "data/reference/dfe/statistical_neighbours"],
        ["commentary", "load", "data/reference/demo_commentary.csv", "--council", COUNCIL],
        ["commentary", "add", "--council", COUNCIL, "--indicator", "visits_in_timescale", "--period", LAST_MONTH,
         "--text", "Visits held up over the year end; made by the release for the upgrade test.",
         "--author", "Head of Service"],
        ["mapping", "set", "--council", COUNCIL, "--dataset", "missing_episodes", "--field", "missing_from",
         "--header", "When Reported Missing"],
        ["mapping", "value", "--council", COUNCIL, "--dataset", "missing_episodes", "--field", "absence_type",
         "--value", "Away", "--code", "A"],
    ] + (_meeting_steps() if has_meetings else [])


def _meeting_steps() -> list[list[str]]:
    """For a release with the meeting calendar and action log (revision 0004 on): the demo's
    samples, a meeting moved and an action updated, so that both keep more than one version."""
    return [
        ["meetings", "load", "data/reference/demo_meetings.csv", "--council", COUNCIL],
        ["meetings", "add", "2025-05-21", "--shows", LAST_MONTH, "--council", COUNCIL],
        ["meetings", "add", "2025-05-14", "--cancelled", "--council", COUNCIL],
        ["actions", "load", "data/reference/demo_actions.csv", "--council", COUNCIL],
        ["actions", "add", "--reference", "CP-01", "--status", "complete", "--update",
         "All four areas have signed the process.", "--on", "2025-04-02", "--council", COUNCIL],
    ]


def _run(release: Path, env: dict, args: list[str], stdout=None) -> None:
    print("scorecard", " ".join(args), flush=True)
    subprocess.run([sys.executable, "-m", "scorecard.cli", *args], cwd=release, env=env, check=True,
                   stdout=stdout)


def _revision(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, required=True, help="A worktree of the release's commit.")
    parser.add_argument("--out", type=Path, default=HERE, help="Where to write the dump and the report.")
    args = parser.parse_args()
    release = args.release.resolve()
    commit = subprocess.run(["git", "-C", str(release), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "store.db"
        env = dict(os.environ, PYTHONPATH=str(release), DATABASE_URL=f"sqlite:///{db}", SCORECARD_USER="analyst")
        has_meetings = (release / "data/reference/demo_meetings.csv").exists()
        _run(release, env, _demo(work))
        steps = [_demo(work), *_after_demo(work, has_meetings)]
        for step in steps[1:]:
            _run(release, env, step)
        revision = _revision(db)
        report = args.out / f"release_{revision}_report_{LAST_MONTH}.csv"
        with report.open("w") as out:
            _run(release, env, ["report", "--council", COUNCIL, "--period", LAST_MONTH, "--format", "csv"], out)
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            dump = "\n".join(conn.iterdump()) + "\n"
        header = (f"-- A store made by the release at commit {commit} (Alembic revision {revision}) with\n"
                  f"-- tests/data/make_release_store.py: {' | '.join(' '.join(s[:2]) for s in steps)}.\n")
        target = args.out / f"release_{revision}_store.sql.gz"
        target.write_bytes(gzip.compress((header + dump).encode(), compresslevel=9, mtime=0))
    print(f"Wrote {target} ({target.stat().st_size:,} bytes) and {report}")


if __name__ == "__main__":
    main()

"""A load killed with SIGKILL, at points while it checks and while it writes, leaves the
store exactly as it was before or exactly as the finished load would: one transaction per
upload, on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import write_csv
from sqlalchemy import func, select, text

from scorecard import store
from scorecard.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

PERIOD = "2019-09"
COUNCIL = "E10000099"
OLD_ROWS, NEW_ROWS = 500, 60_000
HEADER = ["Missing Episode ID", "Child ID", "Looked After", "Date Reported Missing", "Date Found", "Missing/Away"]


def write_missing_month(path, count: int, seed: int):
    """`count` missing episodes in September 2019 of children not in care (no other file needed)."""
    rng = random.Random(seed)
    start = dt.datetime(2019, 9, 1)
    rows = []
    for i in range(count):
        went = start + dt.timedelta(minutes=rng.randrange(0, 28 * 24 * 60))
        found = went + dt.timedelta(minutes=rng.randrange(30, 2 * 24 * 60))
        rows.append([f"ME{seed}-{i:07d}", f"C{rng.randrange(90_000):06d}", "N", f"{went:%d/%m/%Y %H:%M}",
                     f"{found:%d/%m/%Y %H:%M}", rng.choice("MMMA")])
    return write_csv(path, [HEADER, *rows])


def start_load(url: str, path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(PROJECT_ROOT), "SCORECARD_USER": "killed"}
    return subprocess.Popen([sys.executable, "-m", "scorecard.cli", "ingest", "--period", PERIOD, "--council", COUNCIL,
                             str(path)], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def kill_at(load: subprocess.Popen, after_writing: float | None) -> str:
    """SIGKILL the load at the point given; returns where it was."""
    if after_writing is None:
        time.sleep(1.0)  # parsing and checking 60,000 rows takes longer than this
    else:
        for line in load.stderr:
            if line.startswith("Writing "):
                break
        time.sleep(after_writing)
    finished = load.poll() is not None
    load.send_signal(signal.SIGKILL)
    load.wait(60)
    return "had finished" if finished else "killed"


def state(engine) -> dict:
    with engine.connect() as conn:
        extracts = {row.id: (row.status, row.row_count, row.superseded_by) for row in conn.execute(
            select(store.extracts).where(store.extracts.c.dataset == "missing_episodes"))}
        records = dict(conn.execute(select(store.missing_episodes.c.extract_id, func.count())
                                    .group_by(store.missing_episodes.c.extract_id)).all())
        uploads = conn.scalar(select(func.count()).select_from(store.audit_events)
                              .where(store.audit_events.c.action == "upload"))
    return {"extracts": extracts, "records": records, "uploads": uploads}


def wait_for_the_killed_session_to_end(engine) -> None:
    """PostgreSQL rolls a killed client's transaction back when it notices the closed
    socket: wait for that, so what is read below is what will stay."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 60
    with engine.connect() as conn:
        while conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                               "AND state IS DISTINCT FROM 'idle'")):
            assert time.monotonic() < deadline, "the killed load's session did not end"
            time.sleep(0.2)
            conn.rollback()


def assert_old_or_new(before: dict, after: dict) -> str:
    # Every extract holds exactly the records it says: nothing half-written, nothing orphaned.
    assert after["records"] == {i: rows for i, (_status, rows, _by) in after["extracts"].items()}
    current = [i for i, (status, _rows, _by) in after["extracts"].items() if status == store.CURRENT]
    assert len(current) == 1
    if after == before:
        return "old"
    added = set(after["extracts"]) - set(before["extracts"])
    [new] = added
    [old] = [i for i, (status, _rows, _by) in before["extracts"].items() if status == store.CURRENT]
    assert current == [new] and after["extracts"][new][1] == NEW_ROWS
    assert after["extracts"][old] == (store.SUPERSEDED, before["extracts"][old][1], new)
    assert {i: v for i, v in after["extracts"].items() if i not in (old, new)} == \
        {i: v for i, v in before["extracts"].items() if i != old}
    assert after["uploads"] == before["uploads"] + 1
    return "new"


def timed_load(url: str, path) -> float:
    """Load to the end; the seconds from "Writing" to the end of the process."""
    load = start_load(url, path)
    for line in load.stderr:
        if line.startswith("Writing "):
            break
    writing = time.monotonic()
    assert load.wait(600) == 0, load.stderr.read()
    return time.monotonic() - writing


def test_a_load_killed_anywhere_leaves_the_old_state_or_the_new(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    old_file = write_missing_month(tmp_path / "missing-old.csv", OLD_ROWS, seed=1)
    big_file = write_missing_month(tmp_path / "missing-new.csv", NEW_ROWS, seed=2)
    timed_load(url, old_file)
    before = state(engine)
    writes_for = timed_load(url, big_file)  # how long writing takes here, to kill it on the way
    assert assert_old_or_new(before, state(engine)) == "new"
    outcomes = []
    # While it checks, then at points through the write, then about when it commits.
    for point in [None, *(writes_for * share for share in (0.0, 0.3, 0.6, 0.9, 1.1))]:
        before = state(engine)
        where = kill_at(start_load(url, big_file), point)
        wait_for_the_killed_session_to_end(engine)
        outcomes.append((None if point is None else round(point, 2), where, assert_old_or_new(before, state(engine))))
    print(f"writing took {writes_for:.2f} s; kill points (s after 'Writing', where, state): {outcomes}")
    assert outcomes[0][2] == "old"  # killed while checking: nothing was written
    assert any(where == "killed" and after == "old" for point, where, after in outcomes[1:])
    before = state(engine)
    timed_load(url, big_file)  # and the store loads as before after it all
    assert assert_old_or_new(before, state(engine)) == "new"

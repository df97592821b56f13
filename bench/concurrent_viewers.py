"""Do 50 people viewing the scorecard at once get answers, and how fast, from `make serve`?

Starts the app under gunicorn (scorecard/serve_config.py, --workers as given) on a free
loopback port over the demo county (built once with the project's own CLI into
bench/.cache/concurrent-demo-<months>.db, with the published benchmarks and the demo's
commentary; --rebuild to make it again). Then --viewers threads, each its own HTTP session
(requests, which Dash already installs), sign in as a viewer once and, for --warmup seconds
(not counted) and then --seconds (counted), request in turn:
  scorecard  the pages router callback for `/?period=2025-03`;
  indicator  the router callback for `/indicator/iha_in_timescale?period=2025-03&breakdown=host_la`;
  trivial    the scorecard's theme list callback (a short list, no figures): the sign-in
             gate, CSRF and Dash's dispatch, over HTTP, under the same load.
Before the load, the trivial callback is timed alone (--baseline requests, one at a time):
the unloaded cost of a request, which the loaded percentiles are divided by.

It prints: errors (count, by HTTP status or exception), p50/p95/p99 of each kind and of
the page callbacks together, each p95 as a ratio to the unloaded trivial request's median,
the slowest warm-up request (a worker's first request computes the council's figures), the
requests per second, the CPU seconds each gunicorn worker and this client used in the
counted window (CPU-bound: workers' CPU ~ cores x seconds), and each worker's peak
memory (VmHWM in /proc/<pid>/status) and the master's.

    .venv/bin/python bench/concurrent_viewers.py [--viewers 50] [--seconds 45] [--warmup 15] [--workers N]
                                         [--months 36] [--rebuild] [--baseline 40] [--alone 3]

(Not bench/concurrent.py: a script's folder comes first on the import path, and a file
named concurrent.py there hides the standard library's concurrent package from every bench
script, which asyncio, and so SQLAlchemy, imports.)

The client runs on the same machine as the server, so its threads take CPU from it too
(printed). Times are for one machine at one moment; ratios taken in the same run compare.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scorecard import serve_config

COUNCIL = "E10000099"
LAST = "2025-03"
ROUTER = "_pages_content.children"
PAGES = {"scorecard": ("/", f"?period={LAST}"),
         "indicator": ("/indicator/iha_in_timescale", f"?period={LAST}&breakdown=host_la")}
# Text each answer must hold, so a page that renders "no data" or an error is counted as one.
EXPECT = {"scorecard": b"Scorecard for March 2025", "indicator": b"host_la", "trivial": b"All themes"}
USER = "bench-concurrent"


def cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "scorecard.cli", *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def build_store(path: Path, months: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    env = environment(f"sqlite:///{partial.resolve()}")
    print(f"building the store: demo county, {months} months to {LAST}, into {path} ...", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-concurrent-") as tmp:
        cli(env, "demo", "--months", str(months), "--last", LAST, "--out", f"{tmp}/demo")
    cli(env, "benchmarks", "import", "data/reference/dfe")
    cli(env, "commentary", "load", "data/reference/demo_commentary.csv")
    for suffix in ("-wal", "-shm", ""):  # the file last: a build cut short is never reused
        source = partial.with_name(partial.name + suffix)
        if source.exists():
            os.replace(source, path.with_name(path.name + suffix))
    print(f"store built in {time.perf_counter() - started:.0f} s", flush=True)


def environment(url: str) -> dict:
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "DATABASE_URL": url, "SCORECARD_COUNCIL": COUNCIL, "PYTHONPATH": os.pathsep.join(paths)}


def add_viewer(url: str) -> str:
    """A viewer account for this run (a new password each time); its password."""
    os.environ.update(DATABASE_URL=url, SCORECARD_COUNCIL=COUNCIL)
    from scorecard import store
    from scorecard.access import accounts

    password = secrets.token_urlsafe(16)
    try:
        accounts.add_user(store.engine(), USER, "viewer", "Concurrent bench viewer", password)
    except accounts.AccountError:
        accounts.set_password(store.engine(), USER, password)
    store.engine().dispose()
    return password


# -- the server -------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def start_gunicorn(url: str, workers: int | None, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**environment(url), "SCORECARD_SECRET_KEY": secrets.token_hex(32)}
    command = [sys.executable, "-m", "gunicorn", "--config", "python:scorecard.serve_config",
               "--bind", f"127.0.0.1:{port}", *(["--workers", str(workers)] if workers else []), "app:server"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/login", timeout=5).status_code == 200 and \
                    len(workers_of(process.pid)) == (workers or serve_config.workers):
                return process, base
        except requests.RequestException:  # not listening yet, or the master still computing
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn did not answer within 120 s:\n{log.read_text()[-3000:]}")


# -- the viewers ------------------------------------------------------------------------------------------

class Viewer:
    def __init__(self, base: str, password: str):
        self.base, self.session = base, requests.Session()
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.session.get(f"{base}/login", timeout=60).text)
        answer = self.session.post(f"{base}/login", data={"username": USER, "password": password,
                                                          "csrf_token": token.group(1)},
                                   allow_redirects=False, timeout=60)
        if answer.status_code != 302:
            raise SystemExit(f"could not sign in: HTTP {answer.status_code}")
        self.session.get(f"{base}/_dash-layout", timeout=60)  # sets the CSRF cookie
        self.headers = {"X-CSRFToken": self.session.cookies.get("_csrf_token", ""),
                        "Content-Type": "application/json"}

    def call(self, body: bytes) -> tuple[float, int | str, bytes]:
        started = time.perf_counter()
        try:
            answer = self.session.post(f"{self.base}/_dash-update-component", data=body, headers=self.headers,
                                       timeout=120)
            status, content = answer.status_code, answer.content
        except requests.RequestException as error:
            status, content = type(error).__name__, b""
        return time.perf_counter() - started, status, content


def body(dependencies: list[dict], output: str, inputs: dict) -> bytes:
    dep = next(d for d in dependencies if d["output"] == output or f"..{output}.." in f".{d['output']}.")
    parts = dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]]
    outputs = [{"id": p.rpartition(".")[0], "property": p.rpartition(".")[2].split("@")[0]} for p in parts]
    items = [dict(i, value=inputs.get(f"{i['id']}.{i['property']}")) for i in dep["inputs"]]
    return json.dumps({"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                       "inputs": items, "state": [], "changedPropIds": list(inputs)}).encode()


def requests_to_make(viewer: Viewer) -> dict[str, bytes]:
    dependencies = viewer.session.get(f"{viewer.base}/_dash-dependencies", timeout=60).json()
    made = {name: body(dependencies, ROUTER, {"_pages_location.pathname": path, "_pages_location.search": search})
            for name, (path, search) in PAGES.items()}
    made["trivial"] = body(dependencies, "scorecard-theme.options", {"scorecard-framework.value": None})
    return made


class Run:
    """What the viewers saw: (phase, kind, seconds, status) for every request."""

    def __init__(self, warmup: float, seconds: float):
        self.lock = threading.Lock()
        self.results: list[tuple[str, str, float, int | str]] = []
        self.start = time.monotonic() + 1.0  # every viewer starts together
        self.counted_from = self.start + warmup
        self.stop = self.counted_from + seconds

    def phase(self, now: float) -> str:
        return "warmup" if now < self.counted_from else "counted"

    def viewer_loop(self, viewer: Viewer, made: dict[str, bytes]) -> None:
        time.sleep(max(0.0, self.start - time.monotonic()))
        order = ["scorecard", "indicator", "trivial"]
        turn = secrets.randbelow(len(order))  # not every viewer asks for the same thing at once
        while (began := time.monotonic()) < self.stop:
            kind = order[turn % len(order)]
            turn += 1
            seconds, status, content = viewer.call(made[kind])
            if status == 200 and EXPECT[kind] not in content:
                status = "200 without the page"
            with self.lock:
                self.results.append((self.phase(began), kind, seconds, status))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--workers", type=int, default=None, help="default: serve_config's 2 x cores + 1")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--baseline", type=int, default=40, help="unloaded trivial requests timed first")
    parser.add_argument("--alone", type=int, default=3, help="each page's requests timed alone, before the load")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    path = args.db or ROOT / "bench" / ".cache" / f"concurrent-demo-{args.months}.db"
    if args.rebuild or not path.exists():
        build_store(path, args.months)
    url = f"sqlite:///{path.resolve()}"
    password = add_viewer(url)
    with tempfile.TemporaryDirectory(prefix="bench-concurrent-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        process, base = start_gunicorn(url, args.workers, log)
        try:
            report(process, base, password, args, log)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=60)
                print(f"gunicorn stopped (SIGTERM): exit status {code}")
            except subprocess.TimeoutExpired:
                process.kill()
                print("gunicorn did not stop within 60 s of SIGTERM: killed")
            said = log.read_text(errors="replace")
            print("".join(line + "\n" for line in said.splitlines() if "Computed the figures" in line
                          or "were not computed" in line), end="")
            tracebacks = said.count("Traceback")
            if tracebacks:
                print(f"the server's log holds {tracebacks} tracebacks:\n{said[-3000:]}")


def report(process: subprocess.Popen, base: str, password: str, args, log: Path) -> None:
    workers = workers_of(process.pid)
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[0]} (other processes on the machine)")
    print(f"gunicorn on {base}: {len(workers)} workers (pids {', '.join(map(str, workers))}), "
          f"{len(os.sched_getaffinity(0))} cores; {args.viewers} viewers signing in ...", flush=True)
    first = Viewer(base, password)
    made = requests_to_make(first)
    baseline = []
    for _ in range(args.baseline):
        seconds, status, content = first.call(made["trivial"])
        if status != 200 or EXPECT["trivial"] not in content:
            raise SystemExit(f"the trivial callback answered {status}: {content[:500]!r}")
        baseline.append(seconds)
    trivial_alone = statistics.median(baseline)
    alone = {}
    for kind in PAGES:  # one viewer, one request at a time: each page's own cost, without the crowd
        times = []
        for _ in range(args.alone):
            seconds, status, content = first.call(made[kind])
            if status != 200 or EXPECT[kind] not in content:
                raise SystemExit(f"the {kind} callback answered {status}: {content[:500]!r}")
            times.append(seconds)
        alone[kind] = times
    viewers = [first] + [Viewer(base, password) for _ in range(args.viewers - 1)]

    run = Run(args.warmup, args.seconds)
    threads = [threading.Thread(target=run.viewer_loop, args=(v, made), daemon=True) for v in viewers]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, run.counted_from - time.monotonic()))
    cpu_before = {pid: cpu_seconds(pid) for pid in workers}
    client_before = time.process_time()
    time.sleep(max(0.0, run.stop - time.monotonic()))
    cpu_after = {pid: cpu_seconds(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    client_cpu = time.process_time() - client_before
    for thread in threads:
        thread.join(timeout=180)
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[0]}")
    memory = {pid: (status_kb(pid, "VmHWM"), status_kb(pid, "VmRSS")) for pid in workers_of(process.pid)}
    master = status_kb(process.pid, "VmHWM")

    counted = [r for r in run.results if r[0] == "counted"]
    warm = [r for r in run.results if r[0] == "warmup"]
    errors = Counter(str(status) for _, _, _, status in run.results if status != 200)
    print(f"\nunloaded trivial callback: median {trivial_alone * 1000:.1f} ms over {len(baseline)} requests")
    for kind, times in alone.items():
        print(f"{kind} alone, one request at a time: {', '.join(f'{t:.2f}' for t in times)} s "
              f"(the first may be a worker's first of that page)")
    print(f"warm-up ({args.warmup:.0f} s, not counted): {len(warm)} requests, slowest "
          f"{max((r[2] for r in warm), default=0):.2f} s (a worker's first request computes the figures)")
    print(f"counted ({args.seconds:.0f} s): {len(counted)} requests, {len(counted) / args.seconds:.1f} per second")
    print(f"errors: {sum(errors.values())}" + (f" ({', '.join(f'{k}: {v}' for k, v in errors.items())})"
                                                if errors else ""))
    print(f"\n{'request':<24}{'count':>7}{'p50 s':>9}{'p95 s':>9}{'p99 s':>9}{'p95 / trivial alone':>22}")
    groups = {kind: [r[2] for r in counted if r[1] == kind and r[3] == 200] for kind in (*PAGES, "trivial")}
    groups["scorecard + indicator"] = groups["scorecard"] + groups["indicator"]
    for kind, times in groups.items():
        if not times:
            print(f"{kind:<24}{0:>7}")
            continue
        p95 = percentile(times, 0.95)
        print(f"{kind:<24}{len(times):>7}{percentile(times, 0.5):>9.3f}{p95:>9.3f}{percentile(times, 0.99):>9.3f}"
              f"{p95 / trivial_alone:>21.0f}x")
    print(f"\nCPU in the counted {args.seconds:.0f} s: workers "
          + ", ".join(f"{pid}: {cpu_after.get(pid, 0) - cpu_before[pid]:.1f} s" for pid in workers)
          + f" (together {sum(cpu_after.get(p, 0) - cpu_before[p] for p in workers) / args.seconds:.2f} cores); "
          f"this client {client_cpu:.1f} s")
    print("peak memory (VmHWM): " + ", ".join(f"worker {pid} {hwm / 1024:.0f} MB (now {rss / 1024:.0f} MB)"
                                              for pid, (hwm, rss) in memory.items())
          + f"; master {master / 1024:.0f} MB")


if __name__ == "__main__":
    main()

"""How long does the web app take, server side, to answer a page, next to a trivial callback?

Over the demo county with 10 years of data (120 months to 2025-03, with the published
benchmarks and the demo's commentary; built once into bench/.cache/web-demo-120.db and
reused, --rebuild to make it again), drives app.py's Dash callbacks through the Flask
test client (`/_dash-update-component`: the whole of Flask's request handling, no network,
no browser) and times, interleaved in the same rounds so the machine's noise hits all alike:
  trivial    a callback registered here that returns a short string: Flask + Dash overhead,
             and the sign-in gate (the bench signs in as a viewer it adds to the store);
  scorecard  the pages router for `/?period=2025-03`;
  indicator  the router for `/indicator/iha_in_timescale?period=2025-03&breakdown=host_la`;
  scorecard, month varies   the router for `/` for a month of 2024 (a different one each round),
             so nothing cached for one month can serve it.
It prints for each the median and 95th percentile, each as a ratio to the trivial callback's,
and the size of the response (raw and as sent with Accept-Encoding: gzip). Before the rounds,
the first scorecard request computes every indicator for all 120 months: that one-off cost,
paid again after each data load, is printed apart (and again with the metrics cache emptied).
Then the PDF and Excel packs (`/download/scorecard-2025-03.pdf`, `.xlsx`) over --pack-rounds.
--profile adds cProfile tables of the scorecard and indicator callbacks (and one PDF pack).
Times are for one machine at one moment; the ratios, taken in the same run, are what to compare.

    .venv/bin/python bench/web.py [--rounds 60] [--pack-rounds 5] [--cold-rounds 2] [--db PATH]
                                  [--rebuild] [--profile] [--profile-calls 12]

Building the store runs `scorecard demo --months 120` (about a minute, printed); the cold
re-runs empty this process's councils in memory (`scorecard.metrics.cache.forget_all`).
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNCIL = "E10000099"
MONTHS = 120
LAST = "2025-03"
DEFAULT_DB = ROOT / "bench" / ".cache" / f"web-demo-{MONTHS}.db"
ROUTER = "_pages_content.children"
SCORECARD = ("/", f"?period={LAST}")
INDICATOR = ("/indicator/iha_in_timescale", f"?period={LAST}&breakdown=host_la")
VARYING = [f"2024-{m:02d}" for m in range(1, 13)]
WARMUP_MONTH = "2023-06"  # the warm-up's month for the varying scorecard: none of the timed ones
# Text each response must hold, so a page that renders "no data" or an error is not timed as a success.
EXPECT = {"trivial": "bench-ok", "scorecard": "Scorecard for March 2025", "indicator": "host_la",
          "scorecard, month varies": "Scorecard for "}


# -- the store -------------------------------------------------------------------------------------------

def build_store(path: Path) -> None:
    """The demo county over MONTHS months, the benchmarks and the commentary, into a new SQLite file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{partial.resolve()}"}
    scorecard = str(Path(sys.executable).with_name("scorecard"))
    print(f"building the store: demo county, {MONTHS} months to {LAST}, into {path} ...", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        subprocess.run([scorecard, "demo", "--months", str(MONTHS), "--last", LAST, "--out", f"{tmp}/demo"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    generated = time.perf_counter()
    for args in (["benchmarks", "import", "data/reference/dfe"],
                 ["commentary", "load", "data/reference/demo_commentary.csv"]):
        subprocess.run([scorecard, *args], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    # Every process has closed its connections, so SQLite has folded the WAL into the file;
    # move any sidecar along anyway, and only now, so a build cut short is never reused.
    for suffix in ("-wal", "-shm", ""):
        source = partial.with_name(partial.name + suffix)
        if source.exists():
            os.replace(source, path.with_name(path.name + suffix))
    print(f"store built in {time.perf_counter() - started:.0f} s (whole processes: `scorecard demo` "
          f"{generated - started:.0f} s, benchmarks and commentary {time.perf_counter() - generated:.0f} s)",
          flush=True)


# -- the app -----------------------------------------------------------------------------------------------

def load_app(url: str):
    """app.py's Dash app over the store at `url`, with the trivial callback added before any request."""
    os.environ["DATABASE_URL"] = url
    os.environ["SCORECARD_COUNCIL"] = COUNCIL
    from scorecard import store
    store.engine.cache_clear()
    from dash import Input, Output

    from app import app
    from scorecard.access import Permission, guarded

    @app.callback(Output("bench-trivial", "children"), Input("bench-trivial-in", "value"))
    @guarded(Permission.VIEW)
    def bench_trivial(value):
        return "bench-ok"

    return app


BENCH_USER = "bench-viewer"


def signed_in_client(app):
    """A test client signed in as a viewer made (or given a new password) for this run."""
    import re
    import secrets

    from scorecard import store
    from scorecard.access import accounts

    password = secrets.token_urlsafe(16)
    try:
        accounts.add_user(store.engine(), BENCH_USER, "viewer", "Bench viewer", password)
    except accounts.AccountError:
        accounts.set_password(store.engine(), BENCH_USER, password)
    client = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": BENCH_USER, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in to the app: HTTP {response.status_code}")
    client.get("/_dash-layout")  # sets the CSRF cookie the callbacks send back
    return client


class Caller:
    """Posts Dash callback requests the way the renderer does (see tests/browser_support.py's
    call_callback); the bodies are made once, so only the request is timed."""

    def __init__(self, client):
        self.client = client
        self.deps = client.get("/_dash-dependencies").get_json()
        cookie = client.get_cookie("_csrf_token")
        self.csrf = {"X-CSRFToken": cookie.value} if cookie is not None else {}

    def dependency(self, output: str) -> dict:
        found = [d for d in self.deps if d["output"] == output or f"..{output}.." in f".{d['output']}."]
        if len(found) != 1:
            raise LookupError(f"{len(found)} callbacks write {output}: {[d['output'] for d in self.deps]}")
        return found[0]

    def body(self, output: str, inputs: dict) -> bytes:
        dep = self.dependency(output)
        outputs = [{"id": part.rpartition(".")[0], "property": part.rpartition(".")[2]}
                   for part in (dep["output"][2:-2].split("...") if dep["output"].startswith("..")
                                else [dep["output"]])]
        items = [dict(i, value=inputs.get(f"{i['id']}.{i['property']}")) for i in dep["inputs"]]
        return json.dumps({"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                           "inputs": items, "state": [], "changedPropIds": list(inputs)}).encode()

    def router(self, pathname: str, search: str) -> bytes:
        return self.body(ROUTER, {"_pages_location.pathname": pathname, "_pages_location.search": search})

    def post(self, body: bytes):
        """(seconds, response) for one callback request."""
        started = time.perf_counter()
        response = self.client.post("/_dash-update-component", data=body, content_type="application/json",
                                    headers={"Accept-Encoding": "gzip", **self.csrf})
        return time.perf_counter() - started, response

    def get(self, path: str):
        started = time.perf_counter()
        response = self.client.get(path, headers={"Accept-Encoding": "gzip"})
        return time.perf_counter() - started, response

    def send(self, request: bytes | str):
        """A callback body is posted, a path is fetched."""
        return self.get(request) if isinstance(request, str) else self.post(request)


def sizes(response) -> dict:
    """The response's size as the app produced it, as sent, and how it was encoded."""
    sent = response.get_data()
    encoding = response.headers.get("Content-Encoding", "")
    raw = gzip.decompress(sent) if encoding == "gzip" else sent
    return {"raw": len(raw), "sent": len(sent), "encoding": encoding or "none",
            "gzip": len(sent) if encoding == "gzip" else len(gzip.compress(raw)), "text": raw}


def checked(name: str, response) -> dict:
    size = sizes(response)
    if response.status_code != 200:
        raise SystemExit(f"{name}: HTTP {response.status_code}: {size['text'][:1000]!r}")
    if name in EXPECT and EXPECT[name].encode() not in size["text"]:
        raise SystemExit(f"{name}: the response does not hold {EXPECT[name]!r}: {size['text'][:1000]!r}")
    return size


# -- the rounds --------------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def requests_of(caller: Caller, month: str) -> dict[str, bytes]:
    return {"trivial": caller.body("bench-trivial.children", {"bench-trivial-in.value": "x"}),
            "scorecard": caller.router(*SCORECARD), "indicator": caller.router(*INDICATOR),
            "scorecard, month varies": caller.router("/", f"?period={month}")}


def run_rounds(caller: Caller, rounds: int) -> tuple[dict[str, list[float]], dict[str, dict]]:
    times: dict[str, list[float]] = {}
    size: dict[str, dict] = {}
    for number in range(rounds):
        bodies = requests_of(caller, VARYING[number % len(VARYING)])
        names = list(bodies)
        shift = number % len(names)  # rotate the order, so none always follows the same one
        for name in names[shift:] + names[:shift]:
            seconds, response = caller.post(bodies[name])
            if name not in size or name == "scorecard, month varies":
                size[name] = checked(name, response)
            times.setdefault(name, []).append(seconds)
    return times, size


def run_packs(caller: Caller, rounds: int) -> tuple[dict[str, list[float]], dict[str, dict]]:
    paths = {"PDF pack": f"/download/scorecard-{LAST}.pdf", "Excel pack": f"/download/scorecard-{LAST}.xlsx"}
    times: dict[str, list[float]] = {}
    size: dict[str, dict] = {}
    for name, path in paths.items():  # warm-up: the first pack of each kind imports its writer
        _, response = caller.get(path)
        size[name] = checked(name, response)
    for number in range(rounds):
        order = list(paths) if number % 2 == 0 else list(reversed(paths))
        for name in order:
            seconds, response = caller.get(paths[name])
            checked(name, response)
            times.setdefault(name, []).append(seconds)
    return times, size


def gate_cost(caller: Caller, gated_body: bytes, rounds: int) -> None:
    """The sign-in gate's cost: the trivial callback as a signed-in viewer through app.py
    (session, account read from the store, CSRF, permission) against the same callback on a
    bare Dash app with none of it, interleaved."""
    from dash import Dash, Input, Output, dcc, html

    bare = Dash("bench_bare")
    bare.layout = html.Div([html.Div(id="bare-out"), dcc.Input(id="bare-in")])

    @bare.callback(Output("bare-out", "children"), Input("bare-in", "value"))
    def bare_trivial(value):
        return "bench-ok"

    client = bare.server.test_client()
    body = json.dumps({"output": "bare-out.children", "outputs": {"id": "bare-out", "property": "children"},
                       "inputs": [{"id": "bare-in", "property": "value", "value": "x"}], "state": [],
                       "changedPropIds": ["bare-in.value"]}).encode()
    client.get("/_dash-dependencies")
    gated, ungated = [], []
    for _ in range(rounds):
        seconds, response = caller.post(gated_body)
        checked("trivial", response)
        gated.append(seconds)
        started = time.perf_counter()
        response = client.post("/_dash-update-component", data=body, content_type="application/json")
        ungated.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(f"\nsign-in gate: the trivial callback signed in through app.py / on a bare Dash app, {rounds} "
          f"interleaved rounds: median {statistics.median(gated) / statistics.median(ungated):.2f}x, "
          f"p95 {percentile(gated, 95) / percentile(ungated, 95):.2f}x "
          f"({statistics.median(gated) * 1e3:.2f} ms against {statistics.median(ungated) * 1e3:.2f} ms)")


def report(times: dict[str, list[float]], size: dict[str, dict], trivial: list[float], title: str) -> None:
    base_median, base_p95 = statistics.median(trivial), percentile(trivial, 95)
    print(f"\n{title}")
    print(f"  {'request':<25} {'median ms':>10} {'p95 ms':>8} {'median/triv':>12} {'p95/triv':>9} "
          f"{'raw KB':>8} {'gzip KB':>8}  sent as")
    for name, values in times.items():
        s = size[name]
        sent = f"Content-Encoding: {s['encoding']}" + ("" if s["encoding"] == "gzip" else " (gzip size computed here)")
        print(f"  {name:<25} {statistics.median(values) * 1e3:>10.1f} {percentile(values, 95) * 1e3:>8.1f} "
              f"{statistics.median(values) / base_median:>12.1f} {percentile(values, 95) / base_p95:>9.1f} "
              f"{s['raw'] / 1024:>8.1f} {s['gzip'] / 1024:>8.1f}  {sent}")


def stats_text(profiler: cProfile.Profile, sort: str, *restrictions) -> str:
    """pstats' table without its header, paths shown relative to the repository (or to site-packages)."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(*restrictions)
    text = out.getvalue()
    text = text[text.index("   ncalls"):] if "   ncalls" in text else text
    text = text.replace(f"{ROOT}/", "").replace(f"{Path(sys.prefix).resolve()}/", "")
    return re.sub(r"\S*/site-packages/", "", text).rstrip() + "\n"


def profile(caller: Caller, calls: int, top: int) -> None:
    """Where the scorecard's and the indicator's callbacks, and the PDF pack, spend their time
    (metrics already computed): the project's own functions by cumulative time, then every
    function (pandas and the rest included) by its own time."""
    own_code = re.escape(f"{ROOT}/") + r"(scorecard|app\.py)"
    for name, bodies, count in (("scorecard callback", [caller.router("/", f"?period={m}") for m in VARYING], calls),
                                ("indicator callback", [caller.router(*INDICATOR)], calls),
                                ("PDF pack", [f"/download/scorecard-{LAST}.pdf"], 1)):
        caller.send(bodies[0])  # warm-up, not profiled: the PDF's first request imports its writers
        profiler = cProfile.Profile()
        profiler.enable()
        for number in range(count):
            caller.send(bodies[number % len(bodies)])
        profiler.disable()
        print(f"\ncProfile of {count} {name} request(s) (times are the {count} requests' together):")
        print(f"  top {top} of the project's functions (scorecard/, app.py) by cumulative time:")
        print(stats_text(profiler, "cumulative", own_code, top))
        print(f"  top {top // 2} of all functions by own time (tottime):")
        print(stats_text(profiler, "tottime", top // 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--pack-rounds", type=int, default=5)
    parser.add_argument("--cold-rounds", type=int, default=2,
                        help="times the metrics cache is emptied and the scorecard asked for again")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="the store's SQLite file (built if missing)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if --db exists")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the scorecard and indicator callbacks, and one PDF pack")
    parser.add_argument("--profile-calls", type=int, default=12)
    args = parser.parse_args()

    path = args.db.resolve()
    if args.rebuild or not path.exists():
        build_store(path)
    else:
        print(f"reusing the store {path} (--rebuild to build it again)", flush=True)
    url = f"sqlite:///{path}"
    app = load_app(url)
    caller = Caller(signed_in_client(app))

    from scorecard.metrics import cache as metrics_cache
    from scorecard.metrics import metrics_for

    # The first requests: the trivial callback (Dash set itself up on /_dash-dependencies), then
    # the scorecard, which reads the figures the load kept (and keeps them in memory until the
    # store changes), then the indicator page (its breakdowns read the records the first time).
    bodies = requests_of(caller, WARMUP_MONTH)
    first = {}
    for name in ("trivial", "scorecard", "indicator"):
        first[name], response = caller.post(bodies[name])
        checked(name, response)
    cold = [first["scorecard"]]
    for _ in range(args.cold_rounds):  # as after a new load: the metrics cache is empty again
        metrics_cache.forget_all()
        seconds, response = caller.post(bodies["scorecard"])
        checked("scorecard", response)
        cold.append(seconds)
    figures = metrics_for(COUNCIL)
    periods = figures.periods()
    print(f"store: council {COUNCIL}, {len(periods)} months with figures ({periods[0]} to {periods[-1]}), "
          f"{sum(len(f) for f in figures.records.frames.values()):,} records, "
          f"{len(figures.catalogue.indicators)} indicators", flush=True)
    for _ in range(2):  # warm-up rounds, not counted
        for body in bodies.values():
            caller.post(body)

    times, size = run_rounds(caller, args.rounds)
    trivial = times["trivial"]
    gate_cost(caller, bodies["trivial"], args.rounds * 5)
    report(times, size, trivial, f"callbacks through the Flask test client, {args.rounds} interleaved rounds "
                                 f"(ratios to the trivial callback's median and p95, same run)")
    base = statistics.median(trivial)
    warm = statistics.median(times["scorecard"])
    print(f"\ncold: the first scorecard request in this process, which reads the figures kept for all "
          f"{len(periods)} months:\n  {cold[0]:.2f} s = {cold[0] / base:,.0f} x the trivial callback's median, "
          f"{cold[0] / warm:,.0f} x a warm scorecard's median "
          f"(first trivial request: {first['trivial'] * 1e3:.1f} ms; first indicator request after it: "
          f"{first['indicator'] * 1e3:.1f} ms)")
    if len(cold) > 1:
        again = statistics.median(cold[1:])
        print(f"  with the councils in memory emptied, as after each data load (median of {len(cold) - 1}): "
              f"{again:.2f} s = {again / base:,.0f} x the trivial callback's median, "
              f"{again / warm:,.0f} x a warm scorecard's median (goal: at most 20x)")

    if args.pack_rounds:
        pack_times, pack_size = run_packs(caller, args.pack_rounds)
        report(pack_times, pack_size, trivial, f"meeting packs (GET, {args.pack_rounds} rounds after one warm-up "
                                               f"each; ratios to the trivial callback above)")
    if args.profile:
        profile(caller, args.profile_calls, 25)
    import resource

    print(f"\npeak memory of this process (the app, its figures and the bench): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()

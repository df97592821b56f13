"""`make serve`: the app under gunicorn (scorecard/serve_config.py) with two worker processes,
over a small generated store on SQLite and on PostgreSQL. A user signs in over HTTP, gets the
scorecard page and its callbacks from the workers, the access log leaves out query strings,
the master computes the figures before the workers fork, and SIGTERM stops the server
cleanly (exit status 0, every worker gone)."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import call_callback, missing_component, sign_in
from regional_store import (
    COUNCIL_A,
    NAME_A,
    PASSWORD,
    PERIOD,
    empty_store_url,
    generate,
    load,
)

from scorecard import store
from scorecard.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow
ROUTER = "_pages_content.children"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("serve-files"), councils=(COUNCIL_A,))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_url(request, generated, tmp_path_factory):
    url = empty_store_url(request.param, tmp_path_factory.mktemp("serve-store"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        store.engine.cache_clear()
        load(url, generated)
        store.engine().dispose()
        store.engine.cache_clear()
    return url


class Served:
    def __init__(self, process: subprocess.Popen, base: str, log: Path):
        self.process, self.base, self.log = process, base, log

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def served(store_url, tmp_path):
    if importlib.util.find_spec("gunicorn") is None:
        missing_component("gunicorn is not installed: pip install -e '.[test]'")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": store_url, "SCORECARD_COUNCIL": COUNCIL_A,
           "SCORECARD_SECRET_KEY": "k" * 40, "PYTHONPATH": os.pathsep.join(
               [str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:scorecard.serve_config", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "app:server"], cwd=PROJECT_ROOT, env=env, stdout=handle,
            stderr=subprocess.STDOUT)
    server = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_answering(server)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_until_answering(server: Served, seconds: float = 90) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if requests.get(f"{server.base}/login", timeout=5).status_code == 200 and \
                    len(workers_of(server.process.pid)) == 2:
                return
        except requests.RequestException:  # not listening yet, or the master still computing
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{server.log_text()[-3000:]}")


class LiveClient:
    """A requests session over HTTP with the Flask test client's few methods that
    browser_support's helpers use (get, post, get_cookie; responses with data and get_json)."""

    class Answer:
        def __init__(self, response):
            self.status_code, self.data, self.headers = response.status_code, response.content, response.headers
            self.text = response.text

        def get_data(self, as_text: bool = False):
            return self.text if as_text else self.data

        def get_json(self):
            return json.loads(self.data)

    class Cookie:
        def __init__(self, value: str):
            self.value = value

    def __init__(self, base: str):
        import requests

        self.base, self.session = base, requests.Session()

    def get(self, path: str, **kwargs):
        return self.Answer(self.session.get(self.base + path, timeout=120, allow_redirects=False, **kwargs))

    def post(self, path: str, **kwargs):
        return self.Answer(self.session.post(self.base + path, timeout=120, allow_redirects=False, **kwargs))

    def get_cookie(self, name: str):
        value = self.session.cookies.get(name)
        return self.Cookie(value) if value is not None else None


def test_gunicorn_serves_signed_in_users_and_stops_cleanly(served):
    client = LiveClient(served.base)
    sign_in(client, "viewer-a", PASSWORD)
    shell = client.get(f"/?period={PERIOD}&note=not-for-the-log")
    assert shell.status_code == 200 and "react-entry-point" in shell.text
    page = call_callback(client, ROUTER, {"_pages_location.pathname": "/", "_pages_location.search": f"?period={PERIOD}"})
    text = json.dumps(page, ensure_ascii=False)
    assert "Scorecard for March 2025" in text and NAME_A in text
    themes = call_callback(client, "scorecard-theme.options", {"scorecard-framework.value": None})
    assert themes["scorecard-theme"]["options"][0]["label"] == "All themes"
    # Several requests, spread over both workers (each its own process): every one answers.
    for _ in range(6):
        assert client.get("/_dash-layout").status_code == 200
    assert requests_refused_without_sign_in(served.base)

    workers = workers_of(served.process.pid)
    assert len(workers) == 2
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=60) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the master"
    log = served.log_text()
    assert "Shutting down: Master" in log
    # The master computed the council's figures and built its pages once, before forking.
    assert re.search(rf"Computed the figures of {COUNCIL_A} \(2 months\) and built its latest scorecard",
                     log), log[-2000:]
    assert re.search(r'"GET / HTTP/1\.1" 200', log), log[-2000:]
    assert "not-for-the-log" not in log and "period=" not in log
    assert "Traceback" not in log, log


def requests_refused_without_sign_in(base: str) -> bool:
    import requests

    answer = requests.post(f"{base}/_dash-update-component", json={"output": ROUTER}, timeout=30)
    return answer.status_code in (400, 401)

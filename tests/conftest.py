"""Shared fixtures: a real store on SQLite and on PostgreSQL, and writers of messy files.

Store tests run once per backend. PostgreSQL comes from TEST_POSTGRES_URL (`make test`
starts a throwaway server with .ci/postgres.sh). Without it the PostgreSQL cases are
skipped with the reason printed, except in CI, where they fail.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from scorecard import store


def _postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
        event.listen(eng, "connect", store._tune_sqlite)
    else:
        url = _postgres_url()
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("TEST_POSTGRES_URL is not set: CI must run every test against PostgreSQL")
            pytest.skip("no PostgreSQL server: run `make test` (starts one) or set TEST_POSTGRES_URL")
        eng = create_engine(url)
        store.metadata.drop_all(eng)
        with eng.begin() as conn:  # Alembic's version table too: the next store starts new
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    store.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def database_url(engine, monkeypatch):
    """The engine's URL set as DATABASE_URL, for CLI tests."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    store.engine.cache_clear()
    yield url
    store.engine.cache_clear()


def write_xlsx(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None,
               date_format: str = "dd/mm/yyyy") -> Path:
    """A real workbook written with openpyxl (another writer than the one the app uses)."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = date_format + " hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = date_format
        for cells in (merge or {}).get(name, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- Web tests: the demo county behind the app, the Flask test client, a live server and a
# real headless Chromium (Debian's `chromium`, driven by Playwright; never Playwright's own
# browser download). Helpers for using them are in tests/browser_support.py.

_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell at teardown if the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory) -> str:
    """A SQLite store holding the demo county (36 months), the published benchmarks and the
    demo's commentary, meeting calendar and action log: built once per session with the
    project's own CLI. Returns its URL."""
    from click.testing import CliRunner

    from scorecard.cli import main
    from scorecard.settings import REFERENCE_DIR

    folder = tmp_path_factory.mktemp("demo-store")
    url = f"sqlite:///{folder / 'scorecard.db'}"
    steps = [["demo", "--out", str(folder / "demo"), "--months", "36"],
             ["benchmarks", "import", str(REFERENCE_DIR / "dfe")]]
    steps += [["commentary", "load", str(REFERENCE_DIR / "demo_commentary.csv")],
              ["meetings", "load", str(REFERENCE_DIR / "demo_meetings.csv")],
              ["actions", "load", str(REFERENCE_DIR / "demo_actions.csv")]]
    steps += [["users", "add", DEMO_USERS[role], "--role", role, "--name", f"Test {role}", "--password-stdin"]
              for role in DEMO_USERS]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        store.engine.cache_clear()
        try:
            for args in steps:
                password = f"{DEMO_PASSWORD}\n" if args[:2] == ["users", "add"] else None
                result = CliRunner().invoke(main, args, input=password)
                if result.exit_code != 0:
                    import traceback

                    trace = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
                    pytest.fail(f"`scorecard {' '.join(args)}` exited {result.exit_code}:\n{result.output}\n{trace}")
        finally:
            store.engine().dispose()
            store.engine.cache_clear()
    return url


@pytest.fixture(scope="session")
def demo_app(demo_database_url):
    """The Dash app (app.py) serving the demo store: DATABASE_URL points at it (and
    SCORECARD_COUNCIL at the demo county) for the rest of the session."""
    import sys

    from ingest import demo
    from scorecard.settings import PROJECT_ROOT

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", demo_database_url)
        patch.setenv("SCORECARD_COUNCIL", demo.COUNCIL)
        if str(PROJECT_ROOT) not in sys.path:  # app.py is not part of the installed package
            patch.syspath_prepend(str(PROJECT_ROOT))
        store.engine.cache_clear()
        from app import app

        yield app
        store.engine().dispose()
        store.engine.cache_clear()


# One account of each role in the demo store, all with the same password.
DEMO_USERS = {"viewer": "test-viewer", "manager": "test-manager", "analyst": "test-analyst", "admin": "test-admin"}
DEMO_PASSWORD = "a long test password"


def signed_in_client(app, username: str, password: str = DEMO_PASSWORD):
    """A Flask test client of `app` signed in through the sign-in form, as a browser would."""
    from browser_support import sign_in

    client = app.server.test_client()
    sign_in(client, username, password)
    return client


@pytest.fixture(scope="session")
def client_as(demo_app):
    """client_as("manager"): a Flask test client over the demo store, signed in with that
    role (one per role for the session)."""
    clients = {}

    def make(role: str):
        if role not in clients:
            clients[role] = signed_in_client(demo_app, DEMO_USERS[role])
        return clients[role]
    return make


@pytest.fixture(scope="session")
def demo_client(client_as):
    """A Flask test client of the app over the demo store, signed in as a viewer (a councillor)."""
    return client_as("viewer")


@pytest.fixture
def anonymous_client(demo_app):
    """A Flask test client nobody has signed in with."""
    return demo_app.server.test_client()


@pytest.fixture(scope="session")
def live_server(demo_app):
    """The app over the demo store served on a free local port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, demo_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def _chromium_path() -> str | None:
    import shutil

    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's, or CHROMIUM_PATH) driven by Playwright. Missing
    browser or package: fails in CI, skips with the reason elsewhere."""
    from browser_support import missing_component

    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        missing_component(f"the Python package playwright is not installed ({exc}): pip install -e '.[test]'")
    path = _chromium_path()
    if path is None:
        missing_component("no Chromium found (looked for `chromium` and `chromium-browser` on PATH, "
                          "and CHROMIUM_PATH): apt-get install chromium")
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=args)
    except Exception:
        playwright.stop()
        raise
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def page_as(browser, live_server, request):
    """page_as("analyst"): a fresh browser context and page (1366x900, en-GB, downloads
    accepted) signed in with that role (None: nobody signed in), whose relative URLs
    resolve against the live server: `page.goto("/")`. A failed test leaves
    test-output/screenshots/<test name>-failed.png."""
    from browser_support import safe_name, screenshot, sign_in_browser
    from playwright.sync_api import Error as PlaywrightError

    contexts = []

    def make(role: str | None = "viewer"):
        context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900},
                                      accept_downloads=True, locale="en-GB", timezone_id="Europe/London")
        if role is not None:
            sign_in_browser(context, DEMO_USERS[role], DEMO_PASSWORD)
        contexts.append(context)
        return context.new_page()

    yield make
    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    for number, context in enumerate(contexts):
        if failed and context.pages:
            try:
                path = screenshot(context.pages[-1], f"{safe_name(request.node.name)}-failed{number or ''}")
                print(f"screenshot of the failed test: {path}")
            except (PlaywrightError, OSError) as exc:  # the page may have crashed; keep the test's own failure
                print(f"could not save a screenshot of the failed test: {exc}")
        context.close()


@pytest.fixture
def page(page_as):
    """A browser page signed in as a viewer (a councillor), as page_as("viewer")."""
    return page_as("viewer")


@pytest.fixture
def page_errors(page) -> list[str]:
    """What went wrong in `page` from now on: console errors, uncaught exceptions, HTTP 5xx."""
    from browser_support import watch_errors

    return watch_errors(page)


@pytest.fixture(scope="module")
def metrics(demo_database_url):
    """The demo county's computed figures (tests of one area may define their own)."""
    from scorecard.metrics import council_metrics

    return council_metrics(store.engine(demo_database_url), "E10000099")


@pytest.fixture(scope="module")
def card(metrics):
    """The demo county's scorecard for March 2025, as the pages and packs build it."""
    from scorecard.ui.views import build_scorecard

    return build_scorecard(metrics, "2025-03")

"""Faults around the store, each ending in one sentence and an unchanged store: a
DATABASE_URL that cannot be a store, a server that is not there, a missing store file, a
read-only store, and two loads of the same month at once."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest
from builders import good_month
from click.testing import CliRunner
from sqlalchemy import create_engine, event, func, select, text

from ingest import loading
from scorecard import store
from scorecard.cli import main
from scorecard.settings import PROJECT_ROOT

PERIOD = "2019-09"
COUNCIL = "E10000099"
SECRET = "s3cret-pw"


def scorecard(url: str, *args: str, stdin: str | None = None):
    """`scorecard ARGS` with DATABASE_URL=url, in this process."""
    store.engine.cache_clear()
    try:
        return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, input=stdin)
    finally:
        store.engine.cache_clear()


def refused(result, *words: str) -> str:
    """The result is a refusal: exit status 1, one sentence, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exc_info[0] is SystemExit, result.exc_info  # not an exception the runner caught
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counts(eng) -> dict[str, int]:
    """What a refusal must leave as it was: every table's rows."""
    with eng.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table))
                for table in store.metadata.sorted_tables}


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite:///file::memory:?uri=true"])
def test_a_store_in_memory_is_refused_before_anything_is_loaded(url, tmp_path):
    files = good_month(tmp_path / "month")
    output = refused(scorecard(url, "ingest", "--quiet", "--period", PERIOD, *map(str, files)),
                     "DATABASE_URL", "in memory", "give a file")
    assert "Loaded" not in output


@pytest.mark.parametrize(("url", "says"), [
    ("banana", "is not a database URL"),
    (f"post gres://analyst:{SECRET}@db.example/scorecard", "is not a database URL"),
    (f"postgresql+nosuchdriver://analyst:{SECRET}@db.example/scorecard", "is not a driver SQLAlchemy knows"),
    (f"mysql://analyst:{SECRET}@db.example/scorecard", "SQLite or PostgreSQL only"),
])
def test_a_url_that_cannot_be_a_store_is_refused_naming_the_setting(url, says):
    for args in (["report"], ["extracts"], ["users", "list"]):
        output = refused(scorecard(url, *args), "DATABASE_URL", says)
        assert SECRET not in output


def test_a_server_that_is_not_running_is_refused_without_the_password(tmp_path):
    url = f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:{closed_port()}/scorecard"
    files = good_month(tmp_path / "month")
    for args in (["report"], ["ingest", "--quiet", "--period", PERIOD, *map(str, files)]):
        output = refused(scorecard(url, *args), "Could not connect to the store at", "DATABASE_URL", "analyst:***@")
        assert SECRET not in output


READING = [["report"], ["extracts"], ["benchmarks", "releases"], ["commentary", "list"], ["actions", "list"],
           ["meetings", "list"], ["users", "list"], ["targets", "list"], ["reconcile"], ["mapping", "show"],
           ["metrics", "check-disclosure"], ["briefing"]]


@pytest.mark.parametrize("args", READING, ids=lambda args: " ".join(args))
def test_a_command_that_only_reads_refuses_a_missing_store_and_makes_none(args, tmp_path):
    path = tmp_path / "typo" / "scorecard.db"
    refused(scorecard(f"sqlite:///{path}", *args), f"There is no store at {path}", "scorecard demo",
            "scorecard ingest")
    assert not path.exists() and not path.parent.exists()


def test_commands_that_write_make_a_new_store(tmp_path):
    files = good_month(tmp_path / "month")
    for name, args, stdin in [
        ("loaded.db", ["ingest", "--quiet", "--period", PERIOD, *map(str, files)], None),
        ("users.db", ["users", "add", "ana", "--role", "analyst", "--password-stdin"], "a long enough password\n"),
        ("notes.db", ["commentary", "add", "--indicator", "children_in_care", "--period", PERIOD, "--text", "A note"],
         None),
    ]:
        url = f"sqlite:///{tmp_path / 'new' / name}"
        result = scorecard(url, *args, stdin=stdin)
        assert result.exit_code == 0, result.output
        assert (tmp_path / "new" / name).exists()
        assert scorecard(url, "extracts").exit_code == 0  # and the readers then find it


@pytest.fixture
def read_only_url(engine) -> str:
    """The same store, for an account that may only read it: SQLite opened read-only (as
    root too, who ignores a file's permissions); on PostgreSQL a role granted SELECT only."""
    if engine.dialect.name == "sqlite":
        return f"sqlite:///file:{engine.url.database}?mode=ro&uri=true"
    with engine.begin() as conn:
        conn.execute(text("DO $$ BEGIN CREATE ROLE scorecard_reader LOGIN; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        conn.execute(text("GRANT USAGE ON SCHEMA public TO scorecard_reader"))
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO scorecard_reader"))
    return engine.url.set(username="scorecard_reader", password=None).render_as_string(hide_password=False)


def test_a_read_only_store_refuses_loads_and_notes_and_is_unchanged(engine, database_url, read_only_url, tmp_path):
    assert scorecard(database_url, "ingest", "--quiet", "--period", PERIOD,
                     *map(str, good_month(tmp_path / "first"))).exit_code == 0
    before = counts(engine)
    files = good_month(tmp_path / "again")
    refused(scorecard(read_only_url, "ingest", "--quiet", "--period", PERIOD, *map(str, files)),
            "is read-only", "nothing was changed")
    refused(scorecard(read_only_url, "commentary", "add", "--indicator", "children_in_care", "--period", PERIOD,
                      "--text", "A note"), "is read-only", "nothing was changed")
    assert counts(engine) == before
    listed = scorecard(read_only_url, "extracts")  # reading it still works
    assert listed.exit_code == 0 and "children_in_care" in listed.output


def test_the_loser_of_two_loads_of_one_month_is_told_another_won_and_changes_nothing(engine, tmp_path):
    """Two loads of the same month, each on its own connection: the second read the store
    before the first committed, so it would make a second current extract; the store's
    index refuses it, and the analyst is told so in words."""
    url = engine.url.render_as_string(hide_password=False)
    first_engine, second_engine = create_engine(url), create_engine(url)
    if engine.dialect.name == "sqlite":
        for eng in (first_engine, second_engine):
            event.listen(eng, "connect", store._tune_sqlite)
    store.create_all(first_engine)
    store.create_all(second_engine)
    first = loading.check(good_month(tmp_path / "a"), PERIOD, None, COUNCIL, engine=first_engine)
    second = loading.check(good_month(tmp_path / "b"), PERIOD, None, COUNCIL, engine=second_engine)
    assert first.ok and second.ok

    second_has_read = threading.Event()

    @event.listens_for(second_engine, "before_cursor_execute")
    def reading_done(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT INTO EXTRACTS", "UPDATE EXTRACTS")):
            second_has_read.set()  # it has looked for the current extract, and found the old state

    outcome: dict[str, BaseException | None] = {}

    def load_second():
        try:
            loading.load(second_engine, second, "second analyst")
            outcome["second"] = None
        except BaseException as error:  # noqa: BLE001 (the test reads what it was)
            outcome["second"] = error

    with store.write_transaction(first_engine) as conn:
        from ingest.load import write_upload

        written = write_upload(conn, first.upload, "first analyst")
        racer = threading.Thread(target=load_second)
        racer.start()
        assert second_has_read.wait(30)
    racer.join(60)

    lost = outcome["second"]
    assert isinstance(lost, store.LoadRaced), repr(lost)
    message = str(lost)
    assert message.startswith("Another load of ") and f"for {PERIOD} ({COUNCIL}) finished first" in message
    assert "nothing was changed by this one" in message and "load again" in message
    with engine.connect() as conn:
        current = conn.execute(select(store.extracts.c.id).where(
            store.extracts.c.status == store.CURRENT)).scalars().all()
        loaded_by = set(conn.execute(select(store.extracts.c.loaded_by)).scalars())
    assert sorted(current) == sorted(w.extract_id for w in written) and loaded_by == {"first analyst"}

    again = loading.check(good_month(tmp_path / "c"), PERIOD, None, COUNCIL, engine=second_engine)
    assert [w.superseded for w in loading.load(second_engine, again, "second analyst")]  # loading again replaces it
    first_engine.dispose()
    second_engine.dispose()


def start_app(url: str) -> subprocess.CompletedProcess:
    """Build the web app (app.py, as gunicorn imports it) in a new process with DATABASE_URL=url."""
    return subprocess.run([sys.executable, "-c", "import app"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=False,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT),
                                            "DATABASE_URL": url})


@pytest.mark.parametrize(("url", "says"), [
    ("sqlite://", "in memory"),
    ("banana", "is not a database URL"),
    (f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:{closed_port()}/scorecard", "Could not connect"),
    ("sqlite:///{tmp}/nothing-here.db", "There is no store at"),
])
def test_the_web_app_will_not_start_on_a_store_it_cannot_serve(url, says, tmp_path):
    started = start_app(url.replace("{tmp}", str(tmp_path)))
    assert started.returncode == 3, started.stderr  # gunicorn's "worker failed to boot": it stops
    assert "The scorecard cannot start: " in started.stderr and says in started.stderr
    assert "Traceback" not in started.stderr and SECRET not in started.stderr
    assert not (tmp_path / "nothing-here.db").exists()


def test_a_store_held_by_another_write_for_too_long_is_refused_as_busy(tmp_path):
    """Another program holds SQLite's write lock for longer than a write waits (5 s)."""
    import sqlite3

    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    assert scorecard(url, "ingest", "--quiet", "--period", PERIOD, *map(str, good_month(tmp_path / "a"))).exit_code == 0
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = counts(create_engine(url))
        refused(scorecard(url, "ingest", "--quiet", "--period", PERIOD, *map(str, good_month(tmp_path / "b"))),
                "was busy with another write", "nothing was changed by this one", "try again")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(create_engine(url)) == before


def test_a_store_made_by_a_newer_release_is_refused_and_left_as_it_was(engine, database_url):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    before = counts(engine)
    refused(scorecard(database_url, "report"), "was made by a newer release of the scorecard", "'0099'")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0099"
    assert counts(engine) == before

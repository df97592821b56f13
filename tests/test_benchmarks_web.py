"""The DfE's published figures imported in the browser: the same import as `scorecard
benchmarks import`, for analysts only, the file checked by its bytes first, each import
audited in its own transaction; on SQLite and PostgreSQL and through the signed-in app."""
from __future__ import annotations

import base64

import pytest
from browser_support import call_callback
from published_files import ENGLAND, LEICESTERSHIRE, SHORT, figure_count, stability_file

from ingest import web_published
from scorecard import store
from scorecard.access import Forbidden, Identity, Role

ANALYST = Identity("ana", Role.ANALYST)


def _data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


@pytest.fixture
def release(tmp_path) -> bytes:
    return stability_file(tmp_path / "stability.csv", [
        (2025, LEICESTERSHIRE, SHORT, 60, 700), (2025, ENGLAND, SHORT, 8000, 80000)]).read_bytes()


def _audited(engine) -> list[dict]:
    with store.read_connection(engine) as conn:
        return store.audit_rows(conn, action="benchmarks")


def test_an_analyst_imports_a_release_once_and_it_is_audited(engine, release):
    first = web_published.import_upload(engine, ANALYST, "la_cla_placement_stability.csv", _data_url(release))
    assert first.ok and "as release 1: 2 figures up to 2025" in first.message, first.message
    assert figure_count(engine) == 2
    again = web_published.import_upload(engine, ANALYST, "copy.csv", _data_url(release))
    assert again.ok and "imported before (release 1): nothing added" in again.message
    assert figure_count(engine) == 2
    [event] = _audited(engine)  # the second added nothing, so wrote nothing
    assert event["actor"] == "ana" and event["subject"] == "la_cla_placement_stability.csv"
    assert [r["source_file"] for r in web_published.releases(engine, ANALYST)] == ["la_cla_placement_stability.csv"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_only_analysts_import(engine, release, role):
    with pytest.raises(Forbidden):
        web_published.import_upload(engine, Identity("x", role), "a.csv", _data_url(release))
    assert figure_count(engine) == 0 and not _audited(engine)


@pytest.mark.parametrize(("name", "content", "said"), [
    ("a.csv", b"PK\x03\x04 not really a zip", "is named .csv but is"),
    ("a.csv", b"time_period,x\n2025,\x00\n", "NUL character"),
    ("a.xlsx", b"time_period,x\n", "is named .xlsx but is text"),
    ("a.csv", b"code,name\nE1,Somewhere\n", "was not imported: it is neither an Explore Education Statistics"),
])
def test_what_is_not_a_release_is_refused_in_words_with_nothing_written(engine, name, content, said):
    outcome = web_published.import_upload(engine, ANALYST, name, _data_url(content))
    assert not outcome.ok and said in outcome.message, outcome.message
    assert figure_count(engine) == 0 and not _audited(engine)


def test_a_file_that_did_not_arrive_whole_is_said(engine):
    outcome = web_published.import_upload(engine, ANALYST, "a.csv", "data:text/csv;base64,@@@")
    assert not outcome.ok and "did not arrive whole" in outcome.message


def test_through_the_app_an_analyst_imports_and_a_viewer_is_refused(client_as, release):
    shown = call_callback(client_as("analyst"), "release-outcome-holder.children",
                          inputs={"release-file.contents": _data_url(release)},
                          state={"release-file.filename": "stability-through-the-page.csv"})
    assert "stability-through-the-page.csv" in str(shown)
    call_callback(client_as("viewer"), "release-outcome-holder.children",
                  inputs={"release-file.contents": _data_url(release)},
                  state={"release-file.filename": "x.csv"}, expect_status=403)

"""Several councils in one store (a regional deployment): each signed-in user sees their own
council's figures, on every page, pack and download, whatever the request asks for; an admin
bound to no council sees the deployment's; an analyst loads into their own council only; and
a council's neighbour comparison is computed from its neighbours' data in the same store.

On SQLite and on PostgreSQL: two councils generated small (tests/regional_store.py), through
the app's Flask test client, as each user signs in through the sign-in form."""
from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from browser_support import call_callback, sign_in
from click.testing import CliRunner
from regional_store import (
    COUNCIL_A,
    COUNCIL_B,
    DEFAULT_COUNCIL,
    NAME_A,
    NAME_B,
    PASSWORD,
    PERIOD,
    empty_store_url,
    generate,
    load,
)

from scorecard import store
from scorecard.access import Identity, Role, council_for
from scorecard.access.accounts import AccountError, list_users, set_council
from scorecard.metrics import council_metrics
from scorecard.metrics.records_behind import records_behind
from scorecard.ui.views import build_scorecard

pytestmark = pytest.mark.slow
ROUTER = "_pages_content.children"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("regional-files"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def regional(request, generated, tmp_path_factory):
    """The two councils' store, served by the app: DATABASE_URL and SCORECARD_COUNCIL set for the module."""
    import sys

    from scorecard.settings import PROJECT_ROOT

    url = empty_store_url(request.param, tmp_path_factory.mktemp("regional-store"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("SCORECARD_COUNCIL", DEFAULT_COUNCIL)
        if str(PROJECT_ROOT) not in sys.path:
            patch.syspath_prepend(str(PROJECT_ROOT))
        store.engine.cache_clear()
        load(url, generated)
        from app import app

        yield app
        store.engine().dispose()
        store.engine.cache_clear()


@pytest.fixture(scope="module")
def client(regional):
    clients = {}

    def make(username: str):
        if username not in clients:
            clients[username] = regional.server.test_client()
            sign_in(clients[username], username, PASSWORD)
        return clients[username]
    return make


def page_text(client, pathname: str, search: str = "") -> str:
    response = call_callback(client, ROUTER, {"_pages_location.pathname": pathname, "_pages_location.search": search})
    return json.dumps(response, ensure_ascii=False)


def figures(council: str):
    return council_metrics(store.engine(), council)


def a_figure_that_differs(indicator_ids=None) -> tuple[str, str, str]:
    """(indicator, A's value as shown, B's) for an indicator whose March figures differ."""
    a, b = (build_scorecard(figures(c), PERIOD, public=True) for c in (COUNCIL_A, COUNCIL_B))
    b_rows = {row.id: row for row in b.rows}
    for row in a.rows:
        other = b_rows.get(row.id)
        if other and row.value is not None and other.value is not None and row.value_text != other.value_text \
                and (indicator_ids is None or row.id in indicator_ids):
            return row.id, row.value_text, other.value_text
    raise AssertionError("the two generated councils have the same figures: the seeds should differ")


def test_council_for_is_the_accounts_council_else_the_deployments(regional):
    assert council_for(Identity("a", Role.VIEWER, council=COUNCIL_A)) == COUNCIL_A
    assert council_for(Identity("admin", Role.ADMIN)) == DEFAULT_COUNCIL
    assert council_for(None) == DEFAULT_COUNCIL


def test_each_user_sees_their_own_councils_scorecard(client):
    _indicator, a_value, b_value = a_figure_that_differs()
    a_page = page_text(client("viewer-a"), "/", f"?period={PERIOD}")
    b_page = page_text(client("viewer-b"), "/", f"?period={PERIOD}")
    assert NAME_A in a_page and "Scorecard for March 2025" in a_page and a_value in a_page
    assert NAME_B in b_page and b_value in b_page
    # Each scorecard names its own council only (Leicestershire's neighbours list does not appear on it).
    assert f'"{NAME_B}"' not in a_page and f'"{NAME_A}"' not in b_page
    assert page_text(client("regional-admin"), "/", f"?period={PERIOD}").count(f'"{NAME_B}"') >= 1


def test_a_raw_callback_cannot_ask_for_another_council(client):
    """Nothing in a request names the council: a query or a forged callback body for B
    still gets A's figures for a user bound to A."""
    indicator, a_value, b_value = a_figure_that_differs()
    asked = page_text(client("viewer-a"), f"/indicator/{indicator}",
                      f"?period={PERIOD}&council={COUNCIL_B}&council_code={COUNCIL_B}")
    assert a_value in asked
    if b_value not in a_value:
        assert b_value not in asked
    b_page = page_text(client("viewer-b"), f"/indicator/{indicator}", f"?period={PERIOD}")
    assert b_value in b_page


def test_the_packs_are_each_users_councils(client):
    import openpyxl

    for username, council, name in (("viewer-a", COUNCIL_A, NAME_A), ("viewer-b", COUNCIL_B, NAME_B)):
        response = client(username).get(f"/download/scorecard-{PERIOD}.xlsx")
        assert response.status_code == 200, response.data[:300]
        assert f"-{council}-{PERIOD}.xlsx" in response.headers["Content-Disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows(max_row=6) for c in row if c.value)
        assert name in cells
        other = NAME_B if council == COUNCIL_A else NAME_A
        assert other not in cells


def test_the_records_behind_a_figure_are_each_users_councils(client, regional):
    from scorecard.access import acting_as

    manager = Identity("manager-a", Role.MANAGER, council=COUNCIL_A)
    with acting_as(manager):
        counts = {c: len(records_behind(figures(c), "placed_out_of_area", PERIOD, manager).table)
                  for c in (COUNCIL_A, COUNCIL_B)}
    for username, council in (("manager-a", COUNCIL_A), ("manager-b", COUNCIL_B)):
        response = client(username).get(f"/download/records/placed_out_of_area/{PERIOD}.csv")
        assert response.status_code == 200
        assert f"-{council}-{PERIOD}" in response.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert len(rows) == counts[council]
        shown = page_text(client(username), "/records/placed_out_of_area", f"?period={PERIOD}")
        assert f"{counts[council]:,} records listed" in shown
    assert counts[COUNCIL_A] != counts[COUNCIL_B], "the seeds should give different lists"


def test_the_neighbour_comparison_is_computed_from_the_neighbours_data(regional):
    a, b = figures(COUNCIL_A), figures(COUNCIL_B)
    assert COUNCIL_B in a.neighbour_values, "Gloucestershire is Leicestershire's neighbour and has data"
    card_a, card_b = build_scorecard(a, PERIOD), build_scorecard(b, PERIOD)
    b_values = {row.id: row.value for row in card_b.rows}
    compared = 0
    for row in card_a.rows:
        cell = next((c for c in row.comparators if c.name == "statistical_neighbours"), None)
        if cell is None or b_values.get(row.id) is None or "own data" not in cell.label + cell.note:
            continue
        assert cell.value == pytest.approx(b_values[row.id]), row.id  # the only neighbour with data: its own figure
        compared += 1
    assert compared >= 5


def test_an_analyst_loads_into_their_own_council_only(client, generated):
    from ingest.web_upload import check

    analyst = Identity("analyst-a", Role.ANALYST, council=COUNCIL_A)
    period, files = generated.months[COUNCIL_B][-1]
    visits = next(f for f in files if f.name.startswith("visits"))
    content = "data:application/octet-stream;base64," + base64.b64encode(visits.read_bytes()).decode()
    own = check(analyst, [content], [f"Leicestershire {visits.name}"], period)
    assert own.council == COUNCIL_A and not any(p["code"] == "other-council" for p in own.problems)
    other = check(analyst, [content], [f"Gloucestershire {visits.name}"], period)
    assert not other.ok
    refusal = next(p for p in other.problems if p["code"] == "other-council")
    assert "Gloucestershire (E10000013)" in refusal["message"] and "Leicestershire (E10000018) only" in refusal["message"]
    coded = check(analyst, [content], [f"{COUNCIL_B}_{visits.name}"], period)
    assert any(p["code"] == "other-council" for p in coded.problems)


def test_users_are_bound_and_unbound_on_the_command_line(regional):
    from scorecard.cli import main

    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "someone", "--role", "viewer", "--council", "855", "--sso-only"])
    assert added.exit_code == 0 and "council E10000018" in added.output
    moved = runner.invoke(main, ["users", "set-council", "someone", "Gloucestershire"])
    assert moved.exit_code == 0 and "now sees E10000013" in moved.output
    assert next(r for r in list_users(store.engine()) if r["username"] == "someone")["council"] == COUNCIL_B
    unbound = runner.invoke(main, ["users", "set-council", "someone", "--default"])
    assert unbound.exit_code == 0 and "the deployment's council" in unbound.output
    wrong = runner.invoke(main, ["users", "set-council", "someone", "Glocestershire"])
    assert wrong.exit_code == 1 and "did you mean Gloucestershire (E10000013)" in wrong.output
    assert "Traceback" not in wrong.output
    neither = runner.invoke(main, ["users", "set-council", "someone"])
    assert neither.exit_code == 1 and "--default" in neither.output
    with pytest.raises(AccountError, match="no English council"):
        set_council(store.engine(), "someone", "E99999999")
    listed = runner.invoke(main, ["users", "list"])
    assert "council E10000018" in listed.output  # viewer-a and the others


def test_a_change_of_council_signs_the_user_out(regional):
    from scorecard.access.accounts import add_user

    add_user(store.engine(), "mover", "viewer", "Moving viewer", PASSWORD, council=COUNCIL_A)
    browser = regional.server.test_client()
    sign_in(browser, "mover", PASSWORD)
    assert NAME_A in page_text(browser, "/", f"?period={PERIOD}")
    set_council(store.engine(), "mover", COUNCIL_B)
    refused = browser.post("/_dash-update-component", json={"output": ROUTER})
    assert refused.status_code == 401  # the session made for Leicestershire has ended
    sign_in(browser, "mover", PASSWORD)
    assert NAME_B in page_text(browser, "/", f"?period={PERIOD}")

"""Who may reach what, generated from the app's own registries: every Flask route, every
Dash callback and every page, called as nobody and as each role. A route, callback or
page added later is in these lists without anyone writing a test for it, and one that
declares no permission fails here (and is refused by the gate).

The counts checked for each role are written to test-output/access-matrix.txt.
"""
from __future__ import annotations

import json
import re

import dash
import pytest
from browser_support import OUTPUT_DIR, _split_outputs, call_callback, csrf_header

from scorecard.access import PERMISSIONS, REFUSED_ID, Permission, Role, required_permission
from scorecard.access.web import CALLBACK_ENDPOINT, DASH_ENDPOINTS, DASH_PAGES_CALLBACK, OPEN_ENDPOINTS, OPEN_PREFIXES

ROLES = [role.value for role in Role]
# Values for each route's parts: enough for the route to answer as it would a real request.
SAMPLE_VALUES = {"period": "2025-03", "kind": "pdf", "path": "indicator/iha_in_timescale",
                 "filename": "10-scorecard.css", "package_name": "dash", "indicator_id": "iha_in_timescale",
                 "fingerprinted_path": "dash-renderer/build/dash_renderer.v1_0_0m1.min.js"}
MATRIX: dict[str, dict[str, int]] = {}


def _count(role: str | None, kind: str, allowed: bool = False) -> None:
    key = f"{kind} {'answered' if allowed else 'refused'}"
    MATRIX.setdefault(role or "nobody", {}).setdefault(key, 0)
    MATRIX[role or "nobody"][key] += 1


@pytest.fixture(scope="module")
def app(demo_app):
    demo_app.server.test_client().get("/login")  # Dash fills its callback map on the first request
    return demo_app


def _routes(app):
    rules = []
    for rule in app.server.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "x"), rule.rule)
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        rules.append((rule.endpoint, path, method))
    return rules


def _callbacks(app):
    return {output: spec for output, spec in app.callback_map.items() if spec.get("callback") is not None}


def _body(output: str, spec: dict) -> dict:
    """A callback request shaped as the renderer sends it, every value None."""
    outputs = _split_outputs(output)
    return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0], "changedPropIds": [],
            "inputs": [{**item, "value": None} for item in spec["inputs"]],
            "state": [{**item, "value": None} for item in spec["state"]]}


def test_every_route_outside_code_and_styles_declares_a_permission(app):
    undeclared = []
    for endpoint, path, _method in _routes(app):
        if endpoint in OPEN_ENDPOINTS or endpoint in DASH_ENDPOINTS or endpoint == CALLBACK_ENDPOINT \
                or path.startswith(OPEN_PREFIXES):
            continue
        if required_permission(app.server.view_functions[endpoint]) is None:
            undeclared.append(endpoint)
    assert not undeclared, f"routes without a declared permission (the gate refuses them): {undeclared}"


def test_only_code_styles_and_sign_in_are_open(app):
    open_routes = sorted(endpoint for endpoint, path, _ in _routes(app)
                         if endpoint in OPEN_ENDPOINTS or path.startswith(OPEN_PREFIXES))
    assert open_routes == sorted({"/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
                                  "_dash_assets.static", "/_favicon.ico", "login"})


def test_every_route_refuses_nobody(app, anonymous_client):
    for endpoint, path, method in _routes(app):
        if endpoint in OPEN_ENDPOINTS or path.startswith(OPEN_PREFIXES):
            continue
        response = anonymous_client.open(path, method=method, headers={"Accept": "text/html"})
        _count(None, "routes")
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login?next="), (endpoint, response.headers)
        else:
            assert response.status_code in (400, 401), (endpoint, path, response.status_code)
            assert b"sign in" in response.data.lower() or response.status_code == 400, (endpoint, response.data)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_by_its_permission(app, client_as, role):
    client = client_as(role)
    for endpoint, path, method in _routes(app):
        if endpoint in OPEN_ENDPOINTS or path.startswith(OPEN_PREFIXES) or endpoint in (CALLBACK_ENDPOINT, "logout"):
            continue  # the callbacks are checked one by one below; signing out is tested apart
        view = app.server.view_functions[endpoint]
        needed = Permission.VIEW if endpoint in DASH_ENDPOINTS else required_permission(view)
        if path.endswith(".pdf"):  # the PDF takes seconds to build; its permission is the workbook's
            path = path[:-4] + ".xlsx"
        response = client.open(path, method=method, headers=csrf_header(client))
        _count(role, "routes", needed in PERMISSIONS[Role(role)])
        if needed in PERMISSIONS[Role(role)]:
            assert response.status_code not in (401, 403), (role, endpoint, response.status_code, response.data[:300])
        else:
            assert response.status_code == 403, (role, endpoint, response.status_code)


def test_every_callback_declares_a_permission(app):
    undeclared = [output for output, spec in _callbacks(app).items()
                  if DASH_PAGES_CALLBACK not in output and required_permission(spec["callback"]) is None]
    assert not undeclared, f"callbacks without @guarded (the gate refuses them): {undeclared}"


def test_every_callback_refuses_nobody_even_a_raw_post(app, anonymous_client):
    for output, spec in _callbacks(app).items():
        response = anonymous_client.post(CALLBACK_ENDPOINT, json=_body(output, spec))
        _count(None, "callbacks")
        assert response.status_code == 401, (output, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_callback_answers_each_role_by_its_permission(app, client_as, role):
    client = client_as(role)
    for output, spec in _callbacks(app).items():
        if DASH_PAGES_CALLBACK in output:
            continue  # the pages' own check is tested below, page by page
        needed = required_permission(spec["callback"])
        response = client.post(CALLBACK_ENDPOINT, json=_body(output, spec), headers=csrf_header(client))
        _count(role, "callbacks", needed in PERMISSIONS[Role(role)])
        if needed in PERMISSIONS[Role(role)]:
            assert response.status_code not in (401, 403), (role, output, response.status_code, response.data[:300])
        else:
            assert response.status_code == 403, (role, output, response.status_code)
            assert role in response.get_json()["message"]


def _page_path(page: dict) -> str:
    template = page.get("path_template") or page["path"]
    return re.sub(r"<([^>]+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "x"), template)


def test_every_page_declares_a_permission(app):
    undeclared = [page["module"] for page in dash.page_registry.values()
                  if required_permission(page["layout"]) is None]
    assert not undeclared, f"pages whose layout is not @page_layout: {undeclared}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_only_for_roles_it_allows(app, client_as, role):
    client = client_as(role)
    for page in dash.page_registry.values():
        shown = call_callback(client, DASH_PAGES_CALLBACK, inputs={
            "_pages_location.pathname": _page_path(page), "_pages_location.search": ""})
        refused = REFUSED_ID in json.dumps(shown)
        allowed = required_permission(page["layout"]) in PERMISSIONS[Role(role)]
        _count(role, "pages", allowed)
        assert refused != allowed, (role, page["module"], "refused" if refused else "shown")


def test_write_the_access_matrix(app):
    """Runs last in this file: the counts above, for the closing note."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    lines = [f"{role:<8} " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
             for role, kinds in MATRIX.items()]
    (OUTPUT_DIR / "access-matrix.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    assert MATRIX, "no route, callback or page was checked"
